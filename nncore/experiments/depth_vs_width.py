"""Depth vs width: ReLU nets of 1, 2, 4, ... hidden layers, each as wide as a shared parameter budget allows, trained
on the same data from the same seed (001 'The importance of depth').

001 claims, after Goodfellow et al. (arXiv:1312.6082: convolutional nets reading house numbers), "Accuracy of model
increases as depth increases" and "Deeper models outperform wider models with the same total number of parameters".
Here the widths come from `nncore.architectures.widths_for_budget` (every count within 5% of the budget and of
each other), each net trains with `nncore.training.train`, and the notices say what this run shows, also when deeper
is not better.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping

import numpy as np
import torch

from nncore import data, models, training
from nncore.architectures import BUDGET_TOLERANCE, parameter_count, widths_for_budget
from nncore.i18n import N_, _, ngettext, number
from nncore.params import Preset, param, validate
from nncore.progress import OnProgress, report
from nncore.runs import padded, relay

__all__ = ["Config", "Net", "Result", "run", "check", "depths", "nets", "plain_settings", "PRESETS", "notice_counts",
           "notice_depth"]

DATASETS = {k: data.DATASETS[k] for k in ("spiral", "moons", "circles", "digits")}
FLOP_BUDGET = 2e11      # ~6 x samples x parameters per epoch, summed over the nets (a few seconds here)
VAL_FRACTION = 0.3


@dataclass(frozen=True)
class Config:
    """One comparison: the parameter budget every net gets, the deepest net, and the data and training they share."""

    dataset: str = param("spiral", choices=DATASETS, label=N_("Data set"))
    samples: int = param(1000, 100, 1797, step=10, label=N_("Samples"), help=N_("70% train, 30% validation."))
    budget: int = param(150, 50, 10_000, step=10, label=N_("Parameter budget"),
                        help=N_("Weights and biases of each net; each depth gets the widths that come closest."))
    deepest: int = param(8, 2, 8, label=N_("Deepest net"),
                         help=N_("Nets of 1, 2, 4, ... hidden layers up to this many, all of the same size."))
    lr: float = param(0.01, 1e-4, 1.0, log=True, label=N_("Learning rate"), help=N_("Adam, full batch."))
    epochs: int = param(200, 10, 500, step=10, label=N_("Epochs"))
    seed: int = param(0, 0, 2**31 - 1, label=N_("Seed"), help=N_("The same data split, initialization seed and "
                                                                 "order for every net."))


@dataclass(frozen=True)
class Net:
    """One depth's net and its training. Per-epoch arrays have `epochs` entries (NaN after a stop or divergence)."""

    depth: int
    widths: tuple[int, ...]
    parameters: int             # nncore.architectures.parameter_count of the built net
    train_loss: np.ndarray
    val_loss: np.ndarray
    train_acc: np.ndarray
    val_acc: np.ndarray
    final_train_acc: float      # the final net in eval mode (NaN if it diverged)
    final_val_acc: float
    diverged_at: int | None

    @property
    def name(self) -> str:
        """'4 × 9' or, with the first layers one unit wider, '4 × 9–10'."""
        lo, hi = min(self.widths), max(self.widths)
        return f"{self.depth} × {lo}" + (f"–{hi}" if hi != lo else "")


@dataclass(frozen=True)
class Result:
    """Every depth's net, shallowest first."""

    config: Config
    nets: tuple[Net, ...]
    n_val: int
    seconds: float


def depths(deepest: int) -> tuple[int, ...]:
    """1, 2, 4, ... up to `deepest`, which is always included (6: 1, 2, 4, 6)."""
    powers = [2**k for k in range(deepest.bit_length()) if 2**k < deepest]
    return (*powers, deepest)


def nets(cfg: Config) -> dict[int, tuple[int, ...]]:
    """depth -> hidden widths, within 5% of the budget and of each other on the config's data set (ValueError if
    no such nets exist)."""
    entry = DATASETS[cfg.dataset]
    return widths_for_budget(cfg.budget, depths(cfg.deepest), entry.n_features, entry.n_classes)


@lru_cache(maxsize=64)
def plain_settings(cfg: Config) -> Mapping[str, tuple[tuple[int, ...], ...]]:
    """For the plain PyTorch template (assets/snippets/depth_vs_width.py): each depth's hidden widths, shallowest
    first, as the solver found them (a student's script takes them as given rather than restating the solver; kept:
    the code panel asks on every rerun, and the solver takes milliseconds)."""
    return MappingProxyType({"widths": tuple(nets(cfg).values())})    # read-only: one copy serves every caller


def check(cfg: Config) -> dict[int, tuple[int, ...]]:
    """Raise ValueError for an invalid config, a budget no depth fits or a run beyond the compute budget; return
    the widths."""
    validate(cfg)   # (no set has fewer than the 1,797 samples the slider offers)
    widths = nets(cfg)
    flops = 6.0 * cfg.samples * cfg.epochs * cfg.budget * len(widths)
    if flops > FLOP_BUDGET:
        raise ValueError(_("This comparison needs {flops} operations; the limit is {limit} (a few seconds here). Use "
                           "fewer epochs or samples, or a smaller budget.").format(
            flops=number(flops, ".1e"), limit=number(FLOP_BUDGET, ".0e")))
    return widths


def _train_one(depth: int, widths: tuple[int, ...], cfg: Config, d: data.Data, on_progress) -> Net:
    """The net of one depth, built and trained from cfg.seed on the shared data."""
    model = models.build(models.MLPSpec(d.n_features, d.n_outputs, widths, "relu", "kaiming_normal"),
                         generator=cfg.seed)
    h = training.train(model, d, training.TrainSpec(epochs=cfg.epochs, lr=cfg.lr), seed=cfg.seed,
                       on_progress=on_progress)
    n, nan = cfg.epochs, float("nan")
    return Net(depth, widths, parameter_count(model), padded(h.train_loss, n), padded(h.val_loss, n),
               padded(h.train_acc, n), padded(h.val_acc, n), nan if h.diverged_at else h.final_train_acc,
               nan if h.diverged_at else h.final_val_acc, h.diverged_at)


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    """Train one net per depth, each from the same seed on the same split; progress counts epochs over all nets."""
    widths = check(cfg)
    start = time.perf_counter()
    d = data.load(cfg.dataset, n_samples=cfg.samples, val_fraction=VAL_FRACTION, seed=cfg.seed)
    total, done = cfg.epochs * len(widths), []
    with training.single_thread():   # small models: one torch thread is as fast idle and far faster under load
        for i, (depth, w) in enumerate(widths.items()):
            layers = ngettext("{n} hidden layer", "{n} hidden layers", depth).format(n=depth)
            done.append(_train_one(depth, w, cfg, d, relay(on_progress, i * cfg.epochs, total, layers)))
            if len(done) < len(widths) and not report(on_progress, (i + 1) * cfg.epochs, total, _("next net")):
                break
    return Result(cfg, tuple(done), len(d.x_val), time.perf_counter() - start)


# ---- Presets from the lectures ----

PRESETS = {
    N_("001: same size, deeper wins?"): Preset(
        Config(), N_("Four nets of ~150 parameters on the spiral, from one wide layer to eight narrow ones."),
        "001 'The importance of depth'"),
    N_("A roomier budget"): Preset(
        Config(budget=2000), N_("~2,000 parameters each: does depth still matter once every net can fit the spiral?"),
        "001 'Deeper models outperform wider models with the same total number of parameters'"),
    N_("Digits (64 inputs)"): Preset(
        Config(dataset="digits", samples=1797, budget=3000, epochs=100),
        N_("Real 8x8 images: the first layer's 64 inputs cost the deep-narrow nets most of their budget."),
        "001 'Accuracy of model increases as depth increases'"),
}


# ---- What to notice, from the run's own numbers ----

def notice_counts(r: Result) -> str:
    """Each net's parameter count against the budget."""
    budget = r.config.budget
    worst = max(abs(n.parameters - budget) / budget for n in r.nets)
    counts = [n.parameters for n in r.nets]
    listed = ", ".join(f"{n.name}: {number(n.parameters, ',')}" for n in r.nets)
    return _("Parameters (weights and biases, counted on the built nets): {listed}. Every net is within {worst} of "
             "the {budget}-parameter budget, the largest {spread} above the smallest (the solver allows {tolerance} "
             "for each).").format(listed=listed, worst=number(worst, ".1%"), budget=number(budget, ","),
                                  spread=number(max(counts) / min(counts) - 1, ".1%"),
                                  tolerance=number(BUDGET_TOLERANCE, ".0%"))


def _both(names: list[str]) -> str:
    """'4 × 9' or '2 × 12 and 4 × 9' (or 'a, b and c')."""
    if len(names) == 1:
        return names[0]
    return _("{first} and {last}").format(first=", ".join(names[:-1]), last=names[-1])


def notice_depth(r: Result) -> str:
    """Which depth scored best on validation, and whether deeper beat the single wide layer, honestly."""
    ok = [n for n in r.nets if np.isfinite(n.final_val_acc)]
    diverged = [n.name for n in r.nets if n.diverged_at]
    tail = [_("Diverged (the loss became inf or NaN): {nets}.").format(nets=", ".join(diverged))] if diverged else []
    if len(ok) < 2:
        return " ".join([_("Too few nets finished to compare depths."), *tail])
    right = {n.depth: round(n.final_val_acc * r.n_val) for n in ok}   # validation points classified right
    best = max(right.values())
    winners = [n for n in ok if right[n.depth] == best]
    shallow, deep = ok[0], ok[-1]
    scores = ", ".join(f"{n.name} {number(n.final_val_acc, '.1%')}" for n in ok)
    text = [_("Validation accuracy after {epochs} epochs: {scores}.").format(epochs=r.config.epochs, scores=scores),
            _("Best: {nets} ({best} of {total} points).").format(nets=_both([n.name for n in winners]), best=best,
                                                                  total=r.n_val)]
    gain = right[deep.depth] - right[shallow.depth]
    if gain > 0:
        text.append(ngettext("The deepest net beat the single wide layer by {gain} validation point: 001's claim "
                             "holds on this run.",
                             "The deepest net beat the single wide layer by {gain} validation points: 001's claim "
                             "holds on this run.", gain).format(gain=gain))
    elif winners[0].depth > shallow.depth:
        text.append((_("Depth helped up to {depth} layers, but the deepest net ({net}) only tied the single wide "
                       "layer: at a fixed budget, more layers means narrower ones.") if gain == 0 else
                     _("Depth helped up to {depth} layers, but the deepest net ({net}) did worse than the single "
                       "wide layer: at a fixed budget, more layers means narrower ones.")).format(
            depth=winners[-1].depth, net=deep.name))
    else:
        text.append(_("No deeper net beat the single wide layer here: 001's claim (from convolutional nets reading "
                      "house numbers) does not hold for these small MLPs at this budget."))
    return " ".join(text + tail)
