"""Data assessment: does the blind set look like the training set? (000 "Data Assessment")

000 compares each feature's histogram in the training set and in a "blind" set, before and after normalization.
Here the blind set is cut from 004's red wines by a rule the student picks: the wines above (or below) a quantile of
one feature, or a random sample of the same size. Each feature gets a shift score, the two-sample
Kolmogorov-Smirnov statistic: the largest gap between the two empirical CDFs (0: same distribution, 1: disjoint).
Standardizing with the training statistics (003's rule) is monotonic, so it leaves the score unchanged: it moves
both histograms together and hides nothing. Standardizing each set with its own statistics does hide a shift of
mean and scale, which is why a blind set must never be normalized with its own statistics.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from nncore.data import ASSETS, DATASETS
from nncore.params import Preset, param, validate
from nncore.progress import OnProgress

WINES = ASSETS / "red_wine.csv"
FEATURES = tuple(WINES.open().readline().strip().split(",")[:-1])   # the 11 inputs, as the csv heads them
MIN_WINES = 5       # per set: fewer makes a histogram and a CDF meaningless


@dataclass(frozen=True)
class Choice:
    """A named option of a control."""

    label: str


FEATURE_CHOICES = {name.replace(" ", "_"): Choice(name) for name in FEATURES}
RULES = {"above": Choice("wines above the threshold"), "below": Choice("wines below the threshold"),
         "random": Choice("a random sample of the same size (no shift)")}


@dataclass(frozen=True)
class Config:
    """How the blind set is cut from the red wines, and the histograms' bins."""

    feature: str = param("alcohol", choices=FEATURE_CHOICES, label="Feature that defines the blind set")
    rule: str = param("above", choices=RULES, label="Blind set")
    quantile: float = param(0.75, 0.0, 1.0, step=0.05, label="Threshold (quantile of the feature)",
                            help="0.75: the threshold is the value three quarters of the wines lie below.")
    bins: int = param(20, 5, 60, label="Histogram bins")
    seed: int = param(0, 0, 2**31 - 1, label="Seed")


@dataclass(frozen=True)
class Result:
    """Per-feature shift scores and histograms (rows in FEATURES order) of the training and the blind set."""

    config: Config
    features: tuple[str, ...]
    threshold: float              # the cut in the feature's units
    n_train: int
    n_blind: int
    ks: np.ndarray                # (features,) KS statistic, raw = standardized with the training statistics
    ks_own: np.ndarray            # (features,) KS after standardizing each set with its own statistics
    mean_shift: np.ndarray        # (features,) (blind mean - train mean) / train std
    critical: float               # the KS statistic above which the sets differ at the 5% level (asymptotic)
    edges: np.ndarray             # (features, bins + 1) raw units
    train_hist: np.ndarray        # (features, bins) density
    blind_hist: np.ndarray        # (features, bins) density
    train_mean: np.ndarray        # (features,) the statistics that standardize both sets
    train_std: np.ndarray


PRESETS = {
    "High-alcohol blind set": Preset(
        Config(), "The blind set is the top quarter of the wines by alcohol: which features shift with it?", "000 'Data Assessment'"),
    "Random split": Preset(
        Config(rule="random"), "A random sample of the same size: every score stays near 0, below the 5% line.",
        "000 'Data Assessment'"),
    "Sweet wines": Preset(
        Config(feature="residual_sugar", quantile=0.9),
        "The sweetest tenth: residual sugar scores 1, and the next feature (density: sugar makes wine denser) less "
        "than half of that: this shift sits mostly in one column.", "000 'Data Assessment'"),
}


def ks_statistic(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The two-sample Kolmogorov-Smirnov statistic of each column: max |F_a(v) - F_b(v)| over the pooled values v
    (scipy.stats.ks_2samp's statistic), vectorized over columns."""
    a, b = np.sort(np.asarray(a, float), axis=0), np.sort(np.asarray(b, float), axis=0)
    pooled = np.concatenate([a, b])
    cdf = lambda s: np.stack([np.searchsorted(s[:, j], pooled[:, j], side="right") for j in range(s.shape[1])], 1)
    return np.abs(cdf(a) / len(a) - cdf(b) / len(b)).max(axis=0)


def _wines(seed: int) -> np.ndarray:
    """All 1,599 red wines' 11 inputs, in an order shuffled by the seed."""
    gen = torch.Generator().manual_seed(seed)
    x, _ = DATASETS["red_wine"].make(DATASETS["red_wine"].max_samples, 0.0, gen)
    return x.double().numpy()


def blind_mask(cfg: Config, x: np.ndarray) -> tuple[np.ndarray, float]:
    """Which wines form the blind set, and the threshold in the feature's units; ValueError if a set is too small.

    "random" takes as many wines as "above" would, from the seed's shuffled order: the same size without a shift."""
    j = list(FEATURE_CHOICES).index(cfg.feature)
    threshold = float(np.quantile(x[:, j], cfg.quantile))
    mask = x[:, j] < threshold if cfg.rule == "below" else x[:, j] > threshold
    if cfg.rule == "random":
        mask = np.arange(len(x)) < mask.sum()
    n_blind = int(mask.sum())
    if min(n_blind, len(x) - n_blind) < MIN_WINES:
        side = "below" if cfg.rule == "below" else "above"
        which = "blind" if n_blind < MIN_WINES else "training"
        move = "down" if (which == "blind") == (side == "above") else "up"
        raise ValueError(f"Only {min(n_blind, len(x) - n_blind)} of the {len(x):,} wines would be in the {which} set "
                         f"({FEATURES[j]} {side} {threshold:g}, its {cfg.quantile:.2f} quantile); each set needs at "
                         f"least {MIN_WINES}: move the threshold {move}.")
    return mask, threshold


def _histograms(train: np.ndarray, blind: np.ndarray, bins: int) -> tuple[np.ndarray, ...]:
    """Per feature: shared bin edges over both sets, and each set's density (areas 1, so unequal sizes compare)."""
    lo, hi = np.minimum(train.min(0), blind.min(0)), np.maximum(train.max(0), blind.max(0))
    hi = np.where(hi > lo, hi, lo + 1.0)
    edges = np.linspace(lo, hi, bins + 1).T
    density = lambda s: np.stack([np.histogram(s[:, j], edges[j], density=True)[0] for j in range(s.shape[1])])
    return edges, density(train), density(blind)


def run(cfg: Config, on_progress: OnProgress | None = None) -> Result:
    """Cut the blind set, then score and bin every feature in both sets."""
    validate(cfg)
    x = _wines(cfg.seed)
    mask, threshold = blind_mask(cfg, x)
    train, blind = x[~mask], x[mask]
    mean, std = train.mean(0), train.std(0, ddof=1)
    own = lambda s: (s - s.mean(0)) / s.std(0, ddof=1)
    n, m = len(train), len(blind)
    edges, train_hist, blind_hist = _histograms(train, blind, cfg.bins)
    return Result(cfg, FEATURES, threshold, n, m, ks_statistic(train, blind), ks_statistic(own(train), own(blind)),
                  (blind.mean(0) - mean) / std, float(1.358 * np.sqrt((n + m) / (n * m))), edges, train_hist,
                  blind_hist, mean, std)


def notice_scores(r: Result) -> str:
    """Which features shifted most, by the run's own scores, and what standardizing does to the scores."""
    order = np.argsort(-r.ks)
    shifted = [i for i in order if r.ks[i] > r.critical]
    top = ", ".join(f"{r.features[i]} ({r.ks[i]:.2f})" for i in order[:3])
    cut = (f"a random {r.n_blind:,} of the wines" if r.config.rule == "random" else
           f"the {r.n_blind:,} wines with {FEATURE_CHOICES[r.config.feature].label} {r.config.rule} {r.threshold:g}")
    head = (f"Blind set: {cut}; training set: the other {r.n_train:,}. The largest shifts: {top}. "
            f"{len(shifted)} of {len(r.features)} features score above {r.critical:.3f}, the 5% line "
            f"(1.358·√((n+m)/(n·m))). ")
    if not shifted:
        return head + "The two sets look alike: a model that does well on the training set should do as well here."
    hidden = int(np.argmax(r.ks - r.ks_own))
    first = order[0]
    side = "above" if r.mean_shift[first] > 0 else "below"
    return head + (f"The blind set's mean {r.features[first]} lies {abs(r.mean_shift[first]):.1f} training standard "
                   f"deviations {side} the training mean. Standardizing both sets with the training statistics "
                   f"leaves every score as it is; standardizing each set with its own would lower "
                   f"{r.features[hidden]}'s from {r.ks[hidden]:.2f} to {r.ks_own[hidden]:.2f}: the shift is still "
                   f"there, only hidden.")
