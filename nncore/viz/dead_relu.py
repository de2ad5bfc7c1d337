"""Charts of the dead-ReLU lesson: dead units against the initial bias, and during training at two rates."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.i18n import _, number
from nncore.viz.activations import at_zero, style
from nncore.viz.theme import figure, finish, mark_guess, note

if TYPE_CHECKING:
    from nncore.activation_runs import Result as Race
    from nncore.experiments.dead_relu import Result


def dead_vs_bias(r: "Result", guess: float | None = None) -> go.Figure:
    """Share of dead hidden units at initialization as a function of the initial bias, with the student's `guess`
    of the first activation's dead share at the negative bias marked."""
    fig = figure(_("How many units are dead before training starts?"), _("initial bias of every hidden unit"),
                 _("dead units (0 slope on every sample)"), height=420)
    for i, (name, label) in enumerate(zip(r.names, r.labels)):
        fig.add_trace(go.Scatter(x=r.biases, y=r.dead_vs_bias[i], mode="lines+markers", name=label,
                                 line=style(name), marker=dict(size=5)))
    for x, text in ((0.01, _("0 and +{trick}").format(trick=number(0.01))),
                    (r.config.negative_bias, number(r.config.negative_bias, "g"))):
        fig.add_vline(x=x, line=dict(color="#888", dash="dot"), annotation_text=text, annotation_position="top")
    if guess is not None:
        mark_guess(fig, r.config.negative_bias, guess)
    fig.update_yaxes(tickformat=".0%", range=[-0.03, 1.05])
    if flat := at_zero(list(r.labels), list(r.dead_vs_bias), _("0% at every bias (one line on another)")):
        finish(fig, title_subtitle_text=flat)
    return fig


def _dead_panel(fig: go.Figure, race: "Race", col: int, legend: bool) -> None:
    for name, run in race.runs.items():
        epochs = np.arange(0, len(run.dead_fraction) + 1)
        fig.add_trace(go.Scatter(x=epochs, y=np.r_[run.dead_at_init, run.dead_fraction], mode="lines+markers",
                                 name=race.labels[name], showlegend=legend, legendgroup=name, line=style(name),
                                 marker=dict(size=4)), row=1, col=col)
        if run.diverged_at is not None:
            fig.add_trace(go.Scatter(x=[run.diverged_at], y=[0], mode="markers+text", text=["NaN"],
                                     textposition="top center", showlegend=False, marker=dict(symbol="x", size=12,
                                     color=style(name)["color"])), row=1, col=col)


def dead_during_training(r: "Result") -> go.Figure:
    """Dead share after each epoch, at a sensible and at a too-large learning rate."""
    titles = []
    for lr, race in ((r.config.lr, r.sensible), (r.config.large_lr, r.large)):
        kept = {n: run for n, run in race.runs.items() if run.diverged_at is None}
        flat = at_zero([race.labels[n] for n in kept], [np.r_[run.dead_at_init, run.dead_fraction]
                                                         for run in kept.values()])
        title = _("learning rate {lr}").format(lr=number(lr, "g"))
        titles.append(f"{title}<br>{note(flat, 30)}" if flat else title)
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.05, subplot_titles=titles)
    _dead_panel(fig, r.sensible, 1, True)
    _dead_panel(fig, r.large, 2, False)
    finish(fig, height=420, title=_("Do units die during training?"))
    fig.update_xaxes(title_text=_("epoch (0 = at init)"))   # twice side by side: short enough not to collide
    fig.update_yaxes(title_text=_("dead units"), tickformat=".0%", range=[-0.03, 1.05], row=1, col=1)
    return fig
