"""Charts of the universal-approximation lesson: 001's six ReLU units and their sum Z(x); a one-hidden-layer fit with
each hidden unit's piece, its error and its training loss."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.i18n import _
from nncore.viz.regularization import thin
from nncore.viz.theme import color, figure, finish, log_axis

if TYPE_CHECKING:
    from nncore.experiments.universal_approximation import fit, relu_sum

TARGET, FIT, PIECE = "#000000", color(0), "rgba(110, 110, 110, 0.6)"


def relu_units(r: "relu_sum.Result") -> go.Figure:
    """Left: each signed unit ±n_i(x); right: their sum Z(x), a circle at every bend."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1,
                        subplot_titles=(_("each unit ±n_i(x)"), _("their sum Z(x)")))
    for i, (name, piece) in enumerate(zip(r.names, r.pieces)):
        fig.add_trace(go.Scatter(x=r.x, y=piece, mode="lines", name=name, line=dict(color=color(i), width=2.5),
                                 hovertemplate=f"{name}(%{{x:.3g}}) = %{{y:.3g}}<extra></extra>"), row=1, col=1)
    fig.add_trace(go.Scatter(x=r.x, y=r.z, mode="lines", name="Z(x)", line=dict(color=TARGET, width=3),
                             hovertemplate="Z(%{x:.3g}) = %{y:.3g}<extra></extra>"), row=1, col=2)
    fig.add_trace(go.Scatter(x=r.bends, y=np.interp(r.bends, r.x, r.z), mode="markers", name=_("bends"),
                             marker=dict(color=TARGET, size=9, symbol="circle-open", line=dict(width=2)),
                             hovertemplate=_("bend at x = %{x:.3g}") + "<extra></extra>"), row=1, col=2)
    fig.update_xaxes(title_text="x")
    fig.update_yaxes(title_text="±n_i(x)", row=1, col=1)
    fig.update_yaxes(title_text="Z(x)", row=1, col=2)
    return finish(fig, height=440, title=_("How do six ReLU hinges add up to Z(x)?"))


def _joined(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Many short lines as one trace: rows joined with a NaN gap between them (one trace draws far faster than 128)."""
    gap = np.full((len(xs), 1), np.nan)
    return np.hstack([xs, gap]).ravel(), np.hstack([ys, gap]).ravel()


def approximation_fit(r: "fit.Result") -> go.Figure:
    """Top: the function, the fit and every hidden unit's piece; bottom: |fit − function|, its largest marked."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1, row_heights=[0.7, 0.3],
                        subplot_titles=(_("the function, the fit, and each unit's piece v·Relu(w x + b)"),
                                        _("error |fit − function|")))
    px, py = _joined(r.pieces_x, r.pieces_y)
    fig.add_trace(go.Scatter(x=px, y=py, mode="lines", name=_("{n} units' pieces").format(n=r.config.width),
                             line=dict(color=PIECE, width=1), hoverinfo="skip"), row=1, col=1)
    fig.add_trace(go.Scatter(x=r.x, y=r.target, mode="lines", name=_("function"),
                             line=dict(color=TARGET, dash="dash", width=2)), row=1, col=1)
    fig.add_trace(go.Scatter(x=r.x, y=r.fit, mode="lines", name=_("fit: bias + the sum of the pieces"),
                             line=dict(color=FIT, width=3)), row=1, col=1)
    if len(r.points):
        fig.add_trace(go.Scatter(x=r.points[:, 0], y=r.points[:, 1], mode="markers", name=_("your points"),
                                 marker=dict(color=TARGET, size=8)), row=1, col=1)
    fig.add_trace(go.Scatter(x=r.x, y=r.error, mode="lines", name=_("error"), showlegend=False,
                             line=dict(color=color(5), width=2)), row=2, col=1)
    fig.add_trace(go.Scatter(x=[r.worst_x], y=[r.max_error], mode="markers", name=_("largest error"),
                             marker=dict(color=color(5), size=10, symbol="x")), row=2, col=1)
    low, high = np.nanmin(r.target), np.nanmax(r.target)
    pad = 0.25 * (high - low or 1.0)          # the pieces may run far off: keep the function in view
    fig.update_yaxes(title_text="y", range=[low - pad, high + pad], row=1, col=1)
    fig.update_yaxes(title_text=_("|error|"), rangemode="tozero", row=2, col=1)
    fig.update_xaxes(title_text="x", row=2, col=1)
    return finish(fig, height=620, title=_("Can {n} ReLU hinges follow the function?").format(n=r.config.width))


def approximation_loss(r: "fit.Result") -> go.Figure:
    """The training loss of every step (thinned to a few hundred points), on a log axis."""
    fig = figure(_("Is the fit still improving?"), _("training step (full batch, Adam)"),
                 _("mean squared error (log)"), height=340)
    steps, loss = thin(np.arange(1, len(r.loss) + 1), r.loss)
    fig.add_trace(go.Scatter(x=steps, y=loss, mode="lines", name=_("training MSE"), line=dict(color=FIT, width=2)))
    log_axis(fig, r.loss)
    return fig
