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


def finish(fig: go.Figure, legend_top: bool = False, axes: dict[str, dict] | None = None, **layout) -> go.Figure:
    """The lab's look written into the figure (see the module's note), then `layout`.

    The title sits at the top and wraps to fit a narrow chart; the legend goes under the plot, in a band of its own
    whatever its number of rows (`legend_top`: right under the title instead); subplot titles wrap to their panel.
    `axes` ({"xaxis2": {"title": {"text": ...}}, ...}: nested dicts, not title_text) is merged into those axes
    first. All but `layout` is worked out on the layout's dict and set in one assignment: Plotly's updates cost
    ~1-2 ms each (one per axis and per subplot title in a grid of ten panels)."""
    fig.update_layout(template="nnlab", separators=separators(), **layout)
    spec = fig.layout.to_plotly_json()
    sub_lines = _wrap_subplot_titles(fig, spec)
    title = spec.setdefault("title", {})
    if title.get("text"):
        title["text"] = wrap(title["text"], TITLE_CHARS)
    subtitle = title.get("subtitle", {})
    if subtitle.get("text"):
        subtitle["text"] = wrap(subtitle["text"], TITLE_CHARS + 10)
        subtitle["font"] = dict(size=13, color=TICKS)
    head = 14 + LINE_PX["title"] * _lines(title.get("text")) + (18 * _lines(subtitle.get("text")) + 4
                                                                   if subtitle.get("text") else 0)
    above = LINE_PX["subplot"] * sub_lines               # the subplot titles, between the legend and the plot
    look = dict(title=dict(yref="container", y=1.0, yanchor="top", pad=dict(t=14), font=dict(size=17)),
                font=dict(size=14, color=TEXT), legend=dict(font=dict(size=14, color=TEXT)))
    if legend_top:
        look["legend"] |= dict(yref="container", y=1 - (head + 4) / (spec.get("height") or 450), yanchor="top",
                               orientation="h", x=0.0, xanchor="left")
    margin = spec.setdefault("margin", {})
    if "t" not in layout.get("margin", {}):
        margin["t"] = 12 + above if legend_top else head + 10 + above
    margin.setdefault("l", 12)
    margin.setdefault("r", 28)
    axis = dict(tickfont=dict(size=13, color=TICKS), title=dict(font=dict(size=14, color=TEXT)))
    look |= {ax.plotly_name: axis for ax in (*fig.select_xaxes(), *fig.select_yaxes())}
    fig.layout = _merged(_merged(spec, axes or {}), look)
    return fig


def _lines(text: str | None) -> int:
    """How many lines a text has (0 when there is none)."""
    return text.count("<br>") + 1 if text else 0


def _wrap_subplot_titles(fig: go.Figure, spec: dict) -> int:
    """make_subplots' titles in the layout's dict `spec` (the paper-anchored annotations above each panel) wrapped
    to their panel; their most lines."""
    if grid_shape(fig) is None:
        return 0
    _, cols = grid_shape(fig)
    lines = 0
    for a in spec.get("annotations", []):
        if a.get("xref") == "paper" and a.get("yref") == "paper" and a.get("yanchor") == "bottom" \
                and a.get("showarrow") is False:
            a["text"] = "<br>".join(line if "<" in line else wrap(line, max(16, 48 // cols))   # a note: wrapped
                                    for line in (a.get("text") or "").split("<br>"))
            a["font"] = dict(size=14, color=TEXT)
            lines = max(lines, _lines(a["text"]) or 1)
    return lines


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
