"""Presentation mode's slides: a slide's rerun against the whole page's, warm and with figures not yet built.

A page runs through `deck` (what app.py does around a page: ui.begin_page, ui.slides) in AppTest, experiments in this
thread (NNLAB_WORKERS=0), once at its defaults so that its runs are cached. Then, timed in alternation (best of 5):
the whole page (no ?present) and one slide of it (?present=1&slide=k), each warm (every figure cached: the rerun a
click on Next or a student's reload costs) and cold (the figure cache emptied first: the first class to open a new
link builds the figures it shows; a slide builds one). Bytes = the chart specs sent.

Goal: a slide's rerun does less work than the whole page's, warm and cold (ratio < 1). Run with
`python -m bench slides` (or `python -m bench.slides PAGE SLIDE`).
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from bench._common import Report, best_of_each, ms

ROOT = Path(__file__).resolve().parents[1]
PAGES = [("pages/convolution.py", 3), ("pages/losses.py", 2), ("pages/dropout.py", 1)]   # many charts, and few


def deck(page: str) -> None:
    """app.py's run of one page (AppTest cannot open app.py's pages by a link: it runs the page file alone)."""
    import runpy

    from nncore import ui
    ui.begin_page()
    with ui.slides():
        runpy.run_path(page, run_name="__page__")


def opened(page: str, **query: str):
    """An AppTest of `page` run through `deck` with the link's `query`, after its first run."""
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_function(deck, args=(str(ROOT / page),), default_timeout=600)
    at.query_params.update({"reveal": "1", **query})
    return at.run()


def _sent(at) -> int:
    return sum(len(el.proto.spec) for el in at.get("plotly_chart"))


def _cold(at):
    from nncore.ui import store, text

    def rerun():
        text.FIGURES = store.MemoryStore(text.FIGURES.max_bytes)   # no figure built yet
        at.run()
    return rerun


def main(report: Report, cases: list[tuple[str, int]] | None = None) -> None:
    os.environ.setdefault("NNLAB_WORKERS", "0")
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    for page, k in cases or PAGES:
        whole, slide = opened(page), opened(page, present="1", slide=str(k))
        warm = best_of_each([whole.run, slide.run], repeat=5)
        cold = best_of_each([_cold(whole), _cold(slide)], repeat=5)
        name = Path(page).stem
        report.figure(f"{name}: {len(whole.get('plotly_chart'))} charts, slide {k}: bytes sent",
                      f"{_sent(whole) // 1024} kB / {_sent(slide) // 1024} kB")
        report.goal(f"{name}: warm rerun, slide / page", f"{ms(warm[1])} / {ms(warm[0])}", "ratio < 1",
                    warm[1] < warm[0])
        report.goal(f"{name}: cold figures, slide / page", f"{ms(cold[1])} / {ms(cold[0])}", "ratio < 1",
                    cold[1] < cold[0])


if __name__ == "__main__":
    import torch  # noqa: F401  (imported once, before any timing)
    args = sys.argv[1:]
    main(Report("slides"), [(f"pages/{args[0]}.py", int(args[1]))] if args else None)
