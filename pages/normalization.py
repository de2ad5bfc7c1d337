"""Normalization: batch norm on/off and placement at a high learning rate, train vs eval, the four norms' axes."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import normalization as norm
from nncore.ui import ab, i18n
from nncore.ui.i18n import _

st.title(_("Normalization"))
ui.lesson("normalization")
ui.lecture(_("002 & 003 'Batch Normalization', 002 'Other Normalizations', 004 'Dropout and Batch Normalization "
             "Layers'"))

left, right = st.columns([1, 3], gap="large")
with left:
    cfg_a, cfg_b = ab.configs(norm.Config, base=norm.NORMALIZATION, on={"norm": "batch", "norm_placement": "before"})
with right:
    ui.predict("normalization")
    a, b = ab.run_pair(norm.run, cfg_a, cfg_b, (_("A: training without normalization"),
                                                _("B: training with {norm} norm").format(norm=cfg_b.norm)))
    technique = (_("{norm} norm before the activation") if cfg_b.norm_placement == "before" else
                 _("{norm} norm after the activation")).format(norm=cfg_b.norm)
    names = [_("A: no normalization"), _("B: {technique}").format(technique=technique)]
    ui.chart(ui.figure(viz.curves, [a, b], names), "curves", norm.notice_compare(a, b, technique) if not a.diverged_at
             else _("A: {a} B, at the same learning rate {lr}: {b}").format(
                 a=norm.notice_curves(a), lr=i18n.number(cfg_b.lr), b=b.fit_reason))
    if (fig := ui.figure(viz.fits, [a, b], names)) is not None:
        ui.chart(fig, "fits")
    ui.chart(ui.figure(viz.activation_spread, [a, b], names), "spread", norm.notice_activations(b))

ui.lesson("normalization", "Train mode and eval mode")
ui.chart(ui.figure(viz.bn_train_eval, b), "bn", norm.notice_bn(b))

ui.lesson("normalization", "Batch, layer, instance and group norm")
na = norm.norm_axes(seed=cfg_b.seed)
ui.chart(ui.figure(viz.norm_axes, na), "axes", norm.notice_axes(na))
