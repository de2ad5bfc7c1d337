"""The server's own settings (issue 11): where they are set, and that every way of starting the server gets them."""
from __future__ import annotations

import gc
import subprocess
import tomllib
from pathlib import Path

from bench import _server
from nncore.ui import runner

ROOT = Path(__file__).resolve().parents[1]


def test_no_garbage_collection_after_every_script_run():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False


def test_start_up_objects_are_frozen_out_of_the_collector(monkeypatch):
    monkeypatch.setattr(runner, "_configured", False)
    monkeypatch.setenv("NNLAB_WORKERS", "0")
    gc.unfreeze()
    runner.configure_torch()
    # what the collector still walks (gc.get_objects) is a small part of what was alive after the imports
    assert gc.get_freeze_count() > 10 * len(gc.get_objects())


def test_run_app_and_the_load_test_give_the_server_scripts_server_env():
    env = _server.server_env()
    assert env["MALLOC_ARENA_MAX"] == "2"
    shown = subprocess.run(["bash", "-c", "set -a; source scripts/server.env; set +a; env"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.splitlines()
    assert {f"{k}={v}" for k, v in env.items()} <= set(shown)   # bash reads the file as _server does
    assert "source scripts/server.env" in (ROOT / "scripts" / "run_app.sh").read_text()
