"""Learning-rate lessons (nncore.schedules, schedule_race): lr_curve speed, the race, cost per epoch vs plain torch."""
from __future__ import annotations

import time

import numpy as np
import torch
from torch import nn

from bench._common import Report, best_of, ms, plain_epochs
from nncore import schedule_runs, schedules
from nncore.experiments import schedule_race
from nncore.experiments.schedule_race import Config


def curve_times(steps: int = 10_000) -> dict[str, float]:
    """lr_curve for `steps` steps, every schedule (plateau on a made-up metric), best of 5 each, seconds."""
    metric = schedules.plateau_metric(steps)
    out = {}
    for name, entry in schedules.SCHEDULES.items():
        kw = {"metrics": metric} if entry.needs_metric else {}
        out[name] = best_of(lambda: schedules.lr_curve(name, steps, 0.1, **kw), repeat=5)
    kw = {"warmup": "gradual", "warmup_steps": steps // 10}
    out["cosine + gradual warmup"] = best_of(lambda: schedules.lr_curve("cosine", steps, 0.1, **kw), repeat=5)
    return out


def plain_loop(cfg: Config, epochs: int) -> float:
    """The same MLP, data and batches in a bare torch loop (bench._common.plain_epochs): median seconds per epoch."""
    data = schedule_runs.load_data(cfg)
    model = nn.Sequential(nn.Linear(data.n_features, cfg.width), nn.ReLU(), nn.Linear(cfg.width, cfg.width),
                          nn.ReLU(), nn.Linear(cfg.width, data.n_outputs))
    opt = torch.optim.SGD(model.parameters(), lr=cfg.base_lr)
    return float(np.median(plain_epochs(model, opt, data, cfg.batch_size, epochs, cfg.seed)))


def main(report: Report) -> None:
    # 1. lr_curve: a real torch scheduler stepped on a one-parameter optimizer
    times = curve_times()
    worst = max(times, key=times.get)
    for name, t in times.items():
        report.figure(f"lr_curve({name!r}, 10,000 steps)", ms(t))
    report.goal(f"slowest lr_curve, 10,000 steps ({worst})", ms(times[worst]), "< 50 ms", times[worst] < 0.05)

    # 2. The race at its defaults: 4 schedules x 30 epochs, with progress
    cfg = Config()
    updates = []
    start = time.perf_counter()
    schedule_race.run(cfg, on_progress=updates.append)
    first = time.perf_counter() - start
    race = best_of(lambda: schedule_race.run(cfg, on_progress=updates.append), repeat=3, warmup=0)
    epochs = len(cfg.schedules) * cfg.epochs
    report.figure("first race (cold: data, models, torch warm-up)", ms(first))
    report.goal(f"race: {len(cfg.schedules)} schedules x {cfg.epochs} epochs (best of 3)", ms(race), "< 4 s",
                race < 4.0)
    last = updates[-1]
    report.goal("progress reports during one race", f"{len(updates) // 4:,} ({last.done}/{last.total})",
                ">= 1/epoch", len(updates) // 4 >= epochs and last.done == last.total)

    # 3. Cost per epoch: the race's epochs (nncore.training, train + validation, as its History times them)
    #    vs a plain torch loop on the same data; medians over epochs, best of 3 interleaved rounds (noisy machine)
    engine, plain = [], []
    for _ in range(3):
        engine.append(float(np.median(schedule_race.run(cfg).epoch_time)))
        plain.append(plain_loop(cfg, cfg.epochs))
    report.figure("plain torch loop, median epoch (best of 3)", ms(min(plain)))
    report.figure("race, median epoch (best of 3)", ms(min(engine)))
    report.figure("race wall time / epochs (incl. data, models, final eval)", ms(race / epochs))
    report.goal("race epoch / plain-loop epoch", f"{min(engine) / min(plain):.2f}x", "<= 1.2x",
                min(engine) / min(plain) <= 1.2)
