"""Normalization: batch norm on/off and placement at a high learning rate, train vs eval, the four norms' axes."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import normalization as norm
from nncore.ui import ab

st.title("Normalization")
ui.lesson("normalization")
ui.lecture("002 & 003 'Batch Normalization', 002 'Other Normalizations', 004 'Dropout and Batch Normalization Layers'")

left, right = st.columns([1, 3], gap="large")
with left:
    cfg_a, cfg_b = ab.configs(norm.Config, base=norm.NORMALIZATION, on={"norm": "batch", "norm_placement": "before"})
with right:
    ui.predict("normalization")
    a, b = ab.run_pair(norm.run, cfg_a, cfg_b,
                       ("A: training without normalization", f"B: training with {cfg_b.norm} norm"))
    names = ["A: no normalization", f"B: {cfg_b.norm} norm {cfg_b.norm_placement} the activation"]
    ui.chart(ui.figure(viz.curves, [a, b], names), "curves", norm.notice_compare(a, b, names[1][3:]) if not a.diverged_at
             else f"A: {norm.notice_curves(a)} B, at the same learning rate {cfg_b.lr:g}: {b.fit_reason}")
    if (fig := ui.figure(viz.fits, [a, b], names)) is not None:
        ui.chart(fig, "fits")
    ui.chart(ui.figure(viz.activation_spread, [a, b], names), "spread", norm.notice_activations(b))

ui.lesson("normalization", "Train mode and eval mode")
ui.chart(ui.figure(viz.bn_train_eval, b), "bn", norm.notice_bn(b))

ui.lesson("normalization", "Batch, layer, instance and group norm")
na = norm.norm_axes(seed=cfg_b.seed)
ui.chart(ui.figure(viz.norm_axes, na), "axes",
         "Torch's output equals the hand formula to within " + ", ".join(f"{k} {v:.0e}" for k, v in na.max_diff.items())
         + f" (float32). Batch norm's set spans all {na.x.shape[0]} samples of one channel; layer norm's one sample's "
           "channels; instance norm's one sample's one channel; group norm's one sample's group of channels.")
