"""Chart of the batch-size-vs-decay lesson: decay against a grown batch per epoch, per update, in noise and time."""
from __future__ import annotations

from typing import TYPE_CHECKING

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.i18n import _, number
from nncore.viz.schedules import finite
from nncore.viz.theme import color, finish, log_axis

if TYPE_CHECKING:
    from nncore.experiments.batch_vs_decay import Result


def batch_vs_decay_curves(r: "Result") -> go.Figure:
    """Decay vs grown batch: per epoch, per update, the noise scale α/B they share, and the time per epoch."""
    race = r.race
    fig = make_subplots(rows=2, cols=2, vertical_spacing=0.24, horizontal_spacing=0.12,
                        subplot_titles=(_("validation loss per epoch"), _("validation loss per parameter update"),
                                        _("noise scale α / B"), _("time per epoch")))
    c = r.config
    names = [_("decay the lr: ÷{factor} every {every} epochs").format(factor=number(c.factor), every=c.every),
             _("grow the batch: ×{factor} every {every} epochs").format(factor=number(c.factor), every=c.every),
             _("constant lr and batch")]
    for i in range(len(race.labels)):
        style = dict(legendgroup=str(i), line=dict(color=color(i), width=(3.5, 2.5, 1.5)[i],
                                                   dash=("solid", "dash", "dot")[i]))
        val = finite(race.val_loss[i])
        fig.add_trace(go.Scatter(x=race.epoch, y=val, name=names[i], **style), 1, 1)
        fig.add_trace(go.Scatter(x=r.updates[i], y=val, showlegend=False, **style), 1, 2)
        fig.add_trace(go.Scatter(x=race.epoch, y=race.lr[i] / race.batch_size[i], showlegend=False, line_shape="hv",
                                 **style), 2, 1)
        fig.add_trace(go.Scatter(x=race.epoch, y=race.epoch_time[i] * 1000, showlegend=False, **style), 2, 2)
    finish(fig, height=740,
           title=_("Decay the learning rate, or grow the batch by the same factor?"))
    fig.update_xaxes(title_text=_("epoch"), row=1, col=1)
    fig.update_xaxes(title_text=_("parameter updates"), row=1, col=2)
    fig.update_xaxes(title_text=_("epoch"), row=2, col=1)
    fig.update_xaxes(title_text=_("epoch"), row=2, col=2)
    fig.update_yaxes(title_text=_("loss"), row=1, col=1)
    log_axis(fig, race.lr / race.batch_size, title_text=_("α / B (∝ SGD noise)"), row=2, col=1)
    fig.update_yaxes(title_text="ms", rangemode="tozero", row=2, col=2)
    return fig
