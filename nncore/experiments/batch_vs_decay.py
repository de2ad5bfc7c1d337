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
from nncore.i18n import N_, _, number
from nncore.params import Preset, param, validate
from nncore.progress import OnProgress
from nncore.schedule_runs import Race, Setup, check_setup, race
from nncore.schedules import ScheduleSpec


@dataclass(frozen=True)
class Config(Setup):
    factor: float = param(5.0, 2.0, 10.0, step=0.5, label=N_("Factor k"),
                          help=N_("Divide the lr by k, or multiply the batch by k (Smith et al. use 5)."))
    every: int = param(10, 1, 100, label=N_("Every (epochs)"), help=N_("Epochs between two changes."))
    baseline: bool = param(True, label=N_("Constant baseline"),
                           help=N_("Also run a constant lr and batch, to see what the decay buys."))
    epochs: int = param(30, 2, 200, label=N_("Epochs"))
    base_lr: float = param(0.5, 1e-4, 10.0, log=True, label=N_("Learning rate α₀"))
    samples: int = param(2000, 100, 5000, step=100, label=N_("Samples"),
                         help=N_("70% train: the grown batch must fit."))


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
        raise ValueError(_("Change every {every} epochs in a {epochs}-epoch run and nothing ever changes: make the "
                           "period shorter than the run.").format(every=cfg.every, epochs=cfg.epochs))
    n_train = cfg.samples - round(cfg.samples * 0.3)
    largest = round(cfg.batch_size * cfg.factor ** ((cfg.epochs - 1) // cfg.every))
    if largest > n_train:
        raise ValueError(_("The batch would grow to {largest} samples, more than the {train} training samples: use a "
                           "smaller factor, starting batch or more samples, or change less often.").format(
            largest=number(largest, ","), train=number(n_train, ",")))
    specs = race_schedules(cfg)
    check_setup(cfg, len(specs), cfg.epochs)
    schedules.check_set(specs, cfg.epochs, cfg.base_lr, "epochs", len(specs), N_("Race"))


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    check(cfg)
    runs = race(cfg, race_schedules(cfg), cfg.epochs, cfg.base_lr, on_progress)
    return Result(cfg, runs, np.nancumsum(runs.steps, axis=1))


PRESETS = {
    N_("Smith et al.: k = 5"): Preset(
        Config(), N_("Dividing α by 5 or multiplying the batch by 5 at epochs 10 and 20: do the validation curves "
                     "coincide, and how many updates does each need?"),
        "001 'Don't Decay the Learning Rate, Increase the Batch Size'"),
    N_("k = 2, every 5 epochs"): Preset(
        Config(factor=2.0, every=5), N_("Smaller, more frequent changes: compare how closely the two curves follow "
                                        "each other now."), "001 (arXiv:1711.00489)"),
}


def notice(r: Result) -> str:
    """How close the two curves end, and what the grown batch saves in updates and time, from this run."""
    race, c = r.race, r.config
    final = [float(v[np.isfinite(v)][-1]) if np.isfinite(v).any() else float("nan") for v in race.val_loss]
    gap = float(np.nanmean(np.abs(race.val_loss[0] - race.val_loss[1])))
    upd = r.updates[:, -1]
    late = slice(-max(1, c.epochs // 3), None)
    t_decay, t_grow = (float(np.nanmean(race.epoch_time[i, late])) for i in (0, 1))
    text = _("Final validation loss: decay {decay}, grown batch {grown} (the curves differ by {gap} on average per "
             "epoch). The grown batch made {updates_grown} parameter updates against {updates_decay}, and its last "
             "epochs took {ms_grown} ms each against {ms_decay} ms.").format(
        decay=number(final[0], ".3f"), grown=number(final[1], ".3f"), gap=number(gap, ".3f"),
        updates_grown=number(upd[1], ",.0f"), updates_decay=number(upd[0], ",.0f"),
        ms_grown=number(t_grow * 1000, ".1f"), ms_decay=number(t_decay * 1000, ".1f"))
    if c.baseline and len(final) > 2:
        text += " " + _("The constant rate and batch ends at {loss}.").format(loss=number(final[2], ".3f"))
    return text
