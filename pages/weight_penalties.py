"""Weight penalties: L1, L2, elastic net and decoupled weight decay on an overfitting net; the regularization path."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import weight_penalties as wp
from nncore.ui import ab
from nncore.ui.i18n import _

st.title(_("Weight penalties"))
ui.lesson("weight_penalties")
ui.lecture(_("002 'Regularization Method' (L1, L2, elastic net), 001 'Regularization' (L2 penalty)"))

st.subheader(_("Presets"))
ab.presets(wp.PRESETS, on=("l1", "l2", "weight_decay"))

left, right = st.columns([1, 3], gap="large")
with left:
    cfg_a, cfg_b = ab.configs(wp.Config, base=wp.PENALTIES, on={"l1": 0.0, "l2": 0.005, "weight_decay": 0.0})
with right:
    ui.predict("weight_penalties")
    ui.preset_banner(wp.PRESETS, cfg_b)
    a, b = ab.run_pair(wp.run, cfg_a, cfg_b, (_("A: training without a penalty"), _("B: training with the penalty")))
    names = [_("A: no penalty"), _("B: {technique}").format(technique=wp.penalty_name(cfg_b))]
    ui.chart(ui.figure(viz.curves, [a, b], names), "curves", wp.notice_compare(a, b, wp.penalty_name(cfg_b)))
    if (fig := ui.figure(viz.fits, [a, b], names)) is not None:
        ui.chart(fig, "fits")

ui.lesson("weight_penalties", "L1 makes weights exactly zero, L2 makes them small")
runs = {k: ui.run(wp.run, c, _("{penalty} run").format(penalty=wp.penalty_name(c)))
        for k, c in wp.penalty_runs(cfg_a, cfg_b).items()}
ui.chart(ui.figure(viz.weight_histograms, list(runs.values()), [wp.penalty_name(r.config) for r in runs.values()]),
         "weights", wp.notice_weights(runs))

ui.lesson("weight_penalties", "The regularization path")
if st.toggle(_("Compute the path (one run per λ)"), key="path", bind="query-params"):
    path_cfg = ui.controls(wp.PathConfig, prefix="path_", base=cfg_a)
    path = ui.run(wp.regularization_path, path_cfg, _("One run per λ"))
    ui.chart(ui.figure(viz.regularization_path, path), "path_chart", wp.notice_path(path))
