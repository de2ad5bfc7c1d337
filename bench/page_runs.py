"""The runs each page computes at its defaults, timed as a worker computes them (one torch thread).

Every page (pages/*.py) renders once in AppTest (experiments in its thread, NNLAB_WORKERS=0), which records each
experiment and config the page asks for; then each run is timed alone on one torch thread (best of 3 after a
warm-up), as in a worker process (nncore/ui/jobs.py). Per page: its runs, the slowest, and the total; the wait of a
student who changes a control is about the slowest run of an A/B pair when two workers are free, the total when one.

Goal: every page's slowest default run under 1 s on one thread (issue 11: /dropout took 2.1 s per change).
Run with `python -m bench page_runs` (or `python -m bench.page_runs PAGE...`).
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any, Callable

from bench._common import Report, best_of, ms

ROOT = Path(__file__).resolve().parents[1]
GOAL = 1.0   # s: a page's slowest default run, one torch thread


def recorded_runs(script: str) -> list[tuple[Callable, Any]]:
    """(experiment, config) of every run the page computes at its defaults, in order."""
    from streamlit.testing.v1 import AppTest

    from nncore.ui import runner
    runs, compute = [], runner._compute_here

    def record(fn, cfg, key, label):
        runs.append((fn, cfg))
        return compute(fn, cfg, key, label)
    runner._compute_here = record
    try:
        at = AppTest.from_file(str(ROOT / script), default_timeout=600).run()
    finally:
        runner._compute_here = compute
    if at.exception:
        raise RuntimeError(f"{script}: {[e.message for e in at.exception]}")
    return runs


def main(report: Report, scripts: list[str] | None = None) -> None:
    import torch
    os.environ.setdefault("NNLAB_WORKERS", "0")
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    scripts = scripts or sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))
    threads, slowest = torch.get_num_threads(), ("-", 0.0)
    for script in scripts:
        runs = recorded_runs(script)
        torch.set_num_threads(1)
        try:
            times = [(f"{fn.__module__.rsplit('.', 1)[-1]}.{fn.__name__}", best_of(lambda: fn(cfg), repeat=3))
                     for fn, cfg in runs]
        finally:
            torch.set_num_threads(threads)
        page = Path(script).stem
        worst = max((t for _, t in times), default=0.0)
        report.figure(f"{page}: {len(times)} runs, slowest / total",
                      f"{ms(worst)} / {ms(sum(t for _, t in times))}")
        for name, t in times:
            print(f"      {name:<46} {ms(t):>14}")
        slowest = max(slowest, (page, worst), key=lambda x: x[1])
    report.goal(f"slowest default run ({slowest[0]})", ms(slowest[1]), "< 1 s", slowest[1] < GOAL)


if __name__ == "__main__":
    import torch  # noqa: F401  (imported once, before any timing)
    main(Report("page_runs"), [a if a.endswith(".py") else f"pages/{a}.py" for a in sys.argv[1:]] or None)
