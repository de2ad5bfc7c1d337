"""The first lesson of each section opens by deep link on a freshly started server, inside the app's own navigation
(DESIGN.md 3): the deep link is the server's very first request (nncore/ui/routing.py leaves Streamlit's legacy
pages/ router for app.py's st.navigation)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

import app
from tests.e2e.conftest import assert_course_navigation, assert_no_error, wait_for_app

FIRST_OF_SECTION = [lessons[0] for lessons in app.COURSE.values() if lessons]


@pytest.mark.parametrize("lesson", FIRST_OF_SECTION, ids=[lesson.url_path for lesson in FIRST_OF_SECTION])
def test_deep_link_on_a_fresh_server_shows_the_lesson_in_the_course(fresh_server, page, lesson):
    server = fresh_server()  # brand-new process: this deep link is its very first request
    page.goto(f"{server.url}/{lesson.url_path}")
    wait_for_app(page, ready=page.get_by_role("heading", level=1, name=lesson.title))
    expect(page).to_have_url(re.compile(rf"/{re.escape(lesson.url_path)}/?(\?.*)?$"))  # bound widgets may add a query
    assert_course_navigation(page)
    assert_no_error(page)
