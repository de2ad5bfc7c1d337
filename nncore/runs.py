"""What experiments made of several runs share: per-epoch arrays padded with NaN where a run stopped early (so runs
stack into one array and charts leave a gap), one run's progress relayed to the whole, and one label per run."""
from __future__ import annotations

from typing import Callable, Iterable

import numpy as np

from nncore.progress import OnProgress, Progress, report


def padded(values, n: int, dtype=float) -> np.ndarray:
    """A per-epoch array of a run that may have stopped early, padded with NaN to `n` epochs."""
    out = np.full(n, np.nan)
    if values is not None:
        out[: len(values)] = values
    return out.astype(dtype) if dtype is not float else out


def relay(on_progress: OnProgress, offset: int, total: int, label: str) -> Callable[[Progress], bool]:
    """Progress of one run inside a batch of runs: its epochs counted after `offset`, its name in the message."""
    return lambda p: report(on_progress, offset + p.done, total, f"{label}: {p.message}")


def numbered(texts: Iterable[str]) -> tuple[str, ...]:
    """One label per run: a text that repeats an earlier one gets '#2', '#3', ... (legends and pickers tell them apart)."""
    out: list[str] = []
    for text in texts:
        label, n = text, 2
        while label in out:
            label, n = f"{text} #{n}", n + 1
        out.append(label)
    return tuple(out)
