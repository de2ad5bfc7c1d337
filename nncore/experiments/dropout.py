"""Dropout: an overfitting net with and without dropout (the shared regularization run), 002's two-input neuron
in expectation, and why validation accuracy can beat the training accuracy reported with dropout on (000)."""
from __future__ import annotations

import itertools
import math
from functools import lru_cache

import torch

from nncore import models
from nncore.i18n import N_, _, number
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
        raise ValueError(_("The dropout probability must be at least 0 and below 1 (got {p}).").format(p=number(p)))
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
    return _("With w = ({w1}, {w2}) and inputs (x, y) = ({x}, {y}), the full neuron gives a = {a}. With dropout p = {p} "
             "its expected output in training is {expected} = (1 − p)·a, so at test time the lecture multiplies by "
             "1 − p = {keep}: {scaled}. Torch's inverted dropout divides by 1 − p in training instead: the mean over "
             "{samples} sampled masks is {mc} ≈ a.").format(
        w1=number(w1), w2=number(w2), x=number(x), y=number(y), a=number(ex["a"]), p=number(p),
        expected=number(ex["expected"], ".3g"), keep=number(1 - p), scaled=number(ex["test_time_scaled"], ".3g"),
        samples=number(ex["samples"], ","), mc=number(ex["inverted_mc"], ".3f"))


# notice_dropout's sentence by (regression, validation above the reported training number)
_DROPOUT = {
    (False, True): N_("The training accuracy reported during the last epoch is {reported}: measured with dropout on "
                      "(p = {p}), on a thinned net. Validation runs in eval mode, the full net: {val}, above it "
                      "(better than the reported training number). The same final weights in eval mode score {clean} "
                      "on the training set (000)."),
    (False, False): N_("The training accuracy reported during the last epoch is {reported}: measured with dropout on "
                       "(p = {p}), on a thinned net. Validation runs in eval mode, the full net: {val}, below it (not "
                       "better than the reported training number). The same final weights in eval mode score {clean} "
                       "on the training set (000)."),
    (True, False): N_("The training loss (mean squared error) reported during the last epoch is {reported}: measured "
                      "with dropout on (p = {p}), on a thinned net. Validation runs in eval mode, the full net: {val}, "
                      "below it (better than the reported training number). The same final weights in eval mode "
                      "score {clean} on the training set (000)."),
    (True, True): N_("The training loss (mean squared error) reported during the last epoch is {reported}: measured "
                     "with dropout on (p = {p}), on a thinned net. Validation runs in eval mode, the full net: {val}, "
                     "above it (not better than the reported training number). The same final weights in eval mode "
                     "score {clean} on the training set (000)."),
}


def notice_dropout(r: Result) -> str:
    """000: why validation can beat the training accuracy Keras reports (regression: the same story in MSE)."""
    h = r.history
    if r.diverged_at:
        return _("The run diverged: there is no final model to measure.")
    regression = h.train_acc is None
    if regression:
        reported, val, clean, spec = h.train_loss[-1], h.val_loss[-1], h.final_train_loss, ".3f"
        above = not val < reported
    else:
        reported, val, clean, spec = h.train_acc[-1], h.val_acc[-1], h.final_train_acc, ".1%"
        above = bool(val > reported)
    shown = dict(reported=number(reported, spec), val=number(val, spec), clean=number(clean, spec))
    if r.config.dropout == 0:
        return (_("Without dropout the training loss (mean squared error) reported during the epoch ({reported}) and "
                  "the eval-mode one ({clean}) nearly agree; validation: {val}.") if regression else
                _("Without dropout the training accuracy reported during the epoch ({reported}) and the eval-mode "
                  "one ({clean}) nearly agree; validation: {val}.")).format(**shown)
    return _(_DROPOUT[regression, above]).format(p=number(r.config.dropout), **shown)
