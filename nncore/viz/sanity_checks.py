"""Charts of the sanity checks: the initial loss against ln C, the tiny overfit, the update/weight ratio against
001's band, and gradient norms with dead units, each at the three learning rates."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.i18n import _, number
from nncore.viz.theme import color, figure, finish, mark_guess

if TYPE_CHECKING:
    from nncore.experiments import sanity_checks

RATE_NAMES = ("too low", "chosen", "too high")     # translated where shown (marked in experiments.sanity_checks)


def _layer(name: str) -> str:
    """A Result's layer name, "hidden (64×64)", with its role in the session's language."""
    role, _sep, shape = name.partition(" (")
    return f"{_(role)} ({shape}"


def _positive(y: np.ndarray) -> np.ndarray:
    """Zeros and non-finite values -> NaN, so a log axis leaves a gap (a dead layer's update is exactly 0)."""
    return np.where(np.isfinite(y) & (y > 0), y, np.nan)


def initial_losses(r: "sanity_checks.Result", guess: float | None = None) -> go.Figure:
    """Per C, the predicted −ln(1/C) beside the measured initial loss; the chosen C also with L2 on, and the student's
    `guess` of its loss starred."""
    names = [f"C = {c}" for c in r.classes_checked]
    fig = figure(_("Does the untrained net's loss equal −ln(1/C)?"), _("number of classes"),
                 _("cross-entropy at initialization"))
    fig.add_trace(go.Bar(x=names, y=[math.log(c) for c in r.classes_checked], name=_("predicted −ln(1/C)"),
                         marker_color=color(0), hovertemplate="%{x}: ln C = %{y:.3f}<extra></extra>"))
    fig.add_trace(go.Bar(x=names, y=r.initial_losses, name=_("measured, no regularization"), marker_color=color(1),
                         hovertemplate="%{x}: " + _("measured {y}").format(y="%{y:.3f}") + "<extra></extra>"))
    chosen = [r.initial_loss_with_reg if c == r.config.classes else None for c in r.classes_checked]
    fig.add_trace(go.Bar(x=names, y=chosen, name=_("measured with L2 λ = {reg}").format(reg=number(r.config.reg)),
                         marker_color=color(2),
                         hovertemplate="%{x}: " + _("with L2 {y}").format(y="%{y:.3f}") + "<extra></extra>"))
    if guess is not None:
        mark_guess(fig, f"C = {r.config.classes}", guess)
    fig.update_layout(barmode="group", height=380)
    return fig


def tiny_overfit(r: "sanity_checks.Result") -> go.Figure:
    """Training accuracy and loss on the tiny subset per epoch, the rest of the data's accuracy, the epoch it is solved."""
    epochs = np.arange(1, len(r.tiny_train_acc) + 1)
    fig = make_subplots(rows=1, cols=2, subplot_titles=[_("accuracy"), _("training loss (log)")], horizontal_spacing=0.12)
    fig.add_trace(go.Scatter(x=epochs, y=r.tiny_train_acc, name=_("training ({n} samples)").format(n=r.config.tiny_samples),
                             line=dict(color=color(0), width=2.5)), row=1, col=1)
    fig.add_trace(go.Scatter(x=epochs, y=r.tiny_val_acc, name=_("the rest of the data"), line=dict(color=color(1),
                             dash="dot")), row=1, col=1)
    fig.add_trace(go.Scatter(x=epochs, y=_positive(r.tiny_train_loss), name=_("training loss"), showlegend=False,
                             line=dict(color=color(0), width=2.5)), row=1, col=2)
    if r.tiny_solved_at is not None:
        fig.add_vline(x=r.tiny_solved_at, line=dict(color=color(2), dash="dash"), row=1, col=1,
                      annotation_text=_("100% at epoch {epoch}").format(epoch=r.tiny_solved_at), annotation_position="bottom right")
    finish(fig, height=400, title=_("Can the net memorize a tiny subset? It must, or the code has a bug"))
    fig.update_yaxes(title_text=_("accuracy"), tickformat=".0%", range=[0, 1.05], row=1, col=1)
    fig.update_yaxes(title_text="cross-entropy", type="log", exponentformat="power", row=1, col=2)
    fig.update_xaxes(title_text=_("epoch"))
    return fig


def update_ratios(r: "sanity_checks.Result") -> go.Figure:
    """||ΔW||/||W|| per step and layer at the three rates, on a log axis, with 001's band shaded."""
    steps = np.arange(1, len(r.update_ratio) + 1)
    fig = figure(_("Is each update about a thousandth to a hundredth of the weights?"),
                 _("step (full batch: one per epoch)"), "||ΔW|| / ||W|| (log)")
    fig.add_hrect(y0=r.band[0], y1=r.band[1], fillcolor=color(2), opacity=0.15, line_width=0,
                  annotation_text="001: 1e-3 … 1e-2", annotation_position="top left")
    for i, (name, lr, ratios) in enumerate(zip(RATE_NAMES, r.lrs, (r.update_ratio_low, r.update_ratio,
                                                                    r.update_ratio_high))):
        for j, layer in enumerate(r.layers):
            fig.add_trace(go.Scatter(x=steps, y=_positive(ratios[:, j]), name=f"lr {number(lr, '.3g')} ({_(name)}), {_layer(layer)}",
                                     legendgroup=name, line=dict(color=color([0, 2, 5][i]), dash=["solid", "dot"][j],
                                                                 width=2.5 if j == 0 else 1.5),
                                     hovertemplate=_("step {x}").format(x="%{x}") + ": %{y:.2e}<extra>" + _layer(layer)
                                     + "</extra>"))
    fig.update_yaxes(type="log", exponentformat="power")
    fig.update_layout(height=460)
    return fig


def gradient_health(r: "sanity_checks.Result") -> go.Figure:
    """Per rate: the hidden layer's gradient norm per step, the spread of its activations, the share of dead units."""
    steps = np.arange(1, r.grad_norm.shape[1] + 1)
    fig = make_subplots(rows=1, cols=3, subplot_titles=[_("gradient norm ||∇W|| of the hidden layer (log)"),
                                                        _("std of the hidden activations"), _("dead hidden units")],
                        horizontal_spacing=0.09)
    for i, (name, lr) in enumerate(zip(RATE_NAMES, r.lrs)):
        style = dict(color=color([0, 2, 5][i]), width=2.5)
        fig.add_trace(go.Scatter(x=steps, y=_positive(r.grad_norm[i, :, 0]), name=f"lr {number(lr, '.3g')} ({_(name)})",
                                 legendgroup=name, line=style), row=1, col=1)
        fig.add_trace(go.Scatter(x=steps, y=r.act_std[i], name=f"lr {number(lr, '.3g')}", legendgroup=name,
                                 showlegend=False, line=style), row=1, col=2)
        fig.add_trace(go.Scatter(x=steps, y=r.dead_fraction[i], name=f"lr {number(lr, '.3g')}", legendgroup=name,
                                 showlegend=False, line=style), row=1, col=3)
    finish(fig, height=420, title=_("Do the gradients keep flowing, or do the units die?"))
    fig.update_yaxes(title_text="||∇W||", type="log", exponentformat="power", row=1, col=1)
    fig.update_yaxes(title_text="std", rangemode="tozero", row=1, col=2)
    fig.update_yaxes(title_text=_("share of units"), tickformat=".0%", range=[0, 1.02], row=1, col=3)
    fig.update_xaxes(title_text=_("step"))
    return fig
