"""Languages in a real browser: the sidebar's selector switches a lesson to Korean and back with the same run drawn,
writes ?lang=ko in the link, and the language stays when the sidebar opens another lesson."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

import app
from nncore.ui import i18n
from tests.e2e.conftest import assert_no_error, open_lesson, wait_for_app

LESSONS = {lesson.file: lesson for lessons in app.COURSE.values() for lesson in lessons}
INIT, ACTIVATIONS = LESSONS["pages/weight_init.py"], LESSONS["pages/activation_functions.py"]
KO = i18n.translation("ko").gettext


def choose_language(page: Page, label: str, name: str) -> None:
    """Pick a language by its own name in the sidebar's selector (labelled `label` in the current language)."""
    box = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text=label).locator("input")
    box.click()
    box.press("ArrowDown")   # at the sidebar's foot the click alone left the list closed
    page.get_by_role("option", name=name, exact=True).click()


def nav_link(page: Page, title: str):
    return page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True)


def std_curve(page: Page) -> list[float]:
    """The run's std per layer, as drawn: trace 1 of the first chart (weight_init's layer statistics)."""
    return page.evaluate("""() => {
        const plot = document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')[0];
        return Array.from(plot._fullData[1].y, Number);
    }""")


def test_a_lesson_switches_to_korean_and_back_with_the_same_run(server, page):
    open_lesson(page, server, INIT.file)
    english = std_curve(page)
    intro = page.get_by_text("Before any training, push random N(0, 1) data")
    expect(intro).to_be_visible()

    choose_language(page, "Language", "한국어")
    page.wait_for_url(re.compile(r"[?&]lang=ko(&|$)"))
    wait_for_app(page, ready=nav_link(page, KO(INIT.title)))
    assert_no_error(page)
    expect(page.get_by_text("학습을 시작하기 전에, 무작위 N(0, 1) 데이터를")).to_be_visible()
    expect(intro).to_have_count(0)
    assert std_curve(page) == english   # the same run: its numbers do not depend on the language

    choose_language(page, "언어", "English")
    wait_for_app(page, ready=nav_link(page, INIT.title))
    assert_no_error(page)
    assert "lang=" not in page.url, page.url   # English leaves the link as it was
    expect(intro).to_be_visible()
    assert std_curve(page) == english


def test_the_language_stays_when_the_sidebar_opens_another_lesson(server, page):
    page.goto(f"{server.url}/{INIT.url_path}?lang=ko")
    wait_for_app(page, ready=nav_link(page, KO(INIT.title)))
    nav_link(page, KO(ACTIVATIONS.title)).click()
    page.wait_for_url(re.compile(rf"/{ACTIVATIONS.url_path}\?(.*&)?lang=ko(&|$)"))
    wait_for_app(page, ready=page.get_by_text("각 은닉 유닛은").first)   # the lesson's intro, in Korean
    assert_no_error(page)
    expect(nav_link(page, KO("Course map"))).to_be_visible()
