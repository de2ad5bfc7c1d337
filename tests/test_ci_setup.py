"""The test set-up: NNLAB_TORCH_THREADS reaches torch in every test; .ci/run sets CI=true and runs 1 and 2 threads."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

INNER = '''
import os, torch
def test_threads():
    assert torch.get_num_threads() == int(os.environ["NNLAB_TORCH_THREADS"]), torch.get_num_threads()
'''


@pytest.mark.parametrize("threads", ["1", "3"])  # torch's own default cannot be both: one run would catch a no-op
def test_nnlab_torch_threads_sets_torch_for_the_whole_test_process(tmp_path, threads):
    (tmp_path / "test_inner.py").write_text(INNER)
    env = dict(os.environ, NNLAB_TORCH_THREADS=threads)
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "tests.conftest",
                           "--rootdir", str(tmp_path), str(tmp_path / "test_inner.py")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"NNLAB_TORCH_THREADS={threads}" in done.stdout   # the header says which count the run used


def test_a_bad_thread_count_stops_the_run_with_a_sentence():
    env = dict(os.environ, NNLAB_TORCH_THREADS="two")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--co",
                           "tests/test_ci_setup.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "NNLAB_TORCH_THREADS must be a whole number" in done.stdout + done.stderr


STUB = 'echo "CI=$CI threads=$NNLAB_TORCH_THREADS args=$*" >> calls.txt; exit "${STUB_RC:-0}"\n'


def _ci_run(tmp_path: Path, *args: str, **env: str) -> tuple[int, list[str]]:
    """Run .ci/run over a stub scripts/run_tests.sh that records what it was called with."""
    (tmp_path / ".ci").mkdir()
    (tmp_path / "scripts").mkdir()
    (tmp_path / ".ci" / "run").write_text((ROOT / ".ci" / "run").read_text())
    (tmp_path / "scripts" / "run_tests.sh").write_text(STUB)
    clean = {k: v for k, v in os.environ.items() if k not in ("CI", "NNLAB_TORCH_THREADS")}
    done = subprocess.run(["bash", ".ci/run", *args], cwd=tmp_path, env={**clean, **env}, capture_output=True,
                          text=True, timeout=60)
    return done.returncode, (tmp_path / "calls.txt").read_text().splitlines()


def test_ci_run_sets_ci_itself_and_runs_the_numeric_tests_again_with_the_other_thread_count(tmp_path):
    rc, calls = _ci_run(tmp_path)
    assert rc == 0
    assert calls == ["CI=true threads=2 args=", "CI=true threads=1 args=tests/nncore tests/pages"]


@pytest.mark.parametrize("given, other", [("1", "2"), ("2", "1")])
def test_ci_run_keeps_a_given_thread_count_for_the_whole_suite(tmp_path, given, other):
    rc, calls = _ci_run(tmp_path, NNLAB_TORCH_THREADS=given)
    assert rc == 0 and calls == [f"CI=true threads={given} args=", f"CI=true threads={other} args=tests/nncore tests/pages"]


def test_ci_run_fails_when_a_pass_fails_and_still_runs_both(tmp_path):
    rc, calls = _ci_run(tmp_path, STUB_RC="1")
    assert rc != 0 and len(calls) == 2


def test_ci_run_with_arguments_runs_them_once(tmp_path):
    rc, calls = _ci_run(tmp_path, "tests/nncore", "-x")
    assert rc == 0 and calls == ["CI=true threads=2 args=tests/nncore -x"]
