"""Sanity checks before training: the initial loss against ln C, overfitting a tiny subset, the update/weight
ratio against 001's band, and Karpathy's recipe as a checklist (002, 003 'Babysitting', 001 'practical tips')."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import sanity_checks as sc
from nncore.ui.i18n import N_, _

st.title(_("Sanity checks before training"))
ui.lesson("sanity_checks")
ui.lecture("002 'Babysitting the Learning Process' 3-4, 003 '3. Verificación básica' and '5. Monitoreo', "
           "001 'Check loss at the beginning of training', 'Make sure your network can overfit a tiny dataset', "
           "'More training tips'")

st.subheader(_("Presets from the lectures"))
ui.presets(sc.PRESETS)
left, right = st.columns([1, 3], gap="large")
with left:
    cfg = ui.controls(sc.Config)
with right:
    guess = ui.predict("sanity_checks")
    ui.preset_banner(sc.PRESETS, cfg)
    result = ui.run(sc.run, cfg, label=N_("Checking the initial loss, overfitting the tiny subset, monitoring 3 rates"))
    st.subheader(_("1. Is the initial loss reasonable?"))
    st.table(sc.initial_loss_rows(result))
    ui.chart(ui.figure(viz.initial_losses, result, guess=guess), "initial", sc.notice_initial(result))
    st.subheader(_("2. Can it overfit a tiny subset?"))
    ui.chart(ui.figure(viz.tiny_overfit, result), "tiny", sc.notice_tiny(result))
    st.subheader(_("3. Are the updates the right size?"))
    ui.chart(ui.figure(viz.update_ratios, result), "ratio", sc.notice_ratio(result))
    ui.chart(ui.figure(viz.gradient_health, result), "health", sc.notice_health(result))

ui.lesson("sanity_checks", "Why these checks")
st.header(_("Karpathy's recipe, step by step in the lab"))
ui.lesson("sanity_checks", "Karpathy's recipe")
ui.checklist([
    (_("Become one with the data"), _("Look at the images and their labels before any model."),
     [("pages/augmentation.py", _("Data augmentation: the digits"))]),
    (_("Set up the skeleton and dumb baselines"), _("Fix the seed, verify the loss at initialization, initialize well, "
                                                    "overfit one batch (the checks above), watch the training loss "
                                                    "fall."),
     [("pages/weight_init.py", _("Weight initialization")), ("pages/lr_finder.py", _("Finding the learning rate")),
      ("pages/loss_curves.py", _("Reading the loss curve"))]),
    (_("Overfit"), _("A model large enough to fit the training set; Adam is a safe start; add complexity one step at a "
                     "time."),
     [("pages/capacity.py", _("Capacity and overfitting")), ("pages/optimizer_race.py", _("Optimizer race"))]),
    (_("Regularize"), _("More data (augmentation), dropout, weight decay, early stopping, normalization."),
     [("pages/dropout.py", _("Dropout")), ("pages/weight_penalties.py", _("Weight penalties")),
      ("pages/early_stopping.py", _("Early stopping")), ("pages/normalization.py", _("Normalization"))]),
    (_("Tune"), _("Random search over grid search, coarse to fine, in log space."),
     [("pages/hparam_search.py", _("Hyperparameter search"))]),
    (_("Squeeze out the juice"), _("Decay the learning rate and leave it training."),
     [("pages/lr_schedules.py", _("Learning-rate schedules")), ("pages/schedule_race.py", _("Schedule race"))]),
])
