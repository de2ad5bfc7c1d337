"""Presentation mode's keys in a real browser (issue 16 §3): the first screen's caption lists them; on the convolution
window's slide '.' and ',' step its animation, P plays it to the end; G presses the lr finder's run button (Streamlit's
shortcut=). Page Up and Page Down between slides: tests/e2e/test_classroom.py."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_no_error, wait_for_app
from tests.e2e.test_convolution import WINDOW, window_state


def open_presenting(page: Page, server, path: str, title: str, slide: int = 0) -> None:
    """The page projected: its first screen (controls, and the caption of the keys) or a chart's slide."""
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{server.url}/{path}?present=1&reveal=1" + (f"&slide={slide}" if slide else ""))
    wait_for_app(page, ready=page.get_by_role("heading", level=1, name=title))
    assert_no_error(page)
    if slide:
        expect(page.locator(WINDOW).first).to_be_visible()
    else:
        expect(page.get_by_text("Keys:")).to_be_visible()


def test_keys_step_and_play_the_convolution_window(server, page):
    open_presenting(page, server, "convolution", "Connectivity and convolution", slide=1)   # the window's slide
    page.locator(WINDOW).first.scroll_into_view_if_needed()
    assert window_state(page)["out"] == [0, 0]
    page.locator("body").press(".")
    page.wait_for_function(f"() => Number(document.querySelectorAll('{WINDOW}')[0]._fullData[4].x[0]) === 0.5")
    assert window_state(page)["out"] == [0, 1]                      # one step: the next column
    page.locator("body").press(",")
    page.wait_for_function(f"() => Number(document.querySelectorAll('{WINDOW}')[0]._fullData[4].x[0]) === -0.5")
    assert window_state(page)["out"] == [0, 0]                      # and back
    page.locator("body").press("p")
    page.wait_for_function(f"""() => {{
        const box = document.querySelectorAll('{WINDOW}')[0]._fullData[4];
        return Number(box.x[0]) === 3.5 && Number(box.y[0]) === 3.5;
    }}""")                                                          # played to the last of the 5 x 5 positions


def test_g_presses_the_run_button(server, page):
    open_presenting(page, server, "lr_finder", "Finding the learning rate")
    button = page.get_by_role("button", name="Race the schedules from")
    expect(button).to_be_visible()
    page.locator("body").press("g")
    wait_for_app(page, ready=page.get_by_role("heading", level=1, name="Schedule race"))
    assert "/schedule_race" in page.url
    assert_no_error(page)
