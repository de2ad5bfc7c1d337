"""Activation functions: f(x) and f'(x) of every activation in the lectures, where each saturates, pros and cons."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import activation_functions as shapes
from nncore.ui.i18n import _

st.title(_("Activation functions"))
ui.lesson("activation_functions")
ui.lecture(_("002 & 003 'Activation Functions' (Sigmoid, Tanh, ReLU, Leaky ReLU/PReLU, ELU, Maxout, Swish), 001 "
             "'Activation functions' and 'EXTRAS'"))

st.subheader(_("Presets from the lectures"))
ui.presets(shapes.PRESETS, columns=4)

left, right = st.columns([1, 3], gap="large")
with left:
    chosen = ui.controls(shapes.Config, only=("activations",)).activations
    cfg = ui.controls(shapes.Config, exclude=shapes.unused_fields(chosen), activations=chosen)
with right:
    guess = ui.predict("activation_functions")
    ui.preset_banner(shapes.PRESETS, cfg)
    if warning := shapes.notice_params(cfg):
        st.warning(warning, icon=":material/warning:")
    result = ui.run(shapes.run, cfg)
    ui.chart(ui.figure(viz.activation_curves, result), "chart_values", shapes.notice_values(result))
    ui.chart(ui.figure(viz.activation_slopes, result, guess=guess), "chart_slopes", shapes.notice_slopes(result))

st.subheader(_("What the slides say about each one"))
ui.registry_cards(shapes.ACTIVATIONS, cfg.activations)
ui.lesson("activation_functions", "Which one to use")
