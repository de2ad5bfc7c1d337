"""Dropout: an overfitting net with and without dropout, train vs eval mode, 002's expectation example (000)."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import regularization as reg
from nncore.ui import ab

st.title("Dropout")
ui.lesson("dropout")
ui.lecture("002 'Dropout' and 'Dropout: Test Time', 001 'Dropout', 004 'Dropout and Batch Normalization Layers', "
           "000 'My validation accuracy is higher than the training accuracy'")

left, right = st.columns([1, 3], gap="large")
with left:
    cfg_a, cfg_b = ab.configs(reg.Config, base=reg.OVERFIT, on={"dropout": 0.5})
with right:
    a = ui.run(reg.run, cfg_a, "A: training without dropout")
    b = ui.run(reg.run, cfg_b, "B: training with dropout")
    names = ["A: no dropout", f"B: dropout p = {cfg_b.dropout:g}"]
    for note in a.notes + b.notes:
        st.warning(note, icon=":material/info:")
    ui.chart(viz.curves([a, b], names), "curves", reg.notice_compare(a, b, f"dropout p = {cfg_b.dropout:g}"))
    if (fig := viz.fits([a, b], names)) is not None:
        ui.chart(fig, "fits")

ui.lesson("dropout", "Train mode and eval mode")
p = st.slider("Dropout probability p for the example", 0.0, 0.9, 0.5, 0.05, key="example_p", bind="query-params")
ex = reg.dropout_expectation(p=p)
st.table([{"x kept": "yes" if r["keep"][0] else "no", "y kept": "yes" if r["keep"][1] else "no",
           "probability": f"{r['probability']:.4f}", "a = w₁x + w₂y with the drops": f"{r['output']:g}"}
          for r in ex["rows"]])
ui.notice(f"With w = (1, 2) and inputs (x, y) = (3, −1), the full neuron gives a = {ex['a']:g}. With dropout "
          f"p = {p:g} its expected output in training is {ex['expected']:.3g} = (1 − p)·a, so at test time the lecture "
          f"multiplies by 1 − p = {1 - p:g}: {ex['test_time_scaled']:.3g}. Torch's inverted dropout divides by 1 − p in "
          f"training instead: the mean over {ex['samples']:,} sampled masks is {ex['inverted_mc']:.3f} ≈ a.")

ui.lesson("dropout", "Why validation accuracy can beat training accuracy")
ui.notice(reg.notice_dropout(b))
