"""Instructor links (nncore.ui.classroom): what a link hides is not drawn, a hidden control still takes its value from
the link, an unknown name hides nothing; the share panel and presentation mode on the course map; presentation
mode's slides (one chart and its notice per screen, in the link, built and sent alone)."""
from __future__ import annotations

from bench.slides import opened
from nncore import i18n
from nncore.ui import classroom, text
from tests.pages.helpers import assert_clean, charts, legend, tr

DROPOUT = "pages/dropout.py"
# the intro's first words, as the page shows them in the suite's language ("Dropout zeroes each hidden unit")
INTRO = text._sections("dropout", i18n.default_language())[""].split("\n")[0][:30]


def _text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_a_hidden_control_is_not_drawn_and_takes_its_value_from_the_link(open_page):
    at = open_page(DROPOUT, hide="b_dropout,intro", b_dropout="0.3")
    assert_clean(at)
    assert "b_dropout" not in [s.key for s in at.slider]
    validation = tr("{run}: validation").format(run="")      # "B: dropout p = 0.3: validation", language-free parts
    p = i18n.number(0.3, "g", i18n.default_language())
    assert any(n.startswith("B") and f"p = {p}" in n and n.endswith(validation) for n in legend(charts(at)[0]))
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
    keys = tr(classroom.KEYS_CAPTION).split("**")[0]   # ":material/keyboard: Keys: "
    at = open_page("app.py", present="1")
    assert any(keys in c.value for c in at.caption)
    assert any("nnAnimationKeys" in h.proto.body and h.proto.unsafe_allow_javascript for h in at.get("html"))
    at = open_page("app.py")
    assert not any(keys in c.value for c in at.caption)
    assert not any("nnAnimationKeys" in h.proto.body for h in at.get("html"))
    at = open_page("pages/lr_finder.py", present="1", reveal="1")
    assert_clean(at)
    assert at.button(key="apply").proto.shortcut.upper() == "G"
    assert not open_page("pages/lr_finder.py", reveal="1").button(key="apply").proto.shortcut


# --- presentation mode's slides: one experiment per screen ---------------------------------------------------------

def open_slides(page: str, **query: str):
    """The page through app.py's slides (bench.slides.deck: AppTest cannot open app.py's pages by a link)."""
    return opened(page, **{"present": "1", **query})


def _titles(at) -> list[str]:
    return [fig["layout"]["title"]["text"] for fig in charts(at)]


def _slide(at) -> str | None:
    value = at.query_params.get("slide")
    return value[0] if isinstance(value, list) else value


def test_a_slide_link_shows_exactly_its_chart_and_its_notice(open_page):
    full = open_page(DROPOUT, reveal="1")
    notice = full.info[0].value                                   # the curves' notice
    first = open_slides(DROPOUT)
    assert_clean(first)
    assert not charts(first) and notice not in [i.value for i in first.info]
    assert INTRO in _text(first) and "b_dropout" in [s.key for s in first.slider]   # the setup screen
    for k, title in enumerate(_titles(full), start=1):
        at = open_slides(DROPOUT, slide=str(k))
        assert_clean(at)
        assert _titles(at) == [title]
        assert (notice in [i.value for i in at.info]) == (k == 1)
        assert any(tr("**Chart {k} of {n}**").format(k=k, n=2) == m.value for m in at.markdown)


def test_next_and_previous_move_between_slides_and_write_the_link():
    at = open_slides(DROPOUT)
    assert at.button(key="_slide_back").disabled
    assert at.button(key="_slide_next").proto.shortcut.lower() == "pagedown"
    at.button(key="_slide_next").click().run()
    assert _slide(at) == "1" and len(charts(at)) == 1
    at.button(key="_slide_next").click().run()
    assert _slide(at) == "2" and at.button(key="_slide_next").disabled
    at.button(key="_slide_back").click().run()
    at.button(key="_slide_back").click().run()
    assert _slide(at) is None and not charts(at)                  # the first screen: no slide in the link


def test_a_slide_beyond_the_last_chart_shows_the_last_one():
    at = open_slides(DROPOUT, slide="99")
    assert_clean(at)
    assert _slide(at) == "2" and len(charts(at)) == 1 and not at.warning


def test_a_hostile_slide_gets_the_link_notice_and_the_first_screen():
    for bad in ("-1", "2.5", "<script>alert(1)</script>", "1e9999", "９"):
        at = open_slides(DROPOUT, slide=bad)
        assert_clean(at)
        assert not charts(at) and _slide(at) is None
        assert "slide" in at.warning[0].value and at.warning[0].proto.icon == ":material/link_off:"


def test_a_hidden_chart_is_no_slide_and_outside_presentation_mode_there_are_none(open_page):
    at = open_slides(DROPOUT, hide="curves", slide="1")
    assert _titles(at) == [_titles(open_page(DROPOUT, reveal="1"))[1]]    # the fits, now the only slide
    assert at.button(key="_slide_next").disabled
    at = open_slides(DROPOUT, present="0", slide="1")
    assert len(charts(at)) == 2 and "_slide_next" not in [b.key for b in at.button]


def test_a_slide_builds_only_its_own_figure(monkeypatch):
    from nncore.ui import store, text
    monkeypatch.setattr(text, "FIGURES", store.MemoryStore(2**26))   # no figure built yet
    at = open_slides(DROPOUT, slide="2")
    assert_clean(at)
    assert [key.split("'")[1].rsplit(".", 1)[1] for key in text.FIGURES._items] == ["fits"]


def test_the_share_panels_link_keeps_the_slide_in_presentation_mode_only():
    from streamlit.testing.v1 import AppTest

    def links():
        import streamlit as st

        from nncore.ui import classroom
        query = {"seed": ["1"], "slide": ["2"], "present": ["1"]}
        st.text(classroom.link(query, [], present=True))
        st.text(classroom.link(query, [], present=False))
    at = AppTest.from_function(links).run()
    shown, plain = (t.value for t in at.text)
    assert "slide=2" in shown and "present=1" in shown
    assert "slide" not in plain and "present" not in plain and "seed=1" in plain
