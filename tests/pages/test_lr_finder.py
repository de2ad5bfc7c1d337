"""The finding-the-learning-rate page in AppTest: both experiments at their defaults, the rule's preset, the
range test credited to Smith and its one-click hand-over to the race (through app.py's navigation), every preset."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from nncore.experiments.lr_finder import range_test as lr_range_test
from nncore.experiments.lr_finder import sanity as lr_sanity
from nncore.i18n import number
from tests.pages.helpers import assert_clean, assert_preset_runs, charts, legend, tr

ROOT = Path(__file__).resolve().parents[2]
FINDER = "pages/lr_finder.py"


def test_finder_defaults_show_both_experiments(open_page):
    at = open_page(FINDER)
    assert_clean(at)
    assert not at.error
    sanity_fig, range_fig = charts(at)
    assert legend(sanity_fig) == list(lr_sanity.names(lr_sanity.run(lr_sanity.Config())))
    found = lr_range_test.run(lr_range_test.Config())
    assert tr("suggestion: {lr}").format(lr=number(found.suggestion, ".2g")) in legend(range_fig)
    assert [i.value for i in at.info] == [lr_sanity.notice(lr_sanity.run(lr_sanity.Config())),
                                          lr_range_test.notice(found)]


def test_finder_rule_preset_stops_the_large_rate(open_page):
    name = "The rule at work: full batch, lr 20"
    at = open_page(FINDER)
    at.button(key=f"preset.c_{name}").click().run()
    assert_clean(at)
    r = lr_sanity.run(lr_sanity.PRESETS[name].config)
    assert r.stop_reason[2] == "loss_exceeded" and at.info[0].value == lr_sanity.notice(r)
    assert tr("**{run}**: training loss {first} → {last} ({change}%) in {epochs} epochs; the rule stopped it at epoch "
              "{epochs}: {last} > {factor} × {first}").split("{epochs}")[1] in at.info[0].value


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
    assert [t.value for t in at.title] == [tr("Schedule race")]
    assert at.session_state["base_lr"] == found.race_lr
    assert float(at.query_params["base_lr"]) == found.race_lr


@pytest.mark.parametrize("key, name", [(f"preset.c_{n}", n) for n in lr_sanity.PRESETS]
                         + [(f"preset.r_{n}", n) for n in lr_range_test.PRESETS])
def test_every_preset_runs_cleanly_and_says_what_it_is(open_page, key, name):
    assert_preset_runs(open_page(FINDER), key, tr(name))
