"""Weight initialization: activation and gradient statistics of a deep net at initialization (002, 003)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from nncore import activations, inits
from nncore.i18n import N_, _, number
from nncore.params import Preset, param, validate
from nncore.progress import OnProgress, report

FLOP_BUDGET = 2e11    # multiply-adds x 2 of the forward pass and the training steps: 4x the lecture's workload, ~2 s
SUBSAMPLE = 1000      # rows used for histograms, saturation and the backward pass
TRAIN_STEPS = 3       # SGD steps of the symmetry check (003: with equal weights 'la red NO aprende')
TRAIN_ROWS = 32       # samples those steps train on
TRAIN_LR = 0.01       # their learning rate
SYMMETRIC = 1e-5      # units whose weights differ by less (relative to the layer's largest |w|) count as identical:
                      # float32 rounding of the same computation is ~1e-7 of it, a random init's units differ by ~1


@dataclass(frozen=True)
class Config:
    """The lecture's setup: N(0,1) input, `depth` bias-free layers of `width` units, one activation."""

    depth: int = param(10, 1, 100, label=N_("Layers"), help=N_("Number of hidden layers (the lecture uses 10)."))
    width: int = param(500, 2, 2048, label=N_("Units per layer"),
                       help=N_("Neurons in every hidden layer (the lecture uses 500)."))
    samples: int = param(1000, 10, 20000, label=N_("Samples"),
                         help=N_("Rows of N(0,1) input data. 003's code uses 10,000; 002 does not say (its input "
                                 "std, 0.998 and 1.001, is what about 1,000 rows give)."))
    activation: str = param("tanh", choices=activations.ACTIVATIONS, label=N_("Activation"))
    init: str = param("normal", choices=inits.INITS, label=N_("Initialization"))
    init_scale: float = param(0.01, 1e-4, 10.0, log=True, label=N_("Scale"),
                              help=N_("The std of 'normal', the half-width of 'uniform', the value of 'constant'."))
    batchnorm: bool = param(False, label=N_("Batch norm"),
                            help=N_("Insert BatchNorm1d (batch statistics) between each matmul and its activation."))
    bins: int = param(30, 5, 100, label=N_("Histogram bins"))
    seed: int = param(0, 0, 2**31 - 1, label=N_("Seed"))


@dataclass(frozen=True)
class Result:
    """Per hidden layer (index 0 = layer 1): forward and backward statistics, histograms, saturation."""

    config: Config
    input_mean: float
    input_std: float
    forward_mean: np.ndarray        # (depth,) mean of each layer's output
    forward_std: np.ndarray         # (depth,) std of each layer's output (population std, as numpy)
    grad_std: np.ndarray            # (depth,) std of dLoss/d(output) with an N(0,1) gradient at the top
    weight_grad_rms: np.ndarray     # (depth,) rms of dLoss/dW, the gradient that would update each layer
    hist_edges: np.ndarray          # (depth, bins + 1)
    hist_counts: np.ndarray         # (depth, bins) on the subsample; values beyond the range count in the edge bins
    saturated_fraction: np.ndarray  # (depth,) share of outputs within 0.01 of a bound (NaN if unbounded)
    dead_fraction: np.ndarray       # (depth,) share of units that output 0 on every sample (NaN if not ReLU-like)
    subsample: int                  # rows behind histograms, saturation and gradients
    diverged_at: int | None         # first hidden layer (1-based) whose outputs overflowed float32
    unit_spread: np.ndarray         # (depth,) after TRAIN_STEPS SGD steps: the largest difference between two units'
                                    # weights, over the layer's largest |w| (0: every unit identical; NaN: no steps)
    train_change: np.ndarray        # (depth,) the largest change those steps made to one weight of the layer


def flops(cfg: Config) -> float:
    """Floating-point operations of the forward pass and of the training steps (forward + backward, ~3 passes):
    2 x rows x width^2 per layer and pass."""
    rows = cfg.samples + 3 * TRAIN_STEPS * min(cfg.samples, TRAIN_ROWS)
    return 2.0 * rows * cfg.width**2 * cfg.depth


def check(cfg: Config) -> None:
    """Raise ValueError for an invalid field or a run beyond the compute budget."""
    validate(cfg)
    if flops(cfg) > FLOP_BUDGET:
        raise ValueError(_("This run needs {flops} floating-point operations; the limit is {limit} (about 2 s on "
                           "this machine). Lower the layers, units or samples.").format(
            flops=number(flops(cfg), ".1e"), limit=number(FLOP_BUDGET, ".0e")))


@dataclass
class Layer:
    """One hidden layer: a bias-free (out, in) weight, an optional BatchNorm1d, and the activation module."""

    weight: torch.Tensor
    norm: nn.Module | None
    act: nn.Module

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        # x @ W.T is nn.Linear's math; F.linear itself ran ~1.8x slower on this CPU build (bench/weight_init).
        z = x @ self.weight.T
        return self.act(self.norm(z) if self.norm is not None else z)


def build(cfg: Config) -> list[Layer]:
    """The lecture's net, initialized by the chosen torch.nn.init scheme from the config's seed."""
    gen = torch.Generator().manual_seed(cfg.seed)
    layers = []
    for _layer in range(cfg.depth):
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
    """The 99.5th percentile of |a| over its first 100,000 finite values: the (n/200 + 1)-th largest, by topk
    (7-10x faster than sorting 100,000 values: 1.2 vs 9-13 ms, bench/speedups.py)."""
    flat = _finite_abs(a)
    return float(flat.topk(int(0.005 * flat.numel()) + 1).values[-1]) if flat.numel() else 0.0


def _quantile_995_plain(a: torch.Tensor) -> float:
    """_quantile_995 the plain way, by sorting (as torch.quantile does): its reference in the tests."""
    flat = _finite_abs(a)
    return float(flat.sort().values[-(int(0.005 * flat.numel()) + 1)]) if flat.numel() else 0.0


def _finite_abs(a: torch.Tensor) -> torch.Tensor:
    flat = a.reshape(-1)[:100_000].abs()
    return flat[torch.isfinite(flat)]


def _mean_std(a: torch.Tensor) -> tuple[float, float]:
    """Mean and population std from one sum and one dot product (5x faster than torch's mean and std on a
    10,000 x 500 layer: 1.3 vs 6.3 ms, bench/speedups.py). Exact when that formula could lose digits (std <
    |mean| / 10) or when a float32 sum overflows (~1e34 x 500,000 values) a few layers before the values do, so
    that inf/NaN in the result means the outputs overflowed."""
    flat = a.reshape(-1)
    mean = float(flat.sum()) / flat.numel()
    var = float(torch.dot(flat, flat)) / flat.numel() - mean * mean
    if np.isfinite(var) and var >= 1e-2 * mean * mean:
        return mean, var ** 0.5
    if not bool(torch.isfinite(a).all()):
        return float("nan"), float("inf")
    exact = a.double() if not np.isfinite(var) else a
    return float(exact.mean()), float(exact.std(correction=0))


def _mean_std_plain(a: torch.Tensor) -> tuple[float, float]:
    """_mean_std the plain way, torch's mean and population std: its reference in the tests."""
    return float(a.mean()), float(a.std(correction=0))


def _dead_fraction(a: torch.Tensor) -> float:
    """Share of units that output 0 on every sample: amax and amin over the samples both 0
    (1.3x faster than (a == 0).all on 10,000 x 500, bench/speedups.py)."""
    return float(((a.amax(dim=0) == 0) & (a.amin(dim=0) == 0)).float().mean())


def _dead_fraction_plain(a: torch.Tensor) -> float:
    """_dead_fraction the plain way, (a == 0).all over the samples: its reference in the tests."""
    return float((a == 0).all(dim=0).float().mean())


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
    """Backward pass on a subsample: std of the gradient reaching each layer's output, rms of its weights' gradient
    (an rms, not a std: with equal weights every entry of that gradient is the same, and its std would read 0)."""
    outs = []
    with torch.enable_grad():
        for layer in layers:
            layer.weight.requires_grad_(True)
        for out in _outputs(layers, x):
            out.retain_grad()
            outs.append(out)
        outs[-1].backward(upstream)
    return (np.array([float(o.grad.std(correction=0)) for o in outs]),
            np.array([float(layer.weight.grad.square().mean().sqrt()) for layer in layers]))


def _unit_spread(weight: torch.Tensor) -> float:
    """The largest difference between two units' (rows') weights, over the largest |w| (0 for an all-zero layer)."""
    largest = float(weight.abs().max())
    return float((weight.amax(dim=0) - weight.amin(dim=0)).max()) / largest if largest else 0.0


def _train_steps(cfg: Config, layers: list[Layer], x: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
    """A few SGD steps on a toy regression (an N(0,1) target, one linear output unit initialized like the layers),
    then per layer: how different its units' weights are, and the largest change a weight made. Identical units get
    identical gradients, so equal weights (zeros, constant) stay equal; a step with a non-finite gradient is skipped."""
    gen = torch.Generator().manual_seed(cfg.seed + 2)
    head = torch.empty(1, cfg.width)
    inits.apply(cfg.init, head, cfg.init_scale, gen)
    target = torch.randn(len(x), 1, generator=gen)
    weights = [layer.weight for layer in layers] + [head]
    before = [w.detach().clone() for w in weights[:-1]]
    opt = torch.optim.SGD([w.requires_grad_(True) for w in weights], lr=TRAIN_LR)
    with torch.enable_grad():
        for _step in range(TRAIN_STEPS):
            opt.zero_grad()
            out = x
            for layer in layers:
                out = layer(out)
            nn.functional.mse_loss(out @ head.T, target).backward()
            if torch.isfinite(nn.utils.get_total_norm([w.grad for w in weights])):
                opt.step()
    with torch.no_grad():
        return (np.array([_unit_spread(layer.weight) for layer in layers]),
                np.array([float((layer.weight - w0).abs().max()) for layer, w0 in zip(layers, before)]))


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    """Push N(0,1) data through the freshly initialized net and measure every layer, as the lecture does."""
    check(cfg)
    act = activations.ACTIVATIONS[cfg.activation]
    layers = build(cfg)
    x, upstream = inputs(cfg)
    n = len(upstream)
    mean, std, sat, dead = (np.full(cfg.depth, np.nan) for _stat in range(4))
    kept, diverged_at = [], None
    with torch.inference_mode():
        for i, a in enumerate(_outputs(layers, x)):
            mean[i], std[i] = _mean_std(a)
            if not np.isfinite(std[i]):
                diverged_at = i + 1
                break
            kept.append(a[:n].clone())
            sat[i] = _saturation(act, kept[-1])
            if act.rectifier:
                dead[i] = _dead_fraction(a)
            if not report(on_progress, i + 1, cfg.depth + 2,
                          _("forward pass: layer {layer} of {depth}").format(layer=i + 1, depth=cfg.depth)):
                break
    lo, hi = _histogram_range(act, kept)
    counts = np.zeros((cfg.depth, cfg.bins))
    for i, a in enumerate(kept):
        counts[i] = torch.histc(a.clamp(lo, hi), cfg.bins, lo, hi).numpy()   # the tail beyond the range: edge bins
    edges = np.tile(np.linspace(lo, hi, cfg.bins + 1), (cfg.depth, 1))
    grads = wgrads = spread = change = np.full(cfg.depth, np.nan)
    if diverged_at is None and len(kept) == cfg.depth:
        grads, wgrads = _gradient_stds(layers, x[:n], upstream)
        if report(on_progress, cfg.depth + 1, cfg.depth + 2, _("backward pass done")):
            spread, change = _train_steps(cfg, layers, x[:TRAIN_ROWS])
            report(on_progress, cfg.depth + 2, cfg.depth + 2,
                   _("{steps} training steps done").format(steps=TRAIN_STEPS))
    return Result(cfg, float(x.mean()), float(x.std(correction=0)), mean, std, grads, wgrads, edges, counts,
                  sat, dead, n, diverged_at, spread, change)


def printout(r: Result) -> str:
    """The lecture's own printout (002), to check against the slide line by line."""
    lines = [f"input layer had mean {r.input_mean:.6f} and std {r.input_std:.6f}"]
    lines += [f"hidden layer {i + 1} had mean {m:.6f} and std {s:.6f}"
              for i, (m, s) in enumerate(zip(r.forward_mean, r.forward_std))]
    return "\n".join(lines)


PRESETS = {
    N_("N(0, 0.01²) + tanh"): Preset(Config(), N_(
        "Each layer multiplies the variance by 500 × 0.01² = 0.05 (÷4.5 in std) while tanh is ~linear near 0: by "
        "layer 10 every output is ~0."), "002 and 003 'Weight Initialization' (first table)"),
    N_("N(0, 1) + tanh"): Preset(Config(init_scale=1.0), N_(
        "Each layer multiplies the variance by 500: almost every output sits at -1 or +1, where tanh's slope is ~0. "
        "002 expects the gradients to vanish; the backward chart shows what they do."), "002 and 003 (second table)"),
    N_("Xavier + tanh"): Preset(Config(init="lecun_normal"), N_(
        "Var[w] = 1/fan_in keeps the variance of a linear layer; tanh is linear only near 0, so the std decays "
        "gently (002's table: 0.63 → 0.23)."), "002 'Xavier initialization'; 003 glorot_uniform"),
    N_("Xavier + ReLU"): Preset(Config(init="lecun_normal", activation="relu"), N_(
        "ReLU zeroes the negative half of each pre-activation, which halves the mean square E[h²] that the next "
        "layer's variance is built from: the std shrinks by about √2 per layer, slowly, and would vanish in a "
        "deeper net."), "002 'but when using the ReLU nonlinearity it breaks'; 003 glorot_uniform + ReLU"),
    N_("He + ReLU"): Preset(Config(init="kaiming_normal", activation="relu"), N_(
        "Var[w] = 2/fan_in makes up for ReLU halving the mean square: the std keeps its scale through the depth "
        "(each layer multiplies it by a random factor near 1)."), "002 and 003 'He et al., 2015'"),
    N_("N(0, 0.05²) + tanh"): Preset(Config(init_scale=0.05), N_(
        "001 says 0.05 saturates tanh. Not on this net: 500 × 0.05² = 1.25, just above Xavier's 1, so the std levels "
        "off (toward ≈ 0.33 in theory) instead of collapsing. The scale that fails depends on the width."),
        "001 'Weights initialization'"),
    N_("003's glorot_normal + ReLU"): Preset(Config(init="glorot_normal_003", activation="relu"), N_(
        "003 prints std 2/√(fan_in+fan_out): with 500→500 layers that is exactly He's std, hence the same table."),
        "003 'Glorot_normal con activación ReLU'"),
    N_("N(0, 0.01²) + tanh + BN"): Preset(Config(batchnorm=True), N_(
        "Batch norm re-standardizes every layer before tanh: the tiny weights no longer matter."),
        "002 and 003 'Batch Normalization'"),
    N_("All zeros + tanh"): Preset(Config(init="zeros"), N_(
        "Every unit outputs tanh(0) = 0 and passes back a zero gradient: no weight ever changes. The training steps "
        "below show it."), "003 'Supongamos inicializamos los pesos en 0 ... La red NO aprende'"),
    N_("Constant + tanh"): Preset(Config(init="constant"), N_(
        "Every weight is 0.01: the units of a layer are copies, compute the same output and get the same update, so "
        "they stay copies however long the net trains (the training steps below)."),
        "003 '¿Qué pasa si inicializamos con los mismos peso toda la red?'; 002 'W = constant'"),
}


def _per_layer_factor(std: np.ndarray) -> float:
    """Geometric mean of the layer-to-layer ratio of the std."""
    return float((std[-1] / std[0]) ** (1 / max(len(std) - 1, 1)))


def _layers_text(mask: np.ndarray) -> str:
    """Where a per-layer condition holds, as a student reads it: 'in every layer', 'from layer 3 on', 'at layer 2'."""
    where = np.flatnonzero(mask) + 1
    if len(where) == len(mask):
        return _("in every layer")
    if len(where) == 1:
        return _("at layer {layer}").format(layer=where[0])
    if where[-1] == len(mask) and len(where) == where[-1] - where[0] + 1:
        return _("from layer {layer} on").format(layer=where[0])
    if len(where) == where[-1] - where[0] + 1:
        return _("in layers {first}–{last}").format(first=where[0], last=where[-1])
    return _("in {count} of the {depth} layers").format(count=len(where), depth=len(mask))


def _value(v: float) -> str:
    return number(v, ".3g").replace("-", "−")


def _g(v: float, digits: int = 2) -> str:
    """A number to `digits` significant digits, as the current language writes it."""
    return number(v, f".{digits}g")


def _share(v: float) -> str:
    return number(v, ".0%")


def notice_forward(r: Result) -> str:
    """What the forward statistics of this run show, in one or two sentences computed from its numbers."""
    std, mean, depth = r.forward_std, r.forward_mean, len(r.forward_std)
    if r.diverged_at:
        return _("The outputs overflow float32 (become inf or NaN) at hidden layer {layer}: each layer multiplies "
                 "their spread by about {factor}x.").format(
            layer=r.diverged_at, factor=number(_per_layer_factor(std[:r.diverged_at - 1]), ".0f"))
    if (std == 0).all():
        same = np.unique(mean)
        if len(same) == 1:
            return _("Every output of every layer is exactly {value} (std 0), whatever the input: with these weights "
                     "nothing of the input gets through.").format(value=_value(same[0]))
        return _("Every output of every layer is exactly the same value (std 0), whatever the input: with these "
                 "weights nothing of the input gets through.")
    factor = _per_layer_factor(std) if std[0] > 0 else np.nan
    sat = 0.0 if np.isnan(r.saturated_fraction).all() else float(np.nanmean(r.saturated_fraction))
    go = dict(first=_g(std[0], 3), last=_g(std[-1], 3), depth=depth)
    if std[-1] == 0:
        return _("The std goes from {first} at layer 1 to {last} at layer {depth}: the activations collapse to exactly "
                 "{value} (every unit, every sample).").format(value=_value(mean[-1]), **go)
    if std[-1] < 1e-3:
        to_zero = abs(mean[-1]) < 10 * std[-1] + 1e-6
        if not np.isfinite(factor):
            return (_("The std goes from {first} at layer 1 to {last} at layer {depth}: the activations collapse to "
                      "zero.") if to_zero else
                    _("The std goes from {first} at layer 1 to {last} at layer {depth}: the spread collapses, and "
                      "every output ends near {value}.")).format(value=_value(mean[-1]), **go)
        per = number(1 / factor, ".1f")
        return (_("The std goes from {first} at layer 1 to {last} at layer {depth} (÷{per} per layer): the "
                  "activations collapse to zero.") if to_zero else
                _("The std goes from {first} at layer 1 to {last} at layer {depth} (÷{per} per layer): the spread "
                  "collapses, and every output ends near {value}.")).format(per=per, value=_value(mean[-1]), **go)
    if sat > 0.5:
        return _("The std goes from {first} at layer 1 to {last} at layer {depth}, and {share} of the outputs are "
                 "saturated (within 0.01 of a bound), where the slope is ~0.").format(share=_share(sat), **go)
    if abs(factor - 1) < 0.03:
        return _("The std goes from {first} at layer 1 to {last} at layer {depth}: the signal keeps its scale through "
                 "the depth.").format(**go)
    last = std[-1] / std[-2] if depth > 2 else factor
    change = f"{'÷' if factor < 1 else '×'}{number(max(factor, 1 / factor), '.2f')}"
    if depth > 2 and abs(last - 1) < abs(factor - 1) / 3:   # the change slows down: it levels off
        between = f"{'÷' if last < 1 else '×'}{number(max(last, 1 / last), '.2f')}"
        return _("The std goes from {first} at layer 1 to {last} at layer {depth} ({change} per layer on average, "
                 "{between} between the last two: it levels off).").format(change=change, between=between, **go)
    return _("The std goes from {first} at layer 1 to {last} at layer {depth} ({change} per layer).").format(
        change=change, **go)


def _flow(r: Result) -> str:
    """The backward pass in one word: 'none' (no backward pass), 'zero' (exactly 0 at layer 1), or how the gradient
    reaching layer 1 compares with the top's: 'vanishes', 'shrinks', 'keeps its scale', 'grows', 'explodes'."""
    g = r.grad_std
    if np.isnan(g).all():
        return "none"
    if g[0] == 0:
        return "zero"
    ratio = g[0] / g[-1]
    return ("vanishes" if ratio < 1e-2 else "explodes" if ratio > 1e2 else "keeps its scale" if 0.5 <= ratio <= 2
            else "shrinks" if ratio < 1 else "grows")


def _zero_below(r: Result) -> int:
    """The last layer (1-based, from the bottom) whose gradient is exactly 0."""
    return int(np.flatnonzero(r.grad_std > 0)[0])


def _ratio(r: Result) -> str:
    """The gradient reaching layer 1 over the gradient at the top."""
    return _g(r.grad_std[0] / r.grad_std[-1])


def _weights_gradient(r: Result) -> str:
    """How the weights' gradients (output gradient x the layer's input) compare between layer 1 and the top."""
    wg, depth = r.weight_grad_rms, len(r.weight_grad_rms)
    if not np.isfinite(wg).all() or wg.min() <= 0 or depth < 2:
        return ""
    if wg.max() / wg.min() <= 2:
        return _("The weights' gradient (the output gradient times the layer's input) is about the same in every "
                 "layer: {first} at layer 1, {last} at layer {depth}.").format(
            first=_g(wg[0]), last=_g(wg[-1]), depth=depth)
    ratio = wg[0] / wg[-1]
    text = (_("The weights of layer 1 get {ratio}x the gradient of the top layer's weights: they barely learn.")
            if ratio < 1e-2 else
            _("The weights of layer 1 get {ratio}x the gradient of the top layer's weights: no single learning rate "
              "suits both.") if ratio > 1e2 else
            _("The weights of layer 1 get {ratio}x the gradient of the top layer's weights."))
    return text.format(ratio=_g(ratio))


def notice_backward(r: Result) -> str:
    """What the backward pass of this run shows: does the gradient vanish, explode or survive on its way down?"""
    verdict = _flow(r)
    if verdict == "none":
        return _("No backward pass: the forward pass overflowed first.")
    if verdict == "zero":
        below = _zero_below(r)
        if below > 1:
            return _("The gradient is exactly 0 in layers 1–{below}: each layer passes back its gradient times its "
                     "slopes and its weights, and here that product is 0, so those layers get no update at "
                     "all.").format(below=below)
        return _("The gradient is exactly 0 at layer 1: each layer passes back its gradient times its slopes and its "
                 "weights, and here that product is 0, so those layers get no update at all.")
    g, depth = r.grad_std, len(r.grad_std)
    per = (g[0] / g[-1]) ** (1 / max(depth - 1, 1))
    text = {
        "keeps its scale": _("The gradient reaching layer 1 has std {std}, {ratio}x the gradient at the top: it "
                             "keeps its scale on its way down."),
        "vanishes": _("The gradient reaching layer 1 has std {std}, {ratio}x the gradient at the top: it vanishes "
                      "on its way down (÷{per} per layer)."),
        "shrinks": _("The gradient reaching layer 1 has std {std}, {ratio}x the gradient at the top: it shrinks on "
                     "its way down (÷{per} per layer)."),
        "grows": _("The gradient reaching layer 1 has std {std}, {ratio}x the gradient at the top: it grows on its "
                   "way down (×{per} per layer)."),
        "explodes": _("The gradient reaching layer 1 has std {std}, {ratio}x the gradient at the top: it explodes "
                      "on its way down (×{per} per layer)."),
    }[verdict].format(std=_g(g[0]), ratio=_ratio(r), per=_g(per if per > 1 else 1 / per))
    return " ".join(filter(None, (text, _weights_gradient(r))))


def notice_histograms(r: Result) -> str:
    """What this run's histograms show: a spike, a pile-up at the bounds, ReLU's zeros, or a healthy spread."""
    std = r.forward_std
    shown = len(std)
    if r.diverged_at:
        return _("The values grow so fast (they overflow at layer {layer}) that on one shared range the early layers "
                 "look like a spike at 0: read their spread on the std chart, on a log axis.").format(
            layer=r.diverged_at)
    if std[0] > 0 and std[-1] > 10 * std[0]:
        return _("The values grow so fast (they grow ×{factor} per layer) that on one shared range the early layers "
                 "look like a spike at 0: read their spread on the std chart, on a log axis.").format(
            factor=_g(_per_layer_factor(std)))
    bin_width = float(r.hist_edges[0, 1] - r.hist_edges[0, 0])
    sat = r.saturated_fraction[:shown]
    if np.isfinite(sat).any() and np.nanmean(sat) > 0.5:
        return _("The outputs pile up in the edge bins, at the bounds: {share} of them are saturated (more than half "
                 "{where}).").format(share=_share(np.nanmean(sat)), where=_layers_text(sat >= 0.5))
    if (std == 0).all():
        return _("Every histogram is a single bar: each layer's outputs are all exactly the same value.")
    narrow = np.flatnonzero(std[:shown] < bin_width)
    if len(narrow):
        first = narrow[0]
        fullest = int(r.hist_counts[shown - 1].argmax())
        spike = dict(layer=first + 1, std=_g(std[first]), bin=_g(bin_width))
        if r.hist_edges[shown - 1, fullest] <= 0 <= r.hist_edges[shown - 1, fullest + 1]:
            return _("From layer {layer} on, the std ({std}) is narrower than one bin ({bin}): every histogram is a "
                     "spike at 0, the lecture's collapse.").format(**spike)
        return _("From layer {layer} on, the std ({std}) is narrower than one bin ({bin}): every histogram is a "
                 "spike at {value}: every output is nearly the same value, but not 0.").format(
            value=_value(float(np.median(r.forward_mean[narrow]))), **spike)
    if activations.ACTIVATIONS[r.config.activation].rectifier:
        zeros = r.hist_counts[:shown, 0] / np.maximum(r.hist_counts[:shown].sum(axis=1), 1)
        return _("The first bar, ReLU's exact zeros and the smallest values, holds {low}–{high} of each layer's "
                 "outputs; the rest keep their spread to layer {layer}.").format(
            low=_share(zeros.min()), high=_share(zeros.max()), layer=shown)
    last = std[shown - 1]
    return _("No layer collapses to a spike: layer {layer}'s outputs still have std {std}, {bins} bins wide.").format(
        layer=shown, std=_g(last), bins=number(last / bin_width, ".0f"))


def _gradient_after_saturation(r: Result, verdict: str) -> str:
    """The sentence after 'X% of all outputs are saturated': what the backward pass shows next to it."""
    if verdict in ("explodes", "grows", "keeps its scale"):
        if r.config.batchnorm:
            return _("Saturated does not mean the gradient stops: the gradient reaching layer 1 is {ratio}x the "
                     "gradient at the top.").format(ratio=_ratio(r))
        return _("Saturated does not mean the gradient stops: the gradient reaching layer 1 is {ratio}x the gradient "
                 "at the top, as each layer's weights amplify it more than the flat slopes damp it.").format(
            ratio=_ratio(r))
    if verdict == "none":
        return _("And there was no backward pass.")
    if verdict == "zero":
        below = _zero_below(r)
        return (_("And the gradient is exactly 0 in layers 1–{below}.").format(below=below) if below > 1 else
                _("And the gradient is exactly 0 at layer 1."))
    return _("And the gradient reaching layer 1 is {ratio}x the gradient at the top.").format(ratio=_ratio(r))


def _gradient_without_saturation(r: Result, verdict: str) -> str:
    """The sentence after 'no output is saturated': whether the gradient gets through all the same."""
    if verdict == "none":
        return ""
    if verdict == "zero":
        below = _zero_below(r)
        return (_("That does not make the gradient flow: the gradient is exactly 0 in layers 1–{below}, because each "
                  "layer multiplies it by its weights and by the activation's slope (see the backward "
                  "chart).").format(below=below) if below > 1 else
                _("That does not make the gradient flow: the gradient is exactly 0 at layer 1, because each layer "
                  "multiplies it by its weights and by the activation's slope (see the backward chart)."))
    if verdict == "vanishes":
        return _("That does not make the gradient flow: the gradient reaching layer 1 is {ratio}x the gradient at the "
                 "top, because each layer multiplies it by its weights and by the activation's slope (see the "
                 "backward chart).").format(ratio=_ratio(r))
    return _("And the gradient gets through: the gradient reaching layer 1 is {ratio}x the gradient at the "
             "top.").format(ratio=_ratio(r))


def notice_health(r: Result) -> str:
    """How many units of this run are stuck (dead or saturated), and what the backward pass shows next to it."""
    dead, sat = r.dead_fraction, r.saturated_fraction
    verdict = _flow(r)
    samples = number(r.config.samples, ",")
    if np.isfinite(dead).any():
        worst = int(np.nanargmax(dead))
        if dead[worst] == 0:
            return _("No unit is dead: every unit outputs a positive value for at least one of the {samples} "
                     "samples.").format(samples=samples)
        return _("Up to {share} of the units are dead at initialization (0 on all {samples} samples), at layer "
                 "{layer}: they pass no gradient back.").format(share=_share(dead[worst]), samples=samples,
                                                                 layer=worst + 1)
    if not np.isfinite(sat).any():
        return _("This activation has no bound and no flat zero: its units can neither saturate nor die.")
    worst = int(np.nanargmax(sat))
    if np.nanmean(sat) >= 0.05:
        text = _("{share} of all outputs are saturated, {worst} at layer {layer}: there the local slope is ~0.").format(
            share=_share(np.nanmean(sat)), worst=_share(sat[worst]), layer=worst + 1)
        return f"{text} {_gradient_after_saturation(r, verdict)}"
    text = (_("No output is saturated: every layer stays on the steep part of the curve.") if sat[worst] < 0.005 else
            _("Almost no output is saturated (at most {share}, at layer {layer}): the layers stay on the steep part "
              "of the curve.").format(share=_share(sat[worst]), layer=worst + 1))
    return " ".join(filter(None, (text, _gradient_without_saturation(r, verdict))))


def notice_symmetry(r: Result) -> str:
    """After the training steps: are the units of each layer still copies of each other (zeros, constant) or not?"""
    spread, change = r.unit_spread, r.train_change
    if np.isnan(spread).all():
        return _("No training steps: the forward pass overflowed first.")
    same = spread < SYMMETRIC
    steps = dict(steps=TRAIN_STEPS, rows=min(r.config.samples, TRAIN_ROWS))
    if not same.any():
        return _("After {steps} SGD steps on a toy regression ({rows} samples, an N(0,1) target, one output unit "
                 "initialized like the layers), the units of every layer still differ (the largest gap between two "
                 "units' weights is {low}–{high} times the layer's largest weight): the random start broke the "
                 "symmetry, so each unit can learn something different.").format(
            low=_g(spread.min()), high=_g(spread.max()), **steps)
    moved = change > 0
    where = _layers_text(same)
    if not moved[same].any():
        text = (_("After {steps} SGD steps on a toy regression ({rows} samples, an N(0,1) target, one output unit "
                  "initialized like the layers), the units {where} are still identical copies of each other, as 003 "
                  "warns ('la red NO aprende'): not one of their weights changed: every gradient was exactly 0.")
                if same.all() else
                _("After {steps} SGD steps on a toy regression ({rows} samples, an N(0,1) target, one output unit "
                  "initialized like the layers), the units {where} are still identical copies of each other "
                  "(elsewhere they differ), as 003 warns ('la red NO aprende'): not one of their weights changed: "
                  "every gradient was exactly 0."))
        return text.format(where=where, **steps)
    text = (_("After {steps} SGD steps on a toy regression ({rows} samples, an N(0,1) target, one output unit "
              "initialized like the layers), the units {where} are still identical copies of each other, as 003 "
              "warns ('la red NO aprende'): the steps changed their weights ({changed}), but every unit of a layer by "
              "the same amount. A layer of {width} units learns like a single unit.")
            if same.all() else
            _("After {steps} SGD steps on a toy regression ({rows} samples, an N(0,1) target, one output unit "
              "initialized like the layers), the units {where} are still identical copies of each other (elsewhere "
              "they differ), as 003 warns ('la red NO aprende'): the steps changed their weights ({changed}), but "
              "every unit of a layer by the same amount. A layer of {width} units learns like a single unit."))
    return text.format(where=where, changed=_layers_text(moved & same), width=r.config.width, **steps)
