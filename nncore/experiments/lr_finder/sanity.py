"""Too small, too large, just right: the same training at three learning rates (003 "Configuración de los
hiperparámetros": lr 1e-5 leaves the loss flat, 1e6 makes it inf/NaN; stop if the loss exceeds 3x the first
epoch's). Every run goes through nncore.training.train with its `stop_loss_factor` rule."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nncore import training
from nncore.i18n import N_, _, number
from nncore.params import Preset, param
from nncore.progress import OnProgress
from nncore.runs import padded, relay
from nncore.schedule_runs import Setup, check_setup, load_data, train_schedule
from nncore.schedules import ScheduleSpec

ROLES = (N_("too small"), N_("just right"), N_("too large"))


@dataclass(frozen=True)
class Config(Setup):
    """Three learning rates for one training setup, and the babysitting rule."""

    small_lr: float = param(1e-5, 1e-6, 1e6, log=True, label=N_("Small lr"), help=N_("003 starts at 1e-5."))
    good_lr: float = param(0.5, 1e-6, 1e6, log=True, label=N_("Good lr"))
    huge_lr: float = param(1e6, 1e-6, 1e6, log=True, label=N_("Huge lr"),
                           help=N_("003 shows 1e6 (and 1e3 for its own problem 2.8)."))
    stop_rule: bool = param(True, label=N_("Stop rule"),
                            help=N_("Stop a run when its training loss exceeds the factor × the first epoch's (003: "
                                    "'Si loss > 3 * loss_epoch 1 parar → explota')."))
    stop_factor: float = param(3.0, 1.5, 10.0, step=0.5, label=N_("Factor"))
    epochs: int = param(30, 2, 200, label=N_("Epochs"))


@dataclass(frozen=True)
class Result:
    """Per run (rows: too small, just right, too large) and epoch (NaN after a run stopped)."""

    config: Config
    lrs: tuple[float, float, float]
    labels: tuple[str, str, str]     # "lr 1e-5 (too small)", ... in English: names(r) in the reader's language
    train_loss: np.ndarray           # (3, epochs)
    val_loss: np.ndarray
    val_acc: np.ndarray
    stop_reason: tuple[str, ...]     # keys of training.STOP_REASONS
    stopped_epoch: tuple[int, ...]
    diverged_at: tuple
    step_loss: np.ndarray            # (3, steps of the first epoch): each batch's loss in epoch 1
    first_step_over: tuple           # per run: first batch of epoch 1 whose loss > factor x the first batch's
    chance_loss: float               # ln(classes): the loss of a uniform guess


def check(cfg: Config) -> None:
    check_setup(cfg, 3, cfg.epochs)
    if not cfg.small_lr < cfg.good_lr < cfg.huge_lr:
        raise ValueError(_("The three rates must increase: small ({small}) < good ({good}) < huge ({huge}).").format(
            small=number(cfg.small_lr), good=number(cfg.good_lr), huge=number(cfg.huge_lr)))


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    check(cfg)
    data = load_data(cfg)
    lrs = (cfg.small_lr, cfg.good_lr, cfg.huge_lr)
    factor = cfg.stop_factor if cfg.stop_rule else None
    n = cfg.epochs
    hists = [train_schedule(data, ScheduleSpec.of("constant"), epochs=n, base_lr=lr, batch_size=cfg.batch_size,
                            optimizer=cfg.optimizer, width=cfg.width, seed=cfg.seed, stop_loss_factor=factor,
                            on_progress=relay(on_progress, i * n, 3 * n, f"lr {lr:g}"))
             for i, lr in enumerate(lrs)]
    steps = len(training.batch_bounds(len(data.x_train), min(cfg.batch_size, len(data.x_train))))
    step_loss = np.array([padded(h.loss_steps[:steps], steps) for h in hists])
    over = tuple(_first_over(row, cfg.stop_factor) for row in step_loss)
    classes = data.n_classes if data.kind == "classification" else 0
    labels = tuple(f"lr {show_lr(lr)} ({role})" for lr, role in zip(lrs, ROLES))
    return Result(cfg, lrs, labels, *(np.array([padded(getattr(h, k), n) for h in hists])
                              for k in ("train_loss", "val_loss", "val_acc")),
                  tuple(h.stop_reason for h in hists), tuple(h.stopped_epoch for h in hists),
                  tuple(h.diverged_at for h in hists), step_loss, over,
                  math.log(classes) if classes else float("nan"))


def _first_over(losses: np.ndarray, factor: float) -> int | None:
    """1-based index of the first batch whose loss is non-finite or above factor x the first batch's."""
    bad = ~np.isfinite(losses) | (losses > factor * losses[0])
    return int(np.argmax(bad)) + 1 if bad.any() else None


PRESETS = {
    N_("003: 1e-5, a good rate, 1e6"): Preset(
        Config(), N_("003's three logs on one chart: a tiny, a good and a huge rate."),
        "003 '4. Configuración de los hiperparámetros'"),
    N_("003 problem 2.8: 1e3 is still too big"): Preset(
        Config(huge_lr=1000.0), N_("003: 'lr ~ 1e3 sigue siendo muy grande' — here it explodes just like 1e6."),
        "003 '4. Hiperparámetros'"),
    N_("The rule at work: full batch, lr 20"): Preset(
        Config(batch_size=1024, huge_lr=20.0), N_(
            "One step per epoch: epoch 1's loss is the loss at the start (about ln 3), a sane reference; the next "
            "epoch's is many times larger, and the 3× rule stops the run long before its loss would reach inf (turn "
            "the rule off to see it get there)."), "003 '4. Hiperparámetros'"),
    N_("Just over the edge: lr 2"): Preset(
        Config(huge_lr=2.0), N_(
            "Within epoch 1 a few batches' losses jump far above the first and fall back; no epoch's mean ever "
            "reaches 3× epoch 1's, so the rule never fires, yet the run ends far above the good rate: the rule "
            "catches a loss that keeps growing, not a run that a few huge steps have damaged."),
        "003 '4. Hiperparámetros'"),
}


def show_lr(lr: float) -> str:
    """1e-05 -> "1e-5", 1000000.0 -> "1e6", 0.5 -> "0.5"."""
    return f"{lr:g}".replace("e+0", "e").replace("e-0", "e-").replace("e+", "e")


def names(r: Result) -> tuple[str, ...]:
    """The runs' names in the reader's language: "lr 1e-5 (too small)", ..."""
    return tuple(_("lr {lr} ({role})").format(lr=show_lr(lr), role=_(role)) for lr, role in zip(r.lrs, ROLES))


def _change(row: np.ndarray) -> tuple[float, float]:
    finite = row[np.isfinite(row)]
    return float(finite[0]), float(finite[-1])


def notice(r: Result) -> str:
    """One sentence per run, from its own numbers: flat, learning, exploded or stopped by the rule."""
    c, parts = r.config, []
    for i, label in enumerate(names(r)):
        row, reason = r.train_loss[i], r.stop_reason[i]
        if reason == "diverged":
            parts.append(_("**{run}**: the loss became inf or NaN in epoch {epoch}; the run stopped there.").format(
                run=label, epoch=r.diverged_at[i]))
            continue
        first, last = _change(row)
        values = dict(run=label, first=number(first, ".3g"), last=number(last, ".3g"),
                      change=number((last - first) / first * 100, "+.1f"), epochs=r.stopped_epoch[i],
                      factor=number(c.stop_factor))
        if reason == "loss_exceeded":
            text = _("**{run}**: training loss {first} → {last} ({change}%) in {epochs} epochs; the rule stopped it "
                     "at epoch {epochs}: {last} > {factor} × {first}")
        elif abs(last - first) < 0.1 * first:
            text = _("**{run}**: training loss {first} → {last} ({change}%) in {epochs} epochs: flat")
        else:
            text = _("**{run}**: training loss {first} → {last} ({change}%) in {epochs} epochs")
        text = text.format(**values)
        if np.isfinite(r.chance_loss) and abs(last - r.chance_loss) < 0.05 * r.chance_loss and i == 2:
            text += " — " + _("stuck near ln({classes}) = {loss}, the loss of a guess").format(
                classes=round(math.exp(r.chance_loss)), loss=number(r.chance_loss, ".2f"))
        parts.append(text + ".")
    over, reason = r.first_step_over[2], r.stop_reason[2]
    if over is not None and reason == "diverged" and r.diverged_at[2] == 1:
        parts.append(_("Batch by batch, the huge rate's loss passed {factor}× its first value already at batch "
                       "{batch}: a rule that compares whole epochs has no reference before epoch 1 ends.").format(
            factor=number(c.stop_factor), batch=over))
    elif over is not None and c.stop_rule and reason == "completed":
        parts.append(_spike(r, over))
    return " ".join(parts)


def _spike(r: Result, over: int) -> str:
    """The large rate spiked within epoch 1 but the rule never fired: where, and how the run ended against the good one."""
    c, epochs, steps = r.config, r.train_loss[2], r.step_loss[2]
    good, large = _change(r.train_loss[1])[1], _change(epochs)[1]
    values = dict(factor=number(c.stop_factor), batch=over, peak=number(np.nanmax(steps), ".3g"),
                  first=number(epochs[0], ".3g"), large=number(large, ".3g"), good=number(good, ".3g"))
    if large > good:
        return _("Batch by batch, the large rate's loss passed {factor}× its first value at batch {batch} of epoch 1 "
                 "(peak {peak}) and fell back; no later epoch's mean passed {factor} × {first}, so the rule never "
                 "fired, yet it ends at {large} against the good rate's {good}.").format(**values)
    return _("Batch by batch, the large rate's loss passed {factor}× its first value at batch {batch} of epoch 1 "
             "(peak {peak}) and fell back; no later epoch's mean passed {factor} × {first}, so the rule never "
             "fired.").format(**values)
