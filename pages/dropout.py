"""Dropout: an overfitting net with and without dropout, train vs eval mode, 002's expectation example (000)."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import dropout
from nncore.ui import ab

st.title("Dropout")
ui.lesson("dropout")
ui.lecture("002 'Dropout' and 'Dropout: Test Time', 001 'Dropout', 004 'Dropout and Batch Normalization Layers', "
           "000 'My validation accuracy is higher than the training accuracy'")

left, right = st.columns([1, 3], gap="large")
with left:
    cfg_a, cfg_b = ab.configs(dropout.Config, base=dropout.OVERFIT, on={"dropout": 0.5})
with right:
    ui.predict("dropout")
    a, b = ab.run_pair(dropout.run, cfg_a, cfg_b, ("A: training without dropout", "B: training with dropout"))
    names = ["A: no dropout", f"B: dropout p = {cfg_b.dropout:g}"]
    ui.chart(ui.figure(viz.curves, [a, b], names), "curves",
             dropout.notice_compare(a, b, f"dropout p = {cfg_b.dropout:g}"))
    if (fig := ui.figure(viz.fits, [a, b], names)) is not None:
        ui.chart(fig, "fits")

ui.lesson("dropout", "Train mode and eval mode")
p = st.slider("Dropout probability p for the example", 0.0, 0.9, 0.5, 0.05, key="example_p", bind="query-params")
ex = dropout.dropout_expectation(p=p)
st.table([{"x kept": "yes" if r["keep"][0] else "no", "y kept": "yes" if r["keep"][1] else "no",
           "probability": f"{r['probability']:.4f}", "a = w₁x + w₂y with the drops": f"{r['output']:g}"}
          for r in ex["rows"]])
ui.notice(dropout.notice_expectation(ex))

ui.lesson("dropout", "Why validation accuracy can beat training accuracy")
ui.notice(dropout.notice_dropout(b))
