"""Charts of the weight-initialization lesson: per-layer statistics, histograms, gradients, saturation."""
from __future__ import annotations

import copy
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.i18n import _, number
from nncore.viz._private import grid_shape
from nncore.viz.theme import color, figure, finish, mark_guess

if TYPE_CHECKING:
    from nncore.experiments.weight_init import Result

MAX_PANELS = 10


def _name(r: "Result") -> str:
    c = r.config
    scale = f" ×{c.init_scale:g}" if c.init in ("normal", "uniform", "constant") else ""
    return f"{c.init}{scale}, {c.activation}{', BN' if c.batchnorm else ''}"


def _layers(r: "Result") -> np.ndarray:
    return np.arange(1, len(r.forward_std) + 1)


def layer_stats(runs: list["Result"], log_std: bool = False, guess: float | None = None) -> go.Figure:
    """Mean and std of each hidden layer's output: does the signal keep its scale through the depth? With the
    student's `guess` of the last layer's std marked."""
    # one above the other on a shared layer axis: side by side, the std panel's axis ran into the mean panel in a
    # chart beside the controls on a projector
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12, row_heights=[0.4, 0.6],
                        subplot_titles=(_("Mean of the layer's output"), _("Std of the layer's output")))
    for i, r in enumerate(runs):
        style = dict(mode="lines+markers", name=_name(r), line=dict(color=color(i)), legendgroup=str(i))
        fig.add_trace(go.Scatter(x=_layers(r), y=r.forward_mean, **style), row=1, col=1)
        fig.add_trace(go.Scatter(x=_layers(r), y=r.forward_std, showlegend=False, **style), row=2, col=1)
    if guess is not None:
        mark_guess(fig, _layers(runs[0])[-1], guess, row=2, col=1)
    finish(fig, title=_("Do the activations keep their scale from layer to layer?"), height=560, showlegend=True)
    fig.update_xaxes(dtick=1 if len(runs[0].forward_std) <= 20 else None)
    fig.update_xaxes(title_text=_("hidden layer"), row=2, col=1)
    fig.update_yaxes(title_text=_("mean"), range=_mean_range(runs), row=1, col=1)
    if log_std:
        fig.update_yaxes(title_text=_("std (log scale)"), type="log", exponentformat="power", row=2, col=1)
    else:
        fig.update_yaxes(title_text=_("std"), rangemode="tozero", row=2, col=1)
    return fig


def _mean_range(runs: list["Result"]) -> list[float]:
    """At least ±0.1, so a mean that is 0 up to sampling noise looks like 0 and not like a zigzag."""
    values = np.concatenate([r.forward_mean[np.isfinite(r.forward_mean)] for r in runs] + [np.array([-0.1, 0.1])])
    return [1.1 * float(values.min()), 1.1 * float(values.max())]


def _panels(depth: int) -> list[int]:
    """At most MAX_PANELS evenly spaced layer indices, always the first and the last."""
    return sorted(set(np.linspace(0, depth - 1, min(depth, MAX_PANELS)).round().astype(int).tolist()))


def layer_histograms(r: "Result") -> go.Figure:
    """The lecture's figure: one histogram per layer on a shared range, so a collapse or a saturation shows."""
    shown = _panels(len(r.hist_counts))
    fig = copy.deepcopy(_histogram_grid(tuple(_("layer {layer}").format(layer=i + 1) for i in shown)))
    rows, cols = grid_shape(fig)
    fig.add_traces([_histogram(r, i) for i in shown], rows=[k // cols + 1 for k in range(len(shown))],
                   cols=[k % cols + 1 for k in range(len(shown))])
    lo, hi = float(r.hist_edges[0, 0]), float(r.hist_edges[0, -1])
    # two labels clear of the edges (three do not fit a panel 55 px wide, a chart beside the controls at 1024 px);
    # 0 is the zero line
    ticks = [lo / 2, hi / 2] if lo < 0 < hi else [lo + (hi - lo) / 4, hi - (hi - lo) / 4]
    top = max(float((r.hist_counts[i] / max(r.hist_counts[i].sum(), 1)).max()) for i in shown)
    axes = {ax.plotly_name: dict(range=[lo, hi], tickvals=ticks, tickformat=".2~g", tickangle=0,
                                 zeroline=lo < 0 < hi, zerolinecolor="#bbbbbb", layer="below traces")
            for ax in fig.select_xaxes()}
    axes[fig.get_subplot(rows, (cols + 1) // 2).xaxis.plotly_name]["title"] = dict(text=_("output value"))  # once
    axes |= {ax.plotly_name: dict(tickformat=".0%", range=[0, 1.08 * top or 1]) for ax in fig.select_yaxes()}
    for ax in fig.select_yaxes(col=1):
        axes[ax.plotly_name]["title"] = dict(text=_("share"))
    finish(fig, axes=axes, height=260 + 190 * rows, bargap=0,
           title=_("Where do the outputs of each layer lie? ({samples} samples per layer)").format(
               samples=number(r.subsample, ",")))
    return fig


@lru_cache(maxsize=64)
def _histogram_grid(titles: tuple[str, ...]) -> go.Figure:
    """The empty grid of layer_histograms, one panel per title, five to a row, on shared axes. For ten panels
    make_subplots took ~40 ms here and a deep copy ~12 ms, so each grid (per depth and language) is built once:
    never change the cached figure (every session shares it), change a copy.deepcopy of it."""
    cols = min(len(titles), 5)
    return make_subplots(rows=-(-len(titles) // cols), cols=cols, shared_yaxes="all", shared_xaxes="all",
                         horizontal_spacing=0.03, vertical_spacing=0.16, subplot_titles=titles)


def _histogram(r: "Result", i: int) -> go.Bar:
    """Layer i's histogram as bars: the share of the outputs in each bin."""
    edges, counts = r.hist_edges[i], r.hist_counts[i]
    share = counts / max(counts.sum(), 1)
    return go.Bar(x=(edges[:-1] + edges[1:]) / 2, y=share, width=np.diff(edges), marker_color=color(0),
                  showlegend=False, hovertemplate=_("value %{x:.3g}<br>share %{y:.1%}<extra></extra>"))


def gradient_stds(runs: list["Result"]) -> go.Figure:
    """Std of the gradient reaching each layer in the backward pass: does it vanish or explode on its way down?"""
    fig = figure(_("Does the gradient survive the backward pass?"),
                 _("hidden layer (the gradient flows from right to left)"), _("std of dLoss/d(output) (log scale)"),
                 height=400, showlegend=True)
    for i, r in enumerate(runs):
        fig.add_trace(go.Scatter(x=_layers(r), y=r.grad_std, mode="lines+markers", name=_name(r),
                                 line=dict(color=color(i))))
    fig.update_yaxes(type="log", exponentformat="power")
    return fig


def unit_health(runs: list["Result"]) -> go.Figure:
    """Per layer, the share of saturated outputs (tanh, sigmoid) or of dead units (ReLU-like)."""
    fig = figure(_("How many units are stuck: saturated or dead?"), _("hidden layer"), _("share of the layer's units"),
                 height=400, showlegend=True)   # the legend says what is counted, also for one run
    empty, top = [], 0.0
    for i, r in enumerate(runs):
        sat, dead = r.saturated_fraction, r.dead_fraction
        dead_units = not np.all(np.isnan(dead))
        values = dead if dead_units else sat
        what = _("dead units (0 on every sample)") if dead_units else _("saturated outputs (within 0.01 of a bound)")
        fig.add_trace(go.Bar(x=_layers(r), y=np.nan_to_num(values), name=f"{_name(r)}:<br>{what}",
                             marker_color=color(i)))
        top = max(top, float(np.nan_to_num(values).max(initial=0)))
        if not np.any(np.nan_to_num(values) > 0):
            empty.append((_("{run}: no dead units in any layer") if dead_units else
                          _("{run}: no saturated outputs in any layer")).format(run=_name(r)))
    fig.update_yaxes(tickformat=".0%", range=[0, min(1.0, max(0.1, 1.15 * top))])   # 7% dead stays visible
    fig.update_layout(barmode="group")
    if empty:   # all-zero bars draw nothing: say so rather than show an empty frame
        finish(fig, title_subtitle_text=_("The bars are 0 — {runs}").format(runs="; ".join(empty)))
    return fig
