"""The weight-penalties page in AppTest: both runs at the defaults, the path toggle, plain SGD by default and the
Adam preset's explanation, the lesson's decay convention."""
from __future__ import annotations

from nncore import params
from nncore import regularization as reg
from tests.pages.helpers import assert_both_runs, assert_clean, charts, click_preset, lesson


def test_defaults_render_both_runs_without_errors(open_page):
    assert_both_runs(open_page("pages/weight_penalties.py"), "Weight penalties", 3)


def test_weight_penalties_path_toggle(open_page):
    at = open_page("pages/weight_penalties.py")
    assert any("exactly 0" in i.value for i in at.info)
    at.toggle(key="path").set_value(True).run()
    assert_clean(at)
    assert any("lowest validation loss" in i.value for i in at.info), [i.value for i in at.info]


def test_weight_penalties_default_is_plain_sgd_and_the_adam_preset_says_why_it_differs(open_page):
    at = open_page("pages/weight_penalties.py")
    weights = next(i.value for i in at.info if i.value.startswith("Of the"))
    assert "With SGD, L1's gradient" in weights and "λ = decay/2" in weights and "√v" not in weights
    assert len(charts(at)[2]["data"]) >= 4, "no penalty, L1, L2 and decay"
    click_preset(at, "The same with Adam")
    assert at.selectbox(key="optimizer").value == "adam"
    weights = next(i.value for i in at.info if i.value.startswith("Of the"))
    assert "√v" in weights and "the opposite of plain SGD's picture" in weights, weights
    assert any("The same with Adam" in s.value for s in at.success)


def test_weight_penalties_lesson_gives_the_decay_convention_and_adams_distortion():
    text = lesson("weight_penalties")
    assert "with plain SGD that is the same as L2, with Adam it is not" not in text   # the old, unqualified claim
    assert "**with λ = decay/2**" in text and "gradient is 2λw" in text and "√v" in text and "AdamW" in text
    help_text = params.spec(reg.Config, "weight_decay")["help"]
    assert "λ = decay/2" in help_text
