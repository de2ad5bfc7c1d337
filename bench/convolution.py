"""Convolution lesson (nncore.experiments.convolution): the page's defaults, and the CNN's epoch vs plain torch.

Goals (issue 15): each part of the page at its defaults under 3 s of compute (the arithmetic is formulas; the shift
part trains a CNN and an MLP); nncore.training.train on the CNN within 1.3x of a plain torch loop per epoch (same
model, same data, same batches, Adam; measured in alternation, in the same run); every figure under 1 MB.
"""
from __future__ import annotations

import time

import plotly.io
import torch

from bench._common import Report, best_of, ms, plain_epochs
from nncore import data, training, viz
from nncore.experiments.convolution import arithmetic, shift

CFG = shift.Config()


def _digits() -> data.Data:
    return data.load("digits", 1797, seed=CFG.seed, val_fraction=0.3)


def plain_loop(d: data.Data) -> float:
    """bench._common.plain_epochs (what a student writes) on the lesson's CNN, Adam, batches of shift.BATCH."""
    net = shift.cnn(CFG.filters, CFG.kernel, torch.Generator().manual_seed(CFG.seed))
    opt = torch.optim.Adam(net.parameters(), lr=CFG.lr)
    return sum(plain_epochs(net, opt, d, shift.BATCH, CFG.epochs, seed=CFG.seed))


def engine_loop(d: data.Data) -> float:
    """nncore.training.train alone on the same CNN, data and batch size."""
    net = shift.cnn(CFG.filters, CFG.kernel, torch.Generator().manual_seed(CFG.seed))
    spec = training.TrainSpec(epochs=CFG.epochs, batch_size=shift.BATCH, optimizer="adam", lr=CFG.lr)
    start = time.perf_counter()
    training.train(net, d, spec, seed=CFG.seed)
    return time.perf_counter() - start


def main(report: Report) -> None:
    layer = best_of(lambda: arithmetic.run(arithmetic.Config()), repeat=5)
    report.goal("page defaults, part 1: one layer's arithmetic", ms(layer), "< 3 s", layer < 3)
    moved = best_of(lambda: shift.run(CFG), repeat=3)
    report.goal(f"page defaults, part 2: CNN + MLP, {CFG.epochs} epochs, shifts", ms(moved), "< 3 s", moved < 3)

    d = _digits()
    times = [(plain_loop(d), engine_loop(d)) for _ in range(10)]   # interleaved: the same load for both
    plain, engine = min(t[0] for t in times[1:]), min(t[1] for t in times[1:])
    report.figure("CNN per epoch: plain torch loop", f"{plain / CFG.epochs * 1e3:.2f} ms")
    report.figure("CNN per epoch: nncore.training.train", f"{engine / CFG.epochs * 1e3:.2f} ms")
    report.goal("  ratio train / plain (the CNN)", f"{engine / plain:.2f}x", "<= 1.3x", engine / plain <= 1.3)

    big = arithmetic.run(arithmetic.PRESETS["001: 32x32x3, six 5x5 filters"].config)
    r, s = arithmetic.run(arithmetic.Config()), shift.run(CFG)
    figures = {"window (001's 28x28 output, 784 frames)": viz.conv_window(big), "window (defaults)": viz.conv_window(r),
               "connectivity": viz.connectivity_counts(r), "pooling": viz.pooling(r),
               "receptive fields": viz.receptive_fields(r), "shift accuracy": viz.shift_accuracy(s),
               "curves": viz.shift_curves(s), "filters and maps": viz.cnn_features(s)}
    for name, fig in figures.items():
        size = len(plotly.io.to_json(fig, validate=False))
        report.goal(f"figure: {name}", f"{size / 1e3:,.0f} kB", "< 1 MB", size < 1e6)
