"""A/B pages: a link's depth or width that the sliders cannot show falls back to the page's default, with a notice."""
from __future__ import annotations

from tests.pages.helpers import assert_clean, tr


def test_an_unusable_width_or_depth_in_a_link_is_named_and_replaced_by_the_default(open_page):
    at = open_page("pages/capacity.py", a_width="9999", b_depth="0")
    assert_clean(at)
    warnings = " ".join(w.value for w in at.warning)
    assert tr("Units per hidden layer must be one of {widths} (got {width}).").format(
        widths="1, 2, 4, 8, 16, 32, 64, 128, 256, 512", width=9999) in warnings
    assert tr("Hidden layers must be between 1 and {most} (got {depth}).").format(most=6, depth=0) in warnings
    assert at.select_slider(key="a_width").value == 2 and at.slider(key="b_depth").value == 2   # the page's nets


def test_a_usable_width_in_a_link_is_taken_without_a_notice(open_page):
    at = open_page("pages/capacity.py", a_width="16")
    assert_clean(at)
    assert not at.warning and at.select_slider(key="a_width").value == 16
