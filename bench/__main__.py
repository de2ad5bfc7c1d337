"""`python -m bench` runs every benchmark module in bench/ (a bench/*.py with a main(report)); `python -m bench
weight_init` runs one. Each prints its figures and ratios, the goal next to each, PASS or MISS. Timings are
best-of-N after a warm-up on whatever else the machine is doing: read them as measured, not as guarantees."""
from __future__ import annotations

import importlib
import os
import platform
import sys
from pathlib import Path

from bench._common import Report

HERE = Path(__file__).resolve().parent


def discover() -> list[str]:
    """Benchmark modules: bench/*.py except the package's own files (leading underscore)."""
    return sorted(p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_"))


def main(argv: list[str]) -> int:
    names = argv or discover()
    unknown = [n for n in names if n not in discover()]
    if unknown:
        print(f"unknown benchmark(s) {', '.join(unknown)}; available: {', '.join(discover())}", file=sys.stderr)
        return 2
    import torch  # noqa: F401  (imported once, before any timing)
    print(f"python {platform.python_version()}, torch {torch.__version__}, {os.cpu_count()} cores, "
          f"{torch.get_num_threads()} torch threads, load average {os.getloadavg()[0]:.2f} (1 min)")
    reports = []
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        if not hasattr(module, "main"):
            continue
        print(f"\n== {name}: {(module.__doc__ or '').strip().splitlines()[0]}")
        report = Report(name)
        module.main(report)
        reports.append(report)
    goals, misses = sum(r.goals for r in reports), sum(r.misses for r in reports)
    print(f"\n{goals - misses} of {goals} goals met"
          + (f"; MISS in {', '.join(r.name for r in reports if r.misses)}" if misses else "")
          + f" (load average now {os.getloadavg()[0]:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
