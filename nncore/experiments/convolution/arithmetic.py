"""Connectivity and convolution arithmetic (001 'Connectivity and Model Architecture', 'CNNs output dimensions',
'Pooling', 'Strided convolutions').

One convolution layer from a W x W x C input with K filters of F x F, stride S, padding P and dilation D:
its output size (W - F + 2P)/S + 1 (rounded down, the kernel spread to D(F - 1) + 1), the parameters a dense, a
sparse (local) and a shared (convolution) layer need for the same input and output, the window sliding over a
small input (torch's conv2d computes every output value), max and average pooling of that input, and the
receptive field of a stack of such layers. No training: everything here is a formula checked against torch.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from nncore.architectures import CONNECTIVITY, connectivity_counts, conv_output_size, receptive_fields
from nncore.i18n import N_, _, ngettext, number
from nncore.params import Preset, param, validate

MAX_FRAMES = 784   # output positions the window animation shows (one frame each): 001's 28x28 output fits
MAX_TAPS = 20_000  # taps over all frames (about 250 kB of JSON); larger layers show the sizes only


@dataclass(frozen=True)
class Config:
    """One convolution layer, the pooling after it, and how many such layers to stack for the receptive field."""

    size: int = param(7, 1, 64, label=N_("Input size W (pixels per side)"))
    channels: int = param(1, 1, 16, label=N_("Input channels C"))
    filters: int = param(1, 1, 64, label=N_("Filters K"))
    kernel: int = param(3, 1, 11, label=N_("Kernel size F"))
    stride: int = param(1, 1, 8, label=N_("Stride S"), help=N_("How many pixels the window moves between outputs."))
    padding: int = param(0, 0, 8, label=N_("Padding P"), help=N_("Rings of zeros added around the input."))
    dilation: int = param(1, 1, 4, label=N_("Dilation D"),
                          help=N_("Gaps between the kernel's taps: it spans D(F - 1) + 1."))
    pool: int = param(2, 1, 8, label=N_("Pooling window (= its stride)"))
    layers: int = param(4, 1, 12, label=N_("Layers stacked (receptive field)"))
    seed: int = param(0, 0, 2**31 - 1, label=N_("Seed (input values)"))


@dataclass(frozen=True)
class Result:
    """The layer's sizes and counts, the demo input and kernel, and the window positions (integers: exact)."""

    config: Config
    span: int                      # D(F - 1) + 1: the pixels one window covers along a side
    out_size: int                  # the output's side
    counts: dict                   # CONNECTIVITY name -> parameters for the same input and output
    image: np.ndarray              # (W + 2P, W + 2P) the first input channel with its padding (zeros)
    kernel: np.ndarray             # (F, F) the first filter's weights on that channel
    output: np.ndarray             # (out, out) conv2d of the first channel with that filter (no bias)
    taps: np.ndarray               # (out * out, F * F, 2) (row, col) in the padded image of each output's taps
    animated: bool                 # within MAX_FRAMES and MAX_TAPS: the page animates the window (else taps is empty)
    pooled_max: np.ndarray         # (W // pool, ...) max pooling of the unpadded first channel, window = stride
    pooled_avg: np.ndarray
    fields_conv: np.ndarray        # (layers,) receptive field after each stacked convolution
    fields_pool: np.ndarray        # (layers,) ... when each convolution is followed by the pooling
    sizes_conv: np.ndarray         # (layers,) the map's side after each stacked convolution (0: nothing left)


PRESETS = {
    N_("001: 3x3 kernel over a 7x7 input"): Preset(
        Config(), N_("The lecture's animation: nine taps slide over the input, one output value per position."),
        "001 'Sliding convolution kernel with size 3x3 over an input of 7x7'"),
    N_("001: 32x32x3, six 5x5 filters"): Preset(
        Config(size=32, channels=3, filters=6, kernel=5),
        N_("Six 5x5x3 filters over a 32x32x3 image: 'a new image of size 28x28x6', 456 parameters."),
        "001 'CNNs output dimensions'"),
    N_("Strided: kernel 3, stride 2"): Preset(
        Config(kernel=3, stride=2),
        N_("The window jumps two pixels: the output shrinks by half, a learned 'pooling'."),
        "001 'Strided convolutions'"),
    N_("'Same' padding: P = (F - 1)/2"): Preset(
        Config(kernel=3, padding=1), N_("One ring of zeros keeps the output as large as the input."),
        "001 'CNNs output dimensions'"),
    N_("Dilated: kernel 3, dilation 2"): Preset(
        Config(size=9, kernel=3, dilation=2),
        N_("Nine taps spread over 5x5 pixels: a wider view for the same weights."),
        "torch.nn.Conv2d(dilation=2)"),
}


def check(cfg: Config) -> None:
    """The field ranges, then a window that fits the padded input and a pooling window that fits the input."""
    validate(cfg)
    conv_output_size(cfg.size, cfg.kernel, cfg.stride, cfg.padding, cfg.dilation)
    if cfg.pool > cfg.size:
        raise ValueError(_("The pooling window ({pool}) is larger than the input ({size} pixels): use a smaller window "
                           "or a larger input.").format(pool=cfg.pool, size=cfg.size))


def window_taps(size: int, kernel: int, stride: int, dilation: int) -> np.ndarray:
    """(out * out, F * F, 2): the (row, col) of each tap of each output's window in the padded image of `size`."""
    out = (size - dilation * (kernel - 1) - 1) // stride + 1
    starts = np.arange(out) * stride
    offsets = np.arange(kernel) * dilation
    rows = (starts[:, None, None, None] + offsets[None, None, :, None]).repeat(out, 1).repeat(kernel, 3)
    cols = (starts[None, :, None, None] + offsets[None, None, None, :]).repeat(out, 0).repeat(kernel, 2)
    return np.stack([rows, cols], -1).reshape(out * out, kernel * kernel, 2)


def _stack(cfg: Config) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Receptive fields through `layers` convolutions, with and without a pooling after each; the maps' sides."""
    conv = (cfg.kernel, cfg.stride, cfg.dilation)
    with_pool = receptive_fields([conv, (cfg.pool, cfg.pool)] * cfg.layers)[1::2]
    sizes, side = [], cfg.size
    for _layer in range(cfg.layers):
        fits = side and cfg.dilation * (cfg.kernel - 1) + 1 <= side + 2 * cfg.padding
        side = conv_output_size(side, cfg.kernel, cfg.stride, cfg.padding, cfg.dilation) if fits else 0
        sizes.append(side)
    return np.array(receptive_fields([conv] * cfg.layers)), np.array(with_pool), np.array(sizes)


def run(cfg: Config, on_progress=None) -> Result:
    """The arithmetic of one layer: sizes, counts, the window's taps, pooling, receptive fields."""
    check(cfg)
    gen = torch.Generator().manual_seed(cfg.seed)
    x = torch.randint(0, 10, (1, 1, cfg.size, cfg.size), generator=gen, dtype=torch.float64)
    w = torch.randint(-1, 2, (1, 1, cfg.kernel, cfg.kernel), generator=gen, dtype=torch.float64)
    out = F.conv2d(x, w, stride=cfg.stride, padding=cfg.padding, dilation=cfg.dilation)[0, 0]
    padded = F.pad(x, (cfg.padding,) * 4)[0, 0]
    size = conv_output_size(cfg.size, cfg.kernel, cfg.stride, cfg.padding, cfg.dilation)
    fields_conv, fields_pool, sizes = _stack(cfg)
    animated = size * size <= MAX_FRAMES and size * size * cfg.kernel ** 2 <= MAX_TAPS
    taps = window_taps(cfg.size + 2 * cfg.padding, cfg.kernel, cfg.stride, cfg.dilation) if animated else \
        np.zeros((0, cfg.kernel ** 2, 2), dtype=int)
    return Result(
        config=cfg, span=cfg.dilation * (cfg.kernel - 1) + 1, out_size=size,
        counts=connectivity_counts(cfg.size, cfg.channels, cfg.filters, cfg.kernel, cfg.stride, cfg.padding,
                                   cfg.dilation),
        image=padded.numpy(), kernel=w[0, 0].numpy(), output=out.numpy(),
        taps=taps, animated=animated,
        pooled_max=F.max_pool2d(x, cfg.pool)[0, 0].numpy(), pooled_avg=F.avg_pool2d(x, cfg.pool)[0, 0].numpy(),
        fields_conv=fields_conv, fields_pool=fields_pool, sizes_conv=sizes)


def _count(n: float, spec: str = ",") -> str:
    return number(n, spec)


def notice_size(r: Result) -> str:
    """001's formula with this layer's numbers, and the output volume."""
    c = r.config
    top = c.size - r.span + 2 * c.padding
    formula = f"(W - F + 2P)/S + 1 = ({c.size} - {r.span} + 2·{c.padding})/{c.stride} + 1 = {r.out_size}"
    if top % c.stride:
        formula += " " + _("(rounded down: {top}/{stride} = {quotient})").format(
            top=top, stride=c.stride, quotient=number(top / c.stride, ".2f"))
    if c.dilation > 1:
        formula += " " + _("(F spread by the dilation to D(F - 1) + 1 = {span})").format(span=r.span)
    return ngettext("{formula}: {filters} filter of {k}x{k}x{c} turns the {w}x{w}x{c} input into a {o}x{o}x{filters} "
                    "output.",
                    "{formula}: {filters} filters of {k}x{k}x{c} turn the {w}x{w}x{c} input into a {o}x{o}x{filters} "
                    "output.", c.filters).format(formula=formula, filters=c.filters, k=c.kernel, c=c.channels,
                                                 w=c.size, o=r.out_size)


def notice_connectivity(r: Result) -> str:
    """How many times more parameters the dense and the local layer need than the convolution."""
    dense, local, shared = (r.counts[name] for name in CONNECTIVITY)
    return _("For the same input and output, a dense layer needs {dense} parameters, a sparse (local) one {local} "
             "({fewer}x fewer: each unit sees only its window) and the convolution {shared} ({again}x fewer again: "
             "all {positions} positions share one kernel per filter).").format(
        dense=_count(dense), local=_count(local), fewer=_count(dense / local, ",.0f"), shared=_count(shared),
        again=_count(local / shared, ",.0f"), positions=_count(r.out_size ** 2))


def notice_pooling(r: Result) -> str:
    """What each pooling keeps of the demo input."""
    p, side = r.config.pool, r.pooled_max.shape[0]
    return _("A {p}x{p} window with stride {p} turns the {w}x{w} input into {side}x{side}: max pooling keeps each "
             "window's largest value (mean {max_mean}), average pooling its mean (mean {avg_mean}); neither has a "
             "parameter to learn.").format(p=p, w=r.config.size, side=side,
                                           max_mean=number(r.pooled_max.mean(), ".2f"),
                                           avg_mean=number(r.pooled_avg.mean(), ".2f"))


def notice_receptive(r: Result) -> str:
    """How the receptive field grows through the stack, with and without pooling."""
    n = r.config.layers
    return ngettext("After {n} convolution a unit sees {conv}x{conv} input pixels; with a {p}x{p} pooling after each, "
                    "{pooled}x{pooled}: stacked kernels add to the field, strides and pooling multiply it.",
                    "After {n} convolutions a unit sees {conv}x{conv} input pixels; with a {p}x{p} pooling after "
                    "each, {pooled}x{pooled}: stacked kernels add to the field, strides and pooling multiply it.",
                    n).format(n=n, conv=r.fields_conv[-1], p=r.config.pool, pooled=r.fields_pool[-1])
