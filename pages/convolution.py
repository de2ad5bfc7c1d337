"""Connectivity and convolution: dense vs sparse vs shared weights, a layer's output size, the sliding window, pooling,
receptive fields, and a CNN against an MLP on shifted digits (001)."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments.convolution import arithmetic, shift
from nncore.ui.i18n import N_, _

st.title(_("Connectivity and convolution"))
ui.lesson("convolution")
ui.lecture("001 'Connectivity and Model Architecture', 'CNNs output dimensions', 'Pooling', 'Strided convolutions'")

st.header(_("1. One convolution layer"))
ui.lesson("convolution", "One layer")
ui.presets(arithmetic.PRESETS)
left, right = st.columns([1, 3], gap="large")
with left:
    cfg = ui.controls(arithmetic.Config)
with right:
    ui.predict("convolution")
    ui.preset_banner(arithmetic.PRESETS, cfg)
    layer = ui.run(arithmetic.run, cfg, label=N_("Sliding the window"))
    st.metric(_("Output volume"), f"{layer.out_size} x {layer.out_size} x {cfg.filters}")
    ui.chart(ui.figure(viz.conv_window, layer), "chart_window", arithmetic.notice_size(layer))
    ui.chart(ui.figure(viz.connectivity_counts, layer), "chart_connectivity", arithmetic.notice_connectivity(layer))
    ui.chart(ui.figure(viz.pooling, layer), "chart_pooling", arithmetic.notice_pooling(layer))
    ui.chart(ui.figure(viz.receptive_fields, layer), "chart_receptive", arithmetic.notice_receptive(layer))

st.header(_("2. A CNN and an MLP on shifted digits"))
ui.lesson("convolution", "Shifted digits")
ui.lecture("001 'CNNs are translation equivariant by construction'")
ui.presets(shift.PRESETS, prefix="sh_")
left, right = st.columns([1, 3], gap="large")
with left:
    sh_cfg = ui.controls(shift.Config, prefix="sh_")
with right:
    ui.preset_banner(shift.PRESETS, sh_cfg)
    moved = ui.run(shift.run, sh_cfg, label=N_("Training the CNN, then the MLP"))
    ui.chart(ui.figure(viz.shift_accuracy, moved), "chart_shift", shift.notice_shift(moved))
    ui.chart(ui.figure(viz.shift_curves, moved), "chart_curves")
    ui.chart(ui.figure(viz.cnn_features, moved), "chart_features", shift.notice_maps(moved))
