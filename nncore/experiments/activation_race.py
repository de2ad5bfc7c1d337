"""Convergence race: the same network, data set and seed trained with each activation (002, 003, AlexNet's "6x").

The race itself is `nncore.activation_runs` (the dead-ReLU lesson trains the same way); here are the lesson's presets
and what to notice in a race's numbers.
"""
from __future__ import annotations

import numpy as np

from nncore.activation_runs import FLAT_SLOPE, Config, Result, Run, check, run
from nncore.activations import ACTIVATIONS
from nncore.i18n import N_, _, ngettext, number
from nncore.params import Preset

__all__ = ["Config", "Result", "Run", "check", "run", "PRESETS", "notice_speed", "notice_units", "notice_time",
           "saturating"]

PRESETS = {
    N_("AlexNet's setup, our data"): Preset(Config(), N_(
        "SGD + momentum on the spiral, one init for all: does ReLU reach the finish line ~6x sooner than tanh?"),
        "002 'ReLU: converges much faster than sigmoid/tanh in practice (e.g. 6x)'"),
    N_("He init, plain SGD"): Preset(Config(init="kaiming_normal", optimizer="sgd", lr=0.1), N_(
        "The same claim under another, equally reasonable setup."), "003 'ReLU ... (ej. 6x)'"),
    N_("Digits (64 inputs, 10 classes)"): Preset(Config(dataset="digits", samples=1797, optimizer="sgd", lr=0.05,
                                                        target_acc=0.9), N_("Real images instead of a toy set."),
                                                 "002 'Converges much faster than sigmoid/tanh'"),
    N_("Too large a learning rate"): Preset(Config(activations=("relu", "leaky_relu", "elu", "tanh"), lr=1.0,
                                                   optimizer="sgd", epochs=20), N_(
        "ReLU does not saturate: with a large step its units can die, or the loss can blow up."),
        "003 'Usar ReLU pero tener cuidado con la tasa de aprendizaje'"),
    N_("Learned activations"): Preset(Config(activations=("relu", "leaky_relu", "prelu", "maxout")), N_(
        "PReLU learns its slope α and Maxout its pieces during training."), "002 'PReLU', 'Maxout'"),
}


def _label(name: str) -> str:
    return ACTIVATIONS[name].label


def _and(labels: list[str]) -> str:
    """'ReLU', 'ReLU and ELU', 'ReLU, ELU and Tanh' in the current language."""
    if len(labels) == 1:
        return labels[0]
    return _("{names} and {last}").format(names=", ".join(labels[:-1]), last=labels[-1])


def _first(r: Result, first: list[str], epochs: int, rest: list[str], reached: dict) -> str:
    """'First to 75% training accuracy: ReLU in 4 epochs, then Tanh (9).' (or a tie)."""
    tie = len(first) > 1
    values = dict(target=number(r.config.target_acc, ".0%"), names=_and([_label(n) for n in first]), epochs=epochs,
                  rest=", ".join(f"{_label(n)} ({reached[n]})" for n in rest))
    if rest:
        text = (ngettext("First to {target} training accuracy: {names} in {epochs} epoch (a tie), then {rest}.",
                         "First to {target} training accuracy: {names} in {epochs} epochs (a tie), then {rest}.",
                         epochs)
                if tie else
                ngettext("First to {target} training accuracy: {names} in {epochs} epoch, then {rest}.",
                         "First to {target} training accuracy: {names} in {epochs} epochs, then {rest}.", epochs))
    else:
        text = (ngettext("First to {target} training accuracy: {names} in {epochs} epoch (a tie).",
                         "First to {target} training accuracy: {names} in {epochs} epochs (a tie).", epochs) if tie else
                ngettext("First to {target} training accuracy: {names} in {epochs} epoch.",
                         "First to {target} training accuracy: {names} in {epochs} epochs.", epochs))
    return text.format(**values)


def _claim(relu: int | None, tanh: int | None, epochs: int) -> str:
    """ReLU's epochs against tanh's, as a verdict on AlexNet's 6x."""
    if relu and tanh:
        ratio = tanh / relu
        text = (_("ReLU needed {relu} epochs, tanh {tanh}: a ratio of {ratio}x, close to AlexNet's 6x on this setup.")
                if ratio >= 4 else
                _("ReLU needed {relu} epochs, tanh {tanh}: a ratio of {ratio}x, faster, but far from AlexNet's 6x on "
                  "this setup.") if ratio > 1.2 else
                _("ReLU needed {relu} epochs, tanh {tanh}: a ratio of {ratio}x, no faster than tanh on this setup.")
                if ratio >= 0.8 else
                _("ReLU needed {relu} epochs, tanh {tanh}: a ratio of {ratio}x, slower than tanh: the opposite of the "
                  "claim on this setup."))
        return text.format(relu=relu, tanh=tanh, ratio=number(ratio, ".1f"))
    if relu:
        return _("ReLU got there in {relu} epochs and tanh not within {epochs}: more than {ratio}x.").format(
            relu=relu, epochs=epochs, ratio=number(epochs / relu, ".1f"))
    if tanh:
        return _("Tanh got there in {tanh} epochs and ReLU not within {epochs}: the claim fails here.").format(
            tanh=tanh, epochs=epochs)
    return ""


def notice_speed(r: Result) -> str:
    """Who reached the finish line first, and the ReLU / tanh ratio against AlexNet's 6x, from this run."""
    cfg, runs = r.config, r.runs
    reached = {n: run.epochs_to_target for n, run in runs.items() if run.epochs_to_target is not None}
    if not reached:
        return _("No activation reached {target} training accuracy in {epochs} epochs: train longer or raise the "
                 "learning rate.").format(target=number(cfg.target_acc, ".0%"), epochs=cfg.epochs)
    order = sorted(reached, key=reached.get)
    first = [n for n in order if reached[n] == reached[order[0]]]   # a tie is not a win
    sentences = [_first(r, first, reached[order[0]], order[len(first):], reached)]
    missing = [_label(n) for n in runs if n not in reached]
    if missing:
        sentences.append(_("Not reached in {epochs} epochs: {names}.").format(epochs=cfg.epochs,
                                                                              names=", ".join(missing)))
    if "relu" in runs and "tanh" in runs:
        sentences.append(_claim(reached.get("relu"), reached.get("tanh"), cfg.epochs))
    return " ".join(filter(None, sentences))


def notice_units(r: Result) -> str:
    """Dead units and flat activations at the end of training, and any divergence."""
    parts, diverged = [], []
    for name, run in r.runs.items():
        if run.diverged_at is not None:
            diverged.append(_("{name} (epoch {epoch})").format(name=_label(name), epoch=run.diverged_at))
            continue
        last = np.flatnonzero(np.isfinite(run.dead_fraction))
        dead = run.dead_fraction[last[-1]] if len(last) else run.dead_at_init
        if dead > 0 or run.dead_at_init > 0:
            parts.append(_("{name}: {init} dead at init → {end} at the end").format(
                name=_label(name), init=number(run.dead_at_init, ".0%"), end=number(dead, ".0%")))
    sentences = []
    if parts:
        sentences.append(_("Dead units (no gradient on any training sample): {runs}.").format(runs="; ".join(parts)))
    elif len(diverged) < len(r.runs):
        sentences.append(_("No unit died in any run: every hidden unit passes gradient on at least one training "
                           "sample.") if not diverged else
                         _("No unit died in any run that did not blow up: every hidden unit passes gradient on at "
                           "least one training sample."))
    sentences.append(_flat_text(r))
    if diverged:
        sentences.append(_("The loss blew up (inf/NaN) for {names}: their curves stop there.").format(
            names=", ".join(diverged)))
    if "prelu" in r.runs and r.runs["prelu"].alpha is not None:
        alpha = r.runs["prelu"].alpha
        done = alpha[np.isfinite(alpha)]
        if len(done):
            sentences.append(_("PReLU's learned α moved from {start} to {end}.").format(
                start=number(ACTIVATIONS["prelu"].params["alpha"][0], "g"), end=number(done[-1], ".3f")))
    return " ".join(filter(None, sentences))


def saturating(name: str) -> bool:
    """Bounded on both sides (sigmoid, tanh): a flat slope there is saturation, the flat ends near the bounds."""
    return ACTIVATIONS[name].saturation_bounds() is not None


def _flat_text(r: Result) -> str:
    """The share passing almost no gradient at the end, saturation (bounded activations) apart from the z < 0 side
    of the unbounded ones (low z), where ReLU's slope is exactly 0 by design."""
    flat = {n: run.flat_fraction[np.isfinite(run.flat_fraction)][-1] for n, run in r.runs.items()
            if np.isfinite(run.flat_fraction).any() and run.diverged_at is None}
    listed = lambda names: ", ".join(f"{_label(n)} {number(flat[n], '.0%')}"
                                     for n in sorted(names, key=flat.get, reverse=True))
    ends = [n for n in flat if saturating(n)]
    low = [n for n in flat if not saturating(n) and flat[n] >= 0.005]    # shown as at least 1%
    if not ends and not low:
        return ""
    parts = ([_("saturated, on the flat ends of a bounded activation: {names}").format(names=listed(ends))]
             if ends else []) + \
        ([_("on the low-z side of an unbounded one: {names}").format(names=listed(low))] if low else [])
    text = _("Activations passing almost no gradient (|f'| < {flat}) at the end — {parts}.").format(
        flat=number(FLAT_SLOPE, "g"), parts="; ".join(parts))
    if "relu" in low:
        text += " " + _("ReLU's slope is exactly 0 for every z ≤ 0, and it was off on {share} of (sample, unit) pairs "
                        "already at init: being off on part of the samples is how a ReLU works, not saturation; a "
                        "unit is lost only when it is off on every sample (dead).").format(
            share=number(r["relu"].flat_at_init, ".0%"))
    return text


def notice_time(r: Result) -> str:
    """The cost per epoch of each activation."""
    times = {n: float(np.nanmedian(run.epoch_time)) for n, run in r.runs.items() if np.isfinite(run.epoch_time).any()}
    sentences = [_("Median time per epoch: {times}.").format(
        times=", ".join(_("{name} {ms} ms").format(name=_label(n), ms=number(1000 * t, ".1f"))
                        for n, t in times.items()))]
    if len(times) > 1:
        fast, slow = min(times, key=times.get), max(times, key=times.get)
        ratio = times[slow] / times[fast]
        sentences.append((_("The slowest ({slow}) costs {ratio}x the fastest ({fast}): on a network this small, "
                            "per-call overhead, not the exp, dominates.") if ratio < 1.5 else
                          _("The slowest ({slow}) costs {ratio}x the fastest ({fast}).")).format(
            slow=_label(slow), ratio=number(ratio, ".2f"), fast=_label(fast)))
    sentences.append(_("The whole race took {seconds} s.").format(seconds=number(r.seconds, ".1f")))
    return " ".join(sentences)
