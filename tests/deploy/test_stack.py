"""Two replicas + redis-server + nginx on loopback, as `python -m deploy.serve up` runs them (one set for the module,
~5 s to start): the real browser through nginx, static files from nginx, sticky routes, a result computed on one
replica served from the shared cache by the other; then (the last two tests, in this order) a replica stops and its
students move, and Redis stops and the app goes on."""
from __future__ import annotations

import gzip
import random
import re
import urllib.request
from typing import Iterator

import pytest
from playwright.sync_api import Page

from bench._stclient import Session, run_sync
from deploy import serve
from tests.deploy.conftest import need
from tests.e2e.conftest import assert_no_error, wait_for_app

pytestmark = pytest.mark.timeout(120)
SMALL = "depth=4&width=100&samples=200"   # weight_init at a size whose fresh run takes milliseconds


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[serve.Stack]:
    need("nginx")
    need("redis-server")
    pytest.importorskip("redis", reason="the redis client is missing: pip install -r requirements.txt")
    with serve.up(replicas=2, port=0, run_dir=tmp_path_factory.mktemp("stack")) as s:
        yield s


def get(url: str, **headers: str) -> tuple[dict[str, str], bytes]:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
        return {k.lower(): v for k, v in r.headers.items()}, r.read()


def redis_counts(stack: serve.Stack) -> dict[str, int]:
    """How many results Redis holds, how many it was asked to store, and how many lookups found one."""
    import redis
    r = redis.Redis.from_url(stack.redis_url)
    sets = r.info("commandstats").get("cmdstat_set", {}).get("calls", 0)
    return {"keys": r.dbsize(), "sets": sets, "hits": r.info("stats")["keyspace_hits"]}


def open_link(base_url: str, page: str, query: str):
    """Open page?query in a new session on base_url, as a student's tab does; the finished run."""
    async def go():
        session = await Session.open(base_url, 30)
        try:
            return await session.run(page, query, timeout=60)
        finally:
            await session.close()
    return run_sync(go())


@pytest.mark.e2e
def test_a_page_opens_through_nginx_in_the_browser(stack, page: Page):
    page.goto(f"{stack.url}/weight_init?{SMALL}&seed=1")
    wait_for_app(page, ready=page.get_by_role("heading", level=1, name="Weight initialization"))
    assert_no_error(page)
    assert page.locator("[data-testid=stPlotlyChart]").count() >= 1
    assert [c["name"] for c in page.context.cookies()].count("nnlab_route") == 1   # the route that keeps it sticky


def test_static_files_come_from_nginx_compressed_and_cached(stack):
    headers, html = get(stack.url + "/weight_init")      # any page of the app is Streamlit's index.html
    assert headers["cache-control"] == "no-cache" and "nnlab_route=" in headers["set-cookie"]
    asset = re.search(r'src="\./(static/js/index\.[\w-]+\.js)"', html.decode()).group(1)
    headers, body = get(f"{stack.url}/{asset}", **{"Accept-Encoding": "gzip"})
    assert headers.get("x-nnlab-static") == "nginx"    # served by nginx itself, not passed to a replica
    assert headers["content-encoding"] == "gzip"
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    original = (serve.streamlit_static() / asset).read_bytes()
    assert gzip.decompress(body) == original and len(body) < len(original) / 2


def replica_of(stack: serve.Stack, student: int) -> str:
    """The replica (its URL) that answers a browser whose route cookie is student<i> (nginx lists every replica it
    tried, the one that answered last)."""
    headers, _ = get(stack.url + "/_stcore/health", Cookie=f"nnlab_route=student{student}")
    return f"http://{headers['x-nnlab-replica'].split(', ')[-1]}"


def test_a_route_cookie_keeps_a_browser_on_one_replica_and_routes_spread(stack):
    """32 browsers behind one address (a school's NAT): each stays on its replica, and both replicas get some."""
    where = {}
    for i in range(32):
        seen = {replica_of(stack, i) for _ in range(3)}
        assert len(seen) == 1, f"student {i} moved between replicas: {seen}"
        where[i] = seen.pop()
    assert set(where.values()) == set(stack.replicas)


def test_a_result_computed_on_one_replica_is_a_cache_hit_on_the_other(stack):
    """Replica 1 computes a new link and stores it in Redis; replica 2, asked for the same link, finds it there and
    computes nothing: no new result is stored (every run a worker finishes is stored), and Redis served a hit."""
    query = f"{SMALL}&seed={random.randrange(10**6)}"
    before = redis_counts(stack)
    first = open_link(stack.replicas[0], "weight_init", query)
    assert first.finished and not first.errors, first.errors
    computed = redis_counts(stack)
    assert computed["keys"] == before["keys"] + 1 and computed["sets"] > before["sets"]
    second = open_link(stack.replicas[1], "weight_init", query)
    assert second.finished and not second.errors, second.errors
    after = redis_counts(stack)
    assert after["sets"] == computed["sets"] and after["keys"] == computed["keys"]   # replica 2 ran no job
    assert after["hits"] > computed["hits"]


def test_when_a_replica_stops_its_students_move_to_the_other(stack):
    """Replica 2 stops (after the cache test, which needs it): nginx sends its routes to replica 1, and the health
    check through nginx still says ok."""
    stack.stop("replica-2")
    assert {replica_of(stack, i) for i in range(32)} == {stack.replicas[0]}


def test_without_redis_the_replicas_go_on_from_memory(stack):
    """The last test: Redis stops; a new link still runs (computed, in the replica's memory), with a warning in the
    replica's log, and no error on the page."""
    stack.stop("redis")
    run = open_link(stack.replicas[0], "weight_init", f"{SMALL}&seed={random.randrange(10**6)}")
    assert run.finished and not run.errors, run.errors
    log = stack.log("replica-1").read_text()
    assert "did not answer" in log and "this process's cache only" in log
