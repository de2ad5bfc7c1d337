"""The dropout page in AppTest: defaults, the dropout slider changes run B, the expectation table, bad links."""
from __future__ import annotations

from nncore import i18n
from tests.pages.helpers import array, assert_clean, charts, lesson, tr

PAGE = "pages/dropout.py"


def test_defaults_show_both_runs_and_the_expectation_example(open_page):
    at = open_page(PAGE)
    assert_clean(at)
    assert not at.error
    assert [t.value for t in at.title] == [tr("Dropout")]
    figs = charts(at)
    assert len(figs) == 2
    names = [t["name"] for t in figs[0]["data"] if "name" in t]
    b_name = tr("B: {technique}").format(technique=tr("dropout p = {p}").format(p=number(0.5)))
    assert any(tr("A: no dropout") in n for n in names) and any(b_name in n for n in names), names
    assert any("(1 − p)·a" in i.value for i in at.info), [i.value for i in at.info]
    assert len(at.table) == 1


def number(value: float, spec: str = "g") -> str:
    return i18n.number(value, spec, i18n.default_language())


def test_dropout_slider_changes_run_b_only(open_page):
    at = open_page(PAGE)
    before = charts(at)[0]["data"]
    at.slider(key="b_dropout").set_value(0.2).run()
    assert_clean(at)
    after = charts(at)[0]["data"]
    def val(data, who):
        return array(next(t for t in data if t.get("name", "").startswith(who)
                          and t["name"].endswith(tr("{run}: validation").format(run="")))["y"])
    assert (val(before, "A") == val(after, "A")).all()
    assert not (val(before, "B").shape == val(after, "B").shape and (val(before, "B") == val(after, "B")).all())
    assert any(f"p = {number(0.2)}" in t.get("name", "") for t in after)


def test_a_bad_link_falls_back_with_a_notice(open_page):
    at = open_page(PAGE, b_dropout="7", lr="banana")
    assert_clean(at)
    assert at.warning and "'banana'" in at.warning[0].value and tr("Learning rate") in at.warning[0].value


def test_dropout_lesson_quotes_000_and_corrects_004():
    text = lesson("dropout")
    assert "small or easier validation set and k-fold splits" not in text   # the old misquote of 000
    for said in ("k-fold cross-validation", '"hard" cases', '"easy" ones', "check your dropouts",
                 "check your batch size", "002", "too small for its statistics"):
        assert said in text, said
    assert "every forward pass in training" in text and 'not once "in each epoch" as 004 writes' in text
