"""Weight penalties: L1, L2, elastic net and decoupled weight decay on an overfitting net; the regularization path."""
import dataclasses

import streamlit as st

from nncore import ui, viz
from nncore.experiments import regularization as reg
from nncore.ui import ab

st.title("Weight penalties")
ui.lesson("weight_penalties")
ui.lecture("002 'Regularization Method' (L1, L2, elastic net), 001 'Regularization' (L2 penalty)")

left, right = st.columns([1, 3], gap="large")
with left:
    cfg_a, cfg_b = ab.configs(reg.Config, base=reg.OVERFIT, on={"l1": 0.0, "l2": 0.005, "weight_decay": 0.0})
with right:
    a, b = ab.run_pair(reg.run, cfg_a, cfg_b, ("A: training without a penalty", "B: training with the penalty"))
    names = ["A: no penalty", f"B: {reg.penalty_name(cfg_b)}"]
    ui.chart(ui.figure(viz.curves, [a, b], names), "curves", reg.notice_compare(a, b, reg.penalty_name(cfg_b)))
    if (fig := ui.figure(viz.fits, [a, b], names)) is not None:
        ui.chart(fig, "fits")

ui.lesson("weight_penalties", "L1 makes weights exactly zero, L2 makes them small")
strength = max(cfg_b.l1, cfg_b.l2, 0.001)   # L1 and L2 at the same λ
cfg_l1 = dataclasses.replace(cfg_a, l1=strength)
cfg_l2 = dataclasses.replace(cfg_a, l2=strength)
runs = [a, ui.run(reg.run, cfg_l1, "L1 run"), ui.run(reg.run, cfg_l2, "L2 run")]
names = ["no penalty", reg.penalty_name(cfg_l1), reg.penalty_name(cfg_l2)]
ui.chart(ui.figure(viz.weight_histograms, runs, names), "weights",
         reg.notice_weights(runs))

ui.lesson("weight_penalties", "The regularization path")
if st.toggle("Compute the path (one run per λ)", key="path", bind="query-params"):
    path_cfg = ui.controls(reg.PathConfig, prefix="path_", base=cfg_a)
    path = ui.run(reg.regularization_path, path_cfg, "One run per λ")
    ui.chart(ui.figure(viz.regularization_path, path), "path_chart", reg.notice_path(path))
