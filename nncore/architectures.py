"""Architecture arithmetic of 001's 'CNNs output dimensions', 'Pooling', 'Strided convolutions' and 004's 'Capacity':
a convolution's output size, the receptive field through a stack of layers, and the parameter count of a network.

Each is the formula the lectures print, checked in tests against what torch builds (Conv2d's output shape, the
input gradient of a stacked convolution, sum(p.numel()) of a built model)::

    conv_output_size(32, kernel=5)                    # 28: 001's 32x32x3 input, six 5x5 filters -> 28x28x6
    receptive_field([(3, 1), (3, 1), (2, 2)])         # 6 input pixels seen by one unit after two 3x3 convs and a pool
    parameter_count(MLPSpec(11, 1, (512, 512, 512)))  # 531,969: 004's red-wine net
    widths_for_budget(5000, (1, 4), n_in=2, n_out=3)   # {1: (831,), 4: (39, 39, 39, 40)}: ~5,000 each
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import singledispatch
from typing import Iterable

from torch import nn

from nncore import activations, models, regularization
from nncore.i18n import N_, _, ngettext, number

__all__ = ["Layer", "conv_output_size", "receptive_field", "receptive_fields", "parameter_count", "layer_counts",
           "CONNECTIVITY", "connectivity_counts", "widths_for_budget", "BUDGET_TOLERANCE"]

# nets "of the same size" (001 'The importance of depth'): each within 5% of the budget, and any two within 5%
BUDGET_TOLERANCE = 0.05
RAISE_THE_BUDGET = N_("Raise the budget.")


def _check_positive(name: str, value: int, least: int) -> None:
    """`name`: the quantity, an N_() message (shown in the current language)."""
    if int(value) != value or value < least:
        raise ValueError(_("The {name} must be a whole number of at least {least} (got {value}).").format(
            name=_(name), least=least, value=value))


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """001's (W - F + 2P)/S + 1, rounded down as torch does, with the kernel spread by its dilation: d(F - 1) + 1."""
    _check_positive(N_("input size"), size, 1)
    _check_positive(N_("kernel size"), kernel, 1)
    _check_positive(N_("stride"), stride, 1)
    _check_positive(N_("padding"), padding, 0)
    _check_positive(N_("dilation"), dilation, 1)
    span = dilation * (kernel - 1) + 1
    if span > size + 2 * padding:
        raise ValueError(_("The kernel spans {span} pixels but the padded input has only {padded} ({size} + 2 x "
                           "{padding} padding): use a smaller kernel or dilation, or more padding.").format(
            span=span, padded=size + 2 * padding, size=size, padding=padding))
    return (size + 2 * padding - span) // stride + 1


# 001 'Connectivity and Model Architecture' (N_: the names are keys in English, translated where shown)
CONNECTIVITY = (N_("dense"), N_("sparse (local)"), N_("shared (convolution)"))


def connectivity_counts(size: int, channels: int, filters: int, kernel: int, stride: int = 1, padding: int = 0,
                        dilation: int = 1) -> dict[str, int]:
    """Parameters (weights + biases) of three layers from the same size x size x channels input to the same
    out x out x filters output (001): dense (every output unit sees every input), sparse (each unit sees only its
    F x F x channels window, with weights of its own) and shared (one F x F x channels kernel per filter: a conv)."""
    out = conv_output_size(size, kernel, stride, padding, dilation)
    units, window = out * out * filters, kernel * kernel * channels
    counts = (size * size * channels * units + units, units * window + units, filters * window + filters)
    return dict(zip(CONNECTIVITY, counts))


@dataclass(frozen=True)
class Layer:
    """One sliding-window layer (a convolution or a pooling) as the receptive field sees it."""

    kernel: int
    stride: int = 1
    dilation: int = 1


def _layer(layer) -> Layer:
    """A Layer from a Layer, a (kernel, stride[, dilation]) tuple or torch's Conv/MaxPool/AvgPool module."""
    if isinstance(layer, Layer):
        return layer
    if isinstance(layer, nn.Module):
        first = lambda v: v[0] if isinstance(v, tuple) else v  # noqa: E731 - square windows: one side is enough
        return Layer(first(layer.kernel_size), first(layer.stride), first(getattr(layer, "dilation", 1)))
    return Layer(*layer)


def receptive_fields(layers: Iterable) -> list[int]:
    """The receptive field (input pixels along one side) of a unit after each layer: r += d(F - 1) x (product of
    the strides before it); it grows linearly with stacked convolutions and multiplies with strides and pooling."""
    field, jump, fields = 1, 1, []
    for layer in map(_layer, layers):
        for name, value in ((N_("kernel size"), layer.kernel), (N_("stride"), layer.stride),
                            (N_("dilation"), layer.dilation)):
            _check_positive(name, value, 1)
        field += layer.dilation * (layer.kernel - 1) * jump
        jump *= layer.stride
        fields.append(field)
    return fields


def receptive_field(layers: Iterable) -> int:
    """The receptive field of a unit after the last of `layers` (1: no layer, a unit sees its own pixel)."""
    return ([1] + receptive_fields(layers))[-1]


def layer_counts(spec: models.MLPSpec) -> list[tuple[str, int]]:
    """(layer, parameters) for each layer of the MLP `spec` describes: n_in x n_out weights + n_out biases per
    Linear, 2 x width (scale and shift) per normalization layer, and a learned activation's own (PReLU's α)."""
    widths = (spec.n_in, *spec.hidden, spec.n_out)
    learned = sum(p.numel() for p in activations.make(spec.activation).parameters())
    rows = []
    for a, b, norm in zip(widths, widths[1:], spec.per_layer(spec.norm, "norm") + (None,)):
        rows.append((f"Linear {a} -> {b}", a * b + b))
        if norm not in (None, "none"):
            rows.append((f"{models.NORMS[norm].split(' (')[0]} ({b})", 2 * b))
        if norm is not None and learned:
            rows.append((f"{activations.ACTIVATIONS[spec.activation].label} ({b})", learned))
    return rows


@singledispatch
def parameter_count(model) -> int:
    """The number of trainable numbers of a network: an nn.Module, an MLPSpec, or a lab Config describing an MLP."""
    raise TypeError(f"Cannot count the parameters of a {type(model).__name__}: give an nn.Module, an MLPSpec or a "
                    "Config of the regularization lessons.")


@parameter_count.register
def _count_module(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


@parameter_count.register
def _count_spec(spec: models.MLPSpec) -> int:
    return sum(count for _layer_name, count in layer_counts(spec))


@parameter_count.register
def _count_config(cfg: regularization.Config) -> int:
    return parameter_count(regularization.spec_of(cfg)[0])


def _uniform_width(budget: int, depth: int, n_in: int, n_out: int) -> float:
    """The real width w at which `depth` hidden layers of w units hold `budget` parameters:
    (depth - 1)·w² + (n_in + n_out + depth)·w + n_out = budget, the positive root."""
    a, b, c = depth - 1, n_in + n_out + depth, n_out - budget
    return -c / b if a == 0 else (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)


def _candidates(budget: int, depth: int, n_in: int, n_out: int) -> list[tuple[int, ...]]:
    """Nets of `depth` layers of w or w + 1 units (the first or the last ones wider) around the budget's width."""
    w = math.floor(_uniform_width(budget, depth, n_in, n_out))   # count(w, ..., w) <= budget < count(w + 1, ...)
    front = [(v + 1,) * k + (v,) * (depth - k) for v in range(max(1, w - 1), max(1, w + 1) + 1) for k in range(depth)]
    return sorted(set(front + [widths[::-1] for widths in front]))


def widths_for_budget(budget: int, depths: Iterable[int], n_in: int, n_out: int) -> dict[int, tuple[int, ...]]:
    """depth -> hidden widths of ReLU MLPs of about `budget` parameters that are all the same size: equal widths w,
    some of the first or last layers w + 1 (counts then step by ~2w, not ~2·depth·w), chosen so that every count is
    within BUDGET_TOLERANCE of the budget and of each other. ValueError if no such nets exist."""
    depths = tuple(depths)
    for name, value in ((N_("budget"), budget), (N_("number of inputs"), n_in), (N_("number of outputs"), n_out),
                        *((N_("depth"), d) for d in depths)):
        _check_positive(name, value, 1)
    count = lambda widths: parameter_count(models.MLPSpec(n_in, n_out, widths))  # noqa: E731
    deepest = max(depths, default=1)
    if (smallest := count((1,) * deepest)) > (1 + BUDGET_TOLERANCE) * budget:
        raise ValueError(" ".join((ngettext(
            "A budget of {budget} parameters cannot hold {deepest} hidden layer of even one unit each on {n_in} inputs "
            "and {n_out} outputs: that net has {smallest}.",
            "A budget of {budget} parameters cannot hold {deepest} hidden layers of even one unit each on {n_in} "
            "inputs and {n_out} outputs: that net has {smallest}.", deepest).format(
            budget=number(budget, ","), deepest=deepest, n_in=n_in, n_out=n_out, smallest=number(smallest, ",")),
            _(RAISE_THE_BUDGET))))
    options = {d: {count(w): w for w in _candidates(budget, d, n_in, n_out)} for d in depths}

    def around(target: int) -> dict[int, int]:   # each depth's count closest to a target
        return {d: min(counts, key=lambda c: abs(c - target)) for d, counts in options.items()}

    def spread(counts: dict[int, int]) -> tuple[float, float]:   # (between the nets, from the budget)
        values = counts.values()
        return max(values) / min(values) - 1, max(abs(c - budget) for c in values) / budget

    def rank(counts: dict[int, int]) -> tuple[bool, float]:   # within the budget's tolerance first, then the closest
        between, off = spread(counts)
        return off > BUDGET_TOLERANCE, between

    best = min((around(t) for counts in options.values() for t in counts), key=rank)
    if max(spread(best)) > BUDGET_TOLERANCE:
        raise ValueError(" ".join((_(
            "No nets of {depths} hidden layers on {n_in} inputs and {n_out} outputs come within {tolerance} of "
            "{budget} parameters and of each other (the closest have {counts}).").format(
            depths=", ".join(map(str, depths)), n_in=n_in, n_out=n_out, tolerance=number(BUDGET_TOLERANCE, ".0%"),
            budget=number(budget, ","), counts=", ".join(number(c, ",") for c in best.values())),
            _(RAISE_THE_BUDGET))))
    return {d: options[d][c] for d, c in best.items()}
