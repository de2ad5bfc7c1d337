"""Speed-ups that cost some reading, each against the plain version kept beside it as the tests' reference.

What each buys on one torch thread, as a worker runs it: foreach optimizer steps (torch's default single-tensor
step), dropout masks from uniform < 1 - p (torch.bernoulli), weight_init's statistics (torch's mean and std, a sort,
(a == 0).all) and the optimizer race (one optimizer and one backward per racer). The code quotes these figures.
Run with `python -m bench speedups`.
"""
from __future__ import annotations

import dataclasses
from contextlib import contextmanager
from typing import Callable, Iterator

import torch

from bench._common import Report, best_of_each, ms
from nncore import models, training
from nncore import regularization as reg
from nncore.experiments import weight_init
from nncore.experiments import optimizer_race as race


@contextmanager
def replaced(owner: object, name: str, value: object) -> Iterator[None]:
    """`owner.name` set to `value` inside the block: the plain version in place of the fast one."""
    saved = getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, saved)


def plain_dropout(self: models.SeededDropout, x: torch.Tensor) -> torch.Tensor:
    """SeededDropout.forward with the plain mask (the same mask, bit for bit)."""
    if not self.training or self.p == 0.0 or self.generator is None:
        return torch.nn.Dropout.forward(self, x)
    return x * models.plain_keep_mask(x.shape, self.p, self.generator, x.dtype) * (1.0 / (1.0 - self.p))


def compare(report: Report, what: str, fast: Callable[[], object], plain: Callable[[], object],
            repeat: int = 5) -> None:
    """One line: the plain version's time, the fast one's, and the ratio (timed in alternation)."""
    t_fast, t_plain = best_of_each([fast, plain], repeat=repeat)
    report.figure(what, f"{_time(t_plain)} -> {_time(t_fast)}  {t_plain / t_fast:.2f}x")


def _time(seconds: float) -> str:
    return ms(seconds) if seconds >= 1e-3 else f"{seconds * 1e6:,.0f} µs"


def training_run(cfg: reg.Config) -> Callable[[], training.History]:
    """The training of a regularization lesson's run alone (no measurements around it), from a fresh model."""
    d = reg.load(cfg)
    mlp, spec = reg.spec_of(cfg)
    return lambda: training.train(models.build(mlp, cfg.seed), d, spec, seed=cfg.seed)


def main(report: Report) -> None:
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        _training(report)
        _weight_init(report)
        cfg = race.Config()
        compare(report, f"optimizer race, default ({len(cfg.optimizers)} x {cfg.steps} steps)",
                lambda: race.run(cfg), lambda: race.reference_paths(cfg), repeat=3)
    finally:
        torch.set_num_threads(threads)


def _training(report: Report) -> None:
    """The training of /dropout's runs (the overfitting net, full batch): A without dropout, B with it."""
    a, b = (training_run(cfg) for cfg in (reg.OVERFIT, dataclasses.replace(reg.OVERFIT, dropout=0.5)))

    def single_tensor_steps() -> None:
        with replaced(training, "FOREACH_SAME", ()):
            a()
    compare(report, f"foreach steps: /dropout's A ({reg.OVERFIT.epochs} Adam steps)", a, single_tensor_steps, 7)
    x, drop = torch.randn(105, 128), models.SeededDropout(0.5)
    drop.generator = torch.Generator().manual_seed(0)
    compare(report, "dropout mask, 105 x 128 (one layer, one step)", lambda: drop(x),
            lambda: plain_dropout(drop, x), repeat=200)

    def plain_masks() -> None:
        with replaced(models.SeededDropout, "forward", plain_dropout):
            b()
    compare(report, "dropout masks: /dropout's B (p = 0.5)", b, plain_masks, repeat=7)


def _weight_init(report: Report) -> None:
    """The statistics of the lecture's tanh layer 1 output (10,000 x 500), and the page's default run."""
    cfg = weight_init.Config(samples=10_000)
    with torch.inference_mode():
        a = next(weight_init._outputs(weight_init.build(cfg), weight_init.inputs(cfg)[0]))
        relu = torch.relu(a)
    compare(report, "weight_init mean and std, 10,000 x 500", lambda: weight_init._mean_std(a),
            lambda: weight_init._mean_std_plain(a), repeat=20)
    compare(report, "weight_init 99.5th percentile of |a|", lambda: weight_init._quantile_995(a),
            lambda: weight_init._quantile_995_plain(a), repeat=20)
    compare(report, "weight_init dead units, 10,000 x 500 ReLU", lambda: weight_init._dead_fraction(relu),
            lambda: weight_init._dead_fraction_plain(relu), repeat=20)
    default = weight_init.Config(init="kaiming_normal", activation="relu")

    def plain_statistics() -> None:
        with replaced(weight_init, "_mean_std", weight_init._mean_std_plain), \
                replaced(weight_init, "_dead_fraction", weight_init._dead_fraction_plain):
            weight_init.run(default)
    compare(report, "weight_init run, He + ReLU (mean, std, dead units plain)", lambda: weight_init.run(default),
            plain_statistics, repeat=3)
