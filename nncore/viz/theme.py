"""One look for every chart: a colour-blind-safe palette (Okabe-Ito), large type for a projector, clean axes."""
from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

pio.templates["nnlab"] = go.layout.Template(layout=go.Layout(
    colorway=PALETTE,
    font=dict(size=15),
    title=dict(font=dict(size=19), x=0.0, xanchor="left"),
    plot_bgcolor="white",
    xaxis=dict(showgrid=True, gridcolor="#e5e5e5", zeroline=False, linecolor="#444", ticks="outside"),
    yaxis=dict(showgrid=True, gridcolor="#e5e5e5", zeroline=False, linecolor="#444", ticks="outside"),
    legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0.0),
    margin=dict(l=60, r=20, t=90, b=55),
    hoverlabel=dict(font_size=14),
))


def figure(title: str, x_title: str, y_title: str, **layout) -> go.Figure:
    """An empty figure in the lab's theme with its question as title and labelled axes."""
    fig = go.Figure()
    fig.update_layout(template="nnlab", title=title, xaxis_title=x_title, yaxis_title=y_title, **layout)
    return fig


def color(i: int) -> str:
    """The i-th colour of the palette."""
    return PALETTE[i % len(PALETTE)]
