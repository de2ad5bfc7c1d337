"""Charts of the regularization lessons: curves, decision boundaries, weights, early stopping, normalization axes."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.viz.theme import PALETTE, color, figure, finish

if TYPE_CHECKING:
    from nncore.regularization import NormAxes, PathResult, Result

MAX_POINTS = 400     # points per curve after thinning
CLASS_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999",
                "#882255"]


def _thin(x: np.ndarray, *ys: np.ndarray) -> tuple[np.ndarray, ...]:
    """At most MAX_POINTS evenly spaced points, the last one kept."""
    if len(x) <= MAX_POINTS:
        return (x, *ys)
    idx = np.unique(np.r_[np.linspace(0, len(x) - 1, MAX_POINTS).round().astype(int), len(x) - 1])
    return (x[idx], *(y[idx] for y in ys))


def _layout(fig: go.Figure, title: str, height: int = 430) -> go.Figure:
    return finish(fig, title=title, height=height)


def curves(runs: Sequence["Result"], names: Sequence[str]) -> go.Figure:
    """Training and validation loss (and accuracy) per epoch for each run: where do the two curves separate?"""
    has_acc = runs[0].history.val_acc is not None
    fig = make_subplots(rows=1, cols=2 if has_acc else 1, horizontal_spacing=0.09,
                        subplot_titles=("Loss", "Accuracy") if has_acc else ("Loss",))
    for i, (r, name) in enumerate(zip(runs, names)):
        h = r.history
        for metric, col in (("loss", 1), ("acc", 2)):
            if metric == "acc" and not has_acc:
                continue
            for split, dash in (("train", "dot"), ("val", "solid")):
                y = getattr(h, f"{split}_{metric}")
                x, y = _thin(h.epoch, y)
                label = "training" if split == "train" else "validation"
                fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=f"{name}: {label}",
                                         line=dict(color=color(i), dash=dash, width=2.5 if split == "val" else 2),
                                         legendgroup=f"{i}{split}", showlegend=col == 1), row=1, col=col)
        if h.best_epoch:
            fig.add_trace(go.Scatter(x=[h.best_epoch], y=[h.val_loss[h.best_epoch - 1]], mode="markers",
                                     marker=dict(color=color(i), size=11, symbol="star",
                                                 line=dict(color="white", width=1)),
                                     name=f"{name}:{'<br>' if len(name) > 20 else ' '}lowest validation loss "
                                          f"(epoch {h.best_epoch})",   # a long name: two lines, not cut off
                                     legendgroup=f"{i}best"), row=1, col=1)
    fig.update_xaxes(title_text="epoch")
    losses = np.concatenate([np.r_[r.history.train_loss, r.history.val_loss] for r in runs])
    losses = losses[np.isfinite(losses) & (losses > 0)]
    wide = len(losses) and losses.max() > 1e3 * max(losses.min(), 1e-12)   # a blow-up next to a trained run
    y_title = ("cross-entropy loss" if has_acc else "mean squared error") + (" (log)" if wide else "")
    fig.update_yaxes(title_text=y_title,
                     type="log" if wide else None, exponentformat="power", row=1, col=1)
    if has_acc:
        # on the right side: on the left, its labels and title ran into the loss panel in a narrow chart
        fig.update_yaxes(title_text="accuracy", tickformat=".0%", side="right", row=1, col=2)
    return _layout(fig, "Do the training and validation curves stay together?", 540)


def decision_boundaries(runs: Sequence["Result"], names: Sequence[str]) -> go.Figure:
    """The predicted class over the plane with the training (●) and validation (✕) points, one panel per run."""
    shown = [(r, n) for r, n in zip(runs, names) if r.grid_prob is not None]
    if not shown:
        return figure("No decision boundary: it is drawn for the 2D sets only", "x₁", "x₂")
    fig = make_subplots(rows=1, cols=len(shown), horizontal_spacing=0.04, shared_yaxes=True,   # the same plane
                        subplot_titles=[f"{n} — validation error {r.val_err:.0%}" for r, n in shown])
    for j, (r, _) in enumerate(shown, start=1):
        if r.n_classes == 2:
            z, scale, zrange = r.grid_prob, [[0, CLASS_COLORS[0]], [0.5, "#ffffff"], [1, CLASS_COLORS[1]]], (0, 1)
        else:
            z = r.grid_class.astype(float)
            scale = [[k / max(r.n_classes - 1, 1), CLASS_COLORS[k]] for k in range(r.n_classes)]
            zrange = (0, r.n_classes - 1)
        fig.add_trace(go.Heatmap(x=r.grid_x, y=r.grid_y, z=np.round(z, 3), colorscale=scale, zmin=zrange[0],
                                 zmax=zrange[1], opacity=0.45, showscale=False, hoverinfo="skip"), row=1, col=j)
        if r.n_classes == 2:
            fig.add_trace(go.Contour(x=r.grid_x, y=r.grid_y, z=np.round(r.grid_prob, 3), contours=dict(
                start=0.5, end=0.5, size=1, coloring="none"), line=dict(color="black", width=2), showscale=False,
                hoverinfo="skip", showlegend=False), row=1, col=j)
        for split, pts, labels, symbol in (("training", r.points_train, r.labels_train, "circle"),
                                           ("validation", r.points_val, r.labels_val, "x")):
            for k in range(r.n_classes):
                sel = labels == k
                fig.add_trace(go.Scatter(
                    x=np.round(pts[sel, 0], 3), y=np.round(pts[sel, 1], 3), mode="markers",
                    name=f"class {k}, {split}", legendgroup=f"{k}{split}", showlegend=j == 1,
                    marker=dict(color=CLASS_COLORS[k], symbol=symbol, size=7 if symbol == "circle" else 8,
                                line=dict(color="white" if symbol == "circle" else CLASS_COLORS[k], width=1))),
                    row=1, col=j)
        fig.update_xaxes(title_text="x₁", row=1, col=j)
    fig.update_yaxes(title_text="x₂", row=1, col=1)
    return _layout(fig, "Where does each net draw the boundary between the classes?", 480)


def regression_fits(runs: Sequence["Result"], names: Sequence[str]) -> go.Figure:
    """1D regression: the fitted curve over the training and validation points."""
    fig = figure("How closely does each net follow the noisy points?", "x", "y")
    r0 = runs[0]
    fig.add_trace(go.Scatter(x=r0.points_train[:, 0], y=r0.labels_train[:, 0], mode="markers", name="training",
                             marker=dict(color="#999999", size=6)))
    fig.add_trace(go.Scatter(x=r0.points_val[:, 0], y=r0.labels_val[:, 0], mode="markers", name="validation",
                             marker=dict(color="#000000", symbol="x", size=7)))
    for i, (r, name) in enumerate(zip(runs, names)):
        if r.curve_x is not None:
            fig.add_trace(go.Scatter(x=r.curve_x, y=r.curve_y, mode="lines", name=name,
                                     line=dict(color=color(i), width=3)))
    return _layout(fig, "How closely does each net follow the noisy points?")


def weight_histograms(runs: Sequence["Result"], names: Sequence[str], bins: int = 61) -> go.Figure:
    """Histogram of every weight (log counts), with the exactly-zero weights as their own bar."""
    fig = figure("How do the penalties reshape the weights?", "weight value", "number of weights (log)")
    span = max(float(np.quantile(np.abs(r.weights), 0.995)) for r in runs) or 1.0
    edges = np.linspace(-span, span, bins + 1)
    top = 1
    for i, (r, name) in enumerate(zip(runs, names)):
        nonzero = r.weights[r.weights != 0]
        counts, _ = np.histogram(np.clip(nonzero, -span, span), edges)
        top = max(top, int(counts.max(initial=0)), r.zero_weights)
        # outlines, not bars: three overlaid translucent bar sets mixed into colours of their own
        floor = np.maximum(np.r_[counts, counts[-1]], 0.5)   # an empty bin drops below the axis, not out of the line
        fig.add_trace(go.Scatter(x=np.round(edges, 5), y=floor,
                                 name=f"{name} ({r.zero_weights:,} exactly 0)", mode="lines",
                                 line=dict(color=color(i), width=2.5 - 0.5 * i, shape="hv")))
        if r.zero_weights:
            fig.add_trace(go.Scatter(x=[0], y=[r.zero_weights], mode="markers+text", text=[f"{r.zero_weights:,} × 0"],
                                     textposition="top center", marker=dict(color=color(i), size=14, symbol="diamond"),
                                     name=f"{name}: weights exactly 0", showlegend=False))
    fig.update_yaxes(type="log", dtick=1, range=[np.log10(0.7), np.log10(4 * top)])
    return _layout(fig, "How do the penalties reshape the weights?")


def regularization_path(p: "PathResult") -> go.Figure:
    """Final losses and weight size against the penalty strength λ."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1,
                        subplot_titles=("Loss of the final model", "Size of the weights"))
    style = dict(mode="lines+markers")
    fig.add_trace(go.Scatter(x=p.lambdas, y=p.train_loss, name="training loss", line=dict(color=color(0), dash="dot"),
                             **style), row=1, col=1)
    fig.add_trace(go.Scatter(x=p.lambdas, y=p.val_loss, name="validation loss", line=dict(color=color(0)), **style),
                  row=1, col=1)
    fig.add_hline(y=p.baseline_val_loss, line=dict(color="#666", dash="dash"), row=1, col=1,
                  annotation_text="validation loss with λ = 0", annotation_position="top left")
    fig.add_trace(go.Scatter(x=p.lambdas, y=p.weight_norm, name="Σ|w|", line=dict(color=color(1)), **style),
                  row=1, col=2)
    fig.add_trace(go.Scatter(x=p.lambdas, y=p.zero_fraction * p.weight_norm.max(), name="share of weights = 0 (scaled)",
                             customdata=p.zero_fraction, hovertemplate="%{customdata:.1%} exactly 0",
                             line=dict(color=color(2), dash="dash"), **style), row=1, col=2)
    fig.update_xaxes(type="log", title_text=f"λ ({p.config.penalty.replace('_', ' ')})", exponentformat="power")
    fig.update_yaxes(title_text="loss", row=1, col=1)
    fig.update_yaxes(title_text="Σ|w|", side="right", row=1, col=2)   # clear of the loss panel
    return _layout(fig, "How strong should the penalty be?", 440)


def early_stopping(r: "Result") -> go.Figure:
    """The validation curve with the best epoch, the patience window, min_delta and the stop epoch."""
    h, c = r.history, r.config
    fig = figure("When does early stopping stop, and which weights does it keep?", "epoch",
                 "cross-entropy loss" if r.kind == "classification" else "mean squared error")
    x, tr, va = _thin(h.epoch, h.train_loss, h.val_loss)
    fig.add_trace(go.Scatter(x=x, y=tr, mode="lines", name="training loss", line=dict(color=color(0), dash="dot")))
    fig.add_trace(go.Scatter(x=x, y=va, mode="lines", name="validation loss", line=dict(color=color(0), width=3)))
    if h.best_epoch:
        best = h.best_val_loss
        if c.min_delta:
            fig.add_hrect(y0=best - c.min_delta, y1=best, fillcolor=color(1), opacity=0.2, line_width=0,
                          annotation_text=f"min_delta = {c.min_delta:g}", annotation_position="bottom left")
        if c.patience:
            fig.add_vrect(x0=h.best_epoch, x1=min(h.best_epoch + c.patience, h.stopped_epoch), fillcolor=color(2),
                          opacity=0.12, line_width=0, annotation_text=f"patience {c.patience}",
                          annotation_position="top left")
        fig.add_vline(x=h.best_epoch, line=dict(color=color(2), dash="dash"))
        fig.add_trace(go.Scatter(x=[h.best_epoch], y=[best], mode="markers", name=f"best epoch {h.best_epoch}",
                                 marker=dict(color=color(2), size=13, symbol="star")))
    if h.stop_reason == "early_stopping":
        fig.add_vline(x=h.stopped_epoch, line=dict(color=color(5), dash="dash"))
        fig.add_trace(go.Scatter(x=[h.stopped_epoch], y=[h.val_loss[-1]], mode="markers",
                                 name=f"stopped at epoch {h.stopped_epoch}",
                                 marker=dict(color=color(5), size=12, symbol="square")))
    if h.restored_best:
        fig.add_trace(go.Scatter(x=[h.stopped_epoch], y=[h.final_val_loss], mode="markers",
                                 name=f"returned model: validation loss {h.final_val_loss:.3f}",
                                 marker=dict(color=color(2), size=12, symbol="diamond-open", line=dict(width=3))))
    return _layout(fig, "When does early stopping stop, and which weights does it keep?")


def activation_spread(runs: Sequence["Result"], names: Sequence[str]) -> go.Figure:
    """Std of each hidden layer's output at a few epochs during training, one panel per run (runs that diverged
    before the first snapshot are left out)."""
    names = [n for r, n in zip(runs, names) if len(r.act_std)]
    runs = [r for r in runs if len(r.act_std)]
    if not runs:
        return figure("No activation statistics: the runs stopped before the first snapshot", "epoch", "std")
    fig = make_subplots(rows=1, cols=len(runs), subplot_titles=list(names), horizontal_spacing=0.08)
    for j, r in enumerate(runs, start=1):
        if np.isfinite(r.act_std).any() and np.nanmax(r.act_std) > 1e3:   # a blow-up would flatten the rest
            fig.update_yaxes(type="log", exponentformat="power", row=1, col=j)
        for layer in range(r.act_std.shape[1] if r.act_std.ndim == 2 else 0):
            q = r.act_quantiles[:, layer]
            fig.add_trace(go.Scatter(x=r.snapshot_epochs, y=r.act_std[:, layer], mode="lines+markers",
                                     name=f"layer {layer + 1}", legendgroup=str(layer), showlegend=j == 1,
                                     line=dict(color=color(layer)),
                                     customdata=np.round(q, 3),
                                     hovertemplate="std %{y:.3f}<br>5–95%%: %{customdata[0]} … %{customdata[4]}"),
                          row=1, col=j)
        fig.update_xaxes(title_text="epoch", row=1, col=j)
    fig.update_yaxes(title_text="std of the layer's output", row=1, col=1)
    return _layout(fig, "How spread out are each layer's activations during training?")


def bn_train_eval(r: "Result") -> go.Figure:
    """One batch through the first batch-norm layer: its own mean/variance vs the running averages."""
    b = r.bn_batch
    if b is None:
        return figure("No batch norm in this run", "unit", "value")
    units = np.arange(1, len(b["batch_mean"]) + 1)
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Mean of the unit's input", "Variance of the unit's input"))
    for col, key in ((1, "mean"), (2, "var")):
        fig.add_trace(go.Bar(x=units, y=b[f"batch_{key}"], name=f"this batch of {b['batch']} (train mode)",
                             marker_color=color(0), showlegend=col == 1), row=1, col=col)
        fig.add_trace(go.Bar(x=units, y=b[f"running_{key}"], name="running average (eval mode)",
                             marker_color=color(1), showlegend=col == 1), row=1, col=col)
        fig.update_xaxes(title_text="unit of the first layer", dtick=1, row=1, col=col)
    return _layout(fig, "Train mode normalizes with the batch's statistics, eval mode with running averages")


def norm_axes(na: "NormAxes") -> go.Figure:
    """The same (N, C, L) numbers four times: the outlined cells share one mean and std under each normalization."""
    n, c, length = na.x.shape
    kinds = [("batch", "Batch norm"), ("layer", "Layer norm"), ("instance", "Instance norm"),
             ("group", f"Group norm ({na.groups} groups)")]
    fig = make_subplots(rows=1, cols=4, horizontal_spacing=0.03, shared_yaxes=True,
                        subplot_titles=[f"{label}<br><sup>mean {na.mean[k]:.2f}, std {na.std[k]:.2f}</sup>"
                                        for k, label in kinds])
    flat = na.x.reshape(n, c * length)
    cols = np.arange(c * length)
    for j, (kind, label) in enumerate(kinds, start=1):
        fig.add_trace(go.Heatmap(z=np.round(flat, 2), x=cols, y=np.arange(n), colorscale="Greys", showscale=False,
                                 hovertemplate="sample %{y}, channel·position %{x}: %{z}<extra></extra>"),
                      row=1, col=j)
        rows, cs = np.nonzero(na.members[kind].reshape(n, c * length))
        fig.add_trace(go.Scatter(x=cs, y=rows, mode="markers", showlegend=False, hoverinfo="skip",
                                 marker=dict(symbol="square", size=9, color=PALETTE[j - 1], opacity=0.85)),
                      row=1, col=j)
        for k in range(1, c):
            fig.add_vline(x=k * length - 0.5, line=dict(color="#bbbbbb", width=1), row=1, col=j)
        fig.update_xaxes(showticklabels=False, row=1, col=j)
    # one x-axis title for the four panels (four of them ran into each other in a narrow chart)
    fig.add_annotation(text="channel C × position L (every panel)", xref="paper", yref="paper", x=0.5, y=0,
                       yanchor="top", yshift=-8, showarrow=False, font=dict(size=14))
    fig.update_yaxes(title_text="sample N", autorange="reversed", dtick=1, row=1, col=1)
    return _layout(fig, "Which numbers share one mean and std? (coloured cells: the set of the first cell)", 360)


def digit_gallery(images: np.ndarray) -> go.Figure:
    """Rows of digits: the original, then augmented copies (shifted and rotated), as one tiled image."""
    rows, cols = images.shape[:2]
    tile = np.full((rows * 9 - 1, cols * 9 - 1), np.nan)
    for i in range(rows):
        for j in range(cols):
            tile[i * 9:i * 9 + 8, j * 9:j * 9 + 8] = images[i, j]
    fig = figure("The same digit, shifted and rotated: still the same label", "", "")
    fig.add_trace(go.Heatmap(z=np.round(tile, 1), colorscale="Greys", zmin=0, zmax=16, showscale=False,
                             hoverinfo="skip"))
    fig.update_xaxes(showticklabels=False, showgrid=False, tickvals=[4 + 9 * j for j in range(cols)],
                     ticktext=["original"] + [f"copy {j}" for j in range(1, cols)])
    fig.update_xaxes(showticklabels=True)
    fig.update_yaxes(showticklabels=False, showgrid=False, autorange="reversed", scaleanchor="x")
    fig.update_layout(height=80 * rows + 120, margin=dict(l=20, r=20, t=70, b=40))
    return fig


def fits(runs: Sequence["Result"], names: Sequence[str]) -> go.Figure | None:
    """What each model learned, in the input space: decision boundaries (2D sets), fitted curve (1D regression);
    None for sets that have no such picture (the 64-pixel digits)."""
    if any(r.grid_prob is not None for r in runs):
        return decision_boundaries(runs, names)
    if any(r.curve_x is not None for r in runs):
        return regression_fits(runs, names)
    return None
