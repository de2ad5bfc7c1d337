"""The activation-race page in AppTest (a few epochs through its URL, as a shared link would): each selected
activation trains, a diverging run is marked, an empty selection and a race beyond the budget are messages."""
from __future__ import annotations

from tests.pages.helpers import array, assert_clean, charts, says, tr
from tests.pages.helpers import legend as names

RACE = "pages/activation_race.py"
QUICK = dict(epochs="3")


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
    assert any(says(i.value, "PReLU's learned α moved from {start} to {end}.") for i in at.info)


def test_race_page_diverging_run_is_marked_and_empty_selection_is_a_message(open_page):
    at = open_page(RACE, epochs="3", lr="10", optimizer="SGD", activations="ReLU")
    assert_clean(at)
    warned = [w.value for w in at.warning]
    assert any(says(w, "The loss became inf/NaN for {names}: their curves stop at that epoch. The learning rate is too "
                    "large for them — a result, not a bug.") for w in warned), warned
    at.multiselect(key="activations").set_value([]).run()
    assert_clean(at)
    assert [e.value for e in at.error] == [tr("Pick at least one activation to race.")]


def test_race_page_refuses_a_race_beyond_the_budget(open_page):
    at = open_page(RACE, epochs="200", batch_size="8", samples="1797", dataset="digits")
    assert_clean(at)
    assert at.error and says(at.error[0].value, "This race needs {steps} training steps and {flops} operations; the "
                             "limits are {step_limit} and {flop_limit} (about 20 s here). Use fewer epochs, activations "
                             "or units, or a larger batch."), at.error[0].value
