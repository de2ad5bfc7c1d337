"""Chart of the early-stopping lesson: where the run stopped, the patience window, min_delta, the weights kept."""
from __future__ import annotations

from typing import TYPE_CHECKING

import plotly.graph_objects as go

from nncore.i18n import _, number
from nncore.viz.regularization import thin
from nncore.viz.theme import color, figure, finish

if TYPE_CHECKING:
    from nncore.experiments.early_stopping import Result


def early_stopping(r: "Result") -> go.Figure:
    """The validation curve with the best epoch, the patience window, min_delta and the stop epoch."""
    h, c = r.history, r.config
    title = _("When does early stopping stop, and which weights does it keep?")
    fig = figure(title, _("epoch"), _("cross-entropy loss") if r.kind == "classification" else _("mean squared error"))
    x, tr, va = thin(h.epoch, h.train_loss, h.val_loss)
    fig.add_trace(go.Scatter(x=x, y=tr, mode="lines", name=_("training loss"), line=dict(color=color(0), dash="dot")))
    fig.add_trace(go.Scatter(x=x, y=va, mode="lines", name=_("validation loss"), line=dict(color=color(0), width=3)))
    if h.best_epoch:
        best = h.best_val_loss
        if c.min_delta:
            fig.add_hrect(y0=best - c.min_delta, y1=best, fillcolor=color(1), opacity=0.2, line_width=0,
                          annotation_text=f"min_delta = {number(c.min_delta)}", annotation_position="bottom left")
        if c.patience:
            fig.add_vrect(x0=h.best_epoch, x1=min(h.best_epoch + c.patience, h.stopped_epoch), fillcolor=color(2),
                          opacity=0.12, line_width=0, annotation_text=_("patience {n}").format(n=c.patience),
                          annotation_position="top left")
        fig.add_vline(x=h.best_epoch, line=dict(color=color(2), dash="dash"))
        fig.add_trace(go.Scatter(x=[h.best_epoch], y=[best], mode="markers", name=_("best epoch {epoch}").format(epoch=h.best_epoch),
                                 marker=dict(color=color(2), size=13, symbol="star")))
    if h.stop_reason == "early_stopping":
        fig.add_vline(x=h.stopped_epoch, line=dict(color=color(5), dash="dash"))
        fig.add_trace(go.Scatter(x=[h.stopped_epoch], y=[h.val_loss[-1]], mode="markers",
                                 name=_("stopped at epoch {epoch}").format(epoch=h.stopped_epoch),
                                 marker=dict(color=color(5), size=12, symbol="square")))
    if h.restored_best:
        fig.add_trace(go.Scatter(x=[h.stopped_epoch], y=[h.final_val_loss], mode="markers",
                                 name=_("returned model: validation loss {loss}").format(
                                     loss=number(h.final_val_loss, ".3f")),
                                 marker=dict(color=color(2), size=12, symbol="diamond-open", line=dict(width=3))))
    return finish(fig, title=title, height=430)
