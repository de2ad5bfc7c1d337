"""Depth vs width: nets of 1, 2, 4, ... hidden layers with the same parameter count, on the same data and seed (001)."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import depth_vs_width as dw
from nncore.ui import split
from nncore.ui.i18n import N_, _

st.title(_("Depth vs width"))
ui.lesson("depth_vs_width")
ui.lecture(_("001 'The importance of depth' (Goodfellow et al., arXiv:1312.6082)"))

st.subheader(_("Presets"))
result, right = split.panel(dw.run, dw.Config, presets=dw.PRESETS, main=("budget", "deepest", "dataset"),
                            label=N_("Training one net per depth"), ask="depth_vs_width")
with right:
    st.caption(dw.notice_counts(result))
    ui.chart(ui.figure(viz.depth_curves, result), "chart_curves")
    ui.chart(ui.figure(viz.depth_scores, result), "chart_scores", dw.notice_depth(result))

ui.lesson("depth_vs_width", "Why depth can pay, and when it does not")
