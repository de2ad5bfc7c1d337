"""Schedule designer: the lr of one or several schedules over a run, as torch's schedulers set it (001, 002).

No training: each schedule steps a real torch.optim.lr_scheduler on a one-parameter optimizer. Reduce-on-plateau
watches a made-up validation loss that falls and then stalls, so its cuts show where a real plateau would be.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nncore import schedules
from nncore.i18n import N_, _, number
from nncore.params import Preset, Records, param, validate
from nncore.progress import OnProgress, report
from nncore.schedules import ScheduleSpec, labels

MAX_SCHEDULES = 8


@dataclass(frozen=True)
class Config:
    """Which schedules to draw, over how many steps, from which base lr."""

    schedules: tuple[ScheduleSpec, ...] = param(
        (ScheduleSpec.of("step"), ScheduleSpec.of("cosine"),
         ScheduleSpec.of("cosine", warmup="gradual", warmup_steps=10)),
        label=N_("Schedules"), link=Records("d", "{name}[~{warmup}:{warmup_steps}:{warmup_factor}][({params})]", ";"))
    steps: int = param(100, 2, 10_000, label=N_("Steps"), help=N_("Length of the run: epochs, or batches if the "
                                                                  "schedule is stepped per batch."))
    base_lr: float = param(0.1, 1e-5, 10.0, log=True, label=N_("Base learning rate α₀"))
    stall_at: float = param(0.4, 0.05, 1.0, step=0.05, label=N_("Made-up val loss stalls at"),
                            help=N_("Share of the run after which the monitored loss stops improving (for reduce on "
                                    "plateau)."))
    seed: int = param(0, 0, 2**31 - 1, label=N_("Seed"), help=N_("The noise on the made-up validation loss."))


@dataclass(frozen=True)
class Result:
    config: Config
    labels: tuple[str, ...]
    lr: np.ndarray            # (schedules, steps): the lr used at each step
    batch: np.ndarray         # (schedules, steps): the batch-size multiplier (1 unless the schedule grows the batch)
    metric: np.ndarray        # (steps,) the made-up validation loss that reduce-on-plateau watches
    cuts: tuple[np.ndarray, ...]  # per schedule: steps where a plateau schedule cut the rate (empty otherwise)


def check(cfg: Config) -> None:
    """ValueError for an invalid field, no schedule, too many, or a schedule whose parameters do not fit the run."""
    validate(cfg)
    schedules.check_set(cfg.schedules, cfg.steps, cfg.base_lr, "steps", MAX_SCHEDULES, N_("Draw"))


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    """Step each schedule's torch scheduler over the run and record its lr."""
    check(cfg)
    metric = schedules.plateau_metric(cfg.steps, cfg.stall_at, seed=cfg.seed)
    lrs, batches, cuts = [], [], []
    for i, spec in enumerate(cfg.schedules):
        needs_metric = schedules.SCHEDULES[spec.name].needs_metric
        lr = spec.curve(cfg.steps, cfg.base_lr, metrics=metric if needs_metric else None)
        lrs.append(lr)
        cuts.append(schedules.reductions(lr) if needs_metric else np.array([], dtype=int))
        batches.append(_batch_multiplier(spec, cfg.steps))
        report(on_progress, i + 1, len(cfg.schedules), spec.label)
    return Result(cfg, labels(cfg.schedules, cfg.steps, cfg.base_lr), np.array(lrs), np.array(batches), metric, tuple(cuts))


def _batch_multiplier(spec: ScheduleSpec, steps: int) -> np.ndarray:
    if not schedules.SCHEDULES[spec.name].grows_batch:
        return np.ones(steps)
    warm = spec.warmup_steps
    grown = schedules.batch_curve(steps - warm, 1, **dict(spec.params)).astype(float)
    return np.concatenate([np.ones(warm), grown])


PRESETS = {
    N_("001: linear, exponential, cosine, inverse √t"): Preset(
        Config(schedules=tuple(ScheduleSpec.of(n) for n in ("linear", "exponential", "cosine", "inverse_sqrt"))),
        N_("The four decays 001 lists: all start at α₀; they differ in how long they stay high and where they land."),
        "001 'Decaying learning rate'"),
    N_("002: no, constant, gradual warmup"): Preset(
        Config(schedules=(ScheduleSpec.of("step"), ScheduleSpec.of("step", warmup="constant", warmup_steps=10),
                          ScheduleSpec.of("step", warmup="gradual", warmup_steps=10))),
        N_("The same step decay after no warmup, a constant one and a gradual one (002's three panels)."),
        "002 'Learning Rate Decay' (a)-(c)"),
    N_("002: cyclic modes"): Preset(
        Config(schedules=tuple(ScheduleSpec.of("cyclic", mode=m) for m in ("triangular", "triangular2", "exp_range"))),
        N_("triangular keeps its peak, triangular2 halves it each cycle, exp_range shrinks it smoothly."),
        "002 'Cyclic Learning Rate'"),
    N_("001: reduce on plateau"): Preset(
        Config(schedules=(ScheduleSpec.of("plateau", factor=0.2, patience=5), ScheduleSpec.of("step"))),
        N_("Plateau cuts the rate only after the monitored loss stops improving; step decay cuts on a timetable."),
        "001 'Decaying learning rate' (ReduceLROnPlateau)"),
}


def notice(r: Result) -> str:
    """What the overlay shows, from the curves: where each schedule ends, its peak, and any plateau cuts."""
    base, n = r.config.base_lr, r.config.steps
    parts = []
    for label, lr, cut in zip(r.labels, r.lr, r.cuts):
        text = _("**{schedule}** ends at {lr} ({share}×α₀)").format(
            schedule=label, lr=number(lr[-1], ".3g"), share=number(lr[-1] / base, ".3g"))
        if lr.max() > base * (1 + 1e-9):
            text += ", " + _("peaks at {lr} at step {step}").format(lr=number(lr.max(), ".3g"),
                                                                    step=int(np.argmax(lr)))
        if len(cut):
            text += ", " + _("cut {count}× (first at step {step}, after the made-up loss stalled at step {stall})").format(
                count=len(cut), step=cut[0], stall=int(round(r.config.stall_at * n)))
        parts.append(text)
    half = [f"{label}: {number(np.mean(lr[: n // 2]) / base, '.2f')}" for label, lr in zip(r.labels, r.lr)]
    return "; ".join(parts) + ". " + _("Mean lr over the first half of the run, as a share of α₀ — {shares}.").format(
        shares=", ".join(half))
