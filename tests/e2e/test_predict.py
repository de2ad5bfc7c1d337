"""Predict, then reveal, in a real browser: a lesson asks first (?predict=1, as a deployment with questions on shows
it), then shows the run with the student's guess starred where it is a number (weight_init's std chart, softmax's
bars); a panel page (lr_finder) asks its choice before its run."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_no_error, wait_for_app
from tests.e2e.test_weight_init import LESSON


def _star(page: Page) -> list:
    """The x and y of the "your guess" trace on the page's first chart, as Plotly drew them."""
    return page.evaluate("""() => {
        const plot = document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')[0];
        const t = plot._fullData.find(t => t.name === 'your guess');
        return t ? [Array.from(t.x), Array.from(t.y, Number)] : null;
    }""")


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
    assert _star(page) == [[10], [0.01]]


def test_a_panel_page_asks_a_choice_before_its_run(server, page: Page):
    """lr_finder asks through its panel (split.panel(ask=...)): the radio answer, then the curves."""
    page.goto(f"{server.url}/lr_finder?predict=1")
    wait_for_app(page, ready=page.get_by_text("Predict first."))
    expect(page.locator("[data-testid=stPlotlyChart]")).to_have_count(0)
    page.get_by_test_id("stForm").get_by_text("In epoch 1", exact=False).click()
    page.get_by_role("button", name="Reveal the run").click()
    wait_for_app(page, ready=page.get_by_text("Your prediction"))
    expect(page.locator("[data-testid=stPlotlyChart] .js-plotly-plot").first).to_be_visible()
    expect(page.get_by_text("In epoch 1: its loss is inf or NaN", exact=False).first).to_be_visible()
    assert_no_error(page)


def test_a_probability_guess_is_starred_on_the_true_class(server, page: Page):
    page.goto(f"{server.url}/softmax_output?predict=1")
    wait_for_app(page, ready=page.get_by_text("Predict first."))
    slider = page.get_by_test_id("stForm").get_by_role("slider")
    slider.focus()
    for _ in range(7):
        slider.press("ArrowLeft")                          # 0.5 -> 0.15 in steps of 0.05
    page.get_by_role("button", name="Reveal the run").click()
    wait_for_app(page, ready=page.get_by_text("Your prediction"))
    expect(page.locator("[data-testid=stPlotlyChart] .js-plotly-plot").first).to_be_visible()
    assert_no_error(page)
    (x,), (y,) = _star(page)
    assert x == "cat (true)" and abs(y - 0.15) < 1e-9
