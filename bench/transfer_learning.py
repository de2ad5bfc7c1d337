"""The transfer-learning lesson: its runs at the defaults, the progress they stream, the size of each figure.

Each run is timed with the pretraining and without it (the few-samples slider moved: the pretrained model is kept).

Goals (issue 15): each run at its defaults under 3 s of compute, with progress (one torch thread, as a worker;
best-of-3 after a warm-up); every figure under 300 kB. Run with `python -m bench transfer_learning`.
"""
from __future__ import annotations

import dataclasses
import time

from bench._common import Report, best_of, ms, one_torch_thread

RUN = 3.0           # s: a page's run at its defaults
FIGURE = 300_000    # bytes of JSON


def _cold(tl, cfg):
    """The transfer run with its pretraining (the process's pretrained copy dropped first)."""
    tl._memo.clear()
    return tl.run(cfg)


def _progress(run, cfg) -> tuple[int, float]:
    """How many progress reports a run sends, and the longest wait between two (or from the start to the first)."""
    stamps = [time.perf_counter()]
    run(cfg, lambda p: stamps.append(time.perf_counter()))
    return len(stamps) - 1, max(b - a for a, b in zip(stamps, stamps[1:]))


def main(report: Report) -> None:
    from nncore import viz
    from nncore.experiments.transfer_learning import ensembles, transfer
    cfg, e_cfg = transfer.Config(), ensembles.Config()
    with one_torch_thread():
        t = best_of(lambda: _cold(transfer, cfg), repeat=3)
        report.goal("transfer: pretraining + three nets (1 thread)", ms(t), f"< {RUN:g} s", t < RUN)
        t = best_of(lambda: transfer.pretrain(transfer.pretraining(cfg)) and transfer._memo.clear(), repeat=3)
        report.figure("  of which the pretraining on 0-4", ms(t))
        transfer.run(cfg)
        moved = dataclasses.replace(cfg, per_class=20)
        t = best_of(lambda: transfer.run(moved), repeat=3)
        report.goal("transfer: the slider moved to 20 (pretrained kept)", ms(t), f"< {RUN:g} s", t < RUN)
        t = best_of(lambda: ensembles.run(e_cfg), repeat=3)
        report.goal("ensembles: 5 nets + the snapshot net (1 thread)", ms(t), f"< {RUN:g} s", t < RUN)
        transfer._memo.clear()
        for name, run, c in (("transfer (cold)", transfer.run, cfg), ("ensembles", ensembles.run, e_cfg)):
            count, gap = _progress(run, c)
            report.goal(f"{name}: progress reports, longest gap", f"{count}, {ms(gap)}", "gap < 1 s", gap < 1.0)
    result, ens = transfer.run(cfg), ensembles.run(e_cfg)
    figures = [("transfer_curves", viz.transfer_curves(result)), ("ensemble_members", viz.ensemble_members(ens)),
               ("snapshot_cycles", viz.snapshot_cycles(ens))]
    for name, fig in figures:
        size = len(fig.to_json())
        report.goal(f"figure {name}: JSON", f"{size / 1000:.0f} kB", f"< {FIGURE // 1000} kB", size < FIGURE)


if __name__ == "__main__":
    main(Report("transfer_learning"))
