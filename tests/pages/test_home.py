"""The home page (app.py's course map) lists every section and lesson of app.COURSE, and the lectures they cite."""
from __future__ import annotations

import re
from pathlib import Path

import app
from nncore.ui.course import LECTURES
from tests.pages.helpers import assert_clean, tr


def test_home_lists_every_section_and_lesson(open_page):
    at = open_page("app.py")
    assert_clean(at)
    assert [t.value for t in at.title] == [tr("Neural Net Training Lab")]
    headers = [h.value for h in at.subheader]
    for section in app.COURSE:
        assert tr(section) in headers, f"section {section!r} missing from the home page: {headers}"
    links = [link.proto.label for link in at.get("page_link")]
    for lessons in app.COURSE.values():
        for lesson in lessons:
            assert any(tr(lesson.title) in label for label in links), f"{lesson.title!r} not linked: {links}"
            assert any(lesson.lecture in c.value for c in at.caption), f"lecture of {lesson.title!r} not shown"
    assert len(links) == sum(len(lessons) for lessons in app.COURSE.values())


def test_home_names_every_lecture_that_a_lesson_cites(open_page):
    # a clone has no lecture files: "002 'Dropout'" must be explained on the page itself
    at = open_page("app.py")
    assert tr("The lectures") in [h.value for h in at.subheader]
    text = "\n".join(m.value for m in at.markdown)
    for number, lecture in LECTURES.items():   # a deck's title as it was given; where and in what, translated
        assert f"| {number} | {lecture.title} | {tr(lecture.source)} | {tr(lecture.language)} |" in text, number
    cited = {ref for lessons in app.COURSE.values() for lesson in lessons
             for ref in re.findall(r"\b00\d\b", lesson.lecture)}
    assert cited <= set(LECTURES), cited - set(LECTURES)


def test_the_readme_names_the_same_lectures_and_no_path_outside_the_repository():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "../shared" not in readme
    for number, lecture in LECTURES.items():
        assert f"| {number} | {lecture.title} |" in readme, number


def test_sessions_share_each_languages_pages_built_once(open_page):
    """app.py's 27 st.Page objects are built once per language (not on every rerun of every session); each rerun
    gets copies, so two sessions moving between lessons do not share the page Streamlit lets a rerun run."""
    from nncore.ui import course
    lessons = sum(len(items) for items in app.COURSE.values())
    course._kept.cache_clear()
    first, second = open_page("app.py"), open_page("app.py")
    first.run()
    assert course._kept.cache_info().currsize == lessons          # one language so far: built once, kept
    assert course._kept.cache_info().misses == lessons
    for at in (first, second):
        at.switch_page("pages/softmax_output.py").run()
        assert_clean(at)
        assert at.title[0].value == tr("Softmax output")
    first.switch_page("app.py").run()
    second.run()
    assert_clean(first)
    assert_clean(second)
    assert second.title[0].value == tr("Softmax output")
    other = open_page("app.py", lang="ko" if tr("Course map") == "Course map" else "en")
    assert_clean(other)
    assert course._kept.cache_info().currsize == 2 * lessons      # another language: its own titles
