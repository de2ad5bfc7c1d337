"""Every lesson opens by deep link inside the app's own navigation (DESIGN.md 3); the first of each section on a
freshly started server: tests/e2e/test_fresh_server.py (a file of its own, so that test workers share the two)."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

import app
from tests.e2e.conftest import LESSONS, assert_course_navigation, assert_no_error, screenshot, wait_for_app


def test_every_lesson_opens_by_deep_link(server, page):
    """The fresh-server case (test_fresh_server.py) once per section (a fresh server costs ~15 s); every lesson on a
    running one."""
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
