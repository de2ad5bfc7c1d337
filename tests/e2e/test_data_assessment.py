"""The data-assessment lesson in a real browser: switching the blind set from the high-alcohol wines to a random
sample of the same size brings every shift score under the 5% line, and the link keeps the choice."""
from __future__ import annotations

from playwright.sync_api import Page, expect

import app
from tests.e2e.conftest import assert_no_error, wait_for_app

LESSON = next(lesson for lessons in app.COURSE.values() for lesson in lessons
              if lesson.file == "pages/data_assessment.py")


def scores(page: Page) -> dict[str, float]:
    """The shift scores as drawn (the first chart's first bar trace), by feature."""
    return page.evaluate("""() => {
        const t = document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')[0]._fullData[0];
        return Object.fromEntries(Array.from(t.y, (name, i) => [name, Number(t.x[i])]));
    }""")


def test_a_random_blind_set_brings_every_score_down(server, page):
    page.goto(f"{server.url}/{LESSON.url_path}")
    wait_for_app(page, ready=page.get_by_role("heading", level=1, name=LESSON.title))
    expect(page.locator("[data-testid=stPlotlyChart] .js-plotly-plot").first).to_be_visible()
    assert_no_error(page)
    before = scores(page)
    assert before["alcohol"] == 1.0 and before["density"] > 0.3

    page.get_by_role("combobox", name="Blind set", exact=True).click()
    page.get_by_role("option", name="a random sample of the same size (no shift)", exact=True).click()
    wait_for_app(page, ready=page.locator("[data-testid=stAlertContentInfo]").get_by_text("look alike", exact=False))
    assert_no_error(page)
    after = scores(page)
    assert set(after) == set(before) and max(after.values()) < 0.1
    assert "rule=" in page.url
