"""Schedule race: the same training under several learning-rate schedules, each lr curve beneath (001, 002)."""
import dataclasses

import streamlit as st

from nncore import ui, viz
from nncore.experiments import schedule_race as race
from nncore.ui import schedule_picker

st.title("Schedule race")
ui.lesson("schedule_race")
ui.lecture("001 'Decaying learning rate', 002 'Learning Rate Decay' and 'Cyclic Learning Rate'")

st.subheader("Presets from the lectures")
schedule_picker.presets(race.PRESETS, "s", steps_of="epochs")

left, right = st.columns([1, 3], gap="large")
with left:
    picked = st.container()
    with st.expander("Data, network and training (the same for every schedule)", expanded=False):
        cfg = ui.controls(race.Config, schedules=())
    with picked:
        specs = schedule_picker.pick("s", cfg.epochs, cfg.base_lr, "epochs", race.Config().schedules,
                                     race.MAX_SCHEDULES)
cfg = dataclasses.replace(cfg, schedules=specs)

with right:
    schedule_picker.preset_banner(race.PRESETS, cfg, steps_of="epochs")
    result = ui.run(race.run, cfg, "Training under each schedule")
    ui.chart(viz.schedule_race_curves(result), "race", race.notice_race(result))
    ui.notice(race.notice_lr(result))

st.subheader("What to look for")
ui.lesson("schedule_race", "What to look for")
