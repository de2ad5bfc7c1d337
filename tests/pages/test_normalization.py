"""The normalization page in AppTest: both runs at the defaults, batch norm trains where plain SGD diverges, a
batch of one with batch norm is a message."""
from __future__ import annotations

from tests.pages.helpers import assert_both_runs, assert_clean, charts, legend_names


def test_defaults_render_both_runs_without_errors(open_page):
    assert_both_runs(open_page("pages/normalization.py"), "Normalization", 5)


def test_normalization_batch_norm_trains_where_plain_sgd_diverges(open_page):
    at = open_page("pages/normalization.py")
    text = " ".join(i.value for i in at.info)
    assert "inf or NaN" in text and "running mean" in text, text
    at.selectbox(key="b_norm").set_value("layer").run()
    assert_clean(at)
    assert any("layer norm" in n for n in legend_names(charts(at)[0]))


def test_a_batch_of_one_with_batch_norm_is_a_message_not_a_traceback(open_page):
    at = open_page("pages/normalization.py", batch_size="1", epochs="10")
    assert_clean(at)
    assert any("at least 2 samples" in e.value for e in at.error), [e.value for e in at.error]
