"""The training setup the learning-rate lessons share (schedule race, batch vs decay, finding the learning rate):
data, a 2-hidden-layer ReLU MLP, batches, optimizer and seed; one run under one schedule; and a race of schedules.

Every run goes through `nncore.training.train` with the schedule's torch scheduler stepped once per epoch
(reduce-on-plateau with the validation loss); "batch_growth" keeps the lr and grows the batch instead. A run whose
loss becomes inf or NaN is marked diverged at that epoch; the others go on.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from nncore import data as datasets
from nncore import models, schedules, training, uploads
from nncore.i18n import N_, _, number
from nncore.params import param, validate
from nncore.progress import OnProgress
from nncore.runs import padded, relay
from nncore.schedules import ScheduleSpec, labels

WORK_BUDGET = 600_000  # runs x epochs x samples: 5x the default race, about 10 s here


@dataclass(frozen=True)
class Setup:
    """The training setup the learning-rate experiments share: data, network, batches, optimizer and seed."""

    dataset: str = param("spiral", choices=datasets.DATASETS, accepts=uploads.is_upload, label=N_("Data set"),
                         help=uploads.FIELD_HELP)
    noise: float = param(0.4, 0.0, 1.0, step=0.05, label=N_("Noise"),
                         help=N_("How much the classes overlap (spiral: angle noise in radians)."))
    samples: int = param(1000, 100, 5000, step=100, label=N_("Samples"), help=N_("70% train, 30% validation."))
    batch_size: int = param(32, 1, 1024, label=N_("Batch size"), help=N_("Samples per SGD step (the starting size "
                                                                         "when the schedule grows the batch)."))
    optimizer: str = param("sgd", choices=training.OPTIMIZERS, label=N_("Optimizer"),
                           help=N_("Plain SGD shows the schedule most directly: the step is α·gradient."))
    width: int = param(64, 4, 256, label=N_("Units per hidden layer"), help=N_("Two hidden ReLU layers."))
    seed: int = param(0, 0, 2**31 - 1, label=N_("Seed"))


def check_setup(cfg: Setup, runs: int, epochs: int) -> None:
    """ValueError for an invalid field, more samples than the data set has, or more work than the budget."""
    validate(cfg)
    entry = datasets.dataset(cfg.dataset)
    if cfg.samples > entry.max_samples and not uploads.is_upload(cfg.dataset):   # an upload gives all its rows
        raise ValueError(_("{dataset} has at most {most} samples (got {samples}).").format(
            dataset=_(entry.label), most=number(entry.max_samples, ","), samples=number(cfg.samples, ",")))
    check_budget(runs, epochs, cfg.samples)


def check_budget(runs: int, epochs: int, samples: int) -> None:
    """ValueError if `runs` trainings of `epochs` epochs over `samples` samples are more than a page may ask for."""
    work = runs * epochs * samples
    if work > WORK_BUDGET:
        raise ValueError(_("{runs} runs × {epochs} epochs × {samples} samples is {times}× what this server runs for "
                           "one page (about 10 s). Use fewer runs, epochs or samples.").format(
            runs=runs, epochs=epochs, samples=number(samples, ","), times=number(work / WORK_BUDGET, ".1f")))


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


@dataclass(frozen=True)
class Race:
    """Per schedule (rows, in the config's order) and epoch (columns; NaN after a run stopped)."""

    config: Any                     # the experiment's Config (a Setup)
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


def race(cfg: Setup, specs: tuple, epochs: int, base_lr: float, on_progress: OnProgress = None) -> Race:
    """Train once per schedule, same model, data and seed; collect per-epoch curves."""
    data = load_data(cfg)
    n, total = epochs, epochs * len(specs)
    rows = {k: [] for k in ("lr", "batch_size", "train_loss", "val_loss", "val_acc", "epoch_time", "steps")}
    diverged, reasons, cuts = [], [], []
    for i, spec in enumerate(specs):
        hist = train_schedule(data, spec, epochs=n, base_lr=base_lr, batch_size=cfg.batch_size,
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
    while len(diverged) < len(specs):  # stopped on request: the runs that did not start stay empty
        for key in rows:
            rows[key].append(padded(None, n))
        diverged.append(None)
        reasons.append("stopped")
        cuts.append(np.array([], dtype=int))
    return Race(cfg, labels(specs, epochs, base_lr), np.arange(1, n + 1),
                *(np.array(rows[k]) for k in ("lr", "batch_size", "train_loss", "val_loss", "val_acc",
                                              "epoch_time", "steps")),
                tuple(diverged), tuple(reasons), tuple(cuts))
