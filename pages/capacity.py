"""Capacity: a small and a large MLP on the same data; under-, fair and overfitting (004, 002, 001, 000)."""
import dataclasses

import streamlit as st

from nncore import ui, viz
from nncore.experiments import capacity
from nncore.ui import ab
from nncore.ui.i18n import _

st.title(_("Capacity and overfitting"))
ui.lesson("capacity")
ui.lecture(_("004 'Underfitting and Overfitting' and 'Capacity', 002 'Underfitting vs Overfitting', "
             "001 'Monitoring training/learning progress', 000 'Possible scenarios on a training'"))

st.subheader(_("Presets from the lectures"))
ab.presets(capacity.PRESETS)

left, right = st.columns([1, 3], gap="large")
with left:
    st.markdown(_("**A: the smaller net**"))
    hidden_a = ab.hidden_layers(capacity.Config, (2,), prefix="a_")
    st.markdown(_("**B: the larger net**"))
    hidden_b = ab.hidden_layers(capacity.Config, (128, 128), prefix="b_")
    cfg_a, _cfg = ab.configs(capacity.Config, base=capacity.CAPACITY, on={}, hidden=hidden_a,
                             shared_label=_("Data and training (the same for A and B)"))
    cfg_b = dataclasses.replace(cfg_a, hidden=hidden_b)
with right:
    ui.predict("capacity")
    banner = st.container()   # above the runs; filled once they are done
    a, b = ab.run_pair(capacity.run, cfg_a, cfg_b, (_("A: training the smaller net"), _("B: training the larger net")))
    with banner:
        ab.preset_banner(capacity.PRESETS, (cfg_a, cfg_b), (a, b), capacity.PRESET_NOTICES)
    names = [f"A: {len(hidden_a)}×{hidden_a[0]}", f"B: {len(hidden_b)}×{hidden_b[0]}"]
    st.caption(capacity.notice_parameters(names, (cfg_a, cfg_b)))
    ui.chart(ui.figure(viz.curves, [a, b], names), "curves")
    for name, r in zip(names, (a, b)):   # one under the other: side by side, each was ~180 px wide at 1024 px
        ui.notice(_("**{name}: {fit}.**").format(name=name, fit=capacity.fit_label(r)) + " " + capacity.notice_curves(r))
    if (fig := ui.figure(viz.fits, [a, b], names)) is not None:
        ui.chart(fig, "fits")

ui.lesson("capacity", "How the label is decided")
