"""Predict, then reveal: a lesson's question before its run, answered with a widget; the charts and notices come after
the answer (predict-then-observe: committing to a guess first is what makes the result stick).

The questions live beside the prose, one TOML file per lesson in assets/questions/<lesson>.toml (and its words in
another language in assets/questions/<lang>/<lesson>.toml: `ask` and, for a choice, `options` in the same order)::

    ask = "What will the std of layer 10's output be?"
    kind = "number"            # a slider: min, max, step, default (and log = true for a log scale)
    min = 0.0
    max = 1.0
    step = 0.01
    default = 0.5

    ask = "Which optimizer reaches the minimum first?"
    kind = "choice"            # options = [...]
    options = ["SGD", "Momentum", "Adam"]

`?reveal=1` skips the question; `?predict=1` asks it even where NNLAB_PREDICT=off turned questions off for a
deployment (the test servers do).
"""
from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

import streamlit as st

from nncore.ui import i18n
from nncore.ui.i18n import _

QUESTIONS = Path(__file__).resolve().parents[2] / "assets" / "questions"
_ON = ("1", "true", "yes", "on")


@lru_cache(maxsize=None)
def question(name: str, lang: str = i18n.DEFAULT) -> dict | None:
    """The lesson's question from assets/questions/<name>.toml (None: the lesson asks none), in `lang`: `shown` maps
    each option to its words there (the options themselves stay English: they are the answers the page compares)."""
    path, words = QUESTIONS / f"{name}.toml", QUESTIONS / lang / f"{name}.toml"
    if not path.exists():
        return None
    q = tomllib.loads(path.read_text(encoding="utf-8"))
    local = tomllib.loads(words.read_text(encoding="utf-8")) if lang != i18n.DEFAULT and words.exists() else {}
    options = q.get("options", [])
    return q | {"ask": local.get("ask", q["ask"]), "shown": dict(zip(options, local.get("options", options)))}


def asking() -> bool:
    """Whether questions come before the runs: on by default, off for the deployment (NNLAB_PREDICT=off) or the
    link (?reveal=1); ?predict=1 asks anyway."""
    if st.query_params.get("predict", "").lower() in _ON:
        return True
    if st.query_params.get("reveal", "").lower() in _ON:
        return False
    return os.environ.get("NNLAB_PREDICT", "on").lower() in _ON


def _widget(q: dict, key: str) -> Any:
    if q["kind"] == "choice":
        return st.radio(q["ask"], q["options"], index=None, key=key, format_func=q["shown"].get)
    if q.get("log"):
        return st.select_slider(q["ask"], q["values"], value=q.get("default", q["values"][0]), key=key)
    return st.slider(q["ask"], float(q["min"]), float(q["max"]), float(q.get("default", q["min"])),
                     step=float(q.get("step", 0.01)), key=key)


def predict(name: str) -> Any:
    """The student's guess for the lesson's question (None when no question is asked); until they answer, the
    question and nothing after it."""
    q = question(name, i18n.language())
    if q is None or not asking():
        return None
    answered = f"_guess.{name}"
    if answered in st.session_state:
        guess = st.session_state[answered]
        st.info(_("**Your prediction:** {question} → **{guess}**. Compare it with the run below.").format(
            question=q["ask"], guess=_shown(guess, q)),
                icon=":material/lightbulb:")
        return guess
    with st.form(f"predict.{name}", border=True):
        st.markdown(_(":material/lightbulb: **Predict first.** Commit to an answer, then run the experiment."))
        guess = _widget(q, f"_guess_widget.{name}")
        if st.form_submit_button(_("Reveal the run"), type="primary", shortcut="Enter"):
            if guess is None:
                st.warning(_("Pick an answer first."))
            else:
                st.session_state[answered] = guess
                st.rerun()
    st.stop()


def _shown(guess: Any, q: dict) -> str:
    return i18n.number(guess) if isinstance(guess, float) else q["shown"].get(guess, str(guess))
