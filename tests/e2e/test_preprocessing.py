"""The preprocessing lesson in a real browser: moving the cloud's correlation to its lowest redraws 003's steps
(the normalized cloud's covariance turns negative) while the whitened covariance stays the identity."""
from __future__ import annotations

from playwright.sync_api import Page

from tests.e2e.conftest import assert_no_error, open_lesson, screenshot


def covariances(page: Page) -> list[list[list[float]]]:
    """The covariance heatmaps of the first chart as drawn (rows back in matrix order)."""
    return page.evaluate("""() => {
        const plot = document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')[0];
        return plot._fullData.filter(t => t.type === 'heatmap')
            .map(t => Array.from(t.z, row => Array.from(row, Number)).reverse());
    }""")


def test_the_correlation_slider_redraws_the_steps(server, page):
    open_lesson(page, server, "pages/preprocessing.py")
    before = covariances(page)
    assert len(before) == 5 and before[2][0][1] > 0.5          # normalized: the default correlation 0.8

    slider = page.locator('input[type=range][aria-label="Correlation of the cloud"]')
    slider.focus()
    slider.press("Home")                                        # correlation -0.95
    page.wait_for_function("""() => {
        const plot = document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')[0];
        const maps = plot && plot._fullData.filter(t => t.type === 'heatmap');
        return maps && maps.length === 5 && maps[2].z[1][1] < 0;   // cov(x₁, x₂): drawn with its rows flipped
    }""")
    assert_no_error(page)
    screenshot(page, "preprocessing_after_slider")
    after = covariances(page)
    assert after[2][0][1] < -0.5
    for row, expected in zip(after[4], ([1, 0], [0, 1])):      # whitened: the identity
        assert [round(v, 6) for v in row] == expected
