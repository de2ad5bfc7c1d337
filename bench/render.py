"""Render cost of a cached rerun, per page: the script, ui.figure's hits, st.plotly_chart's own work, bytes sent.

Every page (the course map and pages/*.py) runs once at its defaults in AppTest (experiments in this thread,
NNLAB_WORKERS=0), then its warm reruns are timed: everything is cached, so what is left is what the server pays for
every student who opens or reruns a link. Columns (best of 5 reruns, each part summed over the page's charts):
script = the whole rerun; figure = inside ui.figure (cache key + hit); chart = inside st.plotly_chart (Figure to
dict, to JSON, hashing the spec for the element id); JSON = the chart specs' bytes sent, and the largest one.
Below the table: what a server adds per script run (Streamlit's gc.collect(2) after it, `runner.postScriptGC`) and,
per figure kind, the cost of each way to keep a figure (st.cache_data's pickle, the Figure object, its JSON).

Goals: a warm rerun of every page under 30 ms of script time (the issue measured 13-49 ms); no figure over 1 MB
(DESIGN.md §4). Run with `python -m bench render` (or `python -m bench.render PAGE...` for some pages).
"""
from __future__ import annotations

import gc
import logging
import os
import pickle
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from bench._common import Report, best_of, ms

ROOT = Path(__file__).resolve().parents[1]
REPEAT = 5
SCRIPT_GOAL = 0.030   # s of script time per warm rerun
FIGURE_LIMIT = 2**20  # bytes: DESIGN.md §4, a figure over 1 MB is a bug


def pages() -> list[str]:
    """The course map and every lesson page, as script paths relative to the repository."""
    return ["app.py"] + sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))


class Probe:
    """Seconds spent in ui.figure and st.plotly_chart (and their parts), and the specs sent, while active."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self.specs: list[int] = []
        self.figures: list[tuple[str, object]] = []   # (builder, figure) of the last run

    def _timed(self, part: str, fn):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[part] += time.perf_counter() - start
        return wrapper

    @contextmanager
    def active(self) -> Iterator["Probe"]:
        import plotly.io
        import plotly.tools
        import streamlit as st
        import streamlit.elements.plotly_chart as stpc

        import nncore.ui as ui
        patches = [(ui, "figure"), (st, "plotly_chart"), (plotly.io, "to_json"),
                   (plotly.tools, "return_figure_from_figure_or_data"), (stpc, "compute_and_register_element_id")]
        saved = [getattr(obj, name) for obj, name in patches]
        parts = ["figure", "chart", "chart: to JSON", "chart: Figure to dict", "chart: element id"]
        for (obj, name), original, part in zip(patches, saved, parts):
            setattr(obj, name, self._timed(part, original))
        plotly_json = plotly.io.to_json

        def to_json(fig, *args, **kwargs):
            text = plotly_json(fig, *args, **kwargs)
            self.specs.append(len(text.encode()))
            return text
        plotly.io.to_json = to_json
        figure = ui.figure

        def keep(build, *args, **kwargs):
            fig = figure(build, *args, **kwargs)
            self.figures.append((build.__name__, fig))
            return fig
        ui.figure = keep
        try:
            yield self
        finally:
            for (obj, name), original in zip(patches, saved):
                setattr(obj, name, original)

    def reset(self) -> None:
        self.seconds.clear()
        self.specs.clear()
        self.figures.clear()


def measure(script: str) -> dict:
    """One page: cold run, then the best of REPEAT warm reruns with the probe's parts of that same rerun."""
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / script), default_timeout=300)
    start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"{script}: {[e.message for e in at.exception]}")
    at.run()
    probe, best = Probe(), None
    with probe.active():
        for _ in range(REPEAT):
            probe.reset()
            start = time.perf_counter()
            at.run()
            took = time.perf_counter() - start
            if best is None or took < best["script"]:
                best = {"script": took, **probe.seconds, "specs": list(probe.specs),
                        "figures": list(probe.figures)}
    best["cold"] = cold
    return best


def gc_cost() -> float:
    """Seconds of one gc.collect(2) with everything the pages import (what postScriptGC adds to every script run),
    and with the objects alive at start-up frozen out of the collector (gc.freeze)."""
    return best_of(lambda: gc.collect(2), repeat=5)


def keep_costs(figures: list[tuple[str, object]]) -> dict[str, tuple[float, float, float, float, int]]:
    """Per builder (its largest figure): st.cache_data's hit (pickle.loads), plotly_chart's Figure -> dict,
    dict -> JSON, and Figure(dict) (what a dict passed to st.plotly_chart costs), seconds; pickle bytes."""
    import plotly.graph_objects as go
    import plotly.io
    import plotly.tools
    out: dict[str, tuple[float, float, float, float, int]] = {}
    for name, fig in figures:
        if fig is None:   # a builder with nothing to draw (viz.fits of a data set that is not 2D)
            continue
        blob = pickle.dumps(fig, protocol=pickle.HIGHEST_PROTOCOL)
        if name in out and out[name][4] >= len(blob):
            continue
        as_dict = plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True)
        out[name] = (best_of(lambda: pickle.loads(blob), repeat=3),
                     best_of(lambda: plotly.tools.return_figure_from_figure_or_data(fig, True), repeat=3),
                     best_of(lambda: plotly.io.to_json(as_dict, validate=False), repeat=3),
                     best_of(lambda: go.Figure(as_dict), repeat=3), len(blob))
    return out


def main(report: Report, scripts: list[str] | None = None) -> None:
    os.environ.setdefault("NNLAB_WORKERS", "0")   # the cold run computes in this thread, no worker pool
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    rows, figures = [], []
    print(f"  {'page':<26}{'cold':>9}{'script':>9}{'figure':>9}{'chart':>9}{'to dict':>9}{'JSON':>9}{'id':>9}"
          f"{'charts':>7}{'JSON kB':>9}{'max kB':>8}")
    for script in scripts or pages():
        m = measure(script)
        rows.append((script, m))
        figures += m["figures"]
        specs = m["specs"] or [0]
        print(f"  {Path(script).stem:<26}{m['cold']:>8.2f}s" + "".join(
            f"{m.get(k, 0.0) * 1e3:>7.1f}ms" for k in ("script", "figure", "chart", "chart: Figure to dict",
                                                      "chart: to JSON", "chart: element id"))
            + f"{len(m['specs']):>7}{sum(specs) / 1e3:>9.0f}{max(specs) / 1e3:>8.0f}", flush=True)
    worst = max(rows, key=lambda r: r[1]["script"])
    report.goal(f"slowest warm rerun ({Path(worst[0]).stem})", ms(worst[1]["script"]), "< 30 ms",
                worst[1]["script"] < SCRIPT_GOAL)
    biggest = max(((Path(s).stem, b) for s, m in rows for b in m["specs"]), key=lambda x: x[1], default=("-", 0))
    report.goal(f"largest figure ({biggest[0]})", f"{biggest[1] / 1e3:,.0f} kB", "< 1 MB", biggest[1] < FIGURE_LIMIT)
    total = sum(m["script"] for _, m in rows)
    report.figure("all pages, one warm rerun each: script", ms(total))
    report.figure("  of which ui.figure", ms(sum(m.get("figure", 0.0) for _, m in rows)))
    report.figure("  of which st.plotly_chart", ms(sum(m.get("chart", 0.0) for _, m in rows)))
    report.figure("gc.collect(2) after a script run (postScriptGC)", ms(gc_cost()))
    gc.freeze()
    report.figure("  the same with start-up objects frozen (gc.freeze)", ms(gc_cost()))
    gc.unfreeze()
    print(f"\n  per figure kind (largest):{'cache_data hit':>17}{'to dict':>10}{'to JSON':>10}{'Figure(dict)':>13}"
          f"{'pickle kB':>11}")
    for name, (hit, to_dict, to_json, validate, size) in sorted(keep_costs(figures).items()):
        print(f"  {name:<26}{hit * 1e3:>15.1f}ms{to_dict * 1e3:>8.1f}ms{to_json * 1e3:>8.1f}ms"
              f"{validate * 1e3:>11.1f}ms{size / 1e3:>11.0f}")


if __name__ == "__main__":
    import torch  # noqa: F401  (imported once, before any timing)
    main(Report("render"), [a if a.endswith(".py") else f"pages/{a}.py" for a in sys.argv[1:]] or None)
