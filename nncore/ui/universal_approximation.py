"""Controls of the universal-approximation page: 001's six units as a compact table of slopes and offsets, and the
function to fit (a typed polyline among them), all in the URL (w1..w6, b1..b6; target, points, width, ...)."""
from __future__ import annotations

import dataclasses
from functools import partial

import streamlit as st

from nncore.experiments.universal_approximation import fit, relu_sum
from nncore.params import spec
from nncore.ui import classroom, links
from nncore.ui.controls import controls
from nncore.ui.i18n import _

UNITS = "units"     # what an instructor's link hides the unit table by
# a link's slopes and offsets are usable only as the inputs can show them: six finite numbers within ±LIMIT
CHECKS = {"slopes": partial(relu_sum.check_units, name="Slopes"), "offsets": partial(relu_sum.check_units, name="Offsets")}


def unit_controls() -> relu_sum.Config:
    """The unit table (an instructor's link may hide it: ?hide=units) and the x range."""
    links.mend(relu_sum.Config, ["slopes", "offsets"], checks=CHECKS)
    classroom.offer(UNITS)
    if classroom.is_hidden(UNITS, "controls"):      # the units the link names, or the slide's
        slopes = links.read(relu_sum.Config, "slopes") or relu_sum.SLIDE_SLOPES
        offsets = links.read(relu_sum.Config, "offsets") or relu_sum.SLIDE_OFFSETS
    else:
        slopes, offsets = unit_table()
    extent = controls(relu_sum.Config, only=("extent",), notice=False).extent
    links.notice(relu_sum.Config)
    return relu_sum.Config(tuple(map(float, slopes)), tuple(map(float, offsets)), extent)


def unit_table() -> tuple[list[float], list[float]]:
    """One row per unit: its sign in Z, its slope and its offset (n_i(x) = Relu(slope x + offset)), in the URL."""
    widths = [1, 2, 2]
    for col, head in zip(st.columns(widths), (_("unit"), _("slope"), _("offset"))):
        col.caption(head)
    slopes, offsets = [], []
    for i, (name, w, b) in enumerate(zip(relu_sum.NAMES, relu_sum.SLIDE_SLOPES, relu_sum.SLIDE_OFFSETS), 1):
        unit, slope, offset = st.columns(widths, vertical_alignment="center")
        unit.markdown(f"**{name}**")
        common = dict(min_value=-relu_sum.LIMIT, max_value=relu_sum.LIMIT, step=0.1, format="%g",
                      bind="query-params", label_visibility="collapsed")
        slopes.append(slope.number_input(_("slope of n{i}").format(i=i), value=w, key=f"w{i}", **common))
        offsets.append(offset.number_input(_("offset of n{i}").format(i=i), value=b, key=f"b{i}", **common))
    return slopes, offsets


def _short(text: str) -> None:
    if len(text) > fit.MAX_CHARS:
        raise ValueError(_("Polyline points: at most {most} characters (got {got}).").format(most=fit.MAX_CHARS,
                                                                                              got=len(text)))


def fit_controls() -> fit.Config:
    """The function (its formula shown), the points of a polyline, then the width and the training."""
    target = controls(fit.Config, only=("target",), notice=False).target
    points = fit.DEFAULT_POINTS
    if target == fit.POLYLINE:
        points = polyline_input()
    else:
        st.latex(fit.TARGETS[target].formula)
    st.caption(_(fit.TARGETS[target].note))
    rest = controls(fit.Config, only=("width", "steps", "lr", "seed"), notice=False)
    links.notice(fit.Config)
    return dataclasses.replace(rest, target=target, points=points)


def polyline_input() -> str:
    """The typed points, or those of the link when an instructor's link hides the box (?hide=points)."""
    links.mend(fit.Config, ["points"], checks={"points": _short})
    classroom.offer("points")
    if classroom.is_hidden("points", "controls"):
        return links.read(fit.Config, "points") or fit.DEFAULT_POINTS
    hint = spec(fit.Config, "points")["help"]     # an N_() message: translated here, outside _() for the extractor
    return st.text_input(_("Polyline points"), value=fit.DEFAULT_POINTS, key="points", bind="query-params",
                         max_chars=fit.MAX_CHARS, help=_(hint))
