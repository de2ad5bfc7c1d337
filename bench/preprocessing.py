"""The preprocessing lesson: 003's cloud (what the correlation slider recomputes), the five red-wine runs, the
two-weight paths, the digits' means, and the JSON size of each figure at the defaults.

Goals (issue 14): the cloud, the weight paths (at the defaults and at the longest path) and the digits, each with
its figure, under 1 s (the parts a slider moves), the wine runs under 3 s (one torch thread, as a worker; best-of-3
after a warm-up; with progress), every figure under 300 kB.
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
    for label, path_cfg in (("defaults", prep.PathConfig()), ("500 steps", prep.PathConfig(steps=500))):
        t = best_of(lambda: viz.preprocessing_paths(prep.weight_paths.__wrapped__(path_cfg), prep.PATH_NAMES), repeat=3)
        report.goal(f"the two-weight paths ({label}) + their figure", ms(t), f"< {LESSON:g} s", t < LESSON)
    t = best_of(lambda: viz.digit_centering(prep.digit_means.__wrapped__()), repeat=3)
    report.goal("the digits' mean image and channel mean + their figure", ms(t), f"< {LESSON:g} s", t < LESSON)
    with one_torch_thread():
        t = best_of(lambda: prep.run(prep.Config()), repeat=3)
    report.goal("five red-wine runs at the defaults (1 thread)", ms(t), f"< {TRAINING:g} s", t < TRAINING)
    result = prep.run(prep.Config())
    for name, fig in (("steps", viz.preprocessing_steps(prep.cloud(cloud_cfg))),
                      ("sources", viz.preprocessing_sources(result)), ("scalings", viz.preprocessing_scalings(result)),
                      ("paths", viz.preprocessing_paths(prep.weight_paths(), prep.PATH_NAMES)),
                      ("digits", viz.digit_centering(prep.digit_means()))):
        size = len(fig.to_json())
        report.goal(f"figure {name}: JSON", f"{size / 1000:.0f} kB", f"< {FIGURE // 1000} kB", size < FIGURE)


if __name__ == "__main__":
    main(Report("preprocessing"))
