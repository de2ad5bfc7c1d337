"""Dropout: an overfitting net with and without dropout (the shared regularization run), 002's two-input neuron
in expectation, and why validation accuracy can beat the training accuracy reported with dropout on (000)."""
from __future__ import annotations

import itertools
import math
from functools import lru_cache

import torch

from nncore import models
# the run every regularization lesson shares, named here for the page
from nncore.regularization import OVERFIT, Config, Result, notice_compare, notice_curves, run

__all__ = ["Config", "Result", "run", "notice_compare", "notice_curves", "OVERFIT", "dropout_expectation",
           "notice_expectation", "notice_dropout"]


@lru_cache(maxsize=64)   # a page asks on every rerun; one dict per p, shared: read it, never change it
def dropout_expectation(w: tuple[float, float] = (1.0, 2.0), x: tuple[float, float] = (3.0, -1.0), p: float = 0.5,
                        samples: int = 100_000, seed: int = 0) -> dict:
    """002's neuron a = w1·x + w2·y with dropout on its two inputs: every mask, its probability and output, the
    exact expectation (= (1-p)·a), and a Monte-Carlo mean of torch's inverted dropout (≈ a)."""
    if not 0.0 <= p < 1.0:
        raise ValueError(f"The dropout probability must be at least 0 and below 1 (got {p:g}).")
    a = w[0] * x[0] + w[1] * x[1]
    rows = []
    for keep in itertools.product((1, 0), repeat=2):
        prob = math.prod((1 - p) if k else p for k in keep)
        rows.append(dict(keep=keep, probability=prob, output=w[0] * x[0] * keep[0] + w[1] * x[1] * keep[1]))
    expected = sum(r["probability"] * r["output"] for r in rows)
    drop = models.SeededDropout(p)
    drop.generator = torch.Generator().manual_seed(seed)
    inputs = torch.tensor(x, dtype=torch.float64).expand(samples, 2)
    mc = float((drop.train()(inputs) @ torch.tensor(w, dtype=torch.float64)).mean())
    return dict(w=w, x=x, a=a, p=p, rows=rows, expected=expected, test_time_scaled=(1 - p) * a, inverted_mc=mc, samples=samples)


def notice_expectation(ex: dict) -> str:
    """002's dropout neuron, with this p: the expectation in training, test-time scaling, inverted dropout."""
    p = ex["p"]
    (w1, w2), (x, y) = ex["w"], ex["x"]
    return (f"With w = ({w1:g}, {w2:g}) and inputs (x, y) = ({x:g}, {y:g}), the full neuron gives a = {ex['a']:g}. "
            f"With dropout "
            f"p = {p:g} its expected output in training is {ex['expected']:.3g} = (1 − p)·a, so at test time the "
            f"lecture multiplies by 1 − p = {1 - p:g}: {ex['test_time_scaled']:.3g}. Torch's inverted dropout "
            f"divides by 1 − p in training instead: the mean over {ex['samples']:,} sampled masks is "
            f"{ex['inverted_mc']:.3f} ≈ a.")


def notice_dropout(r: Result) -> str:
    """000: why validation can beat the training accuracy Keras reports (regression: the same story in MSE)."""
    h = r.history
    if r.diverged_at:
        return "The run diverged: there is no final model to measure."
    if h.train_acc is None:
        what, fmt, better = "loss (mean squared error)", "{:.3f}", "below"
        reported, val, clean = h.train_loss[-1], h.val_loss[-1], h.final_train_loss
        side = "below" if val < reported else "above"
    else:
        what, fmt, better = "accuracy", "{:.1%}", "above"
        reported, val, clean = h.train_acc[-1], h.val_acc[-1], h.final_train_acc
        side = "above" if val > reported else "below"
    shown = dict(reported=fmt.format(reported), val=fmt.format(val), clean=fmt.format(clean))
    if r.config.dropout == 0:
        return (f"Without dropout the training {what} reported during the epoch ({shown['reported']}) and the "
                f"eval-mode one ({shown['clean']}) nearly agree; validation: {shown['val']}.")
    verdict = "better than" if side == better else "not better than"
    return (f"The training {what} reported during the last epoch is {shown['reported']}: measured with dropout on "
            f"(p = {r.config.dropout:g}), on a thinned net. Validation runs in eval mode, the full net: "
            f"{shown['val']}, {side} it ({verdict} the reported training number). The same final weights in eval "
            f"mode score {shown['clean']} on the training set (000).")
