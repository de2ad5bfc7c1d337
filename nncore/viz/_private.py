"""The private part of Plotly the charts use, in this one place, because Plotly has no public equivalent.

tests/test_private_apis.py fails if a Plotly upgrade removes or changes it: then replace it here and nowhere else.
"""
from __future__ import annotations

import plotly.graph_objects as go


def grid_shape(fig: go.Figure) -> tuple[int, int] | None:
    """(rows, columns) of a figure made by make_subplots, None for a plain go.Figure (its `_grid_ref`)."""
    grid = fig._grid_ref
    return None if grid is None else (len(grid), len(grid[0]))
