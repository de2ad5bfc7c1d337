"""The universal-approximation page in AppTest: 001's Z(x) from the unit table, a unit edited, the fit at another width
and on a typed polyline, a bad polyline as a message, hostile links as a notice."""
from __future__ import annotations

import numpy as np
import pytest

from nncore.experiments.universal_approximation import fit, relu_sum
from nncore.ui import links
from tests.nncore.test_universal_approximation import slide_z
from tests.pages.helpers import array, assert_clean, assert_preset_runs, charts, tr

PAGE = "pages/universal_approximation.py"
QUICK = dict(steps="200")          # a short training: the page's numbers are the run's whatever its length
NO_N6 = relu_sum.Config(slopes=relu_sum.SLIDE_SLOPES[:5] + (0.0,))   # w6=0: n6 = Relu(0 x - 5) = 0, its bend gone


def trace(fig: dict, name: str) -> dict:
    return next(t for t in fig["data"] if t.get("name") == name)


def test_the_page_draws_z_the_fit_and_the_loss(open_page):
    at = open_page(PAGE, **QUICK)
    assert_clean(at)
    assert not at.error and [t.value for t in at.title] == [tr("Universal approximation")]
    units, fitted, loss = charts(at)
    z = trace(units, "Z(x)")
    assert np.allclose(array(z["y"]), [slide_z(x) for x in array(z["x"])])
    assert [t["name"] for t in units["data"][:6]] == ["−n1", "−n2", "−n3", "+n4", "+n5", "+n6"]
    expected = fit.run(fit.Config(steps=200))
    assert np.allclose(array(trace(fitted, tr("fit: bias + the sum of the pieces"))["y"]), expected.fit)
    assert [i.value for i in at.info] == [relu_sum.notice(relu_sum.run(relu_sum.Config())), fit.notice(expected)]
    assert tr("Can {n} ReLU hinges follow the function?").format(n=8) in fitted["layout"]["title"]["text"]
    assert len(array(loss["data"][0]["y"])) > 0


def test_editing_a_unit_moves_its_bend_and_the_link(open_page):
    at = open_page(PAGE, **QUICK)
    at.number_input(key="w6").set_value(0.0).run()
    assert_clean(at)
    z = trace(charts(at)[0], "Z(x)")
    hand = [slide_z(x) - max(0.0, 5 * x - 5) - max(0.0, -5.0) for x in array(z["x"])]   # n6 = Relu(0 x - 5) = 0
    assert np.allclose(array(z["y"]), hand)
    assert len(relu_sum.run(NO_N6).bends) == 5 and at.info[0].value == relu_sum.notice(relu_sum.run(NO_N6))


def test_presets_set_every_unit_and_the_fit(open_page):
    at = open_page(PAGE, **QUICK)
    assert_preset_runs(at, "preset.|x| from two units", tr("|x| from two units"))
    z = trace(charts(at)[0], "Z(x)")
    assert np.allclose(array(z["y"]), np.abs(array(z["x"])))
    preset = relu_sum.PRESETS["|x| from two units"].config
    assert links.config(relu_sum.Config, dict(at.query_params))[0] == preset   # the link holds it
    assert_preset_runs(at, "preset.|x|, 2 units", tr("|x|, 2 units"))
    assert tr("Can {n} ReLU hinges follow the function?").format(n=2) in charts(at)[1]["layout"]["title"]["text"]


def test_a_wider_layer_redraws_the_fit(open_page):
    at = open_page(PAGE, **QUICK)
    at.slider(key="width").set_value(32).run()
    assert_clean(at)
    fitted = charts(at)[1]
    assert tr("Can {n} ReLU hinges follow the function?").format(n=32) in fitted["layout"]["title"]["text"]
    assert trace(fitted, tr("{n} units' pieces").format(n=32))


def test_a_typed_polyline_is_fit_and_a_bad_one_is_a_message(open_page):
    at = open_page(PAGE, target="polyline", points="0,0; 2,4; 4,0", **QUICK)
    assert_clean(at)
    fitted = charts(at)[1]
    assert array(trace(fitted, tr("your points"))["x"]).tolist() == [0, 2, 4]
    at.text_input(key="points").input("0,0; 2,4; 2,1").run()
    assert_clean(at)
    assert len(charts(at)) == 1                                  # Z stays; the fit says what is wrong instead
    assert [e.value for e in at.error] == [tr("Points {i} and {j} share x = {x}: a function has one y per x.").format(
        i=2, j=3, x="2")]


@pytest.mark.parametrize("query, value, label", [
    (dict(w1="abc"), "'abc'", "Slopes"), (dict(w1="50"), "50", "Slopes"), (dict(b3="inf"), "'inf'", "Offsets"),
    (dict(extent="-1"), "-1", "x range (±)"), (dict(width="0"), "128", "Hidden units (width)"),
    (dict(target="cubic"), "'cubic'", "Function to fit"), (dict(steps="100000000"), "3000", "Training steps"),
    (dict(lr="0.3"), "0.3", "Learning rate (Adam)"),
    (dict(target="polyline", points="1," * 600), "1000", "Polyline points"),
])
def test_hostile_links_fall_back_to_defaults_with_a_notice(open_page, query, value, label):
    at = open_page(PAGE, **(QUICK | query))
    assert_clean(at)
    shown = [w.value for w in at.warning]   # the link notice's words are the shared layer's: its facts are checked
    assert any(tr(label) in w and (value in w or value.replace(".", ",") in w) for w in shown), shown
    assert not at.error and len(charts(at)) == 3


def test_an_instructors_link_hides_the_unit_table_and_the_points_but_keeps_their_values(open_page):
    at = open_page(PAGE, hide="units,points", w6="0", target="polyline", points="0,0; 2,4; 4,0", **QUICK)
    assert_clean(at)
    assert not at.error and [n.key for n in at.number_input] == ["seed"] and not at.text_input
    _, fitted, _ = charts(at)
    assert len(relu_sum.run(NO_N6).bends) == 5 and at.info[0].value == relu_sum.notice(relu_sum.run(NO_N6))
    assert array(trace(fitted, tr("your points"))["x"]).tolist() == [0, 2, 4]
