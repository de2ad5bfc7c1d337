"""Schedule race: the same model, data and seed trained under each chosen learning-rate schedule (001, 002).

Every run goes through `nncore.training.train` with the schedule's torch scheduler stepped once per epoch
(reduce-on-plateau with the validation loss); "batch_growth" keeps the lr and grows the batch instead. A run whose
loss becomes inf or NaN is marked diverged at that epoch; the others go on.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from nncore import data as datasets
from nncore import models, schedules, training
from nncore.params import Preset, param, validate
from nncore.progress import OnProgress, Progress, report
from nncore.schedules import ScheduleSpec, labels

__all__ = ["Config", "Result", "ScheduleSpec", "run", "PRESETS", "notice_race", "notice_lr", "train_schedule"]

MAX_SCHEDULES = 6
WORK_BUDGET = 600_000  # runs x epochs x samples: 5x the default race, about 10 s here


@dataclass(frozen=True)
class Setup:
    """The training setup the learning-rate experiments share: data, network, batches, optimizer and seed."""

    dataset: str = param("spiral", choices=datasets.DATASETS, label="Data set")
    noise: float = param(0.4, 0.0, 1.0, step=0.05, label="Noise",
                         help="How much the classes overlap (spiral: angle noise in radians).")
    samples: int = param(1000, 100, 5000, step=100, label="Samples", help="70% train, 30% validation.")
    batch_size: int = param(32, 1, 1024, label="Batch size", help="Samples per SGD step (the starting size when "
                            "the schedule grows the batch).")
    optimizer: str = param("sgd", choices=training.OPTIMIZERS, label="Optimizer",
                           help="Plain SGD shows the schedule most directly: the step is α·gradient.")
    width: int = param(64, 4, 256, label="Units per hidden layer", help="Two hidden ReLU layers.")
    seed: int = param(0, 0, 2**31 - 1, label="Seed")


@dataclass(frozen=True)
class Config(Setup):
    """The race: schedules, and the one training setup they all share."""

    schedules: tuple = param((ScheduleSpec.of("constant"), ScheduleSpec.of("step"), ScheduleSpec.of("cosine"),
                              ScheduleSpec.of("plateau")), label="Schedules")
    epochs: int = param(30, 2, 300, label="Epochs", help="Every schedule steps once per epoch.")
    base_lr: float = param(0.5, 1e-5, 10.0, log=True, label="Base learning rate α₀")


@dataclass(frozen=True)
class Result:
    """Per schedule (rows, in the config's order) and epoch (columns; NaN after a run stopped)."""

    config: Config
    labels: tuple[str, ...]
    epoch: np.ndarray               # (epochs,) 1..epochs
    lr: np.ndarray                  # (schedules, epochs) lr used during each epoch
    batch_size: np.ndarray          # (schedules, epochs)
    train_loss: np.ndarray          # (schedules, epochs)
    val_loss: np.ndarray
    val_acc: np.ndarray             # NaN for regression
    epoch_time: np.ndarray          # seconds per epoch
    steps: np.ndarray               # (schedules, epochs) optimizer steps (parameter updates) in each epoch
    diverged_at: tuple              # per schedule: first epoch with inf/NaN loss, or None
    stop_reason: tuple[str, ...]    # per schedule: a key of training.STOP_REASONS
    cuts: tuple                     # per schedule: first epochs (1-based) at a rate a plateau schedule had just cut


def check(cfg: Config) -> None:
    """Raise ValueError, before any training, for an invalid field, schedule, or a race beyond the budget."""
    check_setup(cfg, len(cfg.schedules), cfg.epochs)
    schedules.check_set(cfg.schedules, cfg.epochs, cfg.base_lr, "epochs", MAX_SCHEDULES, "Race")


def check_setup(cfg: Setup, runs: int, epochs: int) -> None:
    """ValueError for an invalid field, more samples than the data set has, or more work than the budget."""
    validate(cfg)
    entry = datasets.DATASETS[cfg.dataset]
    if cfg.samples > entry.max_samples:
        raise ValueError(f"{entry.label} has at most {entry.max_samples:,} samples (got {cfg.samples:,}).")
    check_budget(runs, epochs, cfg.samples)


def check_budget(runs: int, epochs: int, samples: int) -> None:
    """ValueError if `runs` trainings of `epochs` epochs over `samples` samples are more than a page may ask for."""
    work = runs * epochs * samples
    if work > WORK_BUDGET:
        raise ValueError(f"{runs} runs × {epochs} epochs × {samples:,} samples is {work / WORK_BUDGET:.1f}× what this "
                         f"server runs for one page (about 10 s). Use fewer runs, epochs or samples.")


def load_data(cfg) -> datasets.Data:
    """The config's data set (fields dataset, samples, noise, seed)."""
    return datasets.load(cfg.dataset, cfg.samples, noise=cfg.noise, seed=cfg.seed)


def batch_sizes(spec: ScheduleSpec, epochs: int, batch_size: int) -> np.ndarray | None:
    """The batch size of each epoch if the schedule grows the batch (constant during its warmup), else None."""
    if not schedules.SCHEDULES[spec.name].grows_batch:
        return None
    warm = spec.warmup_steps
    grown = schedules.batch_curve(epochs - warm, batch_size, **dict(spec.params))
    return np.concatenate([np.full(warm, batch_size), grown])


def train_schedule(data: datasets.Data, spec: ScheduleSpec, *, epochs: int, base_lr: float, batch_size: int,
                   optimizer: str = "sgd", width: int = 64, seed: int = 0, stop_loss_factor: float | None = None,
                   on_progress: OnProgress = None) -> training.History:
    """One training run under one schedule: a fresh 2-hidden-layer ReLU MLP from `seed`, stepped per epoch."""
    model = models.build(models.MLPSpec(data.n_features, data.n_outputs, hidden=(width, width)), seed)
    sizes = batch_sizes(spec, epochs, batch_size)
    return training.train(
        model, data, training.TrainSpec(epochs=epochs, batch_size=batch_size, optimizer=optimizer, lr=base_lr,
                                        stop_loss_factor=stop_loss_factor),
        seed=seed, on_progress=on_progress, scheduler=lambda opt: spec.build(opt, epochs, "epochs"),
        batch_size_at=None if sizes is None else (lambda epoch: int(sizes[epoch - 1])))


def padded(values, n: int, dtype=float) -> np.ndarray:
    """A per-epoch array of a run that may have stopped early, padded with NaN to `n` epochs."""
    out = np.full(n, np.nan)
    if values is not None:
        out[: len(values)] = values
    return out.astype(dtype) if dtype is not float else out


def relay(on_progress: OnProgress, offset: int, total: int, label: str) -> Callable[[Progress], bool]:
    """Progress of one run inside a batch of runs: its epochs counted after `offset`, its name in the message."""
    return lambda p: report(on_progress, offset + p.done, total, f"{label}: {p.message}")


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    """Train once per schedule, same model, data and seed; collect per-epoch curves."""
    check(cfg)
    data = load_data(cfg)
    n, total = cfg.epochs, cfg.epochs * len(cfg.schedules)
    rows = {k: [] for k in ("lr", "batch_size", "train_loss", "val_loss", "val_acc", "epoch_time", "steps")}
    diverged, reasons, cuts = [], [], []
    for i, spec in enumerate(cfg.schedules):
        hist = train_schedule(data, spec, epochs=n, base_lr=cfg.base_lr, batch_size=cfg.batch_size,
                              optimizer=cfg.optimizer, width=cfg.width, seed=cfg.seed,
                              on_progress=relay(on_progress, i * n, total, spec.label))
        n_train = len(data.x_train)
        rows["steps"].append(padded([len(training.batch_bounds(n_train, int(b))) for b in hist.batch_size], n))
        for key in ("lr", "batch_size", "train_loss", "val_loss", "val_acc", "epoch_time"):
            rows[key].append(padded(getattr(hist, key), n))
        diverged.append(hist.diverged_at)
        reasons.append(hist.stop_reason)
        needs_metric = schedules.SCHEDULES[spec.name].needs_metric
        cuts.append(schedules.reductions(hist.lr) + 1 if needs_metric else np.array([], dtype=int))
        if hist.stop_reason == "stopped":
            break
    while len(diverged) < len(cfg.schedules):  # stopped on request: the runs that did not start stay empty
        for key in rows:
            rows[key].append(np.full(n, np.nan))
        diverged.append(None)
        reasons.append("stopped")
        cuts.append(np.array([], dtype=int))
    return Result(cfg, labels(cfg.schedules, cfg.epochs, cfg.base_lr), np.arange(1, n + 1),
                  *(np.array(rows[k]) for k in ("lr", "batch_size", "train_loss", "val_loss", "val_acc",
                                                "epoch_time", "steps")),
                  tuple(diverged), tuple(reasons), tuple(cuts))


PRESETS = {
    "001: constant vs the decays": Preset(
        Config(), "Constant, step, cosine and plateau from the same start: the decays end lower and steadier than "
        "the constant rate, which keeps bouncing.", "001 'Decaying learning rate'"),
    "Decay too early: α₀ = 0.1": Preset(
        Config(base_lr=0.1), "From a smaller start, the step decay's first cut (epoch 10) comes before the net has "
        "learned: it ends far above the constant rate.", "001 'Decaying learning rate'"),
    "002: warmup before a high rate": Preset(
        Config(base_lr=5.0, batch_size=256, schedules=(ScheduleSpec.of("cosine"),
                                                       ScheduleSpec.of("cosine", warmup="gradual", warmup_steps=10))),
        "At α₀ = 5 with batches of 256, starting at the full rate blows the loss up (or leaves the net stuck near "
        "ln 3, the loss of a guess); a 10-epoch gradual warmup from 0.1 α₀ lets the net reach that rate and learn.",
        "002 'Learning Rate Decay' (warmup)"),
    "002: cyclic vs cosine": Preset(
        Config(schedules=(ScheduleSpec.of("cosine"), ScheduleSpec.of("cyclic", max_lr=2.0, mode="triangular2"),
                          ScheduleSpec.of("one_cycle", max_lr=2.0))),
        "The cyclic rate goes back up on purpose and the loss bumps up with it; one cycle climbs once, then anneals "
        "far below its start.", "002 'Cyclic Learning Rate'"),
    "001: decay vs bigger batches": Preset(
        Config(samples=2000, schedules=(ScheduleSpec.of("step", step_size=10, gamma=0.2),
                          ScheduleSpec.of("batch_growth", step_size=10, factor=5.0))),
        "Cutting α by 5 or growing the batch by 5 at the same epochs: similar curves, far fewer steps.",
        "001 'Don't Decay the Learning Rate, Increase the Batch Size'"),
}


def _final(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite[-1]) if len(finite) else float("nan")


def notice_race(r: Result) -> str:
    """Who ends lowest, by how much, and which runs diverged: from the run's own curves."""
    finals = [_final(v) for v in r.val_loss]
    ok = [i for i, d in enumerate(r.diverged_at) if d is None and np.isfinite(finals[i])]
    parts = []
    if ok:
        best, worst = min(ok, key=lambda i: finals[i]), max(ok, key=lambda i: finals[i])
        text = f"**{r.labels[best]}** ends with the lowest validation loss ({finals[best]:.3f}"
        acc = _final(r.val_acc[best])
        text += f", accuracy {acc:.1%})" if np.isfinite(acc) else ")"
        if worst != best:
            text += f"; **{r.labels[worst]}** ends highest ({finals[worst]:.3f})"
            if finals[worst] - finals[best] < 0.05 * finals[best]:
                text += f", only {finals[worst] - finals[best]:.2g} above: on one seed, that is a tie"
        parts.append(text + ".")
        noisy = [(float(np.nanstd(np.diff(r.val_loss[i][-10:]))), i) for i in ok]
        (lo, i_lo), (hi, i_hi) = min(noisy), max(noisy)
        if hi > 2 * lo and i_lo != i_hi:
            parts.append(f"Over the last 10 epochs the validation loss of {r.labels[i_hi]} jumps by ±{hi:.2g} per "
                         f"epoch, {r.labels[i_lo]}'s by ±{lo:.2g}: a smaller final rate means smaller steps.")
    gone = [i for i, d in enumerate(r.diverged_at) if d is not None]
    if gone:
        which = ", ".join(f"**{r.labels[i]}** at epoch {r.diverged_at[i]}" for i in gone)
        parts.append(f"Diverged (the loss became inf or NaN): {which}" +
                     ("; the others went on." if len(gone) < len(r.labels) else
                      ". Every run blew up: lower the base learning rate or start with a warmup."))
    return " ".join(parts) or "No run finished with a finite loss."


def notice_lr(r: Result) -> str:
    """Where the rates went: plateau cuts and their epochs, and where each schedule ended."""
    parts = []
    for label, lr, cut in zip(r.labels, r.lr, r.cuts):
        if len(cut):
            epochs = ", ".join(str(int(c)) for c in cut[:6])
            parts.append(f"{label} cut the rate {len(cut)}× (from epoch {epochs}) when the validation loss stopped "
                         f"improving")
    ends = ", ".join(f"{label}: {_final(lr):.2g}" for label, lr in zip(r.labels, r.lr))
    return ("; ".join(parts) + ". " if parts else "") + f"Final learning rates — {ends}."
