"""The activation lessons in AppTest: defaults, the main controls, presets, bad links and bad input.

The training pages (race, dead ReLUs) are opened with few epochs through their URL, as a shared link would."""
from __future__ import annotations

import numpy as np
import pytest

from nncore.experiments import activation_functions
from nncore.experiments.gradient_flow import depth as gradient_depth
from tests.pages.helpers import array, assert_clean, charts

EXPLORER, FLOW, DEAD, RACE, SOFTMAX = (f"pages/{p}.py" for p in
                                       ("activation_functions", "gradient_flow", "dead_relu", "activation_race",
                                        "softmax_output"))
QUICK = dict(epochs="3")


def names(fig: dict) -> list[str]:
    return [t.get("name") for t in fig["data"] if t.get("name") and t.get("showlegend", True) is not False]


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
    assert "Squashes numbers to the range [0, 1]" in " ".join(m.value for m in at.markdown)


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
    assert any("α < 0 is allowed" in w.value for w in at.warning)
    assert any("not monotonic" in i.value for i in at.info)
    at.multiselect(key="activations").set_value([]).run()
    assert_clean(at)
    assert [e.value for e in at.error] == ["Pick at least one activation function to draw."]


def test_explorer_bad_link_values_fall_back_with_a_notice(open_page):
    at = open_page(EXPLORER, maxout_k="1", activations="maxout", threshold="banana")
    assert_clean(at)
    assert at.warning and "not usable" in at.warning[0].value
    assert len(charts(at)) == 2


def test_gradient_flow_defaults_and_presets(open_page):
    at = open_page(FLOW)
    assert_clean(at)
    assert len(charts(at)) == 4
    depth = charts(at)[0]
    sigmoid = array(depth["data"][0]["y"])
    assert sigmoid[0] < 1e-6                                         # sigmoid's gradient vanishes by layer 1
    at.button(key="preset.zz_Larger step (lr 1)").click().run()
    assert_clean(at)
    assert at.session_state["zz_lr"] == 1.0
    assert any("Larger step" in s.value for s in at.success)
    at.slider(key="depth").set_value(5).run()
    assert len(array(charts(at)[0]["data"][0]["y"])) == 5


def test_dead_relu_page_shows_init_and_training(open_page):
    at = open_page(DEAD, **QUICK)
    assert_clean(at)
    bias, training = charts(at)
    assert names(bias) == ["ReLU", "Leaky ReLU", "ELU"]
    relu = array(bias["data"][0]["y"])
    assert relu[0] > 0.9 and array(bias["data"][1]["y"]).max() == 0  # bias -3: ReLU dead; Leaky ReLU never
    assert "Dead at initialization" in at.info[0].value


def test_race_page_trains_each_selected_activation(open_page):
    at = open_page(RACE, **QUICK)
    assert_clean(at)
    assert not at.error
    curves, summary, units = charts(at)
    assert names(curves) == ["Sigmoid", "Tanh", "ReLU", "Leaky ReLU", "ELU", "SiLU / Swish"]
    assert len(array(curves["data"][0]["y"])) == 3
    at.multiselect(key="activations").set_value(["relu", "prelu"]).run()
    assert_clean(at)
    assert names(charts(at)[0]) == ["ReLU", "PReLU (learned α)"]
    assert any("PReLU's learned α" in i.value for i in at.info)


def test_race_page_diverging_run_is_marked_and_empty_selection_is_a_message(open_page):
    at = open_page(RACE, epochs="3", lr="10", optimizer="SGD", activations="ReLU")
    assert_clean(at)
    assert any("inf/NaN" in w.value for w in at.warning), [w.value for w in at.warning]
    at.multiselect(key="activations").set_value([]).run()
    assert_clean(at)
    assert [e.value for e in at.error] == ["Pick at least one activation to race."]


def test_race_page_refuses_a_race_beyond_the_budget(open_page):
    at = open_page(RACE, epochs="200", batch_size="8", samples="1797", dataset="digits")
    assert_clean(at)
    assert at.error and "limits" in at.error[0].value


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
    assert "flattens" in at.info[0].value


def test_gradient_flow_cites_001s_backpropagation_slide_not_its_init_slides(open_page):
    at = open_page(FLOW)                                    # the defaults are the first preset: its banner shows
    shown = " ".join(c.value for c in at.caption) + " ".join(s.value for s in at.success)
    cited = shown + " ".join(p.lecture for p in gradient_depth.PRESETS.values())
    assert "too small derivatives or 0 (dead neurons) gradients will not flow back" in shown
    assert "Activation saturate" not in cited and "Tiny activations" not in cited   # 001's 0.05- and 0.01-init slides


def test_softmax_scores_are_credited_to_cs231n_not_to_001(open_page):
    at = open_page(SOFTMAX)                                  # the defaults are the cat image preset
    banner = " ".join(s.value for s in at.success)
    assert "cs231n's cat/car/frog example (not in the decks)" in banner
    assert "(001 EXTRAS 'Softmax')" not in banner
