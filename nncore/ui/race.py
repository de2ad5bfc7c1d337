"""Controls of the optimizer race: surface and start (typed or clicked on the map), the racers, all in the URL.

The racers are a list of (optimizer, hyperparameters) that may repeat an optimizer; the Config's metadata says how
the link writes them (`racers=sgd:lr=0.001~momentum:lr=0.001,momentum=0.9`) and the start (`x0`, `y0`), and
nncore.ui.links reads and writes them. Presets (ui.presets) set the Config's `start` and `optimizers` in the session;
they are taken over here.
"""
from __future__ import annotations

import dataclasses
import math
from typing import Any

import streamlit as st

from nncore import optimizers
from nncore.experiments import optimizer_race as race
from nncore.ui import classroom, links
from nncore.ui.controls import controls
from nncore.ui.i18n import _

MAP = "race_map"             # key of the map chart, whose selection events pick a start
_LIST = "_race.racers"       # session: [(id, optimizer key)] in order
_NEXT = "_race.next_id"
_SURFACE = "_race.surface"   # the surface the start inputs were last set for
_CLICKED = "_race.clicked"   # the last map selection already applied


def _narrow(formula: str) -> str:
    """A formula for the narrow controls column: smaller, one line per ', \\quad'-separated part."""
    return r"\small\begin{gathered}" + formula.replace(r", \quad", r" \\") + r"\end{gathered}"


def _install(specs: tuple[race.OptimizerSpec, ...]) -> None:
    """Make `specs` the racer list: fresh widget ids whose starting values are the specs' settings."""
    st.session_state[_LIST] = []
    for spec in specs:
        _add(spec)


def _add(spec: race.OptimizerSpec) -> None:
    rid = st.session_state.get(_NEXT, 0)
    st.session_state[_NEXT] = rid + 1
    st.session_state[_LIST].append(rid)
    st.session_state[f"r{rid}.key"] = spec.key
    for name, value in spec.values.items():
        st.session_state[f"r{rid}.{spec.key}.{name}"] = value


def _add_chosen() -> None:
    key = st.session_state["race.add"]
    _add(race.OptimizerSpec(key))


def _remove(rid: int) -> None:
    st.session_state[_LIST] = [r for r in st.session_state[_LIST] if r != rid]


def _initial_racers() -> None:
    """On a session's first run: the racers from the URL (or the defaults); after a preset: the preset's racers."""
    if isinstance(st.session_state.get("optimizers"), tuple):      # set by ui.presets
        _install(st.session_state.pop("optimizers"))
        return
    if _LIST in st.session_state:
        return
    linked = links.read(race.Config, "optimizers", check=_check_racers)
    _install(race.Config().optimizers if linked is None else linked)


def _check_racers(specs: tuple[race.OptimizerSpec, ...]) -> None:
    """ValueError for racers the editor cannot show: an unknown optimizer, a setting out of its range, too many."""
    try:
        for spec in specs:
            optimizers.check(spec.key, dict(spec.hparams))
    except ValueError as err:
        raise ValueError(_("Racers: {problem}").format(problem=err)) from None
    if len(specs) > race.MAX_RACERS:
        raise ValueError(_("Racers: at most {most} (got {count}).").format(most=race.MAX_RACERS, count=len(specs)))


def _hparam_input(rid: int, key: str, name: str, h: optimizers.HParam) -> float:
    wkey = f"r{rid}.{key}.{name}"
    if wkey not in st.session_state:
        st.session_state[wkey] = h.default
    step = 10 ** math.floor(math.log10(h.default)) / 10 if h.log and h.default > 0 else 0.01
    return float(st.number_input(_(h.label), min_value=h.lo, max_value=h.hi, step=step, format="%g", key=wkey,
                                 help=_(h.help) or None))


def racers_editor() -> tuple[race.OptimizerSpec, ...]:
    """Each racer in an expander (optimizer and its hyperparameters, remove), and 'add a racer'."""
    _initial_racers()
    specs = []
    for n, rid in enumerate(st.session_state[_LIST], start=1):
        key = st.session_state.get(f"r{rid}.key", "sgd")
        opt = optimizers.OPTIMIZERS.get(key, optimizers.OPTIMIZERS["sgd"])
        current = race.OptimizerSpec(key, **{k: st.session_state.get(f"r{rid}.{key}.{k}", h.default)
                                             for k, h in opt.hparams.items()})
        with st.expander(f"{n}. {current.name}", expanded=False):
            key = st.selectbox(_("Optimizer"), list(optimizers.OPTIMIZERS), key=f"r{rid}.key",
                               format_func=lambda k: optimizers.OPTIMIZERS[k].label)
            opt = optimizers.OPTIMIZERS[key]
            st.latex(_narrow(opt.formula))
            st.caption(f"{_(opt.note)} *{_(opt.torch_note)}*")
            hp = {name: _hparam_input(rid, key, name, h) for name, h in opt.hparams.items()}
            st.button(_("Remove this racer"), key=f"r{rid}.remove", on_click=_remove, args=(rid,),
                      icon=":material/delete:")
        specs.append(race.OptimizerSpec(key, **hp))
    full = len(specs) >= race.MAX_RACERS
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    left.selectbox(_("Add a racer"), list(optimizers.OPTIMIZERS), key="race.add", disabled=full,
                   format_func=lambda k: optimizers.OPTIMIZERS[k].label,
                   help=_("The same optimizer may race several times with different settings."))
    right.button(_("Add"), on_click=_add_chosen, disabled=full, icon=":material/add:", width="stretch")
    specs = tuple(specs)
    links.write(race.Config, "optimizers", specs)
    return specs


def _seed(key: str, value: Any) -> None:
    st.session_state[key] = round(value, 6) if isinstance(value, float) else value


def _apply_map_click() -> None:
    """A click on the map (a point of its invisible grid) becomes the new start."""
    event = st.session_state.get(MAP)
    points = (event or {}).get("selection", {}).get("points", []) if isinstance(event, dict) else \
        getattr(getattr(event, "selection", None), "points", []) or []
    if not points:
        return
    x, y = points[0].get("x"), points[0].get("y")
    if x is None or y is None or st.session_state.get(_CLICKED) == (x, y):
        return
    st.session_state[_CLICKED] = (x, y)
    _seed("x0", round(float(x), 3))
    _seed("y0", round(float(y), 3))


def start_inputs(surface: race.surfaces.Surface | None, name: str) -> tuple[float, float]:
    """x and y of the start (URL `x0`, `y0`); reset to the surface's own start when the surface changes."""
    if isinstance(st.session_state.get("start"), tuple):          # set by ui.presets
        x, y = st.session_state.pop("start")
        _seed("x0", float(x))
        _seed("y0", float(y))
        st.session_state[_SURFACE] = name
    default = surface.start if surface is not None else (-1.0, 1.0)
    links.mend(race.Config, ["start"], defaults={"start": default})
    changed = st.session_state.get(_SURFACE, name) != name
    st.session_state[_SURFACE] = name
    for key, value in zip(("x0", "y0"), default):
        if changed or (key not in st.session_state and key not in st.query_params):
            _seed(key, float(value))
    _apply_map_click()
    left, right = st.columns(2)
    # value= is the surface's start: Streamlit leaves a widget's default out of the URL, and without it that is 0,
    # so a start at x = 0 would not be in a shared link
    x = left.number_input(_("Start x"), value=float(default[0]), step=0.1, format="%g", key="x0", bind="query-params")
    y = right.number_input(_("Start y"), value=float(default[1]), step=0.1, format="%g", key="y0", bind="query-params")
    if surface is not None:
        x0, x1, y0, y1 = surface.domain
        st.caption(_("Map: x in [{x0}, {x1}], y in [{y0}, {y1}]. Or click a point on the map.").format(
            x0=f"{x0:g}", x1=f"{x1:g}", y0=f"{y0:g}", y1=f"{y1:g}"))
    return float(x), float(y)


def controls_for_race() -> race.Config:
    """Every control of the race page, in the URL; returns the Config."""
    base = controls(race.Config, only=("surface",), notice=False)
    name = base.surface
    expression, extent, condition = "", base.extent, base.condition
    surface = None
    if name == race.CUSTOM:
        expression = st.text_input("f(x, y) =", key="expression", bind="query-params", max_chars=200,
                                   placeholder="x**2 + 10*sin(y)", help=_(race.surfaces.GRAMMAR))
        extent = controls(race.Config, only=("extent",), notice=False).extent
        try:
            surface = race.surfaces.custom_surface(expression, extent)
        except ValueError:
            surface = None          # the run says what is wrong with the formula
    else:
        surface = race.surfaces.SURFACES[name]
        st.latex(_narrow(surface.formula))
        st.caption(_(surface.note))
        if name == "bowl":
            condition = controls(race.Config, only=("condition",), notice=False).condition
    start = start_inputs(surface, name)
    rest = controls(race.Config, only=("steps", "noise", "seed", "tolerance"), notice=False)
    st.markdown(_("**Racers**"))
    specs = racers_editor()
    links.notice(race.Config)
    return dataclasses.replace(rest, surface=name, start=start, optimizers=specs, expression=expression,
                               extent=extent, condition=condition)


def map_chart(fig, notice_text: str | None = None) -> None:
    """The race map; clicking one of its (invisible) grid points sets the start and reruns (a slide of its own in
    presentation mode)."""
    if not classroom.count_chart():
        return
    with classroom.slide_frame():
        st.plotly_chart(fig, key=MAP, on_select="rerun", selection_mode="points", width="stretch",
                        config={"displaylogo": False, "scrollZoom": False})
        if notice_text:
            st.info(notice_text, icon=":material/visibility:")


def internals_picker(result: race.Result) -> tuple[str, int]:
    """Which racer and which step to look inside (kept valid when a new race has other racers or fewer steps)."""
    if st.session_state.get("inspect") not in result.labels:
        st.session_state["inspect"] = result.labels[0]
    who = st.selectbox(_("Racer"), result.labels, key="inspect")
    last = max(result.steps_done, 1)
    if last == 1:
        return who, 1
    st.session_state["inspect_step"] = min(max(int(st.session_state.get("inspect_step", 10)), 1), last)
    step = st.slider(_("Step"), 1, last, key="inspect_step",
                     help=_("The update from θ at step − 1 to θ at step: the gradient, the state, the update."))
    return who, int(step)
