"""A log10 search range as two number inputs bound to the URL (the keys of the Config field's `Each` link, such as
lr_lo and lr_hi), and the widget state of a whole Config with such ranges (for preset buttons and a refine click)."""
from __future__ import annotations

import dataclasses
from typing import Any, Callable

import streamlit as st

from nncore.params import Each, label_of, spec
from nncore.ui import links
from nncore.ui.i18n import _


def log_range(cfg_type: type, name: str, limits: tuple[float, float],
              check: Callable[[Any], None]) -> tuple[float, float]:
    """Low and high exponent of the field `name`, each in `limits`; a link's unusable range (`check` raises
    ValueError: reversed, empty) is dropped with a notice, so the inputs show the default."""
    default = next(f.default for f in dataclasses.fields(cfg_type) if f.name == name)
    links.mend(cfg_type, [name], checks={name: check})
    lo_key, hi_key = links.keys(cfg_type, name)
    st.markdown(f"**{label_of(cfg_type, name)}**", help=_(spec(cfg_type, name).get("help")) or None)
    left, right = st.columns(2)
    common = dict(min_value=limits[0], max_value=limits[1], step=0.1, format="%g", bind="query-params")
    lo = left.number_input(_("low exponent"), value=float(default[0]), key=lo_key, **common)
    hi = right.number_input(_("high exponent"), value=float(default[1]), key=hi_key, **common)
    return float(lo), float(hi)


def widget_state(cfg: Any) -> dict[str, Any]:
    """The session state that makes every control show `cfg`: a field by its name, a tuple with an `Each` link by
    its keys (lr_range -> lr_lo, lr_hi)."""
    state = {}
    for f in dataclasses.fields(cfg):
        value = getattr(cfg, f.name)
        if isinstance(spec(type(cfg), f.name).get("link"), Each):
            state |= dict(zip(links.keys(type(cfg), f.name), map(float, value)))
        else:
            state[f.name] = value
    return state


def apply(cfg: Any) -> None:
    """Show `cfg` in every control (a button's on_click: before the widgets exist, so they and the URL follow)."""
    st.session_state.update(widget_state(cfg))
