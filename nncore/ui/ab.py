"""A/B lessons: one base configuration in the URL, and the same run with a technique off (A) and on (B).

```python
cfg_a, cfg_b = ab.configs(regularization.Config, base=regularization.OVERFIT, on={"dropout": 0.5})
```
renders the technique's controls for B (URL keys `b_<field>`, defaults from `on`) and the shared controls in an
expander (URL keys `<field>`, defaults from `base`); A is the base with the technique's fields at base's values.
`presets(table, on=...)` puts one button per lecture preset above them; a click sets those controls, and
`preset_banner(table, cfg, runs, notices)` shows the active one's note with what its runs show, computed from them.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Callable, Iterable

import streamlit as st

from nncore.params import Preset
from nncore.ui import links
from nncore.ui.cards import preset_banner as banner
from nncore.ui.controls import controls, depth_and_width, hidden_layers
from nncore.ui.controls import presets as preset_buttons
from nncore.ui.i18n import N_, _
from nncore.ui.runner import run_all


def seed_defaults(values: dict[str, Any], prefix: str = "") -> None:
    """Make `values` the starting values of widgets made without a default (the schedule editor's slots)."""
    for name, value in values.items():
        key = prefix + name
        if key not in st.session_state and key not in st.query_params:
            st.session_state[key] = value


def configs(cfg_type: type, base: Any, on: dict[str, Any], *, exclude: Iterable[str] = (),
            shared_label: str = N_("Data, network and training (the same for A and B)"),
            technique_label: str | None = N_("B: the technique on"), **fixed: Any) -> tuple[Any, Any]:
    """(A, B): B's technique controls first, then the shared controls in an expander; both runs share the seed."""
    # hidden gets depth/width sliders; optional (None-default) fields have no generic widget: the page sets them
    exclude = set(exclude) | {"hidden"} | {f.name for f in dataclasses.fields(cfg_type) if f.default is None}
    if on and technique_label:
        st.markdown(f"**{_(technique_label)}**")
    technique = controls(cfg_type, prefix="b_", only=tuple(on), notice=False, defaults=on)
    base_values = {f.name: getattr(base, f.name) for f in dataclasses.fields(cfg_type)}
    with st.expander(_(shared_label), expanded=False):
        hidden = fixed.pop("hidden", None) or hidden_layers(cfg_type, base.hidden)
        pinned = {k: base_values[k] for k in (exclude | set(on)) - {"hidden"}} | fixed | {"hidden": hidden}
        shared = controls(cfg_type, notice=False, defaults=base_values, **pinned)
    links.notice(cfg_type, "b_", "", "a_")   # one notice for B's controls, the shared ones and A's net (capacity)
    cfg_b = dataclasses.replace(shared, **{k: getattr(technique, k) for k in on})
    return shared, cfg_b


def run_pair(fn: Callable[[Any, Any], Any], cfg_a: Any, cfg_b: Any, labels: tuple[str, str]) -> tuple[Any, Any]:
    """Both runs through the shared cache with their progress bars (labels), then any notes the results carry
    (e.g. "the batch size is larger than the training set") as warnings."""
    a, b = run_all(fn, [cfg_a, cfg_b], labels)   # side by side when two workers are free
    for note in dict.fromkeys((*getattr(a, "notes", ()), *getattr(b, "notes", ()))):   # each note once
        st.warning(note, icon=":material/info:")
    return a, b


def preset_state(config: Any, on: Iterable[str] = (), keys: dict[str, str] | None = None) -> dict[str, Any]:
    """The widget values that show a preset: B's config, or the pair (A, B) of runs that differ in `hidden` only."""
    # B's technique fields `on` go to b_<field>, fields in `keys` to the page's own widgets; optional (None-default)
    # fields without a key have no widget. A pair's hidden layers go to the a_/b_ sliders, a config's to the shared.
    pair = isinstance(config, tuple)
    a, b = config if pair else (config, config)
    keys, state = keys or {}, {}
    for f in dataclasses.fields(b):
        value = getattr(b, f.name)
        if f.name == "hidden" and pair:
            state |= depth_and_width(type(a), f.name, a.hidden, "a_") | depth_and_width(type(b), f.name, value, "b_")
        elif f.name == "hidden":
            state |= depth_and_width(type(b), f.name, value)
        elif f.name in keys:
            state[keys[f.name]] = value
        elif f.name in on:
            state["b_" + f.name] = value
        elif f.default is not None:
            state[f.name] = value
    return state


def presets(table: dict[str, Preset], on: Iterable[str] = (), keys: dict[str, str] | None = None,
            columns: int = 3) -> None:
    """One button per preset (see preset_state); a click sets the A/B page's controls, and so its URL."""
    preset_buttons(table, columns=columns, state=lambda config: preset_state(config, on, keys))


def preset_banner(table: dict[str, Preset], cfg: Any, runs: tuple, notices: dict[str, Callable[..., str]]) -> None:
    """The active preset's banner, its note followed by notices[name](*runs): the numbers of the runs beside it,
    computed when shown (a note that quoted them held on one CPU only)."""
    banner(table, cfg, more=lambda name: notices[name](*runs) if name in notices else "")
