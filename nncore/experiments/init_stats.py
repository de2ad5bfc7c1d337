"""Weight initialization: activation and gradient statistics of a deep net at initialization (002, 003)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from nncore import activations, inits
from nncore.params import Preset, param, validate
from nncore.progress import OnProgress, report

FLOP_BUDGET = 2e11    # multiply-adds x 2 of the forward pass: 4x the lecture's workload, ~2 s here
SUBSAMPLE = 1000      # rows used for histograms, saturation and the backward pass


@dataclass(frozen=True)
class Config:
    """The lecture's setup: N(0,1) input, `depth` bias-free layers of `width` units, one activation."""

    depth: int = param(10, 1, 100, label="Layers", help="Number of hidden layers (the lecture uses 10).")
    width: int = param(500, 2, 2048, label="Units per layer", help="Neurons in every hidden layer (the lecture uses 500).")
    samples: int = param(1000, 10, 20000, label="Samples",
                         help="Rows of N(0,1) input data (002 uses 1,000; 003 uses 10,000).")
    activation: str = param("tanh", choices=activations.ACTIVATIONS, label="Activation")
    init: str = param("normal", choices=inits.INITS, label="Initialization")
    init_scale: float = param(0.01, 1e-4, 10.0, log=True, label="Scale",
                              help="The std of 'normal', the half-width of 'uniform', the value of 'constant'.")
    batchnorm: bool = param(False, label="Batch norm",
                            help="Insert BatchNorm1d (batch statistics) between each matmul and its activation.")
    bins: int = param(30, 5, 100, label="Histogram bins")
    seed: int = param(0, 0, 2**31 - 1, label="Seed")


@dataclass(frozen=True)
class Result:
    """Per hidden layer (index 0 = layer 1): forward and backward statistics, histograms, saturation."""

    config: Config
    input_mean: float
    input_std: float
    forward_mean: np.ndarray        # (depth,) mean of each layer's output
    forward_std: np.ndarray         # (depth,) std of each layer's output (population std, as numpy)
    grad_std: np.ndarray            # (depth,) std of dLoss/d(output) with an N(0,1) gradient at the top
    weight_grad_std: np.ndarray     # (depth,) std of dLoss/dW, the gradient that would update each layer
    hist_edges: np.ndarray          # (depth, bins + 1)
    hist_counts: np.ndarray         # (depth, bins) on the subsample; values beyond the range count in the edge bins
    saturated_fraction: np.ndarray  # (depth,) share of outputs within 0.01 of a bound (NaN if unbounded)
    dead_fraction: np.ndarray       # (depth,) share of units that output 0 on every sample (NaN if not ReLU-like)
    subsample: int                  # rows behind histograms, saturation and gradients
    diverged_at: int | None         # first hidden layer (1-based) whose outputs overflowed float32


def flops(cfg: Config) -> float:
    """Floating-point operations of the forward pass: 2 x samples x width^2 per layer."""
    return 2.0 * cfg.samples * cfg.width**2 * cfg.depth


def check(cfg: Config) -> None:
    """Raise ValueError for an invalid field or a run beyond the compute budget."""
    validate(cfg)
    if flops(cfg) > FLOP_BUDGET:
        raise ValueError(f"This run needs {flops(cfg):.1e} floating-point operations; the limit is "
                         f"{FLOP_BUDGET:.0e} (about 2 s on this machine). Lower the layers, units or samples.")


@dataclass
class Layer:
    """One hidden layer: a bias-free (out, in) weight, an optional BatchNorm1d, and the activation module."""

    weight: torch.Tensor
    norm: nn.Module | None
    act: nn.Module

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        # x @ W.T is nn.Linear's math; F.linear itself ran ~1.8x slower on this CPU build (bench/init_stats).
        z = x @ self.weight.T
        return self.act(self.norm(z) if self.norm is not None else z)


def build(cfg: Config) -> list[Layer]:
    """The lecture's net, initialized by the chosen torch.nn.init scheme from the config's seed."""
    gen = torch.Generator().manual_seed(cfg.seed)
    layers = []
    for _ in range(cfg.depth):
        weight = torch.empty(cfg.width, cfg.width)
        inits.apply(cfg.init, weight, cfg.init_scale, gen)
        norm = nn.BatchNorm1d(cfg.width, affine=False) if cfg.batchnorm else None
        layers.append(Layer(weight, norm, activations.make(cfg.activation)))
    return layers


def _outputs(layers: list[Layer], x: torch.Tensor):
    """Yield each hidden layer's output (after its activation)."""
    for layer in layers:
        x = layer(x)
        yield x


def _histogram_range(act: activations.Activation, samples: list[torch.Tensor]) -> tuple[float, float]:
    """One range for all layers, so a collapse to 0 shows: the activation's bounds, or the data's spread."""
    lo, hi = act.output_range
    if np.isfinite(lo) and np.isfinite(hi):
        return float(lo), float(hi)
    spread = max((_quantile_995(s) for s in samples), default=1.0) or 1.0
    return float(lo if np.isfinite(lo) else -spread), float(hi if np.isfinite(hi) else spread)


def _quantile_995(a: torch.Tensor) -> float:
    """The 99.5th percentile of |a| over its first 100,000 finite values (topk: ~10x faster than torch.quantile)."""
    flat = a.reshape(-1)[:100_000].abs()
    flat = flat[torch.isfinite(flat)]
    if not flat.numel():
        return 0.0
    return float(flat.topk(int(0.005 * flat.numel()) + 1).values[-1])


def _mean_std(a: torch.Tensor) -> tuple[float, float]:
    """Mean and population std from one sum and one dot product (~3x faster than mean() + std() here). Exact
    when that formula could lose digits (std < |mean| / 10) or when a float32 sum overflows (~1e34 x 500,000
    values) a few layers before the values do, so that inf/NaN in the result means the outputs overflowed."""
    flat = a.reshape(-1)
    mean = float(flat.sum()) / flat.numel()
    var = float(torch.dot(flat, flat)) / flat.numel() - mean * mean
    if np.isfinite(var) and var >= 1e-2 * mean * mean:
        return mean, var ** 0.5
    if not bool(torch.isfinite(a).all()):
        return float("nan"), float("inf")
    exact = a.double() if not np.isfinite(var) else a
    return float(exact.mean()), float(exact.std(correction=0))


def _saturation(act: activations.Activation, a: torch.Tensor) -> float:
    """Share of outputs within 0.01 of a finite bound (tanh: |a| > 0.99); NaN if the activation is unbounded."""
    bounds = act.saturation_bounds()
    if bounds is None:
        return float("nan")
    return float(((a < bounds[0]) | (a > bounds[1])).float().mean())


def inputs(cfg: Config) -> tuple[torch.Tensor, torch.Tensor]:
    """The N(0,1) input data (samples x width), and the N(0,1) gradient put on the top layer's output in the backward
    pass (its first min(samples, SUBSAMPLE) rows): both drawn from seed + 1, so a notebook can redo the run by hand."""
    gen = torch.Generator().manual_seed(cfg.seed + 1)
    x = torch.randn(cfg.samples, cfg.width, generator=gen)
    return x, torch.randn(min(cfg.samples, SUBSAMPLE), cfg.width, generator=gen)


def _gradient_stds(layers: list[Layer], x: torch.Tensor, upstream: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
    """Backward pass on a subsample: std of the gradient reaching each layer's output, and of its weights' gradient."""
    outs = []
    with torch.enable_grad():
        for layer in layers:
            layer.weight.requires_grad_(True)
        for out in _outputs(layers, x):
            out.retain_grad()
            outs.append(out)
        outs[-1].backward(upstream)
    return (np.array([float(o.grad.std(correction=0)) for o in outs]),
            np.array([float(layer.weight.grad.std(correction=0)) for layer in layers]))


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    """Push N(0,1) data through the freshly initialized net and measure every layer, as the lecture does."""
    check(cfg)
    act = activations.ACTIVATIONS[cfg.activation]
    layers = build(cfg)
    x, upstream = inputs(cfg)
    n = len(upstream)
    mean, std, sat, dead = (np.full(cfg.depth, np.nan) for _ in range(4))
    kept, diverged_at = [], None
    with torch.inference_mode():
        for i, a in enumerate(_outputs(layers, x)):
            mean[i], std[i] = _mean_std(a)
            if not np.isfinite(std[i]):
                diverged_at = i + 1
                break
            kept.append(a[:n].clone())
            sat[i] = _saturation(act, kept[-1])
            if act.rectifier:  # dead: 0 on every sample. amax + amin over dim 0: ~4x faster than ==/all or aminmax
                dead[i] = float(((a.amax(dim=0) == 0) & (a.amin(dim=0) == 0)).float().mean())
            if not report(on_progress, i + 1, cfg.depth + 1, f"forward pass: layer {i + 1} of {cfg.depth}"):
                break
    lo, hi = _histogram_range(act, kept)
    counts = np.zeros((cfg.depth, cfg.bins))
    for i, a in enumerate(kept):
        counts[i] = torch.histc(a.clamp(lo, hi), cfg.bins, lo, hi).numpy()   # the tail beyond the range: edge bins
    edges = np.tile(np.linspace(lo, hi, cfg.bins + 1), (cfg.depth, 1))
    grads = wgrads = np.full(cfg.depth, np.nan)
    if diverged_at is None and len(kept) == cfg.depth:
        grads, wgrads = _gradient_stds(layers, x[:n], upstream)
        report(on_progress, cfg.depth + 1, cfg.depth + 1, "backward pass done")
    return Result(cfg, float(x.mean()), float(x.std(correction=0)), mean, std, grads, wgrads, edges, counts,
                  sat, dead, n, diverged_at)


def printout(r: Result) -> str:
    """The lecture's own printout (002), to check against the slide line by line."""
    lines = [f"input layer had mean {r.input_mean:.6f} and std {r.input_std:.6f}"]
    lines += [f"hidden layer {i + 1} had mean {m:.6f} and std {s:.6f}"
              for i, (m, s) in enumerate(zip(r.forward_mean, r.forward_std))]
    return "\n".join(lines)


PRESETS = {
    "N(0, 0.01²) + tanh": Preset(Config(), "The std shrinks ~4.5x per layer: by layer 10 every output is ~0. "
                                 "Gradients on the weights are tiny, so the net cannot learn.",
                                 "002 and 003 'Weight Initialization' (first table)"),
    "N(0, 1) + tanh": Preset(Config(init_scale=1.0), "Almost every output sits at -1 or +1 (std ~0.98): "
                             "tanh is saturated, its local slope is ~0.", "002 and 003 (second table)"),
    "Xavier + tanh": Preset(Config(init="lecun_normal"), "The std decays gently (0.63 → 0.23): a reasonable "
                            "spread in every layer.", "002 'Xavier initialization'; 003 glorot_uniform"),
    "Xavier + ReLU": Preset(Config(init="lecun_normal", activation="relu"), "ReLU zeroes half of each layer's "
                            "input, so the std halves in variance every layer: the collapse is back.",
                            "002 'but when using the ReLU nonlinearity it breaks'; 003 glorot_uniform + ReLU"),
    "He + ReLU": Preset(Config(init="kaiming_normal", activation="relu"), "Var = 2/fan_in makes up for ReLU's "
                        "halving: the std stays ~0.7-0.8 in every layer.", "002 and 003 'He et al., 2015'"),
    "N(0, 0.05²) + tanh": Preset(Config(init_scale=0.05), "001 says 0.05 saturates tanh. Not on this net: "
                                 "0.05 ≈ 1.1/√500 is close to Xavier's 1/√500, so the std settles near 0.35. "
                                 "The scale that fails depends on the width.", "001 'Weights initialization'"),
    "003's glorot_normal + ReLU": Preset(Config(init="glorot_normal_003", activation="relu"),
                                         "003 prints std 2/√(fan_in+fan_out): with 500→500 layers that is exactly "
                                         "He's std, hence the same table.", "003 'Glorot_normal con activación ReLU'"),
    "N(0, 0.01²) + tanh + BN": Preset(Config(batchnorm=True), "Batch norm re-standardizes every layer before "
                                      "tanh: the tiny weights no longer matter.", "002 and 003 'Batch Normalization'"),
}


def _per_layer_factor(std: np.ndarray) -> float:
    """Geometric mean of the layer-to-layer ratio of the std."""
    return float((std[-1] / std[0]) ** (1 / max(len(std) - 1, 1)))


def notice_forward(r: Result) -> str:
    """What the forward statistics of this run show, in one or two sentences computed from its numbers."""
    std, depth = r.forward_std, len(r.forward_std)
    if r.diverged_at:
        return (f"The outputs overflow float32 (become inf or NaN) at hidden layer {r.diverged_at}: each layer "
                f"multiplies their spread by about {_per_layer_factor(std[:r.diverged_at - 1]):.0f}x.")
    if std[0] == 0:
        return "Every output is exactly 0: with these weights nothing gets through the first layer."
    factor = _per_layer_factor(std)
    sat = 0.0 if np.isnan(r.saturated_fraction).all() else float(np.nanmean(r.saturated_fraction))
    text = f"The std goes from {std[0]:.3g} at layer 1 to {std[-1]:.3g} at layer {depth}"
    if std[-1] == 0:
        return text + ": the activations collapse to exactly zero (every unit of the last layer outputs 0)."
    if std[-1] < 1e-3:
        return text + f" (÷{1 / factor:.1f} per layer): the activations collapse to zero."
    if sat > 0.5:
        return text + f", and {sat:.0%} of the outputs are saturated (within 0.01 of ±1), where the slope is ~0."
    if abs(factor - 1) < 0.03:
        return text + ": the signal keeps its scale through the depth."
    return text + f" ({'÷' if factor < 1 else '×'}{max(factor, 1 / factor):.2f} per layer)."


def notice_backward(r: Result) -> str:
    """What the backward pass of this run shows: does the gradient vanish, explode or survive on its way down?"""
    g = r.grad_std
    if np.isnan(g).all():
        return "No backward pass: the forward pass overflowed first."
    ratio = g[0] / g[-1]
    text = f"The gradient reaching layer 1 has std {g[0]:.2g}, {ratio:.2g}x the gradient at the top"
    if ratio < 1e-2:
        return text + ": it vanishes on its way down, so the first layers barely learn."
    if ratio > 1e2:
        return text + ": it explodes on its way down (large weights amplify it more than the activations damp it)."
    return text + ": it reaches the first layer at a usable scale."


def notice_histograms(r: Result) -> str:
    """What this run's histograms show: a spike at 0, a pile-up at the bounds, ReLU's zeros, or a healthy spread."""
    shown = len(r.forward_std)
    if r.diverged_at:
        return (f"The values grow so fast (they overflow at layer {r.diverged_at}) that on one shared range the early "
                "layers look like a spike at 0: read their spread on the std chart, on a log axis.")
    bin_width = float(r.hist_edges[0, 1] - r.hist_edges[0, 0])
    sat = r.saturated_fraction[:shown]
    if np.isfinite(sat).any() and np.nanmean(sat) > 0.5:
        return (f"The outputs pile up in the edge bins, at the bounds: {np.nanmean(sat):.0%} of them are saturated, "
                "in every layer.")
    narrow = np.flatnonzero(r.forward_std[:shown] < bin_width)
    if len(narrow):
        return (f"From layer {narrow[0] + 1} on, the std ({r.forward_std[narrow[0]]:.2g}) is narrower than one bin "
                f"({bin_width:.2g}): every histogram is a spike at 0, the lecture's collapse.")
    if activations.ACTIVATIONS[r.config.activation].rectifier:
        zeros = r.hist_counts[:shown, 0] / np.maximum(r.hist_counts[:shown].sum(axis=1), 1)
        return (f"The first bar, ReLU's exact zeros and the smallest values, holds {zeros.min():.0%}–{zeros.max():.0%} "
                f"of each layer's outputs; the rest keep their spread to layer {shown}.")
    last = r.forward_std[shown - 1]
    return (f"No layer collapses to a spike: layer {shown}'s outputs still have std {last:.2g}, "
            f"{last / bin_width:.0f} bins wide.")


def notice_health(r: Result) -> str:
    """How many units of this run are stuck: dead (ReLU-like) or saturated (bounded activations), and where."""
    dead, sat = r.dead_fraction, r.saturated_fraction
    if np.isfinite(dead).any():
        worst = int(np.nanargmax(dead))
        if dead[worst] == 0:
            return (f"No unit is dead: every unit outputs a positive value for at least one of the "
                    f"{r.config.samples:,} samples.")
        return (f"Up to {dead[worst]:.0%} of the units are dead at initialization (0 on all {r.config.samples:,} "
                f"samples), at layer {worst + 1}: they pass no gradient back.")
    if np.isfinite(sat).any():
        worst = int(np.nanargmax(sat))
        if sat[worst] < 0.005:
            return "No output is saturated: every layer stays on the steep part of the curve, where gradients flow."
        if np.nanmean(sat) < 0.05:
            return (f"Almost no output is saturated (at most {sat[worst]:.0%}, at layer {worst + 1}): the layers stay "
                    "on the steep part of the curve, where gradients flow.")
        return (f"{np.nanmean(sat):.0%} of all outputs are saturated, {sat[worst]:.0%} at layer {worst + 1}: "
                "there the local slope is ~0 and the gradient stops.")
    return "This activation has no bound and no flat zero: its units can neither saturate nor die."
