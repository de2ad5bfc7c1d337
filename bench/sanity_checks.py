"""The sanity-checks page at its defaults: the run (one torch thread, as a worker), its progress, the first render.

Goal (issue 13): the page at its defaults under 5 s, with progress while it runs. The run is timed best-of-3 after a
warm-up; progress is the longest silence between two reports (a bar that stalls for seconds looks frozen); the
first render is the page in AppTest in this process (NNLAB_WORKERS=0: run, figures and all), cache empty.
Run with `python -m bench sanity_checks`.
"""
from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from bench._common import Report, best_of, ms, one_torch_thread

ROOT = Path(__file__).resolve().parents[1]
GOAL = 5.0           # s: the page at its defaults
SILENCE = 1.0        # s: the longest wait between two progress reports


def silences(run, cfg) -> tuple[int, float]:
    """(reports, longest gap in seconds between the start, each report and the end)."""
    stamps = [time.perf_counter()]
    run(cfg, lambda p: stamps.append(time.perf_counter()))
    stamps.append(time.perf_counter())
    return len(stamps) - 2, max(b - a for a, b in zip(stamps, stamps[1:]))


def main(report: Report) -> None:
    from streamlit.testing.v1 import AppTest

    from nncore.experiments import sanity_checks as sc
    os.environ.setdefault("NNLAB_WORKERS", "0")
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    with one_torch_thread():
        cfg = sc.Config()
        run = best_of(lambda: sc.run(cfg), repeat=3)
        report.goal("run at the defaults (1 thread)", ms(run), f"< {GOAL:g} s", run < GOAL)
        reports, gap = silences(sc.run, cfg)
        report.figure("progress reports during the run", f"{reports}")
        report.goal("longest wait between progress reports", ms(gap), f"< {SILENCE:g} s", gap < SILENCE)
    start = time.perf_counter()
    at = AppTest.from_file(str(ROOT / "pages" / "sanity_checks.py"), default_timeout=600).run()
    page = time.perf_counter() - start
    if at.exception:
        raise RuntimeError([e.message for e in at.exception])
    report.goal("first render of the page (run + 4 figures)", ms(page), f"< {GOAL:g} s", page < GOAL)


if __name__ == "__main__":
    main(Report("sanity_checks"))
