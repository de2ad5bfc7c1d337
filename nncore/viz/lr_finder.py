"""Charts of the finding-the-learning-rate lesson: three rates and the stop rule, and the LR range test."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.i18n import _, number
from nncore.viz.schedules import finite
from nncore.viz.theme import color, figure, finish, log_axis

if TYPE_CHECKING:
    from nncore.experiments.lr_finder import range_test, sanity


def lr_sanity_curves(r: "sanity.Result", names: tuple[str, ...] | None = None) -> go.Figure:
    """Training loss per epoch at three rates (with the stop threshold), and epoch 1 batch by batch; the runs named
    `names` (sanity.names(r): in the reader's language), else by their labels."""
    fig = make_subplots(rows=1, cols=2, column_widths=[0.6, 0.4], horizontal_spacing=0.1,
                        subplot_titles=(_("training loss per epoch"), _("epoch 1,<br>batch by batch")))
    c = r.config
    for i, name in enumerate(names or r.labels):
        loss = finite(r.train_loss[i])
        fig.add_trace(go.Scatter(x=np.arange(1, len(loss) + 1), y=loss, mode="lines+markers", name=name,
                                 legendgroup=str(i), line=dict(color=color(i)), marker=dict(size=5)), 1, 1)
        if c.stop_rule and i == len(r.labels) - 1 and np.isfinite(r.train_loss[i][0]):
            fig.add_hline(y=c.stop_factor * r.train_loss[i][0], line=dict(color=color(i), dash="dash", width=1.5),
                          annotation_text=_("stop line: {factor} × epoch 1's loss").format(
                              factor=number(c.stop_factor)), row=1, col=1,
                          annotation_position="bottom right", annotation_font_color=color(i))
        end, reason = r.stopped_epoch[i], r.stop_reason[i]
        if reason in ("diverged", "loss_exceeded"):
            text = "inf/NaN" if reason == "diverged" else _("stopped")
            y = loss[end - 1] if np.isfinite(loss[end - 1]) else np.nanmax(finite(r.train_loss))
            where = "bottom right" if end < len(loss) / 2 else "bottom left"   # above, it ran into the panel title
            fig.add_trace(go.Scatter(x=[end], y=[y], mode="markers+text", text=[text], textposition=where,
                                     marker=dict(symbol="x", size=14, color=color(i)), showlegend=False,
                                     legendgroup=str(i), textfont=dict(color=color(i))), 1, 1)
        steps = finite(r.step_loss[i])
        fig.add_trace(go.Scatter(x=np.arange(1, len(steps) + 1), y=steps, mode="lines+markers", showlegend=False,
                                 legendgroup=str(i), line=dict(color=color(i)), marker=dict(size=4)), 1, 2)
    finish(fig, height=480, title=_("Too small, just right, too large: what does the loss do?"))
    log_axis(fig, r.train_loss, title_text=_("loss (log)"), row=1, col=1)
    log_axis(fig, r.step_loss, row=1, col=2, side="right")   # its labels (up to 10¹⁵) clear of the left panel
    fig.update_xaxes(title_text=_("epoch"), row=1, col=1)
    fig.update_xaxes(title_text=_("batch of epoch 1"), row=1, col=2)
    return fig


def lr_range_curve(r: "range_test.Result") -> go.Figure:
    """Loss against a growing lr (log axis): where it falls fastest is the suggestion."""
    fig = figure(_("LR range test: where does the loss fall fastest?"), _("learning rate (log scale)"),
                 _("training loss"), height=440)
    loss, smooth = finite(r.loss), finite(r.smooth)
    fig.add_trace(go.Scatter(x=r.lr, y=loss, mode="lines", name=_("batch loss"), line=dict(color="#bbbbbb", width=1)))
    fig.add_trace(go.Scatter(x=r.lr[: r.kept], y=smooth[: r.kept], mode="lines", name=_("smoothed"),
                             line=dict(color=color(0), width=3)))
    if r.kept < len(r.lr):
        fig.add_trace(go.Scatter(x=r.lr[r.kept - 1:], y=smooth[r.kept - 1:], mode="lines", name=_("after it broke"),
                                 line=dict(color=color(5), width=2, dash="dot")))
        fig.add_vrect(x0=r.lr[r.kept], x1=r.lr[-1], fillcolor="#D55E00", opacity=0.08, line_width=0)
    fig.add_trace(go.Scatter(x=[r.suggestion], y=[r.smooth[r.suggestion_index]], mode="markers+text",
                             name=_("suggestion: {lr}").format(lr=number(r.suggestion, ".2g")),
                             text=[number(r.suggestion, ".2g")],
                             textposition="bottom left", marker=dict(size=14, color=color(2), symbol="star")))
    fig.add_vline(x=r.suggestion, line=dict(color=color(2), dash="dash"))
    best = int(np.nanargmin(smooth[: r.kept]))
    fig.add_trace(go.Scatter(x=[r.lr[best]], y=[r.smooth[best]], mode="markers",
                             name=_("lowest: {lr}").format(lr=number(r.lr[best], ".2g")),
                             marker=dict(size=11, color=color(1), symbol="circle")))
    lo = float(np.nanmin(smooth[: r.kept]))
    hi = float(np.nanmax(smooth[r.skip: r.kept])) if r.kept > r.skip else lo
    fig.update_xaxes(type="log", exponentformat="power")
    fig.update_yaxes(range=[lo - 0.15 * (hi - lo + 1e-9), hi + 0.6 * (hi - lo + 1e-9)])
    return fig
