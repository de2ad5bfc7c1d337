"""Serve the lab to a class from one machine: N replicas of `streamlit run app.py` on loopback ports, a redis-server
on loopback that they share as their result cache (NNLAB_CACHE_URL), and nginx in front (deploy/nnlab.conf: sticky
sessions, the websocket, Streamlit's static files). For an operator on a VM, and for tests/deploy.

  python -m deploy.serve up --replicas 2 --port 8080    # runs until Ctrl-C or SIGTERM, then stops all it started
  python -m deploy.serve static /var/www/nnlab-static     # Streamlit's static files, precompressed, for nginx
  python -m deploy.serve render --server 127.0.0.1:8501 --server 127.0.0.1:8502 --listen 80 \
      --static /var/www/nnlab-static > /etc/nginx/conf.d/nnlab.conf                   # the site, for a VM's nginx

`up` needs Debian's nginx and redis-server (scripts/run_tests.sh installs them). Every process it starts is its own
child, so the RSS and CPU of the whole set are those of its process tree (`python -m bench.load --pid <its pid>`).
"""
from __future__ import annotations

import argparse
import grp
import gzip
import importlib.metadata
import importlib.util
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

from bench._server import free_port, healthy, stop

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(__file__).resolve().parent / "nnlab.conf"
STARTUP_TIMEOUT = 90.0   # seconds for every replica to answer /_stcore/health (each imports torch, starts its workers)
MIME_TYPES = "/etc/nginx/mime.types"   # Debian's nginx
TEXT = {".js", ".css", ".html", ".json", ".svg"}   # what gzip shrinks (fonts and images come compressed)


def streamlit_static() -> Path:
    """The installed streamlit package's static directory (index.html, static/js, ...), found without importing it."""
    return Path(importlib.util.find_spec("streamlit").submodule_search_locations[0]) / "static"


def precompressed(dest: Path) -> Path:
    """A copy of Streamlit's static directory in `dest` with a gzip'd twin (.gz) of each text file, made once per
    Streamlit version: nginx's gzip_static sends the twins as they are. Compressing 9 MB per first visit on the fly
    cost nginx 0.25 s of CPU (7.6 s for a class of 30); a file sent as it is costs next to nothing."""
    version = importlib.metadata.version("streamlit")
    marker = dest / ".streamlit-version"
    if marker.exists() and marker.read_text() == version:
        return dest
    building = dest.with_name(f"{dest.name}.building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    shutil.copytree(streamlit_static(), building)
    for file in building.rglob("*"):
        if file.suffix in TEXT and file.stat().st_size >= 1024:
            file.with_name(file.name + ".gz").write_bytes(gzip.compress(file.read_bytes(), 9, mtime=0))
    (building / marker.name).write_text(version)
    shutil.rmtree(dest, ignore_errors=True)   # another Streamlit's
    try:
        building.rename(dest)
    except OSError:   # another process made it first
        shutil.rmtree(building)
    return dest


def static_cache() -> Path:
    """Where `up` keeps the precompressed copy: $XDG_CACHE_HOME/nnlab or ~/.cache/nnlab."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nnlab" / "streamlit-static"


def render(servers: Sequence[str], listen: str, static: str | Path) -> str:
    """deploy/nnlab.conf for these replicas (HOST:PORT each), listening on `listen`, with Streamlit's static files."""
    lines = "\n".join(f"    server {s} max_fails=1 fail_timeout=10s;" for s in servers)
    return (SITE.read_text().replace("{{servers}}", lines).replace("{{listen}}", listen)
            .replace("{{static}}", str(static)))


def main_config(run_dir: Path, site: Path, static: Path) -> str:
    """A whole nginx.conf around the site: in the foreground (a child of this process), its files in run_dir."""
    user = ""
    if os.geteuid() == 0:   # root's workers would run as nobody: give them the rights of the static files' owner
        info = os.stat(static)
        user = f"user {pwd.getpwuid(info.st_uid).pw_name} {grp.getgrgid(info.st_gid).gr_name};\n"
    temp = "\n".join(f"    {kind}_temp_path {run_dir}/nginx-{kind};" for kind in
                     ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""{user}worker_processes auto;
daemon off;
pid {run_dir}/nginx.pid;
error_log {run_dir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    sendfile on;
    access_log {run_dir}/nginx-access.log;
{temp}
    include {site};
}}
"""


def nginx_binary() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


def check_nginx(conf: Path) -> subprocess.CompletedProcess:
    """`nginx -t` on a whole config (its output says what is wrong)."""
    return subprocess.run([nginx_binary(), "-t", "-q", "-e", "stderr", "-c", str(conf)], capture_output=True,
                          text=True, timeout=30)


def redis_ping(port: int) -> bool:
    """Whether a redis-server answers PING on 127.0.0.1:port."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start(name: str, cmd: list[str], run_dir: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """A child process in a session of its own (Ctrl-C reaches only this process, which stops it), its output in
    run_dir/<name>.log."""
    with open(run_dir / f"{name}.log", "wb") as log:
        return subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=env, start_new_session=True)


def wait_until(what: str, ready, processes: Sequence[subprocess.Popen], run_dir: Path, timeout: float) -> None:
    """Poll `ready()` until it is true; RuntimeError (with the logs' tails) if a process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while not ready():
        dead = [p for p in processes if p.poll() is not None]
        if dead or time.monotonic() > deadline:
            tails = "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-1500:]}"
                              for log in sorted(run_dir.glob("*.log")))
            raise RuntimeError(f"{what} did not start ({'exit code ' + str(dead[0].returncode) if dead else 'timeout'})"
                               f"\n{tails}")
        time.sleep(0.2)


def start_redis(run_dir: Path, port: int, mb: int = 512) -> subprocess.Popen:
    """redis-server on 127.0.0.1:port, answering PING on return. A cache, not a database: no snapshots, and the
    least recently used results go first when `mb` megabytes are full."""
    process = start("redis", ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                              "--appendonly", "no", "--maxmemory", f"{mb}mb", "--maxmemory-policy", "allkeys-lru",
                              "--dir", str(run_dir)], run_dir)
    try:
        wait_until("redis-server", lambda: redis_ping(port), [process], run_dir, 30)
    except BaseException:
        stop(process)
        raise
    return process


@dataclass
class Stack:
    """What `up` started: nginx's URL, each replica's own URL, Redis, and the processes by name."""

    url: str
    replicas: list[str]
    redis_url: str
    run_dir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def log(self, name: str) -> Path:
        """The output of one process: "redis", "nginx" or "replica-1", "replica-2", ..."""
        return self.run_dir / f"{name}.log"

    def stop(self, name: str) -> None:
        stop(self.processes[name])


def replica_env(redis_url: str, replicas: int) -> dict[str, str]:
    """A replica's environment: the shared cache, glibc's arenas capped (RSS), and the cores shared among the
    replicas' worker pools (NNLAB_WORKERS, unless given)."""
    env = dict(os.environ)
    env.setdefault("MALLOC_ARENA_MAX", "2")
    env.setdefault("NNLAB_WORKERS", str(max(1, (os.cpu_count() or 1) // replicas)))
    return env | {"NNLAB_CACHE_URL": redis_url, "PYTHONUNBUFFERED": "1"}


@contextmanager
def up(replicas: int = 2, port: int = 0, first_port: int = 0, redis_port: int = 0, redis_mb: int = 512,
       run_dir: str | Path | None = None, server_args: Sequence[str] = ()) -> Iterator[Stack]:
    """Start redis-server, `replicas` app processes and nginx on loopback (port 0: a free one), all ready on entry and
    stopped on exit. Logs and the rendered configs go to run_dir (default: a temporary directory, removed after)."""
    if not 1 <= replicas <= 16:
        raise ValueError("replicas must be between 1 and 16")
    with ExitStack() as cleanup:
        if run_dir is None:
            run_dir = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="nnlab-serve-"))
        run_dir = Path(run_dir)
        run_dir.mkdir(parents=True, exist_ok=True)
        port, redis_port = port or free_port(), redis_port or free_port()
        ports = [first_port + i if first_port else free_port() for i in range(replicas)]
        stack = Stack(f"http://127.0.0.1:{port}", [f"http://127.0.0.1:{p}" for p in ports],
                      f"redis://127.0.0.1:{redis_port}/0", run_dir)
        cleanup.callback(lambda: [stack.stop(name) for name in reversed(stack.processes)])
        redis = stack.processes["redis"] = start_redis(run_dir, redis_port, redis_mb)
        env = replica_env(stack.redis_url, replicas)
        for i, p in enumerate(ports):
            stack.processes[f"replica-{i + 1}"] = start(
                f"replica-{i + 1}", [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(p),
                                     "--server.address", "127.0.0.1", *server_args], run_dir, env)
        site, conf = run_dir / "nnlab.conf", run_dir / "nginx.conf"
        static = precompressed(static_cache())
        site.write_text(render([f"127.0.0.1:{p}" for p in ports], f"127.0.0.1:{port}", static))
        conf.write_text(main_config(run_dir, site, static))
        checked = check_nginx(conf)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx -t failed on {conf}:\n{checked.stderr}")
        nginx = stack.processes["nginx"] = start("nginx", [nginx_binary(), "-e", "stderr", "-c", str(conf)], run_dir)
        everyone = list(stack.processes.values())
        wait_until("the replicas", lambda: all(healthy(u) for u in stack.replicas), everyone, run_dir,
                   STARTUP_TIMEOUT)
        wait_until("nginx", lambda: healthy(stack.url), [nginx, redis], run_dir, 30)
        yield stack


def _serve(a: argparse.Namespace) -> int:
    """`up` until SIGINT or SIGTERM."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))   # a plain kill stops the set too, through the with block
    try:
        with up(a.replicas, a.port, a.first_port, a.redis_port, a.redis_mb, a.run_dir, a.server_arg) as stack:
            print(f"serving {stack.url} (pid {os.getpid()}): replicas {' '.join(stack.replicas)}, "
                  f"cache {stack.redis_url}, logs in {stack.run_dir}; Ctrl-C stops them all", flush=True)
            while all(p.poll() is None for p in stack.processes.values()):
                time.sleep(1)
            print("a process stopped: stopping the others", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        return 0


def cli(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m deploy.serve", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    u = sub.add_parser("up", help="start redis-server, the replicas and nginx on loopback; Ctrl-C stops them")
    u.add_argument("--replicas", type=int, default=2, help="app processes (default 2)")
    u.add_argument("--port", type=int, default=8080, help="nginx's port on 127.0.0.1 (default 8080; 0: a free one)")
    u.add_argument("--first-port", type=int, default=8501, help="the replicas' ports from here (default 8501)")
    u.add_argument("--redis-port", type=int, default=6380, help="redis-server's port (default 6380)")
    u.add_argument("--redis-mb", type=int, default=512, help="redis-server's maxmemory in MB (default 512)")
    u.add_argument("--run-dir", help="logs and rendered configs (default: a temporary directory)")
    u.add_argument("--server-arg", action="append", default=[], help="an argument for each `streamlit run`")
    r = sub.add_parser("render", help="print deploy/nnlab.conf filled in, for an nginx of your own")
    r.add_argument("--server", action="append", required=True, help="a replica, HOST:PORT (repeat)")
    r.add_argument("--listen", default="80", help="nginx's listen (default 80)")
    r.add_argument("--static", default=None, help="Streamlit's static directory (default: the installed package's)")
    c = sub.add_parser("static", help="write Streamlit's static files with gzip'd twins to DIR (nginx's root)")
    c.add_argument("dir", help="e.g. /var/www/nnlab-static")
    a = p.parse_args(argv)
    if a.command == "static":
        print(precompressed(Path(a.dir)))
        return 0
    if a.command == "render":
        print(render(a.server, a.listen, a.static or streamlit_static()), end="")
        return 0
    return _serve(a)


if __name__ == "__main__":
    sys.exit(cli())
