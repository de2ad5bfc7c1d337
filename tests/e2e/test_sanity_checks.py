"""The sanity-checks lesson in a real browser: the tiny subset is memorized at the defaults, and pressing the
preset that injects the shuffled-labels bug makes the check fail, in the chart and in its notice."""
from __future__ import annotations

from playwright.sync_api import Page, expect

import app
from tests.e2e.conftest import assert_no_error, wait_for_app

LESSON = next(lesson for lessons in app.COURSE.values() for lesson in lessons if lesson.file == "pages/sanity_checks.py")


def tiny_accuracy(page: Page) -> list[float]:
    """The tiny overfit chart's training accuracy per epoch, as drawn."""
    return page.evaluate("""() => {
        for (const plot of document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot'))
            for (const t of plot._fullData)
                if (t.name && t.name.startsWith('training (')) return Array.from(t.y, Number);
        return null;
    }""")


def test_the_bug_preset_makes_the_tiny_overfit_fail(server, page):
    page.goto(f"{server.url}/{LESSON.url_path}")
    wait_for_app(page, ready=page.get_by_role("heading", level=1, name=LESSON.title))
    expect(page.get_by_text("training samples are classified correctly from epoch")).to_be_visible()
    assert_no_error(page)
    assert max(tiny_accuracy(page)) == 1.0

    page.get_by_role("button", name="A bug the check catches").click()
    wait_for_app(page, ready=page.get_by_text("so the model or the loop has a bug"))
    assert_no_error(page)
    assert "bug=" in page.url
    assert max(tiny_accuracy(page)) < 1.0
