"""The preprocessing engine: 003's whitening gives identity covariance, the PCA rotation is orthogonal, the validation
split is scaled with the training split's statistics, and the red-wine runs compare what they say they compare."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from nncore import i18n
from nncore.experiments import preprocessing as prep


@pytest.mark.parametrize("correlation", [-0.9, 0.0, 0.8])
def test_whitened_training_points_have_identity_covariance(correlation):
    c = prep.cloud(prep.CloudConfig(correlation, seed=3))
    np.testing.assert_allclose(c.cov["whitened"], np.eye(2), atol=1e-6)
    np.testing.assert_allclose(c.rotation.T @ c.rotation, np.eye(2), atol=1e-12)
    assert c.train["whitened"].dtype == np.float64


def test_each_step_does_what_003_says():
    c = prep.cloud(prep.CloudConfig(0.8, seed=0))
    raw = c.train["raw"]
    np.testing.assert_allclose(c.cov["centered"], np.cov(raw.T), atol=1e-12)      # centering keeps the covariance
    np.testing.assert_allclose(c.train["centered"].mean(0), 0, atol=1e-12)
    np.testing.assert_allclose(np.diag(c.cov["normalized"]), 1, atol=1e-12)
    assert c.cov["normalized"][0, 1] == pytest.approx(np.corrcoef(raw.T)[0, 1])      # normalizing keeps the correlation
    assert abs(c.cov["decorrelated"][0, 1]) < 1e-9
    np.testing.assert_allclose(np.diag(c.cov["decorrelated"]), c.eigenvalues, rtol=1e-9)
    np.testing.assert_allclose(np.sort(c.eigenvalues), np.linalg.eigvalsh(np.cov(raw.T)), rtol=1e-9)
    assert c.cov["raw"][0, 0] > 5 * c.cov["raw"][1, 1]                               # differently scaled
    assert np.abs(raw.mean(0)).min() > 1                                              # offset


def test_validation_points_go_through_the_training_points_steps():
    c = prep.cloud(prep.CloudConfig(0.8, seed=0))
    mean = c.train["raw"].mean(0)
    expected = (c.val["raw"] - mean) @ c.rotation / np.sqrt(c.eigenvalues)
    np.testing.assert_allclose(c.val["whitened"], expected, atol=1e-12)
    assert np.abs(c.val["centered"].mean(0)).max() > 1e-3     # not centered on its own mean


@pytest.mark.parametrize("scaling", ["standard", "minmax"])
def test_the_validation_split_is_scaled_with_the_training_statistics(scaling):
    gen = torch.Generator().manual_seed(0)
    x_train = torch.randn(200, 3, generator=gen, dtype=torch.float64) * torch.tensor([1.0, 10.0, 100.0])
    x_val = torch.randn(20, 3, generator=gen, dtype=torch.float64) * 5 + 3
    _, val = prep.transform(x_train, x_val, scaling, "train")
    if scaling == "standard":
        shift, spread = x_train.mean(0), x_train.std(0)
    else:
        shift, spread = x_train.amin(0), x_train.amax(0) - x_train.amin(0)
    torch.testing.assert_close(val, (x_val - shift) / spread)
    _, own = prep.transform(x_train, x_val, scaling, "own")
    assert not torch.allclose(val, own)
    _, leak = prep.transform(x_train, x_val, scaling, "all")
    both = torch.cat([x_train, x_val])
    if scaling == "standard":
        torch.testing.assert_close(leak, (x_val - both.mean(0)) / both.std(0))


def test_bad_input_says_what_is_wrong():
    # the sentences in the suite's language (NNLAB_LANG), as the engine writes them
    with pytest.raises(ValueError) as e:
        prep.cloud(prep.CloudConfig(1.0))
    assert str(e.value) == i18n._("The correlation must be strictly between -1 and 1 (got {value}).").format(
        value=i18n.number(1.0))
    with pytest.raises(ValueError, match="'log'") as e:
        prep.transform(torch.zeros(3, 2), torch.zeros(2, 2), "log")
    assert str(e.value).startswith(i18n._("Unknown scaling {name}; choose one of: {names}.").split("{")[0])
    with pytest.raises(ValueError) as e:
        prep.run(prep.Config(epochs=0))
    assert str(e.value) == i18n._("Epochs must be between 10 and 500 (got {epochs}).").format(epochs=0)


@pytest.fixture(scope="module")
def result():
    return prep.run(prep.Config())


def test_the_runs_and_their_notices(result):
    assert set(result.sources) == set(prep.SOURCES) and set(result.scalings) == set(prep.SCALINGS)
    assert result.scalings["standard"] is result.sources["train"]
    lo, hi = result.scalings["none"].feature_ranges
    assert hi / lo > 1e3                                    # the raw wines' scales differ by orders of magnitude
    assert result.scalings["standard"].feature_ranges == pytest.approx((1.0, 1.0), abs=1e-5)
    for r in [*result.sources.values(), *result.scalings.values()]:
        assert len(r.train_loss) == prep.Config().epochs and np.isfinite(r.final_val_loss)
    for text in (prep.notice_cloud(prep.cloud()), prep.notice_sources(result), prep.notice_scalings(result)):
        assert text and "nan" not in text


def test_progress_covers_every_run():
    seen = []
    prep.run(prep.Config(epochs=10), on_progress=lambda p: seen.append(p.fraction))
    assert seen[-1] == pytest.approx(1.0) and seen == sorted(seen)


def _wine_pair() -> tuple[np.ndarray, np.ndarray]:
    """The two red-wine features of the weight path and the quality, split as nncore.data splits them (seed 0)."""
    from nncore import data as datasets
    wines = datasets.load("red_wine", n_samples=1599, seed=0, standardize=False)
    x = wines.x_train.numpy().astype(np.float64)[:, list(prep.PATH_FEATURES)]
    return x, wines.y_train.numpy().astype(np.float64)[:, 0]


def test_the_weight_path_is_plain_gradient_descent_on_the_least_squares_bowl():
    """torch's SGD path against numpy's w <- w - lr * 2 (Aw - b) from 0, on raw and standardized inputs, each loss
    the MSE of the inputs at those weights; the minimum is numpy's least-squares solution; the learning rate is the fraction of 2 / (sum of the curvatures)."""
    x, y = _wine_pair()
    paths = prep.weight_paths(prep.PathConfig(lr_fraction=0.9, steps=40))
    for key, inputs in (("none", x), ("standard", (x - x.mean(0)) / x.std(0, ddof=1))):
        p = paths[key]
        a, b = inputs.T @ inputs / len(y), inputs.T @ y / len(y)
        assert p.lr == pytest.approx(0.9 * 2 / np.linalg.eigvalsh(2 * a).sum(), rel=1e-9)
        w, ref = np.zeros(2), [np.zeros(2)]
        for _ in range(40):
            w = w - p.lr * 2 * (a @ w - b)
            ref.append(w)
        np.testing.assert_allclose(p.weights, np.array(ref), rtol=1e-9, atol=1e-15)
        np.testing.assert_allclose(p.loss, ((inputs @ np.array(ref).T - y[:, None]) ** 2).mean(0), rtol=1e-9)
        np.testing.assert_allclose(p.minimum, np.linalg.lstsq(inputs, y, rcond=None)[0], rtol=1e-6)


@pytest.mark.parametrize("fraction", [0.5, 0.9, 1.0])
def test_raw_inputs_need_many_more_steps_to_come_near_the_minimum(fraction):
    """At the same fraction of each one's best learning rate (at 1.0, within 1/κ of the largest stable one on raw
    inputs), raw inputs need over 10x the steps; the closed form agrees with the drawn path."""
    paths = prep.weight_paths(prep.PathConfig(lr_fraction=fraction, steps=500))
    raw, std = paths["none"], paths["standard"]
    assert raw.lr > 0.95 * 2 / raw.curvatures[0] if fraction == 1.0 else True
    assert raw.steps_to_target > 10 * std.steps_to_target
    for p in (raw, std):
        distance = np.linalg.norm(p.weights - p.minimum, axis=1)
        reached = np.flatnonzero(distance < prep.TARGET * distance[0])
        assert (reached[0] if len(reached) else np.inf) == (p.steps_to_target if p.steps_to_target <= 500 else np.inf)
    assert np.isfinite(raw.loss).all() and raw.loss[-1] < raw.loss[0]


def test_on_raw_inputs_the_path_zig_zags_and_standardized_it_goes_straight():
    """At the best learning rate, on the way to the target loss, nearly every step on raw inputs turns back from the
    one before; standardized, none does."""
    paths = prep.weight_paths(prep.PathConfig(lr_fraction=1.0, steps=100))
    raw = paths["none"]
    assert prep.turns_back(raw) >= 0.8 * (raw.steps_to_target - 1)
    assert prep.turns_back(paths["standard"]) == 0


def test_the_paths_notice_reads_the_runs_numbers():
    paths = prep.weight_paths()
    notice = prep.notice_paths(paths)
    for p in paths.values():     # as the suite's language writes the numbers (1,234 in en, 1.234 in es)
        assert i18n.number(p.steps_to_target, ",") in notice


def test_the_mean_image_and_the_channel_mean_equal_numpys():
    """AlexNet's per-pixel mean and VGG's per-channel mean (one channel: one number) of the training digits (split as
    nncore.data splits them), in numpy, and each subtraction on validation digits."""
    from nncore import data as datasets
    digits = datasets.load("digits", n_samples=1797, seed=0, standardize=False)
    train, val = digits.x_train.numpy().astype(np.float64), digits.x_val.numpy().astype(np.float64)
    d = prep.digit_means()
    np.testing.assert_allclose(d.mean_image, train.mean(0).reshape(8, 8), rtol=1e-12)
    assert d.channel_mean == pytest.approx(train.mean(), rel=1e-12)
    shown = val[: len(d.examples)].reshape(-1, 8, 8)
    np.testing.assert_array_equal(d.examples, shown)
    np.testing.assert_allclose(d.minus_image, shown - train.mean(0).reshape(8, 8), atol=1e-12)
    np.testing.assert_allclose(d.minus_channel, shown - train.mean(), atol=1e-12)
    centered = train - train.mean(0)                       # per pixel: every pixel's training mean is 0
    np.testing.assert_allclose(centered.mean(0), 0, atol=1e-12)
    np.testing.assert_allclose(d.left_by_channel, (train - train.mean()).mean(0).reshape(8, 8), atol=1e-12)
    assert d.left_by_channel.min() < -1 < 1 < d.left_by_channel.max()   # the channel mean leaves the pattern


def test_the_digits_notice_reads_the_means():
    d = prep.digit_means()
    notice = prep.notice_digits(d)
    assert i18n.number(d.channel_mean, ".2f") in notice and i18n.number(d.mean_image.max(), ".2f") in notice
