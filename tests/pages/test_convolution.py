"""The convolution page in AppTest: both parts at their defaults, the kernel changing the output size, 001's preset,
a layer that cannot be built as one clear message, hostile links, and the shift chart quoting its run."""
from __future__ import annotations

import numpy as np
import pytest

from nncore.experiments.convolution import shift
from tests.pages.helpers import array, assert_clean, assert_preset_runs, charts, tr

PAGE = "pages/convolution.py"
N_CHARTS = 7


def _metric(at) -> str:
    return at.metric[0].value


def _infos(at) -> str:
    return " ".join(i.value for i in at.info)


def test_defaults_render_both_parts_with_the_runs_numbers(open_page):
    at = open_page(PAGE)
    assert_clean(at)
    assert not at.error
    figs = charts(at)
    assert len(figs) == N_CHARTS
    assert _metric(at) == "5 x 5 x 1"                              # 001's 3x3 over 7x7
    assert len(figs[0]["frames"]) == 25                            # one frame per output position
    r = shift.run(shift.Config())
    np.testing.assert_allclose(array(figs[4]["data"][0]["y"]), r.accuracy[0])
    assert shift.notice_shift(r) in _infos(at)


def test_the_kernel_changes_the_output_size_and_the_animation(open_page):
    at = open_page(PAGE)
    at.slider(key="kernel").set_value(5).run()
    assert_clean(at)
    assert _metric(at) == "3 x 3 x 1"
    assert len(charts(at)[0]["frames"]) == 9
    assert "(7 - 5 + 2·0)/1 + 1 = 3" in _infos(at)


def test_001s_preset_gives_28x28x6(open_page):
    at = open_page(PAGE)
    assert_preset_runs(at, "preset.001: 32x32x3, six 5x5 filters", "32x32x3")
    assert _metric(at) == "28 x 28 x 6"
    assert "456" in _infos(at)


def test_a_kernel_larger_than_the_padded_input_is_one_clear_message(open_page):
    at = open_page(PAGE, size="4", kernel="7")
    assert_clean(at)
    assert [e.value for e in at.error] == [tr(
        "The kernel spans {span} pixels but the padded input has only {padded} ({size} + 2 x {padding} padding): use a "
        "smaller kernel or dilation, or more padding.").format(span=7, padded=4, size=4, padding=0)]
    assert not charts(at)


@pytest.mark.parametrize("query", [dict(stride="0"), dict(stride="-2"), dict(kernel="abc"), dict(size="1e9"),
                                   dict(padding="nan"), dict(dilation="inf"), dict(pool="0"), dict(sh_kernel="99"),
                                   dict(sh_epochs="0"), dict(sh_lr="-1"), dict(sh_filters="2.5")])
def test_a_hostile_link_falls_back_with_a_notice(open_page, query):
    at = open_page(PAGE, **query)
    assert_clean(at)
    assert len(charts(at)) == N_CHARTS
    assert at.warning, "the unusable value is named on the page"


def test_an_even_cnn_kernel_in_a_link_is_a_sentence(open_page):
    at = open_page(PAGE, sh_kernel="4")
    assert_clean(at)
    odd = tr("The kernel size must be odd (1, 3 or 5) so that the maps stay on the digits' 8x8 grid (got {kernel}).")
    assert any(odd.format(kernel=4) in e.value for e in at.error) or at.warning


def test_a_link_opens_its_state(open_page):
    at = open_page(PAGE, stride="2", padding="1", size="9")
    assert_clean(at)
    assert (at.session_state["stride"], at.session_state["padding"], at.session_state["size"]) == (2, 1, 9)
    assert _metric(at) == "5 x 5 x 1"                              # (9 - 3 + 2)/2 + 1
