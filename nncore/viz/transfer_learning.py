"""Charts of the transfer-learning lesson: the three ways to learn 5-9 epoch by epoch, the ensemble against its
members, and the snapshot net's cycles."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.i18n import _, number
from nncore.viz.theme import color, figure, finish

if TYPE_CHECKING:
    from nncore.experiments.transfer_learning.ensembles import Result as Ensembles
    from nncore.experiments.transfer_learning.transfer import Result as Transfer

DASHES = {"frozen": "dash", "fine_tune": "solid", "scratch": "dot"}


def transfer_curves(r: "Transfer") -> go.Figure:
    """Validation accuracy on the held-out 5-9 per epoch: frozen, fine-tuned and from scratch side by side."""
    fig = figure(_("Does the 0-4 model help with {n} images per new digit?").format(n=r.config.per_class), _("epoch"),
                 _("validation accuracy (digits 5-9)"))
    epochs = np.arange(1, r.val_acc.shape[1] + 1)
    for i, m in enumerate(r.methods):   # the Result's English method names, shown translated
        name = f"{_(r.labels[i])}: {number(r.final_val_acc[i], '.1%')}"
        fig.add_trace(go.Scatter(x=epochs, y=r.val_acc[i], name=name,
                                 line=dict(color=color(i), width=3 if m == "fine_tune" else 2, dash=DASHES[m])))
    fig.update_yaxes(tickformat=".0%")
    return fig


def ensemble_members(r: "Ensembles") -> go.Figure:
    """Each member's validation accuracy as a bar, and the average of the first k members' probabilities as a line."""
    k = np.arange(1, len(r.member_acc) + 1)
    fig = figure(_("Does the average of the nets beat each of them?"), _("net (k)"), _("validation accuracy"))
    fig.add_trace(go.Bar(x=k, y=r.member_acc, name=_("each net alone"), marker_color=color(4),
                         text=[number(a, ".1%") for a in r.member_acc], textposition="inside",
                         insidetextanchor="end"))
    fig.add_trace(go.Scatter(x=k, y=r.ensemble_by_k, name=_("nets 1..k averaged"), mode="lines+markers",
                             line=dict(color=color(0), width=3)))
    fig.add_trace(go.Scatter(x=[k[0] - 0.4, k[-1] + 0.4], y=[r.member_acc.mean()] * 2, mode="lines",
                             name=_("the mean net: {acc}").format(acc=number(r.member_acc.mean(), ".1%")),
                             line=dict(color=color(7), dash="dot")))
    low, high = min(r.member_acc.min(), r.ensemble_by_k.min()), max(r.member_acc.max(), r.ensemble_by_k.max())
    pad = max(0.01, (high - low) * 0.5)
    fig.update_yaxes(range=[low - pad, min(1.0, high + pad)], tickformat=".1%")
    fig.update_xaxes(dtick=1)
    return fig


def snapshot_cycles(r: "Ensembles") -> go.Figure:
    """The snapshot net's validation accuracy under its cyclic learning rate, the snapshots marked, their average."""
    epochs = np.arange(1, len(r.snapshot_curve) + 1)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.7, 0.3], vertical_spacing=0.08)
    fig.add_trace(go.Scatter(x=epochs, y=r.snapshot_curve, name=_("the net, each epoch"), line=dict(color=color(4))),
                  1, 1)
    fig.add_trace(go.Scatter(x=r.snapshot_epochs, y=r.snapshot_acc, name=_("snapshots (cycle ends)"), mode="markers",
                             marker=dict(color=color(1), size=11, symbol="diamond")), 1, 1)
    fig.add_trace(go.Scatter(x=[epochs[0], epochs[-1]], y=[r.snapshot_ensemble_acc] * 2, mode="lines",
                             name=_("snapshots averaged: {acc}").format(acc=number(r.snapshot_ensemble_acc, ".1%")),
                             line=dict(color=color(0), width=3, dash="dash")), 1, 1)
    fig.add_trace(go.Scatter(x=epochs, y=r.snapshot_lr, name=_("learning rate"), showlegend=False,
                             line=dict(color=color(5))), 2, 1)
    finish(fig, height=560, title=_("Do the snapshots of one cyclic run add up to an ensemble?"))
    after_first = r.snapshot_curve[r.cycle_epochs - 1:]   # zoomed on the snapshots: the first epochs climb from ~10%
    low = min(np.nanmin(after_first), r.snapshot_acc.min(), r.snapshot_ensemble_acc) if len(r.snapshot_acc) else 0.0
    high = np.nanmax(np.append(r.snapshot_curve, r.snapshot_ensemble_acc))
    pad = max(0.01, (high - low) * 0.15)
    fig.update_yaxes(title_text=_("validation accuracy"), tickformat=".1%", range=[low - pad, min(1.0, high + pad)],
                     row=1, col=1)
    fig.update_yaxes(title_text=_("learning rate"), rangemode="tozero", row=2, col=1)
    fig.update_xaxes(title_text=_("epoch"), row=2, col=1)
    return fig
