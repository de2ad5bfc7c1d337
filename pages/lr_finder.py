"""Finding the learning rate: 003's too small / too large / just right with the 3x rule, and Smith's LR range test."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import schedule_race
from nncore.experiments.lr_finder import range_test as rt
from nncore.experiments.lr_finder import sanity as lr_sanity
from nncore.ui import i18n
from nncore.ui.i18n import N_, _
from nncore.ui.split import panel

st.title(_("Finding the learning rate"))
ui.lesson("lr_finder")
ui.lecture("003 '4. Configuración de los hiperparámetros' and '4. Hiperparámetros'; the LR range test is not in the "
           "decks: Smith 2017, 'Cyclical Learning Rates for Training Neural Networks' §3.3, and fast.ai's lr_find")

st.header(_("Too small, just right, too large"))
ui.lesson("lr_finder", "Too small, just right, too large")
sanity, right = panel(lr_sanity.run, lr_sanity.Config, presets=lr_sanity.PRESETS,
                      main=("small_lr", "good_lr", "huge_lr", "stop_rule", "stop_factor"), prefix="c_",
                      label=N_("Training at three rates"), ask="lr_finder")
with right:
    ui.chart(ui.figure(viz.lr_sanity_curves, sanity, lr_sanity.names(sanity)), "sanity", lr_sanity.notice(sanity))
    ui.lesson("lr_finder", "Where a large rate does its damage")

st.header(_("The LR range test"))
ui.lesson("lr_finder", "The LR range test")
found, right = panel(rt.run, rt.Config, presets=rt.PRESETS,
                     main=("min_lr", "max_lr", "epochs", "smoothing", "stop_factor"), prefix="r_",
                     label=N_("Sweeping the learning rate"))
with right:
    ui.chart(ui.figure(viz.lr_range_curve, found), "range", rt.notice(found))
    if st.button(_("Race the schedules from α₀ = {lr}").format(lr=i18n.number(found.race_lr)), key="apply",
                 type="primary", shortcut=ui.run_key(), icon=":material/sprint:",
                 help=_("Opens the schedule race with this rate and the same data, network, batch size, optimizer and "
                        "seed.")):
        ui.open_page("pages/schedule_race.py", ui.carry(schedule_race.Config, found.config, base_lr=found.race_lr))
