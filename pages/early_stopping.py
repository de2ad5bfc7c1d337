"""Early stopping: patience, min_delta and restore_best_weights on an overfitting run (002, 004)."""
import dataclasses

import streamlit as st

from nncore import ui, viz
from nncore.experiments import early_stopping as es
from nncore.ui import ab
from nncore.ui.i18n import _

st.title(_("Early stopping"))
ui.lesson("early_stopping")
ui.lecture(_("002 'Early Stopping', 004 'Early Stopping' (min_delta, patience, restore_best_weights)"))

st.subheader(_("Presets from the lectures"))
ab.presets(es.PRESETS, on=("min_delta",), keys={"patience": "b_patience"})

left, right = st.columns([1, 3], gap="large")
with left:
    st.markdown(_("**B: early stopping on**"))
    patience = st.slider(_("Patience (epochs)"), 1, 200, 20, key="b_patience", bind="query-params",
                         help=_("Stop after this many epochs without an improvement larger than min_delta."))
    cfg_a, cfg_b = ab.configs(es.Config, base=es.OVERFIT, on={"min_delta": 0.0}, technique_label=None)
    cfg_b = dataclasses.replace(cfg_b, patience=patience)
with right:
    ui.predict("early_stopping")
    banner = st.container()   # above the runs; filled once they are done
    a, b = ab.run_pair(es.run, cfg_a, cfg_b, (_("A: training every epoch"), _("B: training with early stopping")))
    with banner:
        ab.preset_banner(es.PRESETS, cfg_b, (a, b), es.PRESET_NOTICES)
    ui.chart(ui.figure(viz.early_stopping, b), "stopping", es.notice_early_stopping(b))
    names = [_("A: all {epochs} epochs").format(epochs=cfg_a.epochs), _("B: patience {n}").format(n=patience)]
    ui.chart(ui.figure(viz.curves, [a, b], names), "curves", es.notice_compare(a, b, _("early stopping")))
    if (fig := ui.figure(viz.fits, [a, b], names)) is not None:
        ui.chart(fig, "fits")

ui.lesson("early_stopping", "Reading the chart")
