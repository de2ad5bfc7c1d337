"""The schedule race in a real browser: + adds a schedule and the race redraws with it; the link carries the set;
the range test's button opens the race with its rate."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Page, expect

import app
from tests.e2e.conftest import assert_no_error, wait_for_app

LESSONS = {lesson.file: lesson for lessons in app.COURSE.values() for lesson in lessons}
RACE, FINDER = LESSONS["pages/schedule_race.py"], LESSONS["pages/lr_finder.py"]


def legend_names(page: Page) -> list[str]:
    """The names in the race chart's legend, as Plotly drew them."""
    return page.evaluate("""() => {
        const plot = document.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot');
        return plot._fullData.filter(t => t.showlegend !== false && t.name).map(t => t.name);
    }""")


def query(page: Page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def test_adding_a_schedule_updates_the_race_and_the_link(server, page):
    page.goto(f"{server.url}/{RACE.url_path}")
    wait_for_app(page, ready=page.get_by_role("heading", level=1, name=RACE.title))
    expect(page.locator("[data-testid=stPlotlyChart] .js-plotly-plot")).to_have_count(1)
    before = legend_names(page)
    assert before == ["Constant", "Step decay", "Cosine annealing", "Reduce on plateau"], before
    assert_no_error(page)

    page.get_by_test_id("stNumberInput").filter(has_text="How many schedules") \
        .get_by_test_id("stNumberInputStepUp").click()
    page.wait_for_url(re.compile(r"[?&]s=[^&]*%3B[^&]*%3B[^&]*%3B[^&]*%3B"))  # five specs joined by ";"
    wait_for_app(page, ready=page.get_by_text("Schedule 5", exact=True))
    expect(page.locator("[data-testid=stPlotlyChart] .js-plotly-plot")).to_have_count(1)
    after = legend_names(page)
    assert len(after) == 5 and after[:4] == before and after[4] == "Multi-step decay", after
    assert_no_error(page)
    assert query(page)["s"].split(";")[-1] == "multistep", query(page)

    # the link reproduces the five-schedule race in a new tab
    other = page.context.new_page()
    other.goto(page.url)
    wait_for_app(other, ready=other.get_by_text("Schedule 5", exact=True))
    expect(other.locator("[data-testid=stPlotlyChart] .js-plotly-plot")).to_have_count(1)
    assert legend_names(other) == after
    other.close()


def test_the_range_test_opens_the_race_with_its_rate(server, page):
    page.goto(f"{server.url}/{FINDER.url_path}")
    wait_for_app(page, ready=page.get_by_role("heading", level=1, name=FINDER.title))
    button = page.get_by_role("button", name=re.compile(r"Race the schedules from α₀ = "))
    rate = re.search(r"= ([\d.e-]+)", button.inner_text()).group(1)
    button.click()
    page.wait_for_url(re.compile(rf"/{RACE.url_path}\?.*base_lr={re.escape(rate)}"))
    wait_for_app(page, ready=page.get_by_role("heading", level=1, name=RACE.title))
    assert_no_error(page)
    expect(page.get_by_test_id("stSlider").filter(has_text="Base learning rate")).to_contain_text(rate)
