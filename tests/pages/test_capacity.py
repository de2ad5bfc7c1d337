"""The capacity page in AppTest: both runs at the defaults, the small net underfits and the width changes run B,
an oversized batch is one note, 004's red-wine preset quotes its run, the lesson's loss advice."""
from __future__ import annotations

from nncore.experiments import capacity
from tests.pages.helpers import assert_both_runs, assert_clean, banner_of, charts, click_preset, curve, legend_names, lesson, val_curve


def test_defaults_render_both_runs_without_errors(open_page):
    assert_both_runs(open_page("pages/capacity.py"), "Capacity and overfitting", 2)


def test_capacity_labels_the_small_net_underfit_and_width_changes_run_b(open_page):
    at = open_page("pages/capacity.py")
    assert any("A: 1×2: underfit" in i.value for i in at.info), [i.value for i in at.info]
    # 2 inputs, 2 classes: 2·2+2 + 2·2+2 = 12; 2·128+128 + 128·128+128 + 128·2+2 = 17,154
    assert "A: 1×2: 12 parameters · B: 2×128: 17,154 parameters (1,429.5× as many)" in [c.value for c in at.caption]
    before = val_curve(charts(at)[0], "B")
    at.select_slider(key="b_width").set_value(8).run()
    assert_clean(at)
    assert any(n.startswith("B: 2×8") for n in legend_names(charts(at)[0]))
    assert not (val_curve(charts(at)[0], "B") == before).all()


def test_an_oversized_batch_is_one_note(open_page):
    at = open_page("pages/capacity.py", batch_size="5000")
    assert_clean(at)
    assert [w.value for w in at.warning if "larger than the 210 training samples" in w.value] and len(at.warning) == 1


def test_capacity_004_red_wine_preset_note_quotes_its_run(open_page):
    name = "004: red wine, 1 vs 3 layers of 512"
    at = click_preset(open_page("pages/capacity.py"), name)
    banner = banner_of(at, name)
    assert capacity.PRESETS[name].note in banner
    assert "A: 1×512: 6,657 parameters · B: 3×512: 531,969 parameters (79.9× as many)" in [c.value for c in at.caption]
    labels = " ".join(i.value for i in at.info)
    assert "A: 1×512: underfit" in labels and "B: 3×512: overfit" in labels, labels
    fig = charts(at)[0]
    assert len(fig["layout"]["annotations"]) == 1, "regression: a loss panel only, no accuracy"
    a_train, a_val = curve(fig, "A: 1×512: training"), curve(fig, "A: 1×512: validation")
    b_train, b_val = curve(fig, "B: 3×512: training"), curve(fig, "B: 3×512: validation")
    for quoted in (f"A's training loss ends at {a_train[-1]:.3f}", f"validation MSE at {a_val[-1]:.3f}: underfit",
                   f"training loss down to {b_train[-1]:.3f}",
                   f"lowest at epoch {int(b_val.argmin()) + 1} ({b_val.min():.3f}) and ends at {b_val[-1]:.3f}: overfit"):
        assert quoted in banner, (quoted, banner)
    assert len(charts(at)) == 1, "no decision boundary or fitted curve for 11 inputs"


def test_capacity_lesson_says_when_mse_and_when_mae_or_huber():
    text = lesson("capacity")
    assert "punishes large errors most" in text and "**resist outliers**" in text and "loss='mse'" in text
    assert "usually means a small or easy validation set" not in text and "k-fold" in text
