"""A multilayer perceptron from a frozen spec: widths, activation, init, dropout and normalization per layer.

Each hidden layer is `Linear -> [norm] -> activation -> [norm] -> [Dropout]`, the norm before or after the
activation (004 "Dropout and Batch Normalization Layers"; 003 puts batch norm before the nonlinearity).
Built deterministically from a torch.Generator: weights by the named `nncore.inits` scheme, biases zero (the
output layer's bias `output_bias`: a regression net can start at the targets' mean).
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from nncore import activations, inits
from nncore.i18n import _

NORMS = {
    "none": "No normalization",
    "batch": "Batch norm (each unit over the batch)",
    "layer": "Layer norm (each sample over its units)",
    "group": "Group norm (each sample over groups of units)",
}
PLACEMENTS = ("before", "after")


@dataclass(frozen=True)
class MLPSpec:
    """What to build. `dropout` and `norm` are one value for every hidden layer or a tuple with one per layer."""

    n_in: int
    n_out: int
    hidden: tuple[int, ...] = (64, 64)
    activation: str = "relu"                     # a key of nncore.activations.ACTIVATIONS
    init: str = "kaiming_normal"                 # a key of nncore.inits.INITS
    init_scale: float = 0.01                     # for the inits that use a scale (normal, uniform, constant)
    dropout: float | tuple[float, ...] = 0.0     # probability of dropping a unit (inverted dropout)
    norm: str | tuple[str, ...] = "none"         # a key of NORMS
    norm_placement: str = "before"               # before or after the activation
    groups: int = 4                              # group norm: the largest divisor of the width up to this
    output_bias: float = 0.0                     # the output layer's starting bias (regression: the targets' mean)
    output_scale: float = 0.1                    # the output layer's weights: the same scheme, times this factor

    def per_layer(self, value, name: str) -> tuple:
        values = value if isinstance(value, tuple) else (value,) * len(self.hidden)
        if len(values) != len(self.hidden):
            raise ValueError(_("{name} has {n} entries for {layers} hidden layers.").format(
                    name=name, n=len(values), layers=len(self.hidden)))
        return values

    def check(self) -> None:
        """Raise ValueError with a readable sentence for an impossible spec."""
        if self.n_in < 1 or self.n_out < 1 or any(w < 1 for w in self.hidden):
            raise ValueError(_("Every layer needs at least one unit."))
        if self.activation not in activations.ACTIVATIONS:
            raise ValueError(_("Unknown activation {name}; choose one of: {choices}.").format(
                name=repr(self.activation), choices=", ".join(activations.ACTIVATIONS)))
        if self.init not in inits.INITS:
            raise ValueError(_("Unknown initialization {name}; choose one of: {choices}.").format(
                name=repr(self.init), choices=", ".join(inits.INITS)))
        for p in self.per_layer(self.dropout, "dropout"):
            if not 0.0 <= p < 1.0:
                raise ValueError(_("The dropout probability must be at least 0 and below 1 (got {p:g}).").format(p=p))
        for norm in self.per_layer(self.norm, "norm"):
            if norm not in NORMS:
                raise ValueError(_("Unknown normalization {name}; choose one of: {choices}.").format(
                    name=repr(norm), choices=", ".join(NORMS)))
        if self.norm_placement not in PLACEMENTS:
            raise ValueError(_("Normalization goes 'before' or 'after' the activation (got {placement}).").format(
                placement=repr(self.norm_placement)))


class SeededDropout(nn.Dropout):
    """torch's inverted dropout (zero with probability p, scale the rest by 1/(1-p) in training; identity in eval)
    drawing its mask from `self.generator` when one is set, so a run is reproducible by its seed even when other
    sessions in the same process use torch's global random state. Without a generator it is nn.Dropout."""

    generator: torch.Generator | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0.0 or self.generator is None:
            return super().forward(x)
        # plain_keep_mask's mask bit for bit, drawn as uniform < 1 - p: 2.6x faster (68 vs 177 µs for 105 x 128, one
        # thread), which makes /dropout's B run 1.2x faster (bench/speedups.py)
        keep = torch.rand(x.shape, generator=self.generator, dtype=x.dtype) < 1.0 - self.p
        return x * keep * (1.0 / (1.0 - self.p))


def plain_keep_mask(shape: tuple[int, ...], p: float, generator: torch.Generator,
                    dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """Dropout's keep mask the plain way, a Bernoulli(1 - p) draw per unit: the reference for SeededDropout's."""
    return torch.bernoulli(torch.full(shape, 1.0 - p, dtype=dtype), generator=generator)


def _norm(kind: str, width: int, groups: int) -> nn.Module:
    if kind == "batch":
        return nn.BatchNorm1d(width)
    if kind == "layer":
        return nn.LayerNorm(width)
    g = max(d for d in range(1, min(groups, width) + 1) if width % d == 0)
    return nn.GroupNorm(g, width)


class MLP(nn.Sequential):
    """The built network. `hidden_outputs` are the modules whose outputs are each hidden layer's activations
    (for forward hooks: dead units, activation histograms); `linears` are its Linear layers, last one included."""

    def __init__(self, spec: MLPSpec, layers: list[nn.Module], hidden_outputs: list[nn.Module]):
        super().__init__(*layers)
        self.spec = spec
        self.hidden_outputs = hidden_outputs
        self.linears = [m for m in layers if isinstance(m, nn.Linear)]

    @property
    def has_batch_norm(self) -> bool:
        return any(isinstance(m, nn.BatchNorm1d) for m in self)

    def weights(self) -> list[torch.Tensor]:
        """The Linear weight matrices: what weight penalties and weight decay act on (not biases, not norm scales)."""
        return [m.weight for m in self.linears]

    def set_generator(self, generator: torch.Generator | None) -> None:
        """Draw every dropout mask from `generator` (None: torch's global random state)."""
        for m in self:
            if isinstance(m, SeededDropout):
                m.generator = generator


def _linear(n_in: int, n_out: int, init: str, scale: float, gen: torch.Generator) -> nn.Linear:
    layer = nn.utils.skip_init(nn.Linear, n_in, n_out)  # no draw from torch's global random state
    inits.apply(init, layer.weight, scale, gen)
    with torch.no_grad():
        layer.bias.zero_()
    return layer


def build(spec: MLPSpec, generator: torch.Generator | int = 0) -> MLP:
    """The MLP of `spec`, its weights drawn from `generator` (or a seed)."""
    spec.check()
    gen = generator if isinstance(generator, torch.Generator) else torch.Generator().manual_seed(int(generator))
    layers: list[nn.Module] = []
    outputs: list[nn.Module] = []
    n_in = spec.n_in
    for width, p, norm in zip(spec.hidden, spec.per_layer(spec.dropout, "dropout"), spec.per_layer(spec.norm, "norm")):
        layers.append(_linear(n_in, width, spec.init, spec.init_scale, gen))
        act = activations.make(spec.activation)
        block = [act] if norm == "none" else (
            [_norm(norm, width, spec.groups), act] if spec.norm_placement == "before"
            else [act, _norm(norm, width, spec.groups)])
        layers += block
        outputs.append(block[-1])
        if p > 0:
            layers.append(SeededDropout(p))
        n_in = width
    out = _linear(n_in, spec.n_out, spec.init, spec.init_scale, gen)  # the output layer, same scheme, scaled down:
    with torch.no_grad():  # small logits start a classifier at loss ln C, as the lectures' first sanity check expects
        out.weight.mul_(spec.output_scale)
        out.bias.fill_(spec.output_bias)
    layers.append(out)
    return MLP(spec, layers, outputs)
