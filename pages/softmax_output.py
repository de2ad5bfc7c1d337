"""Softmax at the output: scores to probabilities, temperature, and why it wants cross-entropy (001, 002)."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import softmax_output
from nncore.ui.i18n import _

st.title(_("Softmax output"))
ui.lesson("softmax_output")
ui.lecture(_("001 EXTRAS 'More on activations: Softmax' and 'Sigmoid' (needs a Log in the loss to cancel the Exp); 002 "
             "'applied nonlinear activation before softmax'"))

st.subheader(_("Presets"))
ui.presets(softmax_output.PRESETS, columns=4)
left, right = st.columns([1, 3], gap="large")
with left:
    cfg = ui.controls(softmax_output.Config)
with right:
    guess = ui.predict("softmax_output")
    ui.preset_banner(softmax_output.PRESETS, cfg)
    result = ui.run(softmax_output.run, cfg)
    ui.chart(ui.figure(viz.softmax_bars, result, guess=guess), "chart_probs", softmax_output.notice_probs(result))
    ui.chart(ui.figure(viz.softmax_losses, result), "chart_losses", softmax_output.notice_gradient(result))

ui.registry_cards(softmax_output.OUTPUT_ACTIVATIONS, ["softmax"], columns=1)
ui.lesson("softmax_output", "The log cancels the exp")
