"""Learning-rate schedules: the lr that each torch scheduler sets, step by step, overlaid (001, 002)."""
import dataclasses

import streamlit as st

from nncore import ui, viz
from nncore.experiments import lr_designer
from nncore.ui import schedule_picker

st.title("Learning-rate schedules")
ui.lesson("lr_schedules")
ui.lecture("001 'Decaying learning rate', 002 'Learning Rate Decay' (warmup) and 'Cyclic Learning Rate'")

st.subheader("Presets from the lectures")
schedule_picker.presets(lr_designer.PRESETS, "d", steps_of="steps")

left, right = st.columns([1, 3], gap="large")
with left:
    picked = st.container()
    with st.expander("Run length, base rate, made-up plateau", expanded=False):
        cfg = ui.controls(lr_designer.Config, schedules=())
    with picked:
        specs = schedule_picker.pick("d", cfg.steps, cfg.base_lr, "steps", lr_designer.Config().schedules,
                                     lr_designer.MAX_SCHEDULES)
    log_y = st.toggle("Log lr axis", key="log_y", bind="query-params",
                      help="Exponential decay and plateau cuts are straight lines and even steps on a log axis.")
cfg = dataclasses.replace(cfg, schedules=specs)

with right:
    schedule_picker.preset_banner(lr_designer.PRESETS, cfg, steps_of="steps")
    result = ui.run(lr_designer.run, cfg, "Stepping the schedulers")
    ui.chart(viz.lr_schedules(result, log_y=log_y), "schedules", lr_designer.notice(result))

st.subheader("Reading the schedules")
ui.lesson("lr_schedules", "Reading the schedules")
