"""Shared test set-up: the repository root on sys.path, torch's threads, and no silent skips in CI.

NNLAB_TORCH_THREADS, when set, sets torch's intra-op threads for the whole test process, as the app's
`configure_torch` does for a served app: unit tests, page tests and (inherited by the `streamlit run` they
start) browser tests all run with that many threads. `.ci/run` runs the numeric tests with 1 and with 2.

With CI=true (as `bash .ci/run` runs), a skipped test or a skipped module (a missing browser, a missing
dependency, a `pytest.skip` in a fixture) is reported as a FAILURE: a green CI must mean every test ran.
Expected failures (xfail) are left alone.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser import ARTIFACTS, browser, page  # noqa: E402,F401  (one real browser for tests/e2e and tests/deploy)


# Lessons run on open in the tests, as before questions existed; tests/e2e/test_predict.py asks with ?predict=1.
# (Set here, so the AppTest pages and every server the tests start inherit it.)
os.environ.setdefault("NNLAB_PREDICT", "off")


def torch_threads(environ=os.environ) -> int | None:
    """The thread count NNLAB_TORCH_THREADS asks for, or None when it is not set."""
    text = environ.get("NNLAB_TORCH_THREADS", "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise pytest.UsageError(f"NNLAB_TORCH_THREADS must be a whole number >= 1 (got {text!r})")
    return int(text)


def pytest_configure(config) -> None:
    if not hasattr(config, "workerinput") and _starts_servers(config):   # once, before pytest-xdist's workers start
        for old in ARTIFACTS.glob("*.log"):   # server logs of earlier runs go; screenshots are overwritten
            old.unlink(missing_ok=True)
    threads = torch_threads()
    if threads is not None:  # torch is imported only when asked: tests that do not need it stay fast
        import torch
        torch.set_num_threads(threads)


def _starts_servers(config) -> bool:
    """Whether this run may start the browser tests' servers: a path in or above tests/e2e or tests/deploy (CI's
    second pass, tests/nncore and tests/pages, keeps the first pass's server logs)."""
    homes = [ROOT / "tests" / "e2e", ROOT / "tests" / "deploy"]
    paths = [Path(arg.split("::")[0]).resolve() for arg in config.args] or [ROOT]
    return any(path == home or path in home.parents or home in path.parents for path in paths for home in homes)


def pytest_report_header(config) -> str:
    threads = torch_threads()
    return (f"NNLAB_TORCH_THREADS={threads}: torch uses {threads} intra-op thread(s)" if threads is not None
            else "NNLAB_TORCH_THREADS not set: torch keeps its default thread count")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


def _fail_skip(report, what: str) -> None:
    report.outcome = "failed"
    report.longrepr = (f"{what} was skipped, and skips are failures when CI=true "
                       f"(install what is missing; see scripts/run_tests.sh): {_skip_reason(report)}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if in_ci() and report.skipped and not hasattr(report, "wasxfail"):
        _fail_skip(report, f"test {item.nodeid}")
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    report = yield
    if in_ci() and report.skipped:
        _fail_skip(report, f"module {collector.nodeid}")
    return report
