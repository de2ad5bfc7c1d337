"""nncore/ui/runner.py on a page (AppTest): a bad config is a message, any other failure a message and a log line,
and a run's progress bar appears only once the run has taken longer than SHOW_AFTER."""
from __future__ import annotations

import dataclasses
import logging
import uuid
from types import SimpleNamespace

import pytest
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from nncore.params import param
from nncore.progress import report
from nncore.ui import runner
from tests.pages.helpers import tr


def page(fn, cfg):
    """The page under test: one run, then its result."""
    import streamlit as st

    from nncore import ui
    result = ui.run(fn, cfg, label="Training")
    st.write(f"result: {result}")


def open_page(fn, cfg) -> AppTest:
    return AppTest.from_function(page, args=(fn, cfg), default_timeout=30).run()


@pytest.fixture(autouse=True)
def in_the_pages_thread(monkeypatch):
    monkeypatch.setenv("NNLAB_WORKERS", "0")   # the run in the page's own thread: no worker pool to start


@dataclasses.dataclass(frozen=True)
class Config:
    width: int = param(500, 1, 2048, label="width")


def needs_a_smaller_net(cfg, on_progress=None):
    raise ValueError("This net needs more memory than a worker has: use at most 1,000 units per layer.")


def broken(cfg, on_progress=None):
    raise RuntimeError("a bug")


def never_called(cfg, on_progress=None):
    raise AssertionError("a config out of its declared range must not reach the experiment")


def test_a_value_error_is_shown_as_its_sentence_and_stops_the_page():
    at = open_page(needs_a_smaller_net, Config())
    assert not at.exception
    assert [e.value for e in at.error] == [
        "This net needs more memory than a worker has: use at most 1,000 units per layer."]
    assert not at.markdown, "the page stops at the message"


def test_a_config_out_of_range_is_a_message_before_any_run():
    at = open_page(never_called, Config(width=5000))
    assert not at.exception
    assert len(at.error) == 1 and "width" in at.error[0].value and "2048" in at.error[0].value, at.error


def test_another_exception_is_a_message_and_a_log_line(caplog):
    caplog.set_level(logging.ERROR, logger=runner.log.name)
    at = open_page(broken, Config())
    assert not at.exception, "a student sees no traceback"
    failed = tr("This run failed ({error}). Change a setting and try again; the rest of the app keeps working.")
    assert len(at.error) == 1 and at.error[0].value == failed.format(error="RuntimeError: a bug"), at.error
    logged = [r for r in caplog.records if r.name == runner.log.name]
    assert len(logged) == 1 and logged[0].levelno == logging.ERROR
    assert logged[0].exc_info[0] is RuntimeError, "the log keeps the traceback"


def test_the_progress_bar_appears_only_after_its_delay(monkeypatch):
    """On a fake clock: reports before SHOW_AFTER draw nothing, later ones draw at most every 0.1 s, and the bar is
    gone once the run is done."""
    now = [0.0]
    monkeypatch.setattr(runner, "time", SimpleNamespace(monotonic=lambda: now[0]))
    drawn, progress = [], DeltaGenerator.progress

    def record(self, value, text=None, **kwargs):
        drawn.append((now[0], value, text))
        return progress(self, value, text=text, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "progress", record)
    delay = runner.SHOW_AFTER
    times = [delay - 0.2, delay - 0.05, delay + 0.05, delay + 0.1, delay + 0.2]

    def slow(cfg, on_progress=None):
        for step, t in enumerate(times, 1):
            now[0] = t
            report(on_progress, step, 10, f"step {step}")
        return "done"

    at = open_page(slow, uuid.uuid4().hex)   # a config no run has had: not in the store
    assert not at.exception and at.markdown[0].value == "result: done"
    assert drawn == [(delay + 0.05, 0.3, "Training: step 3"), (delay + 0.2, 0.5, "Training: step 5")]
    assert not at.get("progress"), "the bar is cleared when the run ends"
