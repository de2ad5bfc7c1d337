"""nncore.experiments.dropout: 002's two-input neuron, and the notices quote their runs' numbers."""
import dataclasses

import pytest

from nncore import regularization as reg
from nncore.experiments import dropout, normalization
from nncore.i18n import default_language, number
from tests.pages.helpers import fields, tr


def n(value: float, spec: str = "g") -> str:
    """A number as the suite's language writes it."""
    return number(value, spec, default_language())

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
    above = h.val_acc[-1] > h.train_acc[-1]
    assert text == tr(dropout._DROPOUT[False, above]).format(
        p=n(0.7), reported=n(h.train_acc[-1], ".1%"), val=n(h.val_acc[-1], ".1%"), clean=n(h.final_train_acc, ".1%"))
    assert ("above it" if above else "below it") in dropout._DROPOUT[False, above]
    act = normalization.notice_activations(overfit)
    assert any(f"{n(first, '.3g')} → {n(last, '.3g')}" in act
               for first, last in zip(overfit.act_std[0], overfit.act_std[-1]))
    ex = dropout.dropout_expectation(p=0.3)
    shown = fields(tr("With w = ({w1}, {w2}) and inputs (x, y) = ({x}, {y}), the full neuron gives a = {a}. With "
                      "dropout p = {p} its expected output in training is {expected} = (1 − p)·a, so at test time the "
                      "lecture multiplies by 1 − p = {keep}: {scaled}. Torch's inverted dropout divides by 1 − p in "
                      "training instead: the mean over {samples} sampled masks is {mc} ≈ a."),
                   dropout.notice_expectation(ex))
    assert (shown["mc"], shown["expected"], shown["keep"]) == (n(ex["inverted_mc"], ".3f"), n(0.7), n(0.7)), shown
