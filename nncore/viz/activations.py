"""Charts of the activation-function lessons: shapes and slopes, gradient through depth, zig-zag, dead units,
the convergence race and softmax. Each activation keeps one colour (and dash) on every chart."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.viz.theme import PALETTE, color, figure, finish, log_axis, note

if TYPE_CHECKING:
    from nncore.experiments import activation_race, activation_shapes, dead_units, gradient_depth, softmax, zigzag

ORDER = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "silu", "gelu", "prelu", "selu", "softplus", "maxout",
         "linear")
MAX_POINTS = 400


DASHED = ("leaky_relu",)   # ReLU's twin: often on the same curve, dashed so the ReLU colour shows through the gaps


def style(name: str) -> dict:
    """A fixed colour per activation; Leaky ReLU and the names past the palette get a dashed line."""
    i = ORDER.index(name) if name in ORDER else len(ORDER)
    return dict(color=color(i), dash="solid" if i < len(PALETTE) and name not in DASHED else "dash", width=2.5)


def _at_zero(labels: list[str], values: list[np.ndarray], what: str = "0% all along") -> str:
    """'0% all along: A, B' for the curves that never leave 0 (drawn on top of each other), or ''."""
    flat = [label for label, v in zip(labels, values) if np.all(np.nan_to_num(np.asarray(v, dtype=float)) == 0)]
    return f"{what}: {', '.join(flat)}" if len(flat) > 1 else ""


def _thin(x: np.ndarray, *ys: np.ndarray):
    """At most MAX_POINTS points per curve (every k-th, the last one kept)."""
    step = max(1, int(np.ceil(len(x) / MAX_POINTS)))
    idx = np.unique(np.r_[np.arange(0, len(x), step), len(x) - 1])
    return (x[idx], *(y[idx] for y in ys))


def _shade(fig: go.Figure, regions: np.ndarray, name: str, row=None, col=None) -> None:
    for lo, hi in regions:
        fig.add_vrect(x0=lo, x1=hi, fillcolor=style(name)["color"], opacity=0.08, line_width=0, row=row, col=col)


def activation_curves(r: "activation_shapes.Result") -> go.Figure:
    """f(x) of each chosen activation, with the regions where its slope is below the threshold shaded."""
    fig = figure("What does each activation do to its input?", "input x (pre-activation)", "output f(x)",
                 height=460)
    for i, (name, label) in enumerate(zip(r.names, r.labels)):
        x, y = _thin(r.x, r.values[i])
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=label, line=style(name)))
        _shade(fig, r.regions[i], name)
    lo, hi = np.nanpercentile(r.values, [0, 100])
    fig.update_yaxes(range=[max(lo, -3.0) - 0.2, min(hi, r.config.x_max) + 0.2], zeroline=True, zerolinecolor="#999")
    fig.update_xaxes(zeroline=True, zerolinecolor="#999")
    return fig


def activation_slopes(r: "activation_shapes.Result") -> go.Figure:
    """f'(x) by autograd: where is it small (shaded), and how large can it be?"""
    thr = r.config.threshold
    fig = figure(f"How much gradient does each activation pass? (shaded: |f'(x)| < {thr:g})",
                 "input x (pre-activation)", "local slope f'(x)", height=460)
    for i, (name, label) in enumerate(zip(r.names, r.labels)):
        x, y = _thin(r.x, r.slopes[i])
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=label, line=style(name)))
        _shade(fig, r.regions[i], name)
    fig.add_hline(y=0.25, line=dict(color="#888", dash="dot"), annotation_text="0.25 = sigmoid's largest slope",
                  annotation_position="top left")
    lo, hi = float(np.nanmin(r.slopes)), float(np.nanmax(r.slopes))
    pad = 0.06 * (hi - lo or 1.0)   # curves at their largest slope stay off the frame
    fig.update_yaxes(range=[lo - pad, hi + pad])
    fig.update_xaxes(zeroline=True, zerolinecolor="#999")
    return fig


def gradient_through_depth(r: "gradient_depth.Result") -> go.Figure:
    """Size of the gradient reaching each layer (measured), and the product of the layers' factors (dotted)."""
    layers = np.arange(1, r.grad_rms.shape[1] + 1)
    fig = figure("How much of the gradient reaches each layer?", "hidden layer (the gradient flows from right to left)",
                 "rms gradient ÷ top layer's (log)", height=480)
    for i, (name, label) in enumerate(zip(r.names, r.labels)):
        measured = np.where(r.grad_rms[i] > 0, r.grad_rms[i], np.nan)
        fig.add_trace(go.Scatter(x=layers, y=measured, mode="lines+markers", name=label,
                                 hovertemplate="layer %{x}: %{y:.3g}<extra>" + label + ", measured (autograd)</extra>",
                                 line=style(name), legendgroup=name))
        fig.add_trace(go.Scatter(x=layers, y=r.slope_product[i], mode="lines", name=f"{label}: product of factors",
                                 line={**style(name), "dash": "dot", "width": 1.5}, legendgroup=name,
                                 showlegend=False))
    # one legend entry for the style shared by every dotted line (eight entries filled half the chart at 1024 px)
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name="dotted: product of the layers' factors",
                             line=dict(color="#666", dash="dot", width=1.5), hoverinfo="skip"))
    fig.update_yaxes(type="log", exponentformat="power")
    return fig


def local_slopes(r: "gradient_depth.Result") -> go.Figure:
    """The mean local derivative |f'(z)| in every layer: the factor each layer multiplies the gradient by."""
    layers = np.arange(1, r.mean_slope.shape[1] + 1)
    fig = figure("What is the typical local slope f'(z) in each layer?", "hidden layer", "mean |f'(z)|",
                 height=400)
    for i, (name, label) in enumerate(zip(r.names, r.labels)):
        fig.add_trace(go.Scatter(x=layers, y=r.mean_slope[i], mode="lines+markers", name=label, line=style(name)))
    fig.add_hline(y=0.25, line=dict(color="#888", dash="dot"), annotation_text="0.25", annotation_position="top left")
    fig.update_yaxes(rangemode="tozero")
    return fig


def zigzag_paths(r: "zigzag.Result") -> go.Figure:
    """The weight path of SGD over the loss contours, all-positive inputs beside zero-centered ones."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=[c.capitalize() for c in r.cases], shared_yaxes=True,
                        horizontal_spacing=0.06)
    target = (r.config.target_w1, r.config.target_w2)
    for k in range(2):
        levels = np.log10(r.surface[k] + 1e-6)
        fig.add_trace(go.Contour(x=r.grid_w1, y=r.grid_w2, z=levels, showscale=False, ncontours=18,
                                 colorscale="Greys", reversescale=True, contours=dict(coloring="lines"),
                                 hoverinfo="skip"), row=1, col=k + 1)
        path = r.paths[k]
        fig.add_trace(go.Scatter(x=path[:, 0], y=path[:, 1], mode="lines+markers", name="SGD path" if k == 0 else None,
                                 showlegend=k == 0, line=dict(color=color(5), width=2), marker=dict(size=4),
                                 hovertemplate="w1 %{x:.3f}<br>w2 %{y:.3f}<extra></extra>"), row=1, col=k + 1)
        fig.add_trace(go.Scatter(x=[target[0]], y=[target[1]], mode="markers", name="target" if k == 0 else None,
                                 showlegend=k == 0, marker=dict(symbol="star", size=16, color=color(2))),
                      row=1, col=k + 1)
        fig.add_trace(go.Scatter(x=[0], y=[0], mode="markers", name="start" if k == 0 else None, showlegend=k == 0,
                                 marker=dict(size=10, color="#000")), row=1, col=k + 1)
        fig.update_xaxes(title_text="w1", range=[r.grid_w1[0], r.grid_w1[-1]], row=1, col=k + 1)
    fig.update_yaxes(title_text="w2", range=[r.grid_w2[0], r.grid_w2[-1]], row=1, col=1)
    finish(fig, height=460, title="Which way can each SGD step go? (contours: log of the loss)")
    return fig


def zigzag_loss(r: "zigzag.Result") -> go.Figure:
    """Loss after each step for both cases."""
    fig = figure("How fast does the loss fall?", "SGD step", "mean squared error (log scale)", height=400)
    steps = np.arange(r.losses.shape[1])
    for k, case in enumerate(r.cases):
        fig.add_trace(go.Scatter(x=steps, y=r.losses[k], mode="lines", name=case, line=dict(color=color(5 - 5 * k))))
    log_axis(fig, r.losses)
    return fig


def dead_vs_bias(r: "dead_units.Result") -> go.Figure:
    """Share of dead hidden units at initialization as a function of the initial bias."""
    fig = figure("How many units are dead before training starts?", "initial bias of every hidden unit",
                 "dead units (0 slope on every sample)", height=420)
    for i, (name, label) in enumerate(zip(r.names, r.labels)):
        fig.add_trace(go.Scatter(x=r.biases, y=r.dead_vs_bias[i], mode="lines+markers", name=label,
                                 line=style(name), marker=dict(size=5)))
    for x, text in ((0.01, "0 and +0.01"), (r.config.negative_bias, f"{r.config.negative_bias:g}")):
        fig.add_vline(x=x, line=dict(color="#888", dash="dot"), annotation_text=text, annotation_position="top")
    fig.update_yaxes(tickformat=".0%", range=[-0.03, 1.05])
    if flat := _at_zero(list(r.labels), list(r.dead_vs_bias), "0% at every bias (one line on another)"):
        finish(fig, title_subtitle_text=flat)
    return fig


def _dead_panel(fig: go.Figure, race: "activation_race.Result", col: int, legend: bool) -> None:
    for name, run in race.runs.items():
        epochs = np.arange(0, len(run.dead_fraction) + 1)
        fig.add_trace(go.Scatter(x=epochs, y=np.r_[run.dead_at_init, run.dead_fraction], mode="lines+markers",
                                 name=race.labels[name], showlegend=legend, legendgroup=name, line=style(name),
                                 marker=dict(size=4)), row=1, col=col)
        if run.diverged_at is not None:
            fig.add_trace(go.Scatter(x=[run.diverged_at], y=[0], mode="markers+text", text=["NaN"],
                                     textposition="top center", showlegend=False, marker=dict(symbol="x", size=12,
                                     color=style(name)["color"])), row=1, col=col)


def dead_during_training(r: "dead_units.Result") -> go.Figure:
    """Dead share after each epoch, at a sensible and at a too-large learning rate."""
    titles = []
    for lr, race in ((r.config.lr, r.sensible), (r.config.large_lr, r.large)):
        kept = {n: run for n, run in race.runs.items() if run.diverged_at is None}
        flat = _at_zero([race.labels[n] for n in kept], [np.r_[run.dead_at_init, run.dead_fraction]
                                                         for run in kept.values()])
        titles.append(f"learning rate {lr:g}" + (f"<br>{note(flat, 30)}" if flat else ""))
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.05, subplot_titles=titles)
    _dead_panel(fig, r.sensible, 1, True)
    _dead_panel(fig, r.large, 2, False)
    finish(fig, height=420, title="Do units die during training?")
    fig.update_xaxes(title_text="epoch (0 = at init)")   # twice side by side: short enough not to collide
    fig.update_yaxes(title_text="dead units", tickformat=".0%", range=[-0.03, 1.05], row=1, col=1)
    return fig


def race_curves(r: "activation_race.Result") -> go.Figure:
    """Loss and accuracy per epoch, training and validation, one colour per activation."""
    fig = make_subplots(rows=2, cols=2, shared_xaxes=True, shared_yaxes=True, vertical_spacing=0.12,
                        horizontal_spacing=0.04,
                        subplot_titles=("training loss", "validation loss", "training accuracy", "validation accuracy"))
    for name, run in r.runs.items():
        epochs = np.arange(1, len(run.train_loss) + 1)
        for k, (values, row, col) in enumerate(((run.train_loss, 1, 1), (run.val_loss, 1, 2),
                                                (run.train_acc, 2, 1), (run.val_acc, 2, 2))):
            fig.add_trace(go.Scatter(x=epochs, y=values, mode="lines", name=r.labels[name], legendgroup=name,
                                     showlegend=k == 0, line=style(name)), row=row, col=col)
    fig.add_hline(y=r.config.target_acc, line=dict(color="#888", dash="dot"), row=2, col=1,
                  annotation_text=f"target {r.config.target_acc:.0%}", annotation_position="bottom right")
    fig.update_yaxes(rangemode="tozero", row=1)
    fig.update_yaxes(tickformat=".0%", row=2)
    fig.update_xaxes(title_text="epoch", row=2)
    finish(fig, height=620, title="Which activation learns fastest on the same network?")
    return fig


def race_summary(r: "activation_race.Result") -> go.Figure:
    """Epochs to the target training accuracy, and milliseconds per epoch, per activation."""
    names = list(r.runs)
    labels = [r.labels[n] for n in names]
    colors = [style(n)["color"] for n in names]
    reached = [r.runs[n].epochs_to_target for n in names]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.06,
                        subplot_titles=(f"epochs to {r.config.target_acc:.0%}<br>training accuracy",
                                        "time per epoch<br>(median)"))
    # horizontal bars: the activation names read once, level, on the left, however narrow the chart
    fig.add_trace(go.Bar(y=labels, x=[e if e is not None else 0 for e in reached], marker_color=colors,
                         orientation="h", text=[str(e) if e is not None else f"not in {r.config.epochs}"
                                                for e in reached],
                         textposition="outside", cliponaxis=False, showlegend=False), row=1, col=1)
    ms = [1000 * float(np.nanmedian(r.runs[n].epoch_time)) if np.isfinite(r.runs[n].epoch_time).any() else 0
          for n in names]
    fig.add_trace(go.Bar(y=labels, x=ms, marker_color=colors, orientation="h", text=[f"{m:.1f}" for m in ms],
                         textposition="outside", cliponaxis=False, showlegend=False), row=1, col=2)
    fig.update_yaxes(autorange="reversed", row=1, col=1)
    top = max([e for e in reached if e is not None] + [1])
    fig.update_xaxes(title_text="epochs", range=[0, 1.3 * top], row=1, col=1)
    fig.update_xaxes(title_text="ms", range=[0, 1.3 * max(ms + [1e-3])], row=1, col=2)
    finish(fig, height=120 + 34 * len(names) + 110, title="Who crossed the finish line first, and at what cost?")
    return fig


def race_units(r: "activation_race.Result") -> go.Figure:
    """Dead units and activations passing (almost) no gradient, over training."""
    titles = []
    for title, key in (("dead units (no gradient on any sample)", "dead"),
                       ("activations with |f'(z)| < 0.01<br>(saturated ends, or the low-z side)", "flat")):
        flat = _at_zero([r.labels[n] for n, run in r.runs.items() if run.diverged_at is None],
                        [np.r_[getattr(run, f"{key}_at_init"), getattr(run, f"{key}_fraction")]
                         for run in r.runs.values() if run.diverged_at is None])
        titles.append(title + (f"<br>{note(flat, 30)}" if flat else ""))
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1, subplot_titles=titles)
    for name, run in r.runs.items():
        epochs = np.arange(0, len(run.dead_fraction) + 1)
        for k, (values, first) in enumerate(((run.dead_fraction, run.dead_at_init),
                                             (run.flat_fraction, run.flat_at_init))):
            fig.add_trace(go.Scatter(x=epochs, y=np.r_[first, values], mode="lines", name=r.labels[name],
                                     legendgroup=name, showlegend=k == 0, line=style(name)), row=1, col=k + 1)
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    fig.update_xaxes(title_text="epoch (0 = at init)")   # twice side by side: short enough not to collide
    finish(fig, height=440, title="Are units dying or saturating while they train?")
    return fig


def softmax_bars(r: "softmax.Result") -> go.Figure:
    """The class probabilities at the chosen temperature, beside T = 1."""
    fig = figure(f"Which class does softmax pick, and how sure is it? (T = {r.config.temperature:g})", "class",
                 "probability", height=400)
    true = r.config.true_class
    names = [f"{c} (true)" if c == true else c for c in r.classes]
    fig.add_trace(go.Bar(x=names, y=r.probs, name=f"softmax(z / {r.config.temperature:g})", marker_color=color(0),
                         text=[f"{p:.1%}" for p in r.probs], textposition="outside"))
    if r.config.temperature != 1.0:
        fig.add_trace(go.Bar(x=names, y=r.probs_t1, name="T = 1", marker_color="#bbb"))
    fig.update_yaxes(range=[0, 1.12], tickformat=".0%")
    fig.update_layout(barmode="group")
    return fig


def softmax_losses(r: "softmax.Result") -> go.Figure:
    """Loss and its gradient on the true class's score as that score moves: cross-entropy vs squared error."""
    # one above the other on the same score axis: side by side, the two x-axis titles ran into each other at 1024 px
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=("loss", "gradient on the true class's score"))
    for k, (loss, grad, label, c) in enumerate(((r.sweep_ce, r.sweep_ce_grad, "cross-entropy: −log p", color(0)),
                                                 (r.sweep_mse, r.sweep_mse_grad, "squared error on p", color(5)))):
        fig.add_trace(go.Scatter(x=r.sweep, y=loss, mode="lines", name=label, legendgroup=label,
                                 line=dict(color=c, width=2.5)), row=1, col=1)
        fig.add_trace(go.Scatter(x=r.sweep, y=grad, mode="lines", name=label, legendgroup=label, showlegend=False,
                                 line=dict(color=c, width=2.5)), row=2, col=1)
    now = float(r.scores[r.classes.index(r.config.true_class)])
    fig.add_vline(x=now, line=dict(color="#888", dash="dot"), row=1, col=1, annotation_text=f"now: {now:.3g}",
                  annotation_position="top right")
    fig.add_vline(x=now, line=dict(color="#888", dash="dot"), row=2, col=1)
    fig.update_xaxes(title_text=f"score of the true class ({r.config.true_class})", row=2, col=1)
    finish(fig, height=560, title="Why does softmax want cross-entropy? (the log cancels the exp)")
    return fig
