"""Charts of the preprocessing lesson: 003's cloud step by step with its covariance, and the red-wine curves."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.i18n import _, number
from nncore.viz.theme import color, figure, finish, log_axis

if TYPE_CHECKING:
    from nncore.experiments import preprocessing


def preprocessing_steps(c: "preprocessing.Cloud") -> go.Figure:
    """003's figure, live: the cloud after each step (training points filled, validation hollow), its covariance
    as a heatmap under it. Each panel is square around the origin (so the raw cloud's offset shows), on its own
    scale: the ticks say how the spread shrinks."""
    steps = list(c.labels)
    fig = make_subplots(rows=2, cols=len(steps), row_heights=[0.7, 0.3], vertical_spacing=0.17,
                        horizontal_spacing=0.035, subplot_titles=[_(c.labels[s]) for s in steps] + [""] * len(steps))
    top = max(float(np.abs(c.cov[s]).max()) for s in steps)
    for j, s in enumerate(steps, start=1):
        reach = 1.1 * float(max(np.abs(c.train[s]).max(), np.abs(c.val[s]).max()))
        for points, name, symbol in ((c.train[s], _("training points"), "circle"),
                                     (c.val[s], _("validation points (training statistics)"), "circle-open")):
            fig.add_trace(go.Scattergl(x=np.round(points[:, 0], 3), y=np.round(points[:, 1], 3), mode="markers",
                                       name=name, legendgroup=name, showlegend=j == 1,
                                       marker=dict(size=4, symbol=symbol, color=color(0 if symbol == "circle" else 1))),
                          row=1, col=j)
        fig.update_xaxes(range=[-reach, reach], title_text="x₁", row=1, col=j)
        fig.update_yaxes(range=[-reach, reach], scaleanchor=f"x{j}" if j > 1 else "x", row=1, col=j,
                         title_text="x₂" if j == 1 else None)
        cov = c.cov[s]
        fig.add_trace(go.Heatmap(z=cov[::-1], x=["x₁", "x₂"], y=["x₂", "x₁"], zmin=-top, zmax=top,
                                 colorscale="RdBu", reversescale=True, showscale=False, text=np.round(cov[::-1], 2),
                                 texttemplate="%{text}", hovertemplate="cov(%{y}, %{x}) = %{z:.3f}<extra></extra>"),
                      row=2, col=j)
        fig.update_yaxes(showticklabels=j == 1, title_text=_("covariance") if j == 1 else None, row=2, col=j)
    return finish(fig, title=_("What does each step of preprocessing do to the data and its covariance?"),
                  height=560)


def preprocessing_sources(r: "preprocessing.Result") -> go.Figure:
    """The validation MSE of the standardized net over epochs, for each source of the scaling statistics."""
    fig = figure(_("Whose statistics should scale the validation split?"), _("epoch"), _("validation MSE"))
    labels = {"train": _("training split's statistics (003)"), "all": _("all the data's (the leak)"),
              "own": _("each split its own")}
    for i, (source, run) in enumerate(r.sources.items()):
        fig.add_trace(go.Scatter(x=np.arange(1, len(run.val_loss) + 1), y=run.val_loss, mode="lines",
                                 name=labels[source], line=dict(color=color(i), dash="dot" if source == "all" else None)))
    log_axis(fig, np.concatenate([run.val_loss for run in r.sources.values()]))
    return fig


def preprocessing_scalings(r: "preprocessing.Result") -> go.Figure:
    """Training and validation loss of the same net on raw, min-max scaled and standardized wines."""
    fig = figure(_("Does the same net train better on scaled features?"), _("epoch"), _("MSE (log scale)"))
    labels = {"none": _("raw"), "minmax": _("min-max (004)"), "standard": _("standardized")}
    for i, (scaling, run) in enumerate(r.scalings.items()):
        epochs = np.arange(1, len(run.train_loss) + 1)
        for y, part, dash in ((run.train_loss, "training", None), (run.val_loss, "validation", "dot")):
            name = (_("{scaling}, training") if part == "training" else _("{scaling}, validation")).format(
                scaling=labels[scaling])
            fig.add_trace(go.Scatter(x=epochs, y=np.where(np.isfinite(y), y, np.nan), mode="lines",
                                     name=name, line=dict(color=color(i), dash=dash)))
    log_axis(fig, np.concatenate([np.r_[run.train_loss, run.val_loss] for run in r.scalings.values()]))
    return fig


def preprocessing_paths(paths: dict[str, "preprocessing.Path"], features: tuple[str, str]) -> go.Figure:
    """Gradient descent's path over the loss contours of a two-weight model, on raw and on standardized inputs
    (each panel in its own weight units), the minimum marked."""
    titles = {"none": _("raw inputs: {steps} steps to near the minimum"),
              "standard": _("standardized inputs: {steps} steps to near the minimum")}
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12,
                        subplot_titles=[titles[k].format(steps=number(p.steps_to_target, ","))
                                        for k, p in paths.items()])
    for j, (key, p) in enumerate(paths.items(), start=1):
        excess = np.log10(np.maximum(p.grid_loss - p.min_loss, 1e-12))
        fig.add_trace(go.Contour(x=p.grid_w1, y=p.grid_w2, z=np.round(excess, 3), colorscale=[[0, "#444"], [1, "#ccc"]],
                                 showscale=False, contours=dict(coloring="lines"), ncontours=18,
                                 hovertemplate=_("log₁₀(loss − minimum) = {z}").format(z="%{z}") + "<extra></extra>"), row=1, col=j)
        fig.add_trace(go.Scatter(x=p.weights[:, 0], y=p.weights[:, 1], mode="lines+markers", name=_("gradient descent"),
                                 legendgroup="path", showlegend=j == 1, marker=dict(size=4),
                                 line=dict(color=color(5), width=2)), row=1, col=j)
        fig.add_trace(go.Scatter(x=[p.minimum[0]], y=[p.minimum[1]], mode="markers", name=_("minimum"),
                                 legendgroup="min", showlegend=j == 1,
                                 marker=dict(symbol="star", size=14, color=color(2))), row=1, col=j)
        fig.update_xaxes(title_text=f"w₁ ({_(features[0])})", range=[p.grid_w1[0], p.grid_w1[-1]], row=1, col=j)
        fig.update_yaxes(title_text=f"w₂ ({_(features[1])})", range=[p.grid_w2[0], p.grid_w2[-1]], row=1, col=j)
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    return finish(fig, height=480, title=_("Why does gradient descent zig-zag on raw inputs?"))


def digit_centering(d: "preprocessing.Digits") -> go.Figure:
    """Validation digits raw, minus the mean image (AlexNet) and minus the channel mean (VGG), each row after what it
    subtracts; one diverging colour scale with 0 white, so what is left above and below the mean shows."""
    k = len(d.examples)
    rows = ((None, d.examples), (d.mean_image, d.minus_image), (np.full((8, 8), d.channel_mean), d.minus_channel))
    titles = [["", _("raw (0..16)")], [_("the mean image"), _("− mean image (AlexNet)")],
              [_("the channel mean: {mean}").format(mean=number(d.channel_mean, ".2f")), _("− channel mean (VGG)")]]
    fig = make_subplots(rows=3, cols=k + 1, horizontal_spacing=0.02, vertical_spacing=0.12,
                        subplot_titles=[t for subtracted, first in titles for t in [subtracted, first] + [""] * (k - 1)])
    for i, (sub, images) in enumerate(rows, start=1):
        for j, img in enumerate([sub, *images], start=1):
            if img is not None:
                fig.add_trace(go.Heatmap(z=np.round(img[::-1], 2), zmin=-16, zmax=16, colorscale="RdBu",
                                         reversescale=True, showscale=False, hovertemplate="%{z}<extra></extra>"),
                              row=i, col=j)
    fig.update_xaxes(showticklabels=False, showgrid=False, ticks="", constrain="domain")
    fig.for_each_yaxis(lambda ax: ax.update(showticklabels=False, showgrid=False, ticks="", constrain="domain",
                                            scaleanchor=ax.anchor))
    fig.update_xaxes(visible=False, row=1, col=1)
    fig.update_yaxes(visible=False, row=1, col=1)
    return finish(fig, height=560, title=_("What does subtracting the mean image, or the channel mean, "
                                           "leave of a digit?"))
