"""Activation explorer: f(x) and f'(x) (by autograd) on a grid, and where each function saturates (002, 003, 001)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from nncore import activations
from nncore.activations import ACTIVATIONS
from nncore.i18n import N_, _, ngettext, number
from nncore.params import Preset, param, validate
from nncore.per_activation import PerActivation, labels, require_choice

POINTS = 1201  # grid points: a multiple of 2 plus 1, so x = 0 (every kink) is on the grid


@dataclass(frozen=True)
class Config:
    """Which activations to draw, their parameters, the x range and the slope below which a unit counts as saturated."""

    activations: tuple = param(("sigmoid", "tanh", "relu", "leaky_relu", "elu"), choices=ACTIVATIONS,
                               label=N_("Activations"), help=N_("Overlay as many as you like."))
    leaky_alpha: float = param(0.1, -1.0, 1.0, step=0.01, label=N_("Leaky ReLU α"),
                               help=N_("Slope for x < 0 (0.1 on the first slide, 0.01 in 002). Try a negative value."))
    prelu_alpha: float = param(0.25, -1.0, 1.0, step=0.01, label=N_("PReLU initial α"),
                               help=N_("PReLU learns α; this is where it starts (torch's default 0.25)."))
    elu_alpha: float = param(1.0, 0.0, 10.0, step=0.1, label=N_("ELU α"), help=N_("ELU tends to −α for x ≪ 0."))
    softplus_beta: float = param(1.0, 0.1, 10.0, step=0.1, label=N_("Softplus β"), help=N_("Large β: close to ReLU."))
    maxout_k: int = param(2, 2, 8, label=N_("Maxout pieces k"),
                          help=N_("k = 2 starts as ReLU; more pieces approach softplus."))
    x_max: float = param(6.0, 1.0, 20.0, step=0.5, label=N_("x range ±"), help=N_("The grid runs from −x to x."))
    threshold: float = param(0.01, 1e-4, 0.5, log=True, label=N_("Saturation threshold"),
                             help=N_("Shade where |f'(x)| is below this: a unit there passes almost no gradient."))


@dataclass(frozen=True)
class Result(PerActivation):
    """For each chosen activation (in `names` order): values, slopes and the saturated intervals of the grid."""

    x: np.ndarray                 # (points,)
    values: np.ndarray            # (activations, points) f(x)
    slopes: np.ndarray            # (activations, points) f'(x) by autograd
    regions: tuple                # per activation: (r, 2) array of [x_from, x_to] where |f'| < threshold
    saturated_share: np.ndarray   # (activations,) share of the grid inside those regions
    max_slope: np.ndarray         # (activations,) largest |f'| on the grid
    monotonic: np.ndarray         # (activations,) bool: f never decreases on the grid


PARAM_FIELDS = {"leaky_relu": ("alpha", "leaky_alpha"), "prelu": ("alpha", "prelu_alpha"),
                "elu": ("alpha", "elu_alpha"), "softplus": ("beta", "softplus_beta"), "maxout": ("k", "maxout_k")}


def params_for(name: str, cfg) -> dict:
    """The registry parameters of `name` from a config's fields (leaky_alpha -> alpha, ...)."""
    if name not in PARAM_FIELDS or not hasattr(cfg, PARAM_FIELDS[name][1]):
        return {}
    key, attr = PARAM_FIELDS[name]
    return {key: getattr(cfg, attr)}


def unused_fields(chosen: tuple) -> tuple:
    """The parameter fields of the activations that are not chosen (a page need not show their sliders)."""
    return tuple(attr for name, (_key, attr) in PARAM_FIELDS.items() if name not in chosen)


def check(cfg: Config) -> None:
    """Raise ValueError for an empty selection or an invalid field, with the reason a student needs."""
    require_choice(cfg.activations, _("Pick at least one activation function to draw."))
    if cfg.maxout_k < 2:
        raise ValueError(_("Maxout needs at least 2 pieces (got {k}): one piece is a single line, no nonlinearity at "
                           "all.").format(k=cfg.maxout_k))
    validate(cfg)


def intervals(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The [from, to] x-intervals where `mask` is True, as an (r, 2) array (each run of the grid is one interval)."""
    padded = np.concatenate([[False], mask, [False]]).astype(int)
    starts, ends = np.flatnonzero(np.diff(padded) == 1), np.flatnonzero(np.diff(padded) == -1) - 1
    return np.stack([x[starts], x[ends]], axis=1) if len(starts) else np.zeros((0, 2))


def run(cfg: Config, on_progress=None) -> Result:
    """Evaluate each activation and its autograd derivative on a grid over [-x_max, x_max]."""
    check(cfg)
    half = POINTS // 2
    x = torch.arange(-half, half + 1, dtype=torch.float64).div(half).mul(cfg.x_max).float()  # exactly 0 in the middle
    values, slopes = [], []
    for name in cfg.activations:
        y, g = activations.value_and_slope(activations.make(name, **params_for(name, cfg)), x)
        values.append(y.numpy())
        slopes.append(g.numpy())
    values, slopes, xs = np.array(values, dtype=float), np.array(slopes, dtype=float), x.numpy().astype(float)
    flat = np.abs(slopes) < cfg.threshold
    return Result(cfg, tuple(cfg.activations), labels(cfg.activations), xs, values, slopes,
                  tuple(intervals(xs, m) for m in flat), flat.mean(axis=1), np.abs(slopes).max(axis=1),
                  np.all(np.diff(values, axis=1) >= -1e-7, axis=1))


PRESETS = {
    N_("The slides' six"): Preset(Config(activations=("sigmoid", "tanh", "relu", "leaky_relu", "maxout", "elu")), N_(
        "002/003's first slide: sigmoid and tanh saturate on both sides; ReLU is flat for x < 0; Leaky ReLU, Maxout "
        "and ELU keep a slope there."), "002 & 003 'Activation Functions'"),
    N_("Sigmoid vs tanh"): Preset(Config(activations=("sigmoid", "tanh")), N_(
        "tanh(x) = 2σ(2x) − 1: the same S, zero-centered. Compare their slopes."), "002 'Sigmoid', 'Tanh'"),
    N_("Smooth ReLUs"): Preset(Config(activations=("relu", "elu", "selu", "gelu", "silu", "softplus")), N_(
        "All follow x for x ≫ 0; they differ in how they bend near 0 and what they do for x < 0."),
        "003 'Swish'; ELU (002, 003)"),
    N_("Negative α"): Preset(Config(activations=("relu", "leaky_relu"), leaky_alpha=-0.5), N_(
        "With α < 0 Leaky ReLU is no longer monotonic: negative inputs give positive outputs."),
        "001 EXTRAS: 0 < α < 1"),
}


def _name(name: str) -> str:
    return ACTIVATIONS[name].label


def notice_values(r: Result) -> str:
    """What the shapes show: which outputs are bounded, which ones are not monotonic."""
    parts = []
    for i, name in enumerate(r.names):
        if not r.monotonic[i]:
            parts.append(_("{name} is not monotonic here (its slope is {slope} for x < 0): a larger input can give a "
                           "smaller output.").format(name=_name(name), slope=number(r.slopes[i].min(), ".2g")))
    bounded = [i for i, n in enumerate(r.names) if all(map(np.isfinite, ACTIVATIONS[n].output_range))]
    if bounded:
        names = ", ".join(_name(r.names[i]) for i in bounded)
        flat = all(max(abs(r.slopes[i][0]), abs(r.slopes[i][-1])) < r.config.threshold for i in bounded)
        if flat:
            parts.append(ngettext("{names} has bounded outputs; at x = ±{x} their slopes are already below "
                                  "{threshold}: flat ends.",
                                  "{names} have bounded outputs; at x = ±{x} their slopes are already below "
                                  "{threshold}: flat ends.", len(bounded)).format(
                names=names, x=number(r.config.x_max, "g"), threshold=number(r.config.threshold, "g")))
        else:
            parts.append(ngettext("{names} has bounded outputs; widen the x range to see its flat ends.",
                                  "{names} have bounded outputs; widen the x range to see their flat ends.",
                                  len(bounded)).format(names=names))
    centered = [_name(n) for n in r.names if ACTIVATIONS[n].zero_centered]
    if centered:
        parts.append(_("Zero-centered: {names}.").format(names=", ".join(centered)))
    return " ".join(parts) or _("Every chosen function is monotonic and unbounded above on this range.")


def notice_slopes(r: Result) -> str:
    """What the derivatives show: the largest slope of each, and how much of the grid is saturated."""
    thr = number(r.config.threshold, "g")
    parts = []
    for i, name in enumerate(r.names):
        share, learned = r.saturated_share[i], ACTIVATIONS[name].learned
        values = dict(name=_name(name), slope=number(r.max_slope[i], ".3g"), threshold=thr)
        if share > 0:
            where = "; ".join(_("[{low}, {high}]").format(low=number(a, ".2g"), high=number(b, ".2g"))
                              for a, b in r.regions[i][:2])
            text = (_("{name} (as initialized): max slope {slope}, |f'| < {threshold} on {share} of the grid "
                      "({where})") if learned else
                    _("{name}: max slope {slope}, |f'| < {threshold} on {share} of the grid ({where})"))
            parts.append(text.format(share=number(share, ".0%"), where=where, **values))
        else:
            parts.append((_("{name} (as initialized): max slope {slope}, never below {threshold} here") if learned else
                          _("{name}: max slope {slope}, never below {threshold} here")).format(**values))
    return "; ".join(parts) + "."


def notice_params(cfg: Config) -> str | None:
    """A warning about unusual parameter values of the chosen activations (a negative α), or None."""
    notes = []
    for name, attr in (("leaky_relu", "leaky_alpha"), ("prelu", "prelu_alpha")):
        if name in cfg.activations and getattr(cfg, attr) < 0:
            note = ACTIVATIONS["leaky_relu"].param_notes["alpha"]
            notes.append(_("{activation} with α = {alpha}: {note}").format(
                activation=ACTIVATIONS[name].label, alpha=number(getattr(cfg, attr), "g"), note=_(note)))
    return " ".join(notes) or None
