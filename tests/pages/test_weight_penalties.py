"""The weight-penalties page in AppTest: both runs at the defaults, the path toggle, plain SGD by default and the
Adam preset's explanation, the lesson's decay convention."""
from __future__ import annotations

from nncore import params
from nncore import regularization as reg
from tests.pages.helpers import assert_both_runs, assert_clean, charts, click_preset, fields, lesson, tr

FACTS = "Of the {n} weights, {runs}."
ADAM_BELOW = ("{opt} divides every gradient, the penalty's too, by √v, the running RMS of that weight's own gradients: a "
              "weight the data barely uses feels mostly the penalty and steps up to lr toward 0 whatever λ, a weight with "
              "large data gradients has a large √v and hardly feels it. So L2 no longer shrinks every weight in "
              "proportion: its median |w| ({l2}) is below L1's ({l1}), the opposite of plain SGD's picture.")
SGD_SAME = ("Decoupled decay multiplies every weight by 1 − lr·decay = {factor} each step: with plain SGD that is "
            "exactly L2 with λ = decay/2 = {half} (median {decayed} against {l2}).")


def weights_notice(at) -> str:
    return next(i.value for i in at.info if fields(tr(FACTS), i.value))


def test_defaults_render_both_runs_without_errors(open_page):
    assert_both_runs(open_page("pages/weight_penalties.py"), tr("Weight penalties"), 3)


def test_weight_penalties_path_toggle(open_page):
    at = open_page("pages/weight_penalties.py")
    assert weights_notice(at)
    at.toggle(key="path").set_value(True).run()
    assert_clean(at)
    path = [tr("The lowest validation loss, {best}, comes at λ = {lam} (without a penalty: {base}); at λ = {strong} the "
               "training loss is {train} and the validation loss {val}" + end) for end in (".", ": both rose, too strong "
                                                                                       "a penalty underfits.")]
    assert any(fields(m, i.value) for m in path for i in at.info), [i.value for i in at.info]


def test_weight_penalties_default_is_plain_sgd_and_the_adam_preset_says_why_it_differs(open_page):
    at = open_page("pages/weight_penalties.py")
    weights = weights_notice(at)
    assert fields(tr(SGD_SAME), weights) and "√v" not in weights, weights
    assert len(charts(at)[2]["data"]) >= 4, "no penalty, L1, L2 and decay"
    click_preset(at, tr("The same with Adam"))
    assert at.selectbox(key="optimizer").value == "adam"
    weights = weights_notice(at)
    assert "√v" in weights and fields(tr(ADAM_BELOW), weights), weights
    assert any(tr("The same with Adam") in s.value for s in at.success)


def test_weight_penalties_lesson_gives_the_decay_convention_and_adams_distortion():
    text = lesson("weight_penalties")
    assert "with plain SGD that is the same as L2, with Adam it is not" not in text   # the old, unqualified claim
    assert "**with λ = decay/2**" in text and "gradient is 2λw" in text and "√v" in text and "AdamW" in text
    help_text = params.spec(reg.Config, "weight_decay")["help"]
    assert "λ = decay/2" in help_text
