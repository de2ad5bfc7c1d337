"""Chart of the schedule race: loss and accuracy per epoch under each schedule, with its lr beneath."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.i18n import _
from nncore.viz.schedules import CUT, finite
from nncore.viz.theme import color, finish

if TYPE_CHECKING:
    from nncore.experiments.schedule_race import Result


def schedule_race_curves(r: "Result") -> go.Figure:
    """Loss and accuracy per epoch for each schedule, with the lr it used aligned beneath on the same epoch axis."""
    grows = bool(np.nanmax(r.batch_size) > np.nanmin(r.batch_size))
    rows = 4 if grows else 3
    heights = [0.38, 0.22, 0.25, 0.15] if grows else [0.45, 0.25, 0.30]
    titles = [_("loss (solid: validation, dotted: training)"), _("validation accuracy"), _("learning rate (log)")]
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.05, row_heights=heights,
                        subplot_titles=titles + ([_("batch size")] if grows else []))
    for i in range(len(r.labels)):
        _add_schedule_run(fig, r, i, grows)
    _mark_divergences(fig, r)
    finish(fig, height=820 if grows else 740,
           title=_("Which schedule trains best — and what was its learning rate at each epoch?"))
    fig.update_yaxes(title_text=_("loss"), row=1, col=1)
    fig.update_yaxes(title_text=_("accuracy"), tickformat=".0%", row=2, col=1)
    fig.update_yaxes(title_text="lr", type="log", exponentformat="power", dtick=1, row=3, col=1)
    fig.update_xaxes(title_text=_("epoch"), row=rows, col=1)
    return fig


def _add_schedule_run(fig: go.Figure, r: "Result", i: int, grows: bool) -> None:
    """Run i's curves: losses (row 1), accuracy (2), learning rate with its plateau cuts (3), batch size (4)."""
    x, label = r.epoch, r.labels[i]
    style = dict(legendgroup=str(i), line=dict(color=color(i)))
    fig.add_trace(go.Scatter(x=x, y=finite(r.val_loss[i]), name=label, mode="lines", **style,
                             hovertemplate=_("epoch %{x}<br>val loss %{y:.4f}") + "<extra>" + label + "</extra>"),
                  1, 1)
    fig.add_trace(go.Scatter(x=x, y=finite(r.train_loss[i]), name=_("{run} (train)").format(run=label), mode="lines",
                             showlegend=False, legendgroup=str(i), line=dict(color=color(i), dash="dot", width=1.5),
                             hovertemplate=_("epoch %{x}<br>train loss %{y:.4f}") + "<extra>" + label + "</extra>"),
                  1, 1)
    fig.add_trace(go.Scatter(x=x, y=r.val_acc[i], mode="lines", showlegend=False, **style,
                             hovertemplate=_("epoch %{x}<br>val acc %{y:.1%}") + "<extra>" + label + "</extra>"),
                  2, 1)
    fig.add_trace(go.Scatter(x=x, y=r.lr[i], mode="lines+markers", marker=dict(size=3), showlegend=False,
                             **style, line_shape="hv",
                             hovertemplate=_("epoch %{x}<br>lr %{y:.4g}") + "<extra>" + label + "</extra>"), 3, 1)
    cut = np.asarray(r.cuts[i], dtype=int)
    if len(cut):
        fig.add_trace(go.Scatter(x=cut, y=r.lr[i][cut - 1], mode="markers", showlegend=False,
                                 marker=dict(color=color(i), **CUT), legendgroup=str(i),
                                 hovertemplate=_("plateau cut: from epoch %{x}, lr %{y:.4g}") + "<extra></extra>"),
                      3, 1)
        fig.add_trace(go.Scatter(x=cut, y=finite(r.val_loss[i][cut - 1]), mode="markers", showlegend=False,
                                 marker=dict(color=color(i), **CUT), legendgroup=str(i),
                                 hovertemplate=_("the rate was cut here") + "<extra></extra>"), 1, 1)
    if r.diverged_at[i] is not None:
        fig.add_vline(x=r.diverged_at[i], line=dict(color=color(i), dash="dash"), row=1, col=1)
    if grows:
        fig.add_trace(go.Scatter(x=x, y=r.batch_size[i], mode="lines", showlegend=False, **style,
                                 line_shape="hv"), 4, 1)


def _mark_divergences(fig: go.Figure, r: "Result") -> None:
    """One label per epoch at which runs diverged, naming them, stacked down the loss panel."""
    for k, epoch in enumerate(sorted({d for d in r.diverged_at if d is not None})):
        names = ", ".join(label for label, d in zip(r.labels, r.diverged_at) if d == epoch)
        fig.add_annotation(x=epoch, y=1 - 0.12 * k, yref="y domain", text=_("diverged (inf/NaN): {runs}").format(runs=names),
                           showarrow=False, xanchor="left", font=dict(color="#D55E00"), row=1, col=1)
