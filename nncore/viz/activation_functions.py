"""Charts of the activation-functions lesson: f(x) and f'(x) of each activation, flat regions shaded."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from nncore.i18n import _, number
from nncore.viz.activations import shade, style, thin
from nncore.viz.theme import figure, mark_guess

if TYPE_CHECKING:
    from nncore.experiments.activation_functions import Result


def activation_curves(r: "Result") -> go.Figure:
    """f(x) of each chosen activation, with the regions where its slope is below the threshold shaded."""
    fig = figure(_("What does each activation do to its input?"), _("input x (pre-activation)"), _("output f(x)"),
                 height=460)
    for i, (name, label) in enumerate(zip(r.names, r.labels)):
        x, y = thin(r.x, r.values[i])
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=label, line=style(name)))
        shade(fig, r.regions[i], name)
    lo, hi = np.nanpercentile(r.values, [0, 100])
    fig.update_yaxes(range=[max(lo, -3.0) - 0.2, min(hi, r.config.x_max) + 0.2], zeroline=True, zerolinecolor="#999")
    fig.update_xaxes(zeroline=True, zerolinecolor="#999")
    return fig


def activation_slopes(r: "Result", guess: float | None = None) -> go.Figure:
    """f'(x) by autograd: where is it small (shaded), and how large can it be? With the student's `guess` of the
    sigmoid's largest slope marked at x = 0, where it peaks."""
    thr = r.config.threshold
    fig = figure(_("How much gradient does each activation pass? (shaded: |f'(x)| < {threshold})").format(
        threshold=number(thr, "g")), _("input x (pre-activation)"), _("local slope f'(x)"), height=460)
    for i, (name, label) in enumerate(zip(r.names, r.labels)):
        x, y = thin(r.x, r.slopes[i])
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=label, line=style(name)))
        shade(fig, r.regions[i], name)
    fig.add_hline(y=0.25, line=dict(color="#888", dash="dot"), annotation_text=_("{slope} = sigmoid's largest slope").format(slope=number(0.25)),
                  annotation_position="top left")
    lo, hi = float(np.nanmin(r.slopes)), float(np.nanmax(r.slopes))
    if guess is not None:
        mark_guess(fig, 0.0, guess)
        lo, hi = min(lo, guess), max(hi, guess)
    pad = 0.06 * (hi - lo or 1.0)   # curves at their largest slope stay off the frame
    fig.update_yaxes(range=[lo - pad, hi + pad])
    fig.update_xaxes(zeroline=True, zerolinecolor="#999")
    return fig
