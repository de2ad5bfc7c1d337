"""Softmax at the output: scores to probabilities, temperature, and why it wants cross-entropy (001 EXTRAS, 002).

cs231n's example scores for one image (cat 3.2, car 5.1, frog -1.7; not in the five decks). Cross-entropy is -log softmax(z)_y =
-z_y/T + log sum_j exp(z_j/T): the log undoes the exp, so its gradient (p - y)/T stays large while the prediction
is wrong. A squared error on the probabilities goes through the exp alone and flattens out exactly then.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from nncore.activations import OUTPUT_ACTIVATIONS, make  # the page shows softmax's registry entry as a card
from nncore.i18n import N_, _, number
from nncore.params import Preset, param, validate

CLASSES = ("cat", "car", "frog")
SWEEP = np.linspace(-10.0, 10.0, 201)


@dataclass(frozen=True)
class Config:
    """Three class scores (logits), the true class, and the softmax temperature."""

    score_cat: float = param(3.2, -10.0, 10.0, step=0.1, label=N_("Score: cat"))
    score_car: float = param(5.1, -10.0, 10.0, step=0.1, label=N_("Score: car"))
    score_frog: float = param(-1.7, -10.0, 10.0, step=0.1, label=N_("Score: frog"))
    true_class: str = param("cat", choices=CLASSES, label=N_("True class"))
    temperature: float = param(1.0, 0.05, 20.0, log=True, label=N_("Temperature T"),
                               help=N_("softmax(z / T): T < 1 sharpens the distribution, T > 1 flattens it."))


@dataclass(frozen=True)
class Result:
    """Probabilities and both losses at the scores, and along a sweep of the true class's score."""

    config: Config
    classes: tuple
    scores: np.ndarray          # (3,)
    probs: np.ndarray           # (3,) softmax(scores / T)
    probs_t1: np.ndarray        # (3,) softmax(scores), for comparison
    ce_loss: float
    mse_loss: float
    ce_grad: np.ndarray         # (3,) d CE / d scores, by autograd
    mse_grad: np.ndarray        # (3,) d MSE(softmax, one-hot) / d scores, by autograd
    sweep: np.ndarray           # (points,) values of the true class's score
    sweep_ce: np.ndarray        # (points,) CE loss
    sweep_mse: np.ndarray       # (points,)
    sweep_ce_grad: np.ndarray   # (points,) d loss / d (true score)
    sweep_mse_grad: np.ndarray  # (points,)


def check(cfg: Config) -> None:
    validate(cfg)


def _losses(z: torch.Tensor, y: int, temperature: float) -> tuple[torch.Tensor, torch.Tensor]:
    """Rows of scores -> (cross-entropy, squared error of the probabilities against the one-hot target)."""
    ce = torch.nn.functional.cross_entropy(z / temperature, torch.full((len(z),), y), reduction="none")
    onehot = torch.nn.functional.one_hot(torch.tensor(y), len(CLASSES)).float()
    mse = ((make("softmax", temperature=temperature)(z) - onehot) ** 2).sum(dim=-1)
    return ce, mse


def run(cfg: Config, on_progress=None) -> Result:
    """Softmax and both losses with their autograd gradients, at the scores and along the sweep."""
    check(cfg)
    y, t = CLASSES.index(cfg.true_class), cfg.temperature
    scores = torch.tensor([[cfg.score_cat, cfg.score_car, cfg.score_frog]], requires_grad=True)
    ce, mse = _losses(scores, y, t)
    ce_grad, = torch.autograd.grad(ce.sum(), scores, retain_graph=True)
    mse_grad, = torch.autograd.grad(mse.sum(), scores)
    rows = scores.detach().repeat(len(SWEEP), 1)
    rows[:, y] = torch.tensor(SWEEP, dtype=torch.float32)
    rows.requires_grad_(True)
    sce, smse = _losses(rows, y, t)
    sce_grad, = torch.autograd.grad(sce.sum(), rows, retain_graph=True)
    smse_grad, = torch.autograd.grad(smse.sum(), rows)
    probs = make("softmax", temperature=t)(scores.detach())[0]
    as_np = lambda v: v.detach().numpy().astype(float)
    return Result(cfg, CLASSES, as_np(scores[0]), as_np(probs), as_np(torch.softmax(scores.detach()[0], -1)),
                  float(ce.detach()), float(mse.detach()), as_np(ce_grad[0]), as_np(mse_grad[0]), SWEEP.copy(),
                  as_np(sce), as_np(smse), as_np(sce_grad[:, y]), as_np(smse_grad[:, y]))


PRESETS = {
    N_("cs231n's cat image"): Preset(Config(), N_("cs231n's scores for a cat picture: which class wins, how sure is "
                                                  "softmax, and how hard does each loss push the cat's score?"),
                                 "the scores: cs231n's cat/car/frog example (not in the decks); the function: 001 "
                                 "EXTRAS 'More on activations: Softmax'"),
    N_("Confidently wrong"): Preset(Config(score_cat=-8.0, score_car=6.0), N_(
        "Squared error on the probabilities barely moves the cat score; cross-entropy pushes it at full strength."),
                                "001 EXTRAS 'needs a Log in the loss function to cancel the Exp'"),
    N_("Cold (T = 0.2)"): Preset(Config(temperature=0.2), N_("A low temperature makes softmax close to an arg max."),
                                 ""),
    N_("Hot (T = 5)"): Preset(Config(temperature=5.0),
                              N_("A high temperature flattens the distribution towards uniform."), ""),
}


def notice_probs(r: Result) -> str:
    """Which class wins, with what probability, and what the temperature did to it."""
    top = int(np.argmax(r.probs))
    y = r.classes.index(r.config.true_class)
    text = _("Softmax gives {top} {p_top} (the true class, {true}, gets {p_true}); cross-entropy = −log {p} = "
             "{loss}.").format(top=r.classes[top], p_top=number(r.probs[top], ".1%"), true=r.classes[y],
                               p_true=number(r.probs[y], ".1%"), p=number(r.probs[y], ".3g"),
                               loss=number(r.ce_loss, ".3g"))
    if r.config.temperature == 1.0:
        return text
    t = dict(p=number(r.probs_t1[top], ".1%"), t=number(r.config.temperature, "g"))
    return text + " " + (_("At T = 1 the top probability would be {p}: T = {t} sharpens the distribution but never "
                           "changes the ranking.") if r.config.temperature < 1 else
                         _("At T = 1 the top probability would be {p}: T = {t} flattens the distribution but never "
                           "changes the ranking.")).format(**t)


def notice_gradient(r: Result) -> str:
    """Gradient of each loss on the true score where the prediction is worst (the sweep's lowest score)."""
    worst, y = 0, r.classes.index(r.config.true_class)
    return _("With the true score at {score} (badly wrong), cross-entropy's gradient on it is {ce} while squared "
             "error's is {mse}: {ratio}x weaker. At the current scores: {ce_now} against {mse_now}.").format(
        score=number(r.sweep[worst], "g"), ce=number(r.sweep_ce_grad[worst], ".3g"),
        mse=number(r.sweep_mse_grad[worst], ".2g"),
        ratio=number(abs(r.sweep_ce_grad[worst]) / max(abs(r.sweep_mse_grad[worst]), 1e-30), ".1e"),
        ce_now=number(r.ce_grad[y], ".3g"), mse_now=number(r.mse_grad[y], ".3g"))
