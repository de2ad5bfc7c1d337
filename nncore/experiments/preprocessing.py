"""Preprocessing: 003's 2-D cloud zero-centered, normalized, PCA-decorrelated and whitened, with its covariance at
each step; statistics from the training split only (003) against the leak and against per-split statistics; and
the same red-wine model on raw, min-max scaled (004) and standardized features; the weight path of a two-weight
model on two red-wine features whose scales differ by orders of magnitude, raw and standardized; and the digits
centered by their mean image (AlexNet) or by one mean per channel (VGG)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch

from nncore import data as datasets
from nncore import models, training
from nncore.i18n import N_, _, number
from nncore.params import param, validate
from nncore.progress import OnProgress, report

__all__ = ["Config", "CloudConfig", "PathConfig", "Result", "Cloud", "Run", "Path", "run", "cloud", "weight_paths",
           "steps_to_reach", "turns_back", "statistics", "transform", "STEPS", "SCALINGS", "SOURCES", "PATH_FEATURES", "PATH_NAMES",
           "Digits", "digit_means", "notice_cloud", "notice_sources", "notice_scalings", "notice_paths",
           "notice_digits"]

# 003's figure, left to right: each step is the one before it plus one operation
# (the names are translated where they are shown: _(STEPS[step]))
STEPS = {"raw": N_("Original data"), "centered": N_("Zero-centered"), "normalized": N_("Normalized"),
         "decorrelated": N_("Decorrelated (PCA)"), "whitened": N_("Whitened")}
SCALINGS = {"none": N_("raw features"), "minmax": N_("min-max scaled to [0, 1] (004)"), "standard": N_("standardized")}
SOURCES = {"train": N_("training split's statistics (003's rule)"), "all": N_("statistics of all the data (the leak)"),
           "own": N_("each split its own statistics")}


@dataclass(frozen=True)
class CloudConfig:
    """003's 2-D cloud: how correlated its two features are, and the seed of its points."""

    correlation: float = param(0.8, -0.95, 0.95, step=0.05, label=N_("Correlation of the cloud"))
    seed: int = param(0, 0, 2**31 - 1, label=N_("Seed of the cloud"))


@dataclass(frozen=True)
class PathConfig:
    """The two-weight model's gradient descent: its learning rate as a fraction of the best constant one, and the
    number of steps drawn."""

    lr_fraction: float = param(1.0, 0.05, 1.0, step=0.05, label=N_("Learning rate (fraction of the best constant one)"),
                               help=N_("2 / (largest + smallest curvature of the loss): the fastest constant step on a "
                                       "bowl; on a narrow valley it is all but the largest stable, 2 / largest."))
    steps: int = param(60, 5, 500, label=N_("Steps of gradient descent"))


@dataclass(frozen=True)
class Config:
    """The red-wine runs: the seed (split, weights, batches), the validation split's size, the epochs."""

    seed: int = param(0, 0, 2**31 - 1, label=N_("Seed"))
    val_fraction: float = param(0.05, 0.02, 0.5, step=0.01, label=N_("Validation fraction (red wine)"),
                                help=N_("A small validation split makes its own statistics far from the training "
                                        "split's."))
    epochs: int = param(60, 10, 500, label=N_("Epochs (red wine)"))


@dataclass(frozen=True, eq=False)
class Cloud:
    """003's steps on one 2-D cloud: the points (training and validation) and the covariance of the training
    points after each step; the PCA rotation (columns: eigenvectors) and its eigenvalues. float64."""

    train: dict[str, np.ndarray]      # step -> (n, 2)
    val: dict[str, np.ndarray]        # step -> (m, 2), transformed with the training split's statistics
    cov: dict[str, np.ndarray]        # step -> (2, 2) covariance of the training points
    rotation: np.ndarray              # (2, 2) orthogonal
    eigenvalues: np.ndarray           # (2,) variances along the principal axes, largest first
    labels: dict[str, str]            # step -> 003's name for it, in order


@dataclass(frozen=True, eq=False)
class Run:
    """One red-wine training: how the features were scaled, with whose statistics, and its curves (MSE)."""

    scaling: str
    source: str
    train_loss: np.ndarray
    val_loss: np.ndarray
    final_val_loss: float
    diverged_at: int | None
    feature_ranges: tuple[float, float]   # smallest and largest spread (std) of a training feature as the net sees it


@dataclass(frozen=True, eq=False)
class Path:
    """Full-batch gradient descent on y = w₁x₁ + w₂x₂ (MSE, no bias) on raw or standardized inputs: the weights and
    loss after each step, the loss on a grid around the path, and how many steps come near the minimum."""

    scaling: str                  # "none" (raw) or "standard"
    weights: np.ndarray           # (steps + 1, 2), from (0, 0)
    loss: np.ndarray              # (steps + 1,)
    minimum: np.ndarray           # (2,) the least-squares weights
    min_loss: float
    curvatures: np.ndarray        # (2,) eigenvalues of the loss's Hessian, largest first
    lr: float                     # lr_fraction x 2 / (sum of the curvatures)
    grid_w1: np.ndarray           # (G,)
    grid_w2: np.ndarray           # (G,)
    grid_loss: np.ndarray         # (G, G), rows along w2
    steps_to_target: int          # steps until the distance to the minimum is below TARGET of the start's


@dataclass(frozen=True, eq=False)
class Digits:
    """The 8x8 digits (pixel values 0..16) centered two ways with training statistics: AlexNet's mean image (one
    mean per pixel) and VGG's per-channel mean (one per colour channel: the digits have one, so one number)."""

    mean_image: np.ndarray        # (8, 8) the training images' mean, pixel by pixel
    channel_mean: float           # the mean of every pixel of every training image
    examples: np.ndarray          # (k, 8, 8) validation images, raw
    minus_image: np.ndarray       # (k, 8, 8) each minus the mean image
    minus_channel: np.ndarray     # (k, 8, 8) each minus the channel mean
    left_by_channel: np.ndarray   # (8, 8) the mean image of the training set after the channel mean is subtracted


@dataclass(frozen=True, eq=False)
class Result:
    config: Config
    sources: dict[str, Run]           # source -> standardized run
    scalings: dict[str, Run]          # scaling -> run with the training split's statistics


def _cov(x: torch.Tensor) -> np.ndarray:
    return torch.cov(x.T).numpy()


@lru_cache(maxsize=64)   # a page asks on every rerun; shared: read it, never change it
def cloud(cfg: CloudConfig = CloudConfig(), n: int = 300, n_val: int = 60) -> Cloud:
    """A correlated, offset, differently scaled cloud through 003's steps; statistics from the training points."""
    correlation, seed = cfg.correlation, cfg.seed
    if not -1.0 < correlation < 1.0:
        raise ValueError(_("The correlation must be strictly between -1 and 1 (got {value}).").format(
            value=number(correlation)))
    gen = torch.Generator().manual_seed(seed)
    scale = torch.tensor([3.0, 0.8], dtype=torch.float64)
    corr = torch.tensor([[1.0, correlation], [correlation, 1.0]], dtype=torch.float64)
    chol = torch.linalg.cholesky(corr * scale[:, None] * scale[None, :])
    points = torch.randn(n + n_val, 2, generator=gen, dtype=torch.float64) @ chol.T + torch.tensor([4.0, -2.0],
                                                                                                    dtype=torch.float64)
    x, v = points[:n], points[n:]
    mean, std = x.mean(0), x.std(0)
    eigenvalues, vectors = torch.linalg.eigh(torch.cov((x - mean).T))
    eigenvalues, vectors = eigenvalues.flip(0), vectors.flip(1)     # largest variance first
    steps = {"raw": lambda z: z, "centered": lambda z: z - mean, "normalized": lambda z: (z - mean) / std,
             "decorrelated": lambda z: (z - mean) @ vectors,
             "whitened": lambda z: (z - mean) @ vectors / eigenvalues.sqrt()}
    train = {k: f(x) for k, f in steps.items()}
    return Cloud({k: t.numpy() for k, t in train.items()}, {k: f(v).numpy() for k, f in steps.items()},
                 {k: _cov(t) for k, t in train.items()}, vectors.numpy(), eigenvalues.numpy(), STEPS)


def statistics(x: torch.Tensor, scaling: str) -> tuple[torch.Tensor, torch.Tensor]:
    """(shift, scale) of each feature: mean and std (standardize), min and max - min (004's min-max), or none."""
    if scaling == "standard":
        shift, spread = x.mean(0), x.std(0)
    elif scaling == "minmax":
        shift, spread = x.amin(0), x.amax(0) - x.amin(0)
    else:
        return torch.zeros(x.shape[1], dtype=x.dtype), torch.ones(x.shape[1], dtype=x.dtype)
    return shift, torch.where(spread > 0, spread, torch.ones_like(spread))


def transform(x_train: torch.Tensor, x_val: torch.Tensor, scaling: str = "standard",
              source: str = "train") -> tuple[torch.Tensor, torch.Tensor]:
    """Both splits scaled with statistics from `source`: the training split (003), all the data, or each its own."""
    if scaling not in SCALINGS:
        raise ValueError(_("Unknown scaling {name}; choose one of: {names}.").format(name=repr(scaling),
                                                                                 names=", ".join(SCALINGS)))
    if source not in SOURCES:
        raise ValueError(_("Unknown source of statistics {name}; choose one of: {names}.").format(
            name=repr(source), names=", ".join(SOURCES)))
    fit = torch.cat([x_train, x_val]) if source == "all" else x_train
    shift, spread = statistics(fit, scaling)
    val_shift, val_spread = statistics(x_val, scaling) if source == "own" else (shift, spread)
    return (x_train - shift) / spread, (x_val - val_shift) / val_spread


def _train(raw: datasets.Data, scaling: str, source: str, cfg: Config, on_progress) -> Run:
    """The same net (one hidden layer of 32 ReLUs, Adam, full batch) on the wines scaled this way."""
    x_train, x_val = transform(raw.x_train, raw.x_val, scaling, source)
    centre = raw.y_train.mean()     # the quality around its training mean: the runs differ in their inputs only
    wines = datasets.Data(raw.name, x_train, raw.y_train - centre, x_val, raw.y_val - centre, raw.kind, raw.n_classes,
                          torch.zeros(raw.n_features), torch.ones(raw.n_features))
    model = models.build(models.MLPSpec(raw.n_features, 1, hidden=(32,)), generator=cfg.seed)
    h = training.train(model, wines, training.TrainSpec(epochs=cfg.epochs, optimizer="adam", lr=0.01),
                       seed=cfg.seed, on_progress=on_progress)
    stds = x_train.std(0)
    return Run(scaling, source, h.train_loss, h.val_loss, h.final_val_loss, h.diverged_at,
               (float(stds.min()), float(stds.max())))


PATH_FEATURES = (1, 7)     # columns of the wine table: volatile acidity (std ~0.18 g/l), density (std ~0.0019 g/cm³)
PATH_NAMES = (N_("volatile acidity"), N_("density"))    # translated where shown
TARGET = 0.05              # "reach the minimum": come within 5% of the start's distance from it
GRID = 61


def _quadratic(x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """MSE(w) = wᵀAw - 2bᵀw + c for the inputs x (n, 2) and targets y (n,): (A, b, c), float64."""
    x, y = x.double(), y.double()
    return x.T @ x / len(x), x.T @ y / len(x), (y @ y) / len(y)


def steps_to_reach(curvatures: np.ndarray, offsets: np.ndarray, lr: float, target: float = TARGET) -> int:
    """Steps of gradient descent until the distance to the minimum falls below `target` of the start's, in closed
    form: along each eigenvector of the Hessian (curvature λ, start's offset e) the offset shrinks by (1 - lr λ) per
    step."""
    excess = lambda k: float((offsets ** 2 * (1 - lr * curvatures) ** (2 * k)).sum())     # squared distance
    goal, hi = target ** 2 * excess(0), 1
    while excess(hi) > goal:
        hi *= 2
    lo = hi // 2
    while hi - lo > 1:    # excess falls monotonically with k, since |1 - lr λ| < 1
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if excess(mid) > goal else (lo, mid)
    return hi if excess(lo) > goal else lo


def _path(x: torch.Tensor, y: torch.Tensor, scaling: str, cfg: PathConfig) -> Path:
    """torch's SGD (full batch) on the MSE of a bias-free 2-input linear model from w = 0, and the loss surface."""
    a, b, c = _quadratic(x, y)
    curv, vectors = torch.linalg.eigh(2 * a)
    curv, vectors = curv.flip(0), vectors.flip(1)
    minimum = torch.linalg.solve(a, b)
    lr = cfg.lr_fraction * 2 / float(curv.sum())
    w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([w], lr=lr)
    weights, losses = [], []
    for _step in range(cfg.steps + 1):     # the MSE as its quadratic form: the same loss, 2 x 2 work per step
        loss = w @ a @ w - 2 * b @ w + c
        weights.append(w.detach().clone())
        losses.append(loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
    w = torch.stack(weights)
    points = torch.cat([w, minimum[None], torch.zeros(1, 2, dtype=w.dtype)])
    lo, hi = points.amin(0), points.amax(0)
    pad = 0.15 * (hi - lo)
    g1, g2 = (torch.linspace(float(lo[i] - pad[i]), float(hi[i] + pad[i]), GRID, dtype=torch.float64) for i in (0, 1))
    grid = torch.stack(torch.meshgrid(g2, g1, indexing="ij")[::-1], -1)        # (G, G, 2): rows along w2
    surface = ((grid @ a) * grid).sum(-1) - 2 * grid @ b + c
    offsets = (torch.zeros(2, dtype=torch.float64) - minimum) @ vectors
    return Path(scaling, w.numpy(), np.asarray(losses), minimum.numpy(), float(c - b @ minimum), curv.numpy(), lr,
                g1.numpy(), g2.numpy(), surface.numpy(), steps_to_reach(curv.numpy(), offsets.numpy(), lr))


def turns_back(p: Path) -> int:
    """How many steps, before the path reaches the target loss, point more than 90° away from the step before."""
    steps = np.diff(p.weights[: p.steps_to_target + 1], axis=0)
    return int(((steps[1:] * steps[:-1]).sum(1) < 0).sum())


@lru_cache(maxsize=64)   # a page asks on every rerun; shared: read it, never change it
def weight_paths(cfg: PathConfig = PathConfig()) -> dict[str, Path]:
    """The two-weight model's path on two red-wine features (PATH_FEATURES), raw and standardized with the training
    split's statistics; the quality centered on its training mean, so that no bias is needed."""
    validate(cfg)
    wines = datasets.load("red_wine", n_samples=1599, seed=0, standardize=False)
    x, y = wines.x_train[:, list(PATH_FEATURES)].double(), wines.y_train[:, 0].double()
    standard, _val = transform(x, x[:1], "standard")
    return {"none": _path(x, y, "none", cfg), "standard": _path(standard, y, "standard", cfg)}


def _check(cfg: Config) -> None:
    if not 10 <= cfg.epochs <= 500:
        raise ValueError(_("Epochs must be between 10 and 500 (got {epochs}).").format(epochs=cfg.epochs))
    if not 0.02 <= cfg.val_fraction <= 0.5:
        raise ValueError(_("The validation fraction must be between 0.02 and 0.5 (got {value}).").format(
            value=number(cfg.val_fraction)))


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    """Five red-wine runs: standardized with each source of statistics, raw and min-max scaled."""
    _check(cfg)
    raw = datasets.load("red_wine", n_samples=1599, val_fraction=cfg.val_fraction, seed=cfg.seed, standardize=False)
    plan = [("standard", s) for s in SOURCES] + [("none", "train"), ("minmax", "train")]
    runs: dict[tuple[str, str], Run] = {}
    for i, (scaling, source) in enumerate(plan):
        def step(p, i=i, scaling=scaling, source=source):
            return report(on_progress, i * cfg.epochs + p.done, len(plan) * cfg.epochs, _(
                "Red wine: {scaling}, {source}").format(scaling=_(SCALINGS[scaling]), source=_(SOURCES[source])))
        runs[scaling, source] = _train(raw, scaling, source, cfg, step)
    return Result(cfg, {s: runs["standard", s] for s in SOURCES},
                  {k: runs[k, "train"] for k in SCALINGS})


def notice_cloud(c: Cloud) -> str:
    """What each step did to the covariance, read from this cloud."""
    cov = c.cov
    return _("Centering moves the mean to 0 and leaves the covariance as it was ({var1} and {var2} on the diagonal). "
             "Normalizing makes both variances 1 but keeps the correlation ({corr} off the diagonal). PCA rotates onto "
             "the principal axes: the off-diagonal becomes {off}, the variances are the eigenvalues {eig1} and {eig2}. "
             "Whitening divides each axis by its std: the covariance is the identity. The validation points (hollow) "
             "go through the same steps with the training points' statistics.").format(
        var1=number(cov["raw"][0, 0], ".2f"), var2=number(cov["raw"][1, 1], ".2f"),
        corr=number(cov["normalized"][0, 1], ".2f"), off=number(abs(cov["decorrelated"][0, 1]), ".0e"),
        eig1=number(c.eigenvalues[0], ".2f"), eig2=number(c.eigenvalues[1], ".2f"))


def notice_sources(r: Result) -> str:
    """The three ways to get the statistics, by their validation MSE in this run."""
    runs = r.sources
    n_val = max(1, round(1599 * r.config.val_fraction))
    parts = "; ".join(_("{source}: {mse}").format(source=_(SOURCES[s]), mse=number(runs[s].final_val_loss, ".3f"))
                      for s in SOURCES)
    gap = runs["own"].final_val_loss - runs["train"].final_val_loss
    leak = runs["all"].final_val_loss - runs["train"].final_val_loss
    first = _("Validation MSE on {n} wines with the {parts}.").format(n=n_val, parts=parts)
    own = _("Each split on its own statistics moves the validation MSE by {gap}: its {n} wines were shifted and "
            "stretched differently from the wines the net learned on, so the same reading means a different "
            "input.").format(gap=number(gap, "+.3f"), n=n_val)
    if abs(leak) < 0.01:
        last = _("The leak moves it by {leak} (small here), and whatever its size, the validation wines helped choose "
                 "the preprocessing, so the score is no longer one on unseen data (003).")
    else:
        last = _("The leak moves it by {leak} (not small here), and whatever its size, the validation wines helped "
                 "choose the preprocessing, so the score is no longer one on unseen data (003).")
    return " ".join([first, own, last.format(leak=number(leak, "+.3f"))])


def notice_scalings(r: Result) -> str:
    """Raw vs min-max vs standardized: where each run's curves end, and the features' spreads."""
    raw = r.scalings["none"]
    lo, hi = raw.feature_ranges
    ends = "; ".join(_("{scaling} {mse}").format(scaling=_(SCALINGS[k]), mse=number(v.final_val_loss, ".3f"))
                     if not v.diverged_at else _("{scaling} diverged").format(scaling=_(SCALINGS[k]))
                     for k, v in r.scalings.items())
    return _("The raw features' standard deviations run from {lo} to {hi}: {orders} orders of magnitude. The same "
             "net, the same Adam steps: validation MSE after {epochs} epochs, {ends}.").format(
        lo=number(lo, ".3g"), hi=number(hi, ".3g"), orders=number(math.log10(hi / lo), ".1f"),
        epochs=r.config.epochs, ends=ends)


def notice_paths(paths: dict[str, Path]) -> str:
    """Steps to the target loss, the curvatures' ratio and the zig-zag, raw against standardized, from the paths."""
    raw, std = paths["none"], paths["standard"]
    flips = {k: turns_back(p) for k, p in paths.items()}
    return _("On raw inputs the loss curves {raw_ratio} times more steeply across the valley than along it; "
             "standardized, {std_ratio} times. At the same fraction of each one's best learning rate, gradient "
             "descent needs {raw_steps} steps on raw inputs to come within {target} of the start's distance from the "
             "minimum, and {std_steps} on standardized ones. On the way there the step turns back (more than 90° "
             "from the one before) {raw_flips} times on raw inputs and {std_flips} times standardized: the step the "
             "steep direction allows is far too small for the flat one, so the path bounces from wall to "
             "wall.").format(
        raw_ratio=number(raw.curvatures[0] / raw.curvatures[1], ",.0f"),
        std_ratio=number(std.curvatures[0] / std.curvatures[1], ".2f"), raw_steps=number(raw.steps_to_target, ","),
        target=number(TARGET, ".0%"), std_steps=number(std.steps_to_target, ","), raw_flips=flips["none"],
        std_flips=flips["standard"])


N_DIGIT_EXAMPLES = 4


@lru_cache(maxsize=1)     # one fixed set: shared, read it, never change it
def digit_means() -> Digits:
    """All 1,797 digits split as nncore.data splits them (seed 0); both means from the training images, applied to
    validation images (003: statistics from the training set only)."""
    digits = datasets.load("digits", n_samples=1797, seed=0, standardize=False)
    x, shown = digits.x_train.double(), digits.x_val[:N_DIGIT_EXAMPLES].double()
    image, channel = x.mean(0), x.mean()
    as_images = lambda t: t.reshape(-1, 8, 8).numpy()
    return Digits(as_images(image)[0], float(channel), as_images(shown), as_images(shown - image),
                  as_images(shown - channel), as_images(image - channel)[0])


def notice_digits(d: Digits) -> str:
    """What each subtraction leaves, read from the digits' means."""
    left = d.left_by_channel
    return _("The mean image runs from {lo} (edge pixels the digits barely touch) to {hi} (the centre strokes). "
             "Subtracting it leaves each pixel with mean 0 over the training images, so what remains is how this digit "
             "differs from the average digit. The digits have one channel, so VGG's per-channel mean is one number, "
             "{channel}: subtracting it shifts every pixel alike and keeps the mean image's pattern, now from "
             "{left_lo} to {left_hi}. With colour photos it is three numbers, one per channel: cheaper to store than "
             "a mean image, and blind to where in the picture a colour usually is.").format(
        lo=number(d.mean_image.min(), ".2f"), hi=number(d.mean_image.max(), ".2f"),
        channel=number(d.channel_mean, ".2f"), left_lo=number(left.min(), ".2f"), left_hi=number(left.max(), ".2f"))
