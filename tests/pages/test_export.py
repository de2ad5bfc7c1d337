"""Export (nncore.ui.export): a chart's CSV holds the Result's own numbers; the code panel's Python, run in a fresh
interpreter, reproduces the page's run."""
from __future__ import annotations

import csv
import dataclasses
import io
import pickle
import subprocess
import sys

import numpy as np
import plotly.graph_objects as go
import torch

from nncore import viz
from nncore.experiments import dropout, weight_init
from nncore.ui import export, text
from tests.pages.conftest import ROOT


def _rows(fig) -> list[dict]:
    return list(csv.DictReader(io.StringIO(export.figure_csv(fig))))


def _column(rows: list[dict], trace: str, col: str, panel: str = "") -> np.ndarray:
    return np.array([float(r[col]) for r in rows if r["trace"] == trace and r["panel"].startswith(panel)])


def test_the_curves_csv_holds_the_results_arrays():
    cfg = dropout.Config(epochs=20)
    a = dropout.run(cfg)
    fig = text._keep("export-test", viz.curves([a, a], ["A", "B"]))    # as the page shows it: typed arrays
    rows = _rows(fig)
    assert list(rows[0]) == list(export.COLUMNS)
    panels = list(dict.fromkeys(r["panel"] for r in rows))
    loss = next(p for p in panels if "loss" in p.lower())
    np.testing.assert_array_equal(_column(rows, "A: training", "y", loss), np.asarray(a.history.train_loss, float))
    np.testing.assert_array_equal(_column(rows, "A: validation", "y", loss), np.asarray(a.history.val_loss, float))
    np.testing.assert_array_equal(_column(rows, "A: training", "x", loss), np.asarray(a.history.epoch, float))


def test_a_heatmap_is_one_row_per_cell_and_an_animation_one_block_per_frame():
    z = np.arange(6.0).reshape(2, 3)
    fig = go.Figure(go.Heatmap(z=z, x=[10, 20, 30], y=[1, 2], name="h"),
                    frames=[go.Frame(name="step 1", data=[go.Scatter(x=[0, 1], y=[5, 6], name="s")])])
    rows = _rows(fig)
    cells = [r for r in rows if r["trace"] == "h"]
    assert [(float(r["x"]), float(r["y"]), float(r["z"])) for r in cells][:4] == [(10, 1, 0), (20, 1, 1), (30, 1, 2),
                                                                                  (10, 2, 3)]
    assert [(r["frame"], float(r["y"])) for r in rows if r["trace"] == "s"] == [("step 1", 5.0), ("step 1", 6.0)]


SNIPPET_RUNS = [(weight_init.run, weight_init.Config(depth=6, activation="relu")),
                (dropout.run, dropout.Config(hidden=(32, 32), dropout=0.3, epochs=15))]


def _same(ours, theirs, where="result") -> None:
    """Equal numbers all the way down: arrays and tensors element by element, dataclasses field by field (but the
    wall-clock times)."""
    if isinstance(ours, torch.Tensor | np.ndarray):
        np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs), err_msg=where)
    elif dataclasses.is_dataclass(ours):
        for f in (f for f in dataclasses.fields(ours) if "time" not in f.name and f.name != "seconds"):
            _same(getattr(ours, f.name), getattr(theirs, f.name), f"{where}.{f.name}")
    elif isinstance(ours, dict):
        assert ours.keys() == theirs.keys(), where
        for k in ours:
            _same(ours[k], theirs[k], f"{where}[{k!r}]")
    elif isinstance(ours, list | tuple):
        assert len(ours) == len(theirs), where
        for i, (a, b) in enumerate(zip(ours, theirs)):
            _same(a, b, f"{where}[{i}]")
    elif isinstance(ours, float | int | str | bool | type(None)):
        assert ours == theirs or (ours != ours and theirs != theirs), where   # nan equals nan here


def test_the_code_panels_snippets_reproduce_the_runs_in_a_fresh_interpreter():
    """Each snippet in one subprocess with this process's thread count: its numbers equal a run here."""
    program = ["import pickle, sys, torch", f"torch.set_num_threads({torch.get_num_threads()})", "out = []"]
    for fn, cfg in SNIPPET_RUNS:
        program += [export.snippet(fn, cfg), "out.append(result)"]
    program.append("pickle.dump(out, sys.stdout.buffer)")
    done = subprocess.run([sys.executable, "-c", "\n".join(program)], cwd=ROOT, capture_output=True, timeout=300,
                          check=True)
    for (fn, cfg), theirs in zip(SNIPPET_RUNS, pickle.loads(done.stdout)):
        _same(fn(cfg), theirs, export.snippet(fn, cfg))
