"""The activation lessons in a real browser: changing the selected activations changes the charts and the URL."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Page, expect

import app
from tests.e2e.conftest import assert_no_error, wait_for_app

LESSONS = {lesson.file: lesson for lessons in app.COURSE.values() for lesson in lessons}
EXPLORER = LESSONS["pages/activation_functions.py"]
RACE = LESSONS["pages/activation_race.py"]


def open_lesson(page: Page, server, lesson, query: str = "") -> None:
    page.goto(f"{server.url}/{lesson.url_path}{query}")
    wait_for_app(page, ready=page.get_by_role("heading", level=1, name=lesson.title))


def trace_names(page: Page, chart: int) -> list[str]:
    """The legend names of one chart, as drawn (Plotly's resolved data)."""
    return page.evaluate("""(i) => {
        const plot = document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')[i];
        return plot._fullData.filter(t => t.showlegend !== false && t.name).map(t => t.name);
    }""", chart)


def choose(page: Page, label: str) -> None:
    """Add an option to the page's first multiselect by typing its label, as a student would."""
    box = page.locator("[data-testid=stMain] [data-testid=stMultiSelect]").first.locator("input")
    box.click()
    box.fill(label)
    box.press("Enter")
    page.keyboard.press("Escape")


def remove(page: Page, label: str) -> None:
    """Remove a chosen option by its chip's close button."""
    box = page.locator("[data-testid=stMain] [data-testid=stMultiSelect]").first   # not the sidebar's share panel
    box.get_by_role("button", name=f"Remove {label}", exact=True).click()


def test_explorer_selection_changes_both_charts_and_the_link(server, page):
    open_lesson(page, server, EXPLORER)
    expect(page.locator("[data-testid=stPlotlyChart] .js-plotly-plot")).to_have_count(2)
    before = trace_names(page, 0)
    assert before == ["Sigmoid", "Tanh", "ReLU", "Leaky ReLU", "ELU"], before

    choose(page, "Maxout")
    wait_for_app(page, ready=page.locator("[data-testid=stAlertContentInfo]").filter(has_text="Maxout"))
    assert trace_names(page, 0) == before + ["Maxout"]
    assert trace_names(page, 1) == before + ["Maxout"]
    expect(page.get_by_text("Maxout pieces k")).to_be_visible()          # its slider appears with it
    assert "Maxout" in parse_qs(urlparse(page.url).query).get("activations", [])

    remove(page, "Sigmoid")
    wait_for_app(page, ready=page.locator("[data-testid=stAlertContentInfo]").filter(has_text="Tanh:"))
    expect(page.locator("[data-testid=stAlertContentInfo]").filter(has_text="Sigmoid")).to_have_count(0)
    assert trace_names(page, 0) == ["Tanh", "ReLU", "Leaky ReLU", "ELU", "Maxout"]
    assert_no_error(page)


def test_race_selection_retrains_and_redraws(server, page):
    open_lesson(page, server, RACE, "?epochs=3&activations=Tanh&activations=ReLU")
    expect(page.locator("[data-testid=stPlotlyChart] .js-plotly-plot")).to_have_count(3)
    assert trace_names(page, 0) == ["Tanh", "ReLU"]
    choose(page, "PReLU (learned α)")
    notice = page.locator("[data-testid=stAlertContentInfo]").filter(has_text="PReLU's learned α")
    wait_for_app(page, ready=notice)
    assert trace_names(page, 0) == ["Tanh", "ReLU", "PReLU (learned α)"]
    assert trace_names(page, 2) == ["Tanh", "ReLU", "PReLU (learned α)"]
    assert_no_error(page)
