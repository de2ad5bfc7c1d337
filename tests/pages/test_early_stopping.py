"""The early-stopping page in AppTest: both runs at the defaults, patience moves the stop, 004's red-wine preset
quotes its run, the lesson's corrections of 004."""
from __future__ import annotations

from nncore import regularization as reg
from nncore.experiments import early_stopping
from tests.pages.helpers import (assert_both_runs, assert_clean, banner_of, charts, click_preset, curve, fields,
                                 final_train_losses, legend_names, lesson, number, tr)

STOPPED = ("Our run (seed {seed}, at most {epochs} epochs instead of 004's 500, so that A stays a few seconds): the "
           "validation MSE is lowest at best epoch {best} ({best_val}); no improvement larger than {min_delta} follows, "
           "so B stops at epoch {stopped} and restores epoch {best}'s weights: validation MSE {b_val}, training MSE "
           "{b_train}. A trains all {a_epochs} epochs and ends at validation MSE {a_val}, training MSE {a_train}.")
COMPLETED = ("Our run (seed {seed}, at most {epochs} epochs instead of 004's 500, so that A stays a few seconds): the "
             "validation MSE is lowest at epoch {best} ({best_val}), less than {patience} epochs before the last, so B "
             "trains all {b_epochs} epochs like A and restores epoch {best}'s weights: validation MSE {b_val}, training "
             "MSE {b_train}. A ends at validation MSE {a_val}, training MSE {a_train}.")


def test_defaults_render_both_runs_without_errors(open_page):
    assert_both_runs(open_page("pages/early_stopping.py"), tr("Early stopping"), 3)


def test_early_stopping_patience_moves_the_stop(open_page):
    at = open_page("pages/early_stopping.py")
    restored = tr("Best epoch {best} (validation loss {best_val}); no improvement larger than {min_delta} in the next "
                  "{patience} epochs, so training stopped at epoch {stopped} and restored epoch {best}'s weights: the "
                  "returned model scores validation loss {final}, exactly that epoch's.")
    assert any(fields(restored, i.value) for i in at.info), [i.value for i in at.info]
    at.slider(key="b_patience").set_value(60).run()
    assert_clean(at)
    assert any(n.startswith(tr("B: patience {n}").format(n=60)) for n in legend_names(charts(at)[1]))


def test_early_stopping_004_red_wine_preset_note_quotes_its_run(open_page):
    name = early_stopping.WINE_STOPPING
    at = click_preset(open_page("pages/early_stopping.py"), tr(name))
    banner = banner_of(at, tr(name))
    assert tr(early_stopping.PRESETS[name].note) in banner
    stopping, curves = charts(at)[:2]
    assert stopping["layout"]["yaxis"]["title"]["text"] == tr("mean squared error")
    validation = tr("{run}: validation")
    b_val = curve(curves, validation.format(run=tr("B: patience {n}").format(n=20)))
    a_val = curve(curves, validation.format(run=tr("A: all {epochs} epochs").format(epochs=60)))
    best, restored = int(b_val.argmin()) + 1, round(float(b_val.min()), 3)
    a_train, b_train = final_train_losses(at, tr("early stopping"))
    # whether B stops before epoch 60 depends on where its validation minimum falls (epoch 31 on one CPU, 33 on
    # another): the banner must say what this run did, either way
    stopped = len(b_val) < 60
    quoted = fields(tr(STOPPED if stopped else COMPLETED), banner)
    assert quoted, banner
    assert int(quoted["best"]) == best and number(quoted["best_val"]) == number(quoted["b_val"]) == restored
    assert int(quoted["stopped"] if stopped else quoted["b_epochs"]) == len(b_val), quoted
    assert (quoted["b_train"], quoted["a_train"]) == (b_train, a_train), quoted
    assert number(quoted["a_val"]) == round(float(a_val[-1]), 3), quoted
    shared = open_page("pages/early_stopping.py", **dict(at.query_params))   # the link reproduces the preset
    assert banner_of(shared, tr(name)) == banner, dict(at.query_params)


def test_early_stopping_lesson_corrects_004s_min_delta_and_update_timing():
    text = lesson("early_stopping")
    assert "smallest drop of the monitored loss" in text and '"AKA learning_rate"' in text
    n_train = reg.RED_WINE.n_samples - round(reg.RED_WINE.n_samples * reg.VAL_FRACTION)
    batches, last = -(-n_train // reg.RED_WINE.batch_size), n_train % reg.RED_WINE.batch_size
    assert (n_train, batches) == (1119, 5)
    assert f"{n_train:,} training wines in batches of 256: five batches (the last one of {last} wines)" in text
    assert "updated **after each batch**" in text and 'not "after each epoch" as 004 writes' in text
