"""Chart of the learning-rate-schedules lesson: the lr each schedule sets, step by step, overlaid."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.i18n import _
from nncore.viz.schedules import CUT, MAX_POINTS, thin
from nncore.viz.theme import color, finish, log_axis

if TYPE_CHECKING:
    from nncore.experiments.lr_schedules import Result


def lr_schedules(r: "Result", log_y: bool = False) -> go.Figure:
    """The lr of each schedule at each step, overlaid; plateau cuts marked; a second panel for batch growth."""
    grows = bool(np.any(r.batch != 1))
    fig = make_subplots(rows=2 if grows else 1, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        row_heights=[0.7, 0.3] if grows else None)
    shape = "hv" if r.lr.shape[1] <= MAX_POINTS else "linear"  # thinned curves keep their jumps as points
    for i, (label, lr) in enumerate(zip(r.labels, r.lr)):
        idx = thin(lr)
        fig.add_trace(go.Scatter(x=idx, y=lr[idx], mode="lines", name=label, legendgroup=str(i),
                                 line=dict(color=color(i), width=2.5, shape=shape),
                                 hovertemplate=_("step %{x}<br>lr %{y:.4g}") + "<extra>" + label + "</extra>"),
                      row=1, col=1)
        cut = r.cuts[i]
        if len(cut):
            fig.add_trace(go.Scatter(x=cut, y=lr[cut], mode="markers", name=f"{label}: cut", legendgroup=str(i),
                                     marker=dict(color=color(i), **CUT), showlegend=False,
                                     hovertemplate=_("plateau cut at step %{x}<br>lr → %{y:.4g}")
                                     + "<extra></extra>"),
                          row=1, col=1)
        if grows and np.any(r.batch[i] != 1):
            fig.add_trace(go.Scatter(x=idx, y=r.batch[i][idx], mode="lines", name=f"{label}: batch",
                                     legendgroup=str(i), showlegend=False, line=dict(color=color(i), shape=shape)),
                          row=2, col=1)
    finish(fig, height=480 if grows else 420,
           title=_("How does each schedule set the learning rate, step by step?"))
    fig.update_yaxes(title_text=_("learning rate (log)") if log_y else _("learning rate"), exponentformat="power",
                     row=1, col=1)
    if log_y:
        log_axis(fig, r.lr, row=1, col=1)
    fig.update_xaxes(title_text=_("step (epoch or batch)"), row=2 if grows else 1, col=1)
    if grows:
        fig.update_yaxes(title_text="batch × B₀", type="log", dtick=1, row=2, col=1)
    return fig
