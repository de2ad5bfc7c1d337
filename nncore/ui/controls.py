"""Widgets generated from an experiment's Config: labels, help and ranges from its fields, state in the URL."""
from __future__ import annotations

import dataclasses
import math
from typing import Any, Callable, Iterable

import streamlit as st

from nncore.params import Each, Preset, Repeat, label_of, spec
from nncore.ui import classroom, links
from nncore.ui.i18n import _
from nncore.ui.upload import dataset_box
from nncore.ui.links import log_grid
from nncore.ui.multichoice import multiselect

WIDTHS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)   # what a hidden layer's width slider offers


def hidden_layers(cfg_type: type, default: tuple[int, ...] = (64, 64), prefix: str = "", name: str = "hidden",
                  max_depth: int = 6, widths: Iterable[int] = WIDTHS) -> tuple[int, ...]:
    """Depth and width sliders for a `link=Repeat(...)` field (URL keys as it says: hidden's are `<prefix>depth`,
    `<prefix>width`): `depth` hidden layers of `width` units."""
    widths = list(widths)

    def check(hidden: tuple[int, ...]) -> None:   # what the sliders can show
        if not 1 <= len(hidden) <= max_depth:
            raise ValueError(_("Hidden layers must be between 1 and {most} (got {depth}).").format(
                most=max_depth, depth=len(hidden)))
        if hidden[0] not in widths:
            raise ValueError(_("Units per hidden layer must be one of {widths} (got {width}).").format(
                widths=", ".join(map(str, widths)), width=hidden[0]))

    links.mend(cfg_type, [name], prefix, defaults={name: default}, checks={name: check})
    depth_key, width_key = links.keys(cfg_type, name, prefix)
    classroom.offer(depth_key)
    classroom.offer(width_key)
    if classroom.is_hidden(depth_key, width_key, "controls"):   # an instructor's link: the net it names, or the default
        return links.read(cfg_type, name, prefix, default=default) or default
    # the page's net is the sliders' default (not only a starting value): a link leaves out exactly the defaults
    depth = st.slider(_("Hidden layers"), 1, max_depth, len(default), key=depth_key, bind="query-params",
                      help=_("Depth: how many hidden layers."))
    width = st.select_slider(_("Units per hidden layer"), widths, default[0] if default[0] in widths else 64,
                             key=width_key, bind="query-params", help=_("Width: neurons in every hidden layer."))
    return (int(width),) * int(depth)


def _widget(cfg_type: type, field: dataclasses.Field, prefix: str, default: Any) -> Any:
    """The widget of one field, chosen from its type and metadata, bound to the URL under `prefix + name` (or the keys
    its `link` names).

    `default` is always passed, also when a preset has set the value: Streamlit leaves a value equal to the widget's
    default out of the URL, and without one that default is the slider's minimum, so a shared link would lose it."""
    meta, label, key = spec(cfg_type, field.name), label_of(cfg_type, field.name), prefix + field.name
    classroom.offer(key)
    if classroom.is_hidden(key, *links.keys(cfg_type, field.name, prefix), "controls"):   # an instructor's link
        value = links.read(cfg_type, field.name, prefix, default=default)
        return default if value is None else value
    if isinstance(meta.get("link"), Repeat):
        return hidden_layers(cfg_type, default, prefix, field.name)
    if meta.get("link"):
        raise TypeError(f"{label}: ui.controls draws no widget for a {type(meta['link']).__name__} field; draw it "
                        "(nncore/ui/race.py draws the racers) and let nncore.ui.links read and write its link.")
    if isinstance(field.default, tuple) and meta.get("choices"):
        return multiselect(cfg_type, field, key)
    common = dict(key=key, help=_(meta.get("help")) or None, bind="query-params")
    if isinstance(field.default, bool):
        return st.toggle(label, value=default, **common)
    if meta.get("choices") and meta.get("accepts"):     # a data set: the lessons' or an upload
        return dataset_box(label, list(meta["choices"]), default, meta=meta, **common)
    if meta.get("choices"):
        options = list(meta["choices"])
        return st.selectbox(label, options, index=options.index(default),
                            format_func=lambda k: links.shown(meta, k), **common)
    common["value"] = default
    if meta.get("log"):
        return st.select_slider(label, log_grid(meta["lo"], meta["hi"]), format_func=lambda v: f"{v:g}", **common)
    lo, hi = meta["lo"], meta["hi"]
    if isinstance(field.default, int) and hi - lo > 10_000:
        return st.number_input(label, int(lo), int(hi), step=1, **common)
    if isinstance(field.default, int):
        return st.slider(label, int(lo), int(hi), step=int(meta.get("step") or 1), **common)
    step = meta.get("step")
    # Streamlit shows floats with 2 decimals: a step of 0.0005 would show 0.005 as "0.01"
    fmt = f"%.{max(2, math.ceil(-math.log10(step)))}f" if step and step < 0.01 else None
    return st.slider(label, float(lo), float(hi), step=step, format=fmt, **common)


def controls(cfg_type: type, prefix: str = "", only: Iterable[str] | None = None, exclude: Iterable[str] = (),
             notice: bool = True, defaults: dict[str, Any] | None = None, **fixed: Any) -> Any:
    """Widgets for the fields of `cfg_type` (all, or `only` those), bound to URL keys `prefix + field`: a Config.

    Fields in `fixed` get no widget and take the given value; `defaults` replaces the Config's defaults (a page's own
    starting point: a link without the field shows it). Unusable URL values are ignored with a visible notice
    (`notice=False`: noted only, for a panel that shows one links.notice for several groups).
    """
    fields = [f for f in dataclasses.fields(cfg_type)
              if (only is None or f.name in only) and f.name not in exclude and f.name not in fixed]
    links.mend(cfg_type, [f.name for f in fields if not isinstance(spec(cfg_type, f.name).get("link"), Repeat)],
               prefix)   # (depth and width sliders mend their own link, against what they can show)
    if notice:
        links.notice(cfg_type, prefix)
    defaults = defaults or {}
    values = {f.name: _widget(cfg_type, f, prefix, defaults.get(f.name, f.default)) for f in fields}
    return cfg_type(**values, **fixed)


def depth_and_width(cfg_type: type, name: str, hidden: tuple[int, ...], prefix: str = "") -> dict[str, int]:
    """What a Repeat field's two sliders hold to show `hidden`, by their keys: {"depth": 2, "width": 64}."""
    if len(set(hidden)) != 1:
        raise ValueError(_("The depth and width sliders show equal widths only (got {hidden}).").format(hidden=hidden))
    return dict(zip(links.keys(cfg_type, name, prefix), (len(hidden), hidden[0])))


def widget_state(cfg: Any, prefix: str = "") -> dict[str, Any]:
    """The session-state values that make controls(type(cfg), prefix) show `cfg`."""
    state: dict[str, Any] = {}
    for f in dataclasses.fields(cfg):
        value, link = getattr(cfg, f.name), spec(type(cfg), f.name).get("link")
        if isinstance(link, Repeat):
            state |= depth_and_width(type(cfg), f.name, value, prefix)
        elif isinstance(link, Each):    # one widget per element, under the link's keys
            state |= dict(zip(links.keys(type(cfg), f.name, prefix), value))
        else:
            state[prefix + f.name] = value
    return state


def presets(table: dict[str, Preset], prefix: str = "", columns: int = 3,
            state: Callable[[Any], dict[str, Any]] | None = None) -> None:
    """One button per preset; a click sets the widgets (and so the URL) to its config, or to `state(config)`."""
    def apply(cfg: Any) -> None:
        st.session_state.update(state(cfg) if state else widget_state(cfg, prefix))

    if classroom.is_hidden("presets", "controls"):
        return
    cols = st.columns(columns)
    for i, (name, preset) in enumerate(table.items()):
        cols[i % columns].button(_(name), key=f"preset.{prefix}{name}", on_click=apply, args=(preset.config,),
                                 help=_(preset.note), width="stretch")


def active_preset(table: dict[str, Preset], cfg: Any,
                  same: Callable[[Any], Any] | None = None) -> tuple[str, Preset] | None:
    """The preset whose config the page is showing now, if any (compared as `same(config)`, or as they are)."""
    same = same or (lambda config: config)
    return next(((n, p) for n, p in table.items() if same(p.config) == same(cfg)), None)
