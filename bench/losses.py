"""The loss-functions lesson: its run at the defaults (loss curves, the outlier fits of a line and a net, the sigmoid
and class-label pitfalls), the red wines under MAE, MSE and Huber, the Adam runs, and the JSON size of each figure.

Goals (issue 14): the lesson at its defaults under 1 s, each red-wine training under 3 s (one torch thread, as a
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
        t = best_of(lambda: losses.run_wine_losses(losses.WineConfig()), repeat=3)
        report.goal("MAE, MSE, Huber on the red wines (1 thread)", ms(t), f"< {TRAINING:g} s", t < TRAINING)
    result, adam = losses.run(losses.Config()), losses.run_adam(losses.AdamConfig())
    figures = [(b.__name__, b(result)) for b in (viz.loss_gradients, viz.outlier_fits, viz.outlier_net_fits,
                                                 viz.sigmoid_bound, viz.label_pitfall, viz.logit_gradients)]
    figures += [("adam_curves", viz.adam_curves(adam)),
                ("wine_losses", viz.wine_losses(losses.run_wine_losses(losses.WineConfig())))]
    for name, fig in figures:
        size = len(fig.to_json())
        report.goal(f"figure {name}: JSON", f"{size / 1000:.0f} kB", f"< {FIGURE // 1000} kB", size < FIGURE)


if __name__ == "__main__":
    main(Report("losses"))
