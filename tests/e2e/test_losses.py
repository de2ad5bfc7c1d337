"""The loss-functions lesson in a real browser: moving Huber's δ to its maximum with the keyboard re-draws Huber's
gradient clipped at the new δ, and the link keeps the value."""
from __future__ import annotations

from playwright.sync_api import Page, expect

import app
from tests.e2e.conftest import assert_no_error, wait_for_app

LESSON = next(lesson for lessons in app.COURSE.values() for lesson in lessons if lesson.file == "pages/losses.py")


def traces(page: Page, chart: int) -> dict[str, list[float]]:
    """The y values of a chart's named traces as drawn (legend group + name, so Huber's gradient is its own key)."""
    return page.evaluate("""(chart) => {
        const data = document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')[chart]._fullData;
        return Object.fromEntries(data.map((t, i) => [(t.legendgroup || '') + ':' + t.name + ':' + i,
                                                      Array.from(t.y, Number)]));
    }""", chart)


def huber_gradient_max(page: Page) -> float:
    ys = [y for key, y in traces(page, 0).items() if key.startswith("huber:")][1]   # [loss, gradient]
    return max(abs(v) for v in ys)


def test_moving_delta_reclips_hubers_gradient(server, page):
    page.goto(f"{server.url}/{LESSON.url_path}")
    wait_for_app(page, ready=page.get_by_role("heading", level=1, name=LESSON.title))
    expect(page.locator("[data-testid=stPlotlyChart] .js-plotly-plot").first).to_be_visible()
    assert_no_error(page)
    assert abs(huber_gradient_max(page) - 1.0) < 1e-6          # torch's default δ = 1

    slider = page.locator("input[type=range][aria-label=\"Huber's δ\"]")
    slider.focus()
    slider.press("End")                                        # δ = 5, the slider's maximum
    wait_for_app(page, ready=page.locator("[data-testid=stAlertContentInfo]").get_by_text("±δ = ±5", exact=False))
    assert_no_error(page)
    assert abs(huber_gradient_max(page) - 4.0) < 1e-6          # every residual shown (|r| <= 4) is inside δ now
    assert "delta=5" in page.url
