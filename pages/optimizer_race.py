"""Optimizer race: SGD, momentum, Nesterov, AdaGrad, RMSprop, Adam, ... side by side on 2-D loss surfaces (002, 001)."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import optimizer_race
from nncore.ui import race
from nncore.ui.i18n import N_, _

st.title(_("Optimizer race"))
ui.lesson("optimizer_race")
ui.lecture("002 'Optimization Methods', 'Problems of Gradient Descent', Momentum, NAG, Adagrad, RMSprop, Adam; "
           "001 'Stochastic Gradient Descent variants'")

st.subheader(_("Scenarios from the lectures"))
ui.presets(optimizer_race.PRESETS, columns=3)

left, right = st.columns([1, 2.6], gap="large")
with left:
    cfg = race.controls_for_race()
    show_3d = st.toggle(_("3-D view of the surface"), key="show_3d", bind="query-params")
    show_internals = st.toggle(_("Inside one optimizer"), key="internals", bind="query-params",
                               help=_("Gradient, momentum buffer / Adam's m and v, AdaGrad's sum, and the update."))

with right:
    ui.predict("optimizer_race")
    ui.preset_banner(optimizer_race.PRESETS, cfg)
    result = ui.run(optimizer_race.run, cfg, N_("Racing"))
    if any(d is not None for d in result.diverged_at.values()):
        st.warning(_("A racer diverged (its point left the map or became NaN): its path stops there, the others "
                     "go on. This is the lesson, not a bug."), icon=":material/warning:")
    race.map_chart(ui.figure(viz.optimizer_map, result), optimizer_race.notice_race(result))
    ui.chart(ui.figure(viz.optimizer_losses, result), "losses", optimizer_race.notice_steps(result))
    ui.chart(ui.figure(viz.optimizer_leaderboard, result), "leaderboard", optimizer_race.notice_adaptive(result))
    if show_3d:
        ui.chart(ui.figure(viz.optimizer_surface, result), "surface3d")
    if show_internals:
        who, step = race.internals_picker(result)
        st.dataframe(optimizer_race.internals_at(result, who, step), hide_index=True)
        ui.chart(ui.figure(viz.optimizer_internals, result, who, step), "internals_chart")

for section in (N_("The update rules"), N_("What the lecture's formulas leave out")):
    st.subheader(_(section))
    ui.lesson("optimizer_race", section)
