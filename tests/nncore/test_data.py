"""nncore.data: deterministic by seed, split sizes, standardization with training statistics only, augmentation,
k-fold splits; the shipped red-wine file against the UCI figures."""
import numpy as np
import pytest
import torch

from nncore import data
from tests.pages.helpers import tr


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
    needs = tr("{data} needs between 4 and {most:,} samples (got {n:,}).")
    with pytest.raises(ValueError) as err:
        data.load("digits", 5000)
    assert str(err.value) == needs.format(data="Handwritten digits 8x8", most=1797, n=5000)
    with pytest.raises(ValueError) as err:
        data.load("wine")
    assert str(err.value) == tr("Unknown data set {name}; choose one of: {choices}.").format(
        name="'wine'", choices=", ".join(data.DATASETS))
    with pytest.raises(ValueError) as err:
        data.load("moons", 100, noise=-1)
    assert str(err.value) == tr("Noise must be 0 or more (got {noise:g}).").format(noise=-1)


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


# Column means of UCI's winequality-red.csv (Cortez et al. 2009), as published with the data set.
UCI_RED_WINE_MEANS = {
    "fixed acidity": 8.319637, "volatile acidity": 0.527821, "citric acid": 0.270976, "residual sugar": 2.538806,
    "chlorides": 0.087467, "free sulfur dioxide": 15.874922, "total sulfur dioxide": 46.467792, "density": 0.996747,
    "pH": 3.311113, "sulphates": 0.658149, "alcohol": 10.422983, "quality": 5.636023,
}


def read_red_wine():
    path = data.ASSETS / "red_wine.csv"
    header = path.read_text().splitlines()[0].split(",")
    return header, np.loadtxt(path, delimiter=",", skiprows=1)


def test_shipped_red_wine_file_is_the_uci_set():
    header, table = read_red_wine()
    assert header == list(UCI_RED_WINE_MEANS) and table.shape == (1599, 12)
    np.testing.assert_allclose(table.mean(0), list(UCI_RED_WINE_MEANS.values()), rtol=0, atol=5e-6)
    quality = table[:, -1]
    assert set(quality) == {3, 4, 5, 6, 7, 8} and (quality == 6).sum() == 638 and (quality == 5).sum() == 681


def test_red_wine_loads_the_lectures_split_standardized_with_training_statistics():
    d = data.load("red_wine", 1599, val_fraction=0.3, seed=0)
    raw = data.load("red_wine", 1599, val_fraction=0.3, seed=0, standardize=False)
    assert (d.kind, d.n_features, d.n_outputs) == ("regression", 11, 1)
    assert d.x_train.shape == (1119, 11) and d.x_val.shape == (480, 11)        # 004's 1,119 training rows
    assert d.y_train.shape == (1119, 1) and d.y_train.dtype == torch.float32
    _, table = read_red_wine()
    rows = torch.cat([torch.cat([raw.x_train, raw.y_train], 1), torch.cat([raw.x_val, raw.y_val], 1)]).double()
    np.testing.assert_allclose(np.sort(rows.numpy(), 0), np.sort(table, 0), rtol=1e-6)  # every wine, once
    torch.testing.assert_close(d.mean, raw.x_train.mean(0))                    # training rows only ...
    assert not torch.allclose(d.mean, torch.cat([raw.x_train, raw.x_val]).mean(0), rtol=1e-4, atol=0)
    torch.testing.assert_close(d.x_train.mean(0), torch.zeros(11), atol=1e-4, rtol=0)
    torch.testing.assert_close(d.x_train.std(0), torch.ones(11), atol=1e-4, rtol=0)
    torch.testing.assert_close(d.x_val, (raw.x_val - d.mean) / d.std)          # ... reused for validation
    torch.testing.assert_close(d.y_val, raw.y_val)                              # the quality itself, unscaled


def test_red_wine_subsets_are_random_rows_by_seed():
    a, b = data.load("red_wine", 300, seed=1, standardize=False), data.load("red_wine", 300, seed=2, standardize=False)
    _, table = read_red_wine()
    known = {tuple(row) for row in table.astype(np.float32)}
    for d in (a, b):
        rows = torch.cat([torch.cat([d.x_train, d.y_train], 1), torch.cat([d.x_val, d.y_val], 1)]).numpy()
        assert len(rows) == 300 and all(tuple(row) in known for row in rows)
    assert not torch.equal(a.x_train, b.x_train)
    with pytest.raises(ValueError) as err:
        data.load("red_wine", 1600)
    assert str(err.value) == tr("{data} needs between 4 and {most:,} samples (got {n:,}).").format(
        data="Red wine quality (regression)", most=1599, n=1600)


def test_k_fold_validates_every_sample_once_with_training_statistics_per_fold():
    d = data.load("digits", n_samples=100, seed=0)
    folds = data.folds_of(d, 5, seed=0)
    raw = torch.cat([d.x_train, d.x_val]) * d.std + d.mean
    val_rows = torch.cat([f.x_val * f.std + f.mean for f in folds])
    assert len(val_rows) == 100 and sorted(map(len, (f.y_val for f in folds))) == [20] * 5
    # the validated rows, back in raw units, are each sample once
    assert torch.equal(torch.sort(val_rows.sum(1)).values.round(decimals=2),
                       torch.sort(raw.sum(1)).values.round(decimals=2))
    for f in folds:
        assert abs(float(f.x_train.mean())) < 1e-4 and abs(float(f.x_train.std()) - 1) < 1e-4
        assert len(f.x_train) + len(f.x_val) == 100
    assert data.folds_of(d, 1, 0) == [d]
