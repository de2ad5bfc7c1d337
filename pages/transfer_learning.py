"""Transfer learning and ensembles: pretrain on the digits 0-4, learn 5-9 from a few images; average seeded nets and
the snapshots of one cyclic run (001, 002)."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments.transfer_learning import ensembles, transfer
from nncore.ui.i18n import N_, _

st.title(_("Transfer learning and ensembles"))
ui.lesson("transfer_learning")

st.header(_("1. Pretrained on 0-4, learning 5-9"))
ui.lesson("transfer_learning", "Transfer learning")
ui.lecture("001 'Transfer Learning'")
ui.presets(transfer.PRESETS)
left, right = st.columns([1, 3], gap="large")
with left:
    cfg = ui.controls(transfer.Config)
with right:
    ui.predict("transfer_learning")
    ui.preset_banner(transfer.PRESETS, cfg)
    pre = ui.run(transfer.pretrain, transfer.pretraining(cfg), label=N_("Pretraining on the digits 0-4"))
    st.caption(transfer.notice_pretraining(pre))
    result = ui.run(transfer.run, cfg, label=N_("Learning 5-9 three ways"))
    ui.chart(ui.figure(viz.transfer_curves, result), "transfer", transfer.notice_transfer(result))

st.header(_("2. Ensembles: several nets, averaged"))
ui.lesson("transfer_learning", "Ensembles")
ui.lecture("002 'Model Ensembles', 'Model Ensembles: Tips and Tricks'")
ui.presets(ensembles.PRESETS, prefix="e_")
left, right = st.columns([1, 3], gap="large")
with left:
    e_cfg = ui.controls(ensembles.Config, prefix="e_")
with right:
    ui.preset_banner(ensembles.PRESETS, e_cfg)
    ens = ui.run(ensembles.run, e_cfg, label=N_("Training the nets of the ensemble, then the snapshot net"))
    ui.chart(ui.figure(viz.ensemble_members, ens), "ensemble", ensembles.notice_ensemble(ens))
    ui.lesson("transfer_learning", "Snapshot ensembles")
    ui.lesson_link("pages/lr_schedules.py", _("Learning-rate schedules: warm restarts and other cycles"))
    ui.chart(ui.figure(viz.snapshot_cycles, ens), "snapshots", ensembles.notice_snapshots(ens))
