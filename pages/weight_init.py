"""Weight initialization: activation statistics of a deep tanh/ReLU net at initialization (002, 003, 001)."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import weight_init
from nncore.ui import i18n
from nncore.ui.i18n import _

st.title(_("Weight initialization"))
ui.lesson("weight_init")
ui.lecture(_("002 & 003 'Weight Initialization' (the 10-layer × 500-unit tables), 001 'Weights initialization'"))

st.subheader(_("Presets from the lectures"))
ui.presets(weight_init.PRESETS, columns=4)

left, right = st.columns([1.4, 3], gap="large")  # wide enough for the toggles' labels
with left:
    cfg = ui.controls(weight_init.Config, exclude=("bins",))
    log_std = st.toggle(_("Std on a log axis"), key="log_std", bind="query-params",
                        help=_("0.01·N(0,1) shrinks the std to 1e-7 by layer 10: a log axis shows every layer."))
    compare = st.toggle(_("Compare with a second configuration"), key="compare", bind="query-params")
    if compare:
        st.caption(_("Second configuration"))
        cfg_b = ui.controls(weight_init.Config, prefix="b_", exclude=("bins", "samples", "seed"),
                            samples=cfg.samples, seed=cfg.seed)

with right:
    guess = ui.predict("weight_init")
    ui.preset_banner(weight_init.PRESETS, cfg)
    runs = [ui.run(weight_init.run, cfg)]
    if compare:
        runs.append(ui.run(weight_init.run, cfg_b))
    result = runs[0]
    if result.diverged_at:
        st.warning(_("The activations overflowed float32 at hidden layer {layer}: the layers above it are empty in "
                     "the charts. This is the lesson, not a bug.").format(layer=result.diverged_at),
                   icon=":material/warning:")
    ui.chart(ui.figure(viz.layer_stats, runs, log_std=log_std, guess=guess), "stats", weight_init.notice_forward(result))
    ui.chart(ui.figure(viz.layer_histograms, result), "hist", weight_init.notice_histograms(result))
    ui.chart(ui.figure(viz.gradient_stds, runs), "grads", weight_init.notice_backward(result))
    ui.chart(ui.figure(viz.unit_health, runs), "health", weight_init.notice_health(result))
    ui.notice(weight_init.notice_symmetry(result))
    st.caption(_("Histograms, saturation and gradients use the first {samples} samples; the mean and std use all of "
                 "them.").format(samples=i18n.number(result.subsample, ",")))
    with st.expander(_("The lecture's printout, from this run")):
        st.code(weight_init.printout(result), language=None)

ui.lesson("weight_init", "Why it happens")
