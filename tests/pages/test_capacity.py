"""The regularization lessons in AppTest: each renders at its defaults with both runs, and its main control works."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from nncore import params
from nncore import regularization as reg
from nncore.experiments import capacity, early_stopping
from tests.pages.helpers import array, assert_clean, charts

PAGES = {
    "pages/capacity.py": ("Capacity and overfitting", 2),
    "pages/normalization.py": ("Normalization", 5),
    "pages/weight_penalties.py": ("Weight penalties", 3),
    "pages/early_stopping.py": ("Early stopping", 3),
    "pages/augmentation.py": ("Data augmentation", 2),
}


def legend_names(fig: dict) -> list[str]:
    return [t["name"] for t in fig["data"] if t.get("name")]


def val_curve(fig: dict, who: str):
    return array(next(t for t in fig["data"] if t.get("name", "").startswith(who) and "validation" in t["name"])["y"])


@pytest.mark.parametrize("page", list(PAGES))
def test_defaults_render_both_runs_without_errors(open_page, page):
    title, n_charts = PAGES[page]
    at = open_page(page)
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    assert [t.value for t in at.title] == [title]
    figs = charts(at)
    assert len(figs) >= n_charts, [f["layout"].get("title") for f in figs]
    names = [n for f in figs for n in legend_names(f)]
    assert any(n.startswith("A") for n in names) and any(n.startswith("B") for n in names), names
    assert at.info, "no 'what to notice' line"


def test_capacity_labels_the_small_net_underfit_and_width_changes_run_b(open_page):
    at = open_page("pages/capacity.py")
    assert any("A: 1×2: underfit" in i.value for i in at.info), [i.value for i in at.info]
    before = val_curve(charts(at)[0], "B")
    at.select_slider(key="b_width").set_value(8).run()
    assert_clean(at)
    assert any(n.startswith("B: 2×8") for n in legend_names(charts(at)[0]))
    assert not (val_curve(charts(at)[0], "B") == before).all()


def test_normalization_batch_norm_trains_where_plain_sgd_diverges(open_page):
    at = open_page("pages/normalization.py")
    text = " ".join(i.value for i in at.info)
    assert "inf or NaN" in text and "running mean" in text, text
    at.selectbox(key="b_norm").set_value("layer").run()
    assert_clean(at)
    assert any("layer norm" in n for n in legend_names(charts(at)[0]))


def test_weight_penalties_path_toggle(open_page):
    at = open_page("pages/weight_penalties.py")
    assert any("exactly 0" in i.value for i in at.info)
    at.toggle(key="path").set_value(True).run()
    assert_clean(at)
    assert any("lowest validation loss" in i.value for i in at.info), [i.value for i in at.info]


def test_early_stopping_patience_moves_the_stop(open_page):
    at = open_page("pages/early_stopping.py")
    assert any("restored epoch" in i.value for i in at.info), [i.value for i in at.info]
    at.slider(key="b_patience").set_value(60).run()
    assert_clean(at)
    assert any("patience 60" in n for n in legend_names(charts(at)[1]))


def test_a_batch_of_one_with_batch_norm_is_a_message_not_a_traceback(open_page):
    at = open_page("pages/normalization.py", batch_size="1", epochs="10")
    assert_clean(at)
    assert any("at least 2 samples" in e.value for e in at.error), [e.value for e in at.error]


def test_augmentation_off_in_b_gives_a_curves(open_page):
    at = open_page("pages/augmentation.py")
    at.toggle(key="b_augment").set_value(False).run()
    assert_clean(at)
    fig = charts(at)[0]
    assert (val_curve(fig, "A") == val_curve(fig, "B")).all()   # same seed and data: the technique is the only change


def test_an_oversized_batch_is_one_note(open_page):
    at = open_page("pages/capacity.py", batch_size="5000")
    assert_clean(at)
    assert [w.value for w in at.warning if "larger than the 210 training samples" in w.value] and len(at.warning) == 1


def curve(fig: dict, name: str):
    return array(next(t for t in fig["data"] if t.get("name") == name)["y"])


def click_preset(at, label: str):
    next(b for b in at.button if b.label == label).click().run()
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    return at


def banner_of(at, name: str) -> str:
    return next(s.value for s in at.success if name in s.value)


def final_train_losses(at, prefix: str) -> tuple[str, str]:
    """A's and B's final training MSE as notice_compare prints them ("training loss 0.057 → 0.161")."""
    compare = next(i.value for i in at.info if i.value.startswith(prefix))
    return re.search(r"training loss ([\d.]+) → ([\d.]+)", compare).groups()


def test_early_stopping_004_red_wine_preset_note_quotes_its_run(open_page):
    name = "004: red wine, 3×512, early stopping"
    at = click_preset(open_page("pages/early_stopping.py"), name)
    banner = banner_of(at, name)
    assert early_stopping.PRESETS[name].note in banner
    stopping, curves = charts(at)[:2]
    assert stopping["layout"]["yaxis"]["title"]["text"] == "mean squared error"
    b_val, a_val = curve(curves, "B: patience 20: validation"), curve(curves, "A: all 60 epochs: validation")
    best, restored = int(b_val.argmin()) + 1, f"{b_val.min():.3f}"
    a_train, b_train = final_train_losses(at, "With early stopping")
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


def test_capacity_004_red_wine_preset_note_quotes_its_run(open_page):
    name = "004: red wine, 1 vs 3 layers of 512"
    at = click_preset(open_page("pages/capacity.py"), name)
    banner = banner_of(at, name)
    assert capacity.PRESETS[name].note in banner
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


def test_weight_penalties_default_is_plain_sgd_and_the_adam_preset_says_why_it_differs(open_page):
    at = open_page("pages/weight_penalties.py")
    weights = next(i.value for i in at.info if i.value.startswith("Of the"))
    assert "With SGD, L1's gradient" in weights and "λ = decay/2" in weights and "√v" not in weights
    assert len(charts(at)[2]["data"]) >= 4, "no penalty, L1, L2 and decay"
    click_preset(at, "The same with Adam")
    assert at.selectbox(key="optimizer").value == "adam"
    weights = next(i.value for i in at.info if i.value.startswith("Of the"))
    assert "√v" in weights and "the opposite of plain SGD's picture" in weights, weights
    assert any("The same with Adam" in s.value for s in at.success)


LESSONS = Path(__file__).resolve().parents[2] / "assets" / "lessons"


def lesson(name: str) -> str:
    return " ".join((LESSONS / f"{name}.md").read_text(encoding="utf-8").split())   # one line: no wrapping


def test_dropout_lesson_quotes_000_and_corrects_004():
    text = lesson("dropout")
    assert "small or easier validation set and k-fold splits" not in text   # the old misquote of 000
    for said in ("k-fold cross-validation", '"hard" cases', '"easy" ones', "check your dropouts",
                 "check your batch size", "002", "too small for its statistics"):
        assert said in text, said
    assert "every forward pass in training" in text and 'not once "in each epoch" as 004 writes' in text


def test_early_stopping_lesson_corrects_004s_min_delta_and_update_timing():
    text = lesson("early_stopping")
    assert "smallest drop of the monitored loss" in text and '"AKA learning_rate"' in text
    n_train = reg.RED_WINE.n_samples - round(reg.RED_WINE.n_samples * reg.VAL_FRACTION)
    batches, last = -(-n_train // reg.RED_WINE.batch_size), n_train % reg.RED_WINE.batch_size
    assert (n_train, batches) == (1119, 5)
    assert f"{n_train:,} training wines in batches of 256: five batches (the last one of {last} wines)" in text
    assert "updated **after each batch**" in text and 'not "after each epoch" as 004 writes' in text


def test_capacity_lesson_says_when_mse_and_when_mae_or_huber():
    text = lesson("capacity")
    assert "punishes large errors most" in text and "**resist outliers**" in text and "loss='mse'" in text
    assert "usually means a small or easy validation set" not in text and "k-fold" in text


def test_weight_penalties_lesson_gives_the_decay_convention_and_adams_distortion():
    text = lesson("weight_penalties")
    assert "with plain SGD that is the same as L2, with Adam it is not" not in text   # the old, unqualified claim
    assert "**with λ = decay/2**" in text and "gradient is 2λw" in text and "√v" in text and "AdamW" in text
    help_text = params.spec(reg.Config, "weight_decay")["help"]
    assert "λ = decay/2" in help_text
