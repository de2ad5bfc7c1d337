"""The convolution page in a real browser: a larger kernel updates the output size and the window animation, and Play
moves the window across the input."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_no_error, open_lesson, screenshot, wait_for_app

WINDOW = "[data-testid=stPlotlyChart] .js-plotly-plot"


def window_state(page: Page) -> dict:
    """The window chart as drawn: its frames, the taps' columns, the output cell (row, col), its visible heatmaps."""
    return page.evaluate(f"""() => {{
        const plot = document.querySelectorAll('{WINDOW}')[0];
        const box = plot._fullData[4];   // the output cell's outline, from its top left corner
        return {{frames: plot._transitionData._frames.length, taps: Array.from(plot._fullData[3].x, x => Math.round(x)),
                 out: [Number(box.y[0]) + 0.5, Number(box.x[0]) + 0.5],
                 heatmaps: plot._fullData.filter(t => t.type === 'heatmap' && t.visible).length}};
    }}""")


def test_a_larger_kernel_updates_the_output_size_and_play_slides_the_window(server, page):
    open_lesson(page, server, "pages/convolution.py")
    metric = page.locator("[data-testid=stMetricValue]").first
    expect(metric).to_have_text("5 x 5 x 1")                      # 001's 3x3 kernel over a 7x7 input
    assert window_state(page)["frames"] == 25

    slider = page.locator('input[type=range][aria-label="Kernel size F"]')
    slider.focus()
    slider.press("ArrowRight")
    slider.press("ArrowRight")                                     # F = 5
    wait_for_app(page, ready=metric.filter(has_text="3 x 3 x 1"))
    assert_no_error(page)
    expect(page.get_by_text("(7 - 5 + 2·0)/1 + 1 = 3")).to_be_visible()
    before = window_state(page)
    assert before["frames"] == 9 and before["out"] == [0, 0] and max(before["taps"]) == 4

    page.locator(WINDOW).first.scroll_into_view_if_needed()
    page.locator(WINDOW).first.get_by_text("▶ Play").click()
    page.wait_for_function(f"""() => {{
        const box = document.querySelectorAll('{WINDOW}')[0]._fullData[4];
        return Number(box.x[0]) === 1.5 && Number(box.y[0]) === 1.5;
    }}""")                                                         # the last position: bottom right
    after = window_state(page)
    assert max(after["taps"]) == 6 and min(after["taps"]) == 2     # the window slid two columns right
    assert after["heatmaps"] == 2
    assert page.locator(WINDOW).first.locator(".hm image, .heatmaplayer image").count() >= 1   # still drawn
    screenshot(page, "convolution-window")
