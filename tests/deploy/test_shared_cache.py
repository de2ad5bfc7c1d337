"""The result cache shared by replicas (nncore/ui/store.py's RedisStore) against a real redis-server on loopback:
a result one process stores is a hit in another, a Redis that is down costs nothing but a log line, and results of
different code never meet."""
from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nncore.ui import store

ROOT = Path(__file__).resolve().parents[2]
RUN = "nncore.experiments.weight_init:run"

# One process runs a small weight_init config and stores it; another asks the store for the same key. Each prints
# the run key, what its store held before it asked, and the result's per-layer std (JSON floats round-trip exactly).
PRODUCER = """
import json
from nncore.experiments import weight_init
from nncore.ui import store
cfg = weight_init.Config(depth=3, width=64, samples=200, seed=7)
key = store.run_key(%(run)r, cfg)
s = store.from_env()
s.put(key, weight_init.run(cfg))
print(json.dumps({"key": key, "std": s.get(key).forward_std.tolist()}))
"""
CONSUMER = """
import json
from nncore.experiments import weight_init
from nncore.ui import store
key = store.run_key(%(run)r, weight_init.Config(depth=3, width=64, samples=200, seed=7))
s = store.from_env()
held = len(s)
r = s.get(key)
print(json.dumps({"key": key, "held_before": held, "std": r.forward_std.tolist(),
                  "read_only": not r.forward_std.flags.writeable}))
"""


def in_process(script: str, redis_url: str) -> dict:
    """Run `script` in a new Python process whose store uses Redis at redis_url; its JSON line."""
    env = dict(os.environ, NNLAB_CACHE_URL=redis_url, NNLAB_TORCH_THREADS="1")
    done = subprocess.run([sys.executable, "-c", script % {"run": RUN}], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_result_stored_by_one_process_is_a_hit_in_another(redis_url):
    import redis
    made = in_process(PRODUCER, redis_url)
    assert redis.Redis.from_url(redis_url).exists(f"nnlab:{made['key']}")
    got = in_process(CONSUMER, redis_url)
    assert got["key"] == made["key"]
    assert got["held_before"] == 0                 # nothing in the second process's memory: the hit came from Redis
    assert got["std"] == made["std"]               # the same numbers, bit for bit
    assert got["read_only"]                        # and, as every result the store hands out, read-only


def test_a_result_put_while_redis_runs_is_a_hit_in_a_fresh_store(redis_url):
    value = {"loss": [1.0, 0.5]}
    store.RedisStore(redis_url, 2**20).put("k", value)
    fresh = store.RedisStore(redis_url, 2**20)
    assert len(fresh) == 0 and fresh.get("k") == value and len(fresh) == 1   # from Redis, then kept in memory


def test_without_redis_the_store_works_from_memory_and_says_so(caplog):
    from bench._server import free_port
    down = store.RedisStore(f"redis://127.0.0.1:{free_port()}/0", 2**20)   # nothing listens there
    with caplog.at_level(logging.WARNING, logger="nncore.ui.store"):
        down.put("k", [1, 2, 3])
        assert down.get("k") == [1, 2, 3]           # this process's own memory
        assert down.get("other") is None            # a miss: the run is computed here, not an error
    messages = [r.getMessage() for r in caplog.records]
    assert any("did not store a result" in m for m in messages), messages
    assert any("did not answer" in m and "this process's cache only" in m for m in messages), messages


def test_a_redis_that_stops_and_comes_back(tmp_path, caplog):
    """Redis stops in the middle of a class: hits in memory go on, misses are misses; back on the same port, the
    store uses it again without a restart of the app."""
    pytest.importorskip("redis")
    from bench._server import free_port
    from tests.deploy.conftest import need
    need("redis-server")
    from deploy import serve
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    process = serve.start_redis(tmp_path, port, mb=64)
    s = store.RedisStore(url, 2**20)
    s.put("before", 1)
    serve.stop(process)
    with caplog.at_level(logging.WARNING, logger="nncore.ui.store"):
        assert s.get("before") == 1 and s.get("during") is None
        s.put("during", 2)
    assert any("did not answer" in r.getMessage() for r in caplog.records)
    process = serve.start_redis(tmp_path, port, mb=64)
    try:
        s.put("after", 3)
        assert store.RedisStore(url, 2**20).get("after") == 3   # stored in the new Redis, found by another store
    finally:
        serve.stop(process)


def _copy_of_nncore(where: Path) -> Path:
    copy = where / "nncore"
    shutil.copytree(ROOT / "nncore", copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_keys_differ_when_nncore_differs_and_only_then(tmp_path, monkeypatch):
    """code_version digests nncore's sources, so replicas of different code never share a result (a deploy starts
    afresh), while two checkouts of the same code in different places do share."""
    a, b = _copy_of_nncore(tmp_path / "a"), _copy_of_nncore(tmp_path / "b")
    monkeypatch.setattr(store, "NNCORE", a)
    version_a = store.code_version()
    monkeypatch.setattr(store, "NNCORE", b)
    assert store.code_version() == version_a       # same code elsewhere: the same version
    (b / "experiments" / "weight_init.py").write_text((b / "experiments" / "weight_init.py").read_text() + "\n# x\n")
    version_b = store.code_version()
    assert version_b != version_a                  # one comment more in one file: another version

    cfg = {"depth": 3}
    monkeypatch.setattr(store, "VERSION", version_a)
    key_a = store.run_key(RUN, cfg)
    monkeypatch.setattr(store, "VERSION", version_b)
    assert store.run_key(RUN, cfg) != key_a
