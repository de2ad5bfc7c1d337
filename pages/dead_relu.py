"""Dead ReLUs: units that never fire on the data, at initialization and after training (002, 003, 001)."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import dead_relu
from nncore.ui.i18n import _

st.title(_("Dead ReLUs"))
ui.lesson("dead_relu")
ui.lecture(_("002 'Dead ReLU', 003 'Rectified Linear Unit' (zona muerta; sesgo positivo 0.01), 001 'dead neurons' and "
             "EXTRAS 'Dies for x < 0'"))

st.subheader(_("Presets from the lectures"))
ui.presets(dead_relu.PRESETS)
left, right = st.columns([1, 3], gap="large")
with left:
    cfg = ui.controls(dead_relu.Config)
with right:
    guess = ui.predict("dead_relu")
    ui.preset_banner(dead_relu.PRESETS, cfg)
    result = ui.run(dead_relu.run, cfg, label=_("Measuring at init, then training twice"))
    ui.chart(ui.figure(viz.dead_vs_bias, result, guess=guess), "chart_bias", dead_relu.notice_init(result))
    ui.chart(ui.figure(viz.dead_during_training, result), "chart_training", dead_relu.notice_training(result))

ui.lesson("dead_relu", "Why they stay dead")
