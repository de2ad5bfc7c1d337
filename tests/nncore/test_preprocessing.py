"""The preprocessing engine: 003's whitening gives identity covariance, the PCA rotation is orthogonal, the validation
split is scaled with the training split's statistics, and the red-wine runs compare what they say they compare."""
from __future__ import annotations

import numpy as np
import pytest
import torch

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
    with pytest.raises(ValueError, match="correlation"):
        prep.cloud(prep.CloudConfig(1.0))
    with pytest.raises(ValueError, match="scaling"):
        prep.transform(torch.zeros(3, 2), torch.zeros(2, 2), "log")
    with pytest.raises(ValueError, match="Epochs"):
        prep.run(prep.Config(epochs=0))


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
