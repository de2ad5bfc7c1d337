"""The loss-functions lesson: its run at the defaults (loss curves, the outlier fits, the sigmoid pitfall), the Adam
runs on the red wines, and the JSON size of each figure.

Goals (issue 14): the lesson at its defaults under 1 s, the Adam training under 3 s (one torch thread, as a
worker; best-of-3 after a warm-up; with progress), every figure under 300 kB. Run with `python -m bench losses`.
"""
from __future__ import annotations

from bench._common import Report, best_of, ms, one_torch_thread

LESSON = 1.0        # s: curves, outlier fits, sigmoid pitfall
TRAINING = 3.0      # s: three Adam runs on the red wines
FIGURE = 300_000    # bytes of JSON


def main(report: Report) -> None:
    from nncore import viz
    from nncore.experiments import losses
    with one_torch_thread():
        t = best_of(lambda: losses.run(losses.Config()), repeat=3)
        report.goal("the lesson at the defaults (1 thread)", ms(t), f"< {LESSON:g} s", t < LESSON)
        t = best_of(lambda: losses.run_adam(losses.AdamConfig()), repeat=3)
        report.goal("Adam at 1e-5, 1e-3, 1 on the red wines (1 thread)", ms(t), f"< {TRAINING:g} s", t < TRAINING)
    result, adam = losses.run(losses.Config()), losses.run_adam(losses.AdamConfig())
    figures = [(b.__name__, b(result)) for b in (viz.loss_gradients, viz.outlier_fits, viz.sigmoid_bound,
                                                 viz.logit_gradients)] + [("adam_curves", viz.adam_curves(adam))]
    for name, fig in figures:
        size = len(fig.to_json())
        report.goal(f"figure {name}: JSON", f"{size / 1000:.0f} kB", f"< {FIGURE // 1000} kB", size < FIGURE)


if __name__ == "__main__":
    main(Report("losses"))
