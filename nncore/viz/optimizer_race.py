"""Charts of the optimizer race: the animated map, the 3-D surface, loss versus step, leaderboard, internals."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.i18n import N_, _, number
from nncore.viz.theme import color, figure, finish

if TYPE_CHECKING:
    from nncore.experiments.optimizer_race import Result

FRAME_POINTS = 20_000   # (x, y) points over all frames of the map's animation: about 320 kB of JSON
CLICK_GRID = 41         # selectable points per axis for picking a start on the map (a 4-wide map: every 0.1)
SPEEDS = {N_("▶ Play"): 1.0, N_("Slow"): 0.3, N_("Fast"): 3.0}


def frame_steps(steps: int, racers: int, budget: int = FRAME_POINTS) -> np.ndarray:
    """The steps shown by the animation's frames: every step when they fit, else denser at the start (where most
    of the action is), as many as keep the frames' cumulative paths within `budget` points (at least 10 frames).
    Each frame draws the paths exactly up to its step: frames are thinned, paths never."""
    def spaced(count: int) -> np.ndarray:
        return np.unique(np.round(steps * (np.arange(count + 1) / count) ** 2).astype(int))

    if racers * steps * (steps + 1) // 2 <= budget:
        return np.arange(steps + 1)
    count = min(steps, 10)
    while count < steps and racers * spaced(count + 1).sum() <= budget:
        count += 1
    return spaced(count)


def _z_for_contours(r: "Result") -> tuple[np.ndarray, str]:
    z = r.grid_z
    if not r.log_contours:
        return z, "f(x, y)"
    floor = np.nanmin(z)
    span = max(np.nanmax(z) - floor, 1e-12)
    return np.log10(z - floor + 1e-4 * span), "log₁₀(f − min)"


def _finite(points: np.ndarray) -> np.ndarray:
    return points.astype(np.float32)


def optimizer_map(r: "Result", click_to_start: bool = True) -> go.Figure:
    """Contours of the surface with every racer's path, animated together (play, pause, slider, speed)."""
    traces = _map_traces(r, click_to_start)
    racers = _racer_traces(r)
    ks = frame_steps(r.steps_done, len(r.labels))
    layout = _playback_layout(_("{surface}: who reaches a minimum first?").format(surface=_(r.surface_label)),
                              r.domain, ks)
    # one figure, built once (adding the traces one by one, then copying the figure, cost ~20 ms); its traces and
    # layout were validated where they were made (~3 ms not to do it again); Plotly 7.1 validates frames anyway
    return go.Figure(data=traces + racers, layout=layout, _validate=False,
                     frames=_frames(r, ks, list(range(len(traces), len(traces) + len(racers)))))


_KEEP = dict(selected=dict(marker=dict(opacity=1)), unselected=dict(marker=dict(opacity=1)))   # unaffected by a click


def _map_traces(r: "Result", click_to_start: bool) -> list[go.BaseTraceType]:
    """The surface's contours, an invisible grid of points to click for a new start, the minima and the start."""
    x0, x1, y0, y1 = r.domain
    z, z_title = _z_for_contours(r)
    traces = [go.Contour(x=r.grid_x.astype(np.float32), y=r.grid_y.astype(np.float32), z=z.astype(np.float32),
                         ncontours=30, colorscale="Greys", reversescale=True, opacity=0.55, showscale=False,
                         contours=dict(coloring="heatmap", showlines=True), line=dict(width=0.5),
                         hoverinfo="skip", name=z_title)]
    if click_to_start:
        gx, gy = np.meshgrid(np.linspace(x0, x1, CLICK_GRID), np.linspace(y0, y1, CLICK_GRID))
        traces.append(go.Scatter(x=gx.ravel().astype(np.float32), y=gy.ravel().astype(np.float32), mode="markers",
                                 marker=dict(size=9, opacity=0), name=_("click to start here"), showlegend=False,
                                 hovertemplate=_("start here: (%{x:.2f}, %{y:.2f})") + "<extra>" + _("click")
                                 + "</extra>",
                                 selected=dict(marker=dict(opacity=0.8, color="black")),
                                 unselected=dict(marker=dict(opacity=0))))
    if len(r.minima):
        traces.append(go.Scatter(x=r.minima[:, 0], y=r.minima[:, 1], mode="markers", name=_("global minimum"),
                                 marker=dict(symbol="star", size=16, color="#F0E442",
                                             line=dict(width=1, color="black")),
                                 hovertemplate=_("minimum (%{x:.3g}, %{y:.3g})") + "<extra></extra>", **_KEEP))
    start = r.paths[r.labels[0]][0]
    traces.append(go.Scatter(x=[start[0]], y=[start[1]], mode="markers", name=_("start"), **_KEEP,
                             marker=dict(symbol="x", size=13, color="black"), hoverinfo="skip"))
    return traces


def _racer_traces(r: "Result") -> list[go.Scatter]:
    """Each racer's whole path and its last point: the traces the frames redraw."""
    traces = []
    for i, label in enumerate(r.labels):
        p = r.paths[label]
        traces.append(go.Scatter(x=_finite(p[:, 0]), y=_finite(p[:, 1]), mode="lines", name=label,
                                 legendgroup=label, line=dict(color=color(i), width=2.5), **_KEEP,
                                 hovertemplate=f"{label}<br>(%{{x:.3g}}, %{{y:.3g}})<extra></extra>"))
        last = _last_finite(p)
        traces.append(go.Scatter(x=[last[0]], y=[last[1]], mode="markers", legendgroup=label, showlegend=False,
                                 marker=dict(size=12, color=color(i), line=dict(width=1.5, color="white")), **_KEEP,
                                 hovertemplate=f"{label}<extra></extra>"))
    return traces


def _frames(r: "Result", ks: np.ndarray, traces: list[int]) -> list[dict]:
    """One animation frame per shown step k: every racer's path up to k and its point at k."""
    frames = []
    for k in ks:
        data = []
        for label in r.labels:
            p = r.paths[label][:k + 1]
            now = _last_finite(p)
            data += [dict(type="scatter", x=_finite(p[:, 0]), y=_finite(p[:, 1])),
                     dict(type="scatter", x=[float(now[0])], y=[float(now[1])])]
        frames.append(dict(data=data, traces=traces, name=str(k)))
    return frames


def _playback_layout(title: str, domain: tuple[float, float, float, float], ks: np.ndarray) -> go.Layout:
    """The layout, finished in the lab's look on an empty figure: the title, the map's ranges, play/pause buttons
    and a step slider under the plot, the legend on top."""
    x0, x1, y0, y1 = domain
    duration = int(np.clip(5000 / max(len(ks), 1), 30, 250))
    # the legend right under the title (whatever its rows); under the plot, in px below it so they clear the
    # x-axis title at any height: the buttons, then the slider on the full width (side by side, they overlap at 1024)
    buttons = dict(type="buttons", direction="left", x=0.0, y=0.0, xanchor="left", yanchor="top", pad=dict(t=62),
                   showactive=False, font=dict(size=12), buttons=_buttons(duration))
    slider = dict(active=len(ks) - 1, x=0.0, len=1.0, y=0.0, yanchor="top", pad=dict(t=105, r=10),
                  currentvalue=dict(prefix=_("step") + " ", font=dict(size=14)), transition=dict(duration=0),
                  steps=[dict(label=str(k), method="animate",
                              args=[[str(k)], dict(mode="immediate", frame=dict(duration=0, redraw=False),
                                                   transition=dict(duration=0))]) for k in ks])
    axes = dict(xaxis=dict(range=[x0, x1], constrain="domain"), yaxis=dict(range=[y0, y1]))
    return finish(go.Figure(), legend_top=True, axes=axes, title=title, xaxis_title="x", yaxis_title="y", height=800,
                  margin=dict(t=12, b=190), dragmode="pan", updatemenus=[buttons], sliders=[slider]).layout


def _buttons(duration: int) -> list[dict]:
    def play(speed: float, from_start: bool) -> dict:
        return dict(frame=dict(duration=int(duration / speed), redraw=False), fromcurrent=not from_start,
                    transition=dict(duration=0), mode="immediate")
    buttons = [dict(label=_(name), method="animate", args=[None, play(speed, True)]) for name, speed in SPEEDS.items()]
    buttons += [dict(label=_("Pause"), method="animate",
                     args=[[None], dict(frame=dict(duration=0, redraw=False), mode="immediate",
                                        transition=dict(duration=0))]),
                dict(label=_("Resume"), method="animate", args=[None, play(1.0, False)])]
    return buttons


def _last_finite(p: np.ndarray) -> np.ndarray:
    ok = np.flatnonzero(np.isfinite(p).all(axis=1))
    return p[ok[-1]] if len(ok) else p[0]


def optimizer_surface(r: "Result", size: int = 60) -> go.Figure:
    """The surface in 3-D with each racer's path lying on it (drag to rotate)."""
    step = max(1, len(r.grid_x) // size)
    gx, gy, gz = r.grid_x[::step], r.grid_y[::step], r.grid_z[::step, ::step]
    fig = go.Figure(go.Surface(x=gx, y=gy, z=gz, colorscale="Viridis", opacity=0.85, showscale=False,
                               hovertemplate="(%{x:.2f}, %{y:.2f}) f = %{z:.3g}<extra></extra>"))
    lo, hi = float(np.nanmin(gz)), float(np.nanmax(gz))
    for i, label in enumerate(r.labels):
        p, f = r.paths[label], r.losses[label]
        ok = np.isfinite(f) & (f <= hi)
        fig.add_trace(go.Scatter3d(x=p[ok, 0], y=p[ok, 1], z=f[ok], mode="lines", name=label,
                                   line=dict(color=color(i), width=6)))
    finish(fig, title=_("{surface} in 3-D: the paths on the surface").format(surface=_(r.surface_label)), height=560,
           scene=dict(xaxis_title="x", yaxis_title="y", zaxis=dict(title="f(x, y)", range=[lo, hi])),
           margin=dict(l=0, r=0, b=10))
    return fig


def optimizer_losses(r: "Result") -> go.Figure:
    """Loss versus step for every racer; on a log axis as the gap to the minimum when the minimum is known."""
    gap = np.isfinite(r.f_min)
    fig = figure(_("How fast does each optimizer bring the loss down?"), _("step"),
                 _("f − f(minimum) (log scale)") if gap else "f(x, y)", height=460)
    for i, label in enumerate(r.labels):
        f = r.losses[label] - (r.f_min if gap else 0.0)
        if gap:
            f = np.maximum(f, 1e-16)
        fig.add_trace(go.Scatter(x=np.arange(len(f)), y=f.astype(np.float32), mode="lines", name=label,
                                 line=dict(color=color(i))))
        if r.diverged_at[label] is not None:
            d = r.diverged_at[label]
            fig.add_trace(go.Scatter(x=[d], y=[f[d] if np.isfinite(f[d]) else np.nanmax(f)], mode="markers",
                                     marker=dict(symbol="x", size=14, color=color(i)), showlegend=False,
                                     hovertemplate=_("{racer} diverged at step {step}").format(racer=label, step=d)
                                     + "<extra></extra>"))
    if gap:
        fig.update_yaxes(type="log", exponentformat="power")
    return fig


def optimizer_leaderboard(r: "Result") -> go.Figure:
    """The ranking as a table: arrival step, final loss, distance to the nearest minimum, divergence."""
    rows = r.leaderboard

    def fmt(v, spec="{:.3g}") -> str:
        return "—" if v is None or (isinstance(v, float) and not np.isfinite(v)) else spec.format(v)

    columns = {"#": [str(row["rank"]) for row in rows], _("racer"): [row["racer"] for row in rows],
               _("arrived at step"): [fmt(row["arrived at step"], "{}") for row in rows],
               _("final loss"): [fmt(row["final loss"]) for row in rows],
               _("distance to nearest minimum"): [fmt(row["distance to nearest minimum"]) for row in rows],
               _("diverged at step"): [fmt(row["diverged at step"], "{}") for row in rows]}
    colors = [color(r.labels.index(row["racer"])) for row in rows]
    fig = go.Figure(go.Table(
        columnwidth=[0.4, 3, 1.2, 1.2, 1.6, 1.2],
        header=dict(values=[f"<b>{c}</b>" for c in columns], align="left", fill_color="#eeeeee"),
        cells=dict(values=list(columns.values()), align="left", height=28,
                   font=dict(color=["black", colors, "black", "black", "black", "black"]))))
    finish(fig, title=_("Leaderboard (arrived = within {tolerance} of a minimum)").format(
        tolerance=number(r.config.tolerance)),
           height=110 + 30 * len(rows), margin=dict(l=10, r=10, b=10))
    return fig


def optimizer_internals(r: "Result", label: str, step: int | None = None) -> go.Figure:
    """One racer's gradient, optimizer state (momentum buffer, Adam's m and v, AdaGrad's sum) and update per step."""
    rows: list[tuple[str, np.ndarray]] = [(_("gradient g"), r.grads[label])]
    rows += [(_("state: {name}").format(name=name), values) for name, values in r.state[label].items()]
    rows.append((_("update θ_t − θ_{t−1}"), r.updates[label]))
    fig = make_subplots(rows=len(rows), cols=1, shared_xaxes=True, vertical_spacing=0.04,
                        subplot_titles=[name for name, _values in rows])
    steps = np.arange(1, r.steps_done + 1)
    for row, (name, values) in enumerate(rows, start=1):
        for axis, dash in ((0, "solid"), (1, "dot")):
            fig.add_trace(go.Scatter(x=steps, y=values[:, axis].astype(np.float32), mode="lines",
                                     line=dict(color=color(axis), dash=dash), name=_("{axis} component").format(axis="xy"[axis]),
                                     legendgroup="xy"[axis], showlegend=row == 1), row=row, col=1)
        fig.update_yaxes(type="linear", row=row, col=1)
    if step is not None:
        fig.add_vline(x=step, line=dict(color="#D55E00", width=1.5, dash="dash"))
    finish(fig, title=_("Inside {racer}: what it computes at every step").format(racer=label),
           height=170 * len(rows) + 120,
           legend_top=True)
    fig.update_xaxes(title_text=_("step"), row=len(rows), col=1)
    return fig


def figure_bytes(fig: go.Figure) -> int:
    """Size of the figure's JSON, as sent to the browser."""
    return len(fig.to_json())


__all__: Sequence[str] = ["optimizer_internals", "optimizer_leaderboard", "optimizer_losses", "optimizer_map",
                          "optimizer_surface",
                          "frame_steps", "figure_bytes"]
