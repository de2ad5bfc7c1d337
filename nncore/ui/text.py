"""Lesson prose from assets/lessons, lecture references, "what to notice" lines and charts."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Callable

import streamlit as st

LESSONS = Path(__file__).resolve().parents[2] / "assets" / "lessons"


@lru_cache(maxsize=None)
def _sections(name: str) -> dict[str, str]:
    """A lesson file split at its '## ' headings; the text before the first heading is the intro ('')."""
    sections, title, lines = {}, "", []
    for line in (LESSONS / f"{name}.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            sections[title], title, lines = "\n".join(lines).strip(), line[3:].strip(), []
        else:
            lines.append(line)
    sections[title] = "\n".join(lines).strip()
    return sections


def lesson(name: str, section: str = "") -> None:
    """Show a part of assets/lessons/<name>.md: the intro by default, or the section with that heading."""
    st.markdown(_sections(name)[section])


def lecture(ref: str) -> None:
    """A pointer to the lecture section this part of the lesson comes from."""
    st.caption(f":material/menu_book: Lecture: {ref}")


def notice(text: str) -> None:
    """The "what to notice" line under a chart."""
    st.info(text, icon=":material/visibility:")


@st.cache_data(max_entries=256, show_spinner=False)
def _figure(name: str, _build: Callable, args: tuple, kwargs: dict):
    """Shared by all sessions: Plotly takes 5-50 ms to build a figure, a cache hit ~3 ms to copy one."""
    return _build(*args, **kwargs)


def figure(build: Callable, *args, **kwargs):
    """build(*args, **kwargs), a viz function's figure, built once per distinct input (st.cache_data): a rerun
    that only moves another control, or a second student on the same link, reuses it."""
    return _figure(f"{build.__module__}.{build.__qualname__}", build, args, kwargs)


def chart(fig, key: str | None = None, notice_text: str | None = None) -> None:
    """A Plotly figure at full width with the lab's toolbar settings, and its "what to notice" line."""
    st.plotly_chart(fig, key=key, width="stretch", config={"displaylogo": False})
    if notice_text:
        notice(notice_text)
