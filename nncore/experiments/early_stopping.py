"""Early stopping: patience, min_delta and restore_best_weights on an overfitting run (the shared regularization
run), and 004's red-wine example."""
from __future__ import annotations

import dataclasses

from nncore.params import Preset
# the run every regularization lesson shares, named here for the page
from nncore.regularization import (OVERFIT, RED_WINE, WINE_SETUP, Config, Result, notice_compare, notice_curves,
                                   run)

__all__ = ["Config", "Result", "run", "notice_compare", "notice_curves", "OVERFIT", "PRESETS",
           "PRESET_NOTICES", "notice_wine_stopping", "notice_early_stopping"]


PRESETS = {
    "Overfit + early stopping": Preset(dataclasses.replace(OVERFIT, patience=20), "Stops 20 epochs after the "
                                       "validation minimum and restores that epoch's weights.",
                                       "002 'Early Stopping', 004 'Early Stopping'"),
}
PRESETS["004: red wine, 3×512, early stopping"] = Preset(
    dataclasses.replace(RED_WINE, noise=OVERFIT.noise, patience=20, min_delta=0.001),
    f"004's example: three Dense(512) ReLU layers, {WINE_SETUP}, EarlyStopping(min_delta=0.001, patience=20, "
    "restore_best_weights=True). The quality is predicted in points (004 scales it to [0, 1]).",
    "004 'Early Stopping'")


def notice_wine_stopping(a: Result, b: Result) -> str:
    """004's early-stopping example as our runs played it: where B stopped and what A and B end at."""
    ha, hb, c = a.history, b.history, b.config
    if a.diverged_at or b.diverged_at:
        return notice_compare(a, b, "early stopping")
    ours = f"Our run (seed {c.seed}, at most {c.epochs} epochs instead of 004's 500, so that A stays a few seconds): "
    if hb.stop_reason != "early_stopping":
        return (ours + f"the validation MSE is lowest at epoch {hb.best_epoch} ({hb.best_val_loss:.3f}), "
                f"less than {c.patience} epochs before the last, so B trains all {len(hb.val_loss)} epochs like A "
                f"and restores epoch {hb.best_epoch}'s weights: validation MSE {hb.final_val_loss:.3f}, training "
                f"MSE {hb.final_train_loss:.3f}. A ends at validation MSE {ha.final_val_loss:.3f}, training MSE "
                f"{ha.final_train_loss:.3f}.")
    return (ours + f"the validation MSE is lowest at best epoch {hb.best_epoch} ({hb.best_val_loss:.3f}); no "
            f"improvement larger than {c.min_delta:g} follows, so B stops at epoch {hb.stopped_epoch} and restores "
            f"epoch {hb.best_epoch}'s weights: validation MSE {hb.final_val_loss:.3f}, training MSE "
            f"{hb.final_train_loss:.3f}. A trains all {len(ha.val_loss)} epochs and ends at validation MSE "
            f"{ha.final_val_loss:.3f}, training MSE {ha.final_train_loss:.3f}.")


# the banner of this preset ends with what its runs (A, B) show, computed when shown (nncore.ui.ab)
PRESET_NOTICES = {"004: red wine, 3×512, early stopping": notice_wine_stopping}


def notice_early_stopping(r: Result) -> str:
    """Where the run stopped, what it restored, and what that cost or saved."""
    h, c = r.history, r.config
    if c.patience is None:
        return (f"Without early stopping the run trains all {c.epochs} epochs; the validation loss was lowest at "
                f"epoch {h.best_epoch} ({h.best_val_loss:.3f}) and ends at {h.val_loss[-1]:.3f}.")
    if h.stop_reason != "early_stopping":
        return (f"The validation loss kept improving by more than min_delta = {c.min_delta:g} at least every "
                f"{c.patience} epochs, so the run used all {c.epochs} epochs.")
    return (f"Best epoch {h.best_epoch} (validation loss {h.best_val_loss:.3f}); no improvement larger than "
            f"{c.min_delta:g} in the next {c.patience} epochs, so training stopped at epoch {h.stopped_epoch} and "
            f"restored epoch {h.best_epoch}'s weights: the returned model scores validation loss "
            f"{h.final_val_loss:.3f}, exactly that epoch's.")
