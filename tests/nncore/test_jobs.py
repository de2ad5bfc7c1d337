"""nncore.ui.jobs: runs in worker processes, shared while in flight, queued in order, dropped when nobody waits."""
from __future__ import annotations

import os
import signal

import numpy as np
import pytest

from nncore.experiments import weight_init
from nncore.ui import jobs
from tests.pages.helpers import tr

QUICK = weight_init.Config(depth=3, width=50, samples=100)
SLOW = weight_init.Config(depth=20, width=500, samples=2000, bins=5)    # ~1 s on one thread


def wait(job: jobs.Job) -> jobs.Job:
    assert job.done.wait(120), "the job did not finish in 120 s"
    return job


@pytest.fixture
def pool():
    finished = []
    p = jobs.Pool(1, on_result=finished.append)
    p.start()
    p.finished_jobs = finished
    yield p
    p.shutdown()


def test_a_job_runs_in_a_worker_and_equals_a_run_here(pool):
    job = wait(pool.submit("quick", weight_init.run, QUICK))
    here = weight_init.run(QUICK)
    assert job.error is None and pool.finished_jobs == [job]
    # another process and thread count: the same numbers up to float32 rounding (no chaotic layer at this scale)
    np.testing.assert_allclose(job.result.forward_std, here.forward_std, rtol=1e-5)
    assert pool.stats() == dict(queued=0, running=0, started=1, finished=1, dropped=0)


def test_a_new_worker_has_torch_dynamo_and_every_experiment_before_its_first_run(pool):
    # an optimizer's first construction imports torch._dynamo: 2-7 s that each new worker paid on its first run
    modules = jobs.PRELOAD + jobs.experiment_modules()
    assert "nncore.experiments.weight_init" in modules and "nncore.experiments.lr_finder.sanity" in modules
    assert wait(pool.submit("probe", jobs.imported, modules)).result == [True] * len(modules)


def test_identical_requests_in_flight_are_computed_once(pool):
    first = pool.submit("slow", weight_init.run, SLOW)
    second = pool.submit("slow", weight_init.run, SLOW)   # a second student opens the same new link
    assert second is first and first.waiters == 2
    wait(first)
    assert pool.stats()["started"] == 1 and pool.finished_jobs == [first]


def test_the_queue_keeps_arrival_order_with_places_and_estimates(pool, caplog):
    running = pool.submit("slow", weight_init.run, SLOW)
    queued = [pool.submit(f"q{i}", weight_init.run, QUICK.__class__(**{**QUICK.__dict__, "seed": i})) for i in range(3)]
    assert pool.position(running) == 0 and [pool.position(j) for j in queued] == [1, 2, 3]
    estimates = [pool.wait_estimate(j) for j in queued]
    assert estimates == sorted(estimates) and estimates[0] > 0
    for job in queued:
        wait(job)
    assert all(j.started_at >= running.started_at for j in queued)
    assert [j.started_at for j in queued] == sorted(j.started_at for j in queued)
    # three in line for one worker is a long line: the operator's log says so, once
    assert [r.getMessage() for r in caplog.records if r.name == "nncore.ui.jobs"] == [
        "3 runs waiting for 1 worker(s): {'queued': 3, 'running': 1, 'started': 1, 'finished': 0, 'dropped': 0}"]


def test_a_queued_job_is_dropped_when_its_last_waiter_leaves(pool):
    running = pool.submit("slow", weight_init.run, SLOW)
    queued = pool.submit("quick", weight_init.run, QUICK)
    queued.waiters += 1                      # two students wait for it
    pool.leave(queued)
    assert not queued.done.is_set()          # one still waits
    pool.leave(queued)
    assert queued.done.is_set() and isinstance(queued.error, jobs.Stopped)
    wait(running)
    assert pool.stats() == dict(queued=0, running=0, started=1, finished=1, dropped=1)
    again = wait(pool.submit("quick", weight_init.run, QUICK))   # asked again later: a new job that runs
    assert again is not queued and again.error is None


def test_a_running_job_stops_at_its_next_report_when_nobody_waits(pool):
    long = weight_init.Config(depth=100, width=800, samples=1000, bins=5)    # near the compute budget: seconds
    job = pool.submit("long", weight_init.run, long)
    while job.fraction == 0 and not job.done.is_set():   # the worker's first progress report
        job.done.wait(0.05)
    pool.leave(job)
    assert isinstance(wait(job).error, jobs.Stopped)
    assert pool.stats()["dropped"] == 1
    assert wait(pool.submit("quick", weight_init.run, QUICK)).error is None   # the worker serves the next job


def test_an_experiments_error_comes_back_and_the_pool_goes_on(pool):
    too_big = weight_init.Config(depth=100, width=2048, samples=20000)   # beyond the compute budget: run() refuses
    job = wait(pool.submit("big", weight_init.run, too_big))
    budget = tr("This run needs {flops} floating-point operations; the limit is {limit} (about 2 s on this machine). "
                "Lower the layers, units or samples.")   # in the language of the session that submitted the job
    assert isinstance(job.error, ValueError) and str(job.error).endswith(budget.split("{limit}")[1])
    assert wait(pool.submit("quick", weight_init.run, QUICK)).error is None


def test_a_killed_worker_fails_its_job_and_a_new_pool_takes_the_next(pool):
    job = pool.submit("slow", weight_init.run, SLOW)
    while job.fraction == 0 and not job.done.is_set():
        job.done.wait(0.05)
    for pid in list(pool._executor._processes):          # what an out-of-memory kill does
        os.kill(pid, signal.SIGKILL)
    assert wait(job).error is not None
    assert wait(pool.submit("quick", weight_init.run, QUICK)).error is None
