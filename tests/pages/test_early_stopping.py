"""The early-stopping page in AppTest: both runs at the defaults, patience moves the stop, 004's red-wine preset
quotes its run, the lesson's corrections of 004."""
from __future__ import annotations

from nncore import regularization as reg
from nncore.experiments import early_stopping
from tests.pages.helpers import assert_both_runs, assert_clean, banner_of, charts, click_preset, curve, final_train_losses, legend_names, lesson


def test_defaults_render_both_runs_without_errors(open_page):
    assert_both_runs(open_page("pages/early_stopping.py"), "Early stopping", 3)


def test_early_stopping_patience_moves_the_stop(open_page):
    at = open_page("pages/early_stopping.py")
    assert any("restored epoch" in i.value for i in at.info), [i.value for i in at.info]
    at.slider(key="b_patience").set_value(60).run()
    assert_clean(at)
    assert any("patience 60" in n for n in legend_names(charts(at)[1]))


def test_early_stopping_004_red_wine_preset_note_quotes_its_run(open_page):
    name = "004: red wine, 3×512, early stopping"
    at = click_preset(open_page("pages/early_stopping.py"), name)
    banner = banner_of(at, name)
    assert early_stopping.PRESETS[name].note in banner
    stopping, curves = charts(at)[:2]
    assert stopping["layout"]["yaxis"]["title"]["text"] == "mean squared error"
    b_val, a_val = curve(curves, "B: patience 20: validation"), curve(curves, "A: all 60 epochs: validation")
    best, restored = int(b_val.argmin()) + 1, f"{b_val.min():.3f}"
    a_train, b_train = final_train_losses(at, "early stopping")
    # whether B stops before epoch 60 depends on where its validation minimum falls (epoch 31 on one CPU, 33 on
    # another): the banner must say what this run did, either way
    stopped = len(b_val) < 60
    quoted = ((f"best epoch {best} ({restored})", f"B stops at epoch {len(b_val)}") if stopped else
              (f"lowest at epoch {best} ({restored})", "B trains all 60 epochs like A"))
    for text in (*quoted, f"restores epoch {best}'s weights: validation MSE {restored}, training MSE {b_train}",
                 f"at validation MSE {a_val[-1]:.3f}, training MSE {a_train}"):
        assert text in banner, (text, banner)
    shared = open_page("pages/early_stopping.py", **dict(at.query_params))   # the link reproduces the preset
    assert banner_of(shared, name) == banner, dict(at.query_params)


def test_early_stopping_lesson_corrects_004s_min_delta_and_update_timing():
    text = lesson("early_stopping")
    assert "smallest drop of the monitored loss" in text and '"AKA learning_rate"' in text
    n_train = reg.RED_WINE.n_samples - round(reg.RED_WINE.n_samples * reg.VAL_FRACTION)
    batches, last = -(-n_train // reg.RED_WINE.batch_size), n_train % reg.RED_WINE.batch_size
    assert (n_train, batches) == (1119, 5)
    assert f"{n_train:,} training wines in batches of 256: five batches (the last one of {last} wines)" in text
    assert "updated **after each batch**" in text and 'not "after each epoch" as 004 writes' in text
