"""Hyperparameter search: 003's coarse-to-fine random search in log space ("lr = 10^U(-3, 1), reg = 10^U(-6, 0)",
a few epochs per trial, then the refined ranges 10^U(-2, -1) and 10^U(-6, -3)) on a real small task, against a grid
of the same budget; and Bergstra & Bengio's (2012) toy, where one parameter matters and one does not.

Ranges are log10 bounds, as the lecture writes them: `lr_range=(-3.0, 1.0)` is lr = 10^U(-3, 1). Each trial trains
a fresh net with plain SGD at its (lr, reg), reg the L2 penalty, and scores it by validation accuracy; with `folds`
> 1 by the mean over k-fold cross-validation (small data: every sample validates once). `run_batch` trains a slice
of a search's trials exactly as `run` does (the page streams a search as batches, drawing the trials as they finish).
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch

from nncore import data as datasets
from nncore import models, training
from nncore.i18n import N_, _, number
from nncore.params import Each, Preset, param, validate
from nncore.progress import OnProgress, report

STRATEGIES = {"random": "Random search", "grid": "Grid search"}
MAX_BUDGET = 60              # trials per search
MAX_TRIAL_EPOCHS = 600       # trials x folds x epochs: the compute one search may ask for (a 20-trial, 5-epoch
                             # search on the digits is 100; bench/hparam_search.py times it)
LR_LIMITS = (-6.0, 2.0)      # log10 bounds a range may take
REG_LIMITS = (-8.0, 1.0)
BATCH = 5                    # trials per batch when the page streams a search (the scatter redrawn after each)
EDGE = 0.1                   # the best trial lies "at the edge" within this share of its range's width of a bound
HIDDEN = (64,)


@dataclass(frozen=True)
class Config:
    """One search: which strategy, how many trials, the log10 ranges of lr and reg, epochs and folds per trial."""

    strategy: str = param("random", choices=STRATEGIES, label=N_("Strategy"),
                          help=N_("Random: each trial draws lr and reg log-uniformly (003). Grid: a grid in log space "
                                  "with about √budget values per parameter."))
    budget: int = param(20, 1, MAX_BUDGET, label=N_("Trials (budget)"),
                        help=N_("How many nets to train; at most 60."))      # MAX_BUDGET
    lr_range: tuple[float, float] = param((-3.0, 1.0), label="lr = 10^U(lo, hi)", link=Each(("lr_lo", "lr_hi")),
                                          help=N_("log10 bounds of the learning rate (003: 10^U(-3, 1))."))
    reg_range: tuple[float, float] = param((-6.0, 0.0), label="reg = 10^U(lo, hi)",
                                           link=Each(("reg_lo", "reg_hi")),
                                           help=N_("log10 bounds of the L2 penalty (003: 10^U(-6, 0))."))
    epochs: int = param(5, 1, 30, label=N_("Epochs per trial"), help=N_("003: 'a few epochs' for the coarse search."))
    folds: int = param(1, 1, 5, label=N_("Folds (k-fold CV)"),
                       help=N_("1: one train/validation split. k > 1: each trial trains k times, each fold "
                               "validating once; the score is the mean (for small data)."))
    dataset: str = param("digits", choices={k: datasets.DATASETS[k] for k in ("digits", "spiral")}, label=N_("Data"))
    samples: int = param(1797, 60, 1797, label=N_("Samples"),
                         help=N_("Fewer samples: a noisier score, where k-fold helps."))
    seed: int = param(0, 0, 2**31 - 1, label=N_("Seed"))


@dataclass(frozen=True)
class Trial:
    """One trained net: its hyperparameters and validation accuracy (NaN if its loss became inf/NaN)."""

    lr: float
    reg: float
    val_acc: float
    fold_acc: tuple[float, ...]   # per fold (one entry without k-fold)
    diverged: bool


@dataclass(frozen=True)
class Result:
    config: Config
    trials: tuple[Trial, ...]          # in the order they ran
    best: Trial | None                 # highest validation accuracy (None if every trial diverged)
    at_edge: tuple[str, ...]           # "lr low", "reg high", ...: where the best sits at a bound of its range
    refined: tuple[tuple[float, float], tuple[float, float]]   # the next (lr_range, reg_range), around the best

    @property
    def lr(self) -> np.ndarray:
        return np.array([t.lr for t in self.trials])

    @property
    def reg(self) -> np.ndarray:
        return np.array([t.reg for t in self.trials])

    @property
    def val_acc(self) -> np.ndarray:
        return np.array([t.val_acc for t in self.trials])


# --- where the trials go ------------------------------------------------------------------------------------------

def grid_shape(budget: int) -> tuple[int, int]:
    """(lr values, reg values) of a grid of at most `budget` points: 20 -> (5, 4), 10 -> (3, 3)."""
    rows = math.isqrt(budget)
    return budget // rows, rows


def points(strategy: str, budget: int, x_range: tuple[float, float], y_range: tuple[float, float],
           seed: int) -> np.ndarray:
    """(n, 2) exponents: `budget` uniform draws (random), or a grid over both ranges, bounds included."""
    if strategy == "random":
        u = torch.rand(budget, 2, generator=torch.Generator().manual_seed(seed), dtype=torch.float64).numpy()
        lo, hi = np.array([x_range[0], y_range[0]]), np.array([x_range[1], y_range[1]])
        return lo + u * (hi - lo)
    nx, ny = grid_shape(budget)
    xs, ys = np.linspace(*x_range, nx), np.linspace(*y_range, ny)
    return np.array([(x, y) for x in xs for y in ys])


# --- Bergstra & Bengio's toy: one parameter matters -----------------------------------------------------------------

@dataclass(frozen=True)
class Toy:
    """Both strategies on f(x, y) = g(x) + 0.05·h(y) over the unit square: only x (the important one) matters."""

    budget: int
    grid: np.ndarray       # (n, 2) points tried
    random: np.ndarray
    x: np.ndarray          # a fine line over x, and g on it (what a search would like to find)
    g: np.ndarray

    def distinct(self, strategy: str) -> int:
        """How many distinct values of the important parameter the strategy tried."""
        return len(np.unique(np.round(getattr(self, strategy)[:, 0], 12)))

    def best(self, strategy: str) -> float:
        pts = getattr(self, strategy)
        return float(toy_f(pts[:, 0], pts[:, 1]).max())


def toy_f(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """A narrow peak in x near 0.73 (important), a gentle ripple in y (unimportant)."""
    return np.exp(-((x - 0.73) / 0.06) ** 2) + 0.05 * np.sin(3 * y)


@lru_cache(maxsize=32)
def toy(budget: int = 9, seed: int = 0) -> Toy:
    """Grid and random search with the same budget on `toy_f` (B&B 2012, figure 1: 9 trials, 3 vs 9 values of x)."""
    if not 1 <= budget <= MAX_BUDGET:
        raise ValueError(_("The budget must be between 1 and {most} trials (got {budget}).").format(
            most=MAX_BUDGET, budget=budget))
    line = np.linspace(0, 1, 201)
    return Toy(budget, points("grid", budget, (0, 1), (0, 1), seed), points("random", budget, (0, 1), (0, 1), seed),
               line, toy_f(line, np.zeros_like(line)))


# --- the search on a real task ----------------------------------------------------------------------------------

def check(cfg: Config) -> None:
    """Each field in range, the ranges ordered and inside their limits, the compute within MAX_TRIAL_EPOCHS."""
    validate(cfg)
    for name, rng, (lo, hi) in (("lr", cfg.lr_range, LR_LIMITS), ("reg", cfg.reg_range, REG_LIMITS)):
        check_range(name, rng, lo, hi)
    if cfg.samples > datasets.DATASETS[cfg.dataset].max_samples:
        raise ValueError(_("{data} has at most {most} samples (got {samples}).").format(
            data=datasets.DATASETS[cfg.dataset].label, most=number(datasets.DATASETS[cfg.dataset].max_samples, ","),
            samples=number(cfg.samples, ",")))
    work = cfg.budget * cfg.folds * cfg.epochs
    if work > MAX_TRIAL_EPOCHS:
        raise ValueError(_("This search asks for {budget} trials × {folds} folds × {epochs} epochs = {work} training "
                           "epochs; one search may use at most {most}. Use fewer trials, folds or epochs.").format(
            budget=cfg.budget, folds=cfg.folds, epochs=cfg.epochs, work=number(work, ","),
            most=number(MAX_TRIAL_EPOCHS, ",")))


def check_range(name: str, rng: tuple[float, float], lo: float, hi: float) -> None:
    """A log10 range must be two finite numbers, low below high, inside [lo, hi]."""
    if len(rng) != 2 or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in rng):
        raise ValueError(_("The {name} range must be two numbers, the log10 bounds (got {got}).").format(
            name=name, got=repr(rng)))
    a, b = rng
    if a > b:
        raise ValueError(_("The {name} range is reversed: {range} has its low bound above its high one.").format(
            name=name, range=show_range(rng)))
    if a == b:
        raise ValueError(_("The {name} range {range} is empty: give the high bound a larger exponent.").format(
            name=name, range=show_range(rng)))
    if a < lo or b > hi:
        raise ValueError(_("The {name} range must lie within 10^{lo} … 10^{hi} (got {range}).").format(
            name=name, lo=f"{lo:g}", hi=f"{hi:g}", range=show_range(rng)))


def _trial(parts: list[datasets.Data], lr: float, reg: float, cfg: Config, index: int) -> Trial:
    """Train a fresh net on each fold at (lr, reg); its score is the mean validation accuracy."""
    spec = training.TrainSpec(epochs=cfg.epochs, batch_size=64, optimizer="sgd", lr=lr, l2=reg)
    accs, diverged = [], False
    for f, part in enumerate(parts):
        model = models.build(models.MLPSpec(part.n_features, part.n_outputs, hidden=HIDDEN), generator=cfg.seed + f)
        h = training.train(model, part, spec, seed=cfg.seed + 1000 * index + f)
        diverged |= h.diverged_at is not None
        accs.append(float("nan") if h.diverged_at is not None else float(h.final_val_acc))
    return Trial(lr, reg, float(np.mean(accs)), tuple(accs), diverged)


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    """Train one net per trial (per fold), in order; progress after each trial, with the best so far."""
    check(cfg)
    return result(cfg, _trials(cfg, 0, cfg.budget, on_progress))


@dataclass(frozen=True)
class Batch:
    """Trials [start, stop) of a search: the page runs a search as cached batches and draws the trials after each."""

    config: Config
    start: int
    stop: int


def batches(cfg: Config, size: int = BATCH) -> list[Batch]:
    """The search cut into batches of `size` trials, in order (their trials together are run(cfg)'s)."""
    return [Batch(cfg, i, min(i + size, cfg.budget)) for i in range(0, cfg.budget, size)]


def run_batch(b: Batch, on_progress: OnProgress = None) -> tuple[Trial, ...]:
    """The batch's trials, each trained exactly as in the whole search (its index sets its point and its seeds)."""
    check(b.config)
    if not 0 <= b.start < b.stop <= b.config.budget:
        raise ValueError(_("Trials {first}-{last} are not a batch of a {budget}-trial search.").format(
            first=b.start + 1, last=b.stop, budget=b.config.budget))
    return _trials(b.config, b.start, b.stop, on_progress)


def _trials(cfg: Config, start: int, stop: int, on_progress: OnProgress) -> tuple[Trial, ...]:
    """Trials start..stop-1 of the search: the points of the whole budget, the folds of the whole data."""
    parts = datasets.folds_of(datasets.load(cfg.dataset, n_samples=cfg.samples, seed=cfg.seed), cfg.folds, cfg.seed)
    values = 10.0 ** points(cfg.strategy, cfg.budget, cfg.lr_range, cfg.reg_range, cfg.seed)[start:stop]
    trials: list[Trial] = []
    for i, (lr, reg) in enumerate(values):
        trials.append(_trial(parts, float(lr), float(reg), cfg, start + i))
        best = _best(trials)
        numbers = dict(n=start + i + 1, budget=cfg.budget, acc=number(best.val_acc, ".1%") if best else "")
        if best:
            text = _("trial {n} of {budget}, best so far {acc}") if start == 0 else \
                _("trial {n} of {budget}, best in this batch {acc}")
        else:
            text = _("trial {n} of {budget}, every trial so far diverged") if start == 0 else \
                _("trial {n} of {budget}, every trial in this batch diverged")
        if not report(on_progress, i + 1, len(values), text.format(**numbers)):
            break
    return tuple(trials)


def result(cfg: Config, trials: tuple[Trial, ...]) -> Result:
    """The search's Result from its trials (all of them, or those finished so far): the best, edges, refined."""
    best = _best(list(trials))
    return Result(cfg, tuple(trials), best, edges(cfg, best), refine(cfg, best))


def _best(trials: list[Trial]) -> Trial | None:
    scored = [t for t in trials if not math.isnan(t.val_acc)]
    return max(scored, key=lambda t: t.val_acc) if scored else None


def edges(cfg: Config, best: Trial | None) -> tuple[str, ...]:
    """Where the best trial lies within EDGE of a bound of its range: 'lr low', 'reg high', ..."""
    if best is None:
        return ()
    out = []
    for name, value, (lo, hi) in (("lr", best.lr, cfg.lr_range), ("reg", best.reg, cfg.reg_range)):
        e, margin = math.log10(value), EDGE * (hi - lo)
        out += [f"{name} low"] * (e <= lo + margin) + [f"{name} high"] * (e >= hi - margin)
    return tuple(out)


def refine(cfg: Config, best: Trial | None) -> tuple[tuple[float, float], tuple[float, float]]:
    """The next, finer ranges: centred on the best trial, half as wide, at 0.1 in the exponent, within the limits
    (past the old bounds when the best sat at an edge). Without a best, the old ranges."""
    if best is None:
        return cfg.lr_range, cfg.reg_range
    return (_around(math.log10(best.lr), cfg.lr_range, LR_LIMITS),
            _around(math.log10(best.reg), cfg.reg_range, REG_LIMITS))


def refined_config(r: Result) -> Config:
    """The next search: the same setup over the refined ranges (the refine button's config)."""
    return dataclasses.replace(r.config, lr_range=r.refined[0], reg_range=r.refined[1])


def _around(centre: float, rng: tuple[float, float], limits: tuple[float, float]) -> tuple[float, float]:
    half = max(0.1, (rng[1] - rng[0]) / 4)
    lo = max(limits[0], math.floor((centre - half) * 10) / 10)
    hi = min(limits[1], math.ceil((centre + half) * 10) / 10)
    return (round(lo, 1), round(hi, 1)) if hi > lo else (round(limits[1] - 0.1, 1), limits[1])


# --- what to notice -----------------------------------------------------------------------------------------------

def show_range(rng: tuple[float, float]) -> str:
    """(-3.0, 1.0) -> '10^U(-3, 1)'."""
    return f"10^U({rng[0]:g}, {rng[1]:g})"


STRATEGY_NAMES = {"random": N_("random search"), "grid": N_("grid search")}   # in a sentence (notice_search)
EDGE_NAMES = {"lr low": N_("lr low"), "lr high": N_("lr high"), "reg low": N_("reg low"), "reg high": N_("reg high")}


def notice_search(r: Result) -> str:
    """The best trial, how many distinct lr values were tried, and the refined ranges, from this run."""
    c = r.config
    if r.best is None:
        return _("Every trial's loss became inf or NaN: lower the learning-rate range.")
    lrs = len(np.unique(np.round(np.log10(r.lr), 9)))
    diverged = sum(t.diverged for t in r.trials)
    first = _("{n} trials ({strategy}) tried {lrs} distinct learning rates.").format(
        n=len(r.trials), strategy=_(STRATEGY_NAMES[c.strategy]), lrs=lrs)
    if c.folds > 1 and diverged:
        best = _("The best: lr = {lr}, reg = {reg}, validation accuracy {acc} (mean over {folds} folds); {diverged} "
                 "trials diverged.")
    elif c.folds > 1:
        best = _("The best: lr = {lr}, reg = {reg}, validation accuracy {acc} (mean over {folds} folds).")
    elif diverged:
        best = _("The best: lr = {lr}, reg = {reg}, validation accuracy {acc} (one validation split); {diverged} "
                 "trials diverged.")
    else:
        best = _("The best: lr = {lr}, reg = {reg}, validation accuracy {acc} (one validation split).")
    last = _("Refined ranges around it: lr = {lr_range}, reg = {reg_range}.").format(
        lr_range=show_range(r.refined[0]), reg_range=show_range(r.refined[1]))
    return " ".join([first, best.format(lr=number(r.best.lr, ".3g"), reg=number(r.best.reg, ".3g"),
                                        acc=number(r.best.val_acc, ".1%"), folds=c.folds, diverged=diverged), last])


def notice_edge(r: Result) -> str | None:
    """003: if the best lies at the edge of a range, the optimum may be outside it: extend the range."""
    if not r.at_edge:
        return None
    where = ", ".join(_(EDGE_NAMES[e]) for e in r.at_edge)
    return _("The best trial lies at the edge of its range ({where}): better values may lie beyond it. Extend that "
             "range before you refine.").format(where=where)


def notice_toy(t: Toy) -> str:
    """B&B 2012 in this toy's numbers: distinct values of the important parameter and the best found."""
    nx, ny = grid_shape(t.budget)
    return _("With {budget} trials the grid ({nx} × {ny}, {points} points) tries {grid} values of the important "
             "parameter, random search {random}. Best f found: grid {grid_best}, random {random_best} (the peak is "
             "1.05).").format(budget=t.budget, nx=nx, ny=ny, points=nx * ny, grid=t.distinct("grid"),
                              random=t.distinct("random"), grid_best=number(t.best("grid"), ".3f"),
                              random_best=number(t.best("random"), ".3f"))


PRESETS = {
    N_("003 coarse search"): Preset(
        Config(), N_("lr = 10^U(-3, 1), reg = 10^U(-6, 0), a few epochs per trial: find the region where the net "
                     "learns at all."),
        "003 '4. Hiperparámetros' (coarse-to-fine)"),
    N_("003 fine search"): Preset(
        Config(lr_range=(-2.0, -1.0), reg_range=(-6.0, -3.0), epochs=10),
        N_("003's refined ranges lr = 10^U(-2, -1), reg = 10^U(-6, -3), with more epochs per trial: every trial "
           "now learns, and the search ranks good settings against each other."),
        "003 '4. Hiperparámetros' (coarse-to-fine)"),
    N_("Grid, same budget"): Preset(
        Config(strategy="grid"), N_("The same 20 trials on a 5 × 4 grid: only 5 learning rates are ever tried."),
        "002 'Babysitting the Learning Process' (Random Search vs Grid Search); Bergstra & Bengio 2012"),
    N_("Small data: 5-fold CV"): Preset(
        Config(samples=150, folds=5, budget=12), N_("150 digits: one split's score is noisy; each trial now trains "
                                                    "5 times and every sample validates once."),
        "000 'My validation accuracy is higher than the training accuracy' (k-fold); 003 'validación cruzada'"),
}
