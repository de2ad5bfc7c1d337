"""Sanity checks before training: the initial loss against ln C, overfitting a tiny subset, the update/weight
ratio against 001's band, and Karpathy's recipe as a checklist (002, 003 'Babysitting', 001 'practical tips')."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import sanity_checks as sc

st.title("Sanity checks before training")
ui.lesson("sanity_checks")
ui.lecture("002 'Babysitting the Learning Process' 3-4, 003 '3. Verificación básica' and '5. Monitoreo', "
           "001 'Check loss at the beginning of training', 'Make sure your network can overfit a tiny dataset', "
           "'More training tips'")

st.subheader("Presets from the lectures")
ui.presets(sc.PRESETS)
left, right = st.columns([1, 3], gap="large")
with left:
    cfg = ui.controls(sc.Config)
with right:
    guess = ui.predict("sanity_checks")
    ui.preset_banner(sc.PRESETS, cfg)
    result = ui.run(sc.run, cfg, label="Checking the initial loss, overfitting the tiny subset, monitoring 3 rates")
    st.subheader("1. Is the initial loss reasonable?")
    st.table(sc.initial_loss_rows(result))
    ui.chart(ui.figure(viz.initial_losses, result, guess=guess), "initial", sc.notice_initial(result))
    st.subheader("2. Can it overfit a tiny subset?")
    ui.chart(ui.figure(viz.tiny_overfit, result), "tiny", sc.notice_tiny(result))
    st.subheader("3. Are the updates the right size?")
    ui.chart(ui.figure(viz.update_ratios, result), "ratio", sc.notice_ratio(result))
    ui.chart(ui.figure(viz.gradient_health, result), "health", sc.notice_health(result))

ui.lesson("sanity_checks", "Why these checks")
st.header("Karpathy's recipe, step by step in the lab")
ui.lesson("sanity_checks", "Karpathy's recipe")
ui.checklist([
    ("Become one with the data", "Look at the images and their labels before any model.",
     [("pages/augmentation.py", "Data augmentation: the digits")]),
    ("Set up the skeleton and dumb baselines", "Fix the seed, verify the loss at initialization, initialize well, "
     "overfit one batch (the checks above), watch the training loss fall.",
     [("pages/weight_init.py", "Weight initialization"), ("pages/lr_finder.py", "Finding the learning rate"),
      ("pages/loss_curves.py", "Reading the loss curve")]),
    ("Overfit", "A model large enough to fit the training set; Adam is a safe start; add complexity one step at a time.",
     [("pages/capacity.py", "Capacity and overfitting"), ("pages/optimizer_race.py", "Optimizer race")]),
    ("Regularize", "More data (augmentation), dropout, weight decay, early stopping, normalization.",
     [("pages/dropout.py", "Dropout"), ("pages/weight_penalties.py", "Weight penalties"),
      ("pages/early_stopping.py", "Early stopping"), ("pages/normalization.py", "Normalization")]),
    ("Tune", "Random search over grid search, coarse to fine, in log space.",
     [("pages/hparam_search.py", "Hyperparameter search")]),
    ("Squeeze out the juice", "Decay the learning rate and leave it training.",
     [("pages/lr_schedules.py", "Learning-rate schedules"), ("pages/schedule_race.py", "Schedule race")]),
])
