"""Activation race (nncore.experiments.activation_race): the default race with progress, its cost per epoch vs a plain torch loop."""
from __future__ import annotations

import time

import numpy as np
import torch
import torch.nn.functional as F

from bench._common import Report, best_of, ms
from nncore import activations, data
from nncore.experiments import activation_race
from nncore.experiments.activation_race import Config


def plain_race(cfg: Config) -> tuple[list[float], float]:
    """What a student writes: for each activation the same MLP (Xavier-normal weights, zero biases), data and
    batches in a bare torch loop (SGD + momentum 0.9, cross-entropy, a seeded permutation, validation loss and
    accuracy each epoch). Every epoch's seconds, and the wall time of the whole thing."""
    d = data.load(cfg.dataset, n_samples=cfg.samples, seed=cfg.seed)
    x, y, n = d.x_train, d.y_train, len(d.x_train)
    times = []
    start_all = time.perf_counter()
    for name in cfg.activations:
        gen = torch.Generator().manual_seed(cfg.seed)
        widths = [d.n_features] + [cfg.hidden] * cfg.layers + [d.n_outputs]
        layers = []
        for i, (a, b) in enumerate(zip(widths, widths[1:])):
            lin = torch.nn.Linear(a, b)
            torch.nn.init.xavier_normal_(lin.weight, generator=gen)
            torch.nn.init.zeros_(lin.bias)
            layers += [lin] + ([activations.make(name)] if i < len(widths) - 2 else [])
        model = torch.nn.Sequential(*layers)
        opt = torch.optim.SGD(model.parameters(), lr=cfg.lr, momentum=0.9)
        for _ in range(cfg.epochs):
            start = time.perf_counter()
            model.train()
            order = torch.randperm(n, generator=gen)
            for lo in range(0, n, cfg.batch_size):
                idx = order[lo:lo + cfg.batch_size]
                loss = F.cross_entropy(model(x[idx]), y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
            model.eval()
            with torch.no_grad():
                out = model(d.x_val)
                F.cross_entropy(out, d.y_val).item(), (out.argmax(1) == d.y_val).float().mean().item()
            times.append(time.perf_counter() - start)
    return times, time.perf_counter() - start_all


def main(report: Report | None = None) -> None:
    report = report or Report("activation_race")
    cfg = Config()
    saved = torch.get_num_threads()
    assert cfg.optimizer == "momentum", "the plain loop below is SGD + momentum, like the default race"
    try:
        # 1. The default race, first in this process (torch's one-time costs) and then warm, with progress
        torch.set_num_threads(1)
        updates = []
        start = time.perf_counter()
        activation_race.run(cfg, on_progress=updates.append)
        report.figure("first race in the process (cold, incl. warm-up)", ms(time.perf_counter() - start))
        updates.clear()
        race = best_of(lambda: activation_race.run(cfg, on_progress=updates.append), repeat=3, warmup=0)
        epochs = len(cfg.activations) * cfg.epochs
        report.goal(f"race: {len(cfg.activations)} activations x {cfg.epochs} epochs, 1 thread (best of 3)",
                    ms(race), "< 3 s", race < 3.0)
        last = updates[-1]
        per_race = len(updates) // 3
        report.goal("progress reports during one race", f"{per_race:,} ({last.done}/{last.total})", ">= 1/epoch",
                    per_race >= epochs and last.done == last.total)
        torch.set_num_threads(saved)
        two = best_of(lambda: activation_race.run(cfg), repeat=2, warmup=0)
        report.figure(f"race with {saved} torch threads (best of 2)", ms(two))
        torch.set_num_threads(1)

        # 2. Cost per epoch vs a plain torch loop on the same data, one thread each, interleaved rounds
        engine, engine_wall, plain, plain_wall = [], [], [], []
        for _ in range(3):
            result = activation_race.run(cfg)
            engine.append(float(np.median(np.concatenate([r.epoch_time for r in result.runs.values()]))))
            engine_wall.append(result.seconds / epochs)
            times, wall = plain_race(cfg)
            plain.append(float(np.median(times)))
            plain_wall.append(wall / epochs)
        report.figure("plain torch loop, median epoch (best of 3)", ms(min(plain)))
        report.figure("race (nncore.training), median epoch (best of 3)", ms(min(engine)))
        report.goal("race epoch / plain-loop epoch (train + validation)", f"{min(engine) / min(plain):.2f}x",
                    "<= 1.2x", min(engine) / min(plain) <= 1.2)
        report.figure("plain loop wall time / epochs", ms(min(plain_wall)))
        report.figure("race wall time / epochs (+ data, dead-unit hook, models)", ms(min(engine_wall)))
        report.figure("race wall / plain wall (the hook's price)", f"{min(engine_wall) / min(plain_wall):.2f}x")
    finally:
        torch.set_num_threads(saved)


if __name__ == "__main__":
    main()
