"""Gradient flow: vanishing gradients through depth, and the zig-zag of all-positive inputs (001, 002, 003)."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments.gradient_flow import depth as gradient_depth
from nncore.experiments.gradient_flow import zigzag
from nncore.ui.i18n import _

st.title(_("Gradient flow through activations"))
ui.lesson("gradient_flow")

st.header(_("1. The gradient through a deep stack"))
ui.lesson("gradient_flow", "Through depth")
ui.lecture(_("001 'Backpropagation' (∂z/∂w = f⁽³⁾'(y) f⁽²⁾'(x) f⁽¹⁾'(w): 'if any of the intermediate activations have "
             "too small derivatives or 0 (dead neurons) gradients will not flow back'); 002 'Sigmoid' ('Saturated "
             "neurons “kill” the gradients'), 003 'Sigmoide' ('Neuronas saturadas matan el gradiente')"))
ui.presets(gradient_depth.PRESETS)
left, right = st.columns([1, 3], gap="large")
with left:
    depth_cfg = ui.controls(gradient_depth.Config)
with right:
    ui.predict("gradient_flow")
    ui.preset_banner(gradient_depth.PRESETS, depth_cfg)
    depth = ui.run(gradient_depth.run, depth_cfg)
    ui.chart(ui.figure(viz.gradient_through_depth, depth), "chart_depth", gradient_depth.notice_gradient(depth))
    ui.chart(ui.figure(viz.local_slopes, depth), "chart_local", gradient_depth.notice_slopes(depth))

st.header(_("2. Zero-centered inputs and the zig-zag"))
ui.lesson("gradient_flow", "The zig-zag")
ui.lecture(_("002 'What happens when the input to a neuron is always positive', 003 'Sigmoide' (zig-zag)"))
ui.presets(zigzag.PRESETS, prefix="zz_", columns=4)
left, right = st.columns([1, 3], gap="large")
with left:
    zz_cfg = ui.controls(zigzag.Config, prefix="zz_")
with right:
    ui.preset_banner(zigzag.PRESETS, zz_cfg)
    zz = ui.run(zigzag.run, zz_cfg)
    ui.chart(ui.figure(viz.zigzag_paths, zz), "chart_zigzag", zigzag.notice_path(zz))
    ui.chart(ui.figure(viz.zigzag_loss, zz), "chart_zigzag_loss")
