"""Load test: a class of students on one `streamlit run app.py`, each a websocket session speaking Streamlit's own
protocol (bench/_stclient.py); the time of every request, errors, throughput, and the server's memory and CPU.

Usage (from the repository root; `--start` starts the server itself, `--url` loads one that is running):
  python -m bench.load --start --workload burst --students 30 --link "/weight_init?depth=8&seed=3"
  python -m bench.load --start --workload class --students 10 --duration 180
  python -m bench.load --url http://127.0.0.1:8501 --workload burst --students 10 --settle 10
  MALLOC_ARENA_MAX=8 python -m bench.load --start --server-arg=--runner.postScriptGC=true ...   (server settings
  other than the repository's: .streamlit/config.toml and scripts/server.env)
Other options: --reruns 2, --think 10 20, --changes 3, --seed 0, --timeout 60, --settle 60, --pid, --json FILE,
--server-log FILE (the page shows errors redacted; the server's log has their tracebacks).

Workloads
  burst  N students open the same link at once (one websocket each, all connected first, then every request sent
         together), then each reruns it `--reruns` times, as the R key does.
  class  N students, each on a lesson's link (weight_init, optimizer_race, dropout in turn, starting at student
         number mod 3), changing one control to a random value of their own 10-20 s after each answer (`--think`,
         random think times seeded by `--seed`) for `--duration` seconds, `--changes` changes per lesson, then the
         next lesson.

A request counts from its rerun_script to the script_finished that ends it (the app's own st.rerun()s included).
It is "fresh" if no earlier request of this load test asked for the same page and query string, else "cached" (with
--url the server may have computed a "fresh" one before). An error: an exception box or an st.error alert in the
run, page not found, a dropped connection, no script_finished within `--timeout` or the workload's deadline, a
finished run whose sliders or number inputs do not show the values of its link (a change that did not take). The
server: RSS and PSS of the process and its children before, at the peak (sampled every 0.5 s) and `--settle` s after the
sessions close; CPU seconds over the workload (utime + stime from /proc/PID/stat).

How a control changes: a rerun with the student's whole query string, marked as history navigation (what the
browser sends on back/forward), after which Streamlit sets every control bound to the URL (bind="query-params",
DESIGN.md section 3) from it, over the session's widget state. So no widget id and no widget value type (a slider's
double array, a select_slider's index, ...) is needed: those are Streamlit's internals and change between versions,
while the link format is the app's own, the one a teacher shares; and each finished run is checked to show the
values it asked for. It cannot change the optimizer race's racers (their URL key is read once per session,
nncore/ui/race.py): the race's start point (x0, y0) and steps change instead. Each lesson opens in a new session,
as a link opened in the tab: within one session Streamlit drops a link's parameter on a page change when a widget of
another page was bound to the same key (seed), and a fresh tab does not.

Bounds: loopback only, 1-200 students, each request `--timeout` s, each workload a deadline (burst: (reruns + 1) x
timeout + 30 s; class: duration + timeout + 30 s). `run_load(...)` returns the figures as a dict (tests/load).
"""
from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import random
import sys
import time
from dataclasses import dataclass, field
from typing import Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit

from bench import _server
from bench._stclient import Run, Session, run_sync

MAX_STUDENTS = 200
SAMPLE_EVERY = 0.5   # seconds between RSS samples
PSS_EVERY = 10       # samples between PSS samples
MB = 2**20


def _grid(lo: float, hi: float, step: float) -> list[str]:
    """The values lo, lo + step, ..., hi as a URL writes them."""
    return [f"{round(lo + i * step, 6):g}" for i in range(round((hi - lo) / step) + 1)]


@dataclass(frozen=True)
class Lesson:
    """A page of the class workload: its url path, the query string students open it with, and the controls they
    change (URL key -> the values a student picks from)."""

    page: str
    controls: dict[str, Sequence]
    base: str = "reveal=1"   # past the lesson's question (nncore/ui/questions.py): the class measured is at the runs


def _but(values: Sequence, default: object) -> list[str]:
    """The values other than the page's default (a link with the default is the page's own link, likely cached)."""
    return [str(v) for v in values if str(v) != str(default)]


# Seeds of their own are fresh runs; depth, start, steps, p and epochs from a grid: some students pick the same.
CLASS = (
    Lesson("weight_init", {"depth": _but(range(2, 21), 10), "seed": range(1, 10**6)}),
    Lesson("optimizer_race", {"x0": _but(_grid(-2, 2, 0.1), -1.5), "y0": _but(_grid(-1, 3, 0.1), 2),
                              "steps": _but(range(100, 1001, 50), 500)}),
    Lesson("dropout", {"seed": range(1, 10**6), "b_dropout": _but(_grid(0.05, 0.9, 0.05), 0.5),
                       "epochs": _but(range(100, 601, 50), 400)}),
)


@dataclass
class Request:
    """One timed request of one student."""

    student: int
    page: str
    query: str
    action: str      # open (a link in a new session) | rerun (the same URL) | change (a control, by the URL)
    cache: str       # fresh (first time this page and query string is asked) | cached
    start: float     # seconds since the workload began
    seconds: float
    finished: bool
    errors: list[str]
    received: int    # bytes


def canonical(query: str) -> str:
    """A query string with its keys in order, so that one link has one spelling."""
    return urlencode(sorted(parse_qsl(query, keep_blank_values=True)))


@dataclass
class Ledger:
    """Every request of a workload, each classified fresh or cached, and the errors outside requests."""

    t0: float = field(default_factory=time.perf_counter)
    seen: set[tuple[str, str]] = field(default_factory=set)
    requests: list[Request] = field(default_factory=list)
    other_errors: list[str] = field(default_factory=list)

    def classify(self, page: str, query: str) -> str:
        key = (page, canonical(query))
        cache = "cached" if key in self.seen else "fresh"
        self.seen.add(key)
        return cache

    async def request(self, student: int, session: Session, action: str, page: str, query: str | None = None,
                      history: bool = False, timeout: float = 60.0) -> Run:
        """session.run(...), timed and recorded; `page` names the page also when the session already shows it."""
        query_asked = session.query if query is None else query
        cache = self.classify(page, query_asked)
        start = time.perf_counter()
        record = Request(student, page, query_asked, action, cache, start - self.t0, 0.0, False, [], 0)
        try:
            run = await session.run(page if action == "open" else "", query, history, timeout)
        except asyncio.CancelledError:
            record.seconds, record.errors = time.perf_counter() - start, ["cancelled at the workload's deadline"]
            self.requests.append(record)
            raise
        record.seconds, record.finished, record.received = run.seconds, run.finished, run.received
        record.errors = run.errors + (not_shown(query_asked, session.shown) if run.finished else [])
        self.requests.append(record)
        return run


def not_shown(query: str, shown: dict[str, float]) -> list[str]:
    """The link's values that its sliders and number inputs do not show (a change that did not take)."""
    wrong = []
    for key, text in parse_qsl(query):
        try:
            if key in shown and float(text) != shown[key]:
                wrong.append(f"{key}={text} asked, {shown[key]:g} shown")
        except ValueError:
            continue
    return wrong


async def _connect(url: str, ledger: Ledger, student: int, timeout: float) -> Session | None:
    try:
        return await Session.open(url, timeout)
    except Exception as err:   # any failure to connect (refused, handshake, timeout) is the student's error
        ledger.other_errors.append(f"student {student} could not connect: {type(err).__name__}: {err}")
        return None


def split_link(link: str) -> tuple[str, str]:
    """"/weight_init?depth=8" -> ("weight_init", "depth=8")."""
    parts = urlsplit(link)
    return parts.path.strip("/"), parts.query


async def burst(url: str, ledger: Ledger, students: int, link: str, reruns: int, timeout: float) -> None:
    """All students connect, then open `link` at the same moment, then rerun it `reruns` times each."""
    page, query = split_link(link)
    sessions = await asyncio.gather(*(_connect(url, ledger, i, timeout) for i in range(students)))
    ledger.t0 = time.perf_counter()

    async def student(i: int, session: Session) -> None:
        try:
            run = await ledger.request(i, session, "open", page, query, timeout=timeout)
            for _ in range(reruns):
                if not run.finished:
                    break
                run = await ledger.request(i, session, "rerun", page, timeout=timeout)
        finally:
            await session.close()

    await asyncio.gather(*(student(i, s) for i, s in enumerate(sessions) if s is not None))


def _own_value(rng: random.Random, values: Sequence, current: str | None) -> str:
    """A random value of the control, other than the one shown."""
    for _ in range(10):
        value = str(rng.choice(values))
        if value != current:
            return value
    return value


async def lesson_class(url: str, ledger: Ledger, students: int, lessons: Sequence[Lesson], duration: float,
                       think: tuple[float, float], changes: int, seed: int, timeout: float) -> None:
    """Each student opens a lesson, changes one of its controls every `think` seconds, `changes` times, moves on to
    the next lesson, and so on until `duration` is over (a request under way then finishes)."""
    end = ledger.t0 + duration

    async def student(i: int) -> None:
        rng = random.Random(f"{seed}:{i}")
        await asyncio.sleep(rng.uniform(0, think[0]))   # a class does not click all in the same instant
        session, run, lesson, left, k = None, None, lessons[0], 0, i
        try:
            while time.perf_counter() < end:
                if session is None or left == 0 or not run.finished:
                    if session is not None:
                        await session.close()
                    if run is None or run.finished:         # after a failed request: the same lesson, reloaded
                        lesson, k = lessons[k % len(lessons)], k + 1
                    session, left = await _connect(url, ledger, i, timeout), changes
                    if session is None:
                        break
                    params = dict(parse_qsl(lesson.base))
                    run = await ledger.request(i, session, "open", lesson.page, lesson.base, timeout=timeout)
                else:
                    key = rng.choice(list(lesson.controls))
                    params[key] = _own_value(rng, lesson.controls[key], params.get(key))
                    run = await ledger.request(i, session, "change", lesson.page, urlencode(params), True, timeout)
                    left -= 1
                await asyncio.sleep(min(rng.uniform(*think), max(end - time.perf_counter(), 0)))
        finally:
            if session is not None:
                await session.close()

    await asyncio.gather(*(student(i) for i in range(students)))


class Monitor:
    """The server's RSS and PSS every SAMPLE_EVERY seconds in the background, and their peaks."""

    def __init__(self, pid: int | None):
        self.pid, self.peak, self.peak_pss, self.count = pid, 0, 0, 0

    def sample(self, full: bool = False) -> _server.Usage | None:
        if self.pid is None:
            return None
        now = _server.usage(self.pid, with_pss=full or self.count % PSS_EVERY == 0)   # PSS costs more than RSS
        self.count += 1
        self.peak, self.peak_pss = max(self.peak, now.rss), max(self.peak_pss, now.pss)
        return now

    async def run(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(SAMPLE_EVERY)


def quantile(sorted_values: Sequence[float], q: float) -> float:
    """The q-quantile, linear between the two nearest ranks (numpy's default)."""
    pos = q * (len(sorted_values) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def stats(seconds: Sequence[float]) -> dict[str, float]:
    s = sorted(seconds)
    return {"n": len(s), "p50": quantile(s, 0.5), "p95": quantile(s, 0.95), "max": s[-1]}


def summarize(requests: Sequence[Request]) -> dict[str, dict[str, float]]:
    """p50 / p95 / max of the requests that finished, per kind (page, action, fresh or cached), per cache state,
    and of all."""
    done = [r for r in requests if r.finished]
    groups: dict[str, list[float]] = {}
    order = ("open", "change", "rerun", "fresh", "cached")
    for r in sorted(done, key=lambda r: (r.page, order.index(r.action), order.index(r.cache))):
        groups.setdefault(f"{r.page} {r.action} {r.cache}", []).append(r.seconds)
    for cache in ("fresh", "cached"):
        if len({k for k in groups if k.endswith(cache)}) > 1:
            groups[f"all {cache}"] = [r.seconds for r in done if r.cache == cache]
    if done:
        groups["all"] = [r.seconds for r in done]
    return {kind: stats(values) for kind, values in groups.items()}


async def measure(url: str, pid: int | None, workload: str, students: int, settle: float, deadline: float,
                  **spec) -> dict:
    """Run one workload against the server at `url` (process `pid`), with the server's RSS and CPU around it."""
    monitor, ledger = Monitor(pid), Ledger()
    before = monitor.sample(full=True)
    sampler = asyncio.create_task(monitor.run())
    load_before, client0, start = os.getloadavg()[0], os.times(), time.perf_counter()
    if workload == "burst":
        coro = burst(url, ledger, students, spec["link"], spec["reruns"], spec["timeout"])
    else:
        coro = lesson_class(url, ledger, students, spec["lessons"], spec["duration"], spec["think"],
                            spec["changes"], spec["seed"], spec["timeout"])
    try:
        await asyncio.wait_for(coro, deadline)
    except (TimeoutError, asyncio.TimeoutError):
        ledger.other_errors.append(f"the workload's deadline ({deadline:g} s) passed")
    end, during = time.perf_counter(), monitor.sample(full=True)
    await asyncio.sleep(settle)      # the sessions are closed: how much memory does the server give back?
    after = monitor.sample(full=True)
    sampler.cancel()
    client = os.times()
    server = {"rss_before": before.rss, "rss_peak": monitor.peak, "rss_after": after.rss,
              "pss_before": before.pss, "pss_peak": monitor.peak_pss, "pss_after": after.pss,
              "cpu_server": during.cpu - before.cpu} if pid else dict.fromkeys(
        ("rss_before", "rss_peak", "rss_after", "pss_before", "pss_peak", "pss_after", "cpu_server"))
    return figures(ledger, workload, students, spec, end - ledger.t0) | server | {
        "url": url, "pid": pid, "settle": settle, "connect": ledger.t0 - start, "cpu_wall": end - start,
        "cpu_client": (client.user + client.system) - (client0.user + client0.system),
        "load_average": (load_before, os.getloadavg()[0]), "cores": os.cpu_count()}


def figures(ledger: Ledger, workload: str, students: int, spec: dict, wall: float) -> dict:
    """What the requests of a workload (`wall` seconds) add up to: timings per kind, completions, errors,
    throughput, bytes."""
    reqs = ledger.requests
    errors = [f"{r.page} {r.action}: {e}" for r in reqs for e in r.errors] + ledger.other_errors
    lessons = [dataclasses.asdict(x) | {"controls": list(x.controls)} for x in spec.get("lessons", ())]
    return {
        "workload": workload, "students": students, "spec": spec | ({"lessons": lessons} if lessons else {}),
        "requests": [dataclasses.asdict(r) for r in reqs],
        "kinds": summarize(reqs),
        "completed": sum(r.finished for r in reqs),
        "expected": students * (spec["reruns"] + 1) if workload == "burst" else None,
        "errors": sum(bool(r.errors) for r in reqs) + len(ledger.other_errors),
        "error_messages": list(dict.fromkeys(errors))[:5],
        "wall": wall, "throughput": sum(r.finished for r in reqs) / wall if wall > 0 else 0.0,
        "received": sum(r.received for r in reqs),
    }


def run_load(url: str | None = None, *, start: bool = False, workload: str = "burst", students: int = 10,
             link: str = "/weight_init", reruns: int = 2, duration: float = 180.0,
             think: tuple[float, float] = (10.0, 20.0), changes: int = 3, lessons: Sequence[Lesson] = CLASS,
             seed: int = 0, timeout: float = 60.0, settle: float = 60.0, pid: int | None = None,
             server_args: Sequence[str] = (), env: dict[str, str] | None = None, server_log: str | None = None) -> dict:
    """One workload against `url`, or (start=True) against a `streamlit run app.py` started here and stopped after;
    the figures as a dict (see measure)."""
    if workload not in ("burst", "class"):
        raise ValueError(f"workload must be burst or class, not {workload!r}")
    if not 1 <= students <= MAX_STUDENTS:
        raise ValueError(f"students must be between 1 and {MAX_STUDENTS}")
    if not (0 < timeout <= 600 and 0 <= settle <= 600 and 0 < duration <= 3600 and 0 <= reruns <= 100):
        raise ValueError("timeout must be in (0, 600] s, settle in [0, 600] s, duration in (0, 3600] s, reruns <= 100")
    if not 0 <= think[0] <= think[1]:
        raise ValueError("think must be LO HI with 0 <= LO <= HI")
    deadline = (reruns + 1) * timeout + 30 if workload == "burst" else duration + timeout + 30
    spec = dict(link=link, reruns=reruns, timeout=timeout) if workload == "burst" else \
        dict(lessons=tuple(lessons), duration=duration, think=tuple(think), changes=changes, seed=seed,
             timeout=timeout)
    if start:
        with _server.started(tuple(server_args), env, server_log) as (started_url, started_pid):
            result = run_sync(measure(started_url, started_pid, workload, students, settle, deadline, **spec))
        return result | {"started": True}
    if url is None:
        raise ValueError("give a url, or start=True")
    _server.check_loopback(url)
    if not _server.healthy(url):
        raise RuntimeError(f"no healthy Streamlit server at {url}")
    pid = pid or _server.listening_pid(url)
    return run_sync(measure(url, pid, workload, students, settle, deadline, **spec)) | {"started": False}


def _mb(value: int | None) -> str:
    return "n/a" if value is None else f"{value / MB:,.0f} MB"


def report(r: dict) -> str:
    """The figures of run_load, in a few lines."""
    spec, students = r["spec"], f"{r['students']} student" + "s" * (r["students"] != 1)
    what = (f"{students} on {spec['link']}, opened at once, then rerun {spec['reruns']} times each"
            if r["workload"] == "burst" else
            f"{students} for {spec['duration']:g} s on {', '.join(x['page'] for x in spec['lessons'])}, "
            f"a control changed {spec['think'][0]:g}-{spec['think'][1]:g} s after each answer")
    lines = [f"{r['workload']}: {what}",
             f"server {r['url']} ({'started here' if r['started'] else 'running'}, pid {r['pid'] or 'not found'}); "
             f"{r['cores']} cores, load average {r['load_average'][0]:.2f} before, {r['load_average'][1]:.2f} after",
             f"  {'request (seconds)':<34}{'n':>5}{'p50':>8}{'p95':>8}{'max':>8}"]
    lines += [f"  {kind:<34}{s['n']:>5}{s['p50']:>8.2f}{s['p95']:>8.2f}{s['max']:>8.2f}"
              for kind, s in r["kinds"].items()]
    expected = f" of {r['expected']}" if r["expected"] else ""
    connect = f"; connecting took {r['connect']:.1f} s before" if r["workload"] == "burst" else ""
    lines.append(f"completed {r['completed']}{expected} requests in {r['wall']:.1f} s ({r['throughput']:.2f}/s, "
                 f"{r['received'] / MB:.1f} MB received{connect})")
    lines.append(f"errors: {r['errors']}" + "".join(f"\n  {m}" for m in r["error_messages"]))
    for name, what in (("rss", "RSS"), ("pss", "PSS (shared pages once)")):
        lines.append(f"server {what}: before {_mb(r[name + '_before'])}, peak {_mb(r[name + '_peak'])}, "
                     f"{r['settle']:g} s after the sessions closed {_mb(r[name + '_after'])}")
    cpu, wall = r["cpu_server"], r["cpu_wall"]
    lines.append("server CPU: " + ("n/a" if cpu is None else
                                   f"{cpu:.1f} s in {wall:.1f} s ({100 * cpu / max(wall, 1e-9):.0f}% of one core)")
                 + f"; this client {r['cpu_client']:.1f} s")
    return "\n".join(lines)


def cli(argv: list[str] | None = None) -> int:
    """The command line (not `main`: `python -m bench` runs every bench module's main(report))."""
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="a running server on loopback, e.g. http://127.0.0.1:8501")
    where.add_argument("--start", action="store_true",
                       help="start `streamlit run app.py` on a free port, stop it after")
    p.add_argument("--workload", choices=("burst", "class"), default="burst")
    p.add_argument("--students", type=int, default=10, help=f"sessions (1-{MAX_STUDENTS}; default 10)")
    p.add_argument("--link", default="/weight_init?reveal=1",
                   help="burst: the link everyone opens (default /weight_init?reveal=1: past the question)")
    p.add_argument("--reruns", type=int, default=2, help="burst: reruns after opening (default 2)")
    p.add_argument("--duration", type=float, default=180.0, help="class: seconds (default 180)")
    p.add_argument("--think", type=float, nargs=2, default=(10.0, 20.0), metavar=("LO", "HI"),
                   help="class: seconds between a student's requests, uniform (default 10 20)")
    p.add_argument("--changes", type=int, default=3, help="class: changes per lesson before the next (default 3)")
    p.add_argument("--seed", type=int, default=0, help="class: seed of think times and values (default 0)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds one request may take (default 60)")
    p.add_argument("--settle", type=float, default=60.0, help="seconds after the sessions close before RSS is read")
    p.add_argument("--pid", type=int, help="--url: the server's process (default: the one listening on the port)")
    p.add_argument("--server-arg", action="append", default=[], help="--start: an argument for `streamlit run`")
    p.add_argument("--server-log", help="--start: write the server's output (its tracebacks) to this file")
    p.add_argument("--json", help="also write every figure and request to this file")
    a = p.parse_args(argv)
    try:
        result = run_load(a.url, start=a.start, workload=a.workload, students=a.students, link=a.link,
                          reruns=a.reruns, duration=a.duration, think=tuple(a.think), changes=a.changes,
                          seed=a.seed, timeout=a.timeout, settle=a.settle, pid=a.pid, server_args=a.server_arg,
                          server_log=a.server_log)
    except (ValueError, RuntimeError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(report(result))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=1)
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(cli())
