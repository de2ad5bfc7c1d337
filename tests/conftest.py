"""Shared test set-up: the repository root on sys.path, and no silent skips in CI.

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
