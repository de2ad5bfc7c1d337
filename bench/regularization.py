"""Regularization lab (nncore.training, nncore.regularization): the default run, the loop vs plain torch.

Goals (issue 3): the default 2D run (two hidden layers of 64, 1,000 points, 300 full-batch epochs) under 1.5 s;
the training loop's per-epoch cost within 1.2x of a plain torch loop on the same data (reference measured in the
same run, on the same thread setting); the decision-boundary grid under 50 ms; every figure under 300 kB.
"""
from __future__ import annotations

import dataclasses
import time

import torch

from bench._common import Report, best_of, ms, plain_epochs
from nncore import models, training, viz
from nncore import regularization as reg
from nncore.experiments import augmentation, early_stopping, normalization, weight_penalties

DEFAULT = reg.Config()


def plain_loop(cfg: reg.Config, batch_size: int | None = None, torch_dropout: bool = False) -> float:
    """bench._common.plain_epochs (what a student writes) on the same data and model (nncore.models.build), Adam:
    seconds for all epochs. torch_dropout: dropout masks from torch's global RNG (nn.Dropout) instead of a seed."""
    d = reg.load(cfg)
    mlp, _ = reg.spec_of(cfg)
    model = models.build(mlp, cfg.seed)
    model.set_generator(None if torch_dropout else torch.Generator().manual_seed(0))
    return sum(plain_epochs(model, torch.optim.Adam(model.parameters(), lr=cfg.lr), d, batch_size, cfg.epochs))


def engine_loop(cfg: reg.Config) -> float:
    """nncore.training.train alone on the same data and model (no activation probe, grid or result)."""
    d = reg.load(cfg)
    mlp, spec = reg.spec_of(cfg)
    model = models.build(mlp, cfg.seed)
    start = time.perf_counter()
    training.train(model, d, spec, seed=cfg.seed)
    return time.perf_counter() - start


def page_figures() -> dict[str, object]:
    """Every figure the regularization pages draw, at their defaults."""
    a, b = reg.run(reg.OVERFIT), reg.run(dataclasses.replace(reg.OVERFIT, dropout=0.5, patience=30))
    bn = reg.run(reg.Config(dataset="spiral", n_samples=600, hidden=(64,) * 4, optimizer="sgd", lr=1.0, epochs=150,
                            batch_size=64, norm="batch"))
    path = weight_penalties.regularization_path(weight_penalties.PathConfig(base=reg.OVERFIT))
    names = ["A", "B"]
    return {"curves": viz.curves([a, b], names), "decision boundaries": viz.fits([a, b], names),
            "weight histograms": viz.weight_histograms([a, b, a], ["x", "y", "z"]),
            "regularization path": viz.regularization_path(path), "early stopping": viz.early_stopping(b),
            "activation spread": viz.activation_spread([a, bn], names), "bn train vs eval": viz.bn_train_eval(bn),
            "norm axes": viz.norm_axes(normalization.norm_axes()),
            "digit gallery": viz.digit_gallery(augmentation.augmented_gallery())}


def main(report: Report) -> None:
    report.figure("torch threads in small-model training", "1 (training.single_thread)")
    run = best_of(lambda: reg.run(DEFAULT), repeat=3)
    report.goal("default run: 2x64, 1,000 points, 300 full-batch epochs", ms(run), "< 1.5 s", run < 1.5)

    for label, cfg, batch in (("full batch", DEFAULT, None), ("dropout 0.5, full batch", dataclasses.replace(
            DEFAULT, dropout=0.5), None), ("batch 32, 30 epochs", dataclasses.replace(DEFAULT, batch_size=32,
                                                                                      epochs=30), 32)):
        times = [(plain_loop(cfg, batch), engine_loop(cfg)) for _ in range(6)]   # interleaved: same load for both
        plain, engine = min(t[0] for t in times[1:]), min(t[1] for t in times[1:])
        per = lambda t: f"{t / cfg.epochs * 1e3:.2f} ms"
        report.figure(f"per epoch, {label}: plain torch loop", per(plain))
        report.figure(f"per epoch, {label}: nncore.training.train", per(engine))
        report.goal(f"  ratio train / plain ({label})", f"{engine / plain:.2f}x", "<= 1.2x", engine / plain <= 1.2)
    cfg = dataclasses.replace(DEFAULT, dropout=0.5)
    times = [(plain_loop(cfg), plain_loop(cfg, torch_dropout=True)) for _ in range(4)]
    per_epoch = lambda i: f"{min(t[i] for t in times) / cfg.epochs * 1e3:.2f} ms"
    report.figure("per epoch, plain loop, dropout from the seeded generator", per_epoch(0))
    report.figure("per epoch, plain loop, torch's nn.Dropout (global RNG)", per_epoch(1))
    report.figure("run() per epoch (adds probe, grid, weights, result)", f"{run / DEFAULT.epochs * 1e3:.2f} ms")

    b = early_stopping.PRESETS["004: red wine, 3×512, early stopping"].config   # the page computes A, then B
    for label, cfg in (("A, all 60 epochs", dataclasses.replace(b, patience=None, min_delta=0.0)),
                       ("B, early stopping", b)):
        report.figure(f"004 red-wine preset (3x512, 1,599 wines): {label}", ms(best_of(lambda: reg.run(cfg), 1, 0)))

    d = reg.load(DEFAULT)
    mlp, spec = reg.spec_of(DEFAULT)
    model = models.build(mlp, 0).eval()
    with training.single_thread():
        grid = best_of(lambda: reg._grid(model, d), repeat=10)
    report.goal(f"decision-boundary grid ({reg.GRID}x{reg.GRID} points)", ms(grid), "< 50 ms", grid < 0.05)

    sizes = {name: len(fig.to_json()) for name, fig in page_figures().items()}
    for name, size in sizes.items():
        report.figure(f"figure: {name}", f"{size / 1e3:,.0f} kB")
    largest = max(sizes.values())
    report.goal("largest figure", f"{largest / 1e3:,.0f} kB", "< 300 kB", largest < 300e3)
