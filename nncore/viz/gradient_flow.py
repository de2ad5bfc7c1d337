"""Charts of the gradient-flow lesson: the gradient through a deep stack, the layers' local slopes, and the
zig-zag of SGD when a neuron's inputs are all positive."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.i18n import _, number
from nncore.viz.activations import style
from nncore.viz.theme import color, figure, finish, log_axis

if TYPE_CHECKING:
    from nncore.experiments.gradient_flow import depth, zigzag


def gradient_through_depth(r: "depth.Result") -> go.Figure:
    """Size of the gradient reaching each layer (measured), and the product of the layers' factors (dotted)."""
    layers = np.arange(1, r.grad_rms.shape[1] + 1)
    fig = figure(_("How much of the gradient reaches each layer?"),
                 _("hidden layer (the gradient flows from right to left)"), _("rms gradient ÷ top layer's (log)"),
                 height=480)
    for i, (name, label) in enumerate(zip(r.names, r.labels)):
        measured = np.where(r.grad_rms[i] > 0, r.grad_rms[i], np.nan)
        fig.add_trace(go.Scatter(x=layers, y=measured, mode="lines+markers", name=label,
                                 hovertemplate=_("layer %{x}: %{y:.3g}") + "<extra>" +
                                 _("{name}, measured (autograd)").format(name=label) + "</extra>",
                                 line=style(name), legendgroup=name))
        fig.add_trace(go.Scatter(x=layers, y=r.slope_product[i], mode="lines",
                                 name=_("{name}: product of factors").format(name=label),
                                 line={**style(name), "dash": "dot", "width": 1.5}, legendgroup=name,
                                 showlegend=False))
    # one legend entry for the style shared by every dotted line (eight entries filled half the chart at 1024 px)
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=_("dotted: product of the layers' factors"),
                             line=dict(color="#666", dash="dot", width=1.5), hoverinfo="skip"))
    fig.update_yaxes(type="log", exponentformat="power")
    return fig


def local_slopes(r: "depth.Result") -> go.Figure:
    """The mean local derivative |f'(z)| in every layer: the factor each layer multiplies the gradient by."""
    layers = np.arange(1, r.mean_slope.shape[1] + 1)
    fig = figure(_("What is the typical local slope f'(z) in each layer?"), _("hidden layer"), _("mean |f'(z)|"),
                 height=400)
    for i, (name, label) in enumerate(zip(r.names, r.labels)):
        fig.add_trace(go.Scatter(x=layers, y=r.mean_slope[i], mode="lines+markers", name=label, line=style(name)))
    fig.add_hline(y=0.25, line=dict(color="#888", dash="dot"), annotation_text=number(0.25),
                  annotation_position="top left")
    fig.update_yaxes(rangemode="tozero")
    return fig


def zigzag_paths(r: "zigzag.Result") -> go.Figure:
    """The weight path of SGD over the loss contours, all-positive inputs beside zero-centered ones."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=[_(c).capitalize() for c in r.cases], shared_yaxes=True,
                        horizontal_spacing=0.06)
    target = (r.config.target_w1, r.config.target_w2)
    for k in range(2):
        levels = np.log10(r.surface[k] + 1e-6)
        fig.add_trace(go.Contour(x=r.grid_w1, y=r.grid_w2, z=levels, showscale=False, ncontours=18,
                                 colorscale="Greys", reversescale=True, contours=dict(coloring="lines"),
                                 hoverinfo="skip"), row=1, col=k + 1)
        path = r.paths[k]
        fig.add_trace(go.Scatter(x=path[:, 0], y=path[:, 1], mode="lines+markers",
                                 name=_("SGD path") if k == 0 else None,
                                 showlegend=k == 0, line=dict(color=color(5), width=2), marker=dict(size=4),
                                 hovertemplate="w1 %{x:.3f}<br>w2 %{y:.3f}<extra></extra>"), row=1, col=k + 1)
        fig.add_trace(go.Scatter(x=[target[0]], y=[target[1]], mode="markers", name=_("target") if k == 0 else None,
                                 showlegend=k == 0, marker=dict(symbol="star", size=16, color=color(2))),
                      row=1, col=k + 1)
        fig.add_trace(go.Scatter(x=[0], y=[0], mode="markers", name=_("start") if k == 0 else None, showlegend=k == 0,
                                 marker=dict(size=10, color="#000")), row=1, col=k + 1)
        fig.update_xaxes(title_text="w1", range=[r.grid_w1[0], r.grid_w1[-1]], row=1, col=k + 1)
    fig.update_yaxes(title_text="w2", range=[r.grid_w2[0], r.grid_w2[-1]], row=1, col=1)
    finish(fig, height=460, title=_("Which way can each SGD step go? (contours: log of the loss)"))
    return fig


def zigzag_loss(r: "zigzag.Result") -> go.Figure:
    """Loss after each step for both cases."""
    fig = figure(_("How fast does the loss fall?"), _("SGD step"), _("mean squared error (log scale)"), height=400)
    steps = np.arange(r.losses.shape[1])
    for k, case in enumerate(r.cases):
        fig.add_trace(go.Scatter(x=steps, y=r.losses[k], mode="lines", name=_(case), line=dict(color=color(5 - 5 * k))))
    log_axis(fig, r.losses)
    return fig
