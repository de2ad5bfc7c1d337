"""Charts of the weight-penalties lesson: the weights' histogram under each penalty, the regularization path."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.i18n import _, number
from nncore.viz.theme import color, figure, finish

if TYPE_CHECKING:
    from nncore.experiments.weight_penalties import PathResult, Result


def weight_histograms(runs: Sequence["Result"], names: Sequence[str], bins: int = 61) -> go.Figure:
    """Histogram of every weight (log counts), with the exactly-zero weights as their own bar."""
    title = _("How do the penalties reshape the weights?")
    fig = figure(title, _("weight value"), _("number of weights (log)"))
    span = max(float(np.quantile(np.abs(r.weights), 0.995)) for r in runs) or 1.0
    edges = np.linspace(-span, span, bins + 1)
    top = 1
    for i, (r, name) in enumerate(zip(runs, names)):
        nonzero = r.weights[r.weights != 0]
        counts, _edges = np.histogram(np.clip(nonzero, -span, span), edges)
        top = max(top, int(counts.max(initial=0)), r.zero_weights)
        # outlines, not bars: three overlaid translucent bar sets mixed into colours of their own
        floor = np.maximum(np.r_[counts, counts[-1]], 0.5)   # an empty bin drops below the axis, not out of the line
        fig.add_trace(go.Scatter(x=np.round(edges, 5), y=floor,
                                 name=_("{name} ({zeros} exactly 0)").format(name=name, zeros=number(r.zero_weights, ",")),
                                 mode="lines",
                                 line=dict(color=color(i), width=2.5 - 0.5 * i, shape="hv")))
        if r.zero_weights:
            fig.add_trace(go.Scatter(x=[0], y=[r.zero_weights], mode="markers+text",
                                     text=[f"{number(r.zero_weights, ',')} × 0"],
                                     textposition="top center", marker=dict(color=color(i), size=14, symbol="diamond"),
                                     name=_("{name}: weights exactly 0").format(name=name), showlegend=False))
    fig.update_yaxes(type="log", dtick=1, range=[np.log10(0.7), np.log10(4 * top)])
    return finish(fig, title=title, height=430)


def regularization_path(p: "PathResult") -> go.Figure:
    """Final losses and weight size against the penalty strength λ."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1,
                        subplot_titles=(_("Loss of the final model"), _("Size of the weights")))
    style = dict(mode="lines+markers")
    fig.add_trace(go.Scatter(x=p.lambdas, y=p.train_loss, name=_("training loss"), line=dict(color=color(0), dash="dot"),
                             **style), row=1, col=1)
    fig.add_trace(go.Scatter(x=p.lambdas, y=p.val_loss, name=_("validation loss"), line=dict(color=color(0)), **style),
                  row=1, col=1)
    fig.add_hline(y=p.baseline_val_loss, line=dict(color="#666", dash="dash"), row=1, col=1,
                  annotation_text=_("validation loss with λ = 0"), annotation_position="top left")
    fig.add_trace(go.Scatter(x=p.lambdas, y=p.weight_norm, name="Σ|w|", line=dict(color=color(1)), **style),
                  row=1, col=2)
    fig.add_trace(go.Scatter(x=p.lambdas, y=p.zero_fraction * p.weight_norm.max(), name=_("share of weights = 0 (scaled)"),
                             customdata=p.zero_fraction, hovertemplate=_("%{customdata:.1%} exactly 0"),
                             line=dict(color=color(2), dash="dash"), **style), row=1, col=2)
    fig.update_xaxes(type="log", title_text=f"λ ({p.config.penalty.replace('_', ' ')})", exponentformat="power")
    fig.update_yaxes(title_text=_("loss"), row=1, col=1)
    fig.update_yaxes(title_text="Σ|w|", side="right", row=1, col=2)   # clear of the loss panel
    return finish(fig, title=_("How strong should the penalty be?"), height=440)
