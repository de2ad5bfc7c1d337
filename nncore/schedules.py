"""Learning-rate schedules of the lectures (001, 002), each one a torch.optim.lr_scheduler, and the lr they give.

`SCHEDULES` maps a name to a `Schedule`: label, formula (LaTeX), the lecture's note, and its parameters (`Knob`s)
with ranges and defaults. Durations default to a share of the run and learning rates to a multiple of the base
lr, so one default fits a 30-epoch race and a 10,000-step designer. Any schedule can start with a warmup
(`WARMUPS`: none, constant, gradual), composed with torch's SequentialLR.

`lr_curve(name, steps, base_lr, **params)` steps the real torch scheduler on a one-parameter optimizer and
returns the lr used at each step. `build(...)` gives the scheduler itself, for training; `batch_curve(...)` is the
batch-size schedule (Smith et al. 2017: grow the batch where a step decay would cut the rate).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import torch
from torch.optim import lr_scheduler as S

from nncore.i18n import N_, _
from nncore.runs import numbered


@dataclass(frozen=True)
class Knob:
    """One parameter of a schedule: how it is shown, its valid range and its default.

    kind: "float", "int", "choice"; "steps" (an int duration whose default is a share of the run), "steps_list"
    (increasing ints, default shares of the run), "lr" (an absolute lr whose default is a multiple of base_lr).
    `lo`/`hi` bound the resolved value (for "lr", as multiples of base_lr: [lo, hi] x base_lr is allowed).
    `within_run`: a duration that must end before the run does.
    """

    label: str
    default: Any
    lo: float | None = None
    hi: float | None = None
    kind: str = "float"
    help: str = ""
    log: bool = False
    choices: tuple = ()
    within_run: bool = False
    step: float | None = None          # a slider's step (plain floats)

    def resolve(self, steps: int, base_lr: float) -> Any:
        """The default for a run of `steps` steps at `base_lr`."""
        if self.kind == "steps":
            return max(1, round(self.default * steps))
        if self.kind == "steps_list":
            return tuple(sorted({max(1, round(d * steps)) for d in self.default}))
        if self.kind == "lr":
            return float(self.default * base_lr)
        return self.default


@dataclass(frozen=True)
class Schedule:
    """A registry entry: what the UI needs to teach the schedule, and how to build it on torch."""

    label: str
    formula: str                       # LaTeX of the lr at step t (alpha_0 = base lr, T = steps of the run)
    note: str                          # what the lecture says about it
    lecture: str
    knobs: dict[str, Knob]
    make: Callable[..., Any]           # make(optimizer, steps, base_lr, **params) -> torch scheduler
    consistent: Callable[..., str | None] = lambda steps, base_lr, **p: None  # a message if params clash
    needs_metric: bool = False         # stepped with the monitored metric (ReduceLROnPlateau)
    grows_batch: bool = False          # the lr stays; the batch grows instead


@dataclass(frozen=True)
class Warmup:
    """A warmup registry entry (002 "(a) no warmup, (b) constant warmup, (c) gradual warmup")."""

    label: str
    formula: str
    note: str


WARMUPS: dict[str, Warmup] = {
    "none": Warmup("No warmup", r"\alpha_t = \text{schedule}(t)", N_("Start at the base lr at once.")),
    "constant": Warmup("Constant warmup", r"\alpha_t = f\,\alpha_0 \;\; (t < W)",
                       N_("A small constant rate f·α₀ for the first W steps, then the schedule at full rate "
                          "(Goyal et al. 2017 note the jump itself can hurt).")),
    "gradual": Warmup("Gradual warmup", r"\alpha_t = \alpha_0\,\big(f + (1-f)\,t/W\big) \;\; (t < W)",
                      N_("Ramp linearly from f·α₀ to α₀ over W steps, then the schedule: large rates only once "
                         "the early, large gradients have settled.")),
}


def _inverse_sqrt(timescale: float) -> Callable[[int], float]:
    return lambda t: 1.0 / math.sqrt(1.0 + t / timescale)


class _WarmThenPlateau(S.ReduceLROnPlateau):
    """A warmup (ConstantLR or LinearLR) for its first steps, then ReduceLROnPlateau on the metric.

    torch's SequentialLR refuses ReduceLROnPlateau (its step needs the metric), so this hands over by itself.
    Still an instance of ReduceLROnPlateau: training code that steps plateaus with the validation loss works."""

    def __init__(self, optimizer, warm, warmup_steps: int, **plateau):
        super().__init__(optimizer, **plateau)
        self.warm, self.warmup_steps, self.warm_steps_done = warm(optimizer), warmup_steps, 0

    def step(self, metrics, epoch=None) -> None:  # type: ignore[override]
        if self.warm_steps_done < self.warmup_steps:
            self.warm_steps_done += 1
            self.warm.step()
        else:
            super().step(metrics)

    def get_last_lr(self) -> list[float]:
        """The lr of each parameter group now, under the warmup or the plateau rule (ReduceLROnPlateau's own
        answer only changes when it steps)."""
        return [group["lr"] for group in self.optimizer.param_groups]


def _cyclic(o, steps, base_lr, max_lr, step_size_up, mode, gamma):
    return S.CyclicLR(o, base_lr=base_lr, max_lr=max_lr, step_size_up=step_size_up, mode=mode, gamma=gamma,
                      cycle_momentum=False)


def _one_cycle(o, steps, base_lr, max_lr, pct_start, anneal_strategy, final_div_factor):
    return S.OneCycleLR(o, max_lr=max_lr, total_steps=steps, pct_start=pct_start, anneal_strategy=anneal_strategy,
                        div_factor=max_lr / base_lr, final_div_factor=final_div_factor, cycle_momentum=False)


def _above_base(what: str) -> Callable[..., str | None]:
    def check(steps, base_lr, max_lr, **_params):
        return None if max_lr > base_lr else \
            _("{schedule}: the peak lr ({peak}) must be above the base lr ({base}): the rate rises from one to the "
              "other.").format(schedule=what, peak=f"{max_lr:g}", base=f"{base_lr:g}")
    return check


def _below_base(name: str, what: str) -> Callable[..., str | None]:
    """`what`: the floor's name (N_: translated when the message is made)."""
    def check(steps, base_lr, **p):
        return None if p[name] < base_lr else \
            _("{floor} ({value}) must be below the base lr ({base}); otherwise the rate would rise.").format(
                floor=_(what), value=f"{p[name]:g}", base=f"{base_lr:g}")
    return check


_GAMMA = Knob(N_("Factor γ per decay"), 0.1, 0.001, 1.0, log=True, help=N_("The lr is multiplied by γ at each decay."))
_ETA_MIN = Knob(N_("Floor η_min"), 0.0, 0.0, 1e3, kind="lr", help=N_("The lowest lr (absolute)."))
_MAX_LR = Knob(N_("Peak lr"), 10.0, 1e-6, 1e3, kind="lr", log=True, help=N_("The highest lr of the cycle (absolute)."))
_LENGTH = Knob(N_("Length"), 1.0, 1, 1_000_000, kind="steps", help=N_("Steps over which the decay runs (default: the run)."))

SCHEDULES: dict[str, Schedule] = {
    "constant": Schedule(
        "Constant", r"\alpha_t = \alpha_0", N_("The baseline: one rate from start to end."),
        "002 'Learning Rate'", {}, lambda o, steps, base_lr: S.LambdaLR(o, lambda t: 1.0)),
    "step": Schedule(
        "Step decay", r"\alpha_t = \alpha_0\,\gamma^{\lfloor t/s \rfloor}",
        N_("Cut the rate by γ every s steps: big moves first, then smaller ones (002 'Learning Rate Decay')."),
        "002 'Learning Rate Decay'",
        {"step_size": Knob(N_("Period s"), 0.3, 1, 1_000_000, kind="steps", within_run=True,
                           help=N_("Steps between two cuts.")), "gamma": _GAMMA},
        lambda o, steps, base_lr, step_size, gamma: S.StepLR(o, step_size, gamma)),
    "multistep": Schedule(
        "Multi-step decay", r"\alpha_t = \alpha_0\,\gamma^{\#\{m_i \le t\}}",
        N_("Cut the rate by γ at chosen milestones, e.g. 'divide by 10' at 50% and 75% of training."),
        "001 'Decaying learning rate'",
        {"milestones": Knob(N_("Milestones"), (0.5, 0.75), 1, 1_000_000, kind="steps_list", within_run=True,
                            help=N_("Steps at which the rate is cut.")), "gamma": _GAMMA},
        lambda o, steps, base_lr, milestones, gamma: S.MultiStepLR(o, list(milestones), gamma)),
    "exponential": Schedule(
        "Exponential decay", r"\alpha_t = \alpha_0\,\gamma^{t}",
        N_("001 lists it; note that 001's formula α₀(1 − t/T) under 'exponential' is the linear decay."),
        "001 'Decaying learning rate'",
        {"gamma": Knob(N_("Factor γ per step"), 0.9, 0.5, 0.999, step=0.001, help=N_("The lr is multiplied by γ every step."))},
        lambda o, steps, base_lr, gamma: S.ExponentialLR(o, gamma)),
    "linear": Schedule(
        "Linear decay", r"\alpha_t = \alpha_0\,\big(1 - (1-f)\,\min(t, T)/T\big)",
        N_("001: α = α₀(1 − t/T), with t the step or epoch and T the total."),
        "001 'Decaying learning rate'",
        {"end_factor": Knob(N_("End factor f"), 0.0, 0.0, 1.0, step=0.05,
                            help=N_("The lr at the end, as a share of the base lr.")),
         "total_iters": _LENGTH},
        lambda o, steps, base_lr, end_factor, total_iters: S.LinearLR(o, 1.0, end_factor, total_iters)),
    "polynomial": Schedule(
        "Polynomial decay", r"\alpha_t = \alpha_0\,\big(1 - \min(t, T)/T\big)^{p}",
        N_("Linear decay bent by a power p: p > 1 drops fast then crawls, p < 1 stays high longer."),
        "001 'Decaying learning rate' (linear is p = 1)",
        {"power": Knob(N_("Power p"), 2.0, 0.1, 10.0, step=0.1, help=N_("1 is linear decay.")), "total_iters": _LENGTH},
        lambda o, steps, base_lr, power, total_iters: S.PolynomialLR(o, total_iters, power)),
    "cosine": Schedule(
        "Cosine annealing", r"\alpha_t = \eta_{min} + \tfrac12(\alpha_0 - \eta_{min})(1 + \cos(\pi t/T))",
        N_("Half a cosine from α₀ down to η_min: stays high early, lands gently (Loshchilov & Hutter 2017)."),
        "001 'Decaying learning rate'",
        {"T_max": Knob(N_("Half-period T"), 1.0, 1, 1_000_000, kind="steps", help=N_("Steps from α₀ to η_min.")),
         "eta_min": _ETA_MIN},
        lambda o, steps, base_lr, T_max, eta_min: S.CosineAnnealingLR(o, T_max, eta_min),
        _below_base("eta_min", N_("The cosine's floor"))),
    "cosine_restarts": Schedule(
        "Cosine with warm restarts", r"\alpha_t = \eta_{min} + \tfrac12(\alpha_0 - \eta_{min})(1 + \cos(\pi t_{cur}/T_i))",
        N_("SGDR: cosine down, then jump back to α₀; each period T_mult times longer. A restart can kick the "
           "weights out of a poor basin, like the cyclic rate."),
        "002 'Cyclic Learning Rate'",
        {"T_0": Knob(N_("First period T₀"), 0.25, 1, 1_000_000, kind="steps", help=N_("Steps until the first restart.")),
         "T_mult": Knob(N_("Period growth"), 1, 1, 4, kind="int", help=N_("Each period is this many times the last.")),
         "eta_min": _ETA_MIN},
        lambda o, steps, base_lr, T_0, T_mult, eta_min: S.CosineAnnealingWarmRestarts(o, T_0, T_mult, eta_min),
        _below_base("eta_min", N_("The cosine's floor"))),
    "inverse_sqrt": Schedule(
        "Inverse square root", r"\alpha_t = \alpha_0 / \sqrt{1 + t/\tau}",
        N_("001 lists it: decays fast at first, then ever more slowly (Transformers use it after a warmup)."),
        "001 'Decaying learning rate'",
        {"timescale": Knob(N_("Time scale τ"), 0.05, 1, 1_000_000, kind="steps",
                           help=N_("After τ steps the lr is α₀/√2; after 3τ, α₀/2."))},
        lambda o, steps, base_lr, timescale: S.LambdaLR(o, _inverse_sqrt(timescale))),
    "cyclic": Schedule(
        "Cyclic (CLR)", r"\alpha_t = \alpha_0 + (\alpha_{max} - \alpha_0)\,\max(0, 1 - |t/s - 2c - 1|)\,\text{scale}(c)",
        N_("002: decay cannot leave a saddle point; raising the rate again can, so let it go up and down "
           "(Smith 2017). triangular keeps the peak, triangular2 halves it every cycle, exp_range shrinks it by γ^t."),
        "002 'Cyclic Learning Rate'",
        {"max_lr": _MAX_LR,
         "step_size_up": Knob(N_("Half cycle s"), 0.1, 1, 1_000_000, kind="steps", within_run=True,
                              help=N_("Steps from the base lr up to the peak (and as many back down).")),
         "mode": Knob(N_("Mode"), "triangular", kind="choice", choices=("triangular", "triangular2", "exp_range")),
         "gamma": Knob(N_("γ (exp_range)"), 0.99, 0.5, 1.0, step=0.001,
                       help=N_("exp_range multiplies the amplitude by γ every step."))},
        _cyclic, _above_base("Cyclic")),
    "one_cycle": Schedule(
        "One cycle", r"\alpha_0 \nearrow \alpha_{max} \text{ (first } p\,T) \searrow \alpha_0 / d_{final}",
        N_("Smith & Topin 2018: one warm-up to a high peak, then a long anneal far below the start."),
        "002 'Cyclic Learning Rate', 'Learning Rate Decay' (warmup)",
        {"max_lr": _MAX_LR,
         "pct_start": Knob(N_("Rising share p"), 0.3, 0.05, 0.95, step=0.05, help=N_("Share of the run spent going up.")),
         "anneal_strategy": Knob(N_("Shape"), "cos", kind="choice", choices=("cos", "linear")),
         "final_div_factor": Knob(N_("Final ÷"), 1e4, 1.0, 1e6, log=True, help=N_("The last lr is base lr ÷ this."))},
        _one_cycle, _above_base("One cycle")),
    "plateau": Schedule(
        "Reduce on plateau", r"\alpha \leftarrow \max(f\,\alpha, \alpha_{min}) \text{ after } P \text{ steps without improvement}",
        N_("001: 'divide the learning rate by 10 when the validation error plateaus' "
           "(Keras ReduceLROnPlateau(monitor='val_loss', factor=0.2, patience=5, min_lr=0.001)). Keras cuts on the "
           "5th epoch without improvement; torch's patience counts tolerated epochs, so patience=5 cuts on the 6th."),
        "001 'Decaying learning rate'",
        {"factor": Knob(N_("Factor f"), 0.2, 0.01, 0.99, step=0.01, help=N_("The lr is multiplied by f at each reduction.")),
         "patience": Knob(N_("Patience P"), 5, 0, 100, kind="int",
                          help=N_("Steps without improvement tolerated: torch cuts on bad step P + 1 (Keras on bad "
                                  "step P, so Keras' patience=5 is torch's 4).")),
         "threshold": Knob(N_("Threshold"), 1e-4, 1e-5, 0.5, log=True,
                           help=N_("An improvement must beat the best by this share (relative).")),
         "min_lr": Knob(N_("Floor"), 0.0, 0.0, 1e3, kind="lr", help=N_("The lr never goes below this (absolute)."))},
        lambda o, steps, base_lr, factor, patience, threshold, min_lr:
            S.ReduceLROnPlateau(o, factor=factor, patience=patience, threshold=threshold, min_lr=min_lr),
        _below_base("min_lr", N_("The floor")), needs_metric=True),
    "batch_growth": Schedule(
        "Grow the batch (lr constant)", r"\alpha_t = \alpha_0,\;\; B_t = B_0\,k^{\lfloor t/s \rfloor}",
        N_("001 / Smith et al. 2017, 'Don't decay the learning rate, increase the batch size': multiplying the "
           "batch by k cuts the gradient noise like dividing the lr by k, with k times fewer steps per epoch."),
        "001 'Decaying learning rate' (arXiv:1711.00489)",
        {"step_size": Knob(N_("Period s"), 0.3, 1, 1_000_000, kind="steps", within_run=True,
                           help=N_("Steps between two growths.")),
         "factor": Knob(N_("Growth k"), 5.0, 1.0, 100.0, step=0.5,
                        help=N_("The batch is multiplied by k (Smith et al. use 5)."))},
        lambda o, steps, base_lr, step_size, factor: S.LambdaLR(o, lambda t: 1.0), grows_batch=True),
}


def _dummy_optimizer(lr: float) -> torch.optim.Optimizer:
    """A one-parameter SGD to drive a scheduler without training."""
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)


def _driven(sched):
    """Mark the scheduler's optimizer as stepped (a no-op step: no gradients), as torch expects before sched.step()."""
    sched.optimizer.step()
    return sched


def _silent_step(sched, metric: float | None = None) -> None:
    sched.step(metric) if isinstance(sched, S.ReduceLROnPlateau) else sched.step()


_UNITS = {("steps", True): N_("{n} step"), ("steps", False): N_("{n} steps"),
          ("epochs", True): N_("{n} epoch"), ("epochs", False): N_("{n} epochs")}


def _unit_name(unit: str, n: int) -> str:
    """"1 step", "1,000 epochs": a count of the run's unit in the reader's language."""
    message = _UNITS.get((unit, n == 1))
    return _(message).format(n=f"{n:,}") if message else f"{n:,} {unit if n != 1 else unit.rstrip('s')}"


def params_for(name: str, steps: int, base_lr: float, unit: str = "steps", **params: Any) -> dict[str, Any]:
    """The schedule's full, checked parameters: defaults for this run filled in, values in range and consistent.

    Raises ValueError with a sentence a student understands; `unit` ("steps", "epochs") is used in messages."""
    if name not in SCHEDULES:
        raise ValueError(_("Unknown schedule {name}; choose one of: {choices}.").format(
            name=repr(name), choices=", ".join(SCHEDULES)))
    sched = SCHEDULES[name]
    unknown = set(params) - set(sched.knobs)
    if unknown:
        if not sched.knobs:
            raise ValueError(_("{schedule} has no parameter {names}; it takes no parameters.").format(
                schedule=sched.label, names=", ".join(sorted(unknown))))
        raise ValueError(_("{schedule} has no parameter {names}; it takes {takes}.").format(
            schedule=sched.label, names=", ".join(sorted(unknown)), takes=", ".join(sched.knobs)))
    if not isinstance(steps, int) or steps < 1:
        raise ValueError(_("The run must have at least one step (got {steps}).").format(steps=repr(steps)))
    if not (isinstance(base_lr, (int, float)) and math.isfinite(base_lr) and base_lr > 0):
        raise ValueError(_("The base learning rate must be a positive number (got {lr}).").format(lr=repr(base_lr)))
    full = {k: knob.resolve(steps, base_lr) for k, knob in sched.knobs.items()} | params
    for key, knob in sched.knobs.items():
        problem = _knob_problem(sched.label, knob, full[key], steps, base_lr, unit)
        if problem:
            raise ValueError(problem)
        if knob.kind in ("steps", "int"):
            full[key] = int(full[key])
        elif knob.kind == "steps_list":
            full[key] = tuple(int(v) for v in full[key])
        elif knob.kind != "choice":
            full[key] = float(full[key])
    problem = sched.consistent(steps, base_lr, **full)
    if problem:
        raise ValueError(problem)
    return full


def _knob_problem(what: str, knob: Knob, value: Any, steps: int, base_lr: float, unit: str) -> str | None:
    """Why `value` is not valid for this knob, or None."""
    name = f"{what}: {_(knob.label).lower()}"
    if knob.kind == "choice":
        return None if value in knob.choices else _("{name} must be one of {choices} (got {value}).").format(
            name=name, choices=", ".join(knob.choices), value=repr(value))
    values = value if knob.kind == "steps_list" else (value,)
    if knob.kind == "steps_list" and (not isinstance(value, (tuple, list)) or not value):
        return (_("{name} must be a list of epochs (got {value}).") if unit == "epochs" else
                _("{name} must be a list of steps (got {value}).")).format(name=name, value=repr(value))
    if knob.kind == "steps_list" and list(values) != sorted(set(values)):
        return _("{name} must increase (got {values}).").format(name=name, values=", ".join(map(str, values)))
    scale = base_lr if knob.kind == "lr" else 1.0
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            return _("{name} must be a number (got {value}).").format(name=name, value=repr(v))
        if knob.kind in ("steps", "steps_list", "int") and int(v) != v:
            return _("{name} must be a whole number (got {value}).").format(name=name, value=f"{v:g}")
        if (knob.lo is not None and v < knob.lo * scale) or (knob.hi is not None and v > knob.hi * scale):
            return _("{name} must be between {lo} and {hi} (got {value}).").format(
                name=name, lo=f"{knob.lo * scale:g}", hi=f"{knob.hi * scale:g}", value=f"{v:g}")
        if knob.within_run and v >= steps:
            return _("{name} is {value}, but the run has only {length}: it would never take effect.").format(
                name=name, value=_unit_name(unit, int(v)), length=_unit_name(unit, steps))
    return None


def check_warmup(warmup: str, warmup_steps: int, warmup_factor: float, steps: int, unit: str = "steps") -> None:
    """Raise ValueError if the warmup is unknown, longer than the run or its factor is outside (0, 1]."""
    if warmup not in WARMUPS:
        raise ValueError(_("Unknown warmup {warmup}; choose one of: {choices}.").format(
            warmup=repr(warmup), choices=", ".join(WARMUPS)))
    if warmup == "none":
        return
    if not isinstance(warmup_steps, int) or warmup_steps < 1:
        raise ValueError(_("A {warmup} warmup needs at least 1 step (got {steps}).").format(
            warmup=warmup, steps=repr(warmup_steps)))
    if warmup_steps >= steps:
        message = _("The warmup ({warmup}) is as long as the run ({run}): shorten it or train longer.") \
            if warmup_steps == steps else \
            _("The warmup ({warmup}) is longer than the run ({run}): shorten it or train longer.")
        raise ValueError(message.format(warmup=_unit_name(unit, warmup_steps), run=_unit_name(unit, steps)))
    if not (isinstance(warmup_factor, (int, float)) and 0 < warmup_factor <= 1):
        raise ValueError(_("The warmup factor must be in (0, 1]: the warmup starts at that share of the base lr "
                           "(got {factor}).").format(factor=repr(warmup_factor)))


def _warmup_maker(warmup: str, warmup_steps: int, warmup_factor: float):
    if warmup == "constant":
        return lambda o: S.ConstantLR(o, factor=warmup_factor, total_iters=warmup_steps)
    return lambda o: S.LinearLR(o, start_factor=warmup_factor, end_factor=1.0, total_iters=warmup_steps)


def build(name: str, optimizer: torch.optim.Optimizer, steps: int, warmup: str = "none", warmup_steps: int = 0,
          warmup_factor: float = 0.1, unit: str = "steps", **params: Any):
    """The torch scheduler of a schedule on `optimizer` (whose lr is the base lr), for a run of `steps` steps.

    With a warmup, the schedule proper runs over the remaining steps after it. Step it once per step (per epoch
    or per batch, as the run counts steps); a `needs_metric` schedule is stepped with the monitored metric."""
    base_lr = optimizer.param_groups[0]["lr"]
    check_warmup(warmup, warmup_steps, warmup_factor, steps, unit)
    rest = steps - (warmup_steps if warmup != "none" else 0)
    p = params_for(name, rest, base_lr, unit, **params)
    sched = SCHEDULES[name]
    if warmup == "none":
        return sched.make(optimizer, rest, base_lr, **p)
    warm = _warmup_maker(warmup, warmup_steps, warmup_factor)
    if sched.needs_metric:
        return _WarmThenPlateau(optimizer, warm, warmup_steps, factor=p["factor"], patience=p["patience"],
                                threshold=p["threshold"], min_lr=p["min_lr"])
    first = warm(optimizer)
    return S.SequentialLR(optimizer, [first, sched.make(optimizer, rest, base_lr, **p)], [warmup_steps])


def lr_curve(name: str, steps: int, base_lr: float, *, metrics=None, warmup: str = "none", warmup_steps: int = 0,
             warmup_factor: float = 0.1, **params: Any) -> np.ndarray:
    """The lr used at each of `steps` steps under the named schedule, as torch's scheduler sets it.

    `metrics` (one value per step, for "plateau") is what the scheduler monitors: after step i it sees metrics[i].
    Parameters left out take their defaults for this run (see SCHEDULES[name].knobs)."""
    if SCHEDULES.get(name, SCHEDULES["constant"]).needs_metric:
        metrics = np.asarray(metrics if metrics is not None else [], dtype=float)
        if len(metrics) < steps - 1:
            raise ValueError(_("Reduce on plateau needs the monitored metric at each step: {needed} values for "
                               "{steps} steps (got {count}).").format(needed=steps - 1, steps=steps,
                                                                       count=len(metrics)))
    opt = _dummy_optimizer(base_lr)
    sched = _driven(build(name, opt, steps, warmup, warmup_steps, warmup_factor, **params))
    group, out = opt.param_groups[0], np.empty(steps)
    for i in range(steps):
        out[i] = group["lr"]
        if i < steps - 1:
            _silent_step(sched, None if metrics is None else float(metrics[i]))
    return out


def batch_curve(steps: int, base_batch: int, **params: Any) -> np.ndarray:
    """The batch size at each step under "batch_growth": the batch grows by k exactly where a step decay with
    gamma = 1/k would cut the rate (torch's StepLR says where), so B_t = B_0 x alpha_0 / alpha_t(step decay)."""
    p = params_for("batch_growth", steps, 1.0, **params)
    decay = lr_curve("step", steps, 1.0, step_size=p["step_size"], gamma=1.0 / p["factor"])
    return np.rint(base_batch / decay).astype(int)


def plateau_metric(steps: int, stall_at: float = 0.4, noise: float = 0.01, seed: int = 0) -> np.ndarray:
    """A made-up validation loss for the designer: falls like 1/(1 + t), then stalls from `stall_at` of the run."""
    t = np.arange(steps, dtype=float)
    stall = max(1.0, stall_at * steps)
    loss = 1.0 / (1.0 + 10.0 * np.minimum(t, stall) / max(steps, 1))
    return loss + noise * np.random.default_rng(seed).standard_normal(steps)


def reductions(lr: np.ndarray) -> np.ndarray:
    """Indices of the steps whose lr is lower than the step before (where a plateau schedule cut the rate)."""
    lr = np.asarray(lr, dtype=float)
    return np.flatnonzero(lr[1:] < lr[:-1] * (1 - 1e-9)) + 1


@dataclass(frozen=True)
class ScheduleSpec:
    """One schedule of a race, as plain values: a SCHEDULES key, its parameters (name, value) pairs (missing ones
    take their defaults for the run), and an optional warmup. Build with `ScheduleSpec.of("cosine", eta_min=0)`."""

    name: str = "constant"
    params: tuple[tuple[str, Any], ...] = ()
    warmup: str = "none"
    warmup_steps: int = 0
    warmup_factor: float = 0.1

    def __post_init__(self) -> None:
        """The canonical form, so that two specs that say the same compare equal however they were built (keywords,
        a link): parameters sorted, lists as tuples, one milestone as a 1-tuple, no warmup length without a warmup."""
        knobs = SCHEDULES[self.name].knobs if self.name in SCHEDULES else {}
        params = tuple(sorted((k, _canonical(v, knobs.get(k))) for k, v in self.params))
        object.__setattr__(self, "params", params)
        if self.warmup == "none":  # no warmup: its length and factor mean nothing
            object.__setattr__(self, "warmup_steps", 0)
            object.__setattr__(self, "warmup_factor", 0.1)

    @classmethod
    def of(cls, name: str, *, warmup: str = "none", warmup_steps: int = 0, warmup_factor: float = 0.1,
           **params: Any) -> "ScheduleSpec":
        return cls(name, tuple(params.items()), warmup, warmup_steps, warmup_factor)

    @property
    def warmup_kwargs(self) -> dict[str, Any]:
        return dict(warmup=self.warmup, warmup_steps=self.warmup_steps, warmup_factor=self.warmup_factor)

    @property
    def label(self) -> str:
        """"Step decay (gamma=0.5) + gradual warmup 5": enough to tell two specs of a race apart."""
        entry = SCHEDULES.get(self.name)
        text = entry.label if entry else self.name
        if self.params:
            text += " (" + ", ".join(f"{k}={_show(v)}" for k, v in self.params) + ")"
        if self.warmup != "none":
            text += f" + {self.warmup} warmup {self.warmup_steps}"
        return text

    def without_defaults(self, steps: int, base_lr: float) -> "ScheduleSpec":
        """The same spec without the parameters that equal their defaults for this run."""
        entry, rest = SCHEDULES.get(self.name), steps - self.warmup_steps
        defaults = {k: knob.resolve(rest, base_lr) for k, knob in entry.knobs.items()} if entry and rest > 0 else {}
        changed = tuple((k, v) for k, v in self.params if not _same(defaults.get(k), v))
        return ScheduleSpec(self.name, changed, self.warmup, self.warmup_steps, self.warmup_factor)

    def describe(self, steps: int, base_lr: float) -> str:
        """The label with only the parameters that differ from their defaults for this run."""
        return self.without_defaults(steps, base_lr).label

    def check(self, steps: int, base_lr: float, unit: str = "steps") -> dict[str, Any]:
        """The full parameters for this run; ValueError (naming the schedule) if they are out of range or clash."""
        check_warmup(self.warmup, self.warmup_steps, self.warmup_factor, steps, unit)
        rest = steps - self.warmup_steps
        return params_for(self.name, rest, base_lr, unit, **dict(self.params))

    def resolved(self, steps: int, base_lr: float) -> "ScheduleSpec":
        """The same spec with every parameter spelled out for this run (two specs that run alike compare equal)."""
        return ScheduleSpec.of(self.name, **self.warmup_kwargs, **self.check(steps, base_lr))

    def build(self, optimizer: torch.optim.Optimizer, steps: int, unit: str = "steps"):
        """The torch scheduler on `optimizer` (see `build`)."""
        return build(self.name, optimizer, steps, unit=unit, **self.warmup_kwargs, **dict(self.params))

    def curve(self, steps: int, base_lr: float, metrics=None) -> np.ndarray:
        """The lr at each step (see `lr_curve`)."""
        return lr_curve(self.name, steps, base_lr, metrics=metrics, **self.warmup_kwargs, **dict(self.params))


def _canonical(value: Any, knob: Knob | None) -> Any:
    """A parameter's value in one spelling: a list as a tuple, a single number for a list of steps as a 1-tuple."""
    if isinstance(value, list):
        return tuple(value)
    if knob is not None and knob.kind == "steps_list" and isinstance(value, (int, float)):
        return (value,)
    return value


def _show(v: Any) -> str:
    if isinstance(v, tuple):
        return "/".join(_show(x) for x in v)
    return f"{v:g}" if isinstance(v, float) else str(v)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and math.isclose(a, b, rel_tol=1e-9)
    return a == b


def labels(specs, steps: int, base_lr: float) -> tuple[str, ...]:
    """Short labels for a set of specs (defaults left out), numbered where two would read the same."""
    return numbered(spec.describe(steps, base_lr) for spec in specs)


def check_set(specs, steps: int, base_lr: float, unit: str, max_count: int, verb: str) -> None:
    """ValueError if a page's set of schedules is empty, too large, or one of them does not fit the run."""
    if not specs:
        raise ValueError(_("{verb}: choose at least one schedule.").format(verb=_(verb)))
    if len(specs) > max_count:
        raise ValueError(_("{verb} at most {most} schedules at once (got {count}).").format(
            verb=_(verb), most=max_count, count=len(specs)))
    for spec in specs:
        spec.check(steps, base_lr, unit)
