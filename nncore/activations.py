"""The activation functions of the lectures, as torch modules with what a lesson needs to teach them.

`ACTIVATIONS[name].module(**params)` (or `make(name, **params)`, which checks the parameters) gives the torch
module; the entry carries the formula, its derivative, range, where it saturates, its cost and the lecture's
pros and cons (002 and 003 "Activation Functions", 001 "Activation functions" and "EXTRAS").
Softmax, an output-layer function over a whole vector, is in `OUTPUT_ACTIVATIONS`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import torch
from torch import nn

from nncore.i18n import N_, _, number

SELU_SCALE = 1.0507009873554805   # lambda of Klambauer et al. 2017 (torch's nn.SELU)
SELU_ALPHA = 1.6732632423543772
FLAT = 0.001                      # the slope below which the registry's `saturates` line calls a function flat


def sigmoid_edge(slope: float) -> float:
    """The |x| beyond which σ'(x) = σ(1 − σ) < slope: σ = (1 + √(1 − 4·slope)) / 2, x = ln(σ / (1 − σ))."""
    s = (1 + math.sqrt(1 - 4 * slope)) / 2
    return math.log(s / (1 - s))


def tanh_edge(slope: float) -> float:
    """The |x| beyond which tanh'(x) = 1 − tanh²(x) < slope: x = atanh(√(1 − slope))."""
    return math.atanh(math.sqrt(1 - slope))


SATURATES_BOTH = N_("both sides: |x| > {edge} gives {symbol} < {flat}")


def edge_text(edge: float, symbol: str, lang: str | None = "en") -> str:
    """'both sides: |x| > 4.15 gives tanh' < 0.001', the edge rounded up so that the sentence holds: in English (the
    registry's data), or translated into the current language with lang=None (where it is shown)."""
    text = SATURATES_BOTH if lang == "en" else _(SATURATES_BOTH)
    return text.format(edge=number(math.ceil(edge * 100) / 100, "g", lang), symbol=symbol,
                       flat=number(FLAT, "g", lang))


class Maxout(nn.Module):
    """Maxout with k pieces (Goodfellow et al. 2013), applied to each unit's pre-activation z:

        f(z) = max_i (a_i z + b_i),  i = 1..k,  with learned slopes a_i and intercepts b_i.

    After the layer's own Linear (z = w.x + c) this is max_i (a_i w.x + a_i c + b_i): a max of k affine maps of
    the layer's input, like the slide's max(w1.x + b1, w2.x + b2), with the k weight vectors tied to one
    direction so that it drops in wherever an activation goes. Goodfellow's layer has k independent weight
    vectors per unit (the slide's "doubles the number of parameters"); this one adds 2k numbers per layer
    (per unit with `num_parameters=width`, like torch's nn.PReLU). It starts as the k tangents of softplus with
    slopes 0..1, so k = 2 starts as ReLU exactly and more pieces approach softplus.
    """

    def __init__(self, k: int = 2, num_parameters: int = 1):
        super().__init__()
        if int(k) != k or k < 2:
            raise ValueError(_("Maxout needs at least 2 pieces (got k = {k}): with one piece it is a single affine "
                               "map, that is no nonlinearity at all.").format(k=k))
        self.k = int(k)
        slopes, intercepts = softplus_tangents(self.k)
        self.slope = nn.Parameter(slopes.repeat(num_parameters, 1))          # (num_parameters, k)
        self.intercept = nn.Parameter(intercepts.repeat(num_parameters, 1))  # (num_parameters, k)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        # (..., units, 1) * (units or 1, k) + (units or 1, k) -> (..., units, k) -> max over the pieces
        return (z.unsqueeze(-1) * self.slope + self.intercept).amax(dim=-1)

    def extra_repr(self) -> str:
        return f"k={self.k}, num_parameters={self.slope.shape[0]}"


def softplus_tangents(k: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Slopes linspace(0, 1, k) and the intercepts of the tangents to softplus with those slopes (0 and 1: ReLU)."""
    slopes = torch.linspace(0.0, 1.0, k)
    inner = slopes[1:-1]
    x0 = torch.log(inner / (1 - inner))                       # softplus'(x0) = sigmoid(x0) = slope
    inner_b = nn.functional.softplus(x0) - inner * x0
    intercepts = torch.cat([torch.zeros(1), inner_b, torch.zeros(1)]) if k > 2 else torch.zeros(2)
    return slopes, intercepts


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
    derivative: str = ""              # LaTeX of f'(x)
    saturates: str = "nowhere"        # where f' goes to 0
    cost: str = ""                    # what one evaluation costs
    pros: tuple[str, ...] = ()        # the lectures' bullets
    cons: tuple[str, ...] = ()
    lecture: str = ""                 # where the lectures show it
    learned: bool = False             # has trainable parameters (PReLU, Maxout)
    param_notes: dict = field(default_factory=dict)  # name -> what the parameter does
    flat_edge: tuple[float, str] | None = None       # (edge, symbol) of a `saturates` made by edge_text

    def saturates_text(self) -> str:
        """Where f' goes to 0, in the current language (the registry's `saturates` is English data)."""
        return edge_text(*self.flat_edge, lang=None) if self.flat_edge else _(self.saturates)

    def saturation_bounds(self) -> tuple[float, float] | None:
        """Values within 0.01 of a finite output bound count as saturated (tanh: |a| > 0.99)."""
        lo, hi = self.output_range
        return (lo + 0.01, hi - 0.01) if math.isfinite(lo) and math.isfinite(hi) else None

    def range_text(self) -> str:
        """The output range as a student reads it, e.g. (0, 1) or [0, ∞)."""
        lo, hi = self.output_range
        show = lambda v: "∞" if v == math.inf else "−∞" if v == -math.inf else f"{v:.4g}".replace("-", "−")
        left = "[" if self.rectifier and lo == 0 else "("
        return f"{left}{show(lo)}, {show(hi)})"


EXP = N_("one exp per unit: a few times the cost of a max")
EXP_NEGATIVE = N_("one exp per unit: a few times the cost of a max (for x ≤ 0)")
CHEAP = N_("one comparison per unit: the cheapest nonlinearity")

ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(
        "Sigmoid", r"\sigma(x) = \frac{1}{1 + e^{-x}}", nn.Sigmoid,
        N_("Saturates at 0 and 1, kills gradients there, and is not zero-centered."),
        (0.0, 1.0), zero_centered=False, gain="sigmoid",
        derivative=r"\sigma'(x) = \sigma(x)\,(1 - \sigma(x)) \le \tfrac14",
        saturates=edge_text(sigmoid_edge(FLAT), "σ'"), flat_edge=(sigmoid_edge(FLAT), "σ'"), cost=EXP,
        pros=(N_("Squashes numbers to the range [0, 1]"),
              N_("Nice interpretation as a saturating 'firing rate' of a neuron (historically popular)"),
              N_("As the output of a binary classifier: a Bernoulli probability (with a log in the loss)")),
        cons=(N_("Saturated neurons 'kill' the gradients"), N_("Outputs are not zero-centered (zig-zag updates)"),
              N_("exp() is a bit compute expensive"),
              N_("Its slope is at most 0.25, so deep stacks shrink the gradient")),
        lecture=N_("002 & 003 'Sigmoid', 001 EXTRAS 'More on activations: Sigmoid'")),
    "tanh": Activation(
        "Tanh", r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}", nn.Tanh,
        N_("Zero-centered, but still saturates at -1 and 1."), (-1.0, 1.0), gain="tanh",
        derivative=r"\tanh'(x) = 1 - \tanh^2(x) \le 1", saturates=edge_text(tanh_edge(FLAT), "tanh'"),
        flat_edge=(tanh_edge(FLAT), "tanh'"),
        cost=EXP, pros=(N_("Squashes numbers to the range [-1, 1]"), N_("Zero-centered")),
        cons=(N_("Still kills gradients when saturated"), N_("003: 'try tanh, but don't expect much'")),
        lecture=N_("002 'Tanh', 003 'Tangente Hiperbólica'")),
    "relu": Activation(
        "ReLU", r"f(x) = \max(0, x)", nn.ReLU,
        N_("Does not saturate for x > 0 and is cheap; units can die (never fire again)."),
        (0.0, math.inf), zero_centered=False, rectifier=True, gain="relu",
        derivative=r"f'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}",
        saturates=N_("x ≤ 0: slope exactly 0 (the dead zone)"), cost=CHEAP,
        pros=(N_("Does not saturate (in the + region)"), N_("Very computationally efficient"),
              N_("Converges much faster than sigmoid/tanh in practice (AlexNet: 6x)"),
              N_("More biologically plausible than sigmoid"), N_("Passes strong gradients for x > 0; sparse activity")),
        cons=(N_("Not zero-centered output"), N_("Dead ReLU: a unit whose input is always negative never updates"),
              N_("Unbounded for x ≫ 0: watch the learning rate (003)")),
        lecture=N_("002 'ReLU', 'Dead ReLU'; 003 'Rectified Linear Unit'; 001 EXTRAS")),
    "leaky_relu": Activation(
        "Leaky ReLU", r"f(x) = \max(\alpha x, x)", lambda alpha=0.01: nn.LeakyReLU(alpha),
        N_("A small slope for x < 0, so units never die."),
        zero_centered=False, params={"alpha": (0.01, -1.0, 1.0)}, gain="leaky_relu",
        derivative=r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}", saturates=N_("nowhere"),
        cost=CHEAP, pros=(N_("Does not saturate"), N_("Computationally efficient"), N_("Converges fast like ReLU"),
                          N_("Will not 'die'")),
        cons=(N_("α is one more hyperparameter (0.01 in 002, 0.1 on the first slide)"),),
        lecture=N_("002 'Leaky ReLU, PReLU', 003 'Leaky ReLU', 001 EXTRAS"),
        param_notes={"alpha": N_("slope for x < 0. 001 asks 0 < α < 1; α < 0 is allowed here to show why: the "
                              "function stops being monotonic (α = −1 gives |x|), so a larger input can give a "
                              "smaller output.")}),
    "prelu": Activation(
        "PReLU (learned α)", r"f(x) = \max(\alpha x, x),\ \alpha \text{ learned}",
        lambda alpha=0.25: nn.PReLU(init=alpha),
        N_("Leaky ReLU whose slope α is learned by backpropagation."), zero_centered=False,
        params={"alpha": (0.25, -1.0, 1.0)}, gain="leaky_relu", learned=True,
        derivative=r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases},\ "
                   r"\frac{\partial f}{\partial \alpha} = \min(0, x)",
        saturates=N_("nowhere"),
        cost=N_("one comparison per unit: the cheapest nonlinearity, plus one learned number per layer"),
        pros=(N_("All benefits of Leaky ReLU"), N_("α is learned by backprop instead of chosen (003: 'better!')")),
        cons=(N_("α can overfit or drift with a large learning rate"),),
        lecture=N_("002 'Leaky ReLU, PReLU(Parametric-)', 003 'Versión paramétrica (PReLU)'"),
        param_notes={"alpha": N_("initial slope for x < 0 (torch's default 0.25); training changes it.")}),
    "elu": Activation(
        "ELU", r"f(x) = \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}",
        lambda alpha=1.0: nn.ELU(alpha),
        N_("ReLU's benefits, outputs closer to zero mean, robust to noise; costs an exp."),
        (-1.0, math.inf), zero_centered=False, params={"alpha": (1.0, 0.0, 10.0)}, gain="relu",
        derivative=r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha e^{x} & x \le 0 \end{cases}",
        saturates=N_("x ≪ 0 (towards −α)"), cost=EXP_NEGATIVE,
        pros=(N_("All benefits of ReLU"), N_("Closer to zero-mean outputs"),
              N_("Saturates in the − region: more robust to noise")),
        cons=(N_("Computation requires exp()"),),
        lecture=N_("002 'ELU', 003 'Exponential Linear Unit'"),
        param_notes={"alpha": N_("the value it saturates to for x ≪ 0 is −α; the range is (−α, ∞).")}),
    "selu": Activation(
        "SELU", r"f(x) = \lambda \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}",
        nn.SELU,
        N_("A scaled ELU whose constants keep zero mean and unit variance through a deep net (with LeCun init)."),
        (-SELU_SCALE * SELU_ALPHA, math.inf), gain="selu",
        derivative=r"f'(x) = \lambda \begin{cases} 1 & x > 0 \\ \alpha e^{x} & x \le 0 \end{cases},"
                   r"\ \lambda \approx 1.0507,\ \alpha \approx 1.6733",
        saturates=N_("x ≪ 0 (towards −1.758)"), cost=EXP_NEGATIVE,
        pros=(N_("Self-normalizing: mean 0 and variance 1 are a fixed point of a layer"),),
        cons=(N_("Needs LeCun-normal init and no batch norm to self-normalize"), N_("Not in the lectures' slides")),
        lecture=N_("not in the decks (Klambauer et al. 2017); a relative of ELU")),
    "gelu": Activation(
        "GELU", r"f(x) = x\,\Phi(x)", nn.GELU,
        N_("ReLU smoothed by the Gaussian CDF; the activation of transformers."), (-0.169972, math.inf),
        zero_centered=False, gain="relu", derivative=r"f'(x) = \Phi(x) + x\,\varphi(x)",
        saturates=N_("x ≪ 0 (towards 0)"), cost=N_("one erf per unit: like an exp"),
        pros=(N_("Smooth everywhere"), N_("Slightly negative outputs: a bit closer to zero mean than ReLU")),
        cons=(N_("Costs an erf"), N_("Not in the lectures' slides")),
        lecture=N_("not in the decks (Hendrycks & Gimpel 2016); a relative of Swish")),
    "silu": Activation(
        "SiLU / Swish", r"f(x) = x\,\sigma(x)", nn.SiLU,
        N_("Swish: a smooth ReLU with a small negative dip, found by search."), (-0.278465, math.inf),
        zero_centered=False, gain="relu", derivative=r"f'(x) = \sigma(x)\,\bigl(1 + x\,(1 - \sigma(x))\bigr)",
        saturates=N_("x ≪ 0 (towards 0)"), cost=EXP,
        pros=(N_("Seems to perform better than ReLU"), N_("Better zero-mean property than ReLU"),
              N_("Same benefits as ReLU")),
        cons=(N_("Requires computing an exp"),), lecture=N_("003 'Swish'")),
    "softplus": Activation(
        "Softplus", r"f(x) = \tfrac{1}{\beta}\log(1 + e^{\beta x})", lambda beta=1.0: nn.Softplus(beta),
        N_("A smooth ReLU whose slope is the sigmoid."), (0.0, math.inf), zero_centered=False, gain="relu",
        params={"beta": (1.0, 0.1, 10.0)}, derivative=r"f'(x) = \sigma(\beta x)",
        saturates=N_("x ≪ 0 (towards 0)"), cost=N_("one exp and one log per unit"),
        pros=(N_("Smooth everywhere, never exactly 0: no dead units"),),
        cons=(N_("Not zero-centered"), N_("Costs an exp and a log"), N_("Not in the lectures' slides")),
        lecture=N_("not in the decks; the smooth version of ReLU"),
        param_notes={"beta": N_("sharpness: large β is close to ReLU.")}),
    "maxout": Activation(
        "Maxout", r"f(x) = \max_{i=1..k}\,(a_i x + b_i)", lambda k=2: Maxout(k),
        N_("The max of k learned lines: generalizes ReLU and Leaky ReLU, does not saturate, does not die."),
        zero_centered=False, params={"k": (2, 2, 8)}, gain="relu", learned=True,
        derivative=r"f'(x) = a_{i^*},\ i^* = \arg\max_i (a_i x + b_i)", saturates=N_("nowhere"),
        cost=N_("k multiply-adds and a max per unit, plus the learned pieces"),
        pros=(N_("Generalizes ReLU and Leaky ReLU"), N_("Linear regime: does not saturate, does not die")),
        cons=(N_("More parameters (the full layer doubles the weights per neuron for k = 2)"),),
        lecture=N_("002 'Maxout', 003 'Maxout'"),
        param_notes={"k": N_("number of pieces, at least 2; it starts as ReLU (k = 2) or as tangents of softplus.")}),
    "linear": Activation(
        "Linear (identity)", r"f(x) = x", nn.Identity,
        N_("No nonlinearity: a stack of linear layers is one linear map."),
        derivative=r"f'(x) = 1", saturates=N_("nowhere"), cost=N_("free"),
        pros=(N_("Right for a regression output layer"),),
        cons=(N_("A deep linear net is a single linear map: it cannot fit curved boundaries"),),
        lecture=N_("001 'a DNN as composed affine + nonlinearity'")),
}

OUTPUT_ACTIVATIONS: dict[str, Activation] = {
    "softmax": Activation(
        "Softmax", r"\mathrm{softmax}(z)_i = \frac{e^{z_i / T}}{\sum_j e^{z_j / T}}",
        lambda temperature=1.0: Softmax(temperature),
        N_("Turns a vector of scores into a distribution over classes; pair it with cross-entropy."),
        (0.0, 1.0), zero_centered=False, params={"temperature": (1.0, 0.05, 20.0)},
        derivative=r"\frac{\partial\, \mathrm{softmax}_i}{\partial z_j} = \tfrac{1}{T}\,p_i(\delta_{ij} - p_j);"
                   r"\quad \frac{\partial\, \mathrm{CE}}{\partial z_j} = \tfrac{1}{T}(p_j - y_j)",
        saturates=N_("when one score dominates (all p near 0 or 1)"), cost=N_("one exp per class and a sum"),
        pros=(N_("Multinoulli output: a distribution over classes"), N_("Predicted class = largest probability")),
        cons=(N_("Needs a log in the loss (cross-entropy) to cancel the exp"),),
        lecture=N_("001 EXTRAS 'More on activations: Softmax', 002 'applied nonlinear activation before softmax'")),
}


class Softmax(nn.Module):
    """Softmax over the last dimension with a temperature T: softmax(z / T)."""

    def __init__(self, temperature: float = 1.0):
        super().__init__()
        if not temperature > 0:
            raise ValueError(_("The temperature must be positive (got {temperature}).").format(
                temperature=number(temperature, "g")))
        self.temperature = float(temperature)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return torch.softmax(z / self.temperature, dim=-1)


def check_params(name: str, params: dict) -> None:
    """Raise ValueError with a readable sentence for an unknown or out-of-range parameter."""
    entry = ACTIVATIONS.get(name) or OUTPUT_ACTIVATIONS.get(name)
    if entry is None:
        raise ValueError(f"Unknown activation {name!r}; choose one of: {', '.join(ACTIVATIONS)}.")
    for key, value in params.items():
        if key not in entry.params:
            raise ValueError(f"{entry.label} has no parameter {key!r}"
                             + (f"; it takes {', '.join(entry.params)}." if entry.params else "."))
        _default, lo, hi = entry.params[key]
        if not isinstance(value, (int, float)) or not math.isfinite(value) or not lo <= value <= hi:
            note = entry.param_notes.get(key)
            note = _(note) if note else ""
            raise ValueError(" ".join(filter(None, (_("{activation}: {parameter} must be between {lo} and {hi} (got "
                                                      "{value}).").format(activation=entry.label, parameter=key,
                                                                          lo=number(lo, "g"), hi=number(hi, "g"),
                                                                          value=repr(value)), note))))


def make(name: str, **params) -> nn.Module:
    """The torch module of a registered activation, e.g. make("leaky_relu", alpha=0.1)."""
    check_params(name, params)
    entry = ACTIVATIONS.get(name) or OUTPUT_ACTIVATIONS[name]
    return entry.module(**params)


def defaults(name: str) -> dict:
    """The default parameters of an activation, e.g. {"alpha": 0.01} for leaky_relu."""
    entry = ACTIVATIONS.get(name) or OUTPUT_ACTIVATIONS[name]
    return {key: spec[0] for key, spec in entry.params.items()}


def value_and_slope(module: nn.Module, z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """f(z) and the local derivative f'(z) of an elementwise activation, by autograd (d sum f / dz = f'(z))."""
    with torch.enable_grad():
        z = z.detach().requires_grad_(True)
        y = module(z)
        (grad,) = torch.autograd.grad(y.sum(), z)
    return y.detach(), grad
