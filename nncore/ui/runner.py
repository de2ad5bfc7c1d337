"""Running experiments from a page: one torch set-up per process, cached results, progress, clear errors."""
from __future__ import annotations

import logging
import os
import time
from typing import Any, Callable

import streamlit as st
from streamlit.runtime.caching.cached_message_replay import in_cached_function

log = logging.getLogger(__name__)
_configured = False


def configure_torch() -> None:
    """Set torch's intra-op threads once per process (NNLAB_TORCH_THREADS, default: all cores)."""
    global _configured
    if not _configured:
        import torch
        torch.set_num_threads(int(os.environ.get("NNLAB_TORCH_THREADS", os.cpu_count() or 1)))
        _configured = True


@st.cache_data(max_entries=256, show_spinner=False)
def _cached(name: str, cfg: Any, _fn: Callable, _on_progress: Callable | None) -> Any:
    """Shared by all sessions: a class opening the same link computes the run once."""
    return _fn(cfg, _on_progress)


class _ProgressBar:
    """A progress bar that appears only for work longer than `delay` seconds, updated at most 10 times a second."""

    def __init__(self, label: str, delay: float = 0.3):
        self.label, self.delay, self.start, self.last = label, delay, time.perf_counter(), 0.0
        self.slot = st.empty()

    def __call__(self, p) -> None:
        now = time.perf_counter()
        if now - self.start > self.delay and now - self.last > 0.1:
            # Called from inside the cached run: keep the bar out of what st.cache_data records for replay.
            # Drawing also lets Streamlit stop this run when the student changes a control or closes the tab.
            token = in_cached_function.set(False)
            try:
                self.slot.progress(p.fraction, text=f"{self.label}: {p.message}" if p.message else self.label)
            finally:
                in_cached_function.reset(token)
            self.last = now

    def done(self) -> None:
        self.slot.empty()


def run(fn: Callable, cfg: Any, label: str = "Running the experiment") -> Any:
    """fn(cfg) through the shared cache with a progress bar; a bad config or a failure is a message, no traceback."""
    bar = _ProgressBar(label)
    try:
        return _cached(f"{fn.__module__}.{fn.__qualname__}", cfg, fn, bar)
    except ValueError as err:
        st.error(f"{err}", icon=":material/error:")
    except Exception as err:  # a bug must not show a student a traceback; the log keeps it
        log.exception("experiment failed: %s", cfg)
        st.error(f"This run failed ({type(err).__name__}: {err}). Change a setting and try again; "
                 "the rest of the app keeps working.", icon=":material/error:")
    finally:
        bar.done()
    st.stop()
