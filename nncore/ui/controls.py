"""Widgets generated from an experiment's Config: labels, help and ranges from its fields, state in the URL."""
from __future__ import annotations

import dataclasses
import math
from typing import Any, Callable, Iterable

import streamlit as st

from nncore.params import Preset, check_value, field_type, label_of, spec
from nncore.ui.multichoice import multiselect


def log_grid(lo: float, hi: float) -> list[float]:
    """The 1-2-5 values between lo and hi, for a slider over several orders of magnitude."""
    values = [m * 10.0**e for e in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)
              for m in (1, 2, 5)]
    return [float(f"{v:.6g}") for v in values if lo <= v <= hi]


def _choice_label(meta: dict, key: str) -> str:
    return meta["labels"].get(key, key) if meta.get("labels") else key


_BOOLS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False, "on": True, "off": False}


def _parse(text: str, default: Any) -> Any:
    """A URL string as the type of the field's default; ValueError if it does not parse."""
    if isinstance(default, bool):
        if text.lower() not in _BOOLS:
            raise ValueError(text)
        return _BOOLS[text.lower()]
    return type(default)(text)


def _whole(text: str) -> int | None:
    """The whole number a URL text spells ("12", "12.0", "1e3"), or None."""
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def _url_alias(cfg_type: type, field: dataclasses.Field, key: str) -> tuple[Any, str] | None:
    """(value, the URL text the widget writes) when the link spells a usable value in another form: a choice's key
    as nncore names it ("relu" for "ReLU"), or a number written differently ("1.0" for the slider's "1", "12.0" for
    a whole-number slider's "12")."""
    meta, text = spec(cfg_type, field.name), st.query_params.get(key)
    if text is None or text in (meta.get("labels") or {}).values():
        return None
    if meta.get("choices") and not isinstance(field.default, tuple) and text in meta["choices"]:
        return (text, _choice_label(meta, text)) if _choice_label(meta, text) != text else None
    if isinstance(field.default, bool) and text.lower() in _BOOLS and text not in ("true", "false"):
        return _BOOLS[text.lower()], str(_BOOLS[text.lower()]).lower()   # a toggle reads only "true" and "false"
    if field_type(cfg_type, field.name) is int and (whole := _whole(text)) is not None and text != str(whole):
        return whole, str(whole)   # "12.0" or "1e3" for a whole-number field: its slider reads only "12"
    if meta.get("log"):
        try:
            value = _parse(text, field.default)
        except ValueError:
            return None
        if value in log_grid(meta["lo"], meta["hi"]) and text != f"{value:g}":
            return value, f"{value:g}"
    return None


def _url_problem(cfg_type: type, field: dataclasses.Field, key: str) -> str | None:
    """Why the URL's value for this field is unusable, or None if it is absent or fine."""
    if key not in st.query_params or isinstance(field.default, tuple):  # a multiselect checks its own URL values
        return None
    text = st.query_params[key]
    meta = spec(cfg_type, field.name)
    if text in (meta.get("labels") or {}).values():  # a bound selectbox writes the shown label to the URL
        return None
    try:
        value = _parse(text, field.default)
    except ValueError:
        return f"{label_of(cfg_type, field.name)} cannot be {text!r}."
    if meta.get("log") and value not in log_grid(meta["lo"], meta["hi"]):
        return (f"{label_of(cfg_type, field.name)} must be a 1-2-5 value (…, 0.1, 0.2, 0.5, 1, …) from {meta['lo']:g} "
                f"to {meta['hi']:g} (got {text}).")
    return check_value(cfg_type, field.name, value)


def _widget(cfg_type: type, field: dataclasses.Field, key: str, default: Any) -> Any:
    """The widget of one field, chosen from its type and metadata, bound to the URL under `key`.

    `default` is always passed, also when a preset has set the value: Streamlit leaves a value equal to the widget's
    default out of the URL, and without one that default is the slider's minimum, so a shared link would lose it."""
    meta, label = spec(cfg_type, field.name), label_of(cfg_type, field.name)
    if isinstance(field.default, tuple) and meta.get("choices"):
        return multiselect(cfg_type, field, key)
    common = dict(key=key, help=meta.get("help") or None, bind="query-params")
    if isinstance(field.default, bool):
        return st.toggle(label, value=default, **common)
    if meta.get("choices"):
        options = list(meta["choices"])
        return st.selectbox(label, options, index=options.index(default),
                            format_func=lambda k: _choice_label(meta, k), **common)
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


def link_warning(problems: list[str]) -> None:
    """The one message for unusable link values: which, and that their defaults are shown instead."""
    st.warning("Some values in this link were not usable and were replaced by defaults: " + " ".join(problems),
               icon=":material/link_off:")


def url_notices(cfg_type: type, prefix: str = "") -> list[str]:
    """The unusable URL values found so far in this session for `cfg_type`'s controls (a list controls() extends)."""
    return st.session_state.setdefault(f"_url_notices.{cfg_type.__module__}.{prefix}", [])


def controls(cfg_type: type, prefix: str = "", only: Iterable[str] | None = None, exclude: Iterable[str] = (),
             notice: bool = True, defaults: dict[str, Any] | None = None, **fixed: Any) -> Any:
    """Widgets for the fields of `cfg_type` (all, or `only` those), bound to URL keys `prefix + field`: a Config.

    Fields in `fixed` get no widget and take the given value; `defaults` replaces the Config's defaults (a page's own
    starting point: a link without the field shows it). Unusable URL values are ignored with a visible notice
    (`notice=False`: collected in url_notices() only, for a page that calls controls() several times).
    """
    fields = [f for f in dataclasses.fields(cfg_type)
              if (only is None or f.name in only) and f.name not in exclude and f.name not in fixed]
    keys = [prefix + f.name for f in fields]
    aliases = {key: a for f, key in zip(fields, keys) if (a := _url_alias(cfg_type, f, key))}
    problems = {key: p for f, key in zip(fields, keys) if key not in aliases and (p := _url_problem(cfg_type, f, key))}
    seen = url_notices(cfg_type, prefix)
    seen.extend(p for p in problems.values() if p not in seen)
    if aliases or problems:   # mend the link before a widget reads it (some crash on a value like seed=inf), rerun
        for key, (_, text) in aliases.items():
            st.query_params[key] = text
        for key in problems:
            del st.query_params[key]
        st.rerun()
    if seen and notice:
        link_warning(seen)
    defaults = defaults or {}
    values = {f.name: _widget(cfg_type, f, key, defaults.get(f.name, f.default)) for f, key in zip(fields, keys)}
    return cfg_type(**values, **fixed)


def presets(table: dict[str, Preset], prefix: str = "", columns: int = 3,
            state: Callable[[Any], dict[str, Any]] | None = None) -> None:
    """One button per preset; a click sets the widgets (and so the URL) to its config, or to `state(config)`."""
    def apply(cfg: Any) -> None:
        st.session_state.update(state(cfg) if state else
                                {prefix + field.name: getattr(cfg, field.name) for field in dataclasses.fields(cfg)})

    cols = st.columns(columns)
    for i, (name, preset) in enumerate(table.items()):
        cols[i % columns].button(name, key=f"preset.{prefix}{name}", on_click=apply, args=(preset.config,),
                                 help=preset.note, width="stretch")


def active_preset(table: dict[str, Preset], cfg: Any) -> tuple[str, Preset] | None:
    """The preset whose config the page is showing now, if any."""
    return next(((n, p) for n, p in table.items() if p.config == cfg), None)
