"""The learning-rate pages in AppTest: defaults, presets, adding a schedule, bad input as a message, shared links,
and the range test's one-click hand-over to the race (through app.py's navigation)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from nncore.experiments import batch_vs_decay, lr_schedules, schedule_race
from nncore.experiments.lr_finder import range_test as lr_range_test
from nncore.experiments.lr_finder import sanity as lr_sanity
from tests.pages.helpers import array, assert_clean, charts

ROOT = Path(__file__).resolve().parents[2]
DESIGNER, RACE, FINDER, BATCH = ("pages/lr_schedules.py", "pages/schedule_race.py", "pages/lr_finder.py",
                                 "pages/batch_vs_decay.py")


def legend(fig: dict) -> list[str]:
    """The names of the traces that appear in the legend."""
    return [t["name"] for t in fig["data"] if t.get("showlegend", True) and t.get("name")]


def test_designer_defaults_overlay_the_default_schedules(open_page):
    at = open_page(DESIGNER)
    assert_clean(at)
    assert not at.error and not at.warning
    (fig,) = charts(at)
    assert legend(fig) == list(lr_schedules.run(lr_schedules.Config()).labels)
    assert at.info and at.info[0].value == lr_schedules.notice(lr_schedules.run(lr_schedules.Config()))


def test_designer_preset_sets_every_slot(open_page):
    name = "002: cyclic modes"
    at = open_page(DESIGNER)
    at.button(key=f"preset.d.{name}").click().run()
    assert_clean(at)
    assert at.session_state["d.n"] == 3 and [at.session_state[f"d{i}"] for i in range(3)] == ["cyclic"] * 3
    assert [at.session_state[f"d{i}.cyclic.mode"] for i in range(3)] == ["triangular", "triangular2", "exp_range"]
    assert any(name in s.value for s in at.success), "the preset's banner"
    lrs = [array(t["y"]) for t in charts(at)[0]["data"] if t.get("showlegend", True)]
    peaks = [lr.max() for lr in lrs]
    assert peaks[0] == pytest.approx(1.0) and peaks[1] == pytest.approx(1.0)  # 10 x the base lr 0.1


def test_designer_adds_a_schedule_with_the_plus_button(open_page):
    at = open_page(DESIGNER)
    at.number_input(key="d.n").increment().run()
    assert_clean(at)
    assert at.session_state["d3"] == "constant"  # the first schedule not yet on the chart
    assert len(legend(charts(at)[0])) == 4


def test_designer_log_axis_toggle(open_page):
    at = open_page(DESIGNER, log_y="true")
    assert charts(at)[0]["layout"]["yaxis"]["type"] == "log"


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
    assert any(first in s.value for s in at.success), "the defaults are the first preset"
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
    assert at.error and "must be above the base lr" in at.error[0].value
    assert not charts(at)


def test_a_diverging_run_is_marked_in_the_race(open_page):
    at = open_page(RACE, base_lr="10", optimizer="momentum")     # blew up in epoch 1 for 8 of 8 seeds
    assert_clean(at)
    fig = charts(at)[0]
    notes = [a["text"] for a in fig["layout"].get("annotations", [])]
    assert any(text.startswith("diverged (inf/NaN)") for text in notes), notes
    assert "Diverged (the loss became inf or NaN)" in at.info[0].value


def test_a_preset_with_warmup_and_a_shared_link(open_page):
    name = "002: warmup before a high rate"
    at = open_page(RACE)
    at.button(key=f"preset.s.{name}").click().run()
    assert_clean(at)
    assert any(name in s.value for s in at.success)
    assert at.session_state["s1.cosine.warmup"] == "gradual"
    assert legend(charts(at)[0]) == ["Cosine annealing", "Cosine annealing + gradual warmup 10"]
    # the URL carries the set: opening it elsewhere reproduces it
    assert at.query_params["s"] == "cosine;cosine~gradual:10:0.1", at.query_params
    again = open_page(RACE, **{k: v for k, v in at.query_params.items()})
    assert legend(charts(again)[0]) == legend(charts(at)[0])
    np.testing.assert_array_equal(array(charts(again)[0]["data"][0]["y"]), array(charts(at)[0]["data"][0]["y"]))


def test_finder_defaults_show_both_experiments(open_page):
    at = open_page(FINDER)
    assert_clean(at)
    assert not at.error
    sanity_fig, range_fig = charts(at)
    assert legend(sanity_fig) == list(lr_sanity.run(lr_sanity.Config()).labels)
    found = lr_range_test.run(lr_range_test.Config())
    assert any(f"suggestion: {found.suggestion:.2g}" == name for name in legend(range_fig))
    assert [i.value for i in at.info] == [lr_sanity.notice(lr_sanity.run(lr_sanity.Config())),
                                          lr_range_test.notice(found)]


def test_finder_rule_preset_stops_the_large_rate(open_page):
    name = "The rule at work: full batch, lr 20"
    at = open_page(FINDER)
    at.button(key=f"preset.c_{name}").click().run()
    assert_clean(at)
    r = lr_sanity.run(lr_sanity.PRESETS[name].config)
    assert r.stop_reason[2] == "loss_exceeded" and at.info[0].value == lr_sanity.notice(r)
    assert f"the rule stopped it at epoch {r.stopped_epoch[2]}" in at.info[0].value


def test_the_range_test_is_credited_to_smith_not_to_002(open_page):
    at = open_page(FINDER)
    shown = " ".join(c.value for c in at.caption) + " ".join(s.value for s in at.success)
    assert "Smith 2017, 'Cyclical Learning Rates for Training Neural Networks' §3.3" in shown
    assert "Cyclic Learning Rate" not in shown              # 002's slide is the cyclic schedule: no range test there
    assert all("Cyclic Learning Rate" not in p.lecture and "Smith 2017" in p.lecture
               for p in lr_range_test.PRESETS.values())


def test_the_range_test_hands_its_rate_to_the_race():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page(FINDER).run()
    found = lr_range_test.run(lr_range_test.Config())
    at.button(key="apply").click().run()
    assert_clean(at)
    assert [t.value for t in at.title] == ["Schedule race"]
    assert at.session_state["base_lr"] == found.race_lr
    assert float(at.query_params["base_lr"]) == found.race_lr


def test_batch_vs_decay_defaults_and_a_batch_too_large(open_page):
    at = open_page(BATCH)
    assert_clean(at)
    assert not at.error
    expected = batch_vs_decay.notice(batch_vs_decay.run(batch_vs_decay.Config()))
    timing = ", and its last epochs took"  # wall-clock times differ from run to run; the rest may not
    assert at.info[0].value.split(timing)[0] == expected.split(timing)[0]
    alpha_over_b = [array(t["y"]) for t in charts(at)[0]["data"] if t.get("xaxis") == "x3"]
    np.testing.assert_allclose(alpha_over_b[0], alpha_over_b[1])
    bad = open_page(BATCH, batch_size="512")
    assert_clean(bad)
    assert bad.error and "more than the 1,400 training samples" in bad.error[0].value


def test_bad_link_values_fall_back_with_a_notice(open_page):
    at = open_page(RACE, epochs="many", base_lr="3", s="step(gamma=0.5);warp_drive")
    assert_clean(at)
    warnings = " ".join(w.value for w in at.warning)
    assert "not usable" in warnings and "'warp_drive' is not a schedule" in warnings
    assert legend(charts(at)[0]) == list(schedule_race.run(schedule_race.Config()).labels)


def test_bad_values_in_both_control_groups_give_one_link_notice(open_page):
    at = open_page(BATCH, factor="abc", dataset="nope")      # factor: in view; dataset: in the folded expander
    assert_clean(at)
    notices = [w.value for w in at.warning if "not usable" in w.value]
    assert len(notices) == 1 and "Factor k cannot be 'abc'" in notices[0] and "(got 'nope')" in notices[0]


def test_a_link_with_a_schedule_set_reproduces_it(open_page):
    at = open_page(DESIGNER, s="x", d="multistep(milestones=20/60);one_cycle(max_lr=2,pct_start=0.5)")
    assert_clean(at)
    assert legend(charts(at)[0]) == ["Multi-step decay (milestones=20/60)", "One cycle (max_lr=2, pct_start=0.5)"]
    lr = array(charts(at)[0]["data"][1]["y"])
    assert int(np.argmax(lr)) == 49 and lr.max() == pytest.approx(2.0)


PRESET_BUTTONS = ([(DESIGNER, f"preset.d.{n}", n) for n in lr_schedules.PRESETS]
                  + [(RACE, f"preset.s.{n}", n) for n in schedule_race.PRESETS]
                  + [(FINDER, f"preset.c_{n}", n) for n in lr_sanity.PRESETS]
                  + [(FINDER, f"preset.r_{n}", n) for n in lr_range_test.PRESETS]
                  + [(BATCH, f"preset.{n}", n) for n in batch_vs_decay.PRESETS])


@pytest.mark.parametrize("page,key,name", PRESET_BUTTONS, ids=[f"{Path(p).stem}:{n}" for p, _, n in PRESET_BUTTONS])
def test_every_preset_runs_cleanly_and_says_what_it_is(open_page, page, key, name):
    at = open_page(page)
    at.button(key=key).click().run()
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    assert any(name in s.value for s in at.success), f"no banner for {name!r}: {[s.value for s in at.success]}"
