"""The data-assessment page at its defaults: the run, its three figures (build time and JSON size), the page render.

Goals (issue 14): the lesson at its defaults under 1 s; figures under 300 kB. The run and the figures are timed
best-of-5 after a warm-up; the render is the page in AppTest in this process (NNLAB_WORKERS=0), timed on a second
AppTest after a first one has imported Streamlit and the lab. Run with `python -m bench data_assessment`.
"""
from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from bench._common import Report, best_of, ms

ROOT = Path(__file__).resolve().parents[1]
GOAL = 1.0           # s: the lesson at its defaults
FIGURE = 300_000     # bytes of JSON per figure


def main(report: Report) -> None:
    from streamlit.testing.v1 import AppTest

    from nncore import viz
    from nncore.experiments import data_assessment as da
    os.environ.setdefault("NNLAB_WORKERS", "0")
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    cfg = da.Config()
    run = best_of(lambda: da.run(cfg))
    report.goal("run at the defaults", ms(run), f"< {GOAL:g} s", run < GOAL)
    r = da.run(cfg)
    builds = {"shift_scores": lambda: viz.shift_scores(r),
              "feature_histograms (raw)": lambda: viz.feature_histograms(r),
              "feature_histograms (standardized)": lambda: viz.feature_histograms(r, True)}
    for name, build in builds.items():
        size = len(build().to_json())
        report.goal(f"{name}: JSON", f"{size / 1000:.0f} kB", f"< {FIGURE // 1000} kB", size < FIGURE)
        report.figure(f"{name}: build", ms(best_of(build)))
    page = str(ROOT / "pages" / "data_assessment.py")
    start = time.perf_counter()
    AppTest.from_file(page, default_timeout=600).run()          # imports, the store and the cache warm up
    report.figure("first render (imports Streamlit and the lab, cold caches)", ms(time.perf_counter() - start))
    start = time.perf_counter()
    at = AppTest.from_file(page, default_timeout=600).run()
    render = time.perf_counter() - start
    if at.exception:
        raise RuntimeError([e.message for e in at.exception])
    report.goal("render of the page (after a first visit)", ms(render), f"< {GOAL:g} s", render < GOAL)
