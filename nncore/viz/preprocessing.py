"""Charts of the preprocessing lesson: 003's cloud step by step with its covariance, and the red-wine curves."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.viz.theme import color, figure, finish, log_axis

if TYPE_CHECKING:
    from nncore.experiments import preprocessing


def preprocessing_steps(c: "preprocessing.Cloud") -> go.Figure:
    """003's figure, live: the cloud after each step (training points filled, validation hollow), its covariance
    as a heatmap under it. Each panel is square around the origin (so the raw cloud's offset shows), on its own
    scale: the ticks say how the spread shrinks."""
    steps = list(c.labels)
    fig = make_subplots(rows=2, cols=len(steps), row_heights=[0.7, 0.3], vertical_spacing=0.17,
                        horizontal_spacing=0.035, subplot_titles=[c.labels[s] for s in steps] + [""] * len(steps))
    top = max(float(np.abs(c.cov[s]).max()) for s in steps)
    for j, s in enumerate(steps, start=1):
        reach = 1.1 * float(max(np.abs(c.train[s]).max(), np.abs(c.val[s]).max()))
        for points, name, symbol in ((c.train[s], "training points", "circle"),
                                     (c.val[s], "validation points (training statistics)", "circle-open")):
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
        fig.update_yaxes(showticklabels=j == 1, title_text="covariance" if j == 1 else None, row=2, col=j)
    return finish(fig, title="What does each step of preprocessing do to the data and its covariance?",
                  height=560)


def preprocessing_sources(r: "preprocessing.Result") -> go.Figure:
    """The validation MSE of the standardized net over epochs, for each source of the scaling statistics."""
    fig = figure("Whose statistics should scale the validation split?", "epoch", "validation MSE")
    labels = {"train": "training split's statistics (003)", "all": "all the data's (the leak)",
              "own": "each split its own"}
    for i, (source, run) in enumerate(r.sources.items()):
        fig.add_trace(go.Scatter(x=np.arange(1, len(run.val_loss) + 1), y=run.val_loss, mode="lines",
                                 name=labels[source], line=dict(color=color(i), dash="dot" if source == "all" else None)))
    log_axis(fig, np.concatenate([run.val_loss for run in r.sources.values()]))
    return fig


def preprocessing_scalings(r: "preprocessing.Result") -> go.Figure:
    """Training and validation loss of the same net on raw, min-max scaled and standardized wines."""
    fig = figure("Does the same net train better on scaled features?", "epoch", "MSE (log scale)")
    labels = {"none": "raw", "minmax": "min-max (004)", "standard": "standardized"}
    for i, (scaling, run) in enumerate(r.scalings.items()):
        epochs = np.arange(1, len(run.train_loss) + 1)
        for y, part, dash in ((run.train_loss, "training", None), (run.val_loss, "validation", "dot")):
            fig.add_trace(go.Scatter(x=epochs, y=np.where(np.isfinite(y), y, np.nan), mode="lines",
                                     name=f"{labels[scaling]}, {part}", line=dict(color=color(i), dash=dash)))
    log_axis(fig, np.concatenate([np.r_[run.train_loss, run.val_loss] for run in r.scalings.values()]))
    return fig
