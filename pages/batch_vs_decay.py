"""Batch size vs decay: divide the lr by k, or multiply the batch by k (Smith et al. 2017, cited in 001)."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import batch_vs_decay as bvd
from nncore.ui.split import split_controls

st.title("Batch size vs decay")
ui.lesson("batch_vs_decay")
ui.lecture("001 'Decaying learning rate': 'An alternative could be to increase the batch-size' (arXiv:1711.00489)")

st.subheader("Presets")
ui.presets(bvd.PRESETS, columns=4)

left, right = st.columns([1, 3], gap="large")
with left:
    cfg = split_controls(bvd.Config, ("factor", "every", "baseline"))
with right:
    ui.preset_banner(bvd.PRESETS, cfg)
    result = ui.run(bvd.run, cfg, "Training: decay vs grown batch")
    ui.chart(viz.batch_vs_decay_curves(result), "batch", bvd.notice(result))

st.subheader("Reading the charts")
ui.lesson("batch_vs_decay", "Reading the charts")
