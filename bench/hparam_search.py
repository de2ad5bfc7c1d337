"""Hyperparameter search (nncore.experiments.hparam_search): the default 20-trial random search, its trials
streaming as progress, against the same trials in a plain torch loop.

Goals (issue 13): a 20-trial random search under 15 s with trials streaming in (progress after each trial: the
first report within a second or two, the longest gap between two reports well under the whole search; the page's
scatter drawn after its first batch of trials, within a third of the search); the engine
within 1.5x of a plain torch loop doing the same trials (SGD + L2, batches of 64, validation each epoch).
"""
from __future__ import annotations

import time

import torch

from bench._common import Report, best_of, best_of_each, ms, plain_epochs
from nncore import data as datasets
from nncore import models, viz
from nncore.experiments import hparam_search as hs

DEFAULT = hs.Config()


def timed_search(cfg: hs.Config) -> tuple[float, list[float]]:
    """Seconds for the whole search, and the time of each progress report since its start."""
    start, reports = time.perf_counter(), []
    hs.run(cfg, lambda p: reports.append(time.perf_counter() - start))
    return time.perf_counter() - start, reports


def plain_search(cfg: hs.Config) -> None:
    """The same trials written by hand: a fresh net per (lr, reg), torch.optim.SGD with weight_decay = 2·reg (the
    gradient of reg·Σw², also on biases: a reference for cost, not for numbers), bench._common.plain_epochs."""
    d = datasets.load(cfg.dataset, n_samples=cfg.samples, seed=cfg.seed)
    for lr, reg in 10.0 ** hs.points(cfg.strategy, cfg.budget, cfg.lr_range, cfg.reg_range, cfg.seed):
        model = models.build(models.MLPSpec(d.n_features, d.n_outputs, hidden=hs.HIDDEN), generator=cfg.seed)
        opt = torch.optim.SGD(model.parameters(), lr=float(lr), weight_decay=2 * float(reg))
        plain_epochs(model, opt, d, 64, cfg.epochs)


def main(report: Report) -> None:
    hs.run(DEFAULT)   # warm-up: the first optimizer step imports torch._dynamo
    total, reports = timed_search(DEFAULT)
    gaps = [b - a for a, b in zip([0.0, *reports], reports)]
    report.goal(f"default random search: {DEFAULT.budget} trials × {DEFAULT.epochs} epochs", ms(total), "< 15 s",
                total < 15)
    report.goal("trials streaming: progress reports", f"{len(reports)}", f"= {DEFAULT.budget}",
                len(reports) == DEFAULT.budget)
    report.figure("first trial reported after", ms(reports[0]))
    report.goal("longest gap between two trial reports", ms(max(gaps)), "< 1/5 run", max(gaps) < total / 5)
    first_batch = best_of(lambda: hs.run_batch(hs.batches(DEFAULT)[0]), repeat=2, warmup=0)
    report.goal(f"page: first scatter (a batch of {hs.BATCH} trials) after", ms(first_batch), "< 1/3 run",
                first_batch < total / 3)
    engine, plain = best_of_each([lambda: hs.run(DEFAULT), lambda: plain_search(DEFAULT)], repeat=2, warmup=0)
    report.figure("plain torch loop, the same trials", ms(plain))
    report.goal("engine / plain torch loop", f"{engine / plain:.2f}x", "< 1.5x", engine / plain < 1.5)
    small = hs.Config(samples=150, folds=5, budget=12)
    five_fold, _ = timed_search(small)
    report.figure("5-fold CV preset: 12 trials × 5 folds × 5 epochs", ms(five_fold))
    r = hs.run(DEFAULT)
    for name, fig in (("scatter", viz.search_scatter(r)), ("toy", viz.toy_search(hs.toy(DEFAULT.budget)))):
        size = len(fig.to_json())
        report.goal(f"figure JSON: {name}", f"{size / 1e3:,.0f} kB", "< 300 kB", size < 300_000)
