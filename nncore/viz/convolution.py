"""Charts of the convolution lesson: connectivity counts, the sliding window (animated), pooling, receptive fields,
and the CNN against the MLP on shifted digits with the CNN's filters and feature maps."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.i18n import _, number
from nncore.viz.theme import color, figure, finish

if TYPE_CHECKING:
    from nncore.experiments.convolution.arithmetic import Result
    from nncore.experiments.convolution.shift import Result as ShiftResult

TEXT_CELLS = 16     # heatmaps up to this many cells a side print their values
MODELS = ("CNN", "MLP")   # the shift Result's model order
TAP_OFFSET = 0.3   # a tap's dot sits this far up and left of its cell's centre
FRAME_MS = 5000     # one pass of the window animation, whatever its number of positions (30-400 ms a frame)


def connectivity_counts(r: "Result") -> go.Figure:
    """Parameters of a dense, a sparse (local) and a shared (convolution) layer for the same input and output."""
    c = r.config
    names, counts = [_(name) for name in r.counts], list(r.counts.values())   # CONNECTIVITY's N_() names
    fig = figure(_("How many parameters connect the same input to the same output?"), "",
                 _("parameters (log scale)"), height=380)
    fig.add_trace(go.Bar(x=names, y=counts, text=[number(n, ",") for n in counts], textposition="outside",
                         marker_color=[color(i) for i in range(len(names))], cliponaxis=False,
                         hovertemplate=_("%{x}: %{y:,} parameters") + "<extra></extra>"))
    fig.update_yaxes(type="log", range=[0, np.log10(max(counts)) + 0.8], exponentformat="power")
    finish(fig, title_subtitle_text=_("{size}x{size}x{channels} in, {out}x{out}x{filters} out").format(
        size=c.size, channels=c.channels, out=r.out_size, filters=c.filters))
    return fig


def _grid(z: np.ndarray, name: str, colorscale: str = "Blues", zmin=None, zmax=None, hover: str = "") -> go.Heatmap:
    """A heatmap of small integers, printed in its cells when it is small enough to read."""
    text = dict(texttemplate="%{z:.3~g}", textfont=dict(size=12)) if max(z.shape) <= TEXT_CELLS else {}
    return go.Heatmap(z=z, name=name, colorscale=colorscale, showscale=False, zmin=zmin, zmax=zmax, xgap=1, ygap=1,
                      hovertemplate=f"{hover}row %{{y}}, col %{{x}}: %{{z:.3~g}}<extra></extra>", **text)


def _box(row: float, col: float, height: float, width: float) -> tuple[list, list]:
    """The outline of cells row..row+height-1, col..col+width-1 of a heatmap, as a closed line (x, y)."""
    top, left, bottom, right = float(row) - 0.5, float(col) - 0.5, float(row + height) - 0.5, float(col + width) - 0.5
    return [left, right, right, left, left], [top, top, bottom, bottom, top]


def _window(taps: np.ndarray) -> tuple[list, list, list, list]:
    """The window's outline over its taps, and a dot in the top left corner of each tap's cell (the value stays
    readable): x = column, y = row."""
    (r0, c0), (r1, c1) = taps.min(0), taps.max(0)
    x, y = _box(r0, c0, r1 - r0 + 1, c1 - c0 + 1)
    return x, y, (taps[:, 1] - TAP_OFFSET).tolist(), (taps[:, 0] - TAP_OFFSET).tolist()


def conv_window(r: "Result") -> go.Figure:
    """The kernel's window over the padded input and the output value it makes, one animation frame per position."""
    c = r.config
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.08, column_widths=[0.55, 0.45],
                        subplot_titles=((_("Input {size}x{size} + padding {padding}") if c.padding else
                                         _("Input {size}x{size}")).format(size=c.size, padding=c.padding),
                                        _("Output {size}x{size}").format(size=r.out_size)))
    lo, hi = float(r.image.min()), float(r.image.max())
    fig.add_trace(_grid(r.image, _("input"), zmin=lo, zmax=hi + 4), row=1, col=1)
    fig.add_trace(_grid(r.output, _("output"), "Oranges", hover=_("output") + " "), row=1, col=2)
    line = dict(color=color(5), width=3)
    wx, wy, tx, ty = _window(r.taps[0]) if r.animated else ([], [], [], [])
    fig.add_trace(go.Scatter(x=wx, y=wy, mode="lines", line=line, hoverinfo="skip"), row=1, col=1)
    fig.add_trace(go.Scatter(x=tx, y=ty, mode="markers", marker=dict(size=6, color=color(5)), hoverinfo="skip"),
                  row=1, col=1)
    ox, oy = _box(0, 0, 1, 1) if r.animated else ([], [])
    fig.add_trace(go.Scatter(x=ox, y=oy, mode="lines", line=line, hoverinfo="skip"), row=1, col=2)
    kernel = ", ".join("[" + " ".join(f"{v:g}" for v in row) + "]" for row in r.kernel)
    subtitle = (_("channel 1, filter 1: kernel {kernel} with dilation {dilation}") if c.dilation > 1 else
                _("channel 1, filter 1: kernel {kernel}")).format(kernel=kernel, dilation=c.dilation)
    if not r.animated:
        subtitle += " " + _("(too many positions to animate)")
    finish(fig, title=_("Where does each output value come from?"), height=520, showlegend=False,
           title_subtitle_text=subtitle)
    # fixed ranges: the window's traces must not move the axes
    for col, side in ((1, len(r.image)), (2, r.out_size)):
        fig.update_xaxes(range=[-0.5, side - 0.5], row=1, col=col)
        fig.update_yaxes(range=[side - 0.5, -0.5], row=1, col=col)
    fig.update_xaxes(showgrid=False, showticklabels=False, zeroline=False, constrain="domain")
    fig.update_yaxes(showgrid=False, showticklabels=False, zeroline=False, scaleanchor="x")
    fig.update_yaxes(scaleanchor="x2", row=1, col=2)
    if not r.animated:
        return fig
    _add_playback(fig, r.out_size)
    frames = []
    for i, taps in enumerate(r.taps):
        wx, wy, tx, ty = _window(taps)
        ox, oy = _box(i // r.out_size, i % r.out_size, 1, 1)
        frames.append(dict(name=str(i), traces=[2, 3, 4], data=[dict(type="scatter", x=wx, y=wy),
                                                                dict(type="scatter", x=tx, y=ty),
                                                                dict(type="scatter", x=ox, y=oy)]))
    return go.Figure(data=fig.data, layout=fig.layout, frames=frames, _validate=False)


def _add_playback(fig: go.Figure, out: int) -> None:
    """Play and pause buttons and a slider over the output positions (row, column), under the plot. Frames redraw
    (redraw=True): without it Plotly 7 blanks the heatmaps while it animates the window's traces."""
    duration = int(np.clip(FRAME_MS / (out * out), 30, 400))
    play = dict(frame=dict(duration=duration, redraw=True), fromcurrent=True, transition=dict(duration=0),
                mode="immediate")
    pause = dict(frame=dict(duration=0, redraw=True), mode="immediate", transition=dict(duration=0))
    fig.update_layout(
        margin=dict(b=130),
        updatemenus=[dict(type="buttons", direction="left", x=0.0, y=0.0, xanchor="left", yanchor="top",
                          pad=dict(t=10), showactive=False, buttons=[
                              dict(label="▶ Play", method="animate", args=[None, play]),
                              dict(label="❚❚ Pause", method="animate", args=[[None], pause])])],
        sliders=[dict(active=0, x=0.22, len=0.78, y=0.0, yanchor="top", pad=dict(t=0),
                      currentvalue=dict(prefix=_("output") + " ", xanchor="right", font=dict(size=13)),
                      transition=dict(duration=0),
                      steps=[dict(label=f"({i // out}, {i % out})", method="animate",
                                  args=[[str(i)], pause]) for i in range(out * out)])])


def pooling(r: "Result") -> go.Figure:
    """The input beside its max pooling and its average pooling (window = stride = the pool size)."""
    c = r.config
    image = r.image[c.padding:c.padding + c.size, c.padding:c.padding + c.size]
    fig = make_subplots(rows=1, cols=3, horizontal_spacing=0.05,
                        subplot_titles=(_("Input {size}x{size}").format(size=c.size),
                                        _("Max pool {pool}x{pool}").format(pool=c.pool),
                                        _("Average pool {pool}x{pool}").format(pool=c.pool)))
    lo, hi = float(image.min()), float(image.max()) + 4
    for i, (z, name) in enumerate(((image, _("input")), (r.pooled_max, _("max")), (r.pooled_avg, _("average"))), 1):
        fig.add_trace(_grid(z, name, zmin=lo, zmax=hi, hover=f"{name} "), row=1, col=i)
    finish(fig, title=_("What does pooling keep of each window?"), height=380, showlegend=False)
    fig.update_xaxes(showgrid=False, showticklabels=False, constrain="domain")
    fig.update_yaxes(showgrid=False, showticklabels=False, autorange="reversed")
    for i in (1, 2, 3):
        fig.update_yaxes(scaleanchor=f"x{i if i > 1 else ''}", row=1, col=i)
    return fig


def receptive_fields(r: "Result") -> go.Figure:
    """The receptive field after each stacked layer: convolutions alone, and each followed by the pooling."""
    c = r.config
    layers = np.arange(1, c.layers + 1)
    fig = figure(_("How much of the input does one unit see?"), _("layers stacked"),
                 _("receptive field (input pixels per side)"), height=400)
    conv = f"{c.kernel}x{c.kernel} conv" + (f", stride {c.stride}" if c.stride > 1 else "") + \
        (f", dilation {c.dilation}" if c.dilation > 1 else "")      # the layers as torch names them
    sizes = [_("map {s}x{s}").format(s=s) if s else _("no map left") for s in r.sizes_conv]
    fig.add_trace(go.Scatter(x=layers, y=r.fields_conv, mode="lines+markers", name=conv, customdata=sizes,
                             line=dict(color=color(0)),
                             hovertemplate=_("%{x} layers: %{y} pixels (%{customdata})") + "<extra></extra>"))
    fig.add_trace(go.Scatter(x=layers, y=r.fields_pool, mode="lines+markers", name=f"{conv} + {c.pool}x{c.pool} pool",
                             line=dict(color=color(1)),
                             hovertemplate=_("%{x} layers: %{y} pixels") + "<extra></extra>"))
    fig.update_xaxes(dtick=1 if c.layers <= 12 else None)
    return fig


def shift_accuracy(r: "ShiftResult") -> go.Figure:
    """Each model's test accuracy on digits shifted by 0, 1 and 2 pixels (mean over four directions)."""
    fig = figure(_("Which net still recognizes a shifted digit?"), _("shift (pixels, left, right, up or down)"),
                 _("test accuracy"), height=400)
    for i, name in enumerate(MODELS):
        fig.add_trace(go.Scatter(x=r.shifts, y=r.accuracy[i], mode="lines+markers",
                                 name=_("{model} ({n} parameters)").format(model=name,
                                                                           n=number(r.parameters[i], ",")),
                                 line=dict(color=color(i), width=3),
                                 hovertemplate=f"{name}: " + _("%{y:.1%} at %{x} px") + "<extra></extra>"))
    fig.update_xaxes(dtick=1)
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%")
    return fig


def shift_curves(r: "ShiftResult") -> go.Figure:
    """Test accuracy (unshifted digits) after each epoch of both models."""
    epochs = np.arange(1, r.val_acc.shape[1] + 1)
    fig = figure(_("Do both nets learn the digits as they are?"), _("epoch"), _("test accuracy (unshifted)"),
                 height=360)
    for i, name in enumerate(MODELS):
        fig.add_trace(go.Scatter(x=epochs, y=r.val_acc[i], mode="lines", name=name, line=dict(color=color(i)),
                                 hovertemplate=f"{name}, " + _("epoch %{x}") + ": %{y:.1%}<extra></extra>"))
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%")
    return fig


def _tiles(images: np.ndarray, side: int) -> np.ndarray:
    """Rows x columns of side x side images as one array, a blank (NaN) line between them."""
    rows, cols = images.shape[:2]
    tile = np.full((rows * (side + 1) - 1, cols * (side + 1) - 1), np.nan)
    for i in range(rows):
        for j in range(cols):
            h, w = images[i, j].shape
            tile[i * (side + 1):i * (side + 1) + h, j * (side + 1):j * (side + 1) + w] = images[i, j]
    return tile


def cnn_features(r: "ShiftResult") -> go.Figure:
    """The CNN's learned first-layer kernels, and its feature maps of a test digit and of the digit moved right."""
    k, f = r.filters.shape[1], len(r.filters)
    kernels = r.filters / np.abs(r.filters).reshape(f, -1).max(1).clip(1e-12)[:, None, None]
    scale = r.maps.max(axis=(0, 2, 3)).clip(1e-12)                 # per filter, over both digits: comparable
    maps = r.maps / scale[None, :, None, None]
    rows = np.empty((3, f + 1), dtype=object)
    zoom = max(1, 8 // k)                                            # a 3x3 kernel drawn 6x6: as visible as a map
    rows[0, 0] = np.full((k * zoom, k * zoom), np.nan)
    rows[0, 1:] = [np.kron(w, np.ones((zoom, zoom))) for w in kernels * 0.5 + 0.5]   # -1..1 -> light..dark
    for i in (0, 1):
        rows[i + 1, 0] = r.digit[i] / 16
        rows[i + 1, 1:] = list(maps[i])
    fig = figure(_("What did the first layer learn, and do its maps move with the digit?"), "", "", height=480)
    fig.add_trace(go.Heatmap(z=np.round(_tiles(rows, 8), 3), colorscale="Greys", zmin=0, zmax=1, showscale=False,
                             hoverinfo="skip"))
    fig.update_xaxes(showgrid=False, tickvals=[3.5 + 9 * j for j in range(f + 1)],
                     ticktext=[_("digit")] + [f"{j}" for j in range(1, f + 1)], title_text=_("filter"))
    fig.update_yaxes(showgrid=False, autorange="reversed", scaleanchor="x", tickvals=[(k * zoom - 1) / 2, 12.5, 21.5],
                     ticktext=[_("kernel"), _("a {digit}").format(digit=r.label), _("moved 1 px")])
    finish(fig, title_subtitle_text=_("kernels: dark = positive weight, light = negative; maps: dark = strong response "
                                      "(after ReLU)"))
    return fig
