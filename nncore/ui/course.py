"""The course map: the lectures, lessons in sections that follow them, and the home page that lists both."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import streamlit as st

from nncore.ui._private import PageNotFound, in_script_run
from nncore.ui import i18n
from nncore.ui.i18n import N_, _


@dataclass(frozen=True)
class Lesson:
    """One page of the course: its file in pages/, its title and short URL, and what it teaches from which lecture."""

    file: str
    title: str
    url_path: str   # the file's stem: nncore/ui/routing.py relies on it for deep links on a fresh server
    summary: str
    lecture: str
    icon: str = ":material/school:"


@dataclass(frozen=True)
class Lecture:
    """One of the five lecture decks the lab teaches from: what it is called, where it was given, its language."""

    title: str
    source: str
    language: str


# The decks every Lesson.lecture cites by number ("002 'Dropout'"); their text is not part of this repository.
LECTURES = {
    "000": Lecture("Redes Neurais profundas e aplicações (Deep Learning)",
                   N_("deep-learning course, Centro Brasileiro de Pesquisas Físicas (CBPF), Brazil"),
                   N_("Portuguese/English")),
    "001": Lecture("Introduction to Deep Learning", N_("AI4ESS Summer School 2020, NERSC (Berkeley Lab), USA"),
                   N_("English")),
    "002": Lecture("Training Neural Networks", N_("Fast Campus course 'Start Deep Learning with TensorFlow', Korea; "
                                                  "after Stanford's cs231n"), N_("Korean/English")),
    "003": Lecture("Entrenamiento de redes neuronales", N_("Instituto Balseiro, Centro Atómico Bariloche, Argentina; "
                                                           "after Stanford's cs231n"), N_("Spanish")),
    "004": Lecture("Intro to Deep Learning 1: Loss Functions, Optimizers, Underfitting, Overfitting, Dropout and "
                   "Batch Normalization", N_("a blog post (2023) with Keras code and the red-wine example"),
                   N_("English")),
}


ROOT = Path(__file__).resolve().parents[2]


def checklist(steps: list[tuple[str, str, list[tuple[str, str]]]]) -> None:
    """Numbered steps (title, advice, [(page file, label)]), each with links to the lessons that run it; a lesson
    not in the app yet is named without a link."""
    for number, (title, advice, links) in enumerate(steps, 1):
        st.markdown(f"**{number}. {title}.** {advice}")
        there = [(file, label) for file, label in links if (ROOT / file).exists()]
        missing = [label for file, label in links if not (ROOT / file).exists()]
        for column, (file, label) in zip(st.columns(max(len(there), 1)), there):
            with column:
                lesson_link(file, label)
        if missing:
            st.caption(_("Coming to the lab: {lessons}").format(lessons=", ".join(missing)))


def lesson_link(file: str, label: str) -> None:
    """A link to another lesson's page (pages/<name>.py), by app.py's navigation or, without it, by its URL path."""
    try:
        st.page_link(file, label=label, icon=":material/arrow_forward:")
    except PageNotFound:   # the page runs without app.py's navigation (a bare AppTest)
        st.markdown(f":material/arrow_forward: [{label}]({Path(file).stem})")


def lectures_table(lectures: dict[str, Lecture] = LECTURES) -> str:
    """The lectures as a markdown table: number, title, where it was given, language."""
    rows = [f"| {number} | {lec.title} | {_(lec.source)} | {_(lec.language)} |"
            for number, lec in lectures.items()]
    return "\n".join([_("| | lecture | given at | language |"), "|---|---|---|---|", *rows])


def page(lesson: Lesson) -> st.Page:
    """The st.Page of a lesson: a copy of the one built for this language (Streamlit marks on the object the page a
    rerun may run, so sessions must not share one), not a new one on every rerun of every session (each checks its
    file on disk and its icon: 27 of them were a tenth of a bare page's rerun)."""
    if not in_script_run():    # a bare st.Page outside a run is an empty shell: never keep one
        return _built(lesson, i18n.language())
    return copy.copy(_kept(lesson, i18n.language()))


def _built(lesson: Lesson, language: str) -> st.Page:
    """A lesson's st.Page, titled in `language`."""
    title = i18n.translation(language).gettext(lesson.title)
    return st.Page(lesson.file, title=title, url_path=lesson.url_path, icon=lesson.icon)


_kept = lru_cache(maxsize=None)(_built)


def course_map(course: dict[str, list[Lesson]], pages: dict[str, st.Page]) -> None:
    """The home page: what the lab is, every lesson with one line and its lecture, the lectures, notes for class."""
    st.title(_("Neural Net Training Lab"))
    st.markdown(_("Run the experiments of the lectures on training neural networks, live, on real PyTorch. "
                  "Each lesson asks one question, lets you change the setup, and shows what happens. "
                  "Lecture numbers (000–004) refer to the five decks listed under *The lectures* below."))
    for section, lessons in course.items():
        st.subheader(_(section))
        if not lessons:
            st.caption(_("Coming soon."))
        for item in lessons:
            st.page_link(pages[item.file], label=f"**{_(item.title)}** — {_(item.summary)}", icon=item.icon)
            st.caption(_("Lecture: {ref}").format(ref=item.lecture))
    st.subheader(_("The lectures"))
    st.markdown(lectures_table())
    st.subheader(_("Using this in class"))
    st.markdown(_(
        "- Every control is in the page's URL: set up a run, copy the link from the address bar and share it; "
        "it reproduces the run, seed included.\n"
        "- Presets reproduce the lectures' own tables and figures; press one, then ask the class to predict "
        "what changes when you move one slider.\n"
        "- Results are cached: when a whole class opens the same link, the server computes it once."))
