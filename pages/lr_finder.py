"""Finding the learning rate: 003's too small / too large / just right with the 3x rule, and Smith's LR range test."""
import streamlit as st

from nncore import data, training, ui, viz
from nncore.experiments import lr_range_test as rt
from nncore.experiments import lr_sanity
from nncore.ui.split import split_controls

st.title("Finding the learning rate")
ui.lesson("lr_finder")
ui.lecture("003 '4. Configuración de los hiperparámetros' and '4. Hiperparámetros'; 002 'Cyclic Learning Rate'")

st.header("Too small, just right, too large")
ui.lesson("lr_finder", "Too small, just right, too large")
ui.presets(lr_sanity.PRESETS, prefix="c_", columns=4)
left, right = st.columns([1, 3], gap="large")
with left:
    cfg = split_controls(lr_sanity.Config, ("small_lr", "good_lr", "huge_lr", "stop_rule", "stop_factor"), "c_")
with right:
    ui.preset_banner(lr_sanity.PRESETS, cfg)
    sanity = ui.run(lr_sanity.run, cfg, "Training at three learning rates")
    ui.chart(viz.lr_sanity_curves(sanity), "sanity", lr_sanity.notice(sanity))

st.header("The LR range test")
ui.lesson("lr_finder", "The LR range test")
ui.presets(rt.PRESETS, prefix="r_", columns=4)
left, right = st.columns([1, 3], gap="large")
with left:
    sweep = split_controls(rt.Config, ("min_lr", "max_lr", "epochs", "smoothing", "stop_factor"), "r_")
with right:
    ui.preset_banner(rt.PRESETS, sweep)
    found = ui.run(rt.run, sweep, "Sweeping the learning rate")
    ui.chart(viz.lr_range_curve(found), "range", rt.notice(found))
    if st.button(f"Race the schedules from α₀ = {found.race_lr:g}", key="apply", type="primary",
                 icon=":material/sprint:", help="Opens the schedule race with this rate and the same data, "
                 "network, batch size, optimizer and seed."):
        st.switch_page("pages/schedule_race.py", query_params={
            "base_lr": f"{found.race_lr:g}", "dataset": data.DATASETS[sweep.dataset].label,
            "noise": f"{sweep.noise:g}", "samples": str(sweep.samples), "batch_size": str(sweep.batch_size),
            "optimizer": training.OPTIMIZERS[sweep.optimizer].label, "width": str(sweep.width),
            "seed": str(sweep.seed)})
