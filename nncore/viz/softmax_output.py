"""Charts of the softmax-output lesson: the class probabilities, and cross-entropy against squared error."""
from __future__ import annotations

from typing import TYPE_CHECKING

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.i18n import _, number
from nncore.viz.theme import color, figure, finish, mark_guess

if TYPE_CHECKING:
    from nncore.experiments.softmax_output import Result


def softmax_bars(r: "Result", guess: float | None = None) -> go.Figure:
    """The class probabilities at the chosen temperature, beside T = 1, with the student's `guess` of the true
    class's probability marked on its bar."""
    t = number(r.config.temperature, "g")
    fig = figure(_("Which class does softmax pick, and how sure is it? (T = {t})").format(t=t), _("class"),
                 _("probability"), height=400)
    true = r.config.true_class
    names = [_("{name} (true)").format(name=c) if c == true else c for c in r.classes]
    fig.add_trace(go.Bar(x=names, y=r.probs, name=f"softmax(z / {t})", marker_color=color(0),
                         text=[number(p, ".1%") for p in r.probs], textposition="outside"))
    if r.config.temperature != 1.0:
        fig.add_trace(go.Bar(x=names, y=r.probs_t1, name="T = 1", marker_color="#bbb"))
    if guess is not None:
        mark_guess(fig, names[r.classes.index(true)], guess)
    fig.update_yaxes(range=[0, 1.12], tickformat=".0%")
    fig.update_layout(barmode="group")
    return fig


def softmax_losses(r: "Result") -> go.Figure:
    """Loss and its gradient on the true class's score as that score moves: cross-entropy vs squared error."""
    # one above the other on the same score axis: side by side, the two x-axis titles ran into each other at 1024 px
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=(_("loss"), _("gradient on the true class's score")))
    for k, (loss, grad, label, c) in enumerate(((r.sweep_ce, r.sweep_ce_grad, _("cross-entropy: −log p"), color(0)),
                                                 (r.sweep_mse, r.sweep_mse_grad, _("squared error on p"), color(5)))):
        fig.add_trace(go.Scatter(x=r.sweep, y=loss, mode="lines", name=label, legendgroup=label,
                                 line=dict(color=c, width=2.5)), row=1, col=1)
        fig.add_trace(go.Scatter(x=r.sweep, y=grad, mode="lines", name=label, legendgroup=label, showlegend=False,
                                 line=dict(color=c, width=2.5)), row=2, col=1)
    now = float(r.scores[r.classes.index(r.config.true_class)])
    fig.add_vline(x=now, line=dict(color="#888", dash="dot"), row=1, col=1,
                  annotation_text=_("now: {score}").format(score=number(now, ".3g")), annotation_position="top right")
    fig.add_vline(x=now, line=dict(color="#888", dash="dot"), row=2, col=1)
    fig.update_xaxes(title_text=_("score of the true class ({name})").format(name=r.config.true_class), row=2, col=1)
    finish(fig, height=560, title=_("Why does softmax want cross-entropy? (the log cancels the exp)"))
    return fig
