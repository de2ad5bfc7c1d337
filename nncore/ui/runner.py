"""Running experiments from a page: results shared by the whole class, runs in worker processes, the queue and
progress on the page, clear errors.

A page calls `run(fn, cfg)`. A result someone already computed comes from the store (nncore/ui/store.py: this
process's memory, and Redis when NNLAB_CACHE_URL is set) as the object itself. Otherwise the run goes to the pool
(nncore/ui/jobs.py): NNLAB_WORKERS worker processes (default: one per core), where a class asking for the same new
link waits on one job, the student sees their place in line, and the job is dropped if every student waiting for it
has moved on. NNLAB_WORKERS=0 runs experiments in the page's own thread (tests that compare a page with a run).
"""
from __future__ import annotations

import dataclasses
import gc
import logging
import os
import time
import weakref
from typing import Any, Callable, Sequence

import streamlit as st

from nncore.params import validate
from nncore.ui import export, jobs, store
from nncore.ui.i18n import N_, _

log = logging.getLogger(__name__)
SHOW_AFTER = 0.3     # seconds before a wait shows anything (most cached or quick runs never flicker)
REDRAW_EVERY = 0.2   # seconds between redraws of a wait (each redraw is also where a rerun or closed tab stops it)

_configured = False
_pool: jobs.Pool | None = None
_results = store.from_env()
# id(result) -> (its run key, a weak reference that tells the same object from a later one at the same address),
# for results held by the store: figures are cached by it
_keys: dict[int, tuple[str, weakref.ref]] = {}


def configure_torch() -> None:
    """Once per process: the server's torch intra-op threads (NNLAB_TORCH_THREADS, default: all cores), and the
    worker pool started, so that the first student does not wait for the workers to import torch."""
    global _configured
    if not _configured:
        import torch
        torch.set_num_threads(int(os.environ.get("NNLAB_TORCH_THREADS", os.cpu_count() or 1)))
        if worker_count() > 0:
            pool().start()
        # Out of the collector for good: the ~250,000 objects of the imports so far (torch, streamlit, pandas),
        # which Streamlit's gc.collect(2) after every script run (runner.postScriptGC) walked: 175 ms per run.
        gc.collect()
        gc.freeze()
        _configured = True


def worker_count() -> int:
    """NNLAB_WORKERS, default one per core; 0 means in the page's own thread."""
    return int(os.environ.get("NNLAB_WORKERS", os.cpu_count() or 1))


def pool() -> jobs.Pool:
    """This process's worker pool, started on first use."""
    global _pool
    if _pool is None:
        _pool = jobs.Pool(worker_count(), on_result=lambda job: _keep(job.key, job.result))
    return _pool


def key_of(result: Any) -> str | None:
    """The run key of a result this runner handed out (None for anything else, also for an object that took the
    address of a result gone since)."""
    key, ref = _keys.get(id(result), (None, None))
    return key if ref is not None and ref() is result else None


def _remember(key: str, result: Any) -> None:
    try:
        _keys[id(result)] = (key, weakref.ref(result))
    except TypeError:   # no weak references to it (a tuple, a list): no key, figures of it are cached by content
        pass


def run(fn: Callable, cfg: Any, label: str = N_("Running the experiment"),
        code: tuple[Callable, Any] | None = None) -> Any:
    """fn(cfg) for the whole class: from the store, or computed once; a bad config or a failure is a message.
    `code`: the (fn, cfg) the code panel shows instead, when this run is a part of one (a batch of a search)."""
    return run_all(fn, [cfg], [label], code)[0]


def run_all(fn: Callable, cfgs: Sequence[Any], labels: Sequence[str],
            code: tuple[Callable, Any] | None = None) -> list[Any]:
    """Several runs of one experiment, queued together so that free workers compute them side by side; `code`: the
    (fn, cfg) the code panel shows for them instead (see run)."""
    for cfg in cfgs:
        export.record(*(code or (fn, cfg)))
    try:
        for cfg in cfgs:
            _check(cfg)
        keys = [store.run_key(jobs.qualified_name(fn), cfg) for cfg in cfgs]
        results = [_results.get(key) for key in keys]
        for key, result in zip(keys, results):
            if result is not None:
                _remember(key, result)
        missing = [i for i, r in enumerate(results) if r is None]
        if missing:
            computed = _compute(fn, [cfgs[i] for i in missing], [keys[i] for i in missing],
                                [labels[i] for i in missing])
            for i, result in zip(missing, computed):
                results[i] = result
        return results
    except ValueError as err:
        st.error(f"{err}", icon=":material/error:")   # made in the session's language (a worker: the job's)
    except jobs.Stopped:
        st.info(_("This run was stopped. Change a setting or reload the page to run it again."),
                icon=":material/stop_circle:")
    except Exception as err:  # a bug must not show a student a traceback; the log keeps it
        log.exception("experiment failed: %s", cfgs)
        st.error(_("This run failed ({error}). Change a setting and try again; the rest of the app keeps working.")
                 .format(error=f"{type(err).__name__}: {err}"), icon=":material/error:")
    st.stop()


def _check(cfg: Any) -> None:
    """Each field against its declared range (ValueError with a sentence), before a bad config waits in line for a
    worker; what only the experiment can check (a compute budget) comes back from the worker as a ValueError."""
    if dataclasses.is_dataclass(cfg):
        validate(cfg)


def _keep(key: str, result: Any) -> None:
    _results.put(key, result)
    _remember(key, result)
    if len(_keys) > 4 * max(len(_results), 64):   # forget the ids of results the store has let go
        # list(): one C call, so the pool's thread adding a key meanwhile cannot break the iteration
        for gone in [i for i, (k, _ref) in list(_keys.items()) if k not in _results]:
            _keys.pop(gone, None)


def _compute(fn: Callable, cfgs: list, keys: list[str], labels: list[str]) -> list[Any]:
    if worker_count() == 0:
        return [_compute_here(fn, cfg, key, label) for cfg, key, label in zip(cfgs, keys, labels)]
    submitted = [pool().submit(key, fn, cfg) for key, cfg in zip(keys, cfgs)]
    try:
        _wait(submitted, labels)
    finally:   # the student moved on (a rerun, a closed tab) or something failed: leave what is not done
        for job in submitted:
            if not job.done.is_set():
                pool().leave(job)
    for job in submitted:
        if job.error is not None:
            raise job.error
    return [job.result for job in submitted]


def _compute_here(fn: Callable, cfg: Any, key: str, label: str) -> Any:
    bar = _Bar(label)
    try:
        result = fn(cfg, lambda p: bar.draw(p.fraction, p.message))
    finally:
        bar.clear()
    _keep(key, result)
    return result


def _wait(submitted: list[jobs.Job], labels: list[str]) -> None:
    """Wait for the jobs, showing after SHOW_AFTER seconds the place in line or the progress of each."""
    bars = [_Bar(label) for label in labels]
    try:
        while not all(job.done.wait(REDRAW_EVERY) for job in submitted):
            for job, bar in zip(submitted, bars):
                if not job.done.is_set():
                    bar.show(job)
    finally:
        for bar in bars:
            bar.clear()


class _Bar:
    """One run's place in line or progress bar, drawn only for waits longer than SHOW_AFTER."""

    def __init__(self, label: str):
        self.label, self.slot = _(label), st.empty()
        self.start = self.last = time.monotonic()

    def show(self, job: jobs.Job) -> None:
        place = pool().position(job)
        if place:
            wait = pool().wait_estimate(job)
            self.draw(0.0, _("waiting for a free worker: number {place} in line, about {wait} s").format(
                place=place, wait=f"{wait:.0f}"))
        else:
            self.draw(job.fraction, job.message)

    def draw(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        if now - self.start > SHOW_AFTER and now - self.last >= 0.1:
            self.slot.progress(fraction, text=f"{self.label}: {message}" if message else self.label)
            self.last = now

    def clear(self) -> None:
        self.slot.empty()

