"""Data sets of the lessons: 2D toy sets made with torch from a seed, the 8x8 digits, 004's red wines, a 1D regression set.

`load(name, n_samples=, noise=, val_fraction=, seed=)` returns a `Data` with a train/validation split by the seed,
standardized with statistics of the training part only (003: "statistics from the training set only").
An uploaded CSV (nncore.uploads) is a data set too, named `upload-<sha12>`; `from_csv` reads one in a notebook.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from nncore import uploads
from nncore.i18n import _

ASSETS = Path(__file__).resolve().parent.parent / "assets" / "data"

Maker = Callable[[int, float, torch.Generator], tuple[torch.Tensor, torch.Tensor]]  # (n, noise, gen) -> (x, y)


@dataclass(frozen=True)
class Dataset:
    """A registry entry: how to make the set, and what a lesson needs to show it."""

    label: str
    kind: str                 # "classification" or "regression"
    n_features: int
    n_classes: int            # 0 for regression
    make: Maker
    note: str
    noise: float = 0.2        # default noise
    max_samples: int = 20_000
    image_shape: tuple[int, int] | None = None  # (8, 8) for digits: augmentation shifts and rotates images


def _labels_in_halves(n: int) -> torch.Tensor:
    return torch.cat([torch.zeros(n - n // 2), torch.ones(n // 2)]).long()


def _moons(n: int, noise: float, gen: torch.Generator):
    """scikit-learn's make_moons, in torch: two interleaving half circles."""
    n_out = n - n // 2
    t_out = torch.linspace(0, math.pi, n_out)
    t_in = torch.linspace(0, math.pi, n // 2)
    x = torch.cat([torch.stack([t_out.cos(), t_out.sin()], 1),
                   torch.stack([1 - t_in.cos(), 0.5 - t_in.sin()], 1)])
    return x + noise * torch.randn(x.shape, generator=gen), _labels_in_halves(n)


def _circles(n: int, noise: float, gen: torch.Generator):
    """Two concentric circles (radius 1 and 0.5): not linearly separable."""
    n_out = n - n // 2
    t = torch.cat([torch.linspace(0, 2 * math.pi, n_out + 1)[:-1], torch.linspace(0, 2 * math.pi, n // 2 + 1)[:-1]])
    r = torch.cat([torch.ones(n_out), torch.full((n // 2,), 0.5)])
    x = torch.stack([r * t.cos(), r * t.sin()], 1)
    return x + noise * torch.randn(x.shape, generator=gen), _labels_in_halves(n)


def _spiral(n: int, noise: float, gen: torch.Generator, classes: int = 3):
    """cs231n's spiral: `classes` arms, radius 0..1, angle noise `noise` x 1 rad (the notes use 0.2)."""
    y = torch.arange(n) % classes
    r = torch.linspace(0.0, 1.0, n)[torch.argsort(torch.rand(n, generator=gen))]
    t = y * (2 * math.pi / classes) + 4 * r + noise * torch.randn(n, generator=gen)
    return torch.stack([r * t.sin(), r * t.cos()], 1), y.long()


def _xor(n: int, noise: float, gen: torch.Generator):
    """Uniform points in [-1, 1]^2, labelled by the sign of x1*x2; noise is added to the inputs after labelling."""
    x = torch.rand(n, 2, generator=gen) * 2 - 1
    y = (x[:, 0] * x[:, 1] > 0).long()
    return x + noise * torch.randn(x.shape, generator=gen), y


def _blobs(n: int, noise: float, gen: torch.Generator):
    """Three Gaussian blobs at the corners of a triangle, std = noise (times 2, so 0.2 overlaps a little)."""
    centers = torch.tensor([[0.0, 1.0], [-0.87, -0.5], [0.87, -0.5]])
    y = torch.arange(n) % 3
    return centers[y] + 2 * noise * torch.randn(n, 2, generator=gen), y.long()


def _digits(n: int, noise: float, gen: torch.Generator):
    """The shipped 8x8 digits (assets/data): a random subset of `n` of the 1,797 images; pixel values 0..16."""
    with np.load(ASSETS / "digits_8x8.npz") as f:
        images, target = f["images"], f["target"]
    pick = torch.randperm(len(target), generator=gen)[:n]
    x = torch.from_numpy(images.reshape(len(target), -1).astype(np.float32))[pick]
    return x, torch.from_numpy(target.astype(np.int64))[pick]


def _red_wine(n: int, noise: float, gen: torch.Generator):
    """The shipped red wines (assets/data): a random subset of `n` of the 1,599 rows; 11 inputs, quality 3..8 as y."""
    table = np.loadtxt(ASSETS / "red_wine.csv", delimiter=",", skiprows=1, dtype=np.float32)
    pick = torch.randperm(len(table), generator=gen)[:n]
    rows = torch.from_numpy(table)[pick]
    return rows[:, :-1], rows[:, -1:]


def _sine(n: int, noise: float, gen: torch.Generator):
    """1D regression: y = sin(2x) + noise N(0, 1) x noise, x uniform in [-3, 3]."""
    x = torch.rand(n, 1, generator=gen) * 6 - 3
    return x, torch.sin(2 * x) + noise * torch.randn(n, 1, generator=gen)


DATASETS: dict[str, Dataset] = {
    "moons": Dataset("Two moons", "classification", 2, 2, _moons,
                     "Two interleaving half circles: a curved boundary, noise makes them overlap."),
    "circles": Dataset("Circles", "classification", 2, 2, _circles,
                       "A ring around a disc: no straight line separates them.", noise=0.1),
    "spiral": Dataset("Spiral (3 arms)", "classification", 2, 3, _spiral,
                      "cs231n's spiral: a linear classifier gets ~1/3 right, a small MLP nearly all."),
    "xor": Dataset("XOR", "classification", 2, 2, _xor,
                   "The sign of x₁·x₂: the classic set a single linear layer cannot fit.", noise=0.05),
    "blobs": Dataset("Gaussian blobs", "classification", 2, 3, _blobs,
                     "Three clouds: nearly linearly separable, easy to overfit only with much noise."),
    "digits": Dataset("Handwritten digits 8x8", "classification", 64, 10, _digits,
                      "1,797 real 8x8 images (UCI, shipped in assets/data): 64 inputs, 10 classes.",
                      noise=0.0, max_samples=1797, image_shape=(8, 8)),
    "red_wine": Dataset("Red wine quality (regression)", "regression", 11, 0, _red_wine,
                        "004's red-wine.csv: 1,599 wines, 11 lab measurements, a quality score 3..8 to predict "
                        "(UCI, shipped in assets/data). 004: 'train our model with it and display the loss plot'.",
                        noise=0.0, max_samples=1599),
    "sine": Dataset("Noisy sine (regression)", "regression", 1, 0, _sine,
                    "y = sin(2x) + noise: a regression set where overfitting shows as a wiggly fit.", noise=0.3),
}


@dataclass(frozen=True, eq=False)
class Data:
    """A split, standardized data set. x are float32; y are int64 class indices (classification) or float32 (N, 1)."""

    name: str
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_val: torch.Tensor
    y_val: torch.Tensor
    kind: str
    n_classes: int
    mean: torch.Tensor          # the training-set statistics used to standardize x (per feature, or one for images)
    std: torch.Tensor
    image_shape: tuple[int, int] | None = None

    @property
    def n_features(self) -> int:
        return self.x_train.shape[1]

    @property
    def n_outputs(self) -> int:
        """Output units a model needs: one per class, or one value for regression."""
        return self.n_classes if self.kind == "classification" else self.y_train.shape[1]

    @property
    def is_2d(self) -> bool:
        return self.n_features == 2

    def standardize(self, x: torch.Tensor) -> torch.Tensor:
        """Raw inputs (e.g. a grid over the plane) in the units the model sees."""
        return (x - self.mean) / self.std


def dataset(name: str) -> Dataset:
    """The registry entry of a data set, or of an upload (`upload-<sha12>`, read from this server's uploads)."""
    if name in DATASETS:
        return DATASETS[name]
    if uploads.is_upload(name):
        return _uploaded(uploads.table(name))
    raise ValueError(_("Unknown data set {name}; choose one of: {choices}.").format(name=repr(name),
                                                                                   choices=", ".join(DATASETS)))


def _uploaded(table: uploads.Table) -> Dataset:
    """An upload as a registry entry: `make` draws n of its rows (noise is not used: the data are as given)."""
    def make(n: int, noise: float, gen: torch.Generator):
        pick = torch.randperm(len(table.y), generator=gen)[:n]
        y = torch.from_numpy(table.y)
        if table.kind == "classification":
            y = torch.bucketize(y, torch.tensor(table.classes))    # labels -> class indices 0..C-1
        return torch.from_numpy(table.x)[pick], y[pick] if table.classes else y[pick, None]

    note = (_("Your CSV: {rows:,} rows, {inputs} inputs, {classes} classes.") if table.classes else
            _("Your CSV: {rows:,} rows, {inputs} inputs, a number ({target}) to predict."))
    return Dataset(_("Your data ({name})").format(name=table.name), table.kind, table.x.shape[1], table.n_classes,
                   make, note.format(rows=len(table.y), inputs=table.x.shape[1], classes=table.n_classes,
                                     target=table.columns[-1]), noise=0.0,
                   max_samples=len(table.y))


def load(name: str, n_samples: int = 1000, noise: float | None = None, val_fraction: float = 0.3, seed: int = 0,
         standardize: bool = True) -> Data:
    """Make (or read) the set, split it into train/validation by the seed, standardize with training statistics.

    Images (digits) are standardized with one mean and std over all pixels, so they stay images (and can be
    shifted and rotated); other sets per feature. An upload gives at most its rows.
    """
    entry = dataset(name)
    if uploads.is_upload(name):
        n_samples = min(n_samples, entry.max_samples)
    return _load(name, entry, n_samples, noise, val_fraction, seed, standardize)


def from_csv(source: str | bytes | Path, target: str | int | None = None, n_samples: int | None = None,
             val_fraction: float = 0.3, seed: int = 0, standardize: bool = True) -> Data:
    """A CSV (a path, or its text) as the lessons' Data: checked as an upload is, the target column named or the last,
    all rows or `n_samples` of them, split and standardized like every set."""
    if isinstance(source, Path) or isinstance(source, str) and "\n" not in source:     # a path, not a CSV's text
        source = Path(source).read_bytes()
    table = uploads.parse(source, target)
    entry = _uploaded(table)
    return _load(table.name, entry, n_samples or entry.max_samples, None, val_fraction, seed, standardize)


def _load(name: str, entry: Dataset, n_samples: int, noise: float | None, val_fraction: float, seed: int,
          standardize: bool) -> Data:
    """load() once the entry is known."""
    if not 4 <= n_samples <= entry.max_samples:
        raise ValueError(_("{data} needs between 4 and {most:,} samples (got {n:,}).").format(
            data=entry.label, most=entry.max_samples, n=n_samples))
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(_("The validation fraction must be between 0 and 1 (got {fraction:g}).").format(
            fraction=val_fraction))
    noise = entry.noise if noise is None else noise
    if noise < 0:
        raise ValueError(_("Noise must be 0 or more (got {noise:g}).").format(noise=noise))
    gen = torch.Generator().manual_seed(seed)
    x, y = entry.make(n_samples, noise, gen)
    order = torch.randperm(n_samples, generator=gen)
    n_val = min(max(1, round(n_samples * val_fraction)), n_samples - 2)
    val, train = order[:n_val], order[n_val:]
    x_train, x_val = x[train].float(), x[val].float()
    if standardize:
        if entry.image_shape:
            mean, std = x_train.mean().reshape(1), x_train.std().reshape(1)
        else:
            mean, std = x_train.mean(0), x_train.std(0)
        std = torch.where(std > 0, std, torch.ones_like(std))
    else:
        mean, std = torch.zeros(x.shape[1]), torch.ones(x.shape[1])
    return Data(name, (x_train - mean) / std, y[train], (x_val - mean) / std, y[val], entry.kind, entry.n_classes,
                mean, std, entry.image_shape)


def folds_of(d: Data, k: int, seed: int) -> list[Data]:
    """The data's train/validation split (k = 1), or k folds of all its samples, each validating once, each
    standardized with its own training part's statistics (003: statistics from the training set only)."""
    if k == 1:
        return [d]
    x = torch.cat([d.x_train * d.std + d.mean, d.x_val * d.std + d.mean])    # back to raw units
    y = torch.cat([d.y_train, d.y_val])
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(seed))
    out = []
    for val in torch.tensor_split(order, k):
        train = order[~torch.isin(order, val)]
        xt = x[train]
        mean, std = (xt.mean().reshape(1), xt.std().reshape(1)) if d.image_shape else (xt.mean(0), xt.std(0))
        std = torch.where(std > 0, std, torch.ones_like(std))
        out.append(Data(d.name, (xt - mean) / std, y[train], (x[val] - mean) / std, y[val], d.kind,
                                 d.n_classes, mean, std, d.image_shape))
    return out


def augment_batch(x: torch.Tensor, gen: torch.Generator, image_shape: tuple[int, int] | None = None,
                  jitter: float = 0.1, max_shift: int = 1, max_rotation: float = 15.0) -> torch.Tensor:
    """A randomly perturbed copy of a batch; labels are unchanged by construction (002/001 "Data augmentation").

    Tabular and 2D inputs: add Gaussian noise of std `jitter` (standardized units). Images (rows of
    `image_shape` pixels): shift by a whole number of pixels up to `max_shift` and rotate by up to
    `max_rotation` degrees about the centre, edges repeated (the digits' borders are background).
    """
    if image_shape is None:
        return x + jitter * torch.randn(x.shape, generator=gen) if jitter else x
    h, w = image_shape
    n = x.shape[0]
    angle = (torch.rand(n, generator=gen) * 2 - 1) * math.radians(max_rotation)
    shift = torch.randint(-max_shift, max_shift + 1, (n, 2), generator=gen).float() * torch.tensor([2 / w, 2 / h])
    cos, sin = angle.cos(), angle.sin()
    theta = torch.stack([torch.stack([cos, -sin, -shift[:, 0]], 1), torch.stack([sin, cos, -shift[:, 1]], 1)], 1)
    images = x.reshape(n, 1, h, w)
    grid = torch.nn.functional.affine_grid(theta, list(images.shape), align_corners=False)
    out = torch.nn.functional.grid_sample(images, grid, mode="bilinear", padding_mode="border", align_corners=False)
    return out.reshape(n, h * w)
