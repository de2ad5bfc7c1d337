"""The loss-curve page in AppTest: a gallery card with both runs, the dropout card's k-fold check, a pathology chosen
by its control, the quiz's question, answer, reveal and score, and hostile links (a quiz answer outside the options,
a bad question, mode)."""
from __future__ import annotations

from nncore.experiments import loss_curves as lc
from tests.pages.helpers import array, assert_clean, charts

PAGE = "pages/loss_curves.py"


def test_gallery_card_shows_the_faulty_and_the_fixed_run(open_page):
    at = open_page(PAGE, pathology="nan", seed="0")
    assert_clean(at)
    assert [t.value for t in at.title] == ["Reading the loss curve"]
    faulty, fixed = charts(at)
    r = lc.run(lc.Config("nan", 0))
    loss = array(next(t for t in faulty["data"] if t["name"] == "training loss")["y"])
    assert (loss[: r.faulty.diverged_at - 1] == r.faulty.train_loss[: r.faulty.diverged_at - 1]).all()
    assert "Fixed" in fixed["layout"]["title"]["text"]
    assert any("inf/NaN at epoch" in i.value for i in at.info)
    assert any("The fault." in m.value for m in at.markdown)


def test_choosing_another_pathology_shows_its_card(open_page):
    at = open_page(PAGE)
    at.selectbox(key="pathology").set_value("no_shuffle").run()
    assert_clean(at)
    assert any(s.value == lc.PATHOLOGIES["no_shuffle"].label for s in at.subheader)
    assert charts(at)[0]["layout"]["xaxis"]["title"]["text"] == "optimizer step (batch)"


def test_quiz_answer_reveals_the_fixed_run_and_scores(open_page):
    keys = list(lc.PATHOLOGIES)
    at = open_page(PAGE, mode="Quiz", q="2")          # question 2: the third pathology, seed 1
    assert_clean(at)
    assert len(charts(at)) == 1 and charts(at)[0]["layout"]["title"]["text"] == "Which fault made this curve?"
    assert "0 of 0" in at.caption[-1].value
    at.radio(key="quiz_2").set_value(keys[2]).run()
    assert_clean(at)
    assert at.success and "Right" in at.success[0].value
    assert len(charts(at)) == 3                          # the question and the card's faulty and fixed runs
    assert "1 of 1" in at.caption[-1].value


def test_a_wrong_quiz_answer_says_so(open_page):
    at = open_page(PAGE, mode="Quiz", q="0", answer="overfitting")
    assert_clean(at)
    assert any("Not quite" in e.value for e in at.error)
    assert "0 of 1" in at.caption[-1].value


def test_hostile_quiz_links_get_a_clear_message(open_page):
    at = open_page(PAGE, mode="Quiz", q="banana", answer="rm -rf")
    assert_clean(at)
    assert any("not a number" in w.value for w in at.warning)
    assert any("not one of the diagnoses" in e.value for e in at.error)
    assert len(charts(at)) == 1                          # a fresh question, no reveal


def test_a_bad_mode_or_pathology_falls_back(open_page):
    at = open_page(PAGE, mode="Exam", pathology="cosmic_rays")
    assert_clean(at)
    assert at.warning and len(charts(at)) == 2


def test_the_dropout_card_shows_the_k_fold_check_from_its_run(open_page):
    at = open_page(PAGE, pathology="val_above_train", seed="0")
    assert_clean(at)
    faulty, fixed, folds = charts(at)
    r = lc.run(lc.Config("val_above_train", 0))
    train_mode = array(next(t for t in folds["data"] if "train mode" in t["name"])["y"])
    assert (train_mode == [f.train_mode for f in r.folds]).all() and len(train_mode) == lc.FOLDS
    assert "only while dropout is on" in folds["layout"]["title"]["text"]
    assert any(i.value == lc.notice_kfold(r) for i in at.info)
