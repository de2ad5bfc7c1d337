"""Zero-centering and the zig-zag: a neuron with two weights whose inputs are all positive (002, 003).

The neuron computes w1 x1 + w2 x2 and learns the target weights (w1 > 0, w2 < 0) by SGD on the squared error.
The gradient on w_i is (dL/d output) x_i: when every x_i > 0 (the outputs of a sigmoid or ReLU layer), both
components of every update share the sign of dL/d output, so the path to (+, -) can only move along (+, +) or
(-, -) and zig-zags. The same data shifted to mean 0 has no such constraint.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from nncore.i18n import N_, _, number
from nncore.params import Preset, param, validate
from nncore.runs import padded

CASES = (N_("all-positive inputs"), N_("zero-centered inputs"))   # English ids, translated where shown
GRID = 61
BLOW_UP = 1e6   # mean squared error above which a path has diverged


@dataclass(frozen=True)
class Config:
    """Inputs x ~ offset + U(-spread, spread) per component (all positive when offset > spread), or the same minus
    their mean."""

    target_w1: float = param(1.0, 0.1, 3.0, step=0.1, label=N_("Target w1 (> 0)"))
    target_w2: float = param(-1.0, -3.0, -0.1, step=0.1, label=N_("Target w2 (< 0)"))
    offset: float = param(1.0, 0.0, 3.0, step=0.1, label=N_("Input mean"),
                          help=N_("Like the output of a sigmoid or ReLU layer, every input is positive when the mean "
                                  "is larger than the spread."))
    spread: float = param(0.5, 0.05, 2.0, step=0.05, label=N_("Input spread (± around the mean)"))
    lr: float = param(0.2, 1e-3, 1.0, log=True, label=N_("Learning rate"))
    steps: int = param(60, 5, 500, label=N_("SGD steps (one sample each)"))
    seed: int = param(0, 0, 2**31 - 1, label=N_("Seed"))


@dataclass(frozen=True)
class Result:
    """Per case (CASES order): the weight path, the loss, and how the updates point."""

    config: Config
    cases: tuple
    paths: np.ndarray              # (2, steps + 1, 2): (w1, w2) after each step, starting at (0, 0)
    losses: np.ndarray             # (2, steps + 1): mean squared error on all samples
    same_sign_share: np.ndarray    # (2,) share of updates whose two components have the same sign
    path_length: np.ndarray        # (2,) length of the path walked
    distance: float                # straight-line distance from the start to the target
    final_error: np.ndarray        # (2,) distance from the last weights to the target
    inputs_min: np.ndarray         # (2,) smallest input component
    max_stable_lr: np.ndarray      # (2,) 2 / max ||x||^2: above it a one-sample step can diverge
    diverged_at: tuple             # per case: the step at which the loss passed 1e6, or None
    grid_w1: np.ndarray            # (GRID,) loss-surface axes
    grid_w2: np.ndarray
    surface: np.ndarray            # (2, GRID, GRID) mean squared error over (w2 rows, w1 columns)


def check(cfg: Config) -> None:
    validate(cfg)


def _sgd(x: torch.Tensor, target: torch.Tensor, cfg: Config, gen: torch.Generator):
    """Plain SGD with torch.optim on one sample per step; the order of the samples comes from `gen`."""
    w = torch.zeros(2, requires_grad=True)
    opt = torch.optim.SGD([w], lr=cfg.lr)
    y = x @ target
    order = torch.randint(len(x), (cfg.steps,), generator=gen)
    path, losses, updates = [w.detach().clone()], [float(((x @ w.detach() - y) ** 2).mean())], []
    for i in order.tolist():
        opt.zero_grad()
        loss = 0.5 * (x[i] @ w - y[i]) ** 2
        loss.backward()
        opt.step()
        updates.append(w.detach() - path[-1])
        path.append(w.detach().clone())
        with torch.no_grad():
            losses.append(float(((x @ w - y) ** 2).mean()))
        if not losses[-1] < BLOW_UP:
            break
    missing = cfg.steps + 1 - len(path)  # a diverged run: the rest of the path is NaN
    path_t = torch.cat([torch.stack(path), torch.full((missing, 2), float("nan"))])
    return path_t, padded(losses, cfg.steps + 1), torch.stack(updates)


def run(cfg: Config, on_progress=None) -> Result:
    """The two cases from the same random draw and the same sample order."""
    check(cfg)
    gen = torch.Generator().manual_seed(cfg.seed)
    raw = (torch.rand(256, 2, generator=gen) * 2 - 1) * cfg.spread + cfg.offset
    target = torch.tensor([cfg.target_w1, cfg.target_w2])
    w1 = np.linspace(-0.5 * abs(cfg.target_w1), 1.5 * cfg.target_w1 + 0.5, GRID)
    w2 = np.linspace(1.5 * cfg.target_w2 - 0.5, 0.5 * abs(cfg.target_w2), GRID)
    grid = torch.tensor(np.stack(np.meshgrid(w1, w2), -1), dtype=torch.float32)  # (GRID, GRID, 2)
    paths, losses, same, surfaces, mins, limits = [], [], [], [], [], []
    for inputs in (raw, raw - raw.mean(dim=0)):
        path, loss, upd = _sgd(inputs, target, cfg, torch.Generator().manual_seed(cfg.seed + 1))
        moved = upd.abs().sum(dim=1) > 0
        same.append(float((torch.sign(upd[moved, 0]) == torch.sign(upd[moved, 1])).float().mean())
                    if moved.any() else 0.0)
        paths.append(path.numpy())
        losses.append(loss)
        surfaces.append((((grid @ inputs.T) - inputs @ target) ** 2).mean(-1).numpy())
        mins.append(float(inputs.min()))
        limits.append(2.0 / float(inputs.pow(2).sum(dim=1).max()))
    paths_np = np.array(paths, dtype=float)
    steps = np.nan_to_num(np.diff(paths_np, axis=1))
    diverged = tuple(int(np.flatnonzero(~(l < BLOW_UP))[0]) if (~(l < BLOW_UP)).any() else None for l in losses)
    tgt = target.numpy().astype(float)
    return Result(cfg, CASES, paths_np, np.array(losses), np.array(same),
                  np.linalg.norm(steps, axis=2).sum(axis=1), float(np.linalg.norm(tgt)),
                  np.linalg.norm(paths_np[:, -1] - tgt, axis=1), np.array(mins), np.array(limits), diverged, w1, w2,
                  np.array(surfaces, dtype=float))


PRESETS = {
    N_("Sigmoid-like inputs (all > 0)"): Preset(Config(), N_(
        "Every update of the all-positive case moves both weights the same way: a staircase towards (+, −)."),
        "003 'Sigmoide' zig-zag slide"),
    N_("Inputs far from zero"): Preset(Config(offset=2.0, spread=0.5, lr=0.05), N_(
        "The further the inputs are from zero, the narrower the valley: the largest stable step of the all-positive "
        "case falls far below the centered case's (the notice gives both), so it must take small steps."),
        "002 'This is also why you want zero-mean data'"),
    N_("Larger step (lr 1)"): Preset(Config(lr=1.0), N_(
        "Same data, a 5x larger step: the all-positive case overshoots further at every step and runs away; the "
        "centered case reaches the target."), "003 'zig-zag ... ineficiente'"),
    N_("Inputs around zero already"): Preset(Config(offset=0.0, spread=1.0), N_(
        "With inputs of both signs, the two cases are the same data: no zig-zag."),
        "003 'Por este motivo también se busca que los datos estén centrados en cero'"),
}


def notice_path(r: Result) -> str:
    """Sign structure of the updates and how directly each path went, from the run's numbers."""
    pos, cen = 0, 1
    share = lambda v: number(v, ".0%")
    if r.inputs_min[pos] > 0:
        sentences = [_("With all-positive inputs (smallest {smallest}), {share} of the updates change w1 and w2 in "
                       "the same direction; zero-centered: {centered}.").format(
            smallest=number(r.inputs_min[pos], ".2f"), share=share(r.same_sign_share[pos]),
            centered=share(r.same_sign_share[cen]))]
    else:
        sentences = [_("These inputs are not all positive (smallest {smallest}), so updates can have mixed signs "
                       "({share} same sign).").format(smallest=number(r.inputs_min[pos], ".2f"),
                                                      share=share(r.same_sign_share[pos]))]
    blew_up = (_("With all-positive inputs the loss blew up at step {step}: the step is too large for them."),
               _("With zero-centered inputs the loss blew up at step {step}: the step is too large for them."))
    walked = (_("With all-positive inputs the path is {ratio}x the straight distance to the target and ends {error} "
                "from it."),
              _("With zero-centered inputs the path is {ratio}x the straight distance to the target and ends {error} "
                "from it."))
    for k in range(len(r.cases)):
        sentences.append(blew_up[k].format(step=r.diverged_at[k]) if r.diverged_at[k] is not None else
                         walked[k].format(ratio=number(r.path_length[k] / r.distance, ".1f"),
                                          error=number(r.final_error[k], ".2f")))
    sentences.append(_("Positive inputs also cap the step: one-sample SGD can diverge above lr = {positive} here, "
                       "against {centered} with centered inputs.").format(
        positive=number(r.max_stable_lr[pos], ".2g"), centered=number(r.max_stable_lr[cen], ".2g")))
    return " ".join(sentences)
