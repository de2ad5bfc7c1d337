"""A/B lessons: one base configuration in the URL, and the same run with a technique off (A) and on (B).

```python
cfg_a, cfg_b = ab.configs(regularization.Config, base=regularization.OVERFIT, on={"dropout": 0.5})
```
renders the technique's controls for B (URL keys `b_<field>`, defaults from `on`) and the shared controls in an
expander (URL keys `<field>`, defaults from `base`); A is the base with the technique's fields at base's values.
`presets(table, on=...)` puts one button per lecture preset above them; a click sets those controls.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Callable, Iterable

import streamlit as st

from nncore.params import Preset
from nncore.ui.controls import controls, link_warning
from nncore.ui.controls import presets as preset_buttons
from nncore.ui.runner import run


def seed_defaults(values: dict[str, Any], prefix: str = "") -> None:
    """Make `values` the widgets' starting values, unless the URL or the session already has one."""
    for name, value in values.items():
        key = prefix + name
        if key not in st.session_state and key not in st.query_params:
            st.session_state[key] = value


def _check_link(prefix: str, max_depth: int, widths: list[int]) -> set[str]:
    """The names (depth, width) whose link value the sliders cannot show, with a visible notice for them."""
    problems = st.session_state.setdefault(f"_url_notices.hidden.{prefix}", [])
    depth, width = st.query_params.get(f"{prefix}depth"), st.query_params.get(f"{prefix}width")
    bad = set()
    if depth is not None and depth not in {str(d) for d in range(1, max_depth + 1)}:
        problems.append(f"Hidden layers must be between 1 and {max_depth} (got {depth}).")
        bad.add("depth")
    if width is not None and width not in {str(w) for w in widths}:
        problems.append(f"Units per hidden layer must be one of {', '.join(map(str, widths))} (got {width}).")
        bad.add("width")
    if problems:
        link_warning(sorted(set(problems), key=problems.index))
    return bad


def hidden_layers(default: tuple[int, ...] = (64, 64), prefix: str = "", max_depth: int = 6,
                  widths: Iterable[int] = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)) -> tuple[int, ...]:
    """Depth and width sliders (URL keys `<prefix>depth`, `<prefix>width`): `depth` hidden layers of `width` units."""
    widths = list(widths)
    bad = _check_link(prefix, max_depth, widths)
    defaults = {"depth": len(default), "width": default[0] if default[0] in widths else 64}
    seed_defaults(defaults, prefix)
    for name in bad:   # the URL's value is unusable: the default, not the slider's first position
        st.session_state.setdefault(prefix + name, defaults[name])
    depth = st.slider("Hidden layers", 1, max_depth, key=f"{prefix}depth", bind="query-params",
                      help="Depth: how many hidden layers.")
    width = st.select_slider("Units per hidden layer", widths, key=f"{prefix}width", bind="query-params",
                             help="Width: neurons in every hidden layer.")
    return (int(width),) * int(depth)


def configs(cfg_type: type, base: Any, on: dict[str, Any], *, exclude: Iterable[str] = (),
            shared_label: str = "Data, network and training (the same for A and B)",
            technique_label: str | None = "B: the technique on", **fixed: Any) -> tuple[Any, Any]:
    """(A, B): B's technique controls first, then the shared controls in an expander; both runs share the seed."""
    # hidden gets depth/width sliders; optional (None-default) fields have no generic widget: the page sets them
    exclude = set(exclude) | {"hidden"} | {f.name for f in dataclasses.fields(cfg_type) if f.default is None}
    if on and technique_label:
        st.markdown(f"**{technique_label}**")
    seed_defaults(on, "b_")
    technique = controls(cfg_type, prefix="b_", only=tuple(on))
    base_values = {f.name: getattr(base, f.name) for f in dataclasses.fields(cfg_type)}
    with st.expander(shared_label, expanded=False):
        hidden = fixed.pop("hidden", None) or hidden_layers(base.hidden)
        pinned = {k: base_values[k] for k in (exclude | set(on)) - {"hidden"}} | fixed | {"hidden": hidden}
        seed_defaults({k: v for k, v in base_values.items() if k not in pinned})
        shared = controls(cfg_type, **pinned)
    cfg_b = dataclasses.replace(shared, **{k: getattr(technique, k) for k in on})
    return shared, cfg_b


def run_pair(fn: Callable[[Any, Any], Any], cfg_a: Any, cfg_b: Any, labels: tuple[str, str]) -> tuple[Any, Any]:
    """Both runs through the shared cache with their progress bars (labels), then any notes the results carry
    (e.g. "the batch size is larger than the training set") as warnings."""
    a, b = run(fn, cfg_a, labels[0]), run(fn, cfg_b, labels[1])
    for note in dict.fromkeys((*getattr(a, "notes", ()), *getattr(b, "notes", ()))):   # each note once
        st.warning(note, icon=":material/info:")
    return a, b


def _hidden_state(hidden: tuple[int, ...], prefix: str) -> dict[str, Any]:
    if len(set(hidden)) != 1:
        raise ValueError(f"The depth and width sliders show equal widths only (got {hidden}).")
    return {f"{prefix}depth": len(hidden), f"{prefix}width": hidden[0]}


def preset_state(config: Any, on: Iterable[str] = (), keys: dict[str, str] | None = None) -> dict[str, Any]:
    """The widget values that show a preset: B's config, or the pair (A, B) of runs that differ in `hidden` only."""
    # B's technique fields `on` go to b_<field>, fields in `keys` to the page's own widgets; optional (None-default)
    # fields without a key have no widget. A pair's hidden layers go to the a_/b_ sliders, a config's to the shared.
    pair = isinstance(config, tuple)
    a, b = config if pair else (config, config)
    keys, state = keys or {}, {}
    for f in dataclasses.fields(b):
        value = getattr(b, f.name)
        if f.name == "hidden":
            state |= _hidden_state(a.hidden, "a_") | _hidden_state(b.hidden, "b_") if pair else \
                _hidden_state(value, "")
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
