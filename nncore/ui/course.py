"""The course map: lessons in sections that follow the lectures, and the home page that lists them."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class Lesson:
    """One page of the course: its file in pages/, its title and short URL, and what it teaches from which lecture."""

    file: str
    title: str
    url_path: str   # the file's stem: nncore/ui/routing.py relies on it for deep links on a fresh server
    summary: str
    lecture: str
    icon: str = ":material/school:"


def page(lesson: Lesson) -> st.Page:
    """The st.Page of a lesson."""
    return st.Page(lesson.file, title=lesson.title, url_path=lesson.url_path, icon=lesson.icon)


def course_map(course: dict[str, list[Lesson]], pages: dict[str, st.Page]) -> None:
    """The home page: what the lab is, every lesson with one line and its lecture, and notes for class."""
    st.title("Neural Net Training Lab")
    st.markdown("Run the experiments of the lectures on training neural networks, live, on real PyTorch. "
                "Each lesson asks one question, lets you change the setup, and shows what happens.")
    for section, lessons in course.items():
        st.subheader(section)
        if not lessons:
            st.caption("Coming soon.")
        for item in lessons:
            st.page_link(pages[item.file], label=f"**{item.title}** — {item.summary}", icon=item.icon)
            st.caption(f"Lecture: {item.lecture}")
    st.subheader("Using this in class")
    st.markdown(
        "- Every control is in the page's URL: set up a run, copy the link from the address bar and share it; "
        "it reproduces the run, seed included.\n"
        "- Presets reproduce the lectures' own tables and figures; press one, then ask the class to predict "
        "what changes when you move one slider.\n"
        "- Results are cached: when a whole class opens the same link, the server computes it once.")
