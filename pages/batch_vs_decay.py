"""Batch size vs decay: divide the lr by k, or multiply the batch by k (Smith et al. 2017, cited in 001)."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import batch_vs_decay as bvd
from nncore.ui.i18n import N_, _
from nncore.ui.split import panel

st.title(_("Batch size vs decay"))
ui.lesson("batch_vs_decay")
ui.lecture("001 'Decaying learning rate': 'An alternative could be to increase the batch-size' (arXiv:1711.00489)")

st.subheader(_("Presets"))
result, right = panel(bvd.run, bvd.Config, presets=bvd.PRESETS, main=("factor", "every", "baseline"),
                      label=N_("Training: decay vs grown batch"),
                      ask="batch_vs_decay")
with right:
    ui.chart(ui.figure(viz.batch_vs_decay_curves, result), "batch", bvd.notice(result))

st.subheader(_("Reading the charts"))
ui.lesson("batch_vs_decay", "Reading the charts")
