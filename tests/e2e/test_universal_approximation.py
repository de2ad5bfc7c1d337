"""The universal-approximation lesson in a real browser: a wider hidden layer (the width slider moved with the
keyboard) re-draws the fit with one more unit, and a slope typed into 001's unit table moves Z's bends; both in the
link."""
from __future__ import annotations

from playwright.sync_api import Page, expect

import app
from tests.e2e.conftest import assert_no_error, wait_for_app

LESSON = next(lesson for lessons in app.COURSE.values() for lesson in lessons
              if lesson.file == "pages/universal_approximation.py")
NOTICE = "[data-testid=stAlertContentInfo]"


def open_quick(page: Page, server) -> None:
    """The lesson with a short training (200 steps), its two charts' notices shown, no error."""
    page.goto(f"{server.url}/{LESSON.url_path}?steps=200")
    wait_for_app(page, ready=page.locator(NOTICE).get_by_text("8 hidden units", exact=False))
    assert_no_error(page)


def trace_count(page: Page, chart: int, name: str) -> int:
    """How many pieces one trace of a chart draws: its NaN-separated segments, counted in the browser."""
    return page.evaluate("""([chart, name]) => {
        const plot = document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')[chart];
        const t = plot._fullData.find(d => d.name === name);
        return Array.from(t.y).filter(v => v === null || Number.isNaN(v)).length;
    }""", [chart, name])


def test_a_wider_layer_redraws_the_fit(server, page):
    open_quick(page, server)
    assert trace_count(page, 1, "8 units' pieces") == 8
    slider = page.locator('input[type=range][aria-label="Hidden units (width)"]')
    slider.focus()
    slider.press("ArrowRight")                                       # 8 -> 9 units
    wait_for_app(page, ready=page.locator(NOTICE).get_by_text("9 hidden units", exact=False))
    assert_no_error(page)
    assert trace_count(page, 1, "9 units' pieces") == 9
    assert "width=9" in page.url


def test_a_typed_slope_moves_the_bends(server, page):
    open_quick(page, server)
    expect(page.locator(NOTICE).first).to_contain_text("6 bends")
    slope = page.locator('input[aria-label="slope of n6"]')
    slope.fill("0")
    slope.press("Enter")                                             # n6 = Relu(0 x - 5) = 0: its bend at x = 1 goes
    wait_for_app(page, ready=page.locator(NOTICE).get_by_text("5 bends", exact=False))
    assert_no_error(page)
    expect(page.locator(NOTICE).first).not_to_contain_text("x = -1.54, -1.08, -0.833, 0.167, 0.55, 1:")
    assert "w6=0" in page.url
