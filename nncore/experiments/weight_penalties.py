"""Weight penalties: L1, L2, elastic net and decoupled weight decay on an overfitting net (the shared
regularization run), what each does to the weights, and the regularization path (one run per strength)."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from nncore import params, training
from nncore.i18n import N_, _, number
from nncore.params import Preset, param, validate
from nncore.progress import OnProgress, report
# the run every regularization lesson shares, named here for the page
from nncore.regularization import OVERFIT, QUANTILES, Config, Result, notice_compare, notice_curves, run

__all__ = ["Config", "Result", "run", "notice_compare", "notice_curves", "PENALTIES", "PRESETS",
           "penalty_name", "penalty_runs", "notice_weights", "PathConfig", "PathResult", "regularization_path",
           "notice_path"]


# Penalties: plain SGD shows the textbook picture (L1 0.005: 87% of the weights exactly 0; L2 0.005: none, median
# |w| 0.089 -> 0.015). With Adam, L2 left smaller weights than L1 (median 0.00013 vs 0.0026): see notice_weights.
PENALTIES = dataclasses.replace(OVERFIT, optimizer="sgd", lr=0.5)
PRESETS = {
    N_("L2 with plain SGD"): Preset(
        dataclasses.replace(PENALTIES, l2=0.005),
        N_("The page's default: plain SGD (lr 0.5), where a penalty's gradient is added to the data's and nothing "
           "rescales it: the lecture's picture of L1 and L2."), "002 'Regularization', 001 'L2 penalty'"),
    N_("The same with Adam"): Preset(
        dataclasses.replace(PENALTIES, optimizer="adam", lr=0.01, l2=0.005),
        N_("Adam divides every gradient, the penalty's too, by √v, the running RMS of that weight's own gradients: "
           "each weight feels the penalty at a different strength, and L1 and L2 stop acting as the lecture draws "
           "them. Decoupled weight decay (AdamW, Loshchilov & Hutter 2019) shrinks the weights outside the gradient "
           "to restore a decay that means the same for every weight."), "Loshchilov & Hutter 2019 (AdamW)"),
}


def penalty_name(c: Config) -> str:
    """'L1 0.005 + L2 0.001', 'decay 0.1' or 'no penalty' (in the current language)."""
    bits = [f"L1 {number(c.l1)}" if c.l1 else "", f"L2 {number(c.l2)}" if c.l2 else "",
            _("decay {decay}").format(decay=number(c.weight_decay)) if c.weight_decay else ""]
    return " + ".join(b for b in bits if b) or _("no penalty")


def penalty_runs(a: Config, b: Config) -> dict[str, Config]:
    """The weight lesson's runs: A without a penalty, L1 and L2 at B's strength λ, and decoupled decay 2λ."""
    lam = min(max(b.l1, b.l2, b.weight_decay / 2) or 0.005, params.spec(Config, "l1")["hi"])   # the L1 slider's range
    return {"none": a, "l1": dataclasses.replace(a, l1=lam), "l2": dataclasses.replace(a, l2=lam),
            "decay": dataclasses.replace(a, weight_decay=2 * lam)}


SGD_FAMILY = ("sgd", "momentum", "nesterov")   # the other optimizers divide each gradient by a running √v


def notice_weights(runs: dict[str, Result]) -> str:
    """What the penalties did to the weights (exact zeros, median |w|) and why, for the optimizer of the runs."""
    med = {k: float(np.median(np.abs(r.weights))) for k, r in runs.items()}
    zeros = {k: r.zero_weights for k, r in runs.items()}
    n = len(runs["none"].weights)
    c = runs["l2"].config
    lam, decay, lr, opt = c.l2, runs["decay"].config.weight_decay, c.lr, training.OPTIMIZERS[c.optimizer].label
    m = {k: number(v, ".3g") for k, v in med.items()}
    facts = _("Of the {n} weights, {runs}.").format(n=number(n, ","), runs="; ".join(
        _("{name}: {zeros} exactly 0 ({share}), median |w| {median}").format(
            name=penalty_name(r.config), zeros=number(zeros[k], ","), share=number(zeros[k] / n, ".0%"), median=m[k])
        for k, r in runs.items()))
    if c.optimizer in SGD_FAMILY:
        per_step = f" = {number(lr * lam, '.2g')}" if c.optimizer == "sgd" else ""
        l1 = (_("With {opt}, L1's gradient λ·sign(w) pulls every weight toward 0 by the same lr·λ{per_step} a step, "
                "so small weights reach 0 and stay there ({zeros} here);") if zeros["l1"] else
              _("With {opt}, L1's gradient λ·sign(w) pulls every weight toward 0 by the same lr·λ{per_step} a step, "
                "though at this λ none has reached exactly 0 yet;")).format(opt=opt, per_step=per_step,
                                                                             zeros=number(zeros["l1"], ","))
        l2 = (_("L2's gradient 2λw takes the same fraction 2·lr·λ of every weight, so weights get small (median "
                "{none} → {l2}) but do not reach 0 ({zeros} exactly 0 here).") if med["l2"] < 0.8 * med["none"] else
              _("L2's gradient 2λw takes the same fraction 2·lr·λ of every weight, so weights barely change at this "
                "λ (median {none} → {l2}) but do not reach 0 ({zeros} exactly 0 here).")).format(
            none=m["none"], l2=m["l2"], zeros=number(zeros["l2"], ","))
        same = (_("Decoupled decay multiplies every weight by 1 − lr·decay = {factor} each step: with plain SGD that is "
                  "exactly L2 with λ = decay/2 = {half} (median {decayed} against {l2}).") if c.optimizer == "sgd" else
                _("With momentum, decay {decay} and L2 λ = {half} differ (L2's gradient runs through the velocity, "
                  "the decay does not): median {decayed} against {l2}.")).format(
            factor=number(1 - lr * decay, ".4g"), half=number(decay / 2), decay=number(decay), decayed=m["decay"],
            l2=m["l2"])
        return " ".join((facts, l1, l2, same))
    why = (_("{opt} divides every gradient, the penalty's too, by √v, the running RMS of that weight's own gradients: "
             "a weight the data barely uses feels mostly the penalty and steps up to lr toward 0 whatever λ, a weight "
             "with large data gradients has a large √v and hardly feels it. So L2 no longer shrinks every weight in "
             "proportion: its median |w| ({l2}) is below L1's ({l1}), the opposite of plain SGD's picture.")
           if med["l2"] < med["l1"] else
           _("{opt} divides every gradient, the penalty's too, by √v, the running RMS of that weight's own gradients: "
             "a weight the data barely uses feels mostly the penalty and steps up to lr toward 0 whatever λ, a weight "
             "with large data gradients has a large √v and hardly feels it. So L2 no longer shrinks every weight in "
             "proportion: its median |w| ({l2}) is above L1's ({l1}).")).format(opt=opt, l2=m["l2"], l1=m["l1"])
    same = _("Decoupled decay (AdamW) is not divided by √v: each step it takes the share lr·decay = {share} of every "
             "weight, the same for all (median {decayed}, where L2 with λ = decay/2 left {l2}).").format(
        share=number(lr * decay, ".2g"), decayed=m["decay"], l2=m["l2"])
    return " ".join((facts, why, same))


# ---- The regularization path: one run per penalty strength ----


@dataclass(frozen=True)
class PathConfig:
    """A base run and the penalty to sweep over `points` strengths, log-spaced from lo to hi."""

    base: Config = Config(n_samples=200, noise=0.35, hidden=(64, 64), epochs=200)
    penalty: str = param("l2", choices=("l1", "l2", "weight_decay"), label=N_("Penalty"))
    lo: float = param(1e-4, 1e-5, 0.02, log=True, label=N_("Smallest λ"))
    hi: float = param(2e-2, 1e-5, 0.02, log=True, label=N_("Largest λ"))
    points: int = param(7, 2, 12, label=N_("Strengths"))


@dataclass(frozen=True, eq=False)
class PathResult:
    config: PathConfig
    lambdas: np.ndarray
    train_loss: np.ndarray      # final model, eval mode
    val_loss: np.ndarray
    train_err: np.ndarray
    val_err: np.ndarray
    weight_norm: np.ndarray     # sum |w|
    zero_fraction: np.ndarray   # share of weights exactly 0
    weight_quantiles: np.ndarray  # (points, 5) of |w|
    baseline_val_loss: float    # λ = 0


def regularization_path(cfg: PathConfig, on_progress: OnProgress = None) -> PathResult:
    """Train the base config once per λ (and once with λ = 0): how do the losses and the weights change?"""
    validate(cfg)
    if cfg.hi <= cfg.lo:
        raise ValueError(_("The largest λ ({hi}) must be above the smallest ({lo}).").format(hi=number(cfg.hi),
                                                                                            lo=number(cfg.lo)))
    lambdas = np.geomspace(cfg.lo, cfg.hi, cfg.points)
    rows = []
    for i, lam in enumerate([0.0, *lambdas]):
        r = run(dataclasses.replace(cfg.base, **{cfg.penalty: float(lam)}))
        h, w = r.history, np.abs(r.weights)
        rows.append((h.final_train_loss, h.final_val_loss, r.train_err, r.val_err, w.sum(), float((w == 0).mean()),
                     np.quantile(w, QUANTILES)))
        if not report(on_progress, i + 1, cfg.points + 1, f"λ = {lam:.2g}"):
            break
    cols = [np.array(c) for c in zip(*rows[1:])] if len(rows) > 1 else [np.zeros(0)] * 7
    n = len(rows) - 1
    return PathResult(cfg, lambdas[:n], *cols[:6], np.array(cols[6]).reshape(n, 5), float(rows[0][1]))


def notice_path(p: PathResult) -> str:
    """Which strength gave the lowest validation loss, and what the strongest one did."""
    if not len(p.lambdas):
        return _("No strengths were run.")
    i = int(np.argmin(p.val_loss))
    f3 = lambda v: number(v, ".3f")   # noqa: E731
    shown = dict(best=f3(p.val_loss[i]), lam=number(p.lambdas[i], ".2g"), base=f3(p.baseline_val_loss),
                 strong=number(p.lambdas[-1], ".2g"), train=f3(p.train_loss[-1]), val=f3(p.val_loss[-1]))
    if i < len(p.lambdas) - 1 and p.train_loss[-1] > 1.2 * p.train_loss[i] and p.val_loss[-1] > p.val_loss[i]:
        losses = _("The lowest validation loss, {best}, comes at λ = {lam} (without a penalty: {base}); at λ = {strong} "
                   "the training loss is {train} and the validation loss {val}: both rose, too strong a penalty "
                   "underfits.").format(**shown)
    else:
        losses = _("The lowest validation loss, {best}, comes at λ = {lam} (without a penalty: {base}); at λ = {strong} "
                   "the training loss is {train} and the validation loss {val}.").format(**shown)
    size = (_("Σ|w| falls from {first} to {last}.") if p.weight_norm[-1] < p.weight_norm[0] else
            _("Σ|w| goes from {first} to {last}.")).format(first=number(p.weight_norm[0], ".3g"),
                                                           last=number(p.weight_norm[-1], ".3g"))
    return f"{losses} {size}"
