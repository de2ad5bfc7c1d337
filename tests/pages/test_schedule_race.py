"""The schedule-race page in AppTest: defaults, adding and changing a schedule, bad input as a message, a
diverging run, a preset and its shared link, bad link values, every preset."""
from __future__ import annotations

import numpy as np
import pytest

from nncore.experiments import schedule_race
from tests.pages.helpers import array, assert_clean, assert_preset_runs, charts, legend, tr

RACE = "pages/schedule_race.py"


def test_race_defaults(open_page):
    at = open_page(RACE)
    assert_clean(at)
    assert not at.error and not at.warning
    (fig,) = charts(at)
    expected = schedule_race.run(schedule_race.Config())
    assert legend(fig) == list(expected.labels)
    infos = [i.value for i in at.info]
    assert infos == [schedule_race.notice_race(expected), schedule_race.notice_lr(expected)]
    first = next(iter(schedule_race.PRESETS))
    assert any(tr(first) in s.value for s in at.success), "the defaults are the first preset"
    # the lr panel (row 3, axis x3) and the loss and accuracy panels above it share one epoch axis
    lr_panel = [t for t in fig["data"] if t.get("yaxis") == "y3" and "lines" in t["mode"]]  # not the cut markers
    assert len(lr_panel) == len(expected.labels) and all(t["xaxis"] == "x3" for t in lr_panel)
    np.testing.assert_array_equal(array(lr_panel[0]["y"]), expected.lr[0])
    assert fig["layout"]["xaxis"].get("matches") == "x3" and fig["layout"]["xaxis2"].get("matches") == "x3"


def test_adding_a_schedule_updates_the_race(open_page):
    at = open_page(RACE)
    before = legend(charts(at)[0])
    at.number_input(key="s.n").increment().run()
    assert_clean(at)
    after = legend(charts(at)[0])
    assert len(after) == len(before) + 1 and after[:len(before)] == before
    assert at.session_state["s4"] not in ("constant", "step", "cosine", "plateau")


def test_changing_a_slot_to_cyclic_uses_its_defaults(open_page):
    at = open_page(RACE)
    at.selectbox(key="s0").set_value("cyclic").run()
    assert_clean(at)
    assert not at.error
    assert at.session_state["s0.cyclic.max_lr"] == 10 * schedule_race.Config().base_lr
    assert legend(charts(at)[0])[0] == "Cyclic (CLR)"


def test_max_lr_below_the_base_is_a_message_not_a_traceback(open_page):
    at = open_page(RACE, s="cyclic(max_lr=0.2);cosine")
    assert_clean(at)
    assert at.error and tr("{schedule}: the peak lr ({peak}) must be above the base lr ({base}): the rate rises from "
                           "one to the other.").format(schedule="Cyclic", peak="0.2", base="0.5") in at.error[0].value
    assert not charts(at)


def test_a_diverging_run_is_marked_in_the_race(open_page):
    at = open_page(RACE, base_lr="10", optimizer="momentum")     # blew up in epoch 1 for 8 of 8 seeds
    assert_clean(at)
    fig = charts(at)[0]
    notes = [a["text"] for a in fig["layout"].get("annotations", [])]
    assert any(text.startswith(tr("diverged (inf/NaN): {runs}").split("{runs}")[0]) for text in notes), notes
    assert tr("Diverged (the loss became inf or NaN): {runs}; the others went on.").split("{runs}")[0] in \
        at.info[0].value


def test_a_preset_with_warmup_and_a_shared_link(open_page):
    name = "002: warmup before a high rate"
    at = open_page(RACE)
    at.button(key=f"preset.s.{name}").click().run()
    assert_clean(at)
    assert any(tr(name) in s.value for s in at.success)
    assert at.session_state["s1.cosine.warmup"] == "gradual"
    assert legend(charts(at)[0]) == ["Cosine annealing", "Cosine annealing + gradual warmup 10"]
    # the URL carries the set: opening it elsewhere reproduces it
    assert at.query_params["s"] == "cosine;cosine~gradual:10:0.1", at.query_params
    again = open_page(RACE, **{k: v for k, v in at.query_params.items()})
    assert legend(charts(again)[0]) == legend(charts(at)[0])
    np.testing.assert_array_equal(array(charts(again)[0]["data"][0]["y"]), array(charts(at)[0]["data"][0]["y"]))


def test_bad_link_values_fall_back_with_a_notice(open_page):
    at = open_page(RACE, epochs="many", base_lr="3", s="step(gamma=0.5);warp_drive")
    assert_clean(at)
    warnings = " ".join(w.value for w in at.warning)
    assert tr("Schedules: {name} is not a schedule.").format(name="'warp_drive'") in warnings
    assert legend(charts(at)[0]) == list(schedule_race.run(schedule_race.Config()).labels)


@pytest.mark.parametrize("name", list(schedule_race.PRESETS))
def test_every_preset_runs_cleanly_and_says_what_it_is(open_page, name):
    assert_preset_runs(open_page(RACE), f"preset.s.{name}", tr(name))
