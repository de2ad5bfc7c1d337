"""Universal approximation: 001's six-ReLU sum Z(x) term by term, then a one-hidden-layer ReLU net fit live (001)."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments.universal_approximation import fit, relu_sum
from nncore.ui import split
from nncore.ui import universal_approximation as controls
from nncore.ui.i18n import N_, _

st.title(_("Universal approximation"))
ui.lesson("universal_approximation")
ui.lecture(_("001 'What kind of functions can NNs approximate?' (the Universal Approximation Theorem, Hornik 1991)"))

st.subheader(_("001's Z(x), one hinge at a time"))
st.latex(r"Z(x) = -n_1(x) - n_2(x) - n_3(x) + n_4(x) + n_5(x) + n_6(x), \qquad n_i(x) = \mathrm{Relu}(w_i x + b_i)")
z, right = split.panel(relu_sum.run, relu_sum.Config, presets=relu_sum.PRESETS, draw=controls.unit_controls,
                       label=N_("Adding the six units"), ask="universal_approximation")
with right:
    ui.chart(ui.figure(viz.relu_units, z), "chart_units", relu_sum.notice(z))

ui.lesson("universal_approximation", "Fitting a function with one hidden layer")
result, right = split.panel(fit.run, fit.Config, presets=fit.PRESETS, draw=controls.fit_controls,
                            label=N_("Training the one-hidden-layer net"))
with right:
    ui.chart(ui.figure(viz.approximation_fit, result), "chart_fit", fit.notice(result))
    ui.chart(ui.figure(viz.approximation_loss, result), "chart_loss")

ui.lesson("universal_approximation", "What the theorem does not say")
