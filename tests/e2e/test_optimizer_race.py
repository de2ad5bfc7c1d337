"""The optimizer race in a real browser: a preset, then ▶ Play animates every path without a rerun; a click on the
map moves the start; a typed formula that is not allowed shows a message, not a traceback."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Page, expect

import app
from nncore.experiments import optimizer_race as race
from tests.e2e.conftest import assert_no_error, wait_for_app

LESSON = next(lesson for lessons in app.COURSE.values() for lesson in lessons
              if lesson.file == "pages/optimizer_race.py")
MAP = "document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')[0]"


def open_lesson(page: Page, server, query: str = "", charts: bool = True) -> None:
    page.goto(f"{server.url}/{LESSON.url_path}{query}")
    wait_for_app(page, ready=page.get_by_role("heading", level=1, name=LESSON.title))
    if charts:
        expect(page.locator("[data-testid=stPlotlyChart] .js-plotly-plot").first).to_be_visible()


def path_lengths(page: Page) -> list[int]:
    """How many points of each racer's path the map draws now (the line traces, decoded by Plotly)."""
    return page.evaluate(f"""() => {MAP}._fullData.filter(t => t.mode === 'lines').map(t => t.x.length)""")


def test_a_preset_runs_and_play_animates_the_race(server, page):
    open_lesson(page, server)
    name = "Ravine: SGD zig-zags, momentum and Adam go along"
    preset = race.PRESETS[name]
    page.get_by_role("button", name=name).click()
    page.wait_for_url(re.compile(r"[?&]steps=150(&|$)"))
    wait_for_app(page, ready=page.locator("[data-testid=stAlertContentSuccess]").filter(has_text="Ravine"))
    assert_no_error(page)
    full = preset.config.steps + 1
    assert path_lengths(page) == [full] * len(preset.config.optimizers)   # the finished race is shown first
    runs_before = page.evaluate("() => performance.getEntriesByType('resource').length")

    page.locator(".updatemenu-button").filter(has_text="Play").first.click()
    page.wait_for_function(f"() => {MAP}._fullData.filter(t => t.mode === 'lines').every(t => t.x.length < {full})")
    page.wait_for_function(f"() => {MAP}._fullLayout.sliders[0].active > 2")          # the slider follows
    page.wait_for_function(f"() => {MAP}._fullData.filter(t => t.mode === 'lines').every(t => t.x.length === {full})")
    expect(page.locator("[data-testid=stApp][data-test-script-state=notRunning]")).to_be_attached()
    assert page.evaluate("() => performance.getEntriesByType('resource').length") == runs_before  # no rerun, no fetch
    assert_no_error(page)


def test_clicking_the_map_moves_the_start(server, page):
    open_lesson(page, server)
    target = page.evaluate(f"""() => {{ const p = {MAP}, L = p._fullLayout, r = p.getBoundingClientRect();
        return [r.left + L.xaxis._offset + L.xaxis.l2p(0.4), r.top + L.yaxis._offset + L.yaxis.l2p(2.0)]; }}""")
    page.mouse.click(*target)
    page.wait_for_url(re.compile(r"[?&]x0=0\.4(&|$)"))
    wait_for_app(page, ready=page.locator("[data-testid=stNumberInput] input[value='0.4']"))
    assert_no_error(page)
    query = parse_qs(urlparse(page.url).query)
    own_y = race.surfaces.SURFACES[race.Config().surface].start[1]   # the URL leaves out the surface's own start
    assert float(query["x0"][0]) == 0.4 and float(query.get("y0", [own_y])[0]) == 2.0, query
    start = page.evaluate(f"() => {{ const t = {MAP}._fullData.find(t => t.name === 'start'); "
                          "return [t.x[0], t.y[0]]; }")
    assert start == [0.4, 2.0]


def test_a_formula_that_is_not_allowed_shows_a_message(server, page):
    open_lesson(page, server, "?surface=Type+your+own+f%28x%2C+y%29&expression=x.__class__", charts=False)
    expect(page.locator("[data-testid=stAlertContentError]")).to_contain_text("not allowed")
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
