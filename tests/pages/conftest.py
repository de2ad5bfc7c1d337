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
        return at.run()
    return _open
