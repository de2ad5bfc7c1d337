"""Preprocessing: 003's cloud centered, normalized, decorrelated and whitened; whose statistics scale the validation
split; the same red-wine net on raw, min-max scaled and standardized features; a two-weight model's zig-zag on raw
inputs; the digits centered by their mean image or their channel mean."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import preprocessing as prep
from nncore.ui.i18n import N_, _

st.title(_("Preprocessing"))
ui.lesson("preprocessing")
ui.lecture("002 & 003 'Data Preprocessing' / 'Preprocesado', 000 'Normalize your data', 004 (red wine, min-max)")

left, right = st.columns([1, 3], gap="large")
with left:
    cloud_cfg = ui.controls(prep.CloudConfig, prefix="cloud_")
with right:
    ui.predict("preprocessing")
    cloud = prep.cloud(cloud_cfg)
    ui.chart(ui.figure(viz.preprocessing_steps, cloud), "steps", prep.notice_cloud(cloud))

ui.lesson("preprocessing", "Statistics from the training split only")
left, right = st.columns([1, 3], gap="large")
with left:
    cfg = ui.controls(prep.Config)
with right:
    result = ui.run(prep.run, cfg, N_("Training the same net on the red wines, five ways"))
    ui.chart(ui.figure(viz.preprocessing_sources, result), "sources", prep.notice_sources(result))

ui.lesson("preprocessing", "Raw, min-max scaled or standardized")
ui.chart(ui.figure(viz.preprocessing_scalings, result), "scalings", prep.notice_scalings(result))

ui.lesson("preprocessing", "The zig-zag of a two-weight model")
left, right = st.columns([1, 3], gap="large")
with left:
    path_cfg = ui.controls(prep.PathConfig, prefix="path_")
with right:
    paths = prep.weight_paths(path_cfg)
    ui.chart(ui.figure(viz.preprocessing_paths, paths, prep.PATH_NAMES), "paths", prep.notice_paths(paths))
ui.lesson_link("pages/gradient_flow.py", _("Gradient flow: the zig-zag of all-positive inputs"))

ui.lesson("preprocessing", "Images: the mean image or the channel mean")
digits = prep.digit_means()
ui.chart(ui.figure(viz.digit_centering, digits), "digit_means", prep.notice_digits(digits))
