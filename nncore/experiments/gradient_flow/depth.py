"""Vanishing gradient through depth: each layer multiplies the gradient by its local derivative f'(z) (001, 002, 003).

A deep stack of Linear + activation on N(0, 1) data, backpropagated with autograd from an N(0, 1) gradient at the
top. Per layer we measure the local derivatives f'(z) of the units and the size of the gradient that arrives.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from nncore import activations, inits, training
from nncore.activations import ACTIVATIONS
from nncore.i18n import N_, _, number
from nncore.params import Preset, param, validate
from nncore.per_activation import PerActivation, labels, require_choice
from nncore.progress import OnProgress, report

WEIGHT_INITS = {k: inits.INITS[k] for k in ("lecun_normal", "xavier_normal", "kaiming_normal", "orthogonal")}


@dataclass(frozen=True)
class Config:
    """The same deep net (depth x width, one init, one seed) with each chosen activation."""

    activations: tuple = param(("sigmoid", "tanh", "relu", "leaky_relu"), choices=ACTIVATIONS,
                               label=N_("Activations"))
    depth: int = param(20, 2, 60, label=N_("Layers"), help=N_("Hidden layers the gradient has to cross."))
    width: int = param(128, 4, 512, label=N_("Units per layer"))
    init: str = param("lecun_normal", choices=WEIGHT_INITS, label=N_("Initialization"),
                      help=N_("LeCun's 1/fan_in (Xavier's, for square layers) keeps the weights' part of the "
                              "product near 1, so what is left is f'."))
    samples: int = param(256, 16, 2048, label=N_("Samples"))
    seed: int = param(0, 0, 2**31 - 1, label=N_("Seed"))


@dataclass(frozen=True)
class Result(PerActivation):
    """Per activation (rows, in `names` order) and hidden layer (columns, 0 = the first layer)."""

    mean_slope: np.ndarray       # (activations, depth) mean |f'(z)| over units and samples
    rms_slope: np.ndarray        # (activations, depth) sqrt(mean f'(z)^2): what a layer does to the gradient's size
    grad_rms: np.ndarray         # (activations, depth) rms of dLoss/d(output of layer l), relative to the top layer's
    slope_product: np.ndarray    # (activations, depth) predicted grad_rms: product of rms_slope x weight gain above l
    weight_grad_rms: np.ndarray  # (activations, depth) rms of dLoss/dW of each layer


def check(cfg: Config) -> None:
    require_choice(cfg.activations)
    validate(cfg)


def _measure(name: str, cfg: Config, x: torch.Tensor) -> tuple[np.ndarray, ...]:
    """One activation: build the stack from the seed, forward, backward from an N(0,1) gradient at the top."""
    gen = torch.Generator().manual_seed(cfg.seed)
    weights = []
    for _layer in range(cfg.depth):
        w = torch.empty(cfg.width, cfg.width)
        inits.apply(cfg.init, w, 0.01, gen)
        weights.append(w.requires_grad_(True))
    act = activations.make(name)
    slopes, outs = [], []
    h = x
    with torch.enable_grad():
        for w in weights:
            z = h @ w.T
            slopes.append(activations.value_and_slope(act, z)[1])
            h = act(z)
            h.retain_grad()
            outs.append(h)
        upstream = torch.randn(h.shape, generator=torch.Generator().manual_seed(cfg.seed + 1))
        h.backward(upstream)
    rms = lambda t: float(t.double().pow(2).mean().sqrt())   # float64: a 1e-23 gradient squared underflows float32
    grad = np.array([rms(o.grad) for o in outs])
    rms_slope = np.array([rms(s) for s in slopes])
    # Going down from layer l+1 to layer l multiplies the gradient by f'(z_{l+1}) and then by W_{l+1}^T, whose
    # gain on a random vector is sqrt(sum of squares of a column): the prediction is the product of both factors.
    gain = np.array([float(w.detach().pow(2).sum(dim=0).mean().sqrt()) for w in weights])
    step = rms_slope * gain
    product = np.concatenate([np.cumprod(step[:0:-1])[::-1], [1.0]])
    return (np.array([float(s.abs().mean()) for s in slopes]), rms_slope, grad / grad[-1], product,
            np.array([rms(w.grad) for w in weights]))


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    """Measure every chosen activation on the same weights and data."""
    check(cfg)
    x = torch.randn(cfg.samples, cfg.width, generator=torch.Generator().manual_seed(cfg.seed + 2))
    rows = []
    with training.single_thread(cfg.samples * cfg.width**2 < training.SMALL_STEP):
        for i, name in enumerate(cfg.activations):
            rows.append(_measure(name, cfg, x))
            if not report(on_progress, i + 1, len(cfg.activations), _("{name} done").format(name=name)):
                break
    cols = [np.array([r[k] for r in rows]) for k in range(5)]
    names = tuple(cfg.activations[:len(rows)])
    return Result(cfg, names, labels(names), *cols)


BACKPROP = ("001 'Backpropagation': ∂z/∂w = f⁽³⁾'(y) f⁽²⁾'(x) f⁽¹⁾'(w), 'if any of the intermediate activations "
            "have too small derivatives or 0 (dead neurons) gradients will not flow back'")
PRESETS = {
    N_("Sigmoid vs tanh vs ReLU"): Preset(Config(), N_(
        "Sigmoid's slope is at most 0.25: 19 steps down leave at most ~0.25¹⁹ ≈ 4e-12 of the gradient."),
        BACKPROP + "; 002 'Sigmoid': 'Saturated neurons “kill” the gradients'"),
    N_("ReLU family, He init"): Preset(Config(activations=("relu", "leaky_relu", "elu", "gelu"), init="kaiming_normal"),
                                       N_("He's factor 2 makes up for ReLU's zero half: ReLU's and Leaky ReLU's "
                                          "gradient keeps about its size through the 20 layers; ELU and GELU, whose "
                                          "slopes differ, drift up or down."), "002 'He et al.'"),
    N_("Very deep (50 layers)"): Preset(Config(depth=50), N_("The same per-layer factors, compounded 50 times."),
                                        BACKPROP),
}


def notice_gradient(r: Result) -> str:
    """How much gradient reaches the first layer for each activation, against the product of local slopes."""
    depth = r.grad_rms.shape[1]
    parts = []
    for i, name in enumerate(r.names):
        first, pred = r.grad_rms[i, 0], r.slope_product[i, 0]
        values = dict(name=ACTIVATIONS[name].label, product=number(pred, ".1e"))
        parts.append(_("{name}: {gradient} (product of the layers' factors: {product})").format(
            gradient=number(first, ".1e"), **values) if first > 0 else
            _("{name}: 0 (exactly 0 in float32) (product of the layers' factors: {product})").format(**values))
    worst = int(np.argmin(r.grad_rms[:, 0]))
    best = int(np.argmax(r.grad_rms[:, 0]))
    sentences = [_("Gradient reaching layer 1, relative to layer {depth}: {runs}.").format(
        depth=depth, runs="; ".join(parts))]
    if len(r.names) > 1 and r.grad_rms[worst, 0] > 0:
        ratio = r.grad_rms[best, 0] / max(r.grad_rms[worst, 0], 1e-300)
        sentences.append(_("{best} delivers {ratio}x more gradient to the first layer than {worst}.").format(
            best=ACTIVATIONS[r.names[best]].label, ratio=number(ratio, ".1e"), worst=ACTIVATIONS[r.names[worst]].label))
    gone = [ACTIVATIONS[n].label for i, n in enumerate(r.names) if r.grad_rms[i, 0] == 0]
    if gone:
        sentences.append(_("{names}: no gradient at all reaches layer 1 (every component is exactly 0 in "
                           "float32).").format(names=", ".join(gone)))
    return " ".join(sentences)


def notice_slopes(r: Result) -> str:
    """The typical local slope per activation: the factor the gradient is multiplied by in each layer."""
    parts = [f"{ACTIVATIONS[n].label} {number(np.median(r.mean_slope[i]), '.2f')}" for i, n in enumerate(r.names)]
    text = _("Median over the layers of the mean local slope |f'(z)|: {slopes}.").format(slopes=", ".join(parts))
    if "sigmoid" not in r.names:
        return text
    top = r.mean_slope[list(r.names).index("sigmoid")].max()
    return text + " " + _("Sigmoid never exceeds {limit} (here at most {top}).").format(
        limit=number(0.25), top=number(top, ".3f"))
