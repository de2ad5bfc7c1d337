"""Where finished runs are kept for the whole class: in this process, bounded in bytes, and also in Redis when
NNLAB_CACHE_URL names one, so that a link computed by one replica of the app is a hit on every other.

No streamlit here: the runner uses a store; tests and bench use it directly.
"""
from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import pickle
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)
NNCORE = Path(__file__).resolve().parents[1]


def code_version() -> str:
    """A digest of nncore's sources: replicas share results only with the same code, and a deploy starts afresh."""
    digest = hashlib.sha256()
    for path in sorted(NNCORE.rglob("*.py")):
        digest.update(path.relative_to(NNCORE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


VERSION = code_version()


def run_key(name: str, cfg: Any) -> str:
    """The key of one run: the experiment's name and its config (plain values, so repr is exact and stable)."""
    return hashlib.sha256(f"{VERSION}|{name}|{cfg!r}".encode()).hexdigest()


def freeze(value: Any) -> Any:
    """Make a Result's arrays read-only, in place: one object is handed to every session that asks for it."""
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            freeze(getattr(value, field.name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            freeze(item)
    elif isinstance(value, dict):
        for item in value.values():
            freeze(item)
    return value


class MemoryStore:
    """The most recently used results whose pickles fit in `max_bytes`; a hit is the object itself (no copy)."""

    def __init__(self, max_bytes: int):
        self.max_bytes, self.bytes = max_bytes, 0
        self._items: OrderedDict[str, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any | None:
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key][0]

    def put(self, key: str, value: Any, size: int | None = None) -> None:
        size = len(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) if size is None else size
        if size > self.max_bytes:
            return
        with self._lock:
            if key in self._items:
                self.bytes -= self._items.pop(key)[1]
            self._items[key] = (freeze(value), size)
            self.bytes += size
            while self.bytes > self.max_bytes:
                self.bytes -= self._items.popitem(last=False)[1][1]

    def __contains__(self, key: str) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)


class RedisStore(MemoryStore):
    """This process's MemoryStore in front of a Redis server shared by the replicas (pickles, expiring after `ttl`
    seconds). If Redis cannot be reached the app goes on with the memory store alone, and says so in its log."""

    def __init__(self, url: str, max_bytes: int, ttl: int = 24 * 3600):
        super().__init__(max_bytes)
        import redis
        self.ttl, self.url = ttl, url
        self.redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def get(self, key: str) -> Any | None:
        value = super().get(key)
        if value is not None:
            return value
        try:
            blob = self.redis.get(f"nnlab:{key}")
        except Exception as err:   # a cache must not take the lesson down with it
            log.warning("Redis at %s did not answer (%s); using this process's cache only", self.url, err)
            return None
        if blob is None:
            return None
        value = pickle.loads(blob)
        super().put(key, value, len(blob))
        return value

    def put(self, key: str, value: Any, size: int | None = None) -> None:
        blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        super().put(key, value, len(blob))
        try:
            self.redis.set(f"nnlab:{key}", blob, ex=self.ttl)
        except Exception as err:
            log.warning("Redis at %s did not store a result (%s)", self.url, err)


def from_env() -> MemoryStore:
    """The store this process uses: NNLAB_CACHE_MB of memory (default 200), and Redis if NNLAB_CACHE_URL is set."""
    max_bytes = int(float(os.environ.get("NNLAB_CACHE_MB", "200")) * 2**20)
    url = os.environ.get("NNLAB_CACHE_URL", "").strip()
    return RedisStore(url, max_bytes) if url else MemoryStore(max_bytes)
