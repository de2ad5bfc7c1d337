"""Learning-rate schedules: the lr that each torch scheduler sets, step by step, overlaid (001, 002)."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import lr_schedules
from nncore.ui import schedule_picker
from nncore.ui.i18n import N_, _

st.title(_("Learning-rate schedules"))
ui.lesson("lr_schedules")
ui.lecture("001 'Decaying learning rate', 002 'Learning Rate Decay' (warmup) and 'Cyclic Learning Rate'")

st.subheader(_("Presets from the lectures"))
result, left, right = schedule_picker.panel(
    lr_schedules.run, lr_schedules.Config, presets=lr_schedules.PRESETS, length="steps", unit="steps",
    main=("steps", "base_lr"), max_schedules=lr_schedules.MAX_SCHEDULES,
    rest_label=N_("Made-up plateau for reduce on plateau"), label=N_("Stepping the schedulers"), ask="lr_schedules")
with left:
    log_y = st.toggle(_("Log lr axis"), key="log_y", bind="query-params",
                      help=_("Exponential decay and plateau cuts are straight lines and even steps on a log axis."))
with right:
    ui.chart(ui.figure(viz.lr_schedules, result, log_y=log_y), "schedules", lr_schedules.notice(result))

st.subheader(_("Reading the schedules"))
ui.lesson("lr_schedules", "Reading the schedules")
