"""nncore.experiments.sanity_checks: the initial loss against ln C (and higher with L2), the tiny overfit (and the
bug that defeats it), the update/weight ratio against a hand computation of one SGD step."""
import dataclasses
import math

import numpy as np
import pytest
import torch

from nncore import i18n
from nncore.experiments import sanity_checks as sc

QUICK = sc.Config(epochs=1)


@pytest.fixture(scope="module")
def default():
    return sc.run(sc.Config())


@pytest.mark.parametrize("classes", [2, 3, 10])
@pytest.mark.parametrize("seed", [0, 1])
def test_initial_loss_is_ln_c_without_regularization_and_higher_with_l2(classes, seed):
    r = sc.run(dataclasses.replace(QUICK, classes=classes, seed=seed))
    assert r.expected_initial_loss == pytest.approx(-math.log(1 / classes))
    assert abs(r.initial_loss - math.log(classes)) < 0.05, r.initial_loss
    assert r.initial_loss_with_reg > r.initial_loss + 0.01
    row = r.classes_checked.index(classes)
    assert r.initial_losses[row] == pytest.approx(r.initial_loss)


def test_l2_adds_lambda_times_the_squared_weights():
    cfg = dataclasses.replace(QUICK, reg=0.01)
    r = sc.run(cfg)
    model = sc.build_model(cfg, sc.load_data(cfg))
    squares = sum(float((m.weight.detach().double() ** 2).sum()) for m in model if isinstance(m, torch.nn.Linear))
    assert r.initial_loss_with_reg - r.initial_loss == pytest.approx(0.01 * squares, rel=1e-4)


def test_the_initial_loss_is_torchs_cross_entropy_of_the_untrained_net():
    cfg = dataclasses.replace(QUICK, classes=3)
    data = sc.load_data(cfg)
    with torch.no_grad():
        expected = float(torch.nn.functional.cross_entropy(sc.build_model(cfg, data)(data.x_train), data.y_train))
    assert sc.run(cfg).initial_loss == pytest.approx(expected, rel=1e-5)
    assert set(data.y_train.tolist()) == {0, 1, 2}


def test_the_tiny_subset_is_memorized(default):
    assert default.tiny_solved_at is not None
    assert default.tiny_train_acc[default.tiny_solved_at - 1] == 1.0
    assert default.tiny_train_acc[-1] == 1.0
    assert default.tiny_train_loss[-1] < 0.05 * default.tiny_train_loss[0]
    solved = i18n._("All {n} training samples are classified correctly from epoch {epoch} on; the training loss falls "
                    "to {loss}. The rest of the data stays at {val}: memorizing is not learning, and that is fine for "
                    "this check.")                                      # in the suite's language
    assert sc.notice_tiny(default).startswith(solved.split("{loss}")[0].format(n=20, epoch=default.tiny_solved_at))


def test_shuffled_labels_defeat_the_tiny_overfit():
    r = sc.run(sc.PRESETS["A bug the check catches"].config)
    assert r.tiny_solved_at is None
    assert np.nanmax(r.tiny_train_acc) < 0.9, r.tiny_train_acc
    assert r.tiny_train_loss[-1] > 0.5
    assert sc.notice_tiny(r).endswith(i18n._(sc.BUG_FOUND["shuffled_labels"]))


def test_update_ratio_equals_a_hand_computed_sgd_step():
    cfg = QUICK
    r = sc.run(cfg)
    data = sc.load_data(cfg)
    model = sc.build_model(cfg, data)
    weights = [m.weight for m in model if isinstance(m, torch.nn.Linear)]
    loss = torch.nn.functional.cross_entropy(model(data.x_train), data.y_train)
    grads = torch.autograd.grad(loss, weights)
    hand = [cfg.lr * float(g.norm()) / float(w.detach().norm()) for g, w in zip(grads, weights)]
    assert r.update_ratio.shape == (1, 2)
    assert r.update_ratio[0] == pytest.approx(hand, rel=1e-4)
    assert r.grad_norm[1, 0] == pytest.approx([float(g.norm()) for g in grads], rel=1e-5)
    # the same first step at lr/30 and lr x 30: SGD's ratio is proportional to the rate
    assert r.update_ratio_high[0] == pytest.approx(sc.RATE_FACTOR * r.update_ratio[0], rel=1e-4)
    assert r.update_ratio_low[0] == pytest.approx(r.update_ratio[0] / sc.RATE_FACTOR, rel=1e-4)


def test_update_ratios_helper_is_the_frobenius_ratio():
    before, after = [torch.ones(2, 2)], [torch.tensor([[1.0, 1.0], [1.0, 1.02]])]
    assert sc.update_ratios(before, after) == pytest.approx([0.02 / 2])


def test_the_chosen_rate_sits_in_the_band_and_the_others_do_not(default):
    assert default.update_ratio.shape == (default.config.epochs, 2)
    assert sc.in_band(default.update_ratio[:, 0]) > 0.8
    assert sc.in_band(default.update_ratio_low[:, 0]) == 0.0
    assert np.nanmax(default.update_ratio_high[:, 0]) > 10 * sc.BAND[1]
    assert default.val_acc[1, -1] > default.val_acc[0, -1] and default.val_acc[1, -1] > default.val_acc[2, -1]
    assert default.dead_fraction[2, -1] > 0.5 > default.dead_fraction[1, -1]


def test_runs_are_deterministic_and_report_progress():
    seen = []
    a = sc.run(dataclasses.replace(QUICK, epochs=3), seen.append)
    b = sc.run(dataclasses.replace(QUICK, epochs=3))
    np.testing.assert_array_equal(a.update_ratio, b.update_ratio)
    np.testing.assert_array_equal(a.tiny_train_loss, b.tiny_train_loss)
    assert seen[-1].done == seen[-1].total == 12


@pytest.mark.parametrize("change, words", [
    (dict(dataset="moons"), "{data} has {n} classes: C must be between 2 and {n} (got {classes})."),
    (dict(classes=2, tiny_samples=400), "The tiny subset ({tiny}) is larger than the {n} training samples of {classes} "
                                        "classes."),
    (dict(tiny_samples=500, epochs=300), "The tiny subset times the epochs must stay under {most} (got {tiny} × "
                                         "{epochs} = {work}): it is a quick check."),
    (dict(lr=-1.0), "Learning rate (SGD)"),
    (dict(bug="nope"), "Injected bug"),
])
def test_bad_configs_raise_a_sentence(change, words):
    with pytest.raises(ValueError) as e:
        sc.run(dataclasses.replace(sc.Config(), **change))
    said = i18n._(words)                  # the sentence (or the field's label) in the suite's language
    assert said.split("{")[0] in str(e.value) and said.rpartition("}")[2] in str(e.value)
