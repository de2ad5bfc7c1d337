"""Schedule race: the same training under several learning-rate schedules, each lr curve beneath (001, 002)."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import schedule_race as race
from nncore.ui import schedule_picker
from nncore.ui.i18n import N_, _

st.title(_("Schedule race"))
ui.lesson("schedule_race")
ui.lecture("001 'Decaying learning rate', 002 'Learning Rate Decay' and 'Cyclic Learning Rate'")

st.subheader(_("Presets from the lectures"))
result, _left, right = schedule_picker.panel(
    race.run, race.Config, presets=race.PRESETS, length="epochs", unit="epochs", main=("base_lr", "epochs"),
    max_schedules=race.MAX_SCHEDULES, rest_label=N_("Data, network and training (the same for every schedule)"),
    label=N_("Training under each schedule"), ask="schedule_race")
with right:
    ui.chart(ui.figure(viz.schedule_race_curves, result), "race", race.notice_race(result))
    ui.notice(race.notice_lr(result))

st.subheader(_("What to look for"))
ui.lesson("schedule_race", "What to look for")
