"""A whole-number control reads a link's number in any spelling; a fraction is refused with a notice."""
from __future__ import annotations

import pytest

from nncore.experiments.weight_init import Config
from tests.pages.helpers import assert_clean, tr

PAGE = "pages/weight_init.py"


@pytest.mark.parametrize("depth, seed", [("12.0", "7.0"), ("1.2e1", "7"), ("12", "7e0")])
def test_a_whole_number_may_be_written_as_a_float_in_a_link(open_page, depth, seed):
    at = open_page(PAGE, depth=depth, seed=seed)
    assert_clean(at)
    assert not at.warning, [w.value for w in at.warning]
    assert at.slider(key="depth").value == 12 and at.number_input(key="seed").value == 7
    assert at.query_params["depth"] == "12" and at.query_params["seed"] == "7"   # the link is mended


def test_a_fraction_for_a_whole_number_falls_back_with_a_notice(open_page):
    at = open_page(PAGE, depth="12.5")
    assert_clean(at)
    bad = tr("{label} cannot be {text}.").format(label=tr("Layers"), text="'12.5'")
    assert any(bad in w.value for w in at.warning), [w.value for w in at.warning]
    assert at.slider(key="depth").value == Config().depth
