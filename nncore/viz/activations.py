"""Charts of the activation-function lessons: shapes and slopes, gradient through depth, zig-zag, dead units,
the convergence race and softmax. Each activation keeps one colour (and dash) on every chart."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.viz.theme import PALETTE, color, figure

if TYPE_CHECKING:
    from nncore.experiments import activation_race, activation_shapes, dead_units, gradient_depth, softmax, zigzag

ORDER = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "silu", "gelu", "prelu", "selu", "softplus", "maxout",
         "linear")
TOP, BOTTOM = 90, 140   # px: room for the title, and below the plot for the x-axis title and the legend
MAX_POINTS = 400


def _below(height: int) -> dict:
    """Layout settings that put the legend under the x-axis title, whatever the figure's height."""
    plot = height - TOP - BOTTOM
    return dict(legend=dict(orientation="h", yanchor="top", y=-70 / plot, x=0.0), margin=dict(t=TOP, b=BOTTOM))


def style(name: str) -> dict:
    """A fixed colour per activation; the names past the palette get a dashed line."""
    i = ORDER.index(name) if name in ORDER else len(ORDER)
    return dict(color=color(i), dash="solid" if i < len(PALETTE) else "dash", width=2.5)


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
                 height=460, **_below(460))
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
                 "input x (pre-activation)", "local slope f'(x)", height=460, **_below(460))
    for i, (name, label) in enumerate(zip(r.names, r.labels)):
        x, y = _thin(r.x, r.slopes[i])
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=label, line=style(name)))
        _shade(fig, r.regions[i], name)
    fig.add_hline(y=0.25, line=dict(color="#888", dash="dot"), annotation_text="0.25 = sigmoid's largest slope",
                  annotation_position="top left")
    fig.update_xaxes(zeroline=True, zerolinecolor="#999")
    return fig


def gradient_through_depth(r: "gradient_depth.Result") -> go.Figure:
    """Size of the gradient reaching each layer (measured), and the product of the layers' factors (dashed)."""
    layers = np.arange(1, r.grad_rms.shape[1] + 1)
    fig = figure("How much of the gradient reaches each layer?", "hidden layer (the gradient flows from right to left)",
                 "rms gradient ÷ rms at the top layer (log scale)", height=460, **_below(460))
    for i, (name, label) in enumerate(zip(r.names, r.labels)):
        measured = np.where(r.grad_rms[i] > 0, r.grad_rms[i], np.nan)
        fig.add_trace(go.Scatter(x=layers, y=measured, mode="lines+markers", name=f"{label}: measured (autograd)",
                                 line=style(name), legendgroup=name))
        fig.add_trace(go.Scatter(x=layers, y=r.slope_product[i], mode="lines", name=f"{label}: product of factors",
                                 line={**style(name), "dash": "dot", "width": 1.5}, legendgroup=name))
    fig.update_yaxes(type="log", exponentformat="power")
    return fig


def local_slopes(r: "gradient_depth.Result") -> go.Figure:
    """The mean local derivative |f'(z)| in every layer: the factor each layer multiplies the gradient by."""
    layers = np.arange(1, r.mean_slope.shape[1] + 1)
    fig = figure("What is the typical local slope f'(z) in each layer?", "hidden layer", "mean |f'(z)|",
                 height=400, **_below(400))
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
    fig.update_layout(template="nnlab", height=460, **_below(460),
                      title="Which way can each SGD step go? (contours: log of the loss)")
    return fig


def zigzag_loss(r: "zigzag.Result") -> go.Figure:
    """Loss after each step for both cases."""
    fig = figure("How fast does the loss fall?", "SGD step", "mean squared error (log scale)", height=360, **_below(360))
    steps = np.arange(r.losses.shape[1])
    for k, case in enumerate(r.cases):
        fig.add_trace(go.Scatter(x=steps, y=r.losses[k], mode="lines", name=case, line=dict(color=color(5 - 5 * k))))
    fig.update_yaxes(type="log", exponentformat="power")
    return fig


def dead_vs_bias(r: "dead_units.Result") -> go.Figure:
    """Share of dead hidden units at initialization as a function of the initial bias."""
    fig = figure("How many units are dead before training starts?", "initial bias of every hidden unit",
                 "dead units (0 slope on every sample)", height=420, **_below(420))
    for i, (name, label) in enumerate(zip(r.names, r.labels)):
        fig.add_trace(go.Scatter(x=r.biases, y=r.dead_vs_bias[i], mode="lines+markers", name=label,
                                 line=style(name), marker=dict(size=5)))
    for x, text in ((0.01, "0 and +0.01"), (r.config.negative_bias, f"{r.config.negative_bias:g}")):
        fig.add_vline(x=x, line=dict(color="#888", dash="dot"), annotation_text=text, annotation_position="top")
    fig.update_yaxes(tickformat=".0%", range=[-0.03, 1.05])
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
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.05,
                        subplot_titles=[f"learning rate {r.config.lr:g}", f"learning rate {r.config.large_lr:g}"])
    _dead_panel(fig, r.sensible, 1, True)
    _dead_panel(fig, r.large, 2, False)
    fig.update_layout(template="nnlab", height=420, **_below(420),
                      title="Do units die during training?")
    fig.update_xaxes(title_text="epoch (0 = at initialization)")
    fig.update_yaxes(title_text="dead units", tickformat=".0%", range=[-0.03, 1.05], row=1, col=1)
    return fig


def race_curves(r: "activation_race.Result") -> go.Figure:
    """Loss and accuracy per epoch, training and validation, one colour per activation."""
    fig = make_subplots(rows=2, cols=2, shared_xaxes=True, vertical_spacing=0.1, horizontal_spacing=0.08,
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
    fig.update_layout(template="nnlab", height=620, **_below(620),
                      title="Which activation learns fastest on the same network?")
    return fig


def race_summary(r: "activation_race.Result") -> go.Figure:
    """Epochs to the target training accuracy, and milliseconds per epoch, per activation."""
    names = list(r.runs)
    labels = [r.labels[n] for n in names]
    colors = [style(n)["color"] for n in names]
    reached = [r.runs[n].epochs_to_target for n in names]
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12,
                        subplot_titles=(f"epochs to {r.config.target_acc:.0%} training accuracy",
                                        "time per epoch (median, ms)"))
    fig.add_trace(go.Bar(x=labels, y=[e if e is not None else 0 for e in reached], marker_color=colors,
                         text=[str(e) if e is not None else f"not in {r.config.epochs}" for e in reached],
                         textposition="outside", showlegend=False), row=1, col=1)
    ms = [1000 * float(np.nanmedian(r.runs[n].epoch_time)) if np.isfinite(r.runs[n].epoch_time).any() else 0
          for n in names]
    fig.add_trace(go.Bar(x=labels, y=ms, marker_color=colors, text=[f"{m:.1f}" for m in ms], textposition="outside",
                         showlegend=False), row=1, col=2)
    fig.update_yaxes(title_text="epochs", rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title_text="ms", rangemode="tozero", row=1, col=2)
    fig.update_layout(template="nnlab", height=420, title="Who crossed the finish line first, and at what cost?",
                      margin=dict(t=110))
    return fig


def race_units(r: "activation_race.Result") -> go.Figure:
    """Dead units and activations passing (almost) no gradient, over training."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.08,
                        subplot_titles=("dead units (no gradient on any sample)", "activations with |f'(z)| < 0.01"))
    for name, run in r.runs.items():
        epochs = np.arange(0, len(run.dead_fraction) + 1)
        for k, (values, first) in enumerate(((run.dead_fraction, run.dead_at_init),
                                             (run.flat_fraction, run.flat_at_init))):
            fig.add_trace(go.Scatter(x=epochs, y=np.r_[first, values], mode="lines", name=r.labels[name],
                                     legendgroup=name, showlegend=k == 0, line=style(name)), row=1, col=k + 1)
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    fig.update_xaxes(title_text="epoch (0 = at initialization)")
    fig.update_layout(template="nnlab", height=420, **_below(420),
                      title="Are units dying or saturating while they train?")
    return fig


def softmax_bars(r: "softmax.Result") -> go.Figure:
    """The class probabilities at the chosen temperature, beside T = 1."""
    fig = figure(f"Which class does softmax pick, and how sure is it? (T = {r.config.temperature:g})", "class",
                 "probability", height=400, **_below(400))
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
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1,
                        subplot_titles=("loss", "gradient on the true class's score"))
    for k, (loss, grad, label, c) in enumerate(((r.sweep_ce, r.sweep_ce_grad, "cross-entropy: −log p", color(0)),
                                                 (r.sweep_mse, r.sweep_mse_grad, "squared error on p", color(5)))):
        fig.add_trace(go.Scatter(x=r.sweep, y=loss, mode="lines", name=label, legendgroup=label,
                                 line=dict(color=c, width=2.5)), row=1, col=1)
        fig.add_trace(go.Scatter(x=r.sweep, y=grad, mode="lines", name=label, legendgroup=label, showlegend=False,
                                 line=dict(color=c, width=2.5)), row=1, col=2)
    true = r.classes.index(r.config.true_class)
    for col in (1, 2):
        fig.add_vline(x=float(r.scores[true]), line=dict(color="#888", dash="dot"), row=1, col=col)
    fig.update_xaxes(title_text=f"score of the true class ({r.config.true_class})")
    fig.update_layout(template="nnlab", height=420, **_below(420),
                      title="Why does softmax want cross-entropy? (the log cancels the exp)")
    return fig
