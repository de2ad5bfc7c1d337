"""Export (nncore.ui.export): what the code panel costs on each rerun (filling the plain PyTorch templates), and how
long each plain snippet takes against nncore's run of the same default config (a student runs it at home)."""
from __future__ import annotations

import contextlib
import io

import torch

from bench._common import Report, best_of, best_of_each, ms
from nncore.experiments import (activation_functions, dropout, lr_schedules, optimizer_race, softmax_output,
                                weight_init)
from nncore.experiments.gradient_flow import depth as gradient_depth
from nncore.ui import export

RUNS = [activation_functions.run, dropout.run, gradient_depth.run, lr_schedules.run, optimizer_race.run,
        softmax_output.run, weight_init.run]


def _plain_run(code: str):
    """Run a plain snippet as a script would, its printout swallowed (and the thread count it may set, restored)."""
    def go():
        threads = torch.get_num_threads()
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(code, "plain", "exec"), {})
        torch.set_num_threads(threads)
    return go


def main(report: Report) -> None:
    configs = [(fn, __import__(fn.__module__, fromlist=["Config"]).Config()) for fn in RUNS]
    fill = best_of(lambda: [export.plain(fn, cfg) for fn, cfg in configs], repeat=20)
    report.goal(f"fill all {len(configs)} templates (every rerun of a page)", ms(fill), "< 5 ms", fill < 5e-3)
    for fn, cfg in configs:
        name = export.template(fn).stem
        theirs, ours = best_of_each([_plain_run(export.plain(fn, cfg)), lambda: fn(cfg)], repeat=2)
        report.figure(f"{name}: plain snippet / nncore run", f"{ms(theirs)} / {ms(ours)}")
