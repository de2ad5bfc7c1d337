"""nncore.experiments.weight_penalties: L1 zeroes, L2 shrinks, decay vs L2 with SGD and Adam; the path."""
import dataclasses

import numpy as np
import pytest

from nncore import regularization as reg
from nncore.experiments import weight_penalties

SMALL = dataclasses.replace(reg.OVERFIT, epochs=250)


def penalty_runs(preset: str) -> dict:
    b = weight_penalties.PRESETS[preset].config
    return {k: reg.run(c) for k, c in weight_penalties.penalty_runs(dataclasses.replace(b, l2=0.0), b).items()}


def median(r) -> float:
    return float(np.median(np.abs(r.weights)))


def test_with_plain_sgd_l1_zeroes_weights_that_l2_only_shrinks_and_decay_is_l2_at_half():
    runs = penalty_runs("L2 with plain SGD")
    assert runs["l2"].config == dataclasses.replace(weight_penalties.PENALTIES, l2=0.005)   # the page's default B
    n = len(runs["none"].weights)
    assert runs["l1"].zero_weights > n / 2 and runs["l2"].zero_weights == 0 == runs["decay"].zero_weights
    assert median(runs["l2"]) < median(runs["none"]) / 3
    # decay 2λ and L2 λ are one update with plain SGD; 400 steps amplify float32 rounding in single weights (up to
    # ~1e-2 here) but not in the median of 16,896 of them
    assert median(runs["decay"]) == pytest.approx(median(runs["l2"]), rel=0.02)
    text = weight_penalties.notice_weights(runs)
    assert f"{runs['l1'].zero_weights:,} exactly 0" in text and "λ = decay/2 = 0.005" in text
    assert f"median {median(runs['none']):.3g} → {median(runs['l2']):.3g}" in text and "√v" not in text


def test_with_adam_the_notice_says_what_the_run_shows():
    runs = penalty_runs("The same with Adam")
    assert median(runs["l2"]) < median(runs["l1"]) / 3   # L2 left the weights smaller than L1 (~20x here)
    text = weight_penalties.notice_weights(runs)
    assert "√v" in text and "AdamW" in text and "the opposite of plain SGD's picture" in text
    assert f"its median |w| ({median(runs['l2']):.3g}) is below L1's ({median(runs['l1']):.3g})" in text
    assert "L2 shrinks each in proportion to its size" not in text   # the old notice, true for SGD only


def test_regularization_path_shrinks_the_weights():
    p = weight_penalties.regularization_path(weight_penalties.PathConfig(base=dataclasses.replace(SMALL, epochs=60), lo=1e-4, hi=1e-2, points=3))
    assert p.lambdas.shape == (3,) and np.all(np.diff(p.weight_norm) < 0)
    assert p.train_loss[-1] > p.train_loss[0]
    text, best = weight_penalties.notice_path(p), int(np.argmin(p.val_loss))
    rose = best < 2 and p.train_loss[-1] > 1.2 * p.train_loss[best] and p.val_loss[-1] > p.val_loss[best]
    assert f"{p.val_loss[best]:.3f}, comes at λ = {p.lambdas[best]:.2g}" in text
    assert ("too strong a penalty underfits" in text) == rose, text
