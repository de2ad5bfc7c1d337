"""Charts of the learning-rate lessons: schedules overlaid, the race with its lr beneath, the three-rates check,
the LR range test, and batch growth against decay."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.viz.theme import color, figure, finish, log_axis

if TYPE_CHECKING:
    from nncore.experiments import batch_vs_decay, lr_designer, lr_range_test, lr_sanity, schedule_race

MAX_POINTS = 1500   # per curve: a 10,000-step schedule is drawn from at most this many points (plus its jumps)
CUT = dict(symbol="triangle-down", size=12, line=dict(width=1, color="white"))


def thin(y: np.ndarray, max_points: int = MAX_POINTS) -> np.ndarray:
    """Indices to draw: evenly spaced ones, plus both sides of every jump (a step cut, a restart) so edges stay sharp."""
    n = len(y)
    if n <= max_points:
        return np.arange(n)
    even = np.linspace(0, n - 1, max_points // 2).round().astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.abs(np.diff(y)) / np.maximum(np.abs(y[:-1]), 1e-300)
    jumps = np.flatnonzero(rel > 0.05)[: max_points // 4]
    return np.unique(np.concatenate([even, jumps, jumps + 1]))


def _finite(y: np.ndarray) -> np.ndarray:
    """inf -> NaN, so Plotly leaves a gap instead of failing to draw."""
    return np.where(np.isfinite(y), y, np.nan)


def lr_schedules(r: "lr_designer.Result", log_y: bool = False) -> go.Figure:
    """The lr of each schedule at each step, overlaid; plateau cuts marked; a second panel for batch growth."""
    grows = bool(np.any(r.batch != 1))
    fig = make_subplots(rows=2 if grows else 1, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        row_heights=[0.7, 0.3] if grows else None)
    shape = "hv" if r.lr.shape[1] <= MAX_POINTS else "linear"  # thinned curves keep their jumps as points
    for i, (label, lr) in enumerate(zip(r.labels, r.lr)):
        idx = thin(lr)
        fig.add_trace(go.Scatter(x=idx, y=lr[idx], mode="lines", name=label, legendgroup=str(i),
                                 line=dict(color=color(i), width=2.5, shape=shape),
                                 hovertemplate="step %{x}<br>lr %{y:.4g}<extra>" + label + "</extra>"), row=1, col=1)
        cut = r.cuts[i]
        if len(cut):
            fig.add_trace(go.Scatter(x=cut, y=lr[cut], mode="markers", name=f"{label}: cut", legendgroup=str(i),
                                     marker=dict(color=color(i), **CUT), showlegend=False,
                                     hovertemplate="plateau cut at step %{x}<br>lr → %{y:.4g}<extra></extra>"),
                          row=1, col=1)
        if grows and np.any(r.batch[i] != 1):
            fig.add_trace(go.Scatter(x=idx, y=r.batch[i][idx], mode="lines", name=f"{label}: batch",
                                     legendgroup=str(i), showlegend=False, line=dict(color=color(i), shape=shape)),
                          row=2, col=1)
    finish(fig, height=480 if grows else 420,
           title="How does each schedule set the learning rate, step by step?")
    fig.update_yaxes(title_text="learning rate" + (" (log)" if log_y else ""), exponentformat="power", row=1, col=1)
    if log_y:
        log_axis(fig, r.lr, row=1, col=1)
    fig.update_xaxes(title_text="step (epoch or batch)", row=2 if grows else 1, col=1)
    if grows:
        fig.update_yaxes(title_text="batch × B₀", type="log", dtick=1, row=2, col=1)
    return fig


def schedule_race_curves(r: "schedule_race.Result") -> go.Figure:
    """Loss and accuracy per epoch for each schedule, with the lr it used aligned beneath on the same epoch axis."""
    grows = bool(np.nanmax(r.batch_size) > np.nanmin(r.batch_size))
    rows = 4 if grows else 3
    heights = [0.38, 0.22, 0.25, 0.15] if grows else [0.45, 0.25, 0.30]
    titles = ["loss (solid: validation, dotted: training)", "validation accuracy", "learning rate (log)"]
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.05, row_heights=heights,
                        subplot_titles=titles + (["batch size"] if grows else []))
    for i in range(len(r.labels)):
        _add_schedule_run(fig, r, i, grows)
    _mark_divergences(fig, r)
    finish(fig, height=820 if grows else 740,
           title="Which schedule trains best — and what was its learning rate at each epoch?")
    fig.update_yaxes(title_text="loss", row=1, col=1)
    fig.update_yaxes(title_text="accuracy", tickformat=".0%", row=2, col=1)
    fig.update_yaxes(title_text="lr", type="log", exponentformat="power", dtick=1, row=3, col=1)
    fig.update_xaxes(title_text="epoch", row=rows, col=1)
    return fig


def _add_schedule_run(fig: go.Figure, r: "schedule_race.Result", i: int, grows: bool) -> None:
    """Run i's curves: losses (row 1), accuracy (2), learning rate with its plateau cuts (3), batch size (4)."""
    x, label = r.epoch, r.labels[i]
    style = dict(legendgroup=str(i), line=dict(color=color(i)))
    fig.add_trace(go.Scatter(x=x, y=_finite(r.val_loss[i]), name=label, mode="lines", **style,
                             hovertemplate="epoch %{x}<br>val loss %{y:.4f}<extra>" + label + "</extra>"), 1, 1)
    fig.add_trace(go.Scatter(x=x, y=_finite(r.train_loss[i]), name=f"{label} (train)", mode="lines",
                             showlegend=False, legendgroup=str(i), line=dict(color=color(i), dash="dot", width=1.5),
                             hovertemplate="epoch %{x}<br>train loss %{y:.4f}<extra>" + label + "</extra>"), 1, 1)
    fig.add_trace(go.Scatter(x=x, y=r.val_acc[i], mode="lines", showlegend=False, **style,
                             hovertemplate="epoch %{x}<br>val acc %{y:.1%}<extra>" + label + "</extra>"), 2, 1)
    fig.add_trace(go.Scatter(x=x, y=r.lr[i], mode="lines+markers", marker=dict(size=3), showlegend=False,
                             **style, line_shape="hv",
                             hovertemplate="epoch %{x}<br>lr %{y:.4g}<extra>" + label + "</extra>"), 3, 1)
    cut = np.asarray(r.cuts[i], dtype=int)
    if len(cut):
        fig.add_trace(go.Scatter(x=cut, y=r.lr[i][cut - 1], mode="markers", showlegend=False,
                                 marker=dict(color=color(i), **CUT), legendgroup=str(i),
                                 hovertemplate="plateau cut: from epoch %{x}, lr %{y:.4g}<extra></extra>"), 3, 1)
        fig.add_trace(go.Scatter(x=cut, y=_finite(r.val_loss[i][cut - 1]), mode="markers", showlegend=False,
                                 marker=dict(color=color(i), **CUT), legendgroup=str(i),
                                 hovertemplate="the rate was cut here<extra></extra>"), 1, 1)
    if r.diverged_at[i] is not None:
        fig.add_vline(x=r.diverged_at[i], line=dict(color=color(i), dash="dash"), row=1, col=1)
    if grows:
        fig.add_trace(go.Scatter(x=x, y=r.batch_size[i], mode="lines", showlegend=False, **style,
                                 line_shape="hv"), 4, 1)


def _mark_divergences(fig: go.Figure, r: "schedule_race.Result") -> None:
    """One label per epoch at which runs diverged, naming them, stacked down the loss panel."""
    for k, epoch in enumerate(sorted({d for d in r.diverged_at if d is not None})):
        names = ", ".join(label for label, d in zip(r.labels, r.diverged_at) if d == epoch)
        fig.add_annotation(x=epoch, y=1 - 0.12 * k, yref="y domain", text=f"diverged (inf/NaN): {names}",
                           showarrow=False, xanchor="left", font=dict(color="#D55E00"), row=1, col=1)


def lr_sanity_curves(r: "lr_sanity.Result") -> go.Figure:
    """Training loss per epoch at three rates (with the stop threshold), and epoch 1 batch by batch."""
    fig = make_subplots(rows=1, cols=2, column_widths=[0.6, 0.4], horizontal_spacing=0.1,
                        subplot_titles=("training loss per epoch", "epoch 1,<br>batch by batch"))
    c = r.config
    for i, name in enumerate(r.labels):
        loss = _finite(r.train_loss[i])
        fig.add_trace(go.Scatter(x=np.arange(1, len(loss) + 1), y=loss, mode="lines+markers", name=name,
                                 legendgroup=str(i), line=dict(color=color(i)), marker=dict(size=5)), 1, 1)
        if c.stop_rule and i == len(r.labels) - 1 and np.isfinite(r.train_loss[i][0]):
            fig.add_hline(y=c.stop_factor * r.train_loss[i][0], line=dict(color=color(i), dash="dash", width=1.5),
                          annotation_text=f"stop line: {c.stop_factor:g} × epoch 1's loss", row=1, col=1,
                          annotation_position="bottom right", annotation_font_color=color(i))
        end, reason = r.stopped_epoch[i], r.stop_reason[i]
        if reason in ("diverged", "loss_exceeded"):
            text = "inf/NaN" if reason == "diverged" else "stopped"
            y = loss[end - 1] if np.isfinite(loss[end - 1]) else np.nanmax(_finite(r.train_loss))
            where = "bottom right" if end < len(loss) / 2 else "bottom left"   # above, it ran into the panel title
            fig.add_trace(go.Scatter(x=[end], y=[y], mode="markers+text", text=[text], textposition=where,
                                     marker=dict(symbol="x", size=14, color=color(i)), showlegend=False,
                                     legendgroup=str(i), textfont=dict(color=color(i))), 1, 1)
        steps = _finite(r.step_loss[i])
        fig.add_trace(go.Scatter(x=np.arange(1, len(steps) + 1), y=steps, mode="lines+markers", showlegend=False,
                                 legendgroup=str(i), line=dict(color=color(i)), marker=dict(size=4)), 1, 2)
    finish(fig, height=480, title="Too small, just right, too large: what does the loss do?")
    log_axis(fig, r.train_loss, title_text="loss (log)", row=1, col=1)
    log_axis(fig, r.step_loss, row=1, col=2, side="right")   # its labels (up to 10¹⁵) clear of the left panel
    fig.update_xaxes(title_text="epoch", row=1, col=1)
    fig.update_xaxes(title_text="batch of epoch 1", row=1, col=2)
    return fig


def lr_range_curve(r: "lr_range_test.Result") -> go.Figure:
    """Loss against a growing lr (log axis): where it falls fastest is the suggestion."""
    fig = figure("LR range test: where does the loss fall fastest?", "learning rate (log scale)", "training loss",
                 height=440)
    loss, smooth = _finite(r.loss), _finite(r.smooth)
    fig.add_trace(go.Scatter(x=r.lr, y=loss, mode="lines", name="batch loss", line=dict(color="#bbbbbb", width=1)))
    fig.add_trace(go.Scatter(x=r.lr[: r.kept], y=smooth[: r.kept], mode="lines", name="smoothed",
                             line=dict(color=color(0), width=3)))
    if r.kept < len(r.lr):
        fig.add_trace(go.Scatter(x=r.lr[r.kept - 1:], y=smooth[r.kept - 1:], mode="lines", name="after it broke",
                                 line=dict(color=color(5), width=2, dash="dot")))
        fig.add_vrect(x0=r.lr[r.kept], x1=r.lr[-1], fillcolor="#D55E00", opacity=0.08, line_width=0)
    fig.add_trace(go.Scatter(x=[r.suggestion], y=[r.smooth[r.suggestion_index]], mode="markers+text",
                             name=f"suggestion: {r.suggestion:.2g}", text=[f"{r.suggestion:.2g}"],
                             textposition="bottom left", marker=dict(size=14, color=color(2), symbol="star")))
    fig.add_vline(x=r.suggestion, line=dict(color=color(2), dash="dash"))
    best = int(np.nanargmin(smooth[: r.kept]))
    fig.add_trace(go.Scatter(x=[r.lr[best]], y=[r.smooth[best]], mode="markers", name=f"lowest: {r.lr[best]:.2g}",
                             marker=dict(size=11, color=color(1), symbol="circle")))
    lo = float(np.nanmin(smooth[: r.kept]))
    hi = float(np.nanmax(smooth[r.skip: r.kept])) if r.kept > r.skip else lo
    fig.update_xaxes(type="log", exponentformat="power")
    fig.update_yaxes(range=[lo - 0.15 * (hi - lo + 1e-9), hi + 0.6 * (hi - lo + 1e-9)])
    return fig


def batch_vs_decay_curves(r: "batch_vs_decay.Result") -> go.Figure:
    """Decay vs grown batch: per epoch, per update, the noise scale α/B they share, and the time per epoch."""
    race = r.race
    fig = make_subplots(rows=2, cols=2, vertical_spacing=0.24, horizontal_spacing=0.12,
                        subplot_titles=("validation loss per epoch", "validation loss per parameter update",
                                        "noise scale α / B", "time per epoch"))
    c = r.config
    names = [f"decay the lr: ÷{c.factor:g} every {c.every} epochs", f"grow the batch: ×{c.factor:g} every {c.every} "
             f"epochs", "constant lr and batch"]
    for i in range(len(race.labels)):
        style = dict(legendgroup=str(i), line=dict(color=color(i), width=(3.5, 2.5, 1.5)[i],
                                                   dash=("solid", "dash", "dot")[i]))
        val = _finite(race.val_loss[i])
        fig.add_trace(go.Scatter(x=race.epoch, y=val, name=names[i], **style), 1, 1)
        fig.add_trace(go.Scatter(x=r.updates[i], y=val, showlegend=False, **style), 1, 2)
        fig.add_trace(go.Scatter(x=race.epoch, y=race.lr[i] / race.batch_size[i], showlegend=False, line_shape="hv",
                                 **style), 2, 1)
        fig.add_trace(go.Scatter(x=race.epoch, y=race.epoch_time[i] * 1000, showlegend=False, **style), 2, 2)
    finish(fig, height=740,
           title="Decay the learning rate, or grow the batch by the same factor?")
    fig.update_xaxes(title_text="epoch", row=1, col=1)
    fig.update_xaxes(title_text="parameter updates", row=1, col=2)
    fig.update_xaxes(title_text="epoch", row=2, col=1)
    fig.update_xaxes(title_text="epoch", row=2, col=2)
    fig.update_yaxes(title_text="loss", row=1, col=1)
    log_axis(fig, race.lr / race.batch_size, title_text="α / B (∝ SGD noise)", row=2, col=1)
    fig.update_yaxes(title_text="ms", rangemode="tozero", row=2, col=2)
    return fig
