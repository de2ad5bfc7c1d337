"""The augmentation page in AppTest: both runs at the defaults; with augmentation off in B, A and B are equal."""
from __future__ import annotations

from tests.pages.helpers import assert_both_runs, assert_clean, charts, tr, val_curve


def test_defaults_render_both_runs_without_errors(open_page):
    assert_both_runs(open_page("pages/augmentation.py"), tr("Data augmentation"), 2)


def test_augmentation_off_in_b_gives_a_curves(open_page):
    at = open_page("pages/augmentation.py")
    at.toggle(key="b_augment").set_value(False).run()
    assert_clean(at)
    fig = charts(at)[0]
    assert (val_curve(fig, "A") == val_curve(fig, "B")).all()   # same seed and data: the technique is the only change
