"""Charts of the hyperparameter-search lesson: the trials in (lr, reg) coloured by validation accuracy, and grid vs
random search on a function of one important and one unimportant parameter (Bergstra & Bengio 2012)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.i18n import _, number
from nncore.viz.theme import TICKS, color, finish

if TYPE_CHECKING:
    from nncore.experiments.hparam_search import Result, Toy

SCALE = "Viridis"    # perceptually uniform and colour-blind safe; dark = low accuracy, yellow = high


def _box(fig: go.Figure, lr: tuple[float, float], reg: tuple[float, float], name: str, dash: str, hue: str) -> None:
    """A log range 10^U(lo, hi) x 10^U(lo, hi) as a rectangle (drawn as a line, so it has a legend entry)."""
    x0, x1, y0, y1 = 10.0 ** lr[0], 10.0 ** lr[1], 10.0 ** reg[0], 10.0 ** reg[1]
    fig.add_trace(go.Scatter(x=[x0, x1, x1, x0, x0], y=[y0, y0, y1, y1, y0], mode="lines", name=name,
                             line=dict(color=hue, dash=dash, width=2), hoverinfo="skip"))


def _ticks(decades: float) -> int | str:
    """Log-axis labels once per decade over many decades, at 1, 2 and 5 over a few (Plotly labels every digit)."""
    return 1 if decades > 3 else "D2"


def search_scatter(r: "Result") -> go.Figure:
    """Every trial at its (lr, reg) on log-log axes, coloured by validation accuracy; the best starred; the searched
    range and the refined one around the best."""
    c, lr, reg, acc = r.config, r.lr, r.reg, r.val_acc
    fig = go.Figure()
    _box(fig, c.lr_range, c.reg_range, _("searched: lr {lr_range}, reg {reg_range}").format(
        lr_range=f"10^U({c.lr_range[0]:g}, {c.lr_range[1]:g})", reg_range=f"10^U({c.reg_range[0]:g}, {c.reg_range[1]:g})"),
         "dot", TICKS)
    ok = np.isfinite(acc)
    fig.add_trace(go.Scatter(
        x=lr[ok], y=reg[ok], mode="markers", name=_("trial (colour: validation accuracy)"),
        marker=dict(size=13, color=acc[ok] * 100, colorscale=SCALE, cmin=0, cmax=100, line=dict(width=1, color="#333"),
                    colorbar=dict(title=dict(text=_("val acc (%)"), side="right"), thickness=14)),
        customdata=np.flatnonzero(ok) + 1,
        hovertemplate=_("trial {n}").format(n="%{customdata}") + "<br>lr %{x:.3g}<br>reg %{y:.3g}<br>"
                      + _("val acc {acc}%").format(acc="%{marker.color:.1f}") + "<extra></extra>"))
    if (~ok).any():
        fig.add_trace(go.Scatter(x=lr[~ok], y=reg[~ok], mode="markers", name=_("diverged (loss inf/NaN)"),
                                 marker=dict(size=11, symbol="x", color=color(5)),
                                 hovertemplate="lr %{x:.3g}<br>reg %{y:.3g}<br>" + _("diverged")
                                               + "<extra></extra>"))
    if r.best is not None:
        fig.add_trace(go.Scatter(x=[r.best.lr], y=[r.best.reg], mode="markers",
                                 name=_("best: {acc} at lr {lr}, reg {reg}").format(
                                     acc=number(r.best.val_acc, ".1%"), lr=number(r.best.lr, ".3g"),
                                     reg=number(r.best.reg, ".3g")),
                                 marker=dict(size=26, symbol="star-open", color=color(5), line=dict(width=3))))
        _box(fig, *r.refined, _("refined: lr {lr_range}, reg {reg_range}").format(
            lr_range=f"10^U({r.refined[0][0]:g}, {r.refined[0][1]:g})",
            reg_range=f"10^U({r.refined[1][0]:g}, {r.refined[1][1]:g})"), "dash", color(5))
    fig.update_xaxes(type="log", exponentformat="power", title=_("learning rate lr (log scale)"),
                     dtick=_ticks(max(c.lr_range[1], r.refined[0][1]) - min(c.lr_range[0], r.refined[0][0])))
    fig.update_yaxes(type="log", exponentformat="power", title=_("L2 strength reg (log scale)"),
                     dtick=_ticks(max(c.reg_range[1], r.refined[1][1]) - min(c.reg_range[0], r.refined[1][0])))
    return finish(fig, title=_("Where in (lr, reg) is validation accuracy highest?"), height=520)


def accuracy_by_lr(r: "Result") -> go.Figure:
    """Validation accuracy against lr alone: the projection on the parameter that matters most."""
    ok = np.isfinite(r.val_acc)
    fig = go.Figure(go.Scatter(x=r.lr[ok], y=r.val_acc[ok] * 100, mode="markers", name=_("trial"),
                               marker=dict(size=10, color=color(0)),
                               hovertemplate="lr %{x:.3g}<br>" + _("val acc {acc}%").format(acc="%{y:.1f}")
                               + "<extra></extra>"))
    fig.update_xaxes(type="log", exponentformat="power", title=_("learning rate lr (log scale)"),
                     dtick=_ticks(r.config.lr_range[1] - r.config.lr_range[0]))
    fig.update_yaxes(title=_("validation accuracy (%)"), range=[0, 102])
    return finish(fig, title=_("How much does the learning rate alone decide?"), height=360, showlegend=False)


def toy_search(t: "Toy") -> go.Figure:
    """Grid and random search side by side on f(x, y) = g(x) + small(y): the points tried, and under each panel g(x)
    with the x values the strategy tried marked on it."""
    names = {"grid": _("Grid"), "random": _("Random")}
    fig = make_subplots(rows=2, cols=2, shared_xaxes=True, row_heights=[0.7, 0.3], vertical_spacing=0.06,
                        horizontal_spacing=0.08,
                        subplot_titles=[_("{strategy}: {n} values of x").format(strategy=names[s], n=t.distinct(s))
                                        for s in names] + ["", ""])
    for col, strategy in enumerate(names, start=1):
        pts = getattr(t, strategy)
        fig.add_trace(go.Scatter(x=pts[:, 0], y=pts[:, 1], mode="markers", marker=dict(size=10, color=color(col - 1)),
                                 name=_("{strategy} trials").format(strategy=names[strategy]), showlegend=False,
                                 hovertemplate="x %{x:.3f}<br>y %{y:.3f}<extra></extra>"), row=1, col=col)
        fig.add_trace(go.Scatter(x=t.x, y=t.g, mode="lines", line=dict(color=TICKS), name=_("g(x): what x is worth"),
                                 showlegend=col == 1, hoverinfo="skip"), row=2, col=col)
        tried = np.unique(pts[:, 0])
        fig.add_trace(go.Scatter(x=tried, y=np.interp(tried, t.x, t.g), mode="markers", showlegend=False,
                                 marker=dict(size=9, color=color(col - 1), symbol="line-ns-open", line=dict(width=2)),
                                 hovertemplate="x %{x:.3f}<br>g %{y:.3f}<extra></extra>"), row=2, col=col)
        fig.update_xaxes(range=[-0.03, 1.03], row=1, col=col)
        fig.update_xaxes(range=[-0.03, 1.03], title=_("x (important)"), row=2, col=col)
    fig.update_yaxes(range=[-0.03, 1.03], title=_("y (unimportant)"), row=1, col=1)
    fig.update_yaxes(range=[-0.03, 1.03], row=1, col=2)
    fig.update_yaxes(title="g(x)", row=2, col=1)
    return finish(fig, title=_("{budget} trials each: how many values of the important parameter get tried?").format(
        budget=t.budget), height=560)
