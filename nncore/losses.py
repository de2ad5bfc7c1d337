"""The loss functions of the lectures (001 'Cost function & Loss', 004 'Loss Functions'), as torch's own losses.

`LOSSES[name].fn(prediction, target, reduction=...)` is torch's function (Huber takes `delta`); log-cosh, which torch
lacks, is written here. Each entry carries what a lesson needs to teach it: formula, derivative, the kind of
target it fits and the lecture's note.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from typing import Callable

import torch
import torch.nn.functional as F

from nncore.i18n import N_, _, number


def log_cosh_loss(prediction: torch.Tensor, target: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
    """log cosh(r) for r = prediction - target, as |r| + softplus(-2|r|) - log 2 so that a large r cannot overflow."""
    r = (prediction - target).abs()
    loss = r + F.softplus(-2 * r) - math.log(2.0)
    return {"mean": loss.mean, "sum": loss.sum}.get(reduction, lambda: loss)()


@dataclass(frozen=True)
class Loss:
    """One loss: its label, formula and derivative (LaTeX), torch's function, the target it fits, the lecture's note."""

    label: str
    formula: str
    derivative: str
    fn: Callable
    target: str        # "regression", "binary" (a 0/1 label for a logit) or "classes" (class indices for logits)
    note: str          # marked N_(): translated where it is shown
    lecture: str = ""


LOSSES = {
    "mae": Loss("MAE (L1)", r"L = |r|,\quad r = \hat y - y", r"\partial L/\partial r = \operatorname{sign}(r)",
                F.l1_loss, "regression", N_("Every error pulls with the same force: robust to outliers, but the "
                                              "gradient does not shrink near the minimum."), "004 'Loss Functions: MAE'"),
    "mse": Loss("MSE (L2)", r"L = r^2", r"\partial L/\partial r = 2r", F.mse_loss, "regression",
                N_("The pull grows with the error: large errors (outliers) dominate the fit."),
                "004 'Loss Functions: MSE'"),
    "huber": Loss("Huber (δ)", r"L = \begin{cases} r^2/2 & |r| \le \delta \\ \delta(|r| - \delta/2) & |r| > \delta"
                  r"\end{cases}", r"\partial L/\partial r = \operatorname{clip}(r, -\delta, \delta)", F.huber_loss,
                  "regression", N_("MSE/2 near zero, MAE-like beyond δ, per residual; δ is a hyperparameter (torch's "
                                   "default 1.0)."), "004 'Loss Functions: Huber'"),
    "log_cosh": Loss("log-cosh", r"L = \log\cosh r", r"\partial L/\partial r = \tanh r", log_cosh_loss, "regression",
                     N_("≈ r²/2 near zero and ≈ |r| − log 2 far away: a smooth Huber with δ ≈ 1 "
                        "(torch has none: written here)."), ""),
    "bce": Loss("Binary cross-entropy", r"L = -y\log\sigma(z) - (1-y)\log(1-\sigma(z))",
                r"\partial L/\partial z = \sigma(z) - y", F.binary_cross_entropy_with_logits, "binary",
                N_("For a 0/1 label and one logit z; torch's form takes the logit, stable where σ saturates."),
                "001 'Cost function & Loss', 000 'what you want the DNN to output'"),
    "ce": Loss("Cross-entropy", r"L = -\log \operatorname{softmax}(z)_y",
               r"\partial L/\partial z_j = \operatorname{softmax}(z)_j - [j = y]", F.cross_entropy, "classes",
               N_("For a class index and one logit per class; the log cancels softmax's exp."),
               "001 'Cost function & Loss', 001 EXTRAS 'Softmax'"),
}


def check_delta(delta: float) -> None:
    """Huber's δ must be positive: it is where the quadratic branch meets the linear one."""
    if not delta > 0:
        raise ValueError(_("Huber's δ must be greater than 0 (got {delta}): it is the residual where the squared "
                           "branch turns linear.").format(delta=number(delta)))


def make(name: str, delta: float = 1.0) -> Callable:
    """The loss `name` as fn(prediction, target, reduction='mean'); Huber with its δ, which is checked."""
    if name not in LOSSES:
        raise ValueError(_("Unknown loss {name}; choose one of: {names}.").format(name=repr(name),
                                                                               names=", ".join(LOSSES)))
    if name == "huber":
        check_delta(delta)
        return partial(F.huber_loss, delta=delta)
    return LOSSES[name].fn


def check_target(name: str, target: torch.Tensor) -> None:
    """A loss given targets of the wrong kind (000's pitfalls: BCE on a regression, class labels to a binary loss)
    fails silently in torch: say so instead."""
    kind = LOSSES[name].target
    if kind == "binary" and not bool(((target >= 0) & (target <= 1)).all()):
        raise ValueError(_("{loss} wants targets between 0 and 1 (got {lo} to {hi}): for a regression target use "
                           "MAE, MSE or Huber; for class labels, cross-entropy.").format(
            loss=LOSSES[name].label, lo=number(float(target.min())), hi=number(float(target.max()))))
    if kind == "classes" and (target.is_floating_point() or bool((target < 0).any())):
        raise ValueError(_("{loss} wants class indices 0, 1, 2, ... (integers), not values to regress.").format(
            loss=LOSSES[name].label))
