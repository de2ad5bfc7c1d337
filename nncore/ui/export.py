"""Export: each chart's data as CSV (the numbers it draws, trace by trace), and the Python that reproduces the page's
runs outside the app (a notebook, a script), so a student can take an experiment home."""
from __future__ import annotations

import base64
import csv
import dataclasses
import io
import zipfile
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np
import streamlit as st

from nncore.ui.i18n import _

COLUMNS = ("frame", "panel", "trace", "point", "x", "y", "z")


def values(value: Any) -> np.ndarray | None:
    """A trace's x, y or z as an array: a plain list or Plotly's typed-array form {"dtype", "bdata"[, "shape"]}."""
    if value is None:
        return None
    if isinstance(value, dict) and "bdata" in value:
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = value.get("shape")
        return flat.reshape([int(n) for n in str(shape).split(",")]) if shape else flat
    return np.asarray(value, dtype=object)


def _points(trace) -> Iterator[tuple]:
    """(point, x, y, z) of one trace; a 2-D z (heatmap, surface, contour) as one row per cell."""
    x, y, z = (values(trace[k]) if k in trace else None for k in ("x", "y", "z"))
    if z is not None and z.ndim == 2:
        for i, j in np.ndindex(*z.shape):
            yield i * z.shape[1] + j, x[j] if x is not None else j, y[i] if y is not None else i, z[i, j]
        return
    n = max((len(a) for a in (x, y, z) if a is not None), default=0)
    for i in range(n):
        yield (i, *(a[i] if a is not None and i < len(a) else "" for a in (x, y, z)))


def _traces(fig) -> Iterator[tuple[str, Any]]:
    for trace in fig.data:
        yield "", trace
    for frame in fig.frames or ():
        for trace in frame.data:
            yield frame.name or "", trace


def _panel(fig, trace) -> str:
    """The subplot a trace is drawn in, by its y axis' title (loss, accuracy), or its axis name."""
    axis = getattr(trace, "yaxis", None)
    if axis is None:
        return ""
    layout_axis = fig.layout[f"yaxis{axis[1:]}"]
    return (layout_axis.title.text if layout_axis and layout_axis.title and layout_axis.title.text else axis)


def figure_csv(fig) -> str:
    """The figure's numbers as CSV, one row per point: frame (for an animation), panel (the subplot, by its y
    axis' title), trace name, point, x, y, z."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for frame, trace in _traces(fig):
        name, panel = trace.name or trace.type, _panel(fig, trace)
        for row in _points(trace):
            writer.writerow((frame, panel, name, *(_cell(v) for v in row)))
    return out.getvalue()


def _cell(value: Any) -> Any:
    """A number written with all its digits (repr of a float64), anything else as text."""
    return repr(float(value)) if isinstance(value, (float, np.floating)) else value


def keep_chart(fig, key: str) -> None:
    """Note a chart of this page (ui.chart calls it) for the page's one data download."""
    st.session_state.setdefault("_page_charts", {})[key] = fig


def charts_zip(charts: dict[str, Any]) -> bytes:
    """One CSV per chart (<key>.csv, see figure_csv) in a zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for key, fig in charts.items():
            z.writestr(f"{key}.csv", figure_csv(fig))
    return out.getvalue()


def download(charts: dict[str, Any], name: str) -> None:
    """One button for the data of every chart on the page, written only when clicked: one element per page, not
    one per chart (each element costs every session's rerun; a burst of 30 spent 14% of its script time on them)."""
    st.download_button(_(":material/download: Data (CSV)"), data=lambda: charts_zip(charts), file_name=f"{name}.zip",
                       mime="application/zip", on_click="ignore", key="_page_data", type="tertiary",
                       help=_("The numbers each chart draws, one CSV per chart, one row per point."))


# --- the Python that reproduces the page's runs ------------------------------------------------------------------

def record(fn: Callable, cfg: Any) -> None:
    """Note a run of this page (ui.run calls it) for the code panel."""
    runs = st.session_state.setdefault("_page_runs", {})
    runs[repr((fn.__module__, fn.__qualname__, cfg))] = (fn, cfg)


def _classes(value: Any) -> Iterator[type]:
    """The dataclasses a value is built of (a Config, the racers inside it), for the snippet's imports."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        yield type(value)
        for f in dataclasses.fields(value):
            yield from _classes(getattr(value, f.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _classes(item)


def config_code(cfg: Any) -> tuple[list[str], str]:
    """(imports, expression) that rebuild `cfg`: its class called with the fields that differ from the defaults."""
    imports = [f"from {c.__module__} import {c.__qualname__.split('.')[0]}" for c in dict.fromkeys(_classes(cfg))]
    if not dataclasses.is_dataclass(cfg):
        return imports, repr(cfg)
    changed = {f.name: getattr(cfg, f.name) for f in dataclasses.fields(cfg)
               if f.init and getattr(cfg, f.name) != f.default}
    return imports, f"{type(cfg).__qualname__}({', '.join(f'{k}={v!r}' for k, v in changed.items())})"


def snippet(fn: Callable, cfg: Any) -> str:
    """Python that computes fn(cfg) with nncore outside the app: the same Config, so the same numbers."""
    imports, expression = config_code(cfg)
    return "\n".join([f"import {fn.__module__} as experiment", *imports,
                      f"result = experiment.{fn.__qualname__}({expression})"])


# --- the same run in plain PyTorch ---------------------------------------------------------------------------------

SNIPPETS = Path(__file__).resolve().parents[2] / "assets" / "snippets"
# a line `# include: <name>` in a template stands for assets/snippets/parts/<name>.py (the data, the net, the training
# loop that several lessons share), written in where it stands: the student's snippet stays one script
_INCLUDE = re.compile(r"^# include: (\w+)\n", re.MULTILINE)
# a setting: `name = value`, the value on one line or a tuple of one item per line; `# one of: a, b` lists the choices
_SETTING = re.compile(r"^(\w+) = (\(\n(?:    .*\n)*\)|.*?)(?:\s+# one of: (.*))?$", re.MULTILINE)


def template(fn: Callable) -> Path:
    """The plain PyTorch template of an experiment's run: assets/snippets/<its module under nncore[.experiments]>.py,
    dots as underscores (weight_init.py, gradient_flow_depth.py, regularization.py); a module's other runs add their
    name (losses_run_adam.py), so that they never get the template of `run`."""
    name = fn.__module__.removeprefix("nncore.").removeprefix("experiments.").replace(".", "_")
    return SNIPPETS / f"{name}{'' if fn.__name__ == 'run' else '_' + fn.__name__}.py"


@lru_cache(maxsize=None)
def source(fn: Callable) -> str | None:
    """An experiment's plain PyTorch template with its shared parts written in, or None if it has none (read once:
    the code panel asks on every rerun of every session, and the templates do not change while the app serves)."""
    path = template(fn)
    if not path.exists():
        return None
    return _INCLUDE.sub(lambda m: (SNIPPETS / "parts" / f"{m[1]}.py").read_text(), path.read_text())


def plain(fn: Callable, cfg: Any) -> str | None:
    """The experiment in plain PyTorch (assets/snippets/, see template) with this config's values, or None when there is
    no template or the config uses what the template leaves out (a field it does not set, a choice it does not list)."""
    text = source(fn)
    if text is None or not dataclasses.is_dataclass(cfg):
        return None
    settings = {m[1]: m for m in _SETTING.finditer(text)}
    fields = {f.name: f for f in dataclasses.fields(cfg) if f.init}
    for name, f in fields.items():
        value = getattr(cfg, name)
        if name not in settings:
            if value != f.default:
                return None
        elif settings[name][3] and not _listed(value, settings[name][3].split(", ")):
            return None
    try:
        derived = _derived(fn, cfg)
    except ValueError:      # a config the experiment refuses (no nets fit its budget): no run, no snippet
        return None
    values = {name: getattr(cfg, name) for name in fields} | derived
    return _SETTING.sub(lambda m: _filled(m, values[m[1]]) if m[1] in values else m[0], text)


def _derived(fn: Callable, cfg: Any) -> dict[str, Any]:
    """Settings the experiment works out for the template of its `run`, `plain_settings(cfg)` in its module: values a
    student's script need not compute (the widths a solver found for a budget), filled in like the config's own."""
    settings = getattr(sys.modules[fn.__module__], "plain_settings", None) if fn.__name__ == "run" else None
    return dict(settings(cfg)) if settings else {}


def _listed(value: Any, choices: list[str]) -> bool:
    """Whether a value, or every item of a tuple of them (a record by its first field, its name), is listed."""
    items = _literal(value) if isinstance(value, tuple) else (value,)
    return all(str(v[0] if isinstance(v, tuple) else v) in choices for v in items)


def _filled(m: re.Match, value: Any) -> str:
    """A template's setting line with the run's value (its '# one of:' comment kept)."""
    choices = f"  # one of: {m[3]}" if m[3] else ""
    value = _literal(value)
    if isinstance(value, tuple) and value and all(isinstance(v, tuple) for v in value):   # one item per line
        return f"{m[1]} = (\n" + "".join(f"    {v!r},\n" for v in value) + f"){choices}"
    return f"{m[1]} = {value!r}{choices}"


def _literal(value: Any) -> Any:
    """A config value as plain Python for a template: a dataclass inside it (a racer) as the tuple of its fields."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple(_literal(getattr(value, f.name)) for f in dataclasses.fields(value))
    return tuple(_literal(v) for v in value) if isinstance(value, tuple) else value


def code_panel(name: str = "page") -> None:
    """Below the page (app.py): the data of its charts, one CSV each, and the Python of every run it showed, to
    paste into a notebook: the nncore call, and the same run in plain PyTorch where it is short enough to write."""
    runs = list(st.session_state.get("_page_runs", {}).values())
    charts = dict(st.session_state.get("_page_charts", {}))
    if charts:
        download(charts, name)
    if runs:
        with st.expander(_(":material/code: Run this in Python (nncore, outside the app)")):
            st.caption(_("`pip install -r requirements.txt` in this repository, then in a notebook or script:"))
            for fn, cfg in runs:
                st.code(snippet(fn, cfg), language="python")
                code = plain(fn, cfg)
                if code:
                    st.caption(_("Plain PyTorch (no nncore): the same run, the same numbers"))
                    st.code(code, language="python")
