"""Charts of the depth-vs-width lesson: each net's curves, and its final scores beside its parameter count."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.i18n import _, number
from nncore.viz.theme import color, finish

if TYPE_CHECKING:
    from nncore.experiments.depth_vs_width import Result


def depth_curves(r: "Result") -> go.Figure:
    """Training loss and validation accuracy per epoch, one colour per depth."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12,
                        subplot_titles=(_("training loss (cross-entropy)"), _("validation accuracy")))
    for i, net in enumerate(r.nets):
        epochs = np.arange(1, len(net.train_loss) + 1)
        for k, values in enumerate((net.train_loss, net.val_acc)):
            fig.add_trace(go.Scatter(x=epochs, y=values, mode="lines",
                                     name=f"{net.name} ({number(net.parameters, ',')})", legendgroup=net.name,
                                     showlegend=k == 0, line=dict(color=color(i), width=2.5),
                                     hovertemplate=f"{net.name}: " + _("epoch %{x}") + ", %{y:.3f}<extra></extra>"),
                          row=1, col=k + 1)
    fig.update_yaxes(rangemode="tozero", row=1, col=1)
    fig.update_yaxes(tickformat=".0%", row=1, col=2)
    fig.update_xaxes(title_text=_("epoch"))
    return finish(fig, height=460, title=_("Same parameter count: which depth learns best?"),
                  legend_title_text=_("hidden layers × units (parameters)"))


def depth_scores(r: "Result") -> go.Figure:
    """Final training and validation accuracy of each net, its parameter count under its name."""
    names = [f"{n.name}<br>" + _("{n} params").format(n=number(n.parameters, ",")) for n in r.nets]
    fig = go.Figure()
    for k, (label, attr) in enumerate(((_("training"), "final_train_acc"), (_("validation"), "final_val_acc"))):
        scores = [getattr(n, attr) for n in r.nets]
        fig.add_trace(go.Bar(x=names, y=scores, name=label, marker_color=color(k + 4), cliponaxis=False,
                             text=[number(s, ".1%") if np.isfinite(s) else _("diverged") for s in scores],
                             textposition="outside", hovertemplate=f"%{{x}}: {label} %{{y:.1%}}<extra></extra>"))
    finite = [s for n in r.nets for s in (n.final_train_acc, n.final_val_acc) if np.isfinite(s)]
    low = min(finite, default=0.0)
    fig.update_yaxes(tickformat=".0%", range=[max(0.0, low - 0.1), 1.06], title_text=_("accuracy (final nets)"))
    fig.update_xaxes(title_text=_("hidden layers × units"))
    return finish(fig, height=420, title=_("Does depth pay at equal size? Final scores"),
                  title_subtitle_text=_("budget {budget} parameters, the same data and seed for every net").format(
                      budget=number(r.config.budget, ",")))
