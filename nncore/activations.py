"""The activation functions of the lectures, as torch modules with what a lesson needs to teach them."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

from torch import nn


@dataclass(frozen=True)
class Activation:
    """A registry entry: how to build the torch module, and how to explain it."""

    label: str
    formula: str                      # LaTeX of f(x)
    module: Callable[..., nn.Module]  # module(**params) -> torch module
    note: str                         # one line a student should remember
    output_range: tuple[float, float] = (-math.inf, math.inf)
    zero_centered: bool = True
    rectifier: bool = False           # ReLU-like: units can be dead (output exactly 0)
    params: dict = field(default_factory=dict)  # name -> (default, lo, hi)
    gain: str = "linear"              # nonlinearity name for torch.nn.init.calculate_gain

    def saturation_bounds(self) -> tuple[float, float] | None:
        """Values within 0.01 of a finite output bound count as saturated (tanh: |a| > 0.99)."""
        lo, hi = self.output_range
        return (lo + 0.01, hi - 0.01) if math.isfinite(lo) and math.isfinite(hi) else None


ACTIVATIONS: dict[str, Activation] = {
    "linear": Activation("Linear (identity)", r"f(x) = x", nn.Identity,
                         "No nonlinearity: a stack of linear layers is one linear map."),
    "sigmoid": Activation("Sigmoid", r"\sigma(x) = \frac{1}{1 + e^{-x}}", nn.Sigmoid,
                          "Saturates at 0 and 1, kills gradients there, and is not zero-centered.",
                          (0.0, 1.0), zero_centered=False, gain="sigmoid"),
    "tanh": Activation("Tanh", r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}", nn.Tanh,
                       "Zero-centered, but still saturates at -1 and 1.", (-1.0, 1.0), gain="tanh"),
    "relu": Activation("ReLU", r"f(x) = \max(0, x)", nn.ReLU,
                       "Does not saturate for x > 0 and is cheap; units can die (never fire again).",
                       (0.0, math.inf), zero_centered=False, rectifier=True, gain="relu"),
    "leaky_relu": Activation("Leaky ReLU", r"f(x) = \max(\alpha x, x)",
                             lambda alpha=0.01: nn.LeakyReLU(alpha),
                             "A small slope for x < 0, so units never die.",
                             zero_centered=False, params={"alpha": (0.01, -1.0, 1.0)}, gain="leaky_relu"),
    "elu": Activation("ELU", r"f(x) = \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}",
                      lambda alpha=1.0: nn.ELU(alpha),
                      "ReLU's benefits, outputs closer to zero mean, robust to noise; costs an exp.",
                      (-1.0, math.inf), params={"alpha": (1.0, 0.0, 10.0)}, gain="relu"),
}


def make(name: str, **params) -> nn.Module:
    """The torch module of a registered activation, e.g. make("leaky_relu", alpha=0.1)."""
    if name not in ACTIVATIONS:
        raise ValueError(f"Unknown activation {name!r}; choose one of: {', '.join(ACTIVATIONS)}.")
    return ACTIVATIONS[name].module(**params)
