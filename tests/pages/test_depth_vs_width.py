"""The depth-vs-width page in AppTest: every net's curves, scores and parameter count at the defaults, as the run
gives them; the budget slider re-solves the widths; presets; hostile links (a budget out of range, a budget too
small for one unit a layer, an unknown width) as a notice or one sentence, never a traceback."""
from __future__ import annotations

import numpy as np
import pytest

from nncore.architectures import RAISE_THE_BUDGET
from nncore.experiments import depth_vs_width as dw
from nncore.i18n import ngettext, number
from tests.pages.helpers import array, assert_clean, assert_preset_runs, charts, tr

PAGE = "pages/depth_vs_width.py"
QUICK = dict(epochs="20")          # a short training: the page's numbers are the run's whatever its length


def _legend(fig: dict) -> list[str]:
    return [t["name"] for t in fig["data"] if t.get("showlegend", True)]


def _names(r: dw.Result) -> list[str]:
    """The curves' legend: each net's shape and parameter count, as the suite's language writes numbers."""
    return [f"{n.name} ({number(n.parameters, ',')})" for n in r.nets]


def test_defaults_show_every_nets_curves_scores_and_parameter_count(open_page):
    at = open_page(PAGE)
    assert_clean(at)
    assert not at.error and [t.value for t in at.title] == [tr("Depth vs width")]
    expected = dw.run(dw.Config())
    curves, scores = charts(at)
    assert _legend(curves) == _names(expected)
    assert [n.depth for n in expected.nets] == [1, 2, 4, 8]
    for net, trace in zip(expected.nets, [t for t in curves["data"] if t["xaxis"] == "x2"]):
        np.testing.assert_array_equal(array(trace["y"]), net.val_acc)
    assert [x.split("<br>")[1] for x in scores["data"][0]["x"]] == [tr("{n} params").format(n=number(n.parameters, ","))
                                                                   for n in expected.nets]
    counts = [n.parameters for n in expected.nets]
    assert max(counts) <= 1.05 * min(counts)
    assert dw.notice_counts(expected) in [c.value for c in at.caption]
    assert [i.value for i in at.info] == [dw.notice_depth(expected)]
    title = curves["layout"]["title"]["text"].replace("<br>", " ")    # the theme wraps a long title
    assert tr("Same parameter count: which depth learns best?") in title


def test_the_budget_slider_resolves_the_widths(open_page):
    at = open_page(PAGE, **QUICK)
    at.slider(key="budget").set_value(2000).run()
    assert_clean(at)
    expected = dw.run(dw.Config(budget=2000, epochs=20))
    assert _legend(charts(at)[0]) == _names(expected)
    assert expected.nets[0].widths[0] > 300 and all(abs(n.parameters - 2000) <= 100 for n in expected.nets)


def test_a_link_opens_its_state(open_page):
    at = open_page(PAGE, budget="400", deepest="3", seed="2", **QUICK)
    assert_clean(at)
    assert _legend(charts(at)[0]) == _names(dw.run(dw.Config(budget=400, deepest=3, seed=2, epochs=20)))
    assert [len(n) for n in _legend(charts(at)[0])] and not at.warning


@pytest.mark.parametrize("query, value, label", [
    (dict(budget="0"), "10000", "Parameter budget"), (dict(budget="1e9"), "10000", "Parameter budget"),
    (dict(budget="many"), "'many'", "Parameter budget"), (dict(deepest="0"), "8", "Deepest net"),
    (dict(deepest="99"), "99", "Deepest net"), (dict(dataset="red_wine"), "'red_wine'", "Data set"),
    (dict(epochs="-5"), "-5", "Epochs")])
def test_a_hostile_link_falls_back_with_a_notice(open_page, query, value, label):
    at = open_page(PAGE, **query, **({} if "epochs" in query else QUICK))
    assert_clean(at)
    assert len(charts(at)) == 2, "the page falls back to its defaults and runs"
    shown = [w.value for w in at.warning]   # the link notice's words are the shared layer's: its facts are checked
    assert any(value in w and tr(label) in w for w in shown), shown


def test_a_width_of_zero_is_one_sentence_not_a_traceback(open_page):
    # the digits' 64 inputs: 8 layers of even one unit need 99 parameters, so a budget of 60 leaves width 0
    at = open_page(PAGE, dataset="Handwritten digits 8x8", budget="60", **QUICK)
    assert_clean(at)
    too_small = ngettext("A budget of {budget} parameters cannot hold {deepest} hidden layer of even one unit each on "
                         "{n_in} inputs and {n_out} outputs: that net has {smallest}.",
                         "A budget of {budget} parameters cannot hold {deepest} hidden layers of even one unit each "
                         "on {n_in} inputs and {n_out} outputs: that net has {smallest}.", 8)
    assert [e.value for e in at.error] == [f"{too_small} {tr(RAISE_THE_BUDGET)}".format(
        budget=60, deepest=8, n_in=64, n_out=10, smallest=99)]
    assert not charts(at)
    at = open_page(PAGE, width="0", **QUICK)          # a key the page does not have: ignored, the page runs
    assert_clean(at)
    assert len(charts(at)) == 2


@pytest.mark.parametrize("name", list(dw.PRESETS))
def test_each_preset_runs_with_its_banner(open_page, name):
    at = open_page(PAGE)
    assert_preset_runs(at, f"preset.{name}", tr(name))
    assert len(charts(at)) == 2
