"""CONTRIBUTING.md's page template runs as written, and its tuple-valued controls live in the link with no code of
the page's own: a multiple choice and a Repeat field (depth and width sliders) through ui.controls."""
from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from nncore.experiments import capacity, dead_relu
from tests.pages.conftest import TIMEOUT
from tests.pages.helpers import assert_clean, charts, tr

ROOT = Path(__file__).resolve().parents[2]


def template() -> str:
    """The python block of CONTRIBUTING.md's section "A page"."""
    section = (ROOT / "CONTRIBUTING.md").read_text().split("\n## A page")[1].split("\n## ")[0]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def run_script(script: str, **query: str | list[str]) -> AppTest:
    at = AppTest.from_string(script, default_timeout=TIMEOUT)
    at.query_params.update(query)
    return at.run()


def test_the_page_template_runs_and_its_tuple_control_lives_in_the_link():
    at = run_script(template(), activations=["ReLU", "elu"], epochs="5.0")
    assert_clean(at)
    assert not at.warning, [w.value for w in at.warning]
    assert at.multiselect(key="activations").value == ["relu", "elu"] and at.slider(key="epochs").value == 5
    assert at.query_params["activations"] == ["ReLU", "ELU"] and at.query_params["epochs"] == "5"   # as widgets write
    assert len(charts(at)) == 1 and at.info


def test_the_page_template_shows_one_notice_for_an_unusable_value():
    at = run_script(template(), epochs="many")
    assert_clean(at)
    assert [w.value for w in at.warning] == [
        tr("Some values in this link were not usable and were replaced by defaults: {problems}").format(
            problems=tr("{label} cannot be {text}.").format(label=tr("Epochs"), text="'many'"))]
    assert at.slider(key="epochs").value == dead_relu.Config().epochs


REPEAT_PAGE = """
import streamlit as st
from nncore import ui
from nncore.experiments import capacity
from nncore.params import Preset
ui.presets({"three of 16": Preset(capacity.Config(hidden=(16, 16, 16)), "a note")})
cfg = ui.controls(capacity.Config, only=("hidden", "seed"))
st.code(repr(cfg.hidden))
"""


def test_ui_controls_draws_and_links_a_repeat_field():
    at = run_script(REPEAT_PAGE, depth="3", width="16.0")
    assert_clean(at)
    assert at.code[0].value == "(16, 16, 16)" and at.query_params["width"] == "16"
    at.button(key="preset.three of 16").click().run()
    assert at.code[0].value == "(16, 16, 16)"
    bad = run_script(REPEAT_PAGE, depth="9")
    assert tr("Hidden layers must be between 1 and {most} (got {depth}).").format(most=6, depth=9) in bad.warning[0].value
    assert bad.code[0].value == repr(capacity.Config().hidden)


def test_ui_controls_says_which_tuple_it_cannot_draw(caplog):
    at = run_script("from nncore import ui\nfrom nncore.experiments import optimizer_race\n"
                    "ui.controls(optimizer_race.Config, only=('optimizers',))")
    assert at.exception    # the page shows Streamlit's redacted error box; the log has the sentence
    assert f"TypeError: {tr('Racers')}: ui.controls draws no widget for a Records field" in caplog.text
