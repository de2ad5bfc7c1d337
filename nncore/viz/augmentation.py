"""Chart of the augmentation lesson: digits and their shifted and rotated copies."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from nncore.i18n import _
from nncore.viz.theme import figure


def digit_gallery(images: np.ndarray) -> go.Figure:
    """Rows of digits: the original, then augmented copies (shifted and rotated), as one tiled image."""
    rows, cols = images.shape[:2]
    tile = np.full((rows * 9 - 1, cols * 9 - 1), np.nan)
    for i in range(rows):
        for j in range(cols):
            tile[i * 9:i * 9 + 8, j * 9:j * 9 + 8] = images[i, j]
    fig = figure(_("The same digit, shifted and rotated: still the same label"), "", "")
    fig.add_trace(go.Heatmap(z=np.round(tile, 1), colorscale="Greys", zmin=0, zmax=16, showscale=False,
                             hoverinfo="skip"))
    fig.update_xaxes(showticklabels=False, showgrid=False, tickvals=[4 + 9 * j for j in range(cols)],
                     ticktext=[_("original")] + [_("copy {n}").format(n=j) for j in range(1, cols)])
    fig.update_xaxes(showticklabels=True)
    fig.update_yaxes(showticklabels=False, showgrid=False, autorange="reversed", scaleanchor="x")
    fig.update_layout(height=80 * rows + 120, margin=dict(l=20, r=20, t=70, b=40))
    return fig
