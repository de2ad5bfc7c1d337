"""Predict, then reveal, in a real browser: the weight-initialization lesson asks first (?predict=1, as a deployment
with questions on shows it), then shows the run with the student's guess starred on the std chart."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_no_error, wait_for_app
from tests.e2e.test_weight_init import LESSON


def test_answer_the_question_then_see_the_run_with_the_guess_marked(server, page: Page):
    page.goto(f"{server.url}/{LESSON.url_path}?predict=1")
    wait_for_app(page, ready=page.get_by_text("Predict first."))
    expect(page.locator("[data-testid=stPlotlyChart]")).to_have_count(0)
    slider = page.get_by_test_id("stForm").get_by_role("slider")
    slider.focus()
    slider.press("ArrowLeft")                              # 0.1 -> 0.01
    page.get_by_role("button", name="Reveal the run").click()
    wait_for_app(page, ready=page.get_by_text("Your prediction"))
    expect(page.locator("[data-testid=stPlotlyChart] .js-plotly-plot").first).to_be_visible()
    assert_no_error(page)
    star = page.evaluate("""() => {
        const plot = document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')[0];
        const t = plot._fullData.find(t => t.name === 'your guess');
        return t ? [Array.from(t.x, Number), Array.from(t.y, Number)] : null;
    }""")
    assert star == [[10], [0.01]]
