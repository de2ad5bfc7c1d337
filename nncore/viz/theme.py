"""One look for every chart: a colour-blind-safe palette (Okabe-Ito), large type for a projector, clean axes.

Streamlit draws Plotly figures with its own theme, which replaces a template's fonts, colours and side margins
(12 px grey ticks, no right margin: the last tick label is cut). `finish` writes the look into the figure itself,
where it wins: every builder ends with it (`figure` calls it for single-panel charts)."""
from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from nncore.i18n import _, separators
from nncore.viz._private import grid_shape

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
TEXT, TICKS = "#262730", "#444444"
TITLE_CHARS = 46     # a title wraps here: ~370 px at 17 px bold, a chart beside the controls on a 1024 px projector
LINE_PX = {"title": 24, "subplot": 19}   # height of a line of text

pio.templates["nnlab"] = go.layout.Template(layout=go.Layout(
    colorway=PALETTE,
    font=dict(size=14, color=TEXT),
    title=dict(font=dict(size=17), x=0.0, xanchor="left"),
    plot_bgcolor="white",
    xaxis=dict(showgrid=True, gridcolor="#e5e5e5", zeroline=False, linecolor="#444", ticks="outside"),
    yaxis=dict(showgrid=True, gridcolor="#e5e5e5", zeroline=False, linecolor="#444", ticks="outside"),
    legend=dict(orientation="h", yref="container", yanchor="bottom", y=0.0, x=0.0, xanchor="left"),
    margin=dict(l=12, r=28, t=70, b=50),
    hoverlabel=dict(font_size=14),
))


def wrap(text: str, width: int) -> str:
    """Break a title into lines of at most `width` characters at spaces (existing <br> kept, markup not counted)."""
    lines = []
    for part in re.split(r"<br\s*/?>", text):
        line = ""
        for word in part.split(" "):
            if line and len(re.sub(r"<[^>]+>", "", f"{line} {word}")) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return "<br>".join(lines)


def note(text: str, width: int = 40) -> str:
    """A small grey second line for a subplot title (wrapped to `width` characters), e.g. what lies under a curve."""
    return "<br>".join(f"<span style='font-size:12px;color:{TICKS}'>{line}</span>"
                       for line in wrap(text, width).split("<br>"))


def _subplot_titles(fig: go.Figure) -> list:
    """make_subplots' titles: the paper-anchored annotations it puts above each panel."""
    if grid_shape(fig) is None:
        return []
    return [a for a in fig.layout.annotations if a.xref == "paper" and a.yref == "paper" and a.yanchor == "bottom"
            and a.showarrow is False]


def finish(fig: go.Figure, legend_top: bool = False, **layout) -> go.Figure:
    """The lab's look written into the figure (see the module's note), then `layout`.

    The title sits at the top and wraps to fit a narrow chart; the legend goes under the plot, in a band of its own
    whatever its number of rows (`legend_top`: right under the title instead); subplot titles wrap to their panel."""
    fig.update_layout(template="nnlab", separators=separators(), **layout)
    _, cols = grid_shape(fig) or (1, 1)
    sub_lines = 0
    for a in _subplot_titles(fig):
        a.text = "<br>".join(line if "<" in line else wrap(line, max(16, 48 // cols))   # a note is wrapped already
                             for line in (a.text or "").split("<br>"))
        a.font = dict(size=14, color=TEXT)
        sub_lines = max(sub_lines, (a.text or "").count("<br>") + 1)
    title = fig.layout.title.text or ""
    title_lines = 0
    if title:
        fig.layout.title.text = title = wrap(title, TITLE_CHARS)
        title_lines = title.count("<br>") + 1
    subtitle = fig.layout.title.subtitle.text or ""
    if subtitle:
        fig.layout.title.subtitle.text = subtitle = wrap(subtitle, TITLE_CHARS + 10)
        fig.layout.title.subtitle.font = dict(size=13, color=TICKS)
    head = 14 + LINE_PX["title"] * title_lines + (18 * (subtitle.count("<br>") + 1) + 4 if subtitle else 0)
    above = LINE_PX["subplot"] * sub_lines               # the subplot titles, between the legend and the plot
    if legend_top:
        fig.update_layout(legend=dict(yref="container", y=1 - (head + 4) / (fig.layout.height or 450),
                                      yanchor="top", orientation="h", x=0.0, xanchor="left"))
    margin = fig.layout.margin
    if "t" not in layout.get("margin", {}):
        margin.t = 12 + above if legend_top else head + 10 + above
    margin.l = 12 if margin.l is None else margin.l
    margin.r = 28 if margin.r is None else margin.r
    fig.update_layout(title=dict(yref="container", y=1.0, yanchor="top", pad=dict(t=14), font=dict(size=17)),
                      font=dict(size=14, color=TEXT), legend_font=dict(size=14, color=TEXT))
    _style_axes(fig)
    return fig


def _style_axes(fig: go.Figure) -> None:
    """Tick and title fonts on every x and y axis."""
    style = dict(tickfont=dict(size=13, color=TICKS), title=dict(font=dict(size=14, color=TEXT)))
    set_axes(fig, {ax.plotly_name: style for ax in (*fig.select_xaxes(), *fig.select_yaxes())})


def set_axes(fig: go.Figure, axes: dict[str, dict]) -> None:
    """Merge `axes` ({"xaxis2": {"title": {"text": ...}}, ...}: nested dicts, not title_text) into the layout as
    update_layout would, in one assignment: Plotly's updates cost ~2 ms per axis (a grid of ten panels has twenty),
    validating the whole layout once ~7 ms."""
    spec = fig.layout.to_plotly_json()
    fig.layout = spec | {name: _merged(spec.get(name, {}), value) for name, value in axes.items()}


def _merged(old: dict, new: dict) -> dict:
    """`old` updated by `new`, nested dicts merged key by key (Plotly's update rule)."""
    out = dict(old)
    for key, value in new.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def log_axis(fig: go.Figure, values, **where) -> None:
    """A log y axis in powers of ten: labelled at 1, 2 and 5 over a few decades, once per decade over many (Plotly's
    default labels every digit of a short range, and the labels pile up)."""
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite) & (finite > 0)]
    decades = np.log10(finite.max() / finite.min()) if len(finite) else 0.0
    fig.update_yaxes(type="log", exponentformat="power", dtick="D2" if decades <= 3 else 1 if decades <= 8 else None,
                     **where)


def figure(title: str, x_title: str, y_title: str, **layout) -> go.Figure:
    """An empty figure in the lab's theme with its question as title and labelled axes."""
    fig = go.Figure()
    return finish(fig, title=title, xaxis_title=x_title, yaxis_title=y_title, **layout)


def color(i: int) -> str:
    """The i-th colour of the palette."""
    return PALETTE[i % len(PALETTE)]


def mark_guess(fig: go.Figure, x, y, **where) -> None:
    """The student's prediction (nncore.ui.predict) as a black star labelled "your guess", on the panel `where`
    names (row, col): the reveal puts it beside what the run measured."""
    label = _("your guess")
    fig.add_trace(go.Scatter(x=[x], y=[y], mode="markers+text", name=label, text=[label],
                             marker=dict(symbol="star", size=16, color="black"), textposition="middle left"), **where)
