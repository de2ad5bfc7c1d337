"""The loss-curve gallery's cards and its quiz: an unlabeled curve from a fresh seed, the student's diagnosis, the
reveal with the fixed run, and a score for the session (st.session_state). The question and the answer are in the
URL (q, answer), so a link shows the same curve; an answer that is none of the options is a message."""
from __future__ import annotations

import secrets

import streamlit as st

from nncore import viz
from nncore.experiments import loss_curves as lc
from nncore.ui.classroom import run_key
from nncore.ui.i18n import N_, _
from nncore.ui.runner import run
from nncore.ui.text import chart, figure, notice


MODES = [N_("Gallery"), N_("Quiz")]      # the link writes the English name; the control shows _(name)


def curve(c: lc.Curves, title: str, view: str, chance: float):
    """The figure of one run, in the card's view (per epoch, or each batch's loss)."""
    return figure(viz.step_loss, c, title) if view == "step" else figure(viz.loss_curve, c, title, chance)


def card(r: lc.Result, key: str) -> None:
    """A card: the faulty curve and the fixed one side by side, the fault, why it looks so, the fix."""
    entry = lc.PATHOLOGIES[r.config.pathology]
    st.subheader(_(entry.label))
    left, right = st.columns(2)
    with left:
        chart(curve(r.faulty, _("Faulty: {pathology}?").format(pathology=_(entry.label)), entry.view, r.chance_loss),
              f"{key}_faulty")
    with right:
        chart(curve(r.fixed, _("Fixed: the same run with the fault removed"), entry.view, r.chance_loss),
              f"{key}_fixed")
    st.markdown(_("**The fault.** {fault}").format(fault=_(entry.fault)) + "\n\n"
                + _("**Why the curve looks like this.** {why}").format(why=_(entry.why)) + "\n\n"
                + _("**The fix.** {fix}").format(fix=_(entry.fix)))
    st.caption(_(":material/menu_book: Lecture: {ref}").format(ref=entry.lecture))
    notice(lc.notice(r))
    if r.folds:
        chart(figure(viz.kfold_accuracy, r.folds), f"{key}_kfold", lc.notice_kfold(r))


def _question() -> int:
    """The question number from the link, or a fresh one (an unusable link value: a notice and a fresh one)."""
    text = st.query_params.get("q")
    if text is not None:
        try:
            lc.quiz_config(int(text))
            return int(text)
        except ValueError:
            st.warning(_("The link's quiz question {text} is not a number from 0 to {most}: here is a new one.").format(
                text=repr(text), most=lc.MAX_SEED))
    q = secrets.randbelow(10**6)
    st.query_params["q"] = str(q)
    return q


def _answer() -> str | None:
    """The answer in the link, if it is one of the options; otherwise a clear message and no answer."""
    text = st.query_params.get("answer")
    if text is None or text in lc.PATHOLOGIES:
        return text
    st.error(_("The link's answer {text} is not one of the diagnoses below: pick one of them.").format(text=repr(text)))
    del st.query_params["answer"]
    return None


def _next() -> None:
    st.query_params["q"] = str(secrets.randbelow(10**6))
    st.query_params.pop("answer", None)


def mode() -> str:
    """Gallery or Quiz, bound to the URL (an unknown mode in the link: a notice and the gallery)."""
    if (text := st.query_params.get("mode")) is not None and text not in MODES:
        st.warning(_("The link's mode {text} is not one of {modes}: showing the gallery.").format(
            text=repr(text), modes=", ".join(MODES)))
        del st.query_params["mode"]
    return st.segmented_control(_("Mode"), MODES, default=MODES[0], key="mode", bind="query-params",
                                format_func=_) or MODES[0]


def quiz() -> None:
    """One question: the unlabeled faulty curve, the choice of diagnosis, then the reveal and the session's score."""
    q = _question()
    cfg = lc.quiz_config(q)
    answer = _answer()
    r = run(lc.run, cfg)
    entry = lc.PATHOLOGIES[cfg.pathology]
    chart(curve(r.faulty, _("Which fault made this curve?"), entry.view, r.chance_loss), "quiz_curve")
    keys = list(lc.PATHOLOGIES)
    choice = st.radio(_("Your diagnosis"), keys, index=keys.index(answer) if answer else None, key=f"quiz_{q}",
                      format_func=lambda k: _(lc.PATHOLOGIES[k].label))
    score = st.session_state.setdefault("loss_quiz_score", {})
    if choice is not None:
        st.query_params["answer"] = choice
        right = lc.check_answer(cfg, choice)
        score.setdefault(q, right)   # the first answer to a question counts
        verdict = _("Right: this run had **{pathology}**.") if right else \
            _("Not quite: this run had **{pathology}**.")
        (st.success if right else st.error)(verdict.format(pathology=_(entry.label)), icon=":material/quiz:")
        card(r, "quiz_reveal")
    st.button(_("Next curve"), on_click=_next, icon=":material/skip_next:", shortcut=run_key())
    st.caption(_("Score this session: {right} of {answered} answered right.").format(right=sum(score.values()),
                                                                                     answered=len(score)))
