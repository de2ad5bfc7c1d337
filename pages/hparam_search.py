"""Hyperparameter search: 003's coarse-to-fine random search in log space on the digits, one click to refine around
the best, grid vs random search (Bergstra & Bengio 2012), k-fold cross-validation for small data."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import hparam_search as hs
from nncore.ui import ranges
from nncore.ui.i18n import N_, _
from nncore.ui.split import split_controls

st.title(_("Hyperparameter search"))
ui.lesson("hparam_search")
ui.lecture("003 '4. Hiperparámetros' (coarse to fine, validación cruzada, Random Search), 002 'Babysitting the "
           "Learning Process' (5. Search a good hyper-parameter), 000 'k-fold cross validation'")

st.header(_("Coarse to fine"))
ui.lesson("hparam_search", "Coarse to fine")
ui.presets(hs.PRESETS, columns=4, state=ranges.widget_state)
left, right = st.columns([1, 3], gap="large")
with left:
    lr = ranges.log_range(hs.Config, "lr_range", hs.LR_LIMITS, lambda v: hs.check_range("lr", v, *hs.LR_LIMITS))
    reg = ranges.log_range(hs.Config, "reg_range", hs.REG_LIMITS,
                           lambda v: hs.check_range("reg", v, *hs.REG_LIMITS))
    cfg = split_controls(hs.Config, ("strategy", "budget", "epochs", "folds"), rest_label=N_("Data and seed"),
                         lr_range=lr, reg_range=reg)
    st.caption(_("Budget: at most {most} trials and {epochs} training epochs (trials × folds × epochs) per search; "
                 "this one asks for {asked}.").format(most=hs.MAX_BUDGET, epochs=hs.MAX_TRIAL_EPOCHS,
                                                      asked=cfg.budget * cfg.folds * cfg.epochs))
with right:
    ui.predict("hparam_search")
    ui.preset_banner(hs.PRESETS, cfg)
    scatter, trials = st.empty(), ()
    for batch in hs.batches(cfg):     # trials stream in: the scatter is redrawn after each cached batch
        if trials:
            with scatter.container():
                ui.chart(ui.figure(viz.search_scatter, hs.result(cfg, trials)))
        trials += ui.run(hs.run_batch, batch, _("Searching: trials {first}–{last} of {budget}").format(
            first=batch.start + 1, last=batch.stop, budget=cfg.budget), code=(hs.run, cfg))   # the panel: one search
    result = hs.result(cfg, trials)
    with scatter.container():
        ui.chart(ui.figure(viz.search_scatter, result), "scatter", hs.notice_search(result))
    if edge := hs.notice_edge(result):
        st.warning(edge, icon=":material/open_in_full:")
    if result.best is not None:
        finer = hs.refined_config(result)
        st.button(_("Refine around the best: lr {lr_range}, reg {reg_range}").format(
            lr_range=hs.show_range(finer.lr_range), reg_range=hs.show_range(finer.reg_range)),
                  key="refine", type="primary", shortcut=ui.run_key(), icon=":material/zoom_in:", on_click=ranges.apply, args=(finer,),
                  help=_("Writes the refined ranges into the controls and the link, and runs the finer search."))
    ui.chart(ui.figure(viz.accuracy_by_lr, result), "by_lr")
    ui.lesson("hparam_search", "Reading the search")

st.header(_("Grid or random?"))
ui.lesson("hparam_search", "Grid or random?")
toy = hs.toy(cfg.budget, cfg.seed)
ui.chart(ui.figure(viz.toy_search, toy), "toy", hs.notice_toy(toy))

st.header(_("Cross-validation for small data"))
ui.lesson("hparam_search", "Cross-validation for small data")
