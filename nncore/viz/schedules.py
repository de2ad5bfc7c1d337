"""What the learning-rate lessons' charts share: thinning of long lr curves with their jumps kept, inf drawn as a gap,
and the marker of a plateau cut."""
from __future__ import annotations

import numpy as np

MAX_POINTS = 1500   # per curve: a 10,000-step schedule is drawn from at most this many points (plus its jumps)
CUT = dict(symbol="triangle-down", size=12, line=dict(width=1, color="white"))


def thin(y: np.ndarray, max_points: int = MAX_POINTS) -> np.ndarray:
    """Indices to draw: evenly spaced ones, plus both sides of every jump (a step cut, a restart) so edges stay sharp."""
    n = len(y)
    if n <= max_points:
        return np.arange(n)
    even = np.linspace(0, n - 1, max_points // 2).round().astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.abs(np.diff(y)) / np.maximum(np.abs(y[:-1]), 1e-300)
    jumps = np.flatnonzero(rel > 0.05)[: max_points // 4]
    return np.unique(np.concatenate([even, jumps, jumps + 1]))


def finite(y: np.ndarray) -> np.ndarray:
    """inf -> NaN, so Plotly leaves a gap instead of failing to draw."""
    return np.where(np.isfinite(y), y, np.nan)
