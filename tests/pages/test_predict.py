"""Predict, then reveal (nncore.ui.questions): the question comes before the run, the charts after the answer with a
numeric guess marked; ?reveal=1 skips it; every question file is well formed and its lesson asks it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import app
from nncore import i18n
from nncore.ui import questions
from tests.pages.conftest import ROOT
from tests.pages.helpers import array, assert_clean, charts, tr

LESSONS = {lesson.url_path: lesson for lessons in app.COURSE.values() for lesson in lessons}
QUESTIONS = sorted(p.stem for p in questions.QUESTIONS.glob("*.toml"))


def test_every_lesson_asks_a_question():
    assert set(QUESTIONS) == set(LESSONS), f"lessons without a question: {sorted(set(LESSONS) - set(QUESTIONS))}"


@pytest.mark.parametrize("name", QUESTIONS)
def test_each_question_is_well_formed_and_its_lesson_asks_it(name):
    q = questions.question(name)
    assert name in LESSONS, f"assets/questions/{name}.toml names no lesson"
    assert q["ask"].endswith("?") and q["kind"] in ("number", "choice")
    if q["kind"] == "choice":
        assert len(q["options"]) >= 2 and len(set(q["options"])) == len(q["options"])
    elif q.get("log"):
        assert q["default"] in q["values"] and q["values"] == sorted(q["values"])
    else:
        assert q["min"] <= q.get("default", q["min"]) <= q["max"]
    page = (ROOT / LESSONS[name].file).read_text()
    asks = rf"ui\.predict\(\"{name}\"\)|ask=\"{name}\""     # itself, or through its panel (ui.split, schedule_picker)
    assert re.search(asks, page), f"{LESSONS[name].file} never asks its question"


@pytest.mark.parametrize("name", QUESTIONS)
def test_each_lesson_asks_before_its_first_chart(open_page, name):
    at = open_page(LESSONS[name].file, predict="1")
    assert_clean(at)
    assert not charts(at) and not at.info, f"{name}: a chart or notice before the answer"
    assert at.get("form") and at.button[-1].label == tr("Reveal the run")


def test_the_question_comes_first_and_the_reveal_marks_the_guess(open_page):
    at = open_page("pages/weight_init.py", predict="1")
    assert_clean(at)
    assert not charts(at) and not at.info            # no chart, no notice before the answer
    at.select_slider(key="_guess_widget.weight_init").set_value(0.01)
    at.button[-1].click().run()
    assert_clean(at)
    stats = charts(at)[0]
    star = next(t for t in stats["data"] if t.get("name") == tr("your guess"))
    assert array(star["y"]).tolist() == [0.01] and array(star["x"]).tolist() == [10]
    assert tr("**Your prediction:** {question} → **{guess}**. Compare it with the run below.").split("{")[0] in at.info[0].value


def test_a_choice_must_be_picked_before_the_reveal(open_page):
    at = open_page("pages/dropout.py", predict="1")
    at.button[-1].click().run()
    assert_clean(at)
    assert tr("Pick an answer first.") in at.warning[0].value and not charts(at)
    at.radio(key="_guess_widget.dropout").set_value("B, with dropout")
    at.button[-1].click().run()
    shown = questions.question("dropout", i18n.default_language())["shown"]["B, with dropout"]   # its words
    assert charts(at) and f"**{shown}**" in at.info[0].value


def test_reveal_skips_the_question_where_questions_are_on(open_page, monkeypatch):
    monkeypatch.setenv("NNLAB_PREDICT", "on")
    assert not charts(open_page("pages/capacity.py"))
    assert charts(open_page("pages/capacity.py", reveal="1"))


# lesson -> (a guess on its slider, where the reveal must star it: the x of the measured point it predicts)
MARKED = {
    "activation_functions": (0.5, 0.0),            # the sigmoid's largest slope, at x = 0
    "dead_relu": (0.9, -1.0),                      # ReLU's dead share at the default negative bias
    "softmax_output": (0.15, "cat (true)"),        # the true class's probability, on its bar
    "sanity_checks": (1.0, "C = 10"),              # the initial loss of the 10-class net, on its bars
}


@pytest.mark.parametrize("name", sorted(MARKED))
def test_a_numeric_guess_is_starred_where_the_run_answers_it(open_page, name):
    guess, x = MARKED[name]
    at = open_page(LESSONS[name].file, predict="1")
    assert not charts(at)
    at.slider(key=f"_guess_widget.{name}").set_value(guess)
    at.button[-1].click().run()
    assert_clean(at)
    starred = [(fig, t) for fig in charts(at) for t in fig["data"] if t.get("name") == tr("your guess")]
    assert len(starred) == 1, f"{name}: the guess is marked on exactly one chart"
    fig, star = starred[0]
    assert array(star["y"]).tolist() == [guess]
    if isinstance(x, str):   # a bar's category: its words are the lesson's, in the suite's language
        assert star["x"] == [x] or i18n.default_language() != i18n.DEFAULT, (name, star["x"])
        bars = [c for t in fig["data"] if t.get("type") == "bar" for c in t["x"]]
        assert len(star["x"]) == 1 and star["x"][0] in bars, (name, star["x"], bars)
    else:
        assert star["x"] == [x]
