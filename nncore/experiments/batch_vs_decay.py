"""Don't decay the learning rate, increase the batch size (Smith, Kindermans, Ying & Le 2017; 001).

Two runs of the same training: one divides the lr by k every few epochs (torch's StepLR), the other keeps the lr
and multiplies the batch by k at the same epochs. Both cut the SGD noise scale ~ lr x N / B by k, so their loss
curves per epoch are alike; the grown batch takes k times fewer, larger steps, so its epochs get cheaper.
Runs as a race of schedules (nncore.schedule_runs); a constant-lr run can be added as a baseline.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nncore import schedules
from nncore.params import Preset, param, validate
from nncore.progress import OnProgress
from nncore.schedule_runs import Race, Setup, check_setup, race
from nncore.schedules import ScheduleSpec


@dataclass(frozen=True)
class Config(Setup):
    factor: float = param(5.0, 2.0, 10.0, step=0.5, label="Factor k",
                          help="Divide the lr by k, or multiply the batch by k (Smith et al. use 5).")
    every: int = param(10, 1, 100, label="Every (epochs)", help="Epochs between two changes.")
    baseline: bool = param(True, label="Constant baseline",
                           help="Also run a constant lr and batch, to see what the decay buys.")
    epochs: int = param(30, 2, 200, label="Epochs")
    base_lr: float = param(0.5, 1e-4, 10.0, log=True, label="Learning rate α₀")
    samples: int = param(2000, 100, 5000, step=100, label="Samples", help="70% train: the grown batch must fit.")


@dataclass(frozen=True)
class Result:
    config: Config
    race: Race                     # rows: decay, grow the batch (, constant)
    updates: np.ndarray            # (runs, epochs) parameter updates so far, at the end of each epoch


def race_schedules(cfg: Config) -> tuple[ScheduleSpec, ...]:
    """The race behind the comparison: step decay by 1/k vs batch growth by k at the same epochs."""
    specs = (ScheduleSpec.of("step", step_size=cfg.every, gamma=1.0 / cfg.factor),
             ScheduleSpec.of("batch_growth", step_size=cfg.every, factor=cfg.factor))
    return specs + (ScheduleSpec.of("constant"),) if cfg.baseline else specs


def check(cfg: Config) -> None:
    validate(cfg)
    if cfg.every >= cfg.epochs:
        raise ValueError(f"Change every {cfg.every} epochs in a {cfg.epochs}-epoch run and nothing ever changes: "
                         f"make the period shorter than the run.")
    n_train = cfg.samples - round(cfg.samples * 0.3)
    largest = round(cfg.batch_size * cfg.factor ** ((cfg.epochs - 1) // cfg.every))
    if largest > n_train:
        raise ValueError(f"The batch would grow to {largest:,} samples, more than the {n_train:,} training samples: "
                         f"use a smaller factor, starting batch or more samples, or change less often.")
    specs = race_schedules(cfg)
    check_setup(cfg, len(specs), cfg.epochs)
    schedules.check_set(specs, cfg.epochs, cfg.base_lr, "epochs", len(specs), "Race")


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    check(cfg)
    runs = race(cfg, race_schedules(cfg), cfg.epochs, cfg.base_lr, on_progress)
    return Result(cfg, runs, np.nancumsum(runs.steps, axis=1))


PRESETS = {
    "Smith et al.: k = 5": Preset(Config(), "Dividing α by 5 or multiplying the batch by 5 at epochs 10 and 20: do the "
                                  "validation curves coincide, and how many updates does each need?",
                                  "001 'Don't Decay the Learning Rate, Increase the Batch Size'"),
    "k = 2, every 5 epochs": Preset(Config(factor=2.0, every=5), "Smaller, more frequent changes: compare how "
                                    "closely the two curves follow each other now.", "001 (arXiv:1711.00489)"),
}


def notice(r: Result) -> str:
    """How close the two curves end, and what the grown batch saves in updates and time, from this run."""
    race, c = r.race, r.config
    final = [float(v[np.isfinite(v)][-1]) if np.isfinite(v).any() else float("nan") for v in race.val_loss]
    gap = float(np.nanmean(np.abs(race.val_loss[0] - race.val_loss[1])))
    upd = r.updates[:, -1]
    late = slice(-max(1, c.epochs // 3), None)
    t_decay, t_grow = (float(np.nanmean(race.epoch_time[i, late])) for i in (0, 1))
    text = (f"Final validation loss: decay {final[0]:.3f}, grown batch {final[1]:.3f} (the curves differ by "
            f"{gap:.3f} on average per epoch). The grown batch made {upd[1]:,.0f} parameter updates against "
            f"{upd[0]:,.0f}, and its last epochs took {t_grow * 1000:.1f} ms each against {t_decay * 1000:.1f} ms.")
    if c.baseline and len(final) > 2:
        text += f" The constant rate and batch ends at {final[2]:.3f}."
    return text
