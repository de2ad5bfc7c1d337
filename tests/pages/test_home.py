"""The home page (app.py's course map) lists every section and every lesson of app.COURSE."""
from __future__ import annotations

import app
from tests.pages.helpers import assert_clean


def test_home_lists_every_section_and_lesson(open_page):
    at = open_page("app.py")
    assert_clean(at)
    assert [t.value for t in at.title] == ["Neural Net Training Lab"]
    headers = [h.value for h in at.subheader]
    for section in app.COURSE:
        assert section in headers, f"section {section!r} missing from the home page: {headers}"
    links = [link.proto.label for link in at.get("page_link")]
    for lessons in app.COURSE.values():
        for lesson in lessons:
            assert any(lesson.title in label for label in links), f"{lesson.title!r} not linked: {links}"
            assert any(lesson.lecture in c.value for c in at.caption), f"lecture of {lesson.title!r} not shown"
    assert len(links) == sum(len(lessons) for lessons in app.COURSE.values())
