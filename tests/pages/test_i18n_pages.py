"""Every page of the course in every language (AppTest, ?lang=): no exception, a title; and a language switch is
text only: the same run (the same Result object, no new computation), the figures rebuilt once per language.

Cheap by construction: runs are cached per process (the first language computes a page's runs, the others reuse
them) and the question step is off in tests (tests/conftest.py), so each case is one warm render."""
from __future__ import annotations

from pathlib import Path

import pytest

import app
from nncore.ui import export, i18n, runner, store, text
from tests.pages.helpers import assert_clean, charts

LESSONS = [lesson for lessons in app.COURSE.values() for lesson in lessons]


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.url_path for lesson in LESSONS])
def test_every_page_renders_in_every_language(open_page, lesson, lang):
    at = open_page(lesson.file, lang=lang)
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    titles = [t.value for t in at.title]
    assert len(titles) == 1 and titles[0].strip(), f"{Path(lesson.file).stem} in {lang}: title {titles}"
    if lang != i18n.DEFAULT:   # the page speaks it: its intro is the language's file where there is one
        assert at.markdown[0].value == text._sections(lesson.url_path, lang)[""]
    runs = at.session_state["_page_runs"].values() if "_page_runs" in at.session_state else ()
    assert runs and all(export.plain(fn, cfg) for fn, cfg in runs), \
        f"{lesson.url_path}: a run at the defaults without its plain PyTorch snippet (assets/snippets/)"


@pytest.fixture
def counted(monkeypatch):
    """What a rerun did: runs computed, Result objects handed to the page, figures built (ui.figure misses)."""
    seen = {"computed": 0, "results": [], "built": []}
    compute, remember, keep = runner._compute, runner._remember, text._keep

    def counting_compute(fn, *args):
        seen["computed"] += 1
        return compute(fn, *args)

    def recording_remember(key, result):   # every result the runner hands a page, from the store or computed
        seen["results"].append(result)
        return remember(key, result)

    def recording_keep(key, built):
        seen["built"].append(key)
        return keep(key, built)
    monkeypatch.setattr(runner, "_compute", counting_compute)
    monkeypatch.setattr(runner, "_remember", recording_remember)
    monkeypatch.setattr(text, "_keep", recording_keep)

    def reset():
        seen.update(computed=0, results=[], built=[])
        return seen
    return reset


@pytest.mark.parametrize("page", ["pages/weight_init.py", "pages/dropout.py"])
def test_a_language_switch_keeps_the_run_and_rebuilds_only_the_figures(open_page, counted, monkeypatch, page):
    # an empty figure cache: the other tests of this process built these pages' figures in every language already
    monkeypatch.setattr(text, "FIGURES", store.MemoryStore(text.FIGURES.max_bytes))
    at = open_page(page)
    before = counted()
    at.run()   # a warm rerun in the page's language: nothing computed, nothing built
    results = list(before["results"])
    assert results and before["computed"] == 0 and before["built"] == []
    data = [trace.get("y") for fig in charts(at) for trace in fig["data"]]
    for lang in [lang for lang in i18n.LANGUAGES if lang != i18n.default_language()]:
        seen = counted()
        at.query_params[i18n.KEY] = lang
        at.run()
        assert_clean(at)
        assert seen["computed"] == 0, f"{lang}: a language switch ran the experiment again"
        assert [id(r) for r in seen["results"]] == [id(r) for r in results], f"{lang}: not the same Result objects"
        assert [runner.key_of(r) for r in seen["results"]] == [runner.key_of(r) for r in results]
        assert seen["built"] and all(repr(lang) in key for key in seen["built"]), f"{lang}: no figure in its words"
        assert [trace.get("y") for fig in charts(at) for trace in fig["data"]] == data, f"{lang}: other numbers"
    seen = counted()
    del at.query_params[i18n.KEY]   # back to the first language: its figures are still cached
    at.run()
    assert seen["computed"] == 0 and seen["built"] == []
