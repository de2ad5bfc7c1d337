"""Charts of the loss-functions lesson: losses and gradients, lines and nets pulled by outliers, a sigmoid's bound,
class labels given to a binary loss, the red wines trained with each loss."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.i18n import _, number
from nncore.viz.theme import color, figure, finish

if TYPE_CHECKING:
    from nncore.experiments import losses

LABELS = {"mae": "MAE", "mse": "MSE", "huber": "Huber", "log_cosh": "log-cosh"}


def loss_gradients(r: "losses.Result") -> go.Figure:
    """Each regression loss (top) and its gradient (bottom) against the residual, δ marked."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=(_("loss"), _("gradient: the pull of one residual on the fit")))
    for i, (key, label) in enumerate(LABELS.items()):
        name = f"Huber (δ = {number(r.config.delta)})" if key == "huber" else label
        for row, values in ((1, r.curves[key]), (2, r.grads[key])):
            fig.add_trace(go.Scatter(x=r.residuals, y=values, mode="lines", name=name, legendgroup=key,
                                     showlegend=row == 1, line=dict(color=color(i), width=2.5)), row=row, col=1)
    for side in (-1, 1):
        fig.add_vline(x=side * r.config.delta, line=dict(color="#888", dash="dot"))
    fig.update_yaxes(range=[-0.5, 8.5], row=1, col=1)
    fig.update_yaxes(range=[-4.5, 4.5], row=2, col=1)
    fig.update_xaxes(title_text=_("residual r = prediction − target"), row=2, col=1)
    return finish(fig, height=600, title=_("How hard does each loss pull on a residual of each size?"))


def logit_gradients(r: "losses.Result") -> go.Figure:
    """Gradient on the true class's logit: BCE, softmax + cross-entropy, softmax + MSE."""
    fig = figure(_("At a confidently wrong prediction, which loss still pushes?"),
                 _("logit of the true class (the rival class's logit at 4)"), _("gradient on that logit"), height=420)
    for i, (y, name) in enumerate(((r.bce_grad, _("sigmoid + BCE (label 1)")), (r.ce_grad, "softmax + cross-entropy"),
                                   (r.softmax_mse_grad, "softmax + MSE"))):
        fig.add_trace(go.Scatter(x=r.logits, y=y, mode="lines", name=name, line=dict(color=color(i + 4), width=2.5)))
    return fig


def _points(fig: go.Figure, r: "losses.Result") -> None:
    """The line data: inliers as grey dots, outliers as red crosses."""
    for mask, name, symbol in ((~r.is_outlier, _("inliers"), "circle"), (r.is_outlier, _("outliers"), "x")):
        fig.add_trace(go.Scatter(x=r.x[mask], y=r.y[mask], mode="markers", name=name,
                                 marker=dict(symbol=symbol, size=8, color="#999" if symbol == "circle" else "#d62728")))


def outlier_fits(r: "losses.Result") -> go.Figure:
    """The line data, outliers marked, with the line each loss fits."""
    fig = figure(_("Which loss lets a few outliers drag the line?"), "x", "y", height=460)
    _points(fig, r)
    xs = np.array([-1.0, 1.0])
    for i, (key, (slope, intercept)) in enumerate(r.fits.items()):
        fig.add_trace(go.Scatter(x=xs, y=slope * xs + intercept, mode="lines", name=_("{loss} fit").format(loss=LABELS[key]),
                                 line=dict(color=color(i), width=2.5)))
    return fig


def sigmoid_bound(r: "losses.Result") -> go.Figure:
    """Targets 0..255 against a sigmoid output trained on them raw and on them scaled to 0..1."""
    fig = figure(_("Can a sigmoid output reach a target of 255?"), _("input x"),
                 _("target / prediction (pixel units)"), height=420)
    order = np.argsort(r.pixel_x)
    x = r.pixel_x[order]
    fig.add_trace(go.Scatter(x=x, y=r.pixel_y[order], mode="markers", name=_("targets 0..255"),
                             marker=dict(size=5, color="#999")))
    runs = (("sigmoid", _("sigmoid on raw targets")), ("scaled", _("sigmoid on targets / 255, × 255")))
    for i, (key, name) in enumerate(runs):
        fig.add_trace(go.Scatter(x=x, y=r.pixel_pred[key][order], mode="lines",
                                 name=f"{name} (RMSE {number(r.pixel_rmse[key], '.3g')})",
                                 line=dict(color=color(i * 3), width=2.5)))
    return fig


def adam_curves(r: "losses.AdamResult") -> go.Figure:
    """Validation MAE per epoch for Adam at each learning rate, against predicting the mean quality."""
    fig = figure(_("Does Adam need a learning rate? (004 says no)"), _("epoch"), _("validation MAE (quality points)"),
                 height=420)
    for i, (lr, val) in enumerate(zip(r.lrs, r.val_mae)):
        fig.add_trace(go.Scatter(x=np.arange(1, len(val) + 1), y=val, mode="lines", name=f"Adam, lr = {lr:g}",
                                 line=dict(color=color(i), width=2.5)))
    fig.add_hline(y=r.baseline_mae, line=dict(color="#888", dash="dot"), annotation_text=_("predict the mean"),
                  annotation_position="top right")
    return fig


def wine_losses(r: "losses.WineResult") -> go.Figure:
    """Validation MAE per epoch (left) and at the end (right) of the red-wine net trained with each loss."""
    fig = make_subplots(rows=1, cols=2, column_widths=[0.65, 0.35], horizontal_spacing=0.12,
                        subplot_titles=(_("validation MAE per epoch"), _("validation MAE at the end")))
    names = [LABELS[k] for k in r.losses]
    for i, (name, val) in enumerate(zip(names, r.val_mae)):
        fig.add_trace(go.Scatter(x=np.arange(1, len(val) + 1), y=val, mode="lines", name=_("trained with {loss}").format(loss=name),
                                 legendgroup=name, line=dict(color=color(i), width=2.5)), row=1, col=1)
    fig.add_trace(go.Bar(x=names, y=r.final_val_mae, marker_color=[color(i) for i in range(len(names))],
                         text=[number(m, ".3f") for m in r.final_val_mae], textposition="outside", showlegend=False),
                  row=1, col=2)
    for col in (1, 2):
        fig.add_hline(y=r.baseline_mae, line=dict(color="#888", dash="dot"), row=1, col=col)
    fig.update_xaxes(title_text=_("epoch"), row=1, col=1)
    fig.update_xaxes(title_text=_("training loss"), row=1, col=2)
    fig.update_yaxes(title_text=_("validation MAE (quality points)"), row=1, col=1)
    top = 1.15 * max(r.baseline_mae, *r.final_val_mae)
    fig.update_yaxes(range=[0, top], row=1, col=2)
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    return finish(fig, height=440, title=_("Which loss gives 004's red-wine net the lowest validation MAE? "
                                           "(dotted: predict the mean)"))


def outlier_net_fits(r: "losses.Result") -> go.Figure:
    """The line data, outliers marked, with the fit of a small net under each loss."""
    fig = figure(_("Can a small net escape the outliers' pull?"), "x", "y", height=460)
    _points(fig, r)
    for i, (key, curve) in enumerate(r.net_fits.items()):
        fig.add_trace(go.Scatter(x=np.linspace(-1.0, 1.0, len(curve)), y=curve, mode="lines",
                                 name=_("{loss}: 1-16-1 net").format(loss=LABELS[key]), line=dict(color=color(i), width=2.5)))
    return fig


def label_pitfall(r: "losses.Result") -> go.Figure:
    """Training loss per step (left) and share of each class predicted right (right): BCE on labels 0..2 vs the fix."""
    fig = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45], horizontal_spacing=0.14,
                        subplot_titles=(_("training loss per step"), _("validation points predicted right, per class")))
    names = {"bce": _("one logit + BCE on labels 0, 1, 2"), "ce": _("three logits + cross-entropy (the fix)")}
    classes = [_("class {k}").format(k=k) for k in range(3)]
    for i, (key, name) in enumerate(names.items()):
        values = r.label_losses[key]
        fig.add_trace(go.Scatter(x=np.arange(1, len(values) + 1), y=values, mode="lines", name=name, legendgroup=key,
                                 line=dict(color=color(i * 5), width=2.5)), row=1, col=1)
        fig.add_trace(go.Bar(x=classes, y=r.label_recall[key], name=name, legendgroup=key,
                             showlegend=False, marker_color=color(i * 5)), row=1, col=2)
    fig.add_hline(y=0.0, line=dict(color="#888", dash="dot"), row=1, col=1,
                  annotation_text=_("0: no cross-entropy goes below"), annotation_position="bottom left")
    fig.update_xaxes(title_text=_("step"), row=1, col=1)
    fig.update_yaxes(title_text=_("training loss"), row=1, col=1)
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    fig.update_yaxes(title_text=_("share right"), range=[0, 1.05], tickformat=".0%", row=1, col=2)
    return finish(fig, height=440, title=_("What does binary cross-entropy learn from class labels 0, 1, 2?"))
