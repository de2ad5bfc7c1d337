"""Charts of the run the regularization lessons share (nncore.regularization): training and validation curves,
and what each model learned (decision boundaries, fitted curves). Each lesson's own charts are in its module."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.i18n import _, number
from nncore.viz.theme import color, figure, finish

if TYPE_CHECKING:
    from nncore.regularization import Result

MAX_POINTS = 400     # points per curve after thinning
CLASS_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999",
                "#882255"]


def thin(x: np.ndarray, *ys: np.ndarray) -> tuple[np.ndarray, ...]:
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
                        subplot_titles=(_("Loss"), _("Accuracy")) if has_acc else (_("Loss"),))
    for i, (r, name) in enumerate(zip(runs, names)):
        h = r.history
        for metric, col in (("loss", 1), ("acc", 2)):
            if metric == "acc" and not has_acc:
                continue
            for split, dash in (("train", "dot"), ("val", "solid")):
                y = getattr(h, f"{split}_{metric}")
                x, y = thin(h.epoch, y)
                label = _("{run}: training") if split == "train" else _("{run}: validation")
                fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=label.format(run=name),
                                         line=dict(color=color(i), dash=dash, width=2.5 if split == "val" else 2),
                                         legendgroup=f"{i}{split}", showlegend=col == 1), row=1, col=col)
        if h.best_epoch:
            fig.add_trace(go.Scatter(x=[h.best_epoch], y=[h.val_loss[h.best_epoch - 1]], mode="markers",
                                     marker=dict(color=color(i), size=11, symbol="star",
                                                 line=dict(color="white", width=1)),
                                     name=f"{name}:{'<br>' if len(name) > 20 else ' '}"   # a long name: two lines
                                          + _("lowest validation loss (epoch {epoch})").format(epoch=h.best_epoch),
                                     legendgroup=f"{i}best"), row=1, col=1)
    fig.update_xaxes(title_text=_("epoch"))
    losses = np.concatenate([np.r_[r.history.train_loss, r.history.val_loss] for r in runs])
    losses = losses[np.isfinite(losses) & (losses > 0)]
    wide = len(losses) and losses.max() > 1e3 * max(losses.min(), 1e-12)   # a blow-up next to a trained run
    y_title = ((_("cross-entropy loss (log)") if wide else _("cross-entropy loss")) if has_acc else
               (_("mean squared error (log)") if wide else _("mean squared error")))
    fig.update_yaxes(title_text=y_title,
                     type="log" if wide else None, exponentformat="power", row=1, col=1)
    if has_acc:
        # on the right side: on the left, its labels and title ran into the loss panel in a narrow chart
        fig.update_yaxes(title_text=_("accuracy"), tickformat=".0%", side="right", row=1, col=2)
    return _layout(fig, _("Do the training and validation curves stay together?"), 540)


def decision_boundaries(runs: Sequence["Result"], names: Sequence[str]) -> go.Figure:
    """The predicted class over the plane with the training (●) and validation (✕) points, one panel per run."""
    shown = [(r, n) for r, n in zip(runs, names) if r.grid_prob is not None]
    if not shown:
        return figure(_("No decision boundary: it is drawn for the 2D sets only"), "x₁", "x₂")
    fig = make_subplots(rows=1, cols=len(shown), horizontal_spacing=0.04, shared_yaxes=True,   # the same plane
                        subplot_titles=[_("{run} — validation error {error}").format(run=n, error=number(r.val_err, ".0%"))
                                        for r, n in shown])
    for j, (r, _name) in enumerate(shown, start=1):
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
        for split, pts, labels, symbol in ((_("class {k}, training"), r.points_train, r.labels_train, "circle"),
                                           (_("class {k}, validation"), r.points_val, r.labels_val, "x")):
            for k in range(r.n_classes):
                sel = labels == k
                fig.add_trace(go.Scatter(
                    x=np.round(pts[sel, 0], 3), y=np.round(pts[sel, 1], 3), mode="markers",
                    name=split.format(k=k), legendgroup=f"{k}{symbol}", showlegend=j == 1,
                    marker=dict(color=CLASS_COLORS[k], symbol=symbol, size=7 if symbol == "circle" else 8,
                                line=dict(color="white" if symbol == "circle" else CLASS_COLORS[k], width=1))),
                    row=1, col=j)
        fig.update_xaxes(title_text="x₁", row=1, col=j)
    fig.update_yaxes(title_text="x₂", row=1, col=1)
    return _layout(fig, _("Where does each net draw the boundary between the classes?"), 480)


def regression_fits(runs: Sequence["Result"], names: Sequence[str]) -> go.Figure:
    """1D regression: the fitted curve over the training and validation points."""
    fig = figure(_("How closely does each net follow the noisy points?"), "x", "y")
    r0 = runs[0]
    fig.add_trace(go.Scatter(x=r0.points_train[:, 0], y=r0.labels_train[:, 0], mode="markers", name=_("training"),
                             marker=dict(color="#999999", size=6)))
    fig.add_trace(go.Scatter(x=r0.points_val[:, 0], y=r0.labels_val[:, 0], mode="markers", name=_("validation"),
                             marker=dict(color="#000000", symbol="x", size=7)))
    for i, (r, name) in enumerate(zip(runs, names)):
        if r.curve_x is not None:
            fig.add_trace(go.Scatter(x=r.curve_x, y=r.curve_y, mode="lines", name=name,
                                     line=dict(color=color(i), width=3)))
    return _layout(fig, _("How closely does each net follow the noisy points?"))


def fits(runs: Sequence["Result"], names: Sequence[str]) -> go.Figure | None:
    """What each model learned, in the input space: decision boundaries (2D sets), fitted curve (1D regression);
    None for sets that have no such picture (the 64-pixel digits)."""
    if any(r.grid_prob is not None for r in runs):
        return decision_boundaries(runs, names)
    if any(r.curve_x is not None for r in runs):
        return regression_fits(runs, names)
    return None


def draws_fits(runs: Sequence["Result"], names: Sequence[str] = ()) -> bool:
    """Whether `fits` has a picture for these runs, without building it (ui.figure asks, for a chart off screen)."""
    return any(r.grid_prob is not None or r.curve_x is not None for r in runs)


fits.draws = draws_fits
