"""The loss-curve quiz in a real browser: an unlabeled curve, a diagnosis picked, the reveal with the fixed run and
the session's score."""
from __future__ import annotations

from playwright.sync_api import expect

import app
from nncore.experiments import loss_curves as lc
from tests.e2e.conftest import assert_no_error, wait_for_app

LESSON = next(lesson for lessons in app.COURSE.values() for lesson in lessons if lesson.file == "pages/loss_curves.py")


def test_answering_a_quiz_question_reveals_the_fixed_run_and_scores(server, page):
    question = 4                                       # the fifth pathology of the gallery, on a fresh seed
    truth = lc.PATHOLOGIES[lc.quiz_config(question).pathology]
    page.goto(f"{server.url}/{LESSON.url_path}?mode=Quiz&q={question}")
    wait_for_app(page, ready=page.get_by_text("Which fault made this curve?"))
    assert_no_error(page)
    charts = page.locator("[data-testid=stPlotlyChart]")
    expect(charts).to_have_count(1)                    # the question only: no fixed run yet
    expect(page.get_by_text("Score this session: 0 of 0")).to_be_visible()

    page.get_by_role("radiogroup").get_by_text(truth.label, exact=True).click()
    wait_for_app(page, ready=page.get_by_text("Score this session: 1 of 1 answered right."))
    assert_no_error(page)
    expect(page.get_by_text(f"Right: this run had {truth.label}.")).to_be_visible()
    expect(charts).to_have_count(3)                    # the question, and the card's faulty and fixed runs
    expect(page.get_by_text("Fixed: the same run with the fault removed")).to_be_visible()
    assert f"answer={lc.quiz_config(question).pathology}" in page.url
