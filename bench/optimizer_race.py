"""Optimizer race (nncore.experiments.optimizer_race): six optimizers x 500 steps on Rosenbrock vs a plain per-step torch.optim loop; the animated map's size."""
from __future__ import annotations

import time

import numpy as np

from bench._common import Report, ms
from nncore.experiments import optimizer_race as race
from nncore.viz import optimizer_map


def interleaved(fns: dict[str, callable], rounds: int = 7) -> dict[str, float]:
    """Best of `rounds` for each function, taken in turns so that a busy moment hurts them alike."""
    best = {name: float("inf") for name in fns}
    for fn in fns.values():   # warm-up
        fn()
    for _ in range(rounds):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def main(report: Report | None = None) -> None:
    report = report or Report("optimizer_race")
    cfg = race.Config()   # Rosenbrock from (-1.5, 2), 500 steps, six optimizers
    assert cfg.surface == "rosenbrock" and cfg.steps == 500 and len(cfg.optimizers) == 6
    report.figure("racers x steps", f"{len(cfg.optimizers)} x {cfg.steps}")

    result = race.run(cfg)
    reference = race.reference_paths(cfg)
    gap = max(float(np.nanmax(np.abs(result.paths[label] - reference[label]))) for label in result.labels)
    report.goal("largest path difference to the plain loop", f"{gap:.1e}", "<= 1e-6", gap <= 1e-6)

    times = interleaved({"race": lambda: race.run(cfg), "plain": lambda: race.reference_paths(cfg)})
    report.figure("plain loop: one backward + .step() per racer per step", ms(times["plain"]))
    report.goal("race: one backward per step for all racers", ms(times["race"]), "< 250 ms", times["race"] < 0.25)
    ratio = times["plain"] / times["race"]
    report.goal("speed-up over the plain loop", f"{ratio:.2f}x", ">= 3x", ratio >= 3)

    start = time.perf_counter()
    fig = optimizer_map(result)
    payload = fig.to_json()          # what st.plotly_chart sends to the browser
    build = time.perf_counter() - start
    report.figure("animated map: frames", f"{len(fig.frames)}")
    report.figure("animated map: build + serialize", ms(build))
    kb = len(payload) / 1e3
    report.goal("animated map JSON", f"{kb:,.0f} kB", "< 500 kB", kb < 500)


if __name__ == "__main__":
    main()
