"""Reading the loss curve: 002's gallery of pathologies, each a real run with the fault beside the fixed run, and a
quiz on unlabeled curves; 001's underfitting and overfitting checklists."""
import streamlit as st

from nncore import ui
from nncore.experiments import loss_curves
from nncore.ui import loss_quiz
from nncore.ui.i18n import _

st.title(_("Reading the loss curve"))
ui.lesson("loss_curves")
ui.lecture("002 'Loss Curves: What are the Problems?', 000 'My validation accuracy is higher than the training "
           "accuracy', 001 'Underfitting' and 'Overfitting'")

if loss_quiz.mode() == "Quiz":
    ui.lesson("loss_curves", "Quiz")
    loss_quiz.quiz()
else:
    cfg = ui.controls(loss_curves.Config)
    ui.predict("loss_curves")   # the quiz is its own prediction
    result = ui.run(loss_curves.run, cfg)
    loss_quiz.card(result, "card")

ui.lesson("loss_curves", "Checklists")
