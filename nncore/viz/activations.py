"""What the activation lessons' charts share: one colour (and dash) per activation on every chart, thinning of long
curves, shading of flat regions, and the note for curves that sit on 0."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from nncore.i18n import _
from nncore.viz.theme import PALETTE, color

ORDER = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "silu", "gelu", "prelu", "selu", "softplus", "maxout",
         "linear")
MAX_POINTS = 400


DASHED = ("leaky_relu",)   # ReLU's twin: often on the same curve, dashed so the ReLU colour shows through the gaps


def style(name: str) -> dict:
    """A fixed colour per activation; Leaky ReLU and the names past the palette get a dashed line."""
    i = ORDER.index(name) if name in ORDER else len(ORDER)
    return dict(color=color(i), dash="solid" if i < len(PALETTE) and name not in DASHED else "dash", width=2.5)


def at_zero(labels: list[str], values: list[np.ndarray], what: str | None = None) -> str:
    """'0% all along: A, B' for the curves that never leave 0 (drawn on top of each other), or ''; `what`, a
    translated phrase, in place of '0% all along'."""
    flat = [label for label, v in zip(labels, values) if np.all(np.nan_to_num(np.asarray(v, dtype=float)) == 0)]
    return _("{what}: {names}").format(what=what or _("0% all along"), names=", ".join(flat)) if len(flat) > 1 else ""


def thin(x: np.ndarray, *ys: np.ndarray):
    """At most MAX_POINTS points per curve (every k-th, the last one kept)."""
    step = max(1, int(np.ceil(len(x) / MAX_POINTS)))
    idx = np.unique(np.r_[np.arange(0, len(x), step), len(x) - 1])
    return (x[idx], *(y[idx] for y in ys))


def shade(fig: go.Figure, regions: np.ndarray, name: str, row=None, col=None) -> None:
    """Tint the x-ranges `regions` in the activation's colour (where its slope is flat)."""
    for lo, hi in regions:
        fig.add_vrect(x0=lo, x1=hi, fillcolor=style(name)["color"], opacity=0.08, line_width=0, row=row, col=col)
