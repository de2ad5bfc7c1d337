"""Convergence race: the same network, data and seed trained with each activation; AlexNet's "6x" checked."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import activation_race as race
from nncore.ui.i18n import _

st.title(_("Activation race"))
ui.lesson("activation_race")
ui.lecture(_("002 'ReLU: converges much faster than sigmoid/tanh in practice (e.g. 6x)', 003 'Converge mucho más "
             "rápido que sigmoide o tanh (ej. 6x)' (AlexNet, Krizhevsky et al. 2012)"))

st.subheader(_("Presets"))
ui.presets(race.PRESETS)
left, right = st.columns([1, 3], gap="large")
with left:
    cfg = ui.controls(race.Config)
with right:
    ui.predict("activation_race")
    ui.preset_banner(race.PRESETS, cfg)
    result = ui.run(race.run, cfg, label=_("Training the race"))
    diverged = [result.labels[n] for n, r in result.runs.items() if r.diverged_at is not None]
    if diverged:
        st.warning(_("The loss became inf/NaN for {names}: their curves stop at that epoch. The learning rate is too "
                     "large for them — a result, not a bug.").format(names=", ".join(diverged)),
                   icon=":material/warning:")
    ui.chart(ui.figure(viz.race_curves, result), "chart_curves", race.notice_speed(result))
    ui.chart(ui.figure(viz.race_summary, result), "chart_summary", race.notice_time(result))
    ui.chart(ui.figure(viz.race_units, result), "chart_units", race.notice_units(result))

ui.lesson("activation_race", "Reading the race honestly")
