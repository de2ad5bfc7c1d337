"""001's Z(x): a sum of six ReLU units, built term by term ("What kind of functions can NNs approximate?").

The slide (001, after Hornik's theorem) gives

    n1(x) = Relu(-5x - 7.7)    n2(x) = Relu(-1.2x - 1.3)    n3(x) = Relu(1.2x + 1)
    n4(x) = Relu(1.2x - .2)    n5(x) = Relu(2x - 1.1)       n6(x) = Relu(5x - 5)
    Z(x) = -n1(x) - n2(x) - n3(x) + n4(x) + n5(x) + n6(x)

Each unit is a hinge: 0 on one side of its kink x = -offset/slope, a straight line of that slope on the other. The
sum is a polyline that bends at every kink: the slope of Z there changes by the unit's signed slope. The student
edits each unit's slope and offset; the signs of the sum stay the slide's.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from nncore.i18n import N_, _, ngettext, number
from nncore.params import Each, Preset, param, validate

SIGNS = (-1.0, -1.0, -1.0, 1.0, 1.0, 1.0)            # Z = -n1 - n2 - n3 + n4 + n5 + n6
SLIDE_SLOPES = (-5.0, -1.2, 1.2, 1.2, 2.0, 5.0)
SLIDE_OFFSETS = (-7.7, -1.3, 1.0, -0.2, -1.1, -5.0)
LIMIT = 10.0                                          # each slope and offset lies in [-LIMIT, LIMIT]
GRID = 201                                            # evenly spaced points, plus every kink in the domain
UNITS = len(SIGNS)
NAMES = tuple(f"{'−' if s < 0 else '+'}n{i}" for i, s in enumerate(SIGNS, 1))


@dataclass(frozen=True)
class Config:
    """Each unit's slope and offset (n_i(x) = Relu(slope_i x + offset_i)) and the half-width of the x range drawn."""

    slopes: tuple[float, ...] = param(SLIDE_SLOPES, label=N_("Slopes"), link=Each(tuple(f"w{i}" for i in range(1, 7))))
    offsets: tuple[float, ...] = param(SLIDE_OFFSETS, label=N_("Offsets"),
                                       link=Each(tuple(f"b{i}" for i in range(1, 7))))
    extent: float = param(2.0, 0.5, 10.0, step=0.5, label=N_("x range (±)"), help=N_("Z is drawn on [-x, x]."))


@dataclass(frozen=True)
class Result:
    """Each signed unit sign_i n_i(x) on the grid, their sum Z, and where Z bends."""

    config: Config
    names: tuple[str, ...]  # each signed unit as the slide's sum writes it: "−n1", ..., "+n6"
    x: np.ndarray          # (points,) the grid, every kink inside the range included
    pieces: np.ndarray     # (6, points) sign_i * Relu(slope_i x + offset_i)
    z: np.ndarray          # (points,) the sum of the pieces
    kinks: np.ndarray      # (6,) x = -offset / slope of each unit (NaN for a slope of 0: no kink)
    bends: np.ndarray      # (k,) the kinks inside the range, sorted
    segment_slopes: np.ndarray   # (k + 1,) the slope of Z left of the first bend, between bends, right of the last


def check_units(values: tuple, name: str) -> None:
    """Six finite numbers within ±LIMIT; ValueError with a sentence otherwise (also a link's check). `name`: the
    field's English label ("Slopes"), shown in the current language."""
    if len(values) != UNITS:
        raise ValueError(_("{name} must hold {units} numbers, one per unit (got {got}).").format(
            name=_(name), units=UNITS, got=len(values)))
    for i, v in enumerate(values, 1):
        if not math.isfinite(v) or abs(v) > LIMIT:
            raise ValueError(_("{name}: unit n{i}'s value must be between {lo} and {hi} (got {got}).").format(
                name=_(name), i=i, lo=number(-LIMIT, "g"), hi=number(LIMIT, "g"), got=number(v, "g")))


def check(cfg: Config) -> None:
    validate(cfg)
    check_units(cfg.slopes, "Slopes")
    check_units(cfg.offsets, "Offsets")


def units(cfg: Config, x: torch.Tensor) -> torch.Tensor:
    """(6, points): sign_i * Relu(slope_i x + offset_i), every unit at once."""
    w, b, s = (torch.tensor(v, dtype=torch.float64)[:, None] for v in (cfg.slopes, cfg.offsets, SIGNS))
    return s * torch.relu(w * x + b)


def kinks_of(cfg: Config) -> np.ndarray:
    """Where each unit bends, x = -offset / slope (NaN where the slope is 0: a constant unit never bends)."""
    w, b = np.array(cfg.slopes), np.array(cfg.offsets)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(w != 0, -b / np.where(w != 0, w, 1.0), np.nan)


def run(cfg: Config, on_progress=None) -> Result:
    """The pieces and their sum on a grid that holds every kink, so the drawn polyline is exact."""
    check(cfg)
    kinks = kinks_of(cfg)
    bends = np.unique(kinks[np.abs(kinks) < cfg.extent])
    x = np.union1d(np.linspace(-cfg.extent, cfg.extent, GRID), bends)
    pieces = units(cfg, torch.from_numpy(x)).numpy()
    edges = np.concatenate([[-cfg.extent], bends, [cfg.extent]])
    middles = torch.from_numpy((edges[:-1] + edges[1:]) / 2)
    x_grad = middles.clone().requires_grad_(True)
    units(cfg, x_grad).sum().backward()               # dZ/dx at the middle of each straight segment
    return Result(cfg, NAMES, x, pieces, pieces.sum(0), kinks, bends, x_grad.grad.numpy())


PRESETS = {
    N_("001's Z(x)"): Preset(Config(),
                             N_("The slide's six units: three subtracted, three added; Z bends at each kink."),
                             "001 'What kind of functions can NNs approximate?'"),
    N_("One hinge"): Preset(Config(slopes=(0.0, 0.0, 0.0, 1.0, 0.0, 0.0), offsets=(0.0,) * 6),
                            N_("A single unit, n4(x) = Relu(x): zero on the left, slope 1 on the right."),
                            "001 'ReLU max(0, x)'"),
    N_("|x| from two units"): Preset(Config(slopes=(0.0, 0.0, 0.0, 1.0, -1.0, 0.0), offsets=(0.0,) * 6),
                                     N_("n4(x) = Relu(x) plus n5(x) = Relu(-x) is |x|: two units, one bend at 0."),
                                     "001 'What kind of functions can NNs approximate?'"),
}


def listed(values, spec: str) -> str:
    """Numbers as a sentence lists them: "1.5, 2" (in a language with a decimal comma "1,5; 2", so they stay apart)."""
    return ("; " if number(0.5, "g") != "0.5" else ", ").join(number(v, spec) for v in values)


def notice(r: Result) -> str:
    """Where Z bends and its slope on each straight segment, from the run."""
    n = len(r.bends)
    if n == 0:
        return _("No unit bends inside [-{extent}, {extent}]: Z is one straight line of slope {slope} there. Move a "
                 "kink (x = -offset / slope) into the range.").format(extent=number(r.config.extent, "g"),
                                                                      slope=number(r.segment_slopes[0], ".3g"))
    return ngettext("Z is a polyline with {n} bend, at x = {bends}: one per unit whose kink is in the range. Its slope "
                    "from left to right: {slopes}. At each bend the slope changes by that unit's signed slope; more "
                    "units, more bends: that is how a wide enough layer follows any continuous curve.",
                    "Z is a polyline with {n} bends, at x = {bends}: one per unit whose kink is in the range. Its "
                    "slope from left to right: {slopes}. At each bend the slope changes by that unit's signed slope; "
                    "more units, more bends: that is how a wide enough layer follows any continuous curve.",
                    n).format(n=n, bends=listed(r.bends, ".3g"),
                              slopes=" → ".join(number(s, ".3g") for s in r.segment_slopes))
