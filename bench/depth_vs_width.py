"""The depth-vs-width lesson: the page's defaults (nets of 1, 2, 4 and 8 layers at one budget) with progress, against
a plain torch loop training the same nets, the largest comparison the page allows, and each figure's JSON size.

Goals (issue 15): the page at its defaults under 3 s of compute (one torch thread, as a worker; best-of-3 after a
warm-up), progress at least once per epoch, each figure under 300 kB. Run with `python -m bench depth_vs_width`.
"""
from __future__ import annotations

from bench._common import Report, best_of, best_of_each, ms, one_torch_thread, plain_epochs

PAGE = 3.0          # s: the four nets at the defaults
FIGURE = 300_000    # bytes of JSON


def plain_nets(cfg) -> float:
    """What a student writes: each depth's net (the same widths, init and data), Adam, full batch, a bare loop."""
    import torch

    from nncore import data, models
    from nncore.experiments import depth_vs_width as dw
    d = data.load(cfg.dataset, n_samples=cfg.samples, val_fraction=dw.VAL_FRACTION, seed=cfg.seed)
    seconds = 0.0
    for widths in dw.nets(cfg).values():
        model = models.build(models.MLPSpec(d.n_features, d.n_outputs, widths, "relu", "kaiming_normal"),
                             generator=cfg.seed)
        seconds += sum(plain_epochs(model, torch.optim.Adam(model.parameters(), lr=cfg.lr), d, None, cfg.epochs,
                                    cfg.seed))
    return seconds


def main(report: Report) -> None:
    from nncore import viz
    from nncore.experiments import depth_vs_width as dw
    defaults = dw.Config()
    largest = dw.Config(dataset="digits", samples=1797, budget=10_000, epochs=250)
    with one_torch_thread():
        updates: list = []
        t = best_of(lambda: dw.run(defaults, updates.append), repeat=3)
        report.goal(f"the page at its defaults: {len(dw.depths(defaults.deepest))} nets x {defaults.epochs} epochs "
                    "(1 thread)", ms(t), f"< {PAGE:g} s", t < PAGE)
        per_run = len(updates) // 4
        report.goal("progress reports during one run", f"{per_run:,}", ">= 1/epoch",
                    per_run >= len(dw.depths(defaults.deepest)) * defaults.epochs)
        engine, plain = best_of_each([lambda: dw.run(defaults), lambda: plain_nets(defaults)])
        report.figure("the same nets in a plain torch loop (1 thread)", ms(plain))
        report.figure("  engine / plain (history, final eval in eval mode)", f"{engine / plain:.2f}x")
        t = best_of(lambda: dw.run(largest), repeat=1, warmup=0)
        report.figure("the largest the page allows: digits, budget 10,000, 250 epochs (1 thread)", ms(t))
    result = dw.run(defaults)
    for name, fig in (("depth_curves", viz.depth_curves(result)), ("depth_scores", viz.depth_scores(result))):
        size = len(fig.to_json())
        report.goal(f"figure {name}: JSON", f"{size / 1000:.0f} kB", f"< {FIGURE // 1000} kB", size < FIGURE)


if __name__ == "__main__":
    main(Report("depth_vs_width"))
