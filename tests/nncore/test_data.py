"""nncore.data: deterministic by seed, split sizes, standardization with training statistics only, augmentation."""
import pytest
import torch

from nncore import data


@pytest.mark.parametrize("name", list(data.DATASETS))
def test_every_set_is_deterministic_by_seed_and_split(name):
    a, b = data.load(name, 200, seed=3), data.load(name, 200, seed=3)
    c = data.load(name, 200, seed=4)
    assert torch.equal(a.x_train, b.x_train) and torch.equal(a.y_val, b.y_val)
    assert not torch.equal(a.x_train, c.x_train)
    assert len(a.x_train) + len(a.x_val) == 200 and len(a.x_val) == 60
    assert a.x_train.dtype == torch.float32 and a.x_train.shape[1] == data.DATASETS[name].n_features
    if a.kind == "classification":
        assert a.y_train.dtype == torch.int64 and int(a.y_train.max()) < a.n_classes
    else:
        assert a.y_train.shape == (len(a.x_train), 1)


def test_standardization_uses_training_statistics_only():
    d = data.load("moons", 500, noise=0.3, seed=1)
    raw = data.load("moons", 500, noise=0.3, seed=1, standardize=False)
    torch.testing.assert_close(d.x_train.mean(0), torch.zeros(2), atol=1e-5, rtol=0)
    torch.testing.assert_close(d.x_train.std(0), torch.ones(2), atol=1e-5, rtol=0)
    torch.testing.assert_close(d.mean, raw.x_train.mean(0))            # the train part's mean, not the whole set's
    assert not torch.allclose(d.mean, torch.cat([raw.x_train, raw.x_val]).mean(0), atol=1e-4)
    torch.testing.assert_close(d.x_val, (raw.x_val - d.mean) / d.std)  # validation reuses them
    assert d.x_val.mean(0).abs().max() > 1e-4                            # so its mean is not exactly 0


def test_digits_are_the_real_images_standardized_as_images():
    d = data.load("digits", 1797, seed=0)
    assert d.mean.shape == (1,) and d.image_shape == (8, 8)
    raw = data.load("digits", 1797, seed=0, standardize=False)
    assert raw.x_train.min() == 0 and raw.x_train.max() == 16
    assert sorted(torch.cat([raw.y_train, raw.y_val]).bincount().tolist())[0] >= 170   # ~180 of each digit


def test_bad_requests_say_why():
    with pytest.raises(ValueError, match="between 4 and 1,797"):
        data.load("digits", 5000)
    with pytest.raises(ValueError, match="Unknown data set"):
        data.load("wine")
    with pytest.raises(ValueError, match="Noise"):
        data.load("moons", 100, noise=-1)


def test_augmentation_changes_inputs_not_labels():
    gen = torch.Generator().manual_seed(0)
    d = data.load("digits", 300, seed=0)
    x = d.x_train[:50]
    shifted = data.augment_batch(x, gen, d.image_shape, max_shift=1, max_rotation=0.0)
    assert shifted.shape == x.shape and not torch.equal(shifted, x)
    # Whole-pixel shifts without rotation move pixels: each row is its original shifted by at most one pixel.
    img, out = x.reshape(-1, 8, 8), shifted.reshape(-1, 8, 8)
    inner = out[:, 1:-1, 1:-1]
    best = torch.stack([(inner - img[:, 1 + dy:7 + dy, 1 + dx:7 + dx]).abs().amax((1, 2))
                        for dy in (-1, 0, 1) for dx in (-1, 0, 1)]).amin(0)
    assert best.max() < 1e-4
    jittered = data.augment_batch(data.load("moons", 100).x_train, gen, None, jitter=0.1)
    assert 0.05 < (jittered - data.load("moons", 100).x_train).std() < 0.15
