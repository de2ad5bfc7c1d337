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
from nncore.i18n import N_, _, number
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

    feature: str = param("alcohol", choices=FEATURE_CHOICES, label=N_("Feature that defines the blind set"))
    rule: str = param("above", choices=RULES, label=N_("Blind set"))
    quantile: float = param(0.75, 0.0, 1.0, step=0.05, label=N_("Threshold (quantile of the feature)"),
                            help=N_("0.75: the threshold is the value three quarters of the wines lie below."))
    bins: int = param(20, 5, 60, label=N_("Histogram bins"))
    seed: int = param(0, 0, 2**31 - 1, label=N_("Seed"))


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
    N_("High-alcohol blind set"): Preset(
        Config(), N_("The blind set is the top quarter of the wines by alcohol: which features shift with it?"),
        "000 'Data Assessment'"),
    N_("Random split"): Preset(
        Config(rule="random"), N_("A random sample of the same size: every score stays near 0, below the 5% line."),
        "000 'Data Assessment'"),
    N_("Sweet wines"): Preset(
        Config(feature="residual_sugar", quantile=0.9),
        N_("The sweetest tenth: residual sugar scores 1, and the next feature (density: sugar makes wine denser) less "
           "than half of that: this shift sits mostly in one column."), "000 'Data Assessment'"),
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
    x, _y = DATASETS["red_wine"].make(DATASETS["red_wine"].max_samples, 0.0, gen)
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
        raise ValueError(_(_TOO_FEW[which, side]).format(
            n=min(n_blind, len(x) - n_blind), total=number(len(x), ","), feature=FEATURES[j],
            threshold=number(threshold), quantile=number(cfg.quantile, ".2f"), least=MIN_WINES))
    return mask, threshold


# (the set that would be too small, the side of the cut) -> the sentence; the threshold moves away from the small set
_TOO_FEW = {
    ("blind", "above"): N_("Only {n} of the {total} wines would be in the blind set ({feature} above {threshold}, its "
                           "{quantile} quantile); each set needs at least {least}: move the threshold down."),
    ("blind", "below"): N_("Only {n} of the {total} wines would be in the blind set ({feature} below {threshold}, its "
                           "{quantile} quantile); each set needs at least {least}: move the threshold up."),
    ("training", "above"): N_("Only {n} of the {total} wines would be in the training set ({feature} above "
                              "{threshold}, its {quantile} quantile); each set needs at least {least}: move the "
                              "threshold up."),
    ("training", "below"): N_("Only {n} of the {total} wines would be in the training set ({feature} below "
                              "{threshold}, its {quantile} quantile); each set needs at least {least}: move the "
                              "threshold down."),
}


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
    top = ", ".join(f"{r.features[i]} ({number(r.ks[i], '.2f')})" for i in order[:3])
    label, n_blind = FEATURE_CHOICES[r.config.feature].label, number(r.n_blind, ",")
    if r.config.rule == "random":
        cut = _("a random {n} of the wines").format(n=n_blind)
    elif r.config.rule == "above":
        cut = _("the {n} wines with {feature} above {threshold}").format(n=n_blind, feature=label,
                                                                          threshold=number(r.threshold))
    else:
        cut = _("the {n} wines with {feature} below {threshold}").format(n=n_blind, feature=label,
                                                                          threshold=number(r.threshold))
    head = _("Blind set: {cut}; training set: the other {n_train}. The largest shifts: {top}. {shifted} of {total} "
             "features score above {critical}, the 5% line (1.358·√((n+m)/(n·m))).").format(
        cut=cut, n_train=number(r.n_train, ","), top=top, shifted=len(shifted), total=len(r.features),
        critical=number(r.critical, ".3f"))
    if not shifted:
        return head + " " + _("The two sets look alike: a model that does well on the training set should do as well "
                              "here.")
    hidden = int(np.argmax(r.ks - r.ks_own))
    first = order[0]
    if r.mean_shift[first] > 0:
        tail = _("The blind set's mean {feature} lies {sd} training standard deviations above the training mean. "
                 "Standardizing both sets with the training statistics leaves every score as it is; standardizing "
                 "each set with its own would lower {hidden}'s from {ks} to {ks_own}: the shift is still there, only "
                 "hidden.")
    else:
        tail = _("The blind set's mean {feature} lies {sd} training standard deviations below the training mean. "
                 "Standardizing both sets with the training statistics leaves every score as it is; standardizing "
                 "each set with its own would lower {hidden}'s from {ks} to {ks_own}: the shift is still there, only "
                 "hidden.")
    return head + " " + tail.format(feature=r.features[first], sd=number(abs(r.mean_shift[first]), ".1f"),
                                    hidden=r.features[hidden], ks=number(r.ks[hidden], ".2f"),
                                    ks_own=number(r.ks_own[hidden], ".2f"))
