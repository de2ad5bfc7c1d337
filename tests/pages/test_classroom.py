"""Instructor links (nncore.ui.classroom): what a link hides is not drawn, a hidden control still takes its value from
the link, an unknown name hides nothing; the share panel and presentation mode on the course map."""
from __future__ import annotations

from tests.pages.helpers import assert_clean, charts, legend

DROPOUT = "pages/dropout.py"
INTRO = "Dropout zeroes each hidden unit"


def _text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_a_hidden_control_is_not_drawn_and_takes_its_value_from_the_link(open_page):
    at = open_page(DROPOUT, hide="b_dropout,intro", b_dropout="0.3")
    assert_clean(at)
    assert "b_dropout" not in [s.key for s in at.slider]
    assert "B: dropout p = 0.3: validation" in legend(charts(at)[0])
    assert INTRO not in _text(at)
    assert at.query_params["b_dropout"] in ("0.3", ["0.3"])


def test_hide_controls_and_text_leaves_the_charts_and_their_notices(open_page):
    shown = open_page(DROPOUT)
    at = open_page(DROPOUT, hide=["controls", "text"])
    assert_clean(at)
    assert [s.key for s in at.slider] == ["example_p"]       # not one of ui.controls: the page's own example
    assert not at.button and not at.caption
    assert INTRO not in _text(at)
    assert len(charts(at)) == len(charts(shown)) and len(at.info) == len(shown.info)


def test_a_hidden_chart_goes_with_its_notice_and_unknown_names_hide_nothing(open_page):
    shown = open_page(DROPOUT)
    at = open_page(DROPOUT, hide="curves,no-such-part,<script>")
    assert_clean(at)
    assert len(charts(at)) == len(charts(shown)) - 1
    assert len(at.info) == len(shown.info) - 1
    assert INTRO in _text(at)


def test_the_share_panel_writes_the_current_link_with_the_chosen_hides(open_page):
    at = open_page("app.py", present="1", hide="text")
    assert_clean(at)
    assert any("font-size: 20px" in h.proto.body for h in at.get("html"))
    link = at.sidebar.code[0].value
    assert "hide=text" in link and "present=1" in link
    at.sidebar.multiselect(key="_share_hide").select("controls").run()
    at.sidebar.toggle(key="_share_present").set_value(False).run()
    link = at.sidebar.code[0].value
    assert "hide=text%2Ccontrols" in link or "hide=text,controls" in link
    assert "present" not in link


def test_presentation_mode_lists_its_keys_and_gives_run_buttons_theirs(open_page):
    at = open_page("app.py", present="1")
    assert any("Keys:" in c.value for c in at.caption)
    assert any("nnAnimationKeys" in h.proto.body and h.proto.unsafe_allow_javascript for h in at.get("html"))
    at = open_page("app.py")
    assert not any("Keys:" in c.value for c in at.caption)
    assert not any("nnAnimationKeys" in h.proto.body for h in at.get("html"))
    at = open_page("pages/lr_finder.py", present="1", reveal="1")
    assert_clean(at)
    assert at.button(key="apply").proto.shortcut.upper() == "G"
    assert not open_page("pages/lr_finder.py", reveal="1").button(key="apply").proto.shortcut

