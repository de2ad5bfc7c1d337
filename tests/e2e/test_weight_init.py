"""The weight-initialization page in a real browser: a preset click, a shared link, a bad link."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

import app
from nncore.experiments import weight_init
from tests.e2e.conftest import ERROR_SELECTOR, assert_no_error, wait_for_app

LESSON = next(lesson for lessons in app.COURSE.values() for lesson in lessons if lesson.file == "pages/weight_init.py")
TITLE = LESSON.title


def open_lesson(page: Page, server, query: str = "") -> None:
    page.goto(f"{server.url}/{LESSON.url_path}{query}")
    wait_for_app(page, ready=page.get_by_role("heading", level=1, name=TITLE))
    expect(page.locator("[data-testid=stPlotlyChart] .js-plotly-plot")).to_have_count(4)


def std_curve(page: Page) -> list[float]:
    """The first run's std per layer, as drawn: trace 1 of the first chart (layer statistics)."""
    return page.evaluate("""() => {
        const plot = document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')[0];
        return Array.from(plot._fullData[1].y, Number);  // _fullData: arrays decoded from Plotly's base64 form
    }""")


def success_box(page: Page):
    return page.locator("[data-testid=stAlertContentSuccess]")


def test_a_preset_click_changes_the_charts_and_the_url(server, page):
    open_lesson(page, server)
    expect(success_box(page)).to_contain_text("N(0, 0.01²) + tanh")  # the defaults are the lecture's first table
    before = std_curve(page)
    assert before[-1] < 1e-4, before

    name = "N(0, 1) + tanh"
    preset = weight_init.PRESETS[name]
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_url(re.compile(r"[?&]init_scale=1(&|$)"))
    wait_for_app(page, ready=success_box(page).filter(has_text=name))
    assert_no_error(page)

    after = std_curve(page)
    assert after != before and after[-1] > 0.9, after  # 002's second table: saturated, std ~0.98
    notices = page.locator("[data-testid=stAlertContentInfo]")
    expect(notices.filter(has_text="The std goes from").filter(has_text="saturated")).to_be_visible()
    query = parse_qs(urlparse(page.url).query)
    assert float(query["init_scale"][0]) == preset.config.init_scale, query


def test_a_shared_link_reproduces_the_run(server, page):
    # what a bound selectbox writes to the URL is the option's label ("ReLU", "He/Kaiming normal")
    open_lesson(page, server, "?activation=ReLU&init=He%2FKaiming+normal")
    assert_no_error(page)
    expect(page.locator("[data-testid=stAlertContentWarning]")).to_have_count(0)
    expect(success_box(page)).to_contain_text("He + ReLU")  # the link's config is that preset's
    std = std_curve(page)
    assert all(0.4 < s < 1.2 for s in std), std  # He + ReLU keeps the scale in every layer
    expect(page.get_by_role("combobox", name="Activation")).to_have_value("ReLU")
    expect(page.get_by_role("combobox", name="Initialization")).to_have_value("He/Kaiming normal")


@pytest.mark.parametrize("query, label", [("?depth=9999", "Layers"), ("?activation=softmax", "Activation")])
def test_a_bad_link_shows_a_warning_not_an_error(server, page, query, label):
    open_lesson(page, server, query)
    warning = page.locator("[data-testid=stAlertContentWarning]").filter(has_text="not usable")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(label)
    assert_no_error(page)
    assert len(std_curve(page)) == weight_init.Config().depth  # the defaults ran instead


def test_the_error_selector_sees_a_real_error(server, page):
    """assert_no_error is not vacuous: a run beyond the compute budget shows its message in an element it matches."""
    page.goto(f"{server.url}/{LESSON.url_path}?depth=100&width=2048&samples=20000")
    error = page.locator(ERROR_SELECTOR)
    wait_for_app(page, ready=error.filter(has_text="floating-point operations"))
    expect(error).to_have_count(1)
    expect(error).to_contain_text("Lower the layers, units or samples")
    expect(page.locator("[data-testid=stPlotlyChart]")).to_have_count(0)


def test_after_a_preset_a_value_at_the_slider_minimum_still_goes_into_the_link(server, page, browser):
    # Streamlit leaves a widget's default out of the URL: the default must be the page's, not the slider's minimum
    open_lesson(page, server)
    name = "N(0, 1) + tanh"
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_url(re.compile(r"[?&]init_scale=1(&|$)"))
    wait_for_app(page, ready=success_box(page).filter(has_text=name))
    page.get_by_role("slider", name="Layers").focus()
    page.keyboard.press("Home")   # the slider's minimum: 1 layer
    page.wait_for_url(re.compile(r"[?&]depth=1(&|$)"))
    link = page.url

    other = browser.new_page()   # a student opening the shared link
    open_lesson(other, server, "?" + urlparse(link).query)
    assert len(std_curve(other)) == 1 and std_curve(other)[0] > 0.9, std_curve(other)   # 1 layer of N(0,1) + tanh
    other.close()
