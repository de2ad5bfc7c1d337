"""The dead-ReLU page in AppTest (a few epochs through its URL, as a shared link would): init and training."""
from __future__ import annotations

from tests.pages.helpers import array, assert_clean, charts, says
from tests.pages.helpers import legend as names

DEAD = "pages/dead_relu.py"
QUICK = dict(epochs="3")


def test_dead_relu_page_shows_init_and_training(open_page):
    at = open_page(DEAD, **QUICK)
    assert_clean(at)
    bias, training = charts(at)
    assert names(bias) == ["ReLU", "Leaky ReLU", "ELU"]
    relu = array(bias["data"][0]["y"])
    assert relu[0] > 0.9 and array(bias["data"][1]["y"]).max() == 0  # bias -3: ReLU dead; Leaky ReLU never
    assert says(at.info[0].value, "Dead at initialization — {runs}."), at.info[0].value
