"""In class, in a real browser: an instructor's link that hides controls keeps them hidden through a rerun and a
reload and runs what the full link runs; the share panel writes the link; presentation mode fits a 1024x768
projector; a chart's CSV holds what it draws, and the code panel shows each run's Python."""
from __future__ import annotations

import csv
import io
import zipfile

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_no_error, wait_for_app
from tests.e2e.test_dropout import LESSON, curves

INTRO = "Dropout zeroes each hidden unit"


def open_dropout(page: Page, server, query: str) -> None:
    page.goto(f"{server.url}/{LESSON.url_path}?{query}")
    wait_for_app(page, ready=page.get_by_role("heading", level=1, name=LESSON.title))
    expect(page.locator("[data-testid=stPlotlyChart] .js-plotly-plot").first).to_be_visible()
    assert_no_error(page)


def test_a_hide_link_keeps_its_controls_hidden_and_runs_what_the_full_link_runs(server, page):
    open_dropout(page, server, "b_dropout=0.3")
    full = curves(page)
    assert "B: dropout p = 0.3: validation" in full

    open_dropout(page, server, "hide=b_dropout,intro&b_dropout=0.3")
    dropout_slider = page.locator('input[type=range][aria-label="Dropout p"]')
    expect(dropout_slider).to_have_count(0)
    expect(page.get_by_text(INTRO)).to_have_count(0)
    assert curves(page) == full                       # the hidden control took its value from the link

    example = page.locator('input[type=range][aria-label="Dropout probability p for the example"]')
    example.focus()
    example.press("End")                               # another control moves: a rerun
    wait_for_app(page, ready=page.get_by_text("0.90").first)
    assert "hide=b_dropout" in page.url.replace("%2C", ",") and "b_dropout=0.3" in page.url
    page.reload()
    wait_for_app(page, ready=page.get_by_role("heading", level=1, name=LESSON.title))
    expect(page.locator("[data-testid=stPlotlyChart] .js-plotly-plot").first).to_be_visible()
    expect(dropout_slider).to_have_count(0)
    expect(page.get_by_text(INTRO)).to_have_count(0)
    assert curves(page) == full


def test_the_share_panel_writes_the_link_with_what_is_hidden(server, page):
    open_dropout(page, server, "b_dropout=0.3&hide=curves")
    panel = page.get_by_test_id("stSidebar").get_by_text("Share this experiment")
    panel.click()
    code = page.get_by_test_id("stSidebar").get_by_test_id("stCode")
    expect(code).to_contain_text("b_dropout=0.3")
    expect(code).to_contain_text("hide=curves")
    page.get_by_test_id("stSidebar").get_by_text("Presentation mode").click()
    expect(code).to_contain_text("present=1")
    assert code.inner_text().startswith(server.url)


def test_presentation_mode_fits_a_1024x768_projector(server, page):
    page.set_viewport_size({"width": 1024, "height": 768})
    open_dropout(page, server, "present=1&slide=1")   # a chart slide: the first screen has none
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)") >= 20


def test_a_charts_csv_download_holds_the_numbers_it_draws(server, page):
    open_dropout(page, server, "")
    drawn = curves(page)
    with page.expect_download() as info:
        page.get_by_test_id("stDownloadButton").get_by_role("button").click()   # one per page: every chart's CSV
    assert info.value.suggested_filename == f"{LESSON.url_path}.zip"
    with zipfile.ZipFile(info.value.path()) as z:
        assert {"curves.csv", "fits.csv"} <= set(z.namelist())
        rows = list(csv.DictReader(io.StringIO(z.read("curves.csv").decode())))
    loss = rows[0]["panel"]
    for name, ys in drawn.items():
        assert [float(r["y"]) for r in rows if r["trace"] == name and r["panel"] == loss] == ys
    code = page.get_by_text("Run this in Python")
    code.click()
    expect(page.get_by_test_id("stCode").filter(has_text="import nncore.regularization as experiment")).to_have_count(2)
    plain = page.get_by_test_id("stCode").filter(has_text="Overfitting and its remedies, in plain PyTorch")
    expect(plain).to_have_count(2)                                  # beside each run's nncore call, its values filled
    expect(plain.filter(has_text="dropout = 0.5")).to_have_count(1)


def test_presentation_mode_shows_one_chart_a_slide_and_its_keys_move_between_them(server, page):
    page.set_viewport_size({"width": 1024, "height": 768})
    open_dropout(page, server, "present=1&reveal=1&slide=1")
    shown = page.locator("[data-testid=stPlotlyChart]:visible")
    expect(shown).to_have_count(1)
    expect(page.get_by_text("Chart 1 of 2")).to_be_visible()
    expect(page.get_by_text(INTRO)).to_be_hidden()                 # the setup is the first screen's
    assert "B: dropout p = 0.5: validation" in curves(page)       # the slide's chart: the curves
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")

    page.locator("body").press("PageDown")                         # a presenter's clicker: the next slide
    wait_for_app(page, ready=page.get_by_text("Chart 2 of 2"))
    expect(shown).to_have_count(1)
    assert "slide=2" in page.url
    page.reload()                                                  # the link keeps the slide
    wait_for_app(page, ready=page.get_by_text("Chart 2 of 2"))
    expect(shown).to_have_count(1)
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")

    page.locator("body").press("PageUp")
    wait_for_app(page, ready=page.get_by_text("Chart 1 of 2"))
    page.locator("body").press("PageUp")                           # the first screen: setup, no chart
    wait_for_app(page, ready=page.get_by_text(INTRO))
    expect(page.get_by_text("Setup")).to_be_visible()
    expect(shown).to_have_count(0)
    assert "slide=" not in page.url
    assert_no_error(page)


def test_a_chart_in_a_tab_shows_on_its_slide_without_the_tabs(server, page):
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{server.url}/data_assessment?present=1&reveal=1&slide=3")   # the second tab's histograms
    wait_for_app(page, ready=page.get_by_text("Chart 3 of 3"))
    shown = page.locator("[data-testid=stPlotlyChart]:visible")
    expect(shown).to_have_count(1)
    assert "Standardized" not in page.locator("[data-testid=stMain]").inner_text()   # the tabs' labels are gone
    expect(page.get_by_role("heading", level=1, name="Data assessment")).to_be_in_viewport()
    assert_no_error(page)
