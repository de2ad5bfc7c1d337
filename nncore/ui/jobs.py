"""Experiments run in worker processes, off the server's script threads, so that the one Python process that
renders every student's page keeps its GIL for rendering (30 students queued behind one core before this).

- One worker per core, one torch thread each: N concurrent runs take what N cores give, and no more.
- Identical runs in flight are computed once: a class opening the same new link waits on one job.
- A queue in arrival order, with each waiter's position and an estimated wait.
- A job is dropped when its last waiter leaves (the student changed a control or closed the tab): taken off the
  queue if it has not started, asked to stop at its next progress report if it has.

No streamlit here: nncore/ui/runner.py draws the queue and the progress for a page (and, with NNLAB_WORKERS=0, runs
experiments in the page's own thread instead, for tests that compare a page with a run of their own).
"""
from __future__ import annotations

import ctypes
import gc
import importlib
import itertools
import logging
import multiprocessing as mp
import pkgutil
import sys
import threading
import time
import types
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable

from nncore import i18n
from nncore.progress import Progress

REPORT_EVERY = 0.1      # seconds between progress messages from a worker
DEFAULT_ESTIMATE = 2.0  # seconds a run of an experiment not yet seen is expected to take
STOP_SLOTS = 256        # shared flags: slot id % STOP_SLOTS holds the id of a job asked to stop
STOPPED = "nnlab:stopped"
LONG_LINE = 2           # a line of more than this many jobs per worker is logged (at most once a minute)

log = logging.getLogger(__name__)
# Imported once in the process the workers fork from: a torch.optim optimizer's first construction imports
# torch._dynamo (1.7 s on an idle core, 3-7 s on a busy one), which each new worker paid on its first training run.
PRELOAD = ["torch", "torch._dynamo"]


class Stopped(Exception):
    """The run stopped because every session waiting for it left."""


# ---- in a worker process ----

_channels: tuple | None = None   # (progress queue to the server, shared stop flags), set by _start_worker


def _start_worker(progress, stop_flags) -> None:
    """A worker's set-up: one torch thread (the pool has one worker per core) and the channels to the server."""
    global _channels
    _channels = (progress, stop_flags)
    import torch
    torch.set_num_threads(1)


def _work(job_id: int, name: str, cfg: Any, lang: str = i18n.DEFAULT) -> Any:
    """Run experiment `name` on cfg in a worker, reporting progress; STOPPED if the server asked it to stop.

    The run speaks `lang`, the language of the session that started the job: its progress messages and a ValueError
    it raises (a compute budget) reach that student in their words (others who join the job see them too)."""
    progress, stop_flags = _channels
    i18n.install(lambda: lang)
    last, stopped = 0.0, False

    def on_progress(p: Progress) -> bool:
        nonlocal last, stopped
        now = time.monotonic()
        if now - last >= REPORT_EVERY:
            last = now
            progress.put((job_id, p.fraction, p.message))
            stopped = stop_flags[job_id % STOP_SLOTS] == job_id
        return not stopped

    try:
        result = resolve(name)(cfg, on_progress)
    finally:
        _release_memory()
    return STOPPED if stopped else result


def _release_memory() -> None:
    """Hand the run's freed memory back to the system: glibc keeps it, so a worker's RSS would stay at its largest
    run's for good (the class's RSS after the lesson is what an operator's plan sees)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):   # not glibc: nothing to trim
        pass


def experiment_modules() -> list[str]:
    """Every module of nncore.experiments, for the workers' preload."""
    import nncore.experiments
    return [m.name for m in pkgutil.walk_packages(nncore.experiments.__path__, "nncore.experiments.")]


def imported(modules: list[str], on_progress=None) -> list[bool]:
    """Which of these modules this process has imported (a worker's preload, checked by the tests)."""
    return [m in sys.modules for m in modules]


def _ready() -> bool:
    """A no-op: the pool's first tasks, which start every worker (torch imported) before a student waits for one."""
    return True


def resolve(name: str) -> Callable:
    """The function named 'module:qualname'."""
    module, func = name.split(":")
    return getattr(importlib.import_module(module), func)


def qualified_name(fn: Callable) -> str:
    """'module:qualname' of an experiment's run function: how a worker finds it."""
    return f"{fn.__module__}:{fn.__qualname__}"


# ---- in the server process ----

@contextmanager
def _bare_main():
    """multiprocessing re-runs the parent's __main__ in each new worker, and under Streamlit that is the last page
    script (its ScriptRunner installs each script as __main__): a worker must not run a page. Workers start while
    __main__ is a bare module (a few milliseconds, once per worker)."""
    saved = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = saved


@dataclass(eq=False)
class Job:
    """One run asked for by one or more sessions."""

    id: int
    key: str
    name: str
    cfg: Any
    waiters: int = 1
    started_at: float | None = None
    fraction: float = 0.0
    message: str = ""
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: BaseException | None = None
    stop_asked: bool = False
    retried: bool = False
    lang: str = i18n.DEFAULT   # the language of the session that started it (its progress messages and errors)


class Pool:
    """Worker processes and the queue in front of them."""

    def __init__(self, workers: int, on_result: Callable[[Job], None] | None = None):
        self.workers = workers
        self.on_result = on_result
        self._lock = threading.RLock()   # _complete may run inside _dispatch
        self._ids = itertools.count(1)
        self._in_flight: dict[str, Job] = {}      # queued or running, by key
        self._queue: deque[Job] = deque()
        self._running = 0
        self._durations: dict[str, float] = {}   # recent run time of each experiment, for wait estimates
        self._executor: ProcessPoolExecutor | None = None
        self.started = self.finished = self.dropped = 0   # counts since start, for operators and tests
        self._logged_at = -60.0

    # -- what the runner calls --

    def submit(self, key: str, fn: Callable, cfg: Any) -> Job:
        """Join the identical job in flight, or queue a new one."""
        with self._lock:
            job = self._in_flight.get(key)
            if job is not None:
                job.waiters += 1
                if job.stop_asked:   # rejoined before the worker saw the request: let it go on
                    self._ask_stop(job, False)
                return job
            job = Job(next(self._ids), key, qualified_name(fn), cfg, lang=i18n.language())
            self._in_flight[key] = job
            self._queue.append(job)
            self._dispatch()
            self._log_long_line()
            return job

    def leave(self, job: Job) -> None:
        """A waiter left before the job finished: the last one to leave drops it."""
        with self._lock:
            job.waiters -= 1
            if job.waiters > 0 or job.done.is_set():
                return
            if job in self._queue:
                self._queue.remove(job)
                del self._in_flight[job.key]
                self.dropped += 1
                job.error = Stopped()
                job.done.set()
            else:
                self._ask_stop(job, True)

    def position(self, job: Job) -> int:
        """0 once the job runs; k if it is k-th in line."""
        with self._lock:
            return self._queue.index(job) + 1 if job in self._queue else 0

    def wait_estimate(self, job: Job) -> float:
        """Seconds until the job starts: the expected rest of the running jobs and the jobs ahead, over the workers."""
        with self._lock:
            if job not in self._queue:
                return 0.0
            now = time.monotonic()
            running = [max(self._estimate(j) - (now - j.started_at), 0.1) for j in self._in_flight.values()
                       if j.started_at is not None]
            ahead = itertools.takewhile(lambda j: j is not job, self._queue)
            return (sum(running) + sum(self._estimate(j) for j in ahead)) / self.workers

    def stats(self) -> dict[str, int]:
        """What an operator watches: jobs in line and running now, and started, finished, dropped so far."""
        with self._lock:
            return dict(queued=len(self._queue), running=self._running, started=self.started,
                        finished=self.finished, dropped=self.dropped)

    def start(self) -> None:
        """Start every worker now (a forked worker imports torch in ~3 s), not when the first student asks."""
        with self._lock:
            if self._executor is None:
                self._start_executor()
                with _bare_main():
                    for _worker in range(self.workers):
                        self._executor.submit(_ready)

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)

    # -- inside (callers hold the lock) --

    def _estimate(self, job: Job) -> float:
        return self._durations.get(job.name, DEFAULT_ESTIMATE)

    def _ask_stop(self, job: Job, stop: bool) -> None:
        job.stop_asked = stop
        if self._executor is not None:
            self._stop_flags[job.id % STOP_SLOTS] = job.id if stop else 0

    def _log_long_line(self) -> None:
        """Tell the operator when students wait in a long line: more workers (cores) or replicas would help."""
        now = time.monotonic()
        if len(self._queue) > LONG_LINE * self.workers and now - self._logged_at >= 60:
            self._logged_at = now
            log.warning("%d runs waiting for %d worker(s): %s", len(self._queue), self.workers, self.stats())

    def _start_executor(self) -> None:
        ctx = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
        if ctx.get_start_method() == "forkserver":
            ctx.set_forkserver_preload(PRELOAD + experiment_modules())
        self._progress, self._stop_flags = ctx.Queue(), ctx.Array("q", STOP_SLOTS, lock=False)
        self._executor = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_start_worker,
                                             initargs=(self._progress, self._stop_flags))
        threading.Thread(target=self._read_progress, name="nnlab-progress", daemon=True).start()

    def _dispatch(self) -> None:
        """Start queued jobs while a worker is free."""
        while self._queue and self._running < self.workers:
            if self._executor is None:
                self._start_executor()
            job = self._queue.popleft()
            job.started_at, self._running = time.monotonic(), self._running + 1
            self.started += 1
            try:
                with _bare_main():   # a worker that died is replaced here
                    future = self._executor.submit(_work, job.id, job.name, job.cfg, job.lang)
            except BrokenProcessPool as err:   # a worker was killed (out of memory?): a new pool, one more try
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor, self._running = None, self._running - 1
                if job.retried:
                    self._complete(job, None, err)
                else:
                    job.retried = True
                    self._queue.appendleft(job)
                continue
            future.add_done_callback(lambda f, job=job: self._worker_done(job, f))

    def _worker_done(self, job: Job, future: Future) -> None:
        with self._lock:
            self._running -= 1
            self._dispatch()
        try:
            self._complete(job, future.result(), None)
        except BaseException as err:   # the waiters show it; the pool goes on
            self._complete(job, None, err)

    def _complete(self, job: Job, result: Any, error: BaseException | None) -> None:
        """Record a finished run, hand it to the waiters and the cache; a stopped run that was rejoined runs again."""
        with self._lock:
            if isinstance(result, str) and result == STOPPED:
                if job.waiters > 0:
                    job.started_at, job.stop_asked = None, False
                    self._queue.appendleft(job)
                    self._dispatch()
                    return
                error = Stopped()
                self.dropped += 1
            self._in_flight.pop(job.key, None)
            self.finished += 1
            if error is None:
                elapsed = time.monotonic() - job.started_at
                old = self._durations.get(job.name)
                self._durations[job.name] = elapsed if old is None else 0.7 * old + 0.3 * elapsed
            job.result, job.error = result, error
        if error is None and self.on_result is not None:
            self.on_result(job)
        job.done.set()

    def _read_progress(self) -> None:
        while True:
            job_id, fraction, message = self._progress.get()
            with self._lock:
                job = next((j for j in self._in_flight.values() if j.id == job_id), None)
            if job is not None:
                job.fraction, job.message = fraction, message
