"""Data augmentation: a small digits set with and without shifts and rotations; the gallery of augmented digits."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import augmentation as aug
from nncore.ui import ab
from nncore.ui.i18n import _

st.title(_("Data augmentation"))
ui.lesson("augmentation")
ui.lecture(_("002 'Data Augmentation', 001 'Data augmentation'"))

left, right = st.columns([1, 3], gap="large")
with left:
    cfg_a, cfg_b = ab.configs(aug.Config, base=aug.DIGITS, on={"augment": True})
with right:
    ui.predict("augmentation")
    a, b = ab.run_pair(aug.run, cfg_a, cfg_b,
                       (_("A: training on the data as it is"), _("B: training on augmented data")))
    names = [_("A: no augmentation"), _("B: augmented") if cfg_b.augment else _("B: (augmentation off)")]
    ui.chart(ui.figure(viz.curves, [a, b], names), "curves", aug.notice_compare(a, b, _("augmentation")))
    if (fig := ui.figure(viz.fits, [a, b], names)) is not None:
        ui.chart(fig, "fits")

ui.lesson("augmentation", "What the net sees")
ui.chart(ui.figure(viz.digit_gallery, aug.augmented_gallery(seed=cfg_b.seed)), "gallery")
