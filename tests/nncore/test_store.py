"""nncore.ui.store: results kept for the class, bounded in bytes, handed out as read-only objects."""
from __future__ import annotations

import pickle

import numpy as np
import pytest

from nncore.experiments import weight_init
from nncore.ui import store


def test_keys_follow_the_experiment_the_config_and_the_code():
    a, b = weight_init.Config(), weight_init.Config(seed=1)
    assert store.run_key("weight_init:run", a) == store.run_key("weight_init:run", weight_init.Config())
    assert store.run_key("weight_init:run", a) != store.run_key("weight_init:run", b)
    assert store.run_key("weight_init:run", a) != store.run_key("other:run", a)
    assert store.VERSION == store.code_version() and len(store.VERSION) == 12


def test_a_hit_is_the_stored_object_with_read_only_arrays():
    s = store.MemoryStore(10 * 2**20)
    result = weight_init.run(weight_init.Config(depth=3, width=20, samples=50))
    s.put("k", result)
    assert s.get("k") is result and "k" in s and s.get("other") is None
    with pytest.raises(ValueError, match="read-only"):
        result.forward_std[0] = 0.0   # one object serves every session: nobody may change it


def test_the_store_keeps_the_most_recently_used_within_its_bytes():
    item = np.zeros(1000)                          # ~8 kB pickled
    size = len(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
    s = store.MemoryStore(3 * size)
    for key in "abc":
        s.put(key, np.zeros(1000))
    s.get("a")                                     # a is used: b is now the oldest
    s.put("d", np.zeros(1000))
    assert [k in s for k in "abcd"] == [True, False, True, True] and s.bytes == 3 * size
    s.put("huge", np.zeros(10_000))                # larger than the whole store: not kept, nothing evicted
    assert "huge" not in s and len(s) == 3


def test_from_env_reads_the_size_and_the_redis_url(monkeypatch):
    monkeypatch.setenv("NNLAB_CACHE_MB", "5")
    monkeypatch.delenv("NNLAB_CACHE_URL", raising=False)
    s = store.from_env()
    assert type(s) is store.MemoryStore and s.max_bytes == 5 * 2**20
