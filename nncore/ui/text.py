"""Lesson prose from assets/lessons, lecture references, "what to notice" lines and charts."""
from __future__ import annotations

import hashlib
import os
import pickle
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import streamlit as st

from nncore.ui import classroom, export, i18n, runner, store
from nncore.ui.i18n import _

LESSONS = Path(__file__).resolve().parents[2] / "assets" / "lessons"
# Figures for the whole class, in this process: the Figure objects themselves (a hit costs a dict look-up: no
# unpickling, which re-validated every property of the figure), the most recently used within NNLAB_FIGURE_CACHE_MB
# megabytes of their JSON (default 64).
FIGURES = store.MemoryStore(int(float(os.environ.get("NNLAB_FIGURE_CACHE_MB", "64")) * 2**20))
# One build per figure at a time: a class opening one new link at once built its figures 30 times over (0.1-0.4 s
# of the server's GIL each: 10 s of a burst of 30), where one session builds them and the others wait for it.
_BUILDING = [threading.Lock() for _ in range(64)]
OFF_SCREEN = object()   # ui.figure's stand-in for a figure on another slide: ui.chart draws nothing for it


def _split(path: Path) -> dict[str, str]:
    """A lesson file split at its '## ' headings; the text before the first heading is the intro ('')."""
    sections, title, lines = {}, "", []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            sections[title], title, lines = "\n".join(lines).strip(), line[3:].strip(), []
        else:
            lines.append(line)
    sections[title] = "\n".join(lines).strip()
    return sections


@lru_cache(maxsize=None)
def _sections(name: str, lang: str = i18n.DEFAULT) -> dict[str, str]:
    """assets/lessons/<name>.md's sections by their English headings, in `lang` from assets/lessons/<lang>/<name>.md:
    its intro and sections in the English file's order (translated headings); where it stops, English goes on."""
    english, path = _split(LESSONS / f"{name}.md"), LESSONS / lang / f"{name}.md"
    translated = list(_split(path).values()) if lang != i18n.DEFAULT and path.exists() else []
    return {title: translated[i] if i < len(translated) else text for i, (title, text) in enumerate(english.items())}


def lesson(name: str, section: str = "") -> None:
    """Show a part of assets/lessons/<name>.md in the session's language: the intro by default, or the section with
    that heading (unless the link hides it, or all text)."""
    classroom.offer(part := classroom.slug(section))
    if not classroom.is_hidden(part, "text"):
        st.markdown(_sections(name, i18n.language())[section])


def lecture(ref: str) -> None:
    """A pointer to the lecture section this part of the lesson comes from."""
    if not classroom.is_hidden("lecture", "text"):
        st.caption(_(":material/menu_book: Lecture: {ref}").format(ref=ref))


def notice(text: str) -> None:
    """The "what to notice" line under a chart."""
    st.info(text, icon=":material/visibility:")


def figure(build: Callable, *args, **kwargs):
    """build(*args, **kwargs), a viz function's figure, built once per distinct input: a rerun that only moves
    another control, or a second student on the same link, gets the same Figure object. Never change a figure
    you got from here (every session shares it); a builder makes the figure a page shows."""
    if not classroom.chart_shown():   # presentation mode: another slide's chart, neither built nor sent
        draws = getattr(build, "draws", None)   # a builder that may draw nothing says so cheaply (viz.fits)
        return OFF_SCREEN if draws is None or draws(*args, **kwargs) else None
    key = figure_key(build, args, kwargs)
    fig = FIGURES.get(key)
    if fig is None:
        with _BUILDING[hash(key) % len(_BUILDING)]:
            fig = FIGURES.get(key)   # built by another session while this one waited
            if fig is None and (built := build(*args, **kwargs)) is not None:
                fig = _keep(key, built)
    return fig


def _keep(key: str, built):
    """The figure rebuilt from its own dict, as a pickle round trip does, and cached: arrays become Plotly's base64
    form once, here, instead of in every st.plotly_chart (its to_dict deep-copies and encodes every array, 2-3x
    slower)."""
    import plotly.io   # here, not at import: nncore.ui's imports stay what they were (threads import it at once)
    fig = type(built)(built.to_dict())
    FIGURES.put(key, fig, size=len(plotly.io.to_json(fig, validate=False)))
    return fig


def figure_key(build: Callable, args: tuple, kwargs: dict) -> str:
    """The builder's name, its inputs and the language of its titles: a result of ui.run by its run key (no hashing
    of its arrays), plain values as they are, anything else by a digest of its pickle."""
    return repr((f"{build.__module__}.{build.__qualname__}", _token(args), _token(kwargs), i18n.language()))


def _token(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return type(value).__name__, value
    if isinstance(value, (list, tuple)):
        return type(value).__name__, *map(_token, value)
    if isinstance(value, dict):
        return "dict", *((_token(k), _token(v)) for k, v in value.items())
    if (key := runner.key_of(value)) is not None:
        return "run", key
    return "pickle", hashlib.blake2b(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), digest_size=16).hexdigest()


def chart(fig, key: str | None = None, notice_text: str | None = None) -> None:
    """A Plotly figure at full width with the lab's toolbar settings, and its "what to notice" line (neither when the
    link hides the chart's key)."""
    if key is not None:
        classroom.offer(key)
        if classroom.is_hidden(key):
            return
    if not (classroom.count_chart() if key is not None else classroom.chart_shown()):
        return   # presentation mode: another slide's chart (a chart without a key, a live redraw, goes with the next)
    with classroom.slide_frame():
        st.plotly_chart(fig, key=key, width="stretch", config={"displaylogo": False})
        if key is not None:
            export.keep_chart(fig, key)
        if notice_text:
            notice(notice_text)
