"""Schedule race: the same model, data and seed trained under each chosen learning-rate schedule (001, 002).

The runs are `nncore.schedule_runs.race`: one training per schedule, each stepped once per epoch; a run whose loss
becomes inf or NaN is marked diverged at that epoch, the others go on.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nncore import schedules
from nncore.i18n import N_, _, number
from nncore.params import Preset, Records, param
from nncore.progress import OnProgress
from nncore.schedule_runs import Race, Setup, check_setup, race
from nncore.schedules import ScheduleSpec

__all__ = ["Config", "Result", "ScheduleSpec", "run", "PRESETS", "notice_race", "notice_lr"]

MAX_SCHEDULES = 6


@dataclass(frozen=True)
class Config(Setup):
    """The race: schedules, and the one training setup they all share."""

    schedules: tuple[ScheduleSpec, ...] = param(
        (ScheduleSpec.of("constant"), ScheduleSpec.of("step"), ScheduleSpec.of("cosine"), ScheduleSpec.of("plateau")),
        label=N_("Schedules"), link=Records("s", "{name}[~{warmup}:{warmup_steps}:{warmup_factor}][({params})]", ";"))
    epochs: int = param(30, 2, 300, label=N_("Epochs"), help=N_("Every schedule steps once per epoch."))
    base_lr: float = param(0.5, 1e-5, 10.0, log=True, label=N_("Base learning rate α₀"))


Result = Race   # per schedule (rows, in the config's order) and epoch (columns; NaN after a run stopped)


def check(cfg: Config) -> None:
    """Raise ValueError, before any training, for an invalid field, schedule, or a race beyond the budget."""
    check_setup(cfg, len(cfg.schedules), cfg.epochs)
    schedules.check_set(cfg.schedules, cfg.epochs, cfg.base_lr, "epochs", MAX_SCHEDULES, N_("Race"))


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    """Train once per schedule, same model, data and seed; collect per-epoch curves."""
    check(cfg)
    return race(cfg, cfg.schedules, cfg.epochs, cfg.base_lr, on_progress)


PRESETS = {
    N_("001: constant vs the decays"): Preset(
        Config(), N_("Constant, step, cosine and plateau from the same start: which ends lower, which steadier?"),
        "001 'Decaying learning rate'"),
    N_("Decay too early: α₀ = 0.1"): Preset(
        Config(base_lr=0.1), N_("From a smaller start, the step decay's first cut (epoch 10) comes before the net has "
                                "learned: it ends far above the constant rate."), "001 'Decaying learning rate'"),
    N_("002: warmup before a high rate"): Preset(
        Config(base_lr=5.0, batch_size=256, schedules=(ScheduleSpec.of("cosine"),
                                                       ScheduleSpec.of("cosine", warmup="gradual", warmup_steps=10))),
        N_("At α₀ = 5 with batches of 256, starting at the full rate blows the loss up (or leaves the net stuck near "
           "ln 3, the loss of a guess); a 10-epoch gradual warmup from 0.1 α₀ lets the net reach that rate and learn."),
        "002 'Learning Rate Decay' (warmup)"),
    N_("002: cyclic vs cosine"): Preset(
        Config(schedules=(ScheduleSpec.of("cosine"), ScheduleSpec.of("cyclic", max_lr=2.0, mode="triangular2"),
                          ScheduleSpec.of("one_cycle", max_lr=2.0))),
        N_("The cyclic rate goes back up on purpose and the loss bumps up with it; one cycle climbs once, then "
           "anneals far below its start."), "002 'Cyclic Learning Rate'"),
    N_("001: decay vs bigger batches"): Preset(
        Config(samples=2000, schedules=(ScheduleSpec.of("step", step_size=10, gamma=0.2),
                          ScheduleSpec.of("batch_growth", step_size=10, factor=5.0))),
        N_("Cutting α by 5 or growing the batch by 5 at the same epochs: similar curves, far fewer steps."),
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
        acc = _final(r.val_acc[best])
        values = dict(schedule=r.labels[best], loss=number(finals[best], ".3f"), accuracy=number(acc * 100, ".1f"))
        text = (_("**{schedule}** ends with the lowest validation loss ({loss}, accuracy {accuracy}%)")
                if np.isfinite(acc) else _("**{schedule}** ends with the lowest validation loss ({loss})")).format(**values)
        if worst != best:
            text += "; " + _("**{schedule}** ends highest ({loss})").format(schedule=r.labels[worst],
                                                                           loss=number(finals[worst], ".3f"))
            if finals[worst] - finals[best] < 0.05 * finals[best]:
                text += ", " + _("only {gap} above: on one seed, that is a tie").format(
                    gap=number(finals[worst] - finals[best], ".2g"))
        parts.append(text + ".")
        noisy = [(float(np.nanstd(np.diff(r.val_loss[i][-10:]))), i) for i in ok]
        (lo, i_lo), (hi, i_hi) = min(noisy), max(noisy)
        if hi > 2 * lo and i_lo != i_hi:
            parts.append(_("Over the last 10 epochs the validation loss of {noisy} jumps by ±{high} per epoch, "
                           "{steady}'s by ±{low}: a smaller final rate means smaller steps.").format(
                noisy=r.labels[i_hi], high=number(hi, ".2g"), steady=r.labels[i_lo], low=number(lo, ".2g")))
    gone = [i for i, d in enumerate(r.diverged_at) if d is not None]
    if gone:
        which = ", ".join(_("**{schedule}** at epoch {epoch}").format(schedule=r.labels[i], epoch=r.diverged_at[i])
                          for i in gone)
        parts.append((_("Diverged (the loss became inf or NaN): {runs}; the others went on.")
                      if len(gone) < len(r.labels) else
                      _("Diverged (the loss became inf or NaN): {runs}. Every run blew up: lower the base learning "
                        "rate or start with a warmup.")).format(runs=which))
    return " ".join(parts) or _("No run finished with a finite loss.")


def notice_lr(r: Result) -> str:
    """Where the rates went: plateau cuts and their epochs, and where each schedule ended."""
    parts = []
    for label, lr, cut in zip(r.labels, r.lr, r.cuts):
        if len(cut):
            epochs = ", ".join(str(int(c)) for c in cut[:6])
            parts.append(_("{schedule} cut the rate {count}× (from epoch {epochs}) when the validation loss stopped "
                           "improving").format(schedule=label, count=len(cut), epochs=epochs))
    ends = ", ".join(f"{label}: {number(_final(lr), '.2g')}" for label, lr in zip(r.labels, r.lr))
    return ("; ".join(parts) + ". " if parts else "") + _("Final learning rates — {rates}.").format(rates=ends)
