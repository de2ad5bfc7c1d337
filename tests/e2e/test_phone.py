"""On a phone (390 px wide), one lesson of each section of the course: no sideways scrolling, the first chart fits the
screen, and the controls are reachable and usable from the keyboard alone (Tab to a slider, arrow keys move it)."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

import app
from tests.e2e.conftest import assert_no_error, open_lesson, wait_for_app

PHONE = {"width": 390, "height": 844}
ONE_PER_SECTION = {section: lessons[0].file for section, lessons in app.COURSE.items() if lessons}


@pytest.mark.parametrize("file", ONE_PER_SECTION.values(), ids=ONE_PER_SECTION.keys())
def test_a_lesson_of_each_section_fits_a_phone(server, page: Page, file):
    page.set_viewport_size(PHONE)
    open_lesson(page, server, file)
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    chart = page.locator("[data-testid=stPlotlyChart]").first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_the_keyboard_reaches_a_slider_and_moves_it(server, page: Page):
    page.set_viewport_size(PHONE)
    open_lesson(page, server, "pages/weight_init.py")
    for _ in range(60):                                   # Tab through the page until a slider has the focus
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.type") == "range":
            break
    else:
        pytest.fail("no slider reachable with Tab")
    label = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    before = page.evaluate("() => document.activeElement.value")
    page.keyboard.press("ArrowRight")
    expect(page.locator(f'input[type=range][aria-label="{label}"]')).not_to_have_value(before)
    wait_for_app(page)
    assert_no_error(page)
