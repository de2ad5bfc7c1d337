"""The softmax-output page in AppTest: the temperature changes the probabilities; where the scores come from."""
from __future__ import annotations

import numpy as np
import pytest

from tests.pages.helpers import array, assert_clean, charts, says

SOFTMAX = "pages/softmax_output.py"


def test_softmax_page_temperature_changes_the_probabilities(open_page):
    at = open_page(SOFTMAX)
    assert_clean(at)
    bars, losses = charts(at)
    p1 = array(bars["data"][0]["y"])
    assert p1.sum() == pytest.approx(1.0) and np.argmax(p1) == 1      # car wins at the default scores
    at.button(key="preset.Hot (T = 5)").click().run()
    assert_clean(at)
    p5 = array(charts(at)[0]["data"][0]["y"])
    assert p5.max() < p1.max() and np.argmax(p5) == 1
    assert says(at.info[0].value, "At T = 1 the top probability would be {p}: T = {t} flattens the distribution but "
                "never changes the ranking.", t=5), at.info[0].value


def test_softmax_scores_are_credited_to_cs231n_not_to_001(open_page):
    at = open_page(SOFTMAX)                                  # the defaults are the cat image preset
    banner = " ".join(s.value for s in at.success)
    assert "cs231n's cat/car/frog example (not in the decks)" in banner
    assert "(001 EXTRAS 'Softmax')" not in banner
