"""nncore.losses and the losses experiment: each loss and its gradient against torch's own, Huber's two branches,
the outliers' pull, the sigmoid's bound, and clear messages for a bad δ."""
import dataclasses

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nncore import i18n
from nncore.experiments import losses as lesson
from nncore.losses import LOSSES, check_delta, check_target, log_cosh_loss, make

GEN = torch.Generator().manual_seed(0)


def _value_and_grad(fn, pred: torch.Tensor, target: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    pred = pred.clone().requires_grad_(True)
    loss = fn(pred, target)
    return loss.detach(), torch.autograd.grad(loss, pred)[0]


REFERENCES = {   # independent references in float64: torch's own modules, or the closed form where torch has none
    "mae": torch.nn.L1Loss(), "mse": torch.nn.MSELoss(), "huber": torch.nn.HuberLoss(delta=0.7),
    "log_cosh": lambda p, t: torch.log(torch.cosh(p - t)).mean(),
}


@pytest.mark.parametrize("name", list(REFERENCES))
def test_regression_losses_and_gradients_equal_the_references(name):
    pred, target = torch.randn(200, generator=GEN, dtype=torch.float64) * 3, torch.randn(200, generator=GEN,
                                                                                          dtype=torch.float64)
    ours = _value_and_grad(make(name, delta=0.7), pred, target)
    ref = _value_and_grad(REFERENCES[name], pred, target)
    torch.testing.assert_close(ours, ref, rtol=1e-12, atol=1e-12)


def test_classification_losses_and_gradients_equal_torchs_modules():
    logits, labels = torch.randn(64, 5, generator=GEN, dtype=torch.float64), torch.randint(0, 5, (64,), generator=GEN)
    torch.testing.assert_close(_value_and_grad(make("ce"), logits, labels),
                               _value_and_grad(torch.nn.CrossEntropyLoss(), logits, labels))
    z, y = logits[:, 0], (labels > 2).double()
    torch.testing.assert_close(_value_and_grad(make("bce"), z, y),
                               _value_and_grad(lambda p, t: torch.nn.BCELoss()(torch.sigmoid(p), t), z, y))


def test_gradients_match_the_registrys_derivatives():
    """sign(r), 2r, clip(r, -δ, δ), tanh r, σ(z) - 1, as the cards' formulas say."""
    r = lesson.run(lesson.Config(delta=0.5))
    res = r.residuals
    np.testing.assert_allclose(r.grads["mae"][res != 0], np.sign(res[res != 0]), atol=1e-6)
    np.testing.assert_allclose(r.grads["mse"], 2 * res, atol=1e-5)
    np.testing.assert_allclose(r.grads["huber"], np.clip(res, -0.5, 0.5), atol=1e-6)
    np.testing.assert_allclose(r.grads["log_cosh"], np.tanh(res), atol=1e-6)
    np.testing.assert_allclose(r.bce_grad, 1 / (1 + np.exp(-r.logits)) - 1, atol=1e-6)


@pytest.mark.parametrize("delta", [0.3, 1.0, 2.5])
def test_huber_is_half_mse_inside_delta_and_linear_outside(delta):
    r = torch.linspace(-6, 6, 241, dtype=torch.float64)
    huber = make("huber", delta)(r, torch.zeros_like(r), reduction="none")
    inside = r.abs() <= delta
    torch.testing.assert_close(huber[inside], F.mse_loss(r, torch.zeros_like(r), reduction="none")[inside] / 2)
    torch.testing.assert_close(huber[~inside], delta * (r.abs() - delta / 2)[~inside])


def test_log_cosh_does_not_overflow_far_from_zero():
    r = torch.tensor([1e3, -1e3])
    torch.testing.assert_close(log_cosh_loss(r, torch.zeros(2), reduction="none"), r.abs() - np.log(2))


@pytest.mark.parametrize("delta", [0.0, -1.0, float("nan")])
def test_a_delta_of_zero_or_below_is_a_clear_message(delta):
    says = i18n._("Huber's δ must be greater than 0 (got {delta}): it is the residual where the squared branch "
                  "turns linear.").format(delta=i18n.number(delta))       # in the suite's language
    with pytest.raises(ValueError) as e:
        check_delta(delta)
    assert str(e.value) == says
    with pytest.raises(ValueError) as e:
        lesson.run(lesson.Config(delta=delta))
    assert str(e.value) == says


def test_every_entry_teaches_its_loss():
    for entry in LOSSES.values():
        assert entry.label and entry.formula and entry.derivative and entry.note
        assert entry.target in ("regression", "binary", "classes")


@pytest.mark.parametrize("shift", [-8.0, 12.0])
def test_outliers_pull_the_mse_fit_more_than_the_mae_and_huber_fits(shift):
    """The line, and the small net too: under MAE the fit lies closer to the inliers' line than under MSE."""
    r = lesson.run(lesson.Config(outlier_shift=shift))
    lines = {k: lesson.gap_to_inliers(f) for k, f in r.fits.items()}
    nets = {k: lesson.curve_gap(c) for k, c in r.net_fits.items()}
    for gap in (lines, nets):
        assert gap["mae"] < gap["huber"] < gap["mse"]
        assert gap["mae"] < 0.2 < 1.0 < gap["mse"]


def test_without_outliers_the_smooth_losses_agree():
    """Every residual is inside δ, so Huber's minimum is MSE's."""
    fits = lesson.run(lesson.Config(outliers=0)).fits
    np.testing.assert_allclose(fits["huber"], fits["mse"], atol=1e-3)


def test_a_sigmoid_asked_for_0_to_255_cannot_beat_its_bound_and_scaling_fixes_it():
    r = lesson.run(lesson.Config())
    assert np.all((r.pixel_pred["sigmoid"] > 0) & (r.pixel_pred["sigmoid"] <= 1))
    assert r.pixel_rmse["sigmoid"] >= r.pixel_bound * (1 - 1e-6)
    assert r.pixel_rmse["scaled"] < r.pixel_bound / 5


def test_softmax_with_mse_barely_moves_a_confidently_wrong_logit():
    r = lesson.run(lesson.Config())
    assert r.ce_grad[0] == pytest.approx(-1.0, abs=1e-3)
    assert abs(r.softmax_mse_grad[0]) < 1e-3 * abs(r.ce_grad[0])


def test_the_run_is_deterministic():
    a, b = lesson.run(lesson.Config(seed=3)), lesson.run(lesson.Config(seed=3))
    assert a.fits == b.fits and a.pixel_rmse == b.pixel_rmse
    assert dataclasses.replace(a.config) == b.config


BETWEEN = "{loss} wants targets between 0 and 1 (got {lo} to {hi}): for a regression target use MAE, MSE or Huber; " \
          "for class labels, cross-entropy."
INDICES = "{loss} wants class indices 0, 1, 2, ... (integers), not values to regress."


@pytest.mark.parametrize("name, target, words", [
    ("bce", torch.tensor([0.0, 3.5, 120.0]), BETWEEN.format(loss="Binary cross-entropy", lo=0, hi=120)),
    ("bce", torch.tensor([0.0, 1.0, 2.0]), BETWEEN.format(loss="Binary cross-entropy", lo=0, hi=2)),
    ("ce", torch.tensor([0.2, 1.7]), INDICES.format(loss="Cross-entropy")),
])
def test_a_loss_that_does_not_fit_the_target_type_is_a_clear_message(name, target, words):
    with pytest.raises(ValueError) as e:
        check_target(name, target)
    sentence = BETWEEN if name == "bce" else INDICES          # the message, in the suite's language
    numbers = {k: i18n.number(float(v)) for k, v in (("lo", target.min()), ("hi", target.max()))}
    assert str(e.value) == i18n._(sentence).format(loss=LOSSES[name].label, **numbers)
    if i18n.default_language() == "en":
        assert str(e.value) == words


def test_fitting_targets_pass():
    check_target("bce", torch.tensor([0.0, 1.0, 0.3]))
    check_target("ce", torch.tensor([0, 2, 1]))
    check_target("mse", torch.tensor([-4.0, 300.0]))


def test_figures_at_the_defaults_are_under_300_kb():
    from nncore import viz
    r = lesson.run(lesson.Config())
    for build in (viz.loss_gradients, viz.logit_gradients, viz.outlier_fits, viz.sigmoid_bound, viz.outlier_net_fits,
                  viz.label_pitfall):
        fig = build(r)
        assert fig.layout.title.text and len(fig.to_json()) < 300_000


def test_adam_needs_a_learning_rate_on_the_red_wines():
    """004's 'Adam needs no learning rate': 1e-3 learns, 1e-5 barely leaves the start, 1 does no better than it."""
    r = lesson.run_adam(lesson.AdamConfig())
    slow, good, fast = r.final_val_mae
    assert good < r.baseline_mae - 0.1
    assert good < slow - 0.1 and good < fast - 0.1
    assert all(len(v) == r.config.epochs for v in r.val_mae)
    from nncore import viz
    assert len(viz.adam_curves(r).to_json()) < 300_000


def test_adam_reports_progress_over_all_three_runs():
    seen = []
    lesson.run_adam(lesson.AdamConfig(epochs=5), on_progress=lambda p: seen.append((p.done, p.total)))
    assert seen[-1] == (15, 15) and all(total == 15 for _, total in seen)


def test_bce_on_an_unbounded_regression_target_has_no_minimum():
    """000's pitfall: torch trains BCE on targets 0..255 without a word, and its loss goes below 0 (a real
    cross-entropy is >= 0); check_target refuses the pair."""
    r = lesson.run(lesson.Config())
    assert r.pixel_bce_loss < 0
    assert r.pixel_rmse["bce"] >= r.pixel_bound * (1 - 1e-6)
    with pytest.raises(ValueError, match=f"^{LOSSES['bce'].label} "):
        check_target("bce", torch.tensor(r.pixel_y))


def test_the_red_wines_trained_with_mae_mse_and_huber_are_each_measured_by_validation_mae():
    """004's comparison: every run learns (below predicting the mean); the MAE-trained run's validation MAE is its
    own validation loss (torch's l1_loss), so the hook measures what the training loop measures."""
    r = lesson.run_wine_losses(lesson.WineConfig(epochs=20))
    assert r.losses == ("mae", "mse", "huber")
    assert all(len(v) == 20 for v in r.val_mae)
    assert all(m < r.baseline_mae - 0.05 for m in r.final_val_mae)
    mae_run = lesson._wine_runs(r.config, [("mae", lesson.training.TrainSpec(epochs=20, batch_size=256,
                                                                            lr=lesson.WINE_LR, loss="mae"))], None)[0][0]
    np.testing.assert_allclose(r.val_mae[0], mae_run.val_loss, rtol=1e-6)
    best = min(zip(r.final_val_mae, r.losses))
    notice = lesson.notice_wine_losses(r)
    assert notice.index(LOSSES[best[1]].label) < min(notice.index(LOSSES[k].label) for k in r.losses if k != best[1])
    assert i18n.number(best[0], ".3f") in notice and i18n.number(r.baseline_mae, ".3f") in notice


def test_the_wine_loss_runs_report_progress_over_all_three():
    seen = []
    lesson.run_wine_losses(lesson.WineConfig(epochs=5), on_progress=lambda p: seen.append((p.done, p.total)))
    assert seen[-1] == (15, 15) and all(total == 15 for _, total in seen)


def test_the_net_notice_counts_who_is_the_majority_where_the_outliers_sit():
    notice = lesson.notice_net_fits(lesson.run(lesson.Config()))
    english = "Mean gap between each net's fit and the inliers' line: {gaps}. A net can bend where a line cannot: " \
              "under MSE it bends towards the outliers where they sit. There, {inliers} inliers and {outliers} " \
              "outliers: MAE's fit follows the median of the points near each x, so it stays with the inliers."
    assert notice.endswith(i18n._(english).split("{outliers}")[1])        # in the suite's language
    assert i18n._(english).split("{inliers}")[1].split("{outliers}")[0] + "6" in notice


def test_when_outliers_are_the_majority_where_they_sit_the_notice_says_mae_follows_them():
    r = lesson.run(lesson.Config(outliers=20))
    gap = {k: lesson.curve_gap(c) for k, c in r.net_fits.items()}
    assert gap["mae"] > 1.0
    english = "Mean gap between each net's fit and the inliers' line: {gaps}. A net can bend where a line cannot: " \
              "under MSE it bends towards the outliers where they sit. There, {inliers} inliers and {outliers} " \
              "outliers: MAE's fit follows the median of the points near each x, so it stays with the outliers."
    assert lesson.notice_net_fits(r).endswith(i18n._(english).split("{outliers}")[1])


def test_bce_with_logits_takes_a_target_of_2_and_goes_below_zero():
    """What torch does with a class label 2 given to BCEWithLogitsLoss: no error, softplus(z) - 2z, unbounded below."""
    z = torch.tensor([10.0], dtype=torch.float64)
    loss = torch.nn.BCEWithLogitsLoss()(z, torch.tensor([2.0], dtype=torch.float64))
    torch.testing.assert_close(loss, F.softplus(z)[0] - 2 * z[0])
    assert loss < 0


def test_class_labels_given_to_a_binary_loss_fail_and_cross_entropy_fixes_it():
    """The binary net's loss falls below 0 and keeps falling, it never names class 2, and it is far below the fix."""
    r = lesson.run(lesson.Config())
    bce, ce = r.label_losses["bce"], r.label_losses["ce"]
    assert len(bce) == len(ce) == lesson.LABEL_STEPS
    assert bce[-1] < 0 and bce[-1] < bce[len(bce) // 2] < 0
    assert np.all(ce > 0)
    assert r.label_recall["bce"][2] == 0.0
    assert r.label_accuracy["ce"] > 0.9 > r.label_accuracy["bce"] + 0.2
    assert np.all(r.label_recall["ce"] > 0.8)
    notice = lesson.notice_labels(r)
    assert i18n.number(bce[-1], ".3g") in notice and i18n.number(r.label_accuracy["ce"], ".0%") in notice
