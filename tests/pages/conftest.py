"""AppTest fixtures for the page tests: run a page script headless with given query params."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60  # the first run imports torch (~3 s) and computes; AppTest's default 3 s is too short
# Runs in the test's own process and thread count, so a page's numbers equal those of the test's own run of the same
# config (a worker process has one torch thread: the last bits may differ). tests/pages/test_workers.py runs pages
# through the worker pool.
os.environ.setdefault("NNLAB_WORKERS", "0")


@pytest.fixture
def open_page():
    """open_page("pages/weight_init.py", depth="12") -> an AppTest that has run once with those query params."""
    def _open(script: str, **query_params: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / script), default_timeout=TIMEOUT)
        at.query_params.update(query_params)
        at.run()
        _snippets_rebuild_their_configs(at)
        return at
    return _open


def _snippets_rebuild_their_configs(at: AppTest) -> None:
    """The code panel's Python for each run the page showed builds that run's very Config (tests/pages/test_export.py
    runs a few snippets in a subprocess: the same Config gives the same numbers)."""
    from nncore.ui import export
    runs = at.session_state["_page_runs"].values() if "_page_runs" in at.session_state else ()
    for fn, cfg in runs:
        imports, expression = export.config_code(cfg)
        namespace: dict = {}
        exec("\n".join(imports), namespace)
        assert repr(eval(expression, namespace)) == repr(cfg), export.snippet(fn, cfg)


@pytest.fixture(scope="session", autouse=True)
def figures_stay_as_built():
    """ui.figure hands every session the same Figure object: after all page tests, each cached figure must still
    be what its builder made (a page that changed one would change it for the whole class)."""
    import plotly.io

    from nncore.ui import text
    built = {}
    put = text.FIGURES.put

    def record(key, fig, size=None):
        built[key] = (fig, plotly.io.to_json(fig, validate=False))
        put(key, fig, size)
    text.FIGURES.put = record
    yield
    del text.FIGURES.put
    changed = [key.split("'")[1] for key, (fig, json) in built.items() if plotly.io.to_json(fig, validate=False) != json]
    assert not changed, f"a page changed a shared figure after it was built: {changed}"
