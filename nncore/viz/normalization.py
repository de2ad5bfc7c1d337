"""Charts of the normalization lesson: the spread of each layer's activations, train vs eval mode on one batch,
and which numbers batch/layer/instance/group norm average over."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.i18n import _, number
from nncore.viz.theme import PALETTE, color, figure, finish

if TYPE_CHECKING:
    from nncore.experiments.normalization import NormAxes, Result


def activation_spread(runs: Sequence["Result"], names: Sequence[str]) -> go.Figure:
    """Std of each hidden layer's output at a few epochs during training, one panel per run (runs that diverged
    before the first snapshot are left out)."""
    names = [n for r, n in zip(runs, names) if len(r.act_std)]
    runs = [r for r in runs if len(r.act_std)]
    if not runs:
        return figure(_("No activation statistics: the runs stopped before the first snapshot"), _("epoch"), "std")
    fig = make_subplots(rows=1, cols=len(runs), subplot_titles=list(names), horizontal_spacing=0.08)
    for j, r in enumerate(runs, start=1):
        if np.isfinite(r.act_std).any() and np.nanmax(r.act_std) > 1e3:   # a blow-up would flatten the rest
            fig.update_yaxes(type="log", exponentformat="power", row=1, col=j)
        for layer in range(r.act_std.shape[1] if r.act_std.ndim == 2 else 0):
            q = r.act_quantiles[:, layer]
            fig.add_trace(go.Scatter(x=r.snapshot_epochs, y=r.act_std[:, layer], mode="lines+markers",
                                     name=_("layer {n}").format(n=layer + 1), legendgroup=str(layer), showlegend=j == 1,
                                     line=dict(color=color(layer)),
                                     customdata=np.round(q, 3),
                                     hovertemplate="std %{y:.3f}<br>5–95%%: %{customdata[0]} … %{customdata[4]}"),
                          row=1, col=j)
        fig.update_xaxes(title_text=_("epoch"), row=1, col=j)
    fig.update_yaxes(title_text=_("std of the layer's output"), row=1, col=1)
    return finish(fig, title=_("How spread out are each layer's activations during training?"), height=430)


def bn_train_eval(r: "Result") -> go.Figure:
    """One batch through the first batch-norm layer: its own mean/variance vs the running averages."""
    b = r.bn_batch
    if b is None:
        return figure(_("No batch norm in this run"), _("unit"), _("value"))
    units = np.arange(1, len(b["batch_mean"]) + 1)
    fig = make_subplots(rows=1, cols=2,
                        subplot_titles=(_("Mean of the unit's input"), _("Variance of the unit's input")))
    for col, key in ((1, "mean"), (2, "var")):
        fig.add_trace(go.Bar(x=units, y=b[f"batch_{key}"],
                             name=_("this batch of {n} (train mode)").format(n=b["batch"]),
                             marker_color=color(0), showlegend=col == 1), row=1, col=col)
        fig.add_trace(go.Bar(x=units, y=b[f"running_{key}"], name=_("running average (eval mode)"),
                             marker_color=color(1), showlegend=col == 1), row=1, col=col)
        fig.update_xaxes(title_text=_("unit of the first layer"), dtick=1, row=1, col=col)
    return finish(fig, title=_("Train mode normalizes with the batch's statistics, eval mode with running averages"),
                  height=430)


def norm_axes(na: "NormAxes") -> go.Figure:
    """The same (N, C, L) numbers four times: the outlined cells share one mean and std under each normalization."""
    n, c, length = na.x.shape
    kinds = [("batch", _("Batch norm")), ("layer", _("Layer norm")), ("instance", _("Instance norm")),
             ("group", _("Group norm ({n} groups)").format(n=na.groups))]
    fig = make_subplots(rows=1, cols=4, horizontal_spacing=0.03, shared_yaxes=True,
                        subplot_titles=[f"{label}<br><sup>" + _("mean {mean}, std {std}").format(
                                            mean=number(na.mean[k], ".2f"), std=number(na.std[k], ".2f")) + "</sup>"
                                        for k, label in kinds])
    flat = na.x.reshape(n, c * length)
    cols = np.arange(c * length)
    for j, (kind, label) in enumerate(kinds, start=1):
        fig.add_trace(go.Heatmap(z=np.round(flat, 2), x=cols, y=np.arange(n), colorscale="Greys", showscale=False,
                                 hovertemplate=_("sample %{y}, channel·position %{x}: %{z}") + "<extra></extra>"),
                      row=1, col=j)
        rows, cs = np.nonzero(na.members[kind].reshape(n, c * length))
        fig.add_trace(go.Scatter(x=cs, y=rows, mode="markers", showlegend=False, hoverinfo="skip",
                                 marker=dict(symbol="square", size=9, color=PALETTE[j - 1], opacity=0.85)),
                      row=1, col=j)
        for k in range(1, c):
            fig.add_vline(x=k * length - 0.5, line=dict(color="#bbbbbb", width=1), row=1, col=j)
        fig.update_xaxes(showticklabels=False, row=1, col=j)
    # one x-axis title for the four panels (four of them ran into each other in a narrow chart)
    fig.add_annotation(text=_("channel C × position L (every panel)"), xref="paper", yref="paper", x=0.5, y=0,
                       yanchor="top", yshift=-8, showarrow=False, font=dict(size=14))
    fig.update_yaxes(title_text=_("sample N"), autorange="reversed", dtick=1, row=1, col=1)
    return finish(fig, title=_("Which numbers share one mean and std? (coloured cells: the set of the first cell)"),
                  height=360)
