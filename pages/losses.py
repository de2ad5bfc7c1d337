"""Loss functions and output layers: each loss and its gradient, outliers' pull on a line and a net, 000's pitfalls
(a sigmoid asked for 0..255, class labels given to a binary loss), the red wines under each loss (001, 004, 000)."""
import streamlit as st

from nncore import ui, viz
from nncore.experiments import losses
from nncore.ui.i18n import N_, _

st.title(_("Loss functions and output layers"))
ui.lesson("losses")
ui.lecture("004 'Loss Functions' (MAE, MSE, Huber), 001 'Cost function & Loss', 000 'Be aware of what you want the "
           "DNN to output'")

st.subheader(_("Presets"))
ui.presets(losses.PRESETS, columns=4)
left, right = st.columns([1, 3], gap="large")
with left:
    cfg = ui.controls(losses.Config)
with right:
    ui.predict("losses")
    ui.preset_banner(losses.PRESETS, cfg)
    result = ui.run(losses.run, cfg)
    ui.chart(ui.figure(viz.loss_gradients, result), "chart_gradients", losses.notice_gradients(result))
    ui.lesson("losses", "Huber's δ")
    ui.chart(ui.figure(viz.outlier_fits, result), "chart_outliers", losses.notice_fits(result))
    ui.chart(ui.figure(viz.outlier_net_fits, result), "chart_outlier_nets", losses.notice_net_fits(result))
    ui.lesson("losses", "Robustness to outliers")

ui.registry_cards(losses.LOSSES, list(losses.LOSSES), columns=3)
st.subheader(_("MAE, MSE or Huber for 004's red wines?"))
ui.lesson("losses", "MAE, MSE or Huber for the red wines?")
wine_cfg = ui.controls(losses.WineConfig, prefix="wine_")
wines = ui.run(losses.run_wine_losses, wine_cfg, N_("Training the red wines with MAE, MSE and Huber"))
ui.chart(ui.figure(viz.wine_losses, wines), "chart_wine_losses", losses.notice_wine_losses(wines))

st.subheader(_("What do you want the network to output?"))
ui.lesson("losses", "What do you want the network to output?")
ui.chart(ui.figure(viz.sigmoid_bound, result), "chart_sigmoid", losses.notice_pixels(result))
ui.lesson("losses", "Class labels given to a binary loss")
ui.chart(ui.figure(viz.label_pitfall, result), "chart_labels", losses.notice_labels(result))
ui.lesson("losses", "Softmax wants cross-entropy")
ui.chart(ui.figure(viz.logit_gradients, result), "chart_logits", losses.notice_logits(result))

st.subheader(_("Does Adam need a learning rate?"))
ui.lesson("losses", "Does Adam need a learning rate?")
adam_cfg = ui.controls(losses.AdamConfig, prefix="adam_")
adam = ui.run(losses.run_adam, adam_cfg, N_("Training the red wines with Adam at three learning rates"))
ui.chart(ui.figure(viz.adam_curves, adam), "chart_adam", losses.notice_adam(adam))
