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


def path_lengths(page: Page) -> list[int]:
    """How many points each drawn gradient-descent path has (raw, then standardized)."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot'))
        .flatMap(p => p._fullData.filter(t => t.name === 'gradient descent').map(t => t.x.length))""")


def test_the_steps_slider_redraws_the_zigzag_and_the_link_opens_gradient_flow(server, page):
    open_lesson(page, server, "pages/preprocessing.py")
    assert path_lengths(page) == [61, 61]                       # 60 steps from w = 0
    link = page.locator('[data-testid=stPageLink] a', has_text="Gradient flow")
    assert "gradient_flow" in link.get_attribute("href")

    slider = page.locator('input[type=range][aria-label="Steps of gradient descent"]')
    slider.focus()
    slider.press("Home")                                        # 5 steps
    page.wait_for_function("""() => Array.from(document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot'))
        .flatMap(p => p._fullData.filter(t => t.name === 'gradient descent')).every(t => t.x.length === 6)""")
    assert_no_error(page)
    assert "path_steps=5" in page.url
