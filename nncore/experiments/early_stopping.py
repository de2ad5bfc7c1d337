"""Early stopping: patience, min_delta and restore_best_weights on an overfitting run (the shared regularization
run), and 004's red-wine example."""
from __future__ import annotations

import dataclasses

from nncore.i18n import N_, _, number
from nncore.params import Preset
# the run every regularization lesson shares, named here for the page
from nncore.regularization import OVERFIT, RED_WINE, Config, Result, notice_compare, notice_curves, run

__all__ = ["Config", "Result", "run", "notice_compare", "notice_curves", "OVERFIT", "PRESETS", "OVERFIT_STOPPING",
           "WINE_STOPPING", "PRESET_NOTICES", "notice_wine_stopping", "notice_early_stopping"]


OVERFIT_STOPPING = N_("Overfit + early stopping")
WINE_STOPPING = N_("004: red wine, 3×512, early stopping")
PRESETS = {
    OVERFIT_STOPPING: Preset(dataclasses.replace(OVERFIT, patience=20),
                             N_("Stops 20 epochs after the validation minimum and restores that epoch's weights."),
                             "002 'Early Stopping', 004 'Early Stopping'"),
    WINE_STOPPING: Preset(
        dataclasses.replace(RED_WINE, noise=OVERFIT.noise, patience=20, min_delta=0.001),
        # WINE_SETUP spelled out: a note is one message, translated where shown (cards.preset_banner)
        N_("004's example: three Dense(512) ReLU layers, MSE, Adam, batches of 256, 1,119 wines to train and 480 to "
           "validate, EarlyStopping(min_delta=0.001, patience=20, restore_best_weights=True). The quality is "
           "predicted in points (004 scales it to [0, 1])."),
        "004 'Early Stopping'"),
}


def notice_wine_stopping(a: Result, b: Result) -> str:
    """004's early-stopping example as our runs played it: where B stopped and what A and B end at."""
    ha, hb, c = a.history, b.history, b.config
    if a.diverged_at or b.diverged_at:
        return notice_compare(a, b, _("early stopping"))
    f3 = lambda v: number(v, ".3f")   # noqa: E731
    shown = dict(seed=c.seed, epochs=c.epochs, best=hb.best_epoch, best_val=f3(hb.best_val_loss), patience=c.patience,
                 min_delta=number(c.min_delta), stopped=hb.stopped_epoch, b_val=f3(hb.final_val_loss),
                 b_train=f3(hb.final_train_loss), a_val=f3(ha.final_val_loss), a_train=f3(ha.final_train_loss),
                 a_epochs=len(ha.val_loss), b_epochs=len(hb.val_loss))
    if hb.stop_reason != "early_stopping":
        return _("Our run (seed {seed}, at most {epochs} epochs instead of 004's 500, so that A stays a few seconds): "
                 "the validation MSE is lowest at epoch {best} ({best_val}), less than {patience} epochs before the "
                 "last, so B trains all {b_epochs} epochs like A and restores epoch {best}'s weights: validation MSE "
                 "{b_val}, training MSE {b_train}. A ends at validation MSE {a_val}, training MSE {a_train}.").format(
            **shown)
    return _("Our run (seed {seed}, at most {epochs} epochs instead of 004's 500, so that A stays a few seconds): the "
             "validation MSE is lowest at best epoch {best} ({best_val}); no improvement larger than {min_delta} "
             "follows, so B stops at epoch {stopped} and restores epoch {best}'s weights: validation MSE {b_val}, "
             "training MSE {b_train}. A trains all {a_epochs} epochs and ends at validation MSE {a_val}, training MSE "
             "{a_train}.").format(**shown)


# the banner of this preset ends with what its runs (A, B) show, computed when shown (nncore.ui.ab)
PRESET_NOTICES = {WINE_STOPPING: notice_wine_stopping}


def notice_early_stopping(r: Result) -> str:
    """Where the run stopped, what it restored, and what that cost or saved."""
    h, c = r.history, r.config
    f3 = lambda v: number(v, ".3f")   # noqa: E731
    if c.patience is None:
        return _("Without early stopping the run trains all {epochs} epochs; the validation loss was lowest at epoch "
                 "{best} ({best_val}) and ends at {end}.").format(epochs=c.epochs, best=h.best_epoch,
                                                                    best_val=f3(h.best_val_loss), end=f3(h.val_loss[-1]))
    if h.stop_reason != "early_stopping":
        return _("The validation loss kept improving by more than min_delta = {min_delta} at least every {patience} "
                 "epochs, so the run used all {epochs} epochs.").format(min_delta=number(c.min_delta),
                                                                       patience=c.patience, epochs=c.epochs)
    return _("Best epoch {best} (validation loss {best_val}); no improvement larger than {min_delta} in the next "
             "{patience} epochs, so training stopped at epoch {stopped} and restored epoch {best}'s weights: the "
             "returned model scores validation loss {final}, exactly that epoch's.").format(
        best=h.best_epoch, best_val=f3(h.best_val_loss), min_delta=number(c.min_delta), patience=c.patience,
        stopped=h.stopped_epoch, final=f3(h.final_val_loss))
