"""Charts of the data-assessment lesson: the shift score of every feature, and 000's histograms of the training
set against the blind set, in raw units or standardized with the training statistics."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.i18n import _, number
from nncore.viz.theme import color, figure, finish

if TYPE_CHECKING:
    from nncore.experiments.data_assessment import Result

COLS = 4


def shift_scores(r: "Result") -> go.Figure:
    """KS statistic per feature, largest first, beside the score after standardizing each set on its own."""
    order = np.argsort(r.ks)                        # Plotly draws the first bar at the bottom
    names = [r.features[i] for i in order]
    fig = figure(_("Which features differ between the training and the blind set?"),
                 _("shift score: two-sample KS statistic (0 = same, 1 = disjoint)"), "")
    fig.add_trace(go.Bar(y=names, x=np.round(r.ks[order], 4), orientation="h", marker_color=color(0),
                         name=_("raw, or standardized with the training statistics (the same score)")))
    fig.add_trace(go.Bar(y=names, x=np.round(r.ks_own[order], 4), orientation="h", marker_color=color(1),
                         name=_("each set standardized with its own statistics (hides the shift)")))
    fig.add_trace(go.Scatter(x=[r.critical] * 2, y=[names[0], names[-1]], mode="lines",
                             line=dict(color="#666", dash="dash"), name=_("5% line: {critical}").format(critical=number(r.critical, ".3f"))))
    fig.update_xaxes(range=[0, 1.05])
    return finish(fig, title=_("Which features differ between the training and the blind set?"), barmode="group",
                  height=520)


def feature_histograms(r: "Result", standardized: bool = False) -> go.Figure:
    """Each feature's density in both sets on shared bins (000's figures), optionally in training-std units."""
    n = len(r.features)
    rows = -(-n // COLS)
    fig = make_subplots(rows=rows, cols=COLS, horizontal_spacing=0.05, vertical_spacing=0.2,
                        subplot_titles=[f"{name}<br>KS {number(ks, '.2f')}" for name, ks in zip(r.features, r.ks)])
    for j in range(n):
        edges, scale = r.edges[j], 1.0
        if standardized:
            edges, scale = (edges - r.train_mean[j]) / r.train_std[j], r.train_std[j]
        for k, (hist, name) in enumerate([(r.train_hist[j], _("training set ({n})").format(n=number(r.n_train, ","))),
                                          (r.blind_hist[j], _("blind set ({n})").format(n=number(r.n_blind, ",")))]):
            fig.add_trace(go.Scatter(x=np.round(edges, 4), y=np.round(np.r_[hist, hist[-1]] * scale, 5),
                                     mode="lines", line=dict(color=color(k), shape="hv", width=2),
                                     fill="tozeroy", name=name, legendgroup=name, showlegend=j == 0),
                          row=j // COLS + 1, col=j % COLS + 1)
    axis = (_("feature value, in training standard deviations") if standardized
            else _("feature value, in the csv's units"))
    fig.update_yaxes(showticklabels=False)
    fig.update_yaxes(title_text=_("density"), row=1, col=1)
    fig.add_annotation(text=axis, xref="paper", yref="paper", x=0.5, y=-0.06,
                       showarrow=False, yanchor="top")
    title = (_("After standardizing with the training statistics: is the blind set still elsewhere?") if standardized
             else _("Does the blind set look like the training set?"))
    return finish(fig, title=title, height=240 * rows + 180)
