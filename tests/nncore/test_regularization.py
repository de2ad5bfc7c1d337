"""nncore.regularization, the run the regularization lessons share: overfitting and its cures, determinism, the
contract, regression on the red wines, bad input."""
import dataclasses

import numpy as np
import pytest

from nncore import models
from nncore import regularization as reg
from nncore.experiments import dropout
from nncore.i18n import default_language, number
from tests.pages.helpers import COMPARE_REGRESSION, fields, tr


def n(value: float, spec: str) -> str:
    """A number as the suite's language writes it."""
    return number(value, spec, default_language())

SMALL = dataclasses.replace(reg.OVERFIT, epochs=250)


@pytest.fixture(scope="module")
def overfit():
    return reg.run(SMALL)


def gap(r):
    return r.history.final_val_loss - r.history.final_train_loss


def test_a_large_net_on_a_small_noisy_set_overfits(overfit):
    h = overfit.history
    assert overfit.fit == "overfit", overfit.fit_reason
    best = h.best_epoch - 1
    assert h.best_epoch < 0.5 * len(h.val_loss)
    assert h.val_loss[-1] > 1.5 * h.val_loss[best]           # validation loss rises after its minimum ...
    assert h.train_loss[-1] < 0.2 * h.train_loss[best]       # ... while the training loss keeps falling
    assert overfit.train_err < overfit.val_err
    text = reg.notice_curves(overfit)
    assert any(fields(tr(message), text) for message in (
        "Overfitting: the validation loss rose {rise} from its minimum at epoch {epoch} while the training loss kept "
        "falling.", "Overfitting: the validation error ({val}) is {gap} above the training error ({train})."))


@pytest.mark.parametrize("cure", [dict(dropout=0.5), dict(l2=0.005), dict(weight_decay=0.5, optimizer="adamw")])
def test_dropout_and_penalties_shrink_the_gap(overfit, cure):
    cured = reg.run(dataclasses.replace(SMALL, **cure))
    assert gap(cured) < 0.6 * gap(overfit), (gap(cured), gap(overfit))
    assert cured.history.final_val_loss < overfit.history.final_val_loss
    assert fields(tr("With {technique}, the gap between validation and training loss shrinks: {gap_a} → {gap_b} "
                     "(validation loss {val_a} → {val_b}); validation error {err_a} → {err_b}, training error "
                     "{train_err_a} → {train_err_b}."), reg.notice_compare(overfit, cured, "it"))


def test_runs_are_deterministic_by_seed():
    cfg = reg.Config(n_samples=200, hidden=(16, 16), dropout=0.3, batch_size=32, augment=True, epochs=5, seed=3)
    a, b, c = reg.run(cfg), reg.run(cfg), reg.run(dataclasses.replace(cfg, seed=4))
    np.testing.assert_array_equal(a.history.train_loss, b.history.train_loss)
    np.testing.assert_array_equal(a.grid_prob, b.grid_prob)
    np.testing.assert_array_equal(a.weights, b.weights)
    assert not np.array_equal(a.history.train_loss, c.history.train_loss)


def test_result_carries_the_contract_and_the_grid():
    r = reg.run(reg.Config(n_samples=200, epochs=20))
    for key in ("train_loss", "val_loss", "train_acc", "val_acc"):
        assert getattr(r.history, key).shape == (20,)
    assert r.best_epoch == int(np.argmin(r.history.val_loss)) + 1 and r.stopped_epoch == 20
    assert r.grid_prob.shape == (reg.GRID, reg.GRID) and 0 <= r.grid_prob.min() <= r.grid_prob.max() <= 1
    assert r.grid_x.min() < r.points_train[:, 0].min() and r.grid_x.max() > r.points_train[:, 0].max()
    assert r.n_train == 140 and len(r.points_val) == 60
    assert r.act_quantiles.shape == (len(r.snapshot_epochs), 2, 5) and r.snapshot_epochs[-1] == 20


def test_digits_have_no_grid():
    d = reg.run(reg.Config(dataset="digits", n_samples=200, hidden=(32,), epochs=10))
    assert d.grid_prob is None and d.points_train is None and d.n_classes == 10


@pytest.mark.parametrize("bad, label, message", [
    (dict(lr=100.0), "Learning rate", None),
    (dict(dropout=1.0), "Dropout p", None),
    (dict(hidden=(64,) * 9), None, "At most {most} hidden layers (got {n})."),
    (dict(hidden=(0,)), None, "Each hidden layer needs between 1 and {most} units (got {hidden})."),
    (dict(patience=0), None, "Patience must be between 1 and 1000 epochs, or off (got {patience})."),
    (dict(dataset="digits", n_samples=3000), None, "{data} has at most {most} samples (got {n})."),
    (dict(norm="batch", batch_size=1, epochs=1), None, "Batch norm needs at least 2 samples per batch: the mean and "
     "variance of a single sample say nothing (the output would be all zeros). Use a larger batch, or layer norm."),
    (dict(epochs=2000, batch_size=2, n_samples=1000), None, "This run is too large for a shared classroom server "
     "({macs} multiply-adds, {steps} steps; the limits are {max_macs} and {max_steps}). Use fewer epochs, smaller "
     "layers or larger batches."),
    (dict(dataset="wine"), "Data set", None),
])
def test_bad_input_is_a_clear_message(bad, label, message):
    with pytest.raises(ValueError) as err:
        reg.run(dataclasses.replace(reg.Config(), **bad))
    if label:   # params.validate's sentence names the field by its label
        assert tr(label) in str(err.value), str(err.value)
    else:
        assert fields(tr(message), str(err.value)) is not None or str(err.value) == tr(message), str(err.value)
    if bad.get("dataset") == "digits":
        assert n(1797, ",") in str(err.value)


def test_oversized_batch_is_a_note_and_divergence_a_result():
    r = reg.run(reg.Config(n_samples=100, batch_size=5000, epochs=3))
    assert r.notes == (tr("The batch size {batch} is larger than the {n} training samples: every step uses the whole "
                          "training set (full batch).").format(batch=n(5000, ","), n=70),)
    d = reg.run(reg.Config(optimizer="sgd", lr=10.0, hidden=(64,) * 4, epochs=50))
    assert d.fit == "diverged" and d.diverged_at and d.grid_prob is None
    assert reg.notice_curves(d) == tr("The loss became inf or NaN at epoch {epoch}: the run stopped there. Lower the "
                                      "learning rate.").format(epoch=d.diverged_at)


WINE = reg.Config(dataset="red_wine", n_samples=1599, hidden=(64, 64), lr=0.001, epochs=200, batch_size=256,
                  patience=20, min_delta=0.001)


@pytest.fixture(scope="module")
def wine():
    return reg.run(WINE)


def test_regression_nets_start_at_the_targets_mean():
    mlp, _ = reg.spec_of(WINE)
    model = models.build(dataclasses.replace(mlp, output_bias=5.6), 0)
    assert model.linears[-1].bias.tolist() == pytest.approx([5.6])
    assert models.build(mlp, 0).linears[-1].bias.tolist() == [0.0]
    first = reg.run(dataclasses.replace(WINE, epochs=1, patience=None)).history.val_loss[0]
    assert first < 2.0, first   # from 0 the first epochs' MSE is ~30: the quality is ~5.6 (Var(y) = 0.65)


def test_regression_notices_speak_of_mse_not_accuracy(wine):
    assert "MSE" in wine.fit_reason and "Var(y)" in wine.fit_reason
    dropped = reg.run(dataclasses.replace(WINE, dropout=0.5, epochs=20, patience=None))
    h = dropped.history
    text = dropout.notice_dropout(dropped)
    above = not h.val_loss[-1] < h.train_loss[-1]
    assert "mean squared error" in dropout._DROPOUT[True, above] and "accuracy" not in dropout._DROPOUT[True, above]
    assert text == tr(dropout._DROPOUT[True, above]).format(p=n(0.5, "g"), reported=n(h.train_loss[-1], ".3f"),
                                                            val=n(h.val_loss[-1], ".3f"), clean=n(h.final_train_loss, ".3f"))
    text = reg.notice_compare(wine, dropped, "dropout")
    compare = next(filter(None, (fields(tr(message), text) for message in COMPARE_REGRESSION)), None)
    assert compare and compare["train_b"] == n(h.final_train_loss, ".3f"), compare
