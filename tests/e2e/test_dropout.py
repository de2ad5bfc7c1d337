"""The dropout lesson in a real browser: turning dropout off in run B changes both of B's curves (to A's)."""
from __future__ import annotations

from playwright.sync_api import Page, expect

import app
from tests.e2e.conftest import assert_no_error, wait_for_app

LESSON = next(lesson for lessons in app.COURSE.values() for lesson in lessons if lesson.file == "pages/dropout.py")


def curves(page: Page) -> dict[str, list[float]]:
    """The loss curves of the first chart as drawn, by trace name."""
    return page.evaluate("""() => {
        const plot = document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')[0];
        const out = {};
        for (const t of plot._fullData) if (t.name && t.xaxis === 'x') out[t.name] = Array.from(t.y, Number);
        return out;
    }""")


def test_turning_dropout_off_changes_both_curves_of_run_b(server, page):
    page.goto(f"{server.url}/{LESSON.url_path}")
    wait_for_app(page, ready=page.get_by_role("heading", level=1, name=LESSON.title))
    expect(page.locator("[data-testid=stPlotlyChart] .js-plotly-plot").first).to_be_visible()
    assert_no_error(page)
    before = curves(page)
    b_train, b_val = before["B: dropout p = 0.5: training"], before["B: dropout p = 0.5: validation"]
    a_train, a_val = before["A: no dropout: training"], before["A: no dropout: validation"]
    assert b_val[-1] < a_val[-1]           # dropout keeps the validation loss of this overfitting net lower

    slider = page.locator('input[type=range][aria-label="Dropout p"]')
    slider.focus()
    slider.press("Home")                   # p = 0: dropout off in B
    wait_for_app(page, ready=page.locator("[data-testid=stPlotlyChart]").get_by_text("B: dropout p = 0: validation"))
    assert_no_error(page)
    after = curves(page)
    new_train, new_val = after["B: dropout p = 0: training"], after["B: dropout p = 0: validation"]
    assert new_train != b_train and new_val != b_val      # both curves of B changed ...
    assert new_train == a_train and new_val == a_val      # ... to A's: same seed and data, no dropout
