"""Weight initializations of the lectures, built on torch.nn.init, with the variance each one sets."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import torch
from torch import nn


@dataclass(frozen=True)
class Init:
    """A registry entry: how to fill a (fan_out, fan_in) weight, and what variance that gives."""

    label: str
    variance: str          # LaTeX of Var[w]
    derived_for: str       # the activation the scheme was derived for
    note: str
    fill: Callable[[torch.Tensor, float, torch.Generator | None], None]  # fill(weight, scale, gen) in place
    uses_scale: bool = False


def _fan_in(w: torch.Tensor) -> int:
    return w.shape[1]


def _lecun_normal(w: torch.Tensor, scale: float, gen: torch.Generator | None) -> None:
    """The lectures' "Xavier": randn(fan_in, fan_out) / sqrt(fan_in)."""
    nn.init.normal_(w, 0.0, 1.0 / math.sqrt(_fan_in(w)), generator=gen)


def _glorot_normal_as_printed(w: torch.Tensor, scale: float, gen: torch.Generator | None) -> None:
    """003's glorot_normal as printed: std 2/sqrt(fan_in + fan_out) (Glorot's is sqrt(2/(fan_in+fan_out)))."""
    nn.init.normal_(w, 0.0, 2.0 / math.sqrt(sum(w.shape)), generator=gen)


INITS: dict[str, Init] = {
    "normal": Init("Gaussian N(0, scale²)", r"\mathrm{Var}[w] = \text{scale}^2", "nothing in particular",
                   "The lectures' 0.01, 0.05 and 1.0 x randn cases: fine for small nets, wrong for deep ones.",
                   lambda w, s, g: nn.init.normal_(w, 0.0, s, generator=g), uses_scale=True),
    "uniform": Init("Uniform U(-scale, scale)", r"\mathrm{Var}[w] = \text{scale}^2 / 3", "nothing in particular",
                    "Like the Gaussian case: the scale, not the shape, decides what happens.",
                    lambda w, s, g: nn.init.uniform_(w, -s, s, generator=g), uses_scale=True),
    "zeros": Init("All zeros", r"w = 0", "nothing: it breaks learning",
                  "Every unit computes the same thing and gets the same update: symmetry is never broken.",
                  lambda w, s, g: nn.init.zeros_(w)),
    "constant": Init("Constant (= scale)", r"w = \text{scale}", "nothing: it breaks learning",
                     "Same symmetry problem as zeros: all units of a layer stay identical.",
                     lambda w, s, g: nn.init.constant_(w, s), uses_scale=True),
    "lecun_normal": Init("Xavier (lecture form): randn / √fan_in", r"\mathrm{Var}[w] = 1 / n_{in}", "tanh (linear regime)",
                         "The lectures' \"Xavier\": keeps the variance through a layer if the activation is ~linear.",
                         _lecun_normal),
    "xavier_uniform": Init("Glorot/Xavier uniform", r"\mathrm{Var}[w] = 2 / (n_{in} + n_{out})", "tanh / linear",
                           "Glorot & Bengio 2010: averages the forward (fan_in) and backward (fan_out) conditions.",
                           lambda w, s, g: nn.init.xavier_uniform_(w, generator=g)),
    "xavier_normal": Init("Glorot/Xavier normal", r"\mathrm{Var}[w] = 2 / (n_{in} + n_{out})", "tanh / linear",
                          "Same variance as Glorot uniform, Gaussian shape.",
                          lambda w, s, g: nn.init.xavier_normal_(w, generator=g)),
    "glorot_normal_003": Init("glorot_normal as printed in 003 (std 2/√(fan_in+fan_out))",
                              r"\mathrm{Var}[w] = 4 / (n_{in} + n_{out})", "(a slip: twice Glorot's variance)",
                              "003's slide multiplies by 2/sqrt(fan_in+fan_out); Glorot's std is sqrt(2/(fan_in+fan_out)). "
                              "With 500→500 layers it equals He's variance, which is why its ReLU table looks like He's.",
                              _glorot_normal_as_printed),
    "kaiming_normal": Init("He/Kaiming normal", r"\mathrm{Var}[w] = 2 / n_{in}", "ReLU",
                           "He et al. 2015: ReLU zeroes half the inputs, so double Xavier's variance. "
                           "(002 prints randn/sqrt(2/fan_in); it should be randn/sqrt(fan_in/2).)",
                           lambda w, s, g: nn.init.kaiming_normal_(w, nonlinearity="relu", generator=g)),
    "kaiming_uniform": Init("He/Kaiming uniform", r"\mathrm{Var}[w] = 2 / n_{in}", "ReLU",
                            "He's variance with a uniform shape.",
                            lambda w, s, g: nn.init.kaiming_uniform_(w, nonlinearity="relu", generator=g)),
    "orthogonal": Init("Orthogonal", r"W^\top W = I", "linear / tanh",
                       "Saxe et al. 2014: an orthogonal matrix preserves the norm of every input exactly.",
                       lambda w, s, g: nn.init.orthogonal_(w, generator=g)),
}


def apply(name: str, weight: torch.Tensor, scale: float = 0.01, generator: torch.Generator | None = None) -> None:
    """Fill `weight` in place with the named scheme (scale is used by normal, uniform and constant)."""
    if name not in INITS:
        raise ValueError(f"Unknown initialization {name!r}; choose one of: {', '.join(INITS)}.")
    with torch.no_grad():
        INITS[name].fill(weight, scale, generator)
