"""The capacity page in AppTest: both runs at the defaults, the small net underfits and the width changes run B,
an oversized batch is one note, 004's red-wine preset quotes its run, the lesson's loss advice."""
from __future__ import annotations

from nncore import i18n
from nncore.experiments import capacity
from tests.pages.helpers import (assert_both_runs, assert_clean, banner_of, charts, click_preset, curve, fields,
                                 legend_names, lesson, number, tr, val_curve)


def n(value: float, spec: str) -> str:
    """A number as the suite's language writes it."""
    return i18n.number(value, spec, i18n.default_language())


def parameters(a: tuple[str, int], b: tuple[str, int], ratio: float) -> str:
    return " · ".join(tr("{name}: {count} parameters").format(name=name, count=n(count, ","))
                      for name, count in (a, b)) + " " + tr("({ratio}× as many)").format(ratio=n(ratio, ",.1f"))


def label(name: str, fit: str) -> str:
    return tr("**{name}: {fit}.**").format(name=name, fit=tr(fit))


def test_defaults_render_both_runs_without_errors(open_page):
    assert_both_runs(open_page("pages/capacity.py"), tr("Capacity and overfitting"), 2)


def test_capacity_labels_the_small_net_underfit_and_width_changes_run_b(open_page):
    at = open_page("pages/capacity.py")
    assert any(label("A: 1×2", "underfit") in i.value for i in at.info), [i.value for i in at.info]
    # 2 inputs, 2 classes: 2·2+2 + 2·2+2 = 12; 2·128+128 + 128·128+128 + 128·2+2 = 17,154
    assert parameters(("A: 1×2", 12), ("B: 2×128", 17154), 1429.5) in [c.value for c in at.caption]
    before = val_curve(charts(at)[0], "B")
    at.select_slider(key="b_width").set_value(8).run()
    assert_clean(at)
    assert any(n.startswith("B: 2×8") for n in legend_names(charts(at)[0]))
    assert not (val_curve(charts(at)[0], "B") == before).all()


def test_an_oversized_batch_is_one_note(open_page):
    at = open_page("pages/capacity.py", batch_size="5000")
    assert_clean(at)
    note = tr("The batch size {batch} is larger than the {n} training samples: every step uses the whole training "
              "set (full batch).").format(batch=n(5000, ","), n=210)
    assert [w.value for w in at.warning if w.value == note] and len(at.warning) == 1, [w.value for w in at.warning]


def test_capacity_004_red_wine_preset_note_quotes_its_run(open_page):
    name = capacity.WINE_CAPACITY
    at = click_preset(open_page("pages/capacity.py"), tr(name))
    banner = banner_of(at, tr(name))
    assert tr(capacity.PRESETS[name].note) in banner
    assert parameters(("A: 1×512", 6657), ("B: 3×512", 531969), 79.9) in [c.value for c in at.caption]
    labels = " ".join(i.value for i in at.info)
    assert label("A: 1×512", "underfit") in labels and label("B: 3×512", "overfit") in labels, labels
    fig = charts(at)[0]
    assert len(fig["layout"]["annotations"]) == 1, "regression: a loss panel only, no accuracy"
    a_train, a_val = (curve(fig, tr("{run}: " + split).format(run="A: 1×512")) for split in ("training", "validation"))
    b_train, b_val = (curve(fig, tr("{run}: " + split).format(run="B: 3×512")) for split in ("training", "validation"))
    quoted = fields(tr("Our run (seed {seed}, {epochs} epochs): A's training loss ends at {a_train} and its validation "
                       "MSE at {a_val}: {a_fit}. B drives its training loss down to {b_train} while its validation MSE "
                       "is lowest at epoch {b_best} ({b_best_val}) and ends at {b_val}: {b_fit}."), banner)
    assert quoted, banner
    assert (quoted["a_fit"], quoted["b_fit"], int(quoted["b_best"])) == (tr("underfit"), tr("overfit"),
                                                                        int(b_val.argmin()) + 1)
    for key, value in (("a_train", a_train[-1]), ("a_val", a_val[-1]), ("b_train", b_train[-1]),
                       ("b_best_val", b_val.min()), ("b_val", b_val[-1])):
        assert number(quoted[key]) == round(float(value), 3), (key, quoted[key], value)
    assert len(charts(at)) == 1, "no decision boundary or fitted curve for 11 inputs"


def test_capacity_lesson_says_when_mse_and_when_mae_or_huber():
    text = lesson("capacity")
    assert "punishes large errors most" in text and "**resist outliers**" in text and "loss='mse'" in text
    assert "usually means a small or easy validation set" not in text and "k-fold" in text
