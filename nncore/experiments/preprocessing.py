"""Preprocessing: 003's 2-D cloud zero-centered, normalized, PCA-decorrelated and whitened, with its covariance at
each step; statistics from the training split only (003) against the leak and against per-split statistics; and
the same red-wine model on raw, min-max scaled (004) and standardized features."""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch

from nncore import data as datasets
from nncore import models, training
from nncore.params import param
from nncore.progress import OnProgress, report

__all__ = ["Config", "CloudConfig", "Result", "Cloud", "Run", "run", "cloud", "statistics", "transform", "STEPS",
           "SCALINGS", "SOURCES", "notice_cloud", "notice_sources", "notice_scalings"]

# 003's figure, left to right: each step is the one before it plus one operation
STEPS = {"raw": "Original data", "centered": "Zero-centered", "normalized": "Normalized",
         "decorrelated": "Decorrelated (PCA)", "whitened": "Whitened"}
SCALINGS = {"none": "raw features", "minmax": "min-max scaled to [0, 1] (004)", "standard": "standardized"}
SOURCES = {"train": "training split's statistics (003's rule)", "all": "statistics of all the data (the leak)",
           "own": "each split its own statistics"}


@dataclass(frozen=True)
class CloudConfig:
    """003's 2-D cloud: how correlated its two features are, and the seed of its points."""

    correlation: float = param(0.8, -0.95, 0.95, step=0.05, label="Correlation of the cloud")
    seed: int = param(0, 0, 2**31 - 1, label="Seed of the cloud")


@dataclass(frozen=True)
class Config:
    """The red-wine runs: the seed (split, weights, batches), the validation split's size, the epochs."""

    seed: int = param(0, 0, 2**31 - 1, label="Seed")
    val_fraction: float = param(0.05, 0.02, 0.5, step=0.01, label="Validation fraction (red wine)",
                                help="A small validation split makes its own statistics far from the training split's.")
    epochs: int = param(60, 10, 500, label="Epochs (red wine)")


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
        raise ValueError(f"The correlation must be strictly between -1 and 1 (got {correlation:g}).")
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
        raise ValueError(f"Unknown scaling {scaling!r}; choose one of: {', '.join(SCALINGS)}.")
    if source not in SOURCES:
        raise ValueError(f"Unknown source of statistics {source!r}; choose one of: {', '.join(SOURCES)}.")
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


def _check(cfg: Config) -> None:
    if not 10 <= cfg.epochs <= 500:
        raise ValueError(f"Epochs must be between 10 and 500 (got {cfg.epochs}).")
    if not 0.02 <= cfg.val_fraction <= 0.5:
        raise ValueError(f"The validation fraction must be between 0.02 and 0.5 (got {cfg.val_fraction:g}).")


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    """Five red-wine runs: standardized with each source of statistics, raw and min-max scaled."""
    _check(cfg)
    raw = datasets.load("red_wine", n_samples=1599, val_fraction=cfg.val_fraction, seed=cfg.seed, standardize=False)
    plan = [("standard", s) for s in SOURCES] + [("none", "train"), ("minmax", "train")]
    runs: dict[tuple[str, str], Run] = {}
    for i, (scaling, source) in enumerate(plan):
        def step(p, i=i, label=f"{SCALINGS[scaling]}, {SOURCES[source]}"):
            return report(on_progress, i * cfg.epochs + p.done, len(plan) * cfg.epochs, f"Red wine: {label}")
        runs[scaling, source] = _train(raw, scaling, source, cfg, step)
    return Result(cfg, {s: runs["standard", s] for s in SOURCES},
                  {k: runs[k, "train"] for k in SCALINGS})


def notice_cloud(c: Cloud) -> str:
    """What each step did to the covariance, read from this cloud."""
    cov = c.cov
    corr = cov["normalized"][0, 1]
    return (f"Centering moves the mean to 0 and leaves the covariance as it was ({cov['raw'][0, 0]:.2f} and "
            f"{cov['raw'][1, 1]:.2f} on the diagonal). Normalizing makes both variances 1 but keeps the correlation "
            f"({corr:.2f} off the diagonal). PCA rotates onto the principal axes: the off-diagonal becomes "
            f"{abs(cov['decorrelated'][0, 1]):.0e}, the variances are the eigenvalues {c.eigenvalues[0]:.2f} and "
            f"{c.eigenvalues[1]:.2f}. Whitening divides each axis by its std: the covariance is the identity. "
            "The validation points (hollow) go through the same steps with the training points' statistics.")


def notice_sources(r: Result) -> str:
    """The three ways to get the statistics, by their validation MSE in this run."""
    runs = r.sources
    n_val = max(1, round(1599 * r.config.val_fraction))
    parts = [f"{SOURCES[s]}: {runs[s].final_val_loss:.3f}" for s in SOURCES]
    gap = runs["own"].final_val_loss - runs["train"].final_val_loss
    leak = runs["all"].final_val_loss - runs["train"].final_val_loss
    size = "small here" if abs(leak) < 0.01 else "not small here"
    return (f"Validation MSE on {n_val} wines with the " + "; ".join(parts) + f". Each split on its own statistics "
            f"moves the validation MSE by {gap:+.3f}: its {n_val} wines were shifted and stretched differently from "
            f"the wines the net learned on, so the same reading means a different input. The leak moves it by "
            f"{leak:+.3f} ({size}), and whatever its size, the validation wines helped choose the preprocessing, "
            "so the score is no longer one on unseen data (003).")


def notice_scalings(r: Result) -> str:
    """Raw vs min-max vs standardized: where each run's curves end, and the features' spreads."""
    raw = r.scalings["none"]
    lo, hi = raw.feature_ranges
    ends = "; ".join(f"{SCALINGS[k]} {v.final_val_loss:.3f}" if not v.diverged_at else f"{SCALINGS[k]} diverged"
                     for k, v in r.scalings.items())
    return (f"The raw features' standard deviations run from {lo:.3g} to {hi:.3g}: {math.log10(hi / lo):.1f} orders "
            f"of magnitude. The same net, the same Adam steps: validation MSE after {r.config.epochs} epochs, "
            f"{ends}.")
