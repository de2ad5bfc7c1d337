"""Data assessment: the training set against a blind set, feature by feature, before and after normalization (000)."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import data_assessment
from nncore.ui.i18n import N_, _

st.title(_("Data assessment"))
ui.lesson("data_assessment")
ui.lecture("000 'Data Assessment' (Compare_Dataset_TrainAndBlind_NoNormalize / _Normalize), 000 'Normalize your "
           "data', 003 'Preprocesado' (statistics from the training set only)")

st.subheader(_("Presets"))
ui.presets(data_assessment.PRESETS)
left, right = st.columns([1, 3], gap="large")
with left:
    cfg = ui.controls(data_assessment.Config)
with right:
    ui.predict("data_assessment")
    ui.preset_banner(data_assessment.PRESETS, cfg)
    result = ui.run(data_assessment.run, cfg, label=N_("Cutting the blind set and scoring every feature"))
    ui.chart(ui.figure(viz.shift_scores, result), "chart_scores", data_assessment.notice_scores(result))

ui.lesson("data_assessment", "Before and after normalization")
raw, standardized = st.tabs([_("Raw units"), _("Standardized with the training statistics")])
with raw:
    ui.chart(ui.figure(viz.feature_histograms, result), "chart_raw")
with standardized:
    ui.chart(ui.figure(viz.feature_histograms, result, True), "chart_standardized")
ui.lesson("data_assessment", "What to do about a shift")
