"""nncore.experiments.dropout: 002's two-input neuron, and the notices quote their runs' numbers."""
import dataclasses

import pytest

from nncore import regularization as reg
from nncore.experiments import dropout, normalization

SMALL = dataclasses.replace(reg.OVERFIT, epochs=250)


@pytest.fixture(scope="module")
def overfit():
    return reg.run(SMALL)


def test_dropout_expectation_is_the_lectures_example():
    ex = dropout.dropout_expectation(w=(1.0, 2.0), x=(3.0, -1.0), p=0.5)
    assert ex["a"] == 1.0 and ex["expected"] == pytest.approx(0.5) == ex["test_time_scaled"]
    assert sum(r["probability"] for r in ex["rows"]) == pytest.approx(1.0)
    assert ex["inverted_mc"] == pytest.approx(1.0, abs=0.02)
    assert dropout.dropout_expectation(p=0.2)["expected"] == pytest.approx(0.8 * 1.0)


def test_notices_quote_their_runs_numbers(overfit):
    dropped = reg.run(dataclasses.replace(SMALL, dropout=0.7, epochs=60))
    h = dropped.history
    text = dropout.notice_dropout(dropped)
    assert f"{h.train_acc[-1]:.1%}" in text and f"{h.val_acc[-1]:.1%}" in text and f"{h.final_train_acc:.1%}" in text
    assert ("above it" if h.val_acc[-1] > h.train_acc[-1] else "below it") in text
    act = normalization.notice_activations(overfit)
    assert any(f"{first:.3g} → {last:.3g}" in act for first, last in zip(overfit.act_std[0], overfit.act_std[-1]))
    ex = dropout.dropout_expectation(p=0.3)
    assert f"{ex['inverted_mc']:.3f}" in dropout.notice_expectation(ex) and "0.7 = (1 − p)·a" in dropout.notice_expectation(ex)
