"""The activation-functions page in AppTest: each chosen activation and its slides, a changed selection, a
negative alpha and an empty selection, bad links."""
from __future__ import annotations

import numpy as np
import pytest

from nncore.experiments import activation_functions
from nncore.activations import ACTIVATIONS
from tests.pages.helpers import array, assert_clean, charts, says, tr
from tests.pages.helpers import legend as names

EXPLORER = "pages/activation_functions.py"


def test_explorer_defaults_draw_each_activation_and_its_slides(open_page):
    at = open_page(EXPLORER)
    assert_clean(at)
    assert not at.error
    values, slopes = charts(at)
    default = activation_functions.Config().activations
    assert len(names(values)) == len(default) and "Sigmoid" in names(values)
    sigmoid = array(slopes["data"][0]["y"])
    assert sigmoid.max() == pytest.approx(0.25, abs=1e-3)
    assert len(at.info) == 2 and "Sigmoid" in at.info[1].value
    assert tr("Squashes numbers to the range [0, 1]") in " ".join(m.value for m in at.markdown)


def test_explorer_changing_the_selection_changes_the_charts(open_page):
    at = open_page(EXPLORER)
    at.multiselect(key="activations").set_value(["relu", "maxout"]).run()
    assert_clean(at)
    values, _ = charts(at)
    assert names(values) == ["ReLU", "Maxout"]
    assert at.slider(key="maxout_k").value == 2
    at.slider(key="maxout_k").set_value(5).run()
    trace = charts(at)[0]["data"][1]
    at_zero = array(trace["y"])[np.argmin(np.abs(array(trace["x"])))]
    assert at_zero == pytest.approx(np.log(2), abs=1e-3)              # 5 pieces: tangents of softplus; ReLU gives 0


def test_explorer_negative_alpha_is_explained_and_an_empty_selection_is_a_message(open_page):
    at = open_page(EXPLORER)
    at.button(key="preset.Negative α").click().run()
    assert_clean(at)
    assert any(tr(ACTIVATIONS["leaky_relu"].param_notes["alpha"]) in w.value for w in at.warning)
    assert any(says(i.value, "{name} is not monotonic here (its slope is {slope} for x < 0): a larger input can give a "
                    "smaller output.", name="Leaky ReLU") for i in at.info)
    at.multiselect(key="activations").set_value([]).run()
    assert_clean(at)
    assert [e.value for e in at.error] == [tr("Pick at least one activation function to draw.")]


def test_explorer_bad_link_values_fall_back_with_a_notice(open_page):
    at = open_page(EXPLORER, maxout_k="1", activations="maxout", threshold="banana")
    assert_clean(at)
    # the link notice's wording is the shared layer's: the bad value and the field's label
    assert at.warning and "banana" in at.warning[0].value and tr("Saturation threshold") in at.warning[0].value
    assert len(charts(at)) == 2
