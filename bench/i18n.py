"""Switching a page's language: the cached run is reused, only the figures are rebuilt with the new words.

For a few pages: a run in English (AppTest, experiments in this thread, NNLAB_WORKERS=0), then the same session
switched to each other language (?lang=es, pt, ko), as the sidebar's selector does. Each switch is timed as a whole
(the rerun's script time) and per figure (each ui.figure call: a miss, since the figure cache is keyed by language,
so the builder runs on the cached Result with the new titles); the experiment must not run again (runner._compute
is counted). Each switch is repeated REPEAT times on an empty figure cache, and the best of them is kept per figure
(the machine is shared). Issue 17's goal: a figure rebuilt in a new language in under 100 ms. Run with
`python -m bench i18n` (or `python -m bench.i18n PAGE...`).
"""
from __future__ import annotations

import logging
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from bench._common import Report, ms

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["weight_init", "activation_functions", "optimizer_race", "dropout", "lr_schedules"]
LANGUAGES = ["es", "pt", "ko"]
FIGURE_GOAL = 0.100   # s to rebuild one figure in a new language (issue 17)
REPEAT = 3


@contextmanager
def probe() -> Iterator[dict]:
    """While active: seconds of each ui.figure call (builder name -> list), and how many runs were computed."""
    import nncore.ui as ui
    from nncore.ui import runner
    seen: dict = {"figures": [], "runs": 0}
    figure, compute = ui.figure, runner._compute

    def timed(build, *args, **kwargs):
        start = time.perf_counter()
        try:
            return figure(build, *args, **kwargs)
        finally:
            seen["figures"].append((getattr(build, "__name__", str(build)), time.perf_counter() - start))

    def counted(*args, **kwargs):
        seen["runs"] += 1
        return compute(*args, **kwargs)
    ui.figure, runner._compute = timed, counted
    try:
        yield seen
    finally:
        ui.figure, runner._compute = figure, compute


def measure(page: str) -> list[tuple[str, float, list[tuple[str, float]], int]]:
    """(language, script seconds, [(builder, seconds)], runs computed) of each switch away from English."""
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=300)
    at.query_params["reveal"] = "1"
    at.run()
    if at.exception:
        raise RuntimeError(f"{page}: {[e.message for e in at.exception]}")
    from nncore.ui import store, text
    out = []
    for lang in LANGUAGES:
        at.query_params["lang"] = lang
        best: dict[str, float] = {}
        took, runs = float("inf"), 0
        for _try in range(REPEAT):
            text.FIGURES = store.MemoryStore(text.FIGURES.max_bytes)   # every figure of the page built again
            with probe() as seen:
                start = time.perf_counter()
                at.run()
                took = min(took, time.perf_counter() - start)
            if at.exception:
                raise RuntimeError(f"{page} in {lang}: {[e.message for e in at.exception]}")
            runs += seen["runs"]
            for i, (name, seconds) in enumerate(seen["figures"]):
                best[f"{i}:{name}"] = min(best.get(f"{i}:{name}", float("inf")), seconds)
        out.append((lang, took, [(k.split(":", 1)[1], v) for k, v in best.items()], runs))
    return out


def main(report: Report, pages: list[str] | None = None) -> None:
    os.environ.setdefault("NNLAB_WORKERS", "0")
    os.environ.setdefault("NNLAB_LANG", "en")
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    print(f"  load average {os.getloadavg()[0]:.2f} (1 min); best of {REPEAT} switches on an empty figure cache")
    print(f"  {'page':<24}{'lang':>5}{'rerun':>10}{'figures':>8}{'slowest figure':>34}{'runs':>6}")
    slowest, runs = ("-", "-", 0.0), 0
    for page in pages or PAGES:
        for lang, took, figures, computed in measure(page):
            name, worst = max(figures, key=lambda f: f[1], default=("-", 0.0))
            print(f"  {page:<24}{lang:>5}{took * 1e3:>8.1f}ms{len(figures):>8}{name:>24}{worst * 1e3:>8.1f}ms"
                  f"{computed:>6}", flush=True)
            runs += computed
            if worst > slowest[2]:
                slowest = (page, name, worst)
    report.goal(f"slowest figure rebuilt in a new language ({slowest[0]}: {slowest[1]})", ms(slowest[2]),
                "< 100 ms", slowest[2] < FIGURE_GOAL)
    report.goal("experiments run again by a language switch", str(runs), "0", runs == 0)


if __name__ == "__main__":
    import torch  # noqa: F401  (imported once, before any timing)
    main(Report("i18n"), sys.argv[1:] or None)
