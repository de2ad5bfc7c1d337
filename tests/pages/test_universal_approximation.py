"""The universal-approximation page in AppTest: 001's Z(x) from the unit table, a unit edited, the fit at another width
and on a typed polyline, a bad polyline as a message, hostile links as a notice."""
from __future__ import annotations

import numpy as np
import pytest

from nncore.experiments.universal_approximation import fit, relu_sum
from nncore.ui import links
from tests.nncore.test_universal_approximation import slide_z
from tests.pages.helpers import array, assert_clean, assert_preset_runs, charts

PAGE = "pages/universal_approximation.py"
QUICK = dict(steps="200")          # a short training: the page's numbers are the run's whatever its length


def trace(fig: dict, name: str) -> dict:
    return next(t for t in fig["data"] if t.get("name") == name)


def test_the_page_draws_z_the_fit_and_the_loss(open_page):
    at = open_page(PAGE, **QUICK)
    assert_clean(at)
    assert not at.error and [t.value for t in at.title] == ["Universal approximation"]
    units, fitted, loss = charts(at)
    z = trace(units, "Z(x)")
    assert np.allclose(array(z["y"]), [slide_z(x) for x in array(z["x"])])
    assert [t["name"] for t in units["data"][:6]] == ["−n1", "−n2", "−n3", "+n4", "+n5", "+n6"]
    expected = fit.run(fit.Config(steps=200))
    assert np.allclose(array(trace(fitted, "fit: bias + the sum of the pieces")["y"]), expected.fit)
    assert [i.value for i in at.info] == [relu_sum.notice(relu_sum.run(relu_sum.Config())), fit.notice(expected)]
    assert "Can 8 ReLU hinges" in fitted["layout"]["title"]["text"] and len(array(loss["data"][0]["y"])) > 0


def test_editing_a_unit_moves_its_bend_and_the_link(open_page):
    at = open_page(PAGE, **QUICK)
    at.number_input(key="w6").set_value(0.0).run()
    assert_clean(at)
    z = trace(charts(at)[0], "Z(x)")
    hand = [slide_z(x) - max(0.0, 5 * x - 5) - max(0.0, -5.0) for x in array(z["x"])]   # n6 = Relu(0 x - 5) = 0
    assert np.allclose(array(z["y"]), hand)
    assert "5 bends" in at.info[0].value


def test_presets_set_every_unit_and_the_fit(open_page):
    at = open_page(PAGE, **QUICK)
    assert_preset_runs(at, "preset.|x| from two units", "|x| from two units")
    z = trace(charts(at)[0], "Z(x)")
    assert np.allclose(array(z["y"]), np.abs(array(z["x"])))
    preset = relu_sum.PRESETS["|x| from two units"].config
    assert links.config(relu_sum.Config, dict(at.query_params))[0] == preset   # the link holds it
    assert_preset_runs(at, "preset.|x|, 2 units", "|x|, 2 units")
    assert "Can 2 ReLU hinges" in charts(at)[1]["layout"]["title"]["text"]


def test_a_wider_layer_redraws_the_fit(open_page):
    at = open_page(PAGE, **QUICK)
    at.slider(key="width").set_value(32).run()
    assert_clean(at)
    fitted = charts(at)[1]
    assert "Can 32 ReLU hinges" in fitted["layout"]["title"]["text"]
    assert trace(fitted, "32 units' pieces")


def test_a_typed_polyline_is_fit_and_a_bad_one_is_a_message(open_page):
    at = open_page(PAGE, target="polyline", points="0,0; 2,4; 4,0", **QUICK)
    assert_clean(at)
    fitted = charts(at)[1]
    assert array(trace(fitted, "your points")["x"]).tolist() == [0, 2, 4]
    at.text_input(key="points").input("0,0; 2,4; 2,1").run()
    assert_clean(at)
    assert len(charts(at)) == 1                                  # Z stays; the fit says what is wrong instead
    assert [e.value for e in at.error] == ["Points 2 and 3 share x = 2: a function has one y per x."]


@pytest.mark.parametrize("query, words", [
    (dict(w1="abc"), "cannot be 'abc'"), (dict(w1="50"), "between -10 and 10"), (dict(b3="inf"), "cannot be 'inf'"),
    (dict(extent="-1"), "between 0.5 and 10"), (dict(width="0"), "between 1 and 128"),
    (dict(target="cubic"), "must be one of"), (dict(steps="100000000"), "between 100 and 3000"),
    (dict(lr="0.3"), "1-2-5 value"), (dict(target="polyline", points="1," * 600), "at most 1000 characters"),
])
def test_hostile_links_fall_back_to_defaults_with_a_notice(open_page, query, words):
    at = open_page(PAGE, **(QUICK | query))
    assert_clean(at)
    assert any(words in w.value for w in at.warning), [w.value for w in at.warning]
    assert not at.error and len(charts(at)) == 3


def test_an_instructors_link_hides_the_unit_table_and_the_points_but_keeps_their_values(open_page):
    at = open_page(PAGE, hide="units,points", w6="0", target="polyline", points="0,0; 2,4; 4,0", **QUICK)
    assert_clean(at)
    assert not at.error and [n.key for n in at.number_input] == ["seed"] and not at.text_input
    _, fitted, _ = charts(at)
    assert "5 bends" in at.info[0].value
    assert array(trace(fitted, "your points")["x"]).tolist() == [0, 2, 4]
