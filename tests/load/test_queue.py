"""The queue as students see it, on a real server with one worker: places in line, a link asked twice is one job,
and a student who closes the tab leaves the line (nncore/ui/jobs.py, nncore/ui/runner.py)."""
from __future__ import annotations

import re

import pytest

from bench import _server
from bench._stclient import Session, run_sync

pytestmark = pytest.mark.load
BUSY = "epochs=60"   # the activation race at 60 epochs keeps the one worker busy for many seconds


def place(session: Session) -> int | None:
    """The place in line the page shows ("... number 2 in line ..."), or None."""
    found = re.search(r"number (\d+) in line", session.progress)
    return int(found.group(1)) if found else None


async def opened(url: str, page: str, query: str) -> Session:
    session = await Session.open(url, 30)
    await session.start(page, query)
    return session


def test_places_in_line_a_shared_job_and_a_closed_tab_leaving_the_line():
    async def go(url: str) -> None:
        busy = await opened(url, "activation_race", BUSY)
        assert await busy.until(lambda s: "Training the race" in s.progress)   # the worker took it
        b = await opened(url, "weight_init", "seed=11")
        assert await b.until(lambda s: place(s) == 1)
        c = await opened(url, "weight_init", "seed=12")
        assert await c.until(lambda s: place(s) == 2)
        d = await opened(url, "weight_init", "seed=12")      # the same link as c: c's job, c's place
        assert await d.until(lambda s: place(s) == 2)
        e = await opened(url, "weight_init", "seed=13")      # a new link: behind c's, so c and d share one job
        assert await e.until(lambda s: place(s) == 3)
        await b.close()                                      # a tab closed: its run leaves the line
        assert await c.until(lambda s: place(s) == 1) and await e.until(lambda s: place(s) == 2)
        for session in (busy, c, d, e):
            await session.close()

    with _server.started(env={"NNLAB_WORKERS": "1"}) as (url, _pid):
        run_sync(go(url))
