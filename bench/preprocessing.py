"""The preprocessing lesson: 003's cloud (what the correlation slider recomputes), the five red-wine runs, and the
JSON size of each figure at the defaults.

Goals (issue 14): the cloud and its figure under 1 s (the part a slider moves), the wine runs under 3 s (one torch
thread, as a worker; best-of-3 after a warm-up; with progress), every figure under 300 kB.
Run with `python -m bench preprocessing`.
"""
from __future__ import annotations

from bench._common import Report, best_of, ms, one_torch_thread

LESSON = 1.0        # s: the cloud through 003's steps and its figure
TRAINING = 3.0      # s: the five wine runs
FIGURE = 300_000    # bytes of JSON


def main(report: Report) -> None:
    from nncore import viz
    from nncore.experiments import preprocessing as prep
    cloud_cfg = prep.CloudConfig()
    t = best_of(lambda: viz.preprocessing_steps(prep.cloud.__wrapped__(cloud_cfg)), repeat=3)
    report.goal("the cloud through 003's steps + its figure", ms(t), f"< {LESSON:g} s", t < LESSON)
    with one_torch_thread():
        t = best_of(lambda: prep.run(prep.Config()), repeat=3)
    report.goal("five red-wine runs at the defaults (1 thread)", ms(t), f"< {TRAINING:g} s", t < TRAINING)
    result = prep.run(prep.Config())
    for name, fig in (("steps", viz.preprocessing_steps(prep.cloud(cloud_cfg))),
                      ("sources", viz.preprocessing_sources(result)), ("scalings", viz.preprocessing_scalings(result))):
        size = len(fig.to_json())
        report.goal(f"figure {name}: JSON", f"{size / 1000:.0f} kB", f"< {FIGURE // 1000} kB", size < FIGURE)


if __name__ == "__main__":
    main(Report("preprocessing"))
