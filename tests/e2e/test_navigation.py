"""Every lesson opens by deep link, the first of each section on a freshly started server, inside the app's own
navigation (DESIGN.md 3)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

import app
from tests.e2e.conftest import assert_no_error, screenshot, wait_for_app

LESSONS = [lesson for lessons in app.COURSE.values() for lesson in lessons]
SECTIONS = [name for name, lessons in app.COURSE.items() if lessons]
FIRST_OF_SECTION = [lessons[0] for lessons in app.COURSE.values() if lessons]


def assert_course_navigation(page: Page) -> None:
    """The sidebar shows app.py's navigation: the course's section headers and lesson titles, not file names."""
    headers = page.locator("[data-testid=stSidebarNav] [data-testid=stNavSectionHeader]")
    expect(headers).to_have_count(len(SECTIONS))
    expect(headers).to_contain_text(SECTIONS)  # each header also holds its expand icon's ligature text
    links = page.locator("[data-testid=stSidebarNav] [data-testid=stSidebarNavLink]")
    expect(links).to_have_count(1 + len(LESSONS))  # the course map and every lesson
    for lesson in LESSONS:
        expect(links.filter(has_text=lesson.title)).to_have_count(1)
    # Streamlit's legacy pages/ router would list "app" and the file stems ("weight init") instead
    expect(links.filter(has_text=re.compile(r"^\s*app\s*$"))).to_have_count(0)


@pytest.mark.parametrize("lesson", FIRST_OF_SECTION, ids=[lesson.url_path for lesson in FIRST_OF_SECTION])
def test_deep_link_on_a_fresh_server_shows_the_lesson_in_the_course(fresh_server, page, lesson):
    server = fresh_server()  # brand-new process: this deep link is its very first request
    page.goto(f"{server.url}/{lesson.url_path}")
    wait_for_app(page, ready=page.get_by_role("heading", level=1, name=lesson.title))
    expect(page).to_have_url(re.compile(rf"/{re.escape(lesson.url_path)}/?(\?.*)?$"))  # bound widgets may add a query
    assert_course_navigation(page)
    assert_no_error(page)


def test_every_lesson_opens_by_deep_link(server, page):
    """The fresh-server case above once per section (a fresh server costs ~15 s); every lesson on a running one."""
    for lesson in LESSONS:
        page.goto(f"{server.url}/{lesson.url_path}")
        wait_for_app(page, ready=page.get_by_role("heading", level=1, name=lesson.title))
        expect(page).to_have_url(re.compile(rf"/{re.escape(lesson.url_path)}/?(\?.*)?$"))
        assert_no_error(page)


def test_home_lists_every_lesson_and_its_links_work(server, page):
    page.goto(server.url)
    wait_for_app(page, ready=page.get_by_role("heading", level=1, name="Neural Net Training Lab"))
    main = page.locator("[data-testid=stMain]")
    for section in app.COURSE:
        expect(main.get_by_role("heading", name=section, exact=True)).to_be_visible()
    for lesson in LESSONS:
        # the link reads "Title — summary": another lesson's summary may name this title ("normalization")
        title = re.compile(re.escape(lesson.title) + r"\s+—")
        expect(main.locator("[data-testid=stPageLink]").filter(has_text=title)).to_be_visible()
    assert_course_navigation(page)
    assert_no_error(page)
    screenshot(page, "home")
    first = LESSONS[0]
    main.locator("[data-testid=stPageLink]").filter(has_text=first.title).click()
    wait_for_app(page, ready=page.get_by_role("heading", level=1, name=first.title))
    expect(page).to_have_url(re.compile(rf"/{re.escape(first.url_path)}/?(\?.*)?$"))
    assert_no_error(page)
