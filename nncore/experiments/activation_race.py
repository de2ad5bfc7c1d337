"""Convergence race: the same network, data set and seed trained with each activation (002, 003, AlexNet's "6x").

The race itself is `nncore.activation_runs` (the dead-ReLU lesson trains the same way); here are the lesson's presets
and what to notice in a race's numbers.
"""
from __future__ import annotations

import numpy as np

from nncore.activation_runs import FLAT_SLOPE, Config, Result, Run, check, run
from nncore.activations import ACTIVATIONS
from nncore.params import Preset

__all__ = ["Config", "Result", "Run", "check", "run", "PRESETS", "notice_speed", "notice_units", "notice_time",
           "saturating"]

PRESETS = {
    "AlexNet's setup, our data": Preset(Config(), "SGD + momentum on the spiral, one init for all: does ReLU "
                                        "reach the finish line ~6x sooner than tanh?",
                                        "002 'ReLU: converges much faster than sigmoid/tanh in practice (e.g. 6x)'"),
    "He init, plain SGD": Preset(Config(init="kaiming_normal", optimizer="sgd", lr=0.1),
                                 "The same claim under another, equally reasonable setup.", "003 'ReLU ... (ej. 6x)'"),
    "Digits (64 inputs, 10 classes)": Preset(Config(dataset="digits", samples=1797, optimizer="sgd", lr=0.05,
                                                    target_acc=0.9), "Real images instead of a toy set.",
                                             "002 'Converges much faster than sigmoid/tanh'"),
    "Too large a learning rate": Preset(Config(activations=("relu", "leaky_relu", "elu", "tanh"), lr=1.0,
                                               optimizer="sgd", epochs=20),
                                        "ReLU does not saturate: with a large step its units can die, or the loss "
                                        "can blow up.", "003 'Usar ReLU pero tener cuidado con la tasa de aprendizaje'"),
    "Learned activations": Preset(Config(activations=("relu", "leaky_relu", "prelu", "maxout")),
                                  "PReLU learns its slope α and Maxout its pieces during training.",
                                  "002 'PReLU', 'Maxout'"),
}


def _label(name: str) -> str:
    return ACTIVATIONS[name].label


def notice_speed(r: Result) -> str:
    """Who reached the finish line first, and the ReLU / tanh ratio against AlexNet's 6x, from this run."""
    cfg, runs = r.config, r.runs
    goal = f"{cfg.target_acc:.0%} training accuracy"
    reached = {n: run.epochs_to_target for n, run in runs.items() if run.epochs_to_target is not None}
    if not reached:
        return f"No activation reached {goal} in {cfg.epochs} epochs: train longer or raise the learning rate."
    order = sorted(reached, key=reached.get)
    first = [n for n in order if reached[n] == reached[order[0]]]   # a tie is not a win
    rest = order[len(first):]
    text = (f"First to {goal}: {' and '.join(_label(n) for n in first)} in {reached[order[0]]} epochs"
            + (" (a tie)" if len(first) > 1 else "")
            + (f", then {', '.join(f'{_label(n)} ({reached[n]})' for n in rest)}" if rest else "") + ". ")
    missing = [_label(n) for n in runs if n not in reached]
    if missing:
        text += f"Not reached in {cfg.epochs} epochs: {', '.join(missing)}. "
    if "relu" in runs and "tanh" in runs:
        relu, tanh = reached.get("relu"), reached.get("tanh")
        if relu and tanh:
            ratio = tanh / relu
            verdict = ("close to AlexNet's 6x" if ratio >= 4 else "faster, but far from AlexNet's 6x" if ratio > 1.2
                       else "no faster than tanh" if ratio >= 0.8 else "slower than tanh: the opposite of the claim")
            text += f"ReLU needed {relu} epochs, tanh {tanh}: a ratio of {ratio:.1f}x, {verdict} on this setup."
        elif relu:
            text += f"ReLU got there in {relu} epochs and tanh not within {cfg.epochs}: more than {cfg.epochs / relu:.1f}x."
        elif tanh:
            text += f"Tanh got there in {tanh} epochs and ReLU not within {cfg.epochs}: the claim fails here."
    return text.strip()


def notice_units(r: Result) -> str:
    """Dead units and flat activations at the end of training, and any divergence."""
    parts, diverged = [], []
    for name, run in r.runs.items():
        if run.diverged_at is not None:
            diverged.append(f"{_label(name)} (epoch {run.diverged_at})")
            continue
        last = np.flatnonzero(np.isfinite(run.dead_fraction))
        dead = run.dead_fraction[last[-1]] if len(last) else run.dead_at_init
        if dead > 0 or run.dead_at_init > 0:
            parts.append(f"{_label(name)}: {run.dead_at_init:.0%} dead at init → {dead:.0%} at the end")
    finished = "run" if not diverged else "run that did not blow up"
    text = ("Dead units (no gradient on any training sample): " + "; ".join(parts) + ".") if parts else \
        f"No unit died in any {finished}: every hidden unit passes gradient on at least one training sample."
    if len(diverged) == len(r.runs):
        text = ""
    text += _flat_text(r)
    if diverged:
        text += f" The loss blew up (inf/NaN) for {', '.join(diverged)}: their curves stop there."
    if "prelu" in r.runs and r.runs["prelu"].alpha is not None:
        alpha = r.runs["prelu"].alpha
        done = alpha[np.isfinite(alpha)]
        if len(done):
            text += f" PReLU's learned α moved from {ACTIVATIONS['prelu'].params['alpha'][0]:g} to {done[-1]:.3f}."
    return text


def saturating(name: str) -> bool:
    """Bounded on both sides (sigmoid, tanh): a flat slope there is saturation, the flat ends near the bounds."""
    return ACTIVATIONS[name].saturation_bounds() is not None


def _flat_text(r: Result) -> str:
    """The share passing almost no gradient at the end, saturation (bounded activations) apart from the z < 0 side
    of the unbounded ones (low z), where ReLU's slope is exactly 0 by design."""
    flat = {n: run.flat_fraction[np.isfinite(run.flat_fraction)][-1] for n, run in r.runs.items()
            if np.isfinite(run.flat_fraction).any() and run.diverged_at is None}
    listed = lambda names: ", ".join(f"{_label(n)} {flat[n]:.0%}" for n in sorted(names, key=flat.get, reverse=True))
    ends = [n for n in flat if saturating(n)]
    low = [n for n in flat if not saturating(n) and flat[n] >= 0.005]    # shown as at least 1%
    if not ends and not low:
        return ""
    parts = ([f"saturated, on the flat ends of a bounded activation: {listed(ends)}"] if ends else []) + \
        ([f"on the low-z side of an unbounded one: {listed(low)}"] if low else [])
    text = f" Activations passing almost no gradient (|f'| < {FLAT_SLOPE}) at the end — " + "; ".join(parts) + "."
    if "relu" in low:
        text += (f" ReLU's slope is exactly 0 for every z ≤ 0, and it was off on {r['relu'].flat_at_init:.0%} of "
                 "(sample, unit) pairs already at init: being off on part of the samples is how a ReLU works, not "
                 "saturation; a unit is lost only when it is off on every sample (dead).")
    return text


def notice_time(r: Result) -> str:
    """The cost per epoch of each activation."""
    times = {n: float(np.nanmedian(run.epoch_time)) for n, run in r.runs.items() if np.isfinite(run.epoch_time).any()}
    text = f"Median time per epoch: {', '.join(f'{_label(n)} {1000 * t:.1f} ms' for n, t in times.items())}. "
    if len(times) > 1:
        fast, slow = min(times, key=times.get), max(times, key=times.get)
        text += (f"The slowest ({_label(slow)}) costs {times[slow] / times[fast]:.2f}x the fastest ({_label(fast)})"
                 + (": on a network this small, per-call overhead, not the exp, dominates. "
                    if times[slow] / times[fast] < 1.5 else ". "))
    return text + f"The whole race took {r.seconds:.1f} s."
