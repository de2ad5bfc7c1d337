"""Capacity: a small and a large MLP on the same data (the shared regularization run); under-, fair and
overfitting by 000's rules, and 004's red-wine nets of one and three layers."""
from __future__ import annotations

import dataclasses

from nncore.architectures import parameter_count
from nncore.i18n import N_, _, number
from nncore.params import Preset
# the run every regularization lesson shares, named here for the page
from nncore.regularization import RED_WINE, Config, Result, fit_label, notice_compare, notice_curves, run

__all__ = ["Config", "Result", "run", "notice_compare", "notice_curves", "fit_label", "CAPACITY", "PRESETS",
           "PRESET_NOTICES", "notice_wine_capacity", "notice_parameters"]


# Capacity: a ring around a disc. Two units draw at most a bent line (training error 24-30% over seeds 0-9, twice
# the underfit line of 15%); 128x128 units fit the noise (overfit on every one of those seeds). On the moons a
# straight line already scores ~85%, so a 1x2 net sat on the underfit line (14.8%).
CAPACITY = Config(dataset="circles", n_samples=300, noise=0.2)
WINE_CAPACITY = N_("004: red wine, 1 vs 3 layers of 512")
PRESETS = {
    WINE_CAPACITY: Preset(
        (dataclasses.replace(RED_WINE, noise=CAPACITY.noise, hidden=(512,)),
         dataclasses.replace(RED_WINE, noise=CAPACITY.noise)),
        # WINE_SETUP spelled out: a note is one message, translated where shown (cards.preset_banner)
        N_("004's 'Capacity' code: one hidden layer of 512 ReLU units (A) against three (B), MSE, Adam, batches of "
           "256, 1,119 wines to train and 480 to validate."),
        "004 'Capacity'"),
}


def notice_wine_capacity(a: Result, b: Result) -> str:
    """004's capacity example as our runs played it: the two nets' losses and labels."""
    ha, hb = a.history, b.history
    if a.diverged_at or b.diverged_at:
        return notice_compare(a, b, _("more capacity"))
    f3 = lambda v: number(v, ".3f")
    return _("Our run (seed {seed}, {epochs} epochs): A's training loss ends at {a_train} and its validation MSE at "
             "{a_val}: {a_fit}. B drives its training loss down to {b_train} while its validation MSE is lowest at "
             "epoch {b_best} ({b_best_val}) and ends at {b_val}: {b_fit}.").format(
        seed=a.config.seed, epochs=a.config.epochs, a_train=f3(ha.train_loss[-1]), a_val=f3(ha.val_loss[-1]),
        a_fit=fit_label(a), b_train=f3(hb.train_loss[-1]), b_best=hb.best_epoch, b_best_val=f3(hb.best_val_loss),
        b_val=f3(hb.val_loss[-1]), b_fit=fit_label(b))


# the banner of this preset ends with what its runs (A, B) show, computed when shown (nncore.ui.ab)
PRESET_NOTICES = {WINE_CAPACITY: notice_wine_capacity}


def notice_parameters(names, cfgs) -> str:
    """Each net's parameter count, weights and biases (004 counts 531,969 for its three layers of 512 on 11 wines)."""
    counts = [parameter_count(cfg) for cfg in cfgs]
    text = " · ".join(_("{name}: {count} parameters").format(name=name, count=number(count, ","))
                      for name, count in zip(names, counts))
    if len(counts) == 2 and counts[0] != counts[1]:
        text += " " + _("({ratio}× as many)").format(ratio=number(max(counts) / min(counts), ",.1f"))
    return text
