"""Neural Net Training Lab: the router. Each lesson is a file in pages/, listed here in course order."""
import streamlit as st

from nncore import ui
from nncore.ui import Lesson
from nncore.ui.i18n import N_, _

# Each Lesson: (file in pages/, title, url_path = the file's stem, one-line summary, lecture sections, icon);
# lectures are cited by deck number: 000-004 are named in nncore.ui.course.LECTURES, shown on the home page.
COURSE = {
    N_("Foundations"): [
        Lesson("pages/weight_init.py", N_("Weight initialization"), "weight_init",
               N_("why 0.01·N(0,1) kills a deep net while Xavier and He keep it alive"),
               "002 & 003 'Weight Initialization', 001 'Weights initialization'", ":material/tune:"),
        Lesson("pages/activation_functions.py", N_("Activation functions"), "activation_functions",
               N_("f and f' of sigmoid, tanh, ReLU and friends, where each saturates, the slides' pros and cons"),
               "002 & 003 'Activation Functions', 001 'Activation functions' and 'EXTRAS'", ":material/show_chart:"),
        Lesson("pages/gradient_flow.py", N_("Gradient flow"), "gradient_flow",
               N_("the product of local slopes through depth, and the zig-zag of all-positive inputs"),
               "002 & 003 'Sigmoid' (kills gradients; always-positive inputs), 001 'Backpropagation'",
               ":material/trending_down:"),
        Lesson("pages/dead_relu.py", N_("Dead ReLUs"), "dead_relu",
               N_("units that never fire: negative bias, the 0.01 trick, a too-large learning rate"),
               "002 'Dead ReLU', 003 'Rectified Linear Unit'", ":material/heart_broken:"),
        Lesson("pages/activation_race.py", N_("Activation race"), "activation_race",
               N_("the same net trained with each activation: is ReLU really 6x faster than tanh?"),
               "002 & 003 'ReLU: converges ~6x faster' (AlexNet)", ":material/sprint:"),
        Lesson("pages/softmax_output.py", N_("Softmax output"), "softmax_output",
               N_("scores to probabilities, temperature, and why softmax wants cross-entropy"),
               "001 EXTRAS 'Softmax', 002 'applied nonlinear activation before softmax'", ":material/bar_chart:"),
    ],
    N_("Optimization"): [
        Lesson("pages/optimizer_race.py", N_("Optimizer race"), "optimizer_race",
               N_("SGD, momentum, Nesterov, AdaGrad, RMSprop and Adam race on saddles, ravines and plateaus"),
               "002 'Optimization Methods', 'Problems of Gradient Descent'; 001 'SGD variants'", ":material/route:"),
        Lesson("pages/lr_finder.py", N_("Finding the learning rate"), "lr_finder",
               N_("1e-5 is flat, 1e6 explodes, the 3x stop rule, and Smith's LR range test"),
               "003 '4. Configuración de los hiperparámetros'; Smith 2017 (the LR range test)", ":material/search:"),
        Lesson("pages/lr_schedules.py", N_("Learning-rate schedules"), "lr_schedules",
               N_("step, cosine, inverse √t, warmup, cyclic, one-cycle, plateau: the lr each torch scheduler sets"),
               "001 'Decaying learning rate', 002 'Learning Rate Decay' and 'Cyclic Learning Rate'",
               ":material/timeline:"),
        Lesson("pages/schedule_race.py", N_("Schedule race"), "schedule_race",
               N_("the same training under each schedule, with the learning rate beneath the loss"),
               "001 'Decaying learning rate', 002 'Learning Rate Decay'", ":material/stacked_line_chart:"),
        Lesson("pages/batch_vs_decay.py", N_("Batch size vs decay"), "batch_vs_decay",
               N_("divide the lr by 5 or multiply the batch by 5: the same curves, fewer steps"),
               "001 'Don't Decay the Learning Rate, Increase the Batch Size'", ":material/stacks:"),
    ],
    N_("Data and losses"): [
        Lesson("pages/preprocessing.py", N_("Preprocessing"), "preprocessing",
               N_("zero-centering, normalizing, PCA and whitening; statistics from the training split only; "
                  "scaled wines"),
               "002 & 003 'Data Preprocessing', 000 'Normalize your data', 004 (red wine)", ":material/scatter_plot:"),
        Lesson("pages/data_assessment.py", N_("Data assessment"), "data_assessment",
               N_("the training set against a blind set, feature by feature: histograms, a shift score, normalization"),
               "000 'Data Assessment', 'Normalize your data'; 003 'Preprocesado'", ":material/compare:"),
        Lesson("pages/losses.py", N_("Loss functions and output layers"), "losses",
               N_("MAE, MSE, Huber(δ), log-cosh, cross-entropy: each gradient, outliers' pull, a sigmoid asked "
                  "for 0..255"),
               "004 'Loss Functions', 001 'Cost function & Loss', 000 'what you want the DNN to output'",
               ":material/functions:"),
    ],
    N_("Regularization"): [
        Lesson("pages/capacity.py", N_("Capacity and overfitting"), "capacity",
               N_("a small and a large net on the same data: which one underfits, which one overfits, and why"),
               "004 'Underfitting and Overfitting', 'Capacity'; 002 'Underfitting vs Overfitting'; 000",
               ":material/stacked_line_chart:"),
        Lesson("pages/dropout.py", N_("Dropout"), "dropout",
               N_("an overfitting net with and without dropout; train vs eval mode; why val accuracy can beat train"),
               "002 'Dropout', 001 'Dropout', 004 'Dropout', 000 'validation accuracy higher than training'",
               ":material/grain:"),
        Lesson("pages/normalization.py", N_("Normalization"), "normalization",
               N_("batch norm makes a high learning rate trainable; train vs eval mode; "
                  "batch/layer/instance/group axes"),
               "002 & 003 'Batch Normalization', 002 'Other Normalizations'", ":material/equalizer:"),
        Lesson("pages/weight_penalties.py", N_("Weight penalties"), "weight_penalties",
               N_("L1 zeroes weights, L2 shrinks them; decoupled weight decay; the regularization path"),
               "002 'Regularization Method', 001 'Regularization'", ":material/fitness_center:"),
        Lesson("pages/early_stopping.py", N_("Early stopping"), "early_stopping",
               N_("patience, min_delta and restore_best_weights on a run that starts to overfit"),
               "002 'Early Stopping', 004 'Early Stopping'", ":material/front_hand:"),
        Lesson("pages/augmentation.py", N_("Data augmentation"), "augmentation",
               N_("shifted and rotated digits: the same small set goes further"),
               "002 'Data Augmentation', 001 'Data augmentation'", ":material/auto_awesome_motion:"),
    ],
    N_("Diagnostics"): [
        Lesson("pages/sanity_checks.py", N_("Sanity checks before training"), "sanity_checks",
               N_("the initial loss is ln C, a tiny subset must be memorized, updates ~1e-3 of the weights"),
               "002 & 003 'Babysitting the Learning Process', 001 'practical tips' and Karpathy's recipe",
               ":material/checklist:"),
        Lesson("pages/loss_curves.py", N_("Reading the loss curve"), "loss_curves",
               N_("flat, rising, periodic, NaN, noisy, too high: each curve of the gallery from a real faulty run, "
               "beside the fixed run; and a quiz"),
               "002 'Loss Curves: What are the Problems?', 000 'validation accuracy higher than training', "
               "001 'Underfitting', 'Overfitting'", ":material/monitor_heart:"),
        Lesson("pages/hparam_search.py", N_("Hyperparameter search"), "hparam_search",
               N_("coarse-to-fine random search over lr and L2 in log space, refine around the best; grid vs random"),
               "003 '4. Hiperparámetros', 002 'Babysitting the Learning Process'; Bergstra & Bengio 2012",
               ":material/travel_explore:"),
    ],
    N_("Architectures"): [
        Lesson("pages/universal_approximation.py", N_("Universal approximation"), "universal_approximation",
               N_("001's Z(x) as six ReLU hinges, then one hidden layer fit live to a sine, a step or your own "
                  "polyline"),
               "001 'What kind of functions can NNs approximate?' (Hornik 1991)", ":material/ssid_chart:"),
        Lesson("pages/depth_vs_width.py", N_("Depth vs width"), "depth_vs_width",
               N_("nets of 1, 2, 4 and 8 hidden layers with the same parameter count, trained on the same data "
                  "and seed"),
               "001 'The importance of depth'", ":material/stacked_bar_chart:"),
        Lesson("pages/convolution.py", N_("Connectivity and convolution"), "convolution",
               N_("dense vs shared weights, (W - F + 2P)/S + 1, the sliding window, pooling; a CNN vs an MLP on "
                  "shifted digits"),
               "001 'Connectivity and Model Architecture', 'CNNs output dimensions', 'Pooling', 'Strided convolutions'",
               ":material/grid_on:"),
        Lesson("pages/transfer_learning.py", N_("Transfer learning and ensembles"), "transfer_learning",
               N_("pretrained on digits 0-4, learning 5-9 from a few images: frozen, fine-tuned or from scratch; "
               "averaged nets and snapshots"),
               "001 'Transfer Learning', 002 'Model Ensembles'", ":material/call_merge:"),
    ],
}


def home() -> None:
    """The course map."""
    ui.course_map(COURSE, PAGES)


if __name__ == "__main__":  # Streamlit runs this file as __main__; tests import COURSE without running the app
    st.set_page_config(page_title=_("Neural Net Training Lab"), page_icon=":material/neurology:", layout="wide",
                       initial_sidebar_state="collapsed" if ui.presenting() else "auto")
    ui.configure_torch()
    ui.present_style()
    PAGES = {item.file: ui.page(item) for lessons in COURSE.values() for item in lessons}
    sections = {"": [st.Page(home, title=_("Course map"), icon=":material/map:", default=True)]}
    sections |= {_(name): [PAGES[item.file] for item in lessons] for name, lessons in COURSE.items() if lessons}
    ui.begin_page()
    shown = st.navigation(sections, expanded=True)   # the whole course in the sidebar: no "View 17 more"
    with ui.slides():   # presentation mode: one experiment per screen
        shown.run()
    ui.code_panel(shown.url_path or "course-map")
    with st.sidebar:
        ui.language_selector()
        ui.share_panel()

