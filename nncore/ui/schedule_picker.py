"""Pick learning-rate schedules: a number of slots, each a schedule with its parameters and an optional warmup.

```python
specs = schedule_picker.pick(schedule_race.Config, length=cfg.epochs, base_lr=cfg.base_lr, unit="epochs")
```
The whole set lives in one URL parameter, as the Config's `schedules` field metadata says (`s=cosine;step(gamma=0.5)`,
parameters at their defaults left out), written by nncore.ui.links after every run and read when a link opens; so
a shared link reproduces the set, warmups and parameters included. (Streamlit's per-widget binding leaves out the
values of widgets that appear with a value already set, which is how a new slot or a preset starts.) Durations are
chosen as a share of the run (a warmup of 15% of the run, a step every 30% of it), so a set keeps its shape when the
run gets longer; the engine gets them in steps.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Callable

import streamlit as st

from nncore.params import Preset
from nncore.schedules import SCHEDULES, WARMUPS, Knob, ScheduleSpec
from nncore.ui import links
from nncore.ui.ab import seed_defaults
from nncore.ui.cards import preset_banner
from nncore.ui.controls import presets as preset_buttons
from nncore.ui.i18n import _, number
from nncore.ui.links import log_grid
from nncore.ui.questions import predict
from nncore.ui.runner import run as cached_run
from nncore.ui.split import split_controls

LR_GRID = [0.0] + log_grid(1e-6, 100.0)


def _share(steps_value: int, steps: int) -> float:
    return round(min(max(steps_value / steps, 0.01), 2.0), 2)


def _knob_default(knob: Knob, value: Any, steps: int) -> Any:
    """What the knob's widget holds for an engine value (durations as shares of the run)."""
    if knob.kind == "steps":
        return _share(value, steps)
    if knob.kind == "steps_list":
        shares = [_share(v, steps) for v in value][:2]
        return (shares[0], shares[-1] if len(shares) > 1 else min(shares[0] + 0.25, 0.95))
    if knob.kind == "lr":
        return min(LR_GRID, key=lambda g: abs(g - value))
    return value


def slot_values(prefix: str, spec: ScheduleSpec, steps: int, base_lr: float) -> dict[str, Any]:
    """Session-state values that make slot `prefix` show `spec` (defaults filled in for this run)."""
    entry = SCHEDULES[spec.name]
    rest = steps - spec.warmup_steps
    params = {k: knob.resolve(rest, base_lr) for k, knob in entry.knobs.items()} | dict(spec.params)
    values: dict[str, Any] = {prefix: spec.name, f"{prefix}.{spec.name}.warmup": spec.warmup}
    values |= {f"{prefix}.{spec.name}.{k}": _knob_default(knob, params[k], rest) for k, knob in entry.knobs.items()}
    if spec.warmup != "none":
        values[f"{prefix}.{spec.name}.warmup_len"] = _share(spec.warmup_steps, steps)
        values[f"{prefix}.{spec.name}.warmup_factor"] = spec.warmup_factor
    return values


def _knob_widget(knob: Knob, key: str, steps: int, unit: str) -> Any:
    """A widget for one parameter; returns the engine value (durations in steps)."""
    common = dict(key=key, help=_(knob.help) or None)
    label = _(knob.label)
    if knob.kind == "choice":
        return st.selectbox(label, list(knob.choices), **common)
    if knob.kind == "steps":
        share = st.slider(_("{knob} (share of the run)").format(knob=label), 0.01, 0.95 if knob.within_run else 2.0,
                          step=0.01, **common)
        value = max(1, round(share * steps))
        st.caption(_("= {count} epochs").format(count=number(value, ",")) if unit == "epochs" else
                   _("= {count} steps").format(count=number(value, ",")))
        return value
    if knob.kind == "steps_list":
        lo, hi = st.slider(_("{knob} (shares of the run)").format(knob=label), 0.01, 0.95, step=0.01, **common)
        values = tuple(max(1, round(v * steps)) for v in (lo, hi))
        shown = ", ".join(map(str, values))
        st.caption(_("= epochs {values}").format(values=shown) if unit == "epochs" else
                   _("= steps {values}").format(values=shown))
        return values
    if knob.kind == "lr":
        return st.select_slider(label, LR_GRID, format_func=lambda v: f"{v:g}", **common)
    if knob.log:
        return st.select_slider(label, log_grid(knob.lo, knob.hi), format_func=lambda v: f"{v:g}", **common)
    if knob.kind == "int":
        return st.slider(label, int(knob.lo), int(knob.hi), **common)
    return st.slider(label, float(knob.lo), float(knob.hi), step=knob.step, **common)


def _slot(prefix: str, i: int, steps: int, base_lr: float, unit: str) -> ScheduleSpec:
    name = st.selectbox(_("Schedule {number}").format(number=i + 1), list(SCHEDULES), key=prefix,
                        format_func=lambda k: SCHEDULES[k].label)
    entry = SCHEDULES[name]
    gradual = WARMUPS["gradual"].note   # (a name, not a literal, inside _(): the catalog gets the note itself)
    with st.expander(_("{schedule}: parameters and warmup").format(schedule=entry.label), expanded=False):
        st.caption(f"${entry.formula}$")  # inline: st.latex would overflow the narrow column
        st.caption(f"{_(entry.note)} ({entry.lecture})")
        warmup = st.segmented_control(_("Warmup"), list(WARMUPS), key=f"{prefix}.{name}.warmup",
                                      format_func=lambda k: WARMUPS[k].label, help=_(gradual))
        warmup = warmup or "none"
        warmup_steps, factor = 0, 0.1
        if warmup != "none":
            seed_defaults({f"{prefix}.{name}.warmup_len": 0.15, f"{prefix}.{name}.warmup_factor": 0.1})
            share = st.slider(_("Warmup length (share of the run)"), 0.01, 0.95, step=0.01,
                              key=f"{prefix}.{name}.warmup_len")
            warmup_steps = max(1, round(share * steps))
            factor = st.select_slider(_("Warmup starts at (× α₀)"), log_grid(1e-3, 1.0),
                                      format_func=lambda v: f"{v:g}", key=f"{prefix}.{name}.warmup_factor")
            values = dict(count=number(warmup_steps, ","), rest=number(max(steps - warmup_steps, 0), ","))
            st.caption((_("= {count} epochs of warmup; the schedule runs over the remaining {rest}.")
                        if unit == "epochs" else
                        _("= {count} steps of warmup; the schedule runs over the remaining {rest}.")).format(**values))
        params = {k: _knob_widget(knob, f"{prefix}.{name}.{k}", max(steps - warmup_steps, 1), unit)
                  for k, knob in entry.knobs.items()}
    return ScheduleSpec.of(name, warmup=warmup, warmup_steps=warmup_steps, warmup_factor=factor, **params)


def pick(cfg_type: type, *, length: int, base_lr: float, unit: str, max_count: int = 6) -> tuple[ScheduleSpec, ...]:
    """The schedules of the page, for a run of `length` steps (called `unit`): how many (a +/- count), then one slot
    each; the set is written to the URL."""
    key, steps = _key(cfg_type), length
    if f"{key}.n" not in st.session_state:  # a fresh session: the link's set, or the page's default
        specs = _from_link(cfg_type, max_count) or cfg_type().schedules
        st.session_state.update(_slots(key, specs, steps, base_lr))
    n = st.number_input(_("How many schedules"), 1, max_count, step=1, key=f"{key}.n",
                        help=_("Press + to add a schedule, − to drop the last one."))
    specs = []
    for i in range(int(n)):
        prefix = f"{key}{i}"
        if prefix not in st.session_state:  # a new slot shows a schedule not on the page yet
            seed_defaults(slot_values(prefix, ScheduleSpec.of(_unused([s.name for s in specs])), steps, base_lr))
        elif f"{prefix}.{st.session_state[prefix]}.warmup" not in st.session_state:  # its schedule was just changed
            seed_defaults(slot_values(prefix, ScheduleSpec.of(st.session_state[prefix]), steps, base_lr))
        specs.append(_slot(prefix, i, steps, base_lr, unit))
    links.write(cfg_type, "schedules", tuple(s.without_defaults(steps, base_lr) for s in specs))
    return tuple(specs)


def _key(cfg_type: type) -> str:
    """The URL key of the Config's schedules, which also names the slots' widgets ("s" -> s.n, s0, s0.step.gamma)."""
    return links.keys(cfg_type, "schedules")[0]


def _from_link(cfg_type: type, max_count: int) -> tuple[ScheduleSpec, ...] | None:
    """The set in the URL, or None (noted for the link notice if it was there but unusable)."""
    def check(specs: tuple[ScheduleSpec, ...]) -> None:   # what the slots can show
        for spec in specs:
            if spec.name not in SCHEDULES:
                raise ValueError(_("Schedules: {name} is not a schedule.").format(name=repr(spec.name)))
            if spec.warmup not in WARMUPS:
                raise ValueError(_("Schedules: {name} is not a warmup.").format(name=repr(spec.warmup)))
        if not 1 <= len(specs) <= max_count:
            raise ValueError(_("Schedules: between 1 and {most} (got {count}).").format(most=max_count,
                                                                                        count=len(specs)))

    return links.read(cfg_type, "schedules", check=check)


def _slots(key: str, specs: tuple[ScheduleSpec, ...], steps: int, base_lr: float) -> dict[str, Any]:
    """The session-state values that make the slots show `specs`: their number, then each slot."""
    values: dict[str, Any] = {f"{key}.n": len(specs)}
    for i, spec in enumerate(specs):
        values |= slot_values(f"{key}{i}", spec, steps, base_lr)
    return values


def _unused(taken: list[str]) -> str:
    """The first schedule not in a slot yet (a new slot shows something new)."""
    return next((name for name in SCHEDULES if name not in taken), "constant")


def _preset_buttons(table: dict[str, Preset], cfg_type: type, length: str) -> None:
    """One button per preset: a click sets the schedule slots and every other control."""
    def state(cfg: Any) -> dict[str, Any]:
        others = {f.name: getattr(cfg, f.name) for f in dataclasses.fields(cfg) if f.name != "schedules"}
        return others | _slots(_key(cfg_type), cfg.schedules, getattr(cfg, length), cfg.base_lr)

    preset_buttons(table, prefix=f"{_key(cfg_type)}.", columns=4, state=state)


def _spelled_out(cfg: Any, length: str) -> Any:
    """The config with its schedules' defaults spelled out for its run: two sets that run alike compare equal."""
    try:
        return dataclasses.replace(cfg, schedules=tuple(s.resolved(getattr(cfg, length), cfg.base_lr)
                                                       for s in cfg.schedules))
    except ValueError:  # an invalid set matches no preset; the run itself says what is wrong
        return None


def panel(run: Callable, cfg_type: type, *, presets: dict[str, Preset], length: str, unit: str,
          main: tuple[str, ...], max_schedules: int, rest_label: str, label: str,
          ask: str = "") -> tuple[Any, Any, Any]:
    """A schedule lesson's panel: preset buttons, then on the left the schedule slots above the `main` controls (the
    rest folded under `rest_label`), on the right the preset's banner and `run` on the Config through the cache
    (`label`: its progress bar). Returns (result, left column, right column).

    `length`: the Config field that holds the run's length (steps, epochs); `unit`: what the captions call one step of
    it ("= 15 epochs"); `max_schedules`: how many slots at most; `ask`: the lesson whose question (ui.predict) comes
    before the run."""
    _preset_buttons(presets, cfg_type, length)
    left, right = st.columns([1.3, 3], gap="large")
    with left:
        picked = st.container()
        cfg = split_controls(cfg_type, main, rest_label=rest_label, notice=False, schedules=())
        with picked:
            specs = pick(cfg_type, length=getattr(cfg, length), base_lr=cfg.base_lr, unit=unit,
                         max_count=max_schedules)
        links.notice(cfg_type)    # the link's unusable values, the schedules' included
    cfg = dataclasses.replace(cfg, schedules=specs)
    with right:
        if ask:
            predict(ask)
        preset_banner(presets, cfg, same=lambda config: _spelled_out(config, length))
        return cached_run(run, cfg, label), left, right
