"""Capacity: a small and a large MLP on the same data (the shared regularization run); under-, fair and
overfitting by 000's rules, and 004's red-wine nets of one and three layers."""
from __future__ import annotations

import dataclasses

from nncore.architectures import parameter_count
from nncore.params import Preset
# the run every regularization lesson shares, named here for the page
from nncore.regularization import RED_WINE, WINE_SETUP, Config, Result, notice_compare, notice_curves, run

__all__ = ["Config", "Result", "run", "notice_compare", "notice_curves", "CAPACITY", "PRESETS",
           "PRESET_NOTICES", "notice_wine_capacity", "notice_parameters"]


# Capacity: a ring around a disc. Two units draw at most a bent line (training error 24-30% over seeds 0-9, twice
# the underfit line of 15%); 128x128 units fit the noise (overfit on every one of those seeds). On the moons a
# straight line already scores ~85%, so a 1x2 net sat on the underfit line (14.8%).
CAPACITY = Config(dataset="circles", n_samples=300, noise=0.2)
PRESETS = {
    "004: red wine, 1 vs 3 layers of 512": Preset(
        (dataclasses.replace(RED_WINE, noise=CAPACITY.noise, hidden=(512,)),
         dataclasses.replace(RED_WINE, noise=CAPACITY.noise)),
        f"004's 'Capacity' code: one hidden layer of 512 ReLU units (A) against three (B), {WINE_SETUP}.",
        "004 'Capacity'"),
}


def notice_wine_capacity(a: Result, b: Result) -> str:
    """004's capacity example as our runs played it: the two nets' losses and labels."""
    ha, hb = a.history, b.history
    if a.diverged_at or b.diverged_at:
        return notice_compare(a, b, "more capacity")
    return (f"Our run (seed {a.config.seed}, {a.config.epochs} epochs): A's training loss ends at {ha.train_loss[-1]:.3f} and its validation MSE at "
            f"{ha.val_loss[-1]:.3f}: {a.fit}. B drives its training loss down to {hb.train_loss[-1]:.3f} while its "
            f"validation MSE is lowest at epoch {hb.best_epoch} ({hb.best_val_loss:.3f}) and ends at "
            f"{hb.val_loss[-1]:.3f}: {b.fit}.")


# the banner of this preset ends with what its runs (A, B) show, computed when shown (nncore.ui.ab)
PRESET_NOTICES = {"004: red wine, 1 vs 3 layers of 512": notice_wine_capacity}


def notice_parameters(names, cfgs) -> str:
    """Each net's parameter count, weights and biases (004 counts 531,969 for its three layers of 512 on 11 wines)."""
    counts = [parameter_count(cfg) for cfg in cfgs]
    text = " · ".join(f"{name}: {count:,} parameters" for name, count in zip(names, counts))
    return text + (f" ({max(counts) / min(counts):,.1f}× as many)" if len(counts) == 2 and counts[0] != counts[1] else "")
