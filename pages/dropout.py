"""Dropout: an overfitting net with and without dropout, train vs eval mode, 002's expectation example (000)."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import dropout
from nncore.ui import ab, i18n
from nncore.ui.i18n import _

st.title(_("Dropout"))
ui.lesson("dropout")
ui.lecture(_("002 'Dropout' and 'Dropout: Test Time', 001 'Dropout', 004 'Dropout and Batch Normalization Layers', "
             "000 'My validation accuracy is higher than the training accuracy'"))

left, right = st.columns([1, 3], gap="large")
with left:
    cfg_a, cfg_b = ab.configs(dropout.Config, base=dropout.OVERFIT, on={"dropout": 0.5})
with right:
    ui.predict("dropout")
    a, b = ab.run_pair(dropout.run, cfg_a, cfg_b, (_("A: training without dropout"), _("B: training with dropout")))
    technique = _("dropout p = {p}").format(p=i18n.number(cfg_b.dropout))
    names = [_("A: no dropout"), _("B: {technique}").format(technique=technique)]
    ui.chart(ui.figure(viz.curves, [a, b], names), "curves", dropout.notice_compare(a, b, technique))
    if (fig := ui.figure(viz.fits, [a, b], names)) is not None:
        ui.chart(fig, "fits")

ui.lesson("dropout", "Train mode and eval mode")
p = st.slider(_("Dropout probability p for the example"), 0.0, 0.9, 0.5, 0.05, key="example_p", bind="query-params")
ex = dropout.dropout_expectation(p=p)
yes, no = _("yes"), _("no")
st.table([{_("x kept"): yes if r["keep"][0] else no, _("y kept"): yes if r["keep"][1] else no,
           _("probability"): i18n.number(r["probability"], ".4f"),
           _("a = w₁x + w₂y with the drops"): i18n.number(r["output"])}
          for r in ex["rows"]])
ui.notice(dropout.notice_expectation(ex))

ui.lesson("dropout", "Why validation accuracy can beat training accuracy")
ui.notice(dropout.notice_dropout(b))
