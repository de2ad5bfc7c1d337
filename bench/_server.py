"""The server under load: start `streamlit run app.py` on a free loopback port, find a running one's process, and
read its memory and CPU from /proc (the process and its children; no psutil)."""
from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
STARTUP_TIMEOUT = 60.0   # seconds for a started server to answer /_stcore/health
PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


def check_loopback(url: str) -> None:
    """ValueError unless `url` is an http(s) URL of this machine's loopback interface (the load test stays local)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        local = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = False
    if parts.scheme not in ("http", "https") or not local:
        raise ValueError(f"{url!r} is not a loopback http URL (use http://127.0.0.1:PORT)")


def healthy(url: str) -> bool:
    """Whether the server answers its health endpoint with "ok"."""
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env() -> dict[str, str]:
    """scripts/server.env: the environment scripts/run_app.sh and deploy/ give the server (KEY=VALUE lines)."""
    lines = (ROOT / "scripts" / "server.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in map(str.strip, lines) if line and not line.startswith("#"))


@contextmanager
def started(server_args: tuple[str, ...] = (), env: dict[str, str] | None = None, log_path: str | Path | None = None,
            port: int | None = None) -> Iterator[tuple[str, int]]:
    """(url, pid) of a new `streamlit run app.py` with the repository's config, headless on a loopback port (default:
    a free one), healthy on entry and stopped on exit. `server_args` go to `streamlit run` (e.g.
    "--runner.postScriptGC=true"); its output goes to `log_path` (default: a temporary file, shown if it fails).
    Its environment: scripts/server.env, as run_app.sh gives it, under this process's own and then `env`."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.fileWatcherType", "none", *server_args]
    with (open(log_path, "w+b") if log_path else tempfile.TemporaryFile()) as log:
        process = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env={**server_env(), **os.environ, **(env or {}), "PYTHONUNBUFFERED": "1",
                                        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"})
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT
            while not healthy(url):
                try:   # between polls, wait on the process itself: returns at once if the server died
                    process.wait(timeout=0.1)
                except subprocess.TimeoutExpired:
                    if time.monotonic() < deadline:
                        continue
                log.seek(0)
                raise RuntimeError(f"streamlit did not become healthy (exit code {process.poll()}); log:\n"
                                   + log.read().decode(errors="replace")[-3000:])
            yield url, process.pid
        finally:
            stop(process)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL after 15 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def listening_pid(url: str) -> int | None:
    """The process listening on `url`'s port, from /proc/net/tcp{,6} and /proc/*/fd (own processes only)."""
    port = urlsplit(url).port or 80
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            if cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:   # 0A: LISTEN
                inodes.add(f"socket:[{cols[9]}]")
    for pid in (p for p in os.listdir("/proc") if p.isdigit()):
        try:
            if any(os.readlink(f"/proc/{pid}/fd/{fd}") in inodes for fd in os.listdir(f"/proc/{pid}/fd")):
                return int(pid)
        except OSError:
            continue
    return None


def _stat(pid: int) -> list[str] | None:
    """/proc/PID/stat's fields after the command name (field 3 onwards), or None if the process is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()


def tree(pid: int) -> list[int]:
    """`pid` and all its descendants alive now."""
    children: dict[int, list[int]] = {}
    for p in (int(p) for p in os.listdir("/proc") if p.isdigit()):
        if (fields := _stat(p)) is not None:
            children.setdefault(int(fields[1]), []).append(p)
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


@dataclass
class Usage:
    """Resident memory (bytes) and CPU time (seconds, user + system) of a process tree at one moment.

    rss adds each process's resident pages, so pages the processes share (torch's, in the workers forked from one
    preloaded process) count once per process; pss shares each such page out among them (/proc/PID/smaps_rollup),
    so it counts every page once, as a host's or a container's memory limit does."""

    rss: int
    cpu: float
    pss: int = 0


def usage(pid: int, with_pss: bool = True) -> Usage:
    """RSS, PSS (unless with_pss is False: reading it walks the page tables) and CPU of `pid` and its children (the
    CPU of children that have exited and were waited for included)."""
    rss, pss, ticks = 0, 0, 0
    for p in tree(pid):
        fields = _stat(p)
        if fields is None:
            continue
        rss += int(fields[21]) * PAGE                      # field 24: rss in pages
        pss += _pss(p) if with_pss else 0
        ticks += int(fields[11]) + int(fields[12])         # fields 14, 15: utime, stime
        if p == pid:
            ticks += int(fields[13]) + int(fields[14])     # fields 16, 17: cutime, cstime of waited-for children
    return Usage(rss, ticks / TICKS, pss)


def _pss(pid: int) -> int:
    """Proportional set size of one process in bytes (0 if it is gone)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) * 1024 for line in text.splitlines() if line.startswith("Pss:")), 0)
