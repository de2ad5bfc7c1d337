"""tests/deploy: replicas of the app behind nginx, sharing a Redis cache (deploy/serve.py), all on loopback.

Debian's nginx and redis-server and the `redis` client are needed: scripts/run_tests.sh installs them. Without one,
the tests that need it are skipped, and with CI=true a skip is a failure (tests/conftest.py).
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

from bench._server import free_port
from deploy import serve


def need(program: str) -> None:
    """Skip unless Debian's `program` is installed."""
    if not (shutil.which(program) or Path("/usr/sbin", program).exists()):
        pytest.skip(f"{program} is missing: run scripts/run_tests.sh (it installs Debian's nginx and redis-server)")


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A redis-server of this test's own on a free loopback port (deploy/serve.py's settings), stopped after."""
    need("redis-server")
    pytest.importorskip("redis", reason="the redis client is missing: pip install -r requirements.txt")
    with tempfile.TemporaryDirectory(prefix="nnlab-redis-") as run_dir:
        port = free_port()
        process = serve.start_redis(Path(run_dir), port, mb=64)
        try:
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            serve.stop(process)
