"""The learning-rate-schedules page in AppTest: the default schedules overlaid, a preset, the plus button, the
log axis, a link with a schedule set, every preset."""
from __future__ import annotations

import numpy as np
import pytest

from nncore.experiments import lr_schedules
from tests.pages.helpers import array, assert_clean, assert_preset_runs, charts, legend, tr

DESIGNER = "pages/lr_schedules.py"


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
    assert any(tr(name) in s.value for s in at.success), "the preset's banner"
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


def test_a_link_with_a_schedule_set_reproduces_it(open_page):
    at = open_page(DESIGNER, s="x", d="multistep(milestones=20/60);one_cycle(max_lr=2,pct_start=0.5)")
    assert_clean(at)
    assert legend(charts(at)[0]) == ["Multi-step decay (milestones=20/60)", "One cycle (max_lr=2, pct_start=0.5)"]
    lr = array(charts(at)[0]["data"][1]["y"])
    assert int(np.argmax(lr)) == 49 and lr.max() == pytest.approx(2.0)


@pytest.mark.parametrize("name", list(lr_schedules.PRESETS))
def test_every_preset_runs_cleanly_and_says_what_it_is(open_page, name):
    assert_preset_runs(open_page(DESIGNER), f"preset.d.{name}", tr(name))
