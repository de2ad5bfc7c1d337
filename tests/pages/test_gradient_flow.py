"""The gradient-flow page in AppTest: defaults and presets of both parts, and the slides it cites."""
from __future__ import annotations

from nncore.experiments.gradient_flow import depth as gradient_depth
from tests.pages.helpers import array, assert_clean, charts, tr

FLOW = "pages/gradient_flow.py"


def test_gradient_flow_defaults_and_presets(open_page):
    at = open_page(FLOW)
    assert_clean(at)
    assert len(charts(at)) == 4
    depth = charts(at)[0]
    sigmoid = array(depth["data"][0]["y"])
    assert sigmoid[0] < 1e-6                                         # sigmoid's gradient vanishes by layer 1
    at.button(key="preset.zz_Larger step (lr 1)").click().run()
    assert_clean(at)
    assert at.session_state["zz_lr"] == 1.0
    assert any(tr("Larger step (lr 1)") in s.value for s in at.success)
    at.slider(key="depth").set_value(5).run()
    assert len(array(charts(at)[0]["data"][0]["y"])) == 5


def test_gradient_flow_cites_001s_backpropagation_slide_not_its_init_slides(open_page):
    at = open_page(FLOW)                                    # the defaults are the first preset: its banner shows
    shown = " ".join(c.value for c in at.caption) + " ".join(s.value for s in at.success)
    cited = shown + " ".join(p.lecture for p in gradient_depth.PRESETS.values())
    assert "too small derivatives or 0 (dead neurons) gradients will not flow back" in shown
    assert "Activation saturate" not in cited and "Tiny activations" not in cited   # 001's 0.05- and 0.01-init slides
