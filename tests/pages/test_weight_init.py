"""The weight-initialization page in AppTest: defaults, every preset, comparison, bad links, budget, overflow."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from nncore.experiments import weight_init
from tests.pages.helpers import array, assert_clean, charts, says, tr

PAGE = "pages/weight_init.py"
DEFAULT = weight_init.Config()


def std_trace(at) -> np.ndarray:
    """The y of the first run's std curve (the layer-statistics chart's second trace)."""
    return array(charts(at)[0]["data"][1]["y"])


def test_defaults_render_four_charts_and_the_lecture_numbers(open_page):
    at = open_page(PAGE)
    assert_clean(at)
    assert not at.error and not at.warning
    assert [t.value for t in at.title] == [tr("Weight initialization")]
    figs = charts(at)
    assert len(figs) == 4, [f["layout"].get("title") for f in figs]
    std = std_trace(at)
    assert len(std) == DEFAULT.depth
    assert std[-1] < 1e-5 < std[0], std  # the lecture's first table: 0.01*N(0,1) + tanh collapses to ~0
    # the defaults are the lecture's first preset, so its note shows
    first = next(iter(weight_init.PRESETS))
    assert any(tr(first) in s.value for s in at.success)
    assert any(says(i.value, "The std goes from {first} at layer 1 to {last} at layer {depth} (÷{per} per layer): the "
                    "activations collapse to zero.") for i in at.info), [i.value for i in at.info]


@pytest.mark.parametrize("name", list(weight_init.PRESETS))
def test_each_preset_sets_every_control_and_shows_its_note(open_page, name):
    preset = weight_init.PRESETS[name]
    at = open_page(PAGE)
    at.button(key=f"preset.{name}").click().run()
    assert_clean(at)
    assert not at.error
    assert len(charts(at)) == 4
    assert [s.value for s in at.success if tr(name) in s.value], \
        f"no success box for {name!r}: {[s.value for s in at.success]}"
    assert tr(preset.note) in at.success[0].value
    for field in dataclasses.fields(weight_init.Config):
        if field.name != "bins":  # not a control on this page
            assert at.session_state[field.name] == getattr(preset.config, field.name), field.name
    assert len(std_trace(at)) == preset.config.depth
    # the URL carries the preset, so the link can be shared
    if preset.config.init_scale != DEFAULT.init_scale:
        assert float(at.query_params["init_scale"]) == preset.config.init_scale, at.query_params
    if preset.config.activation != DEFAULT.activation:
        assert "activation" in at.query_params, at.query_params


def test_the_symmetry_notice_shows_copies_for_zeros_and_different_units_for_the_default(open_page):
    at = open_page(PAGE)
    steps = ("After {steps} SGD steps on a toy regression ({rows} samples, an N(0,1) target, one output unit "
             "initialized like the layers), ")
    infos = [i.value for i in at.info]
    differ = steps + ("the units of every layer still differ (the largest gap between two units' weights is "
                      "{low}–{high} times the layer's largest weight): the random start broke the symmetry, so each "
                      "unit can learn something different.")
    assert len(infos) == 5 and any(says(i, differ) for i in infos), infos
    at.button(key="preset.All zeros + tanh").click().run()
    assert_clean(at)
    infos = [i.value for i in at.info]
    assert any(says(i, steps + "the units {where} are still identical copies of each other, as 003 warns ('la red NO "
                    "aprende'): not one of their weights changed: every gradient was exactly 0.",
                    where=tr("in every layer")) for i in infos), infos
    assert any(says(i, "Every output of every layer is exactly {value} (std 0), whatever the input: with these weights "
                    "nothing of the input gets through.", value=0) for i in infos), infos


def test_a_preset_changes_the_charts(open_page):
    at = open_page(PAGE)
    before = std_trace(at)
    at.button(key="preset.N(0, 1) + tanh").click().run()
    after = std_trace(at)
    assert after[-1] > 0.9 > 1e-3 > before[-1], (before, after)  # 002's second table: saturated at std ~0.98
    assert any(says(i.value, "The std goes from {first} at layer 1 to {last} at layer {depth}, and {share} of the "
                    "outputs are saturated (within 0.01 of a bound), where the slope is ~0.") for i in at.info), \
        [i.value for i in at.info]


def test_comparison_shows_traces_of_both_configurations(open_page):
    at = open_page(PAGE)
    at.toggle(key="compare").set_value(True).run()
    at.selectbox(key="b_activation").set_value("relu")
    at.selectbox(key="b_init").set_value("kaiming_normal").run()
    assert_clean(at)
    stats, _, grads, health = charts(at)
    names = {t.get("name") for t in stats["data"] if t.get("showlegend", True) is not False}
    assert len(names) == 2 and any("tanh" in n for n in names) and any("relu" in n for n in names), names
    assert len(stats["data"]) == 4 and len(grads["data"]) == 2 and len(health["data"]) == 2
    b_std = array(stats["data"][3]["y"])
    assert 0.3 < b_std[-1] < 2, b_std  # He + ReLU keeps its scale


def test_a_shared_link_reproduces_the_run(open_page):
    # a bound selectbox writes the option's label to the URL: that is what a shared link carries
    at = open_page(PAGE, activation="ReLU", init="He/Kaiming normal", depth="12", seed="3")
    assert_clean(at)
    assert not at.warning, [w.value for w in at.warning]
    assert at.selectbox(key="activation").value == "relu"
    assert at.selectbox(key="init").value == "kaiming_normal"
    assert at.slider(key="depth").value == 12 and at.number_input(key="seed").value == 3
    assert len(std_trace(at)) == 12


def test_a_link_may_name_choices_by_their_nncore_keys_and_numbers_in_any_form(open_page):
    # what a notebook user or an instructor types by hand: the widget itself only reads "ReLU" and "1"
    at = open_page(PAGE, activation="relu", init="kaiming_normal", init_scale="1.0")
    assert_clean(at)
    assert not at.warning, [w.value for w in at.warning]
    assert at.selectbox(key="activation").value == "relu" and at.selectbox(key="init").value == "kaiming_normal"
    assert at.select_slider(key="init_scale").value == 1.0
    assert at.query_params["activation"] == "ReLU" and at.query_params["init_scale"] == "1"


@pytest.mark.parametrize("params, field", [
    ({"depth": "9999"}, "Layers"),
    ({"activation": "softmax"}, "Activation"),
    ({"init_scale": "0.3"}, "Scale"),
    ({"width": "many"}, "Units per layer"),
])
def test_bad_link_values_fall_back_to_defaults_with_a_visible_warning(open_page, params, field):
    at = open_page(PAGE, **params)
    assert_clean(at)
    warnings = [w.value for w in at.warning]
    # the link notice's wording is the shared layer's: its language-free parts, the bad value and the field's label
    assert any(next(iter(params.values())) in w and tr(field) in w for w in warnings), warnings
    assert len(charts(at)) == 4
    name = next(iter(params))
    assert at.session_state[name] == getattr(DEFAULT, name)


def test_beyond_the_compute_budget_is_a_clear_message(open_page):
    at = open_page(PAGE)
    at.slider(key="depth").set_value(100)
    at.slider(key="width").set_value(2048)
    at.number_input(key="samples").set_value(20000).run()
    assert_clean(at)
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and says(errors[0], "This run needs {flops} floating-point operations; the limit is "
                                     "{limit} (about 2 s on this machine). Lower the layers, units or samples."), errors
    assert not charts(at)


def test_overflow_is_shown_as_the_lesson(open_page):
    at = open_page(PAGE)
    at.slider(key="depth").set_value(50)
    at.select_slider(key="init_scale").set_value(1.0)
    at.selectbox(key="activation").set_value("relu").run()
    assert_clean(at)
    assert not at.error
    warnings = [w.value for w in at.warning]
    assert any(says(w, "The activations overflowed float32 at hidden layer {layer}: the layers above it are empty in "
                    "the charts. This is the lesson, not a bug.") for w in warnings), warnings
    assert len(charts(at)) == 4
    assert any(says(i.value, "The outputs overflow float32 (become inf or NaN) at hidden layer {layer}: each layer "
                    "multiplies their spread by about {factor}x.") for i in at.info), [i.value for i in at.info]


@pytest.mark.parametrize("seed", ["inf", "-inf", "1e999", "nan"])
def test_a_seed_that_is_not_an_integer_is_a_notice_not_a_crash(open_page, seed):
    # Streamlit's number_input itself raises on int(inf) when it reads such a link: the link is mended first
    at = open_page(PAGE, seed=seed, depth="12")
    assert_clean(at)
    assert any(f"'{seed}'" in w.value and tr("Seed") in w.value for w in at.warning), [w.value for w in at.warning]
    assert at.number_input(key="seed").value == 0 and at.slider(key="depth").value == 12
    assert "seed" not in at.query_params


@pytest.mark.parametrize("text, on", [("1", True), ("yes", True), ("TRUE", True), ("0", False), ("off", False)])
def test_a_toggle_in_a_link_may_be_written_as_1_0_yes_no(open_page, text, on):
    at = open_page(PAGE, batchnorm=text)
    assert_clean(at)
    assert not at.warning, [w.value for w in at.warning]
    assert at.toggle(key="batchnorm").value is on
