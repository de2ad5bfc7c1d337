"""The loss-curve page in AppTest: a gallery card with both runs, the dropout card's k-fold check, a pathology chosen
by its control, the quiz's question, answer, reveal and score, and hostile links (a quiz answer outside the options,
a bad question, mode)."""
from __future__ import annotations

from nncore.experiments import loss_curves as lc
from tests.pages.helpers import array, assert_clean, charts, tr

PAGE = "pages/loss_curves.py"


def test_gallery_card_shows_the_faulty_and_the_fixed_run(open_page):
    at = open_page(PAGE, pathology="nan", seed="0")
    assert_clean(at)
    assert [t.value for t in at.title] == [tr("Reading the loss curve")]
    faulty, fixed = charts(at)
    r = lc.run(lc.Config("nan", 0))
    loss = array(next(t for t in faulty["data"] if t["name"] == tr("training loss"))["y"])
    assert (loss[: r.faulty.diverged_at - 1] == r.faulty.train_loss[: r.faulty.diverged_at - 1]).all()
    assert fixed["layout"]["title"]["text"].replace("<br>", " ") == tr("Fixed: the same run with the fault removed")
    assert any(lc._summary(r.faulty) in i.value for i in at.info)       # "inf/NaN at epoch ..." in the run's words
    assert any(tr("**The fault.** {fault}").format(fault=tr(lc.PATHOLOGIES["nan"].fault)) in m.value
               for m in at.markdown)


def test_choosing_another_pathology_shows_its_card(open_page):
    at = open_page(PAGE)
    at.selectbox(key="pathology").set_value("no_shuffle").run()
    assert_clean(at)
    assert any(s.value == tr(lc.PATHOLOGIES["no_shuffle"].label) for s in at.subheader)
    assert charts(at)[0]["layout"]["xaxis"]["title"]["text"] == tr("optimizer step (batch)")


def test_quiz_answer_reveals_the_fixed_run_and_scores(open_page):
    keys = list(lc.PATHOLOGIES)
    at = open_page(PAGE, mode="Quiz", q="2")          # question 2: the third pathology, seed 1
    assert_clean(at)
    assert len(charts(at)) == 1 and charts(at)[0]["layout"]["title"]["text"] == tr("Which fault made this curve?")
    score = tr("Score this session: {right} of {answered} answered right.")
    assert at.caption[-1].value == score.format(right=0, answered=0)
    at.radio(key="quiz_2").set_value(keys[2]).run()
    assert_clean(at)
    assert at.success and at.success[0].value == tr("Right: this run had **{pathology}**.").format(
        pathology=tr(lc.PATHOLOGIES[keys[2]].label))
    assert len(charts(at)) == 3                          # the question and the card's faulty and fixed runs
    assert at.caption[-1].value == score.format(right=1, answered=1)


def test_a_wrong_quiz_answer_says_so(open_page):
    at = open_page(PAGE, mode="Quiz", q="0", answer="overfitting")
    assert_clean(at)
    assert any(e.value == tr("Not quite: this run had **{pathology}**.").format(
        pathology=tr(lc.PATHOLOGIES["not_learning"].label)) for e in at.error)
    assert at.caption[-1].value == tr("Score this session: {right} of {answered} answered right.").format(
        right=0, answered=1)


def test_hostile_quiz_links_get_a_clear_message(open_page):
    at = open_page(PAGE, mode="Quiz", q="banana", answer="rm -rf")
    assert_clean(at)
    assert any("'banana'" in w.value and str(lc.MAX_SEED) in w.value for w in at.warning)
    assert any(e.value == tr("The link's answer {text} is not one of the diagnoses below: pick one of them.").format(
        text="'rm -rf'") for e in at.error)
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
    train_mode = array(next(t for t in folds["data"] if t["name"] == tr("training, train mode (dropout on)"))["y"])
    assert (train_mode == [f.train_mode for f in r.folds]).all() and len(train_mode) == lc.FOLDS
    assert folds["layout"]["title"]["text"].replace("<br>", " ") == tr("Is validation above training on every split, or only while dropout "
                                                 "is on?")
    assert any(i.value == lc.notice_kfold(r) for i in at.info)
