"""What a student's first visit downloads before the app speaks a word: Streamlit's static files (HTML, JavaScript,
CSS, fonts), fetched with curl from a replica directly and through nginx (deploy/serve.py): bytes on the wire, seconds,
and the CPU seconds the serving process (the replica's Python, or nginx) spent. bench/load.py's students fetch none.

  python -m deploy.first_visit [--students 30]

The file list is what Chromium fetched to open /weight_init through nginx (the browser tests' Chromium); curl then
fetches that list once (one visit) and `--students` times at once (a class arriving), as a browser asks: compressed.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from urllib.parse import urlsplit

from bench._server import usage
from deploy import serve

CHROMIUM = "/usr/bin/chromium"
MB = 2**20


def static_paths(url: str) -> list[str]:
    """The paths of the static files Chromium fetches from the server to open `url` (no app endpoints, no websocket,
    nothing from elsewhere)."""
    from playwright.sync_api import sync_playwright
    urls: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        page = browser.new_page()
        page.on("request", lambda r: urls.append(r.url))
        page.goto(url)
        page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", state="attached",
                               timeout=60_000)
        page.wait_for_load_state("networkidle")
        browser.close()
    paths = [urlsplit(u).path for u in urls if urlsplit(u).netloc == urlsplit(url).netloc]
    return list(dict.fromkeys(p for p in paths if "/_stcore/" not in p and not p.startswith("/media/")))


def fetch(base: str, paths: list[str], students: int) -> tuple[int, float]:
    """curl `students` visits of `paths` at once (one connection per visit, files in turn); (bytes, seconds)."""
    cmd = ["curl", "-s", "--compressed", "-w", "%{size_download}\\n"]
    for path in paths:
        cmd += ["-o", "/dev/null", base + path]
    start = time.perf_counter()
    visits = [subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) for _ in range(students)]
    sizes = [sum(int(n) for n in v.communicate()[0].split()) for v in visits]
    return sizes[0], time.perf_counter() - start


def measure(students: int) -> list[str]:
    with serve.up(replicas=1, port=0) as stack:
        paths = static_paths(stack.url + "/weight_init")
        raw = sum((serve.streamlit_static() / (p.lstrip("/") if "." in p.rsplit("/", 1)[-1] else "index.html"))
                  .stat().st_size for p in paths)
        lines = [f"a first visit fetches {len(paths)} static files, {raw / MB:.2f} MB uncompressed"]
        for name, base in (("replica direct", stack.replicas[0]), ("through nginx", stack.url)):
            pid = stack.processes["replica-1" if name == "replica direct" else "nginx"].pid
            for n in (1, students):
                before = usage(pid).cpu
                size, seconds = fetch(base, paths, n)
                cpu = usage(pid).cpu - before
                lines.append(f"{name:>15}: {n:>3} visit(s) at once: {size / MB:.2f} MB each on the wire, "
                             f"{seconds:.2f} s, serving process CPU {cpu:.2f} s")
        return lines


def cli(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m deploy.first_visit", description=__doc__.split("\n\n")[0])
    p.add_argument("--students", type=int, default=30, help="visits at once in the second round (1-100; default 30)")
    a = p.parse_args(argv)
    if not 1 <= a.students <= 100:
        p.error("--students must be between 1 and 100")
    print("\n".join(measure(a.students)))
    return 0


if __name__ == "__main__":
    sys.exit(cli())
