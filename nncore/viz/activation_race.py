"""Charts of the activation race: curves per activation, who reached the target first, dead and flat units."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.i18n import _, number
from nncore.viz.activations import at_zero, style
from nncore.viz.theme import finish, note

if TYPE_CHECKING:
    from nncore.experiments.activation_race import Result


def race_curves(r: "Result") -> go.Figure:
    """Loss and accuracy per epoch, training and validation, one colour per activation."""
    fig = make_subplots(rows=2, cols=2, shared_xaxes=True, shared_yaxes=True, vertical_spacing=0.12,
                        horizontal_spacing=0.04,
                        subplot_titles=(_("training loss"), _("validation loss"), _("training accuracy"),
                                        _("validation accuracy")))
    for name, run in r.runs.items():
        epochs = np.arange(1, len(run.train_loss) + 1)
        for k, (values, row, col) in enumerate(((run.train_loss, 1, 1), (run.val_loss, 1, 2),
                                                (run.train_acc, 2, 1), (run.val_acc, 2, 2))):
            fig.add_trace(go.Scatter(x=epochs, y=values, mode="lines", name=r.labels[name], legendgroup=name,
                                     showlegend=k == 0, line=style(name)), row=row, col=col)
    fig.add_hline(y=r.config.target_acc, line=dict(color="#888", dash="dot"), row=2, col=1,
                  annotation_text=_("target {accuracy}").format(accuracy=number(r.config.target_acc, ".0%")),
                  annotation_position="bottom right")
    fig.update_yaxes(rangemode="tozero", row=1)
    fig.update_yaxes(tickformat=".0%", row=2)
    fig.update_xaxes(title_text=_("epoch"), row=2)
    finish(fig, height=620, title=_("Which activation learns fastest on the same network?"))
    return fig


def race_summary(r: "Result") -> go.Figure:
    """Epochs to the target training accuracy, and milliseconds per epoch, per activation."""
    names = list(r.runs)
    labels = [r.labels[n] for n in names]
    colors = [style(n)["color"] for n in names]
    reached = [r.runs[n].epochs_to_target for n in names]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.06,
                        subplot_titles=(_("epochs to {accuracy}<br>training accuracy").format(
                                            accuracy=number(r.config.target_acc, ".0%")),
                                        _("time per epoch<br>(median)")))
    # horizontal bars: the activation names read once, level, on the left, however narrow the chart
    fig.add_trace(go.Bar(y=labels, x=[e if e is not None else 0 for e in reached], marker_color=colors,
                         orientation="h", text=[str(e) if e is not None else
                                                _("not in {epochs}").format(epochs=r.config.epochs)
                                                for e in reached],
                         textposition="outside", cliponaxis=False, showlegend=False), row=1, col=1)
    ms = [1000 * float(np.nanmedian(r.runs[n].epoch_time)) if np.isfinite(r.runs[n].epoch_time).any() else 0
          for n in names]
    fig.add_trace(go.Bar(y=labels, x=ms, marker_color=colors, orientation="h", text=[number(m, ".1f") for m in ms],
                         textposition="outside", cliponaxis=False, showlegend=False), row=1, col=2)
    fig.update_yaxes(autorange="reversed", row=1, col=1)
    top = max([e for e in reached if e is not None] + [1])
    fig.update_xaxes(title_text=_("epochs"), range=[0, 1.3 * top], row=1, col=1)
    fig.update_xaxes(title_text="ms", range=[0, 1.3 * max(ms + [1e-3])], row=1, col=2)
    finish(fig, height=120 + 34 * len(names) + 110, title=_("Who crossed the finish line first, and at what cost?"))
    return fig


def race_units(r: "Result") -> go.Figure:
    """Dead units and activations passing (almost) no gradient, over training."""
    titles = []
    for title, key in ((_("dead units (no gradient on any sample)"), "dead"),
                       (_("activations with |f'(z)| < {flat}<br>(saturated ends, or the low-z side)").format(
                           flat=number(0.01)), "flat")):
        flat = at_zero([r.labels[n] for n, run in r.runs.items() if run.diverged_at is None],
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
    fig.update_xaxes(title_text=_("epoch (0 = at init)"))   # twice side by side: short enough not to collide
    finish(fig, height=440, title=_("Are units dying or saturating while they train?"))
    return fig
