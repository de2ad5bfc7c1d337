"""Charts of the loss-curve gallery: one run's training and validation curves (or each batch's loss), drawn from a
loss_curves.Curves, so the faulty and the fixed run of a card look alike; and the k-fold check's accuracies per fold."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from nncore.i18n import _
from nncore.viz.regularization import thin
from nncore.viz.theme import color, figure, finish

if TYPE_CHECKING:
    from nncore.experiments.loss_curves import Curves, Fold


def loss_curve(c: "Curves", title: str, chance_loss: float | None = None) -> go.Figure:
    """Training and validation loss (solid) and accuracy (dotted, right axis) per epoch; the divergence marked."""
    fig = figure(title, _("epoch"), _("cross-entropy loss"), height=400,
                 yaxis2=dict(title=_("accuracy"), overlaying="y", side="right", range=[0, 1.02], tickformat=".0%",
                             showgrid=False))
    names = ((_("training loss"), _("training accuracy")), (_("validation loss"), _("validation accuracy")))
    for i, ((loss_name, acc_name), loss, acc) in enumerate(((names[0], c.train_loss, c.train_acc),
                                                           (names[1], c.val_loss, c.val_acc))):
        x, loss, acc = thin(c.epoch, loss, acc)
        fig.add_trace(go.Scatter(x=x, y=loss, mode="lines", name=loss_name, line=dict(color=color(i), width=3)))
        fig.add_trace(go.Scatter(x=x, y=acc, mode="lines", name=acc_name, yaxis="y2",
                                 line=dict(color=color(i), dash="dot")))
    if chance_loss is not None:
        fig.add_hline(y=chance_loss, line=dict(color="#888", dash="dash"), annotation_text=_("ln 10 (a uniform guess)"),
                      annotation_position="top right")
    if c.diverged_at is not None:
        fig.add_vline(x=c.diverged_at, line=dict(color=color(5), dash="dash"),
                      annotation_text=_("inf/NaN at epoch {epoch}").format(epoch=c.diverged_at), annotation_position="top left")
    return finish(fig, title=title, margin=dict(r=70))


def step_loss(c: "Curves", title: str) -> go.Figure:
    """Each batch's training loss in order, with the epochs' boundaries: where a pattern repeats every epoch."""
    fig = figure(title, _("optimizer step (batch)"), _("batch cross-entropy loss"), height=400)
    steps = np.arange(1, len(c.step_loss) + 1)
    x, y = thin(steps, c.step_loss)
    fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=_("batch loss"), line=dict(color=color(0))))
    for e in range(1, len(c.step_loss) // c.steps_per_epoch):
        fig.add_vline(x=e * c.steps_per_epoch + 0.5, line=dict(color="#bbb", width=1))
    return finish(fig, title=title)


def kfold_accuracy(folds: "tuple[Fold, ...]") -> go.Figure:
    """Per fold: the training accuracy in train mode (dropout on) and in eval mode, beside the validation accuracy."""
    title = _("Is validation above training on every split, or only while dropout is on?")
    fig = figure(title, _("fold (its digits validate, the others train)"), _("accuracy (last epochs' mean)"),
                 height=360)
    x = [_("fold {i}").format(i=i + 1) for i in range(len(folds))]
    for i, (name, field) in enumerate(((_("training, train mode (dropout on)"), "train_mode"),
                                       (_("training, eval mode (dropout off)"), "eval_mode"),
                                       (_("validation"), "val"))):
        fig.add_trace(go.Bar(x=x, y=[getattr(f, field) for f in folds], name=name, marker_color=color(i)))
    fig.update_yaxes(tickformat=".0%", range=[0, 1])
    return finish(fig, title=title, barmode="group")
