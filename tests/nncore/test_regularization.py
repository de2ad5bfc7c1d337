"""nncore.regularization: overfitting and its cures, determinism, the lecture pieces, bad input."""
import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest
import torch

from nncore import models, training
from nncore import regularization as reg

ROOT = Path(__file__).resolve().parents[2]
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
    assert "rose" in reg.notice_curves(overfit) or "above the training error" in reg.notice_curves(overfit)


@pytest.mark.parametrize("cure", [dict(dropout=0.5), dict(l2=0.005), dict(weight_decay=0.5, optimizer="adamw")])
def test_dropout_and_penalties_shrink_the_gap(overfit, cure):
    cured = reg.run(dataclasses.replace(SMALL, **cure))
    assert gap(cured) < 0.6 * gap(overfit), (gap(cured), gap(overfit))
    assert cured.history.final_val_loss < overfit.history.final_val_loss
    assert "shrinks" in reg.notice_compare(overfit, cured, "it")


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


def test_capacity_default_shows_underfitting_with_a_margin_and_overfitting():
    a = reg.run(dataclasses.replace(reg.CAPACITY, hidden=(2,)))
    b = reg.run(dataclasses.replace(reg.CAPACITY, hidden=(128, 128)))
    assert a.fit == "underfit" and b.fit == "overfit", (a.fit_reason, b.fit_reason)
    # not on the line: the underfit rule is train error > 30% of chance; A sits at ~60% of chance (29.5% of 50%)
    assert a.train_err > 1.5 * 0.3 * a.chance_err, a.fit_reason
    # the overfit picture far from its line: the validation loss ends at ~4x its minimum (rule: 10% above)
    assert b.history.val_loss[-1] > 2 * b.history.best_val_loss, b.fit_reason


def test_digits_have_no_grid():
    d = reg.run(reg.Config(dataset="digits", n_samples=200, hidden=(32,), epochs=10))
    assert d.grid_prob is None and d.points_train is None and d.n_classes == 10


def test_normalization_lessons_claims_hold():
    """normalization.md: at the page's lr plain SGD blows up in its first epochs while batch norm trains; at lr 0.5
    the plain net trains too."""
    lesson = (ROOT / "assets/lessons/normalization.md").read_text()
    assert f"large learning rate ({reg.NORMALIZATION.lr:.1f})" in lesson and "learning rate to 0.5 and A trains" in lesson
    a = reg.run(reg.NORMALIZATION)
    b = reg.run(dataclasses.replace(reg.NORMALIZATION, norm="batch"))
    slow = reg.run(dataclasses.replace(reg.NORMALIZATION, lr=0.5))
    assert a.diverged_at is not None and a.diverged_at <= 5 and b.diverged_at is None and b.val_err < 0.1
    assert slow.diverged_at is None and slow.val_err < 0.1
    assert "at epoch 2" not in lesson   # the old text quoted one run's epoch


def test_early_stopping_returns_the_best_epochs_model():
    r = reg.run(dataclasses.replace(SMALL, patience=15))
    h = r.history
    assert h.stop_reason == "early_stopping" and r.stopped_epoch == r.best_epoch + 15
    assert h.final_val_loss == h.val_loss[r.best_epoch - 1]
    text = reg.notice_early_stopping(r)
    assert f"Best epoch {r.best_epoch}" in text and f"stopped at epoch {r.stopped_epoch}" in text


def penalty_runs(preset: str) -> dict:
    b = reg.PENALTY_PRESETS[preset].config
    return {k: reg.run(c) for k, c in reg.penalty_runs(dataclasses.replace(b, l2=0.0), b).items()}


def median(r) -> float:
    return float(np.median(np.abs(r.weights)))


def test_with_plain_sgd_l1_zeroes_weights_that_l2_only_shrinks_and_decay_is_l2_at_half():
    runs = penalty_runs("L2 with plain SGD")
    assert runs["l2"].config == dataclasses.replace(reg.PENALTIES, l2=0.005)   # the page's default B
    n = len(runs["none"].weights)
    assert runs["l1"].zero_weights > n / 2 and runs["l2"].zero_weights == 0 == runs["decay"].zero_weights
    assert median(runs["l2"]) < median(runs["none"]) / 3
    # decay 2λ and L2 λ are one update with plain SGD; 400 steps amplify float32 rounding in single weights (up to
    # ~1e-2 here) but not in the median of 16,896 of them
    assert median(runs["decay"]) == pytest.approx(median(runs["l2"]), rel=0.02)
    text = reg.notice_weights(runs)
    assert f"{runs['l1'].zero_weights:,} exactly 0" in text and "λ = decay/2 = 0.005" in text
    assert f"median {median(runs['none']):.3g} → {median(runs['l2']):.3g}" in text and "√v" not in text


def test_with_adam_the_notice_says_what_the_run_shows():
    runs = penalty_runs("The same with Adam")
    assert median(runs["l2"]) < median(runs["l1"]) / 3   # L2 left the weights smaller than L1 (~20x here)
    text = reg.notice_weights(runs)
    assert "√v" in text and "AdamW" in text and "the opposite of plain SGD's picture" in text
    assert f"its median |w| ({median(runs['l2']):.3g}) is below L1's ({median(runs['l1']):.3g})" in text
    assert "L2 shrinks each in proportion to its size" not in text   # the old notice, true for SGD only


def test_batch_norm_train_and_eval_differ_on_one_batch():
    r = reg.run(reg.Config(n_samples=200, norm="batch", batch_size=32, epochs=5))
    b = r.bn_batch
    assert b["batch"] == 8 and not np.allclose(b["batch_mean"], b["running_mean"])
    assert np.abs(b["train_out"] - b["eval_out"]).max() > 0.01          # same inputs, different outputs
    assert "running mean" in reg.notice_bn(r)


def test_regularization_path_shrinks_the_weights():
    p = reg.regularization_path(reg.PathConfig(base=dataclasses.replace(SMALL, epochs=60), lo=1e-4, hi=1e-2, points=3))
    assert p.lambdas.shape == (3,) and np.all(np.diff(p.weight_norm) < 0)
    assert p.train_loss[-1] > p.train_loss[0]
    text, best = reg.notice_path(p), int(np.argmin(p.val_loss))
    rose = best < 2 and p.train_loss[-1] > 1.2 * p.train_loss[best] and p.val_loss[-1] > p.val_loss[best]
    assert f"{p.val_loss[best]:.3f}, comes at λ = {p.lambdas[best]:.2g}" in text
    assert ("too strong a penalty underfits" in text) == rose, text


def test_dropout_expectation_is_the_lectures_example():
    ex = reg.dropout_expectation(w=(1.0, 2.0), x=(3.0, -1.0), p=0.5)
    assert ex["a"] == 1.0 and ex["expected"] == pytest.approx(0.5) == ex["test_time_scaled"]
    assert sum(r["probability"] for r in ex["rows"]) == pytest.approx(1.0)
    assert ex["inverted_mc"] == pytest.approx(1.0, abs=0.02)
    assert reg.dropout_expectation(p=0.2)["expected"] == pytest.approx(0.8 * 1.0)


def test_norm_axes_match_torch_and_cover_the_right_cells():
    na = reg.norm_axes(n=4, c=6, length=5, groups=2)
    assert max(na.max_diff.values()) < 1e-5
    counts = {k: int(m.sum()) for k, m in na.members.items()}
    assert counts == {"batch": 4 * 5, "layer": 6 * 5, "instance": 5, "group": 3 * 5}
    assert na.mean["batch"] == pytest.approx(float(na.x[:, 0, :].mean()), abs=1e-5)


def test_augmented_gallery_keeps_originals_first():
    g = reg.augmented_gallery(digits=3, copies=4)
    assert g.shape == (3, 5, 8, 8) and 0 <= g.min() and g.max() <= 16
    assert all(not np.allclose(g[i, 0], g[i, j]) for i in range(3) for j in range(1, 5))


@pytest.mark.parametrize("bad, match", [
    (dict(lr=100.0), "Learning rate must be between"),
    (dict(dropout=1.0), "Dropout p must be between"),
    (dict(hidden=(64,) * 9), "At most 6 hidden layers"),
    (dict(hidden=(0,)), "between 1 and 512 units"),
    (dict(patience=0), "Patience"),
    (dict(dataset="digits", n_samples=3000), "at most 1,797"),
    (dict(norm="batch", batch_size=1, epochs=1), "at least 2 samples per batch"),
    (dict(epochs=2000, batch_size=2, n_samples=1000), "too large"),
    (dict(dataset="wine"), "Data set must be one of"),
])
def test_bad_input_is_a_clear_message(bad, match):
    with pytest.raises(ValueError, match=match):
        reg.run(dataclasses.replace(reg.Config(), **bad))


def test_oversized_batch_is_a_note_and_divergence_a_result():
    r = reg.run(reg.Config(n_samples=100, batch_size=5000, epochs=3))
    assert r.notes and "larger than the 70 training samples" in r.notes[0]
    d = reg.run(reg.Config(optimizer="sgd", lr=10.0, hidden=(64,) * 4, epochs=50))
    assert d.fit == "diverged" and d.diverged_at and d.grid_prob is None
    assert "inf or NaN" in reg.notice_curves(d)


def test_notices_quote_their_runs_numbers(overfit):
    dropped = reg.run(dataclasses.replace(SMALL, dropout=0.7, epochs=60))
    h = dropped.history
    text = reg.notice_dropout(dropped)
    assert f"{h.train_acc[-1]:.1%}" in text and f"{h.val_acc[-1]:.1%}" in text and f"{h.final_train_acc:.1%}" in text
    assert ("above it" if h.val_acc[-1] > h.train_acc[-1] else "below it") in text
    act = reg.notice_activations(overfit)
    assert any(f"{first:.3g} → {last:.3g}" in act for first, last in zip(overfit.act_std[0], overfit.act_std[-1]))
    ex = reg.dropout_expectation(p=0.3)
    assert f"{ex['inverted_mc']:.3f}" in reg.notice_expectation(ex) and "0.7 = (1 − p)·a" in reg.notice_expectation(ex)


WINE = reg.Config(dataset="red_wine", n_samples=1599, hidden=(64, 64), lr=0.001, epochs=200, batch_size=256,
                  patience=20, min_delta=0.001)


@pytest.fixture(scope="module")
def wine():
    return reg.run(WINE)


def test_early_stopping_on_red_wine_restores_the_best_epoch(wine):
    h = wine.history
    assert h.stop_reason == "early_stopping" and h.restored_best and wine.stopped_epoch == wine.best_epoch + 20
    assert h.final_val_loss == h.val_loss[wine.best_epoch - 1] == h.best_val_loss   # the best epoch's weights
    assert h.final_val_loss < h.val_loss[-1]
    assert (wine.n_train, wine.n_val, wine.kind) == (1119, 480, "regression")
    assert h.train_acc is None and h.val_acc is None and wine.grid_prob is None and wine.curve_x is None
    assert wine.points_train is None and len(wine.weights) == 11 * 64 + 64 * 64 + 64
    assert f"restored epoch {wine.best_epoch}'s weights" in reg.notice_early_stopping(wine)


def test_regression_nets_start_at_the_targets_mean():
    mlp, _ = reg.spec_of(WINE)
    model = models.build(dataclasses.replace(mlp, output_bias=5.6), 0)
    assert model.linears[-1].bias.tolist() == pytest.approx([5.6])
    assert models.build(mlp, 0).linears[-1].bias.tolist() == [0.0]
    first = reg.run(dataclasses.replace(WINE, epochs=1, patience=None)).history.val_loss[0]
    assert first < 2.0, first   # from 0 the first epochs' MSE is ~30: the quality is ~5.6 (Var(y) = 0.65)


def test_from_a_zero_output_bias_004s_net_never_beats_guessing_the_mean():
    """early_stopping.md's reason for starting at the mean: from 0, 60 epochs stay above Var(y) (1.11 vs 0.65)."""
    cfg = reg.EARLY_STOPPING_PRESETS["004: red wine, 3×512, early stopping"].config
    d = reg.load(cfg)
    mlp, spec = reg.spec_of(cfg)
    model = models.build(dataclasses.replace(mlp, output_bias=0.0), torch.Generator().manual_seed(cfg.seed))
    with training.single_thread():   # as reg.run: the same numbers with 1 or 2 torch threads
        h = training.train(model, d, spec, seed=cfg.seed)
    guess_the_mean = float(((d.y_val - d.y_train.mean()) ** 2).mean())
    assert h.stopped_epoch == cfg.epochs and h.best_val_loss > 1.3 * guess_the_mean
    assert "within our 60 epochs the net never beat always guessing the mean" in " ".join(
        (ROOT / "assets/lessons/early_stopping.md").read_text().split())


def test_regression_notices_speak_of_mse_not_accuracy(wine):
    assert "MSE" in wine.fit_reason and "Var(y)" in wine.fit_reason and "chance" not in wine.fit_reason
    dropped = reg.run(dataclasses.replace(WINE, dropout=0.5, epochs=20, patience=None))
    h = dropped.history
    text = reg.notice_dropout(dropped)
    assert "mean squared error" in text and "accuracy" not in text
    assert all(f"{v:.3f}" in text for v in (h.train_loss[-1], h.val_loss[-1], h.final_train_loss))
    compare = reg.notice_compare(wine, dropped, "dropout")
    assert "error" not in compare.replace("mean squared error", "") and f"{h.final_train_loss:.3f}" in compare


def test_red_wine_presets_are_004s_net():
    b = reg.EARLY_STOPPING_PRESETS["004: red wine, 3×512, early stopping"].config
    assert (b.dataset, b.n_samples, b.hidden, b.activation, b.optimizer, b.lr, b.batch_size) == \
        ("red_wine", 1599, (512, 512, 512), "relu", "adam", 0.001, 256)
    assert (b.patience, b.min_delta, b.l1, b.l2, b.dropout, b.norm) == (20, 0.001, 0.0, 0.0, 0.0, "none")
    reg.check(b)                                       # within the compute budget
    a, big = reg.CAPACITY_PRESETS["004: red wine, 1 vs 3 layers of 512"].config
    assert big == dataclasses.replace(b, patience=None, min_delta=0.0, noise=big.noise) and a.hidden == (512,)
    for preset in (*reg.EARLY_STOPPING_PRESETS.values(), *reg.CAPACITY_PRESETS.values()):
        # a run's numbers come from PRESET_NOTICES when shown: the note itself quotes none (it did: "best epoch 33")
        assert not re.search(r"(MSE|loss|epoch|at) \(?\d", preset.note), preset.note


def test_the_wine_stopping_notice_says_when_early_stopping_did_not_fire():
    small = reg.Config(dataset="red_wine", n_samples=1599, hidden=(16,), lr=0.001, epochs=8, batch_size=256,
                       patience=20, min_delta=0.001)
    a, b = reg.run(dataclasses.replace(small, patience=None, min_delta=0.0)), reg.run(small)
    h = b.history
    assert h.stop_reason == "completed"
    text = reg.notice_wine_stopping(a, b)
    assert f"lowest at epoch {h.best_epoch} ({h.best_val_loss:.3f})" in text and "B stops" not in text
    assert f"trains all 8 epochs like A" in text and f"training MSE {h.final_train_loss:.3f}" in text
