"""nncore.experiments.early_stopping: the best epoch's model comes back; 004's red-wine presets and notices."""
import dataclasses
import re
from pathlib import Path

import pytest
import torch

from nncore import i18n, models, training
from nncore import regularization as reg
from nncore.experiments import capacity, early_stopping
from tests.pages.helpers import fields, tr

RESTORED = ("Best epoch {best} (validation loss {best_val}); no improvement larger than {min_delta} in the next "
            "{patience} epochs, so training stopped at epoch {stopped} and restored epoch {best}'s weights: the "
            "returned model scores validation loss {final}, exactly that epoch's.")

ROOT = Path(__file__).resolve().parents[2]
SMALL = dataclasses.replace(reg.OVERFIT, epochs=250)


def test_early_stopping_returns_the_best_epochs_model():
    r = reg.run(dataclasses.replace(SMALL, patience=15))
    h = r.history
    assert h.stop_reason == "early_stopping" and r.stopped_epoch == r.best_epoch + 15
    assert h.final_val_loss == h.val_loss[r.best_epoch - 1]
    shown = fields(tr(RESTORED), early_stopping.notice_early_stopping(r))
    assert shown and (int(shown["best"]), int(shown["stopped"])) == (r.best_epoch, r.stopped_epoch), shown


WINE = reg.Config(dataset="red_wine", n_samples=1599, hidden=(64, 64), lr=0.001, epochs=200, batch_size=256,
                  patience=20, min_delta=0.001)


@pytest.fixture(scope="module")
def wine():
    return reg.run(WINE)


def test_early_stopping_on_red_wine_restores_the_best_epoch(wine):
    h = wine.history
    assert h.stop_reason == "early_stopping" and h.restored_best and wine.stopped_epoch == wine.best_epoch + 20
    assert h.final_val_loss == h.val_loss[wine.best_epoch - 1] == h.best_val_loss   # the best epoch's weights
    assert h.final_val_loss < h.val_loss[-1]
    assert (wine.n_train, wine.n_val, wine.kind) == (1119, 480, "regression")
    assert h.train_acc is None and h.val_acc is None and wine.grid_prob is None and wine.curve_x is None
    assert wine.points_train is None and len(wine.weights) == 11 * 64 + 64 * 64 + 64
    shown = fields(tr(RESTORED), early_stopping.notice_early_stopping(wine))
    assert shown and int(shown["best"]) == wine.best_epoch, early_stopping.notice_early_stopping(wine)


def test_from_a_zero_output_bias_004s_net_never_beats_guessing_the_mean():
    """early_stopping.md's reason for starting at the mean: from 0, 60 epochs stay above Var(y) (1.11 vs 0.65)."""
    cfg = early_stopping.PRESETS[early_stopping.WINE_STOPPING].config
    d = reg.load(cfg)
    mlp, spec = reg.spec_of(cfg)
    model = models.build(dataclasses.replace(mlp, output_bias=0.0), torch.Generator().manual_seed(cfg.seed))
    with training.single_thread():   # as reg.run: the same numbers with 1 or 2 torch threads
        h = training.train(model, d, spec, seed=cfg.seed)
    guess_the_mean = float(((d.y_val - d.y_train.mean()) ** 2).mean())
    assert h.stopped_epoch == cfg.epochs and h.best_val_loss > 1.3 * guess_the_mean
    assert "within our 60 epochs the net never beat always guessing the mean" in " ".join(
        (ROOT / "assets/lessons/early_stopping.md").read_text().split())


def test_red_wine_presets_are_004s_net():
    b = early_stopping.PRESETS[early_stopping.WINE_STOPPING].config
    assert (b.dataset, b.n_samples, b.hidden, b.activation, b.optimizer, b.lr, b.batch_size) == \
        ("red_wine", 1599, (512, 512, 512), "relu", "adam", 0.001, 256)
    assert (b.patience, b.min_delta, b.l1, b.l2, b.dropout, b.norm) == (20, 0.001, 0.0, 0.0, 0.0, "none")
    reg.check(b)                                       # within the compute budget
    a, big = capacity.PRESETS[capacity.WINE_CAPACITY].config
    assert big == dataclasses.replace(b, patience=None, min_delta=0.0, noise=big.noise) and a.hidden == (512,)
    for preset in (*early_stopping.PRESETS.values(), *capacity.PRESETS.values()):
        # a run's numbers come from PRESET_NOTICES when shown: the note itself quotes none (it did: "best epoch 33")
        assert not re.search(r"(MSE|loss|epoch|at) \(?\d", preset.note), preset.note
    for note in (early_stopping.PRESETS[early_stopping.WINE_STOPPING].note, capacity.PRESETS[capacity.WINE_CAPACITY].note):
        assert reg.WINE_SETUP in note, note   # each note is one message: the setup spelled out


def test_the_wine_stopping_notice_says_when_early_stopping_did_not_fire():
    small = reg.Config(dataset="red_wine", n_samples=1599, hidden=(16,), lr=0.001, epochs=8, batch_size=256,
                       patience=20, min_delta=0.001)
    a, b = reg.run(dataclasses.replace(small, patience=None, min_delta=0.0)), reg.run(small)
    h = b.history
    assert h.stop_reason == "completed"
    text = early_stopping.notice_wine_stopping(a, b)
    shown = fields(tr("Our run (seed {seed}, at most {epochs} epochs instead of 004's 500, so that A stays a few "
                      "seconds): the validation MSE is lowest at epoch {best} ({best_val}), less than {patience} "
                      "epochs before the last, so B trains all {b_epochs} epochs like A and restores epoch {best}'s "
                      "weights: validation MSE {b_val}, training MSE {b_train}. A ends at validation MSE {a_val}, "
                      "training MSE {a_train}."), text)
    n = lambda v: i18n.number(v, ".3f", i18n.default_language())   # noqa: E731
    assert shown and (int(shown["best"]), shown["best_val"]) == (h.best_epoch, n(h.best_val_loss)), text
    assert (shown["b_epochs"], shown["b_train"]) == ("8", n(h.final_train_loss)), text
