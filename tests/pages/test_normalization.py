"""The normalization page in AppTest: both runs at the defaults, batch norm trains where plain SGD diverges, a
batch of one with batch norm is a message."""
from __future__ import annotations

from tests.pages.helpers import assert_both_runs, assert_clean, charts, fields, legend_names, tr


def test_defaults_render_both_runs_without_errors(open_page):
    assert_both_runs(open_page("pages/normalization.py"), tr("Normalization"), 5)


def test_normalization_batch_norm_trains_where_plain_sgd_diverges(open_page):
    at = open_page("pages/normalization.py")
    text = " ".join(i.value for i in at.info)
    diverged = fields(tr("The loss became inf or NaN at epoch {epoch}: the run stopped there. Lower the learning "
                         "rate."), text)
    bn = fields(tr("On this batch of {batch}, the first unit's batch mean is {batch_mean} while the running mean is "
                   "{running_mean}: train mode (batch statistics) and eval mode (running averages) give outputs up to "
                   "{diff} apart for the same inputs."), text)
    assert diverged and int(diverged["epoch"]) <= 5 and bn and bn["batch"] == "8", text
    at.selectbox(key="b_norm").set_value("layer").run()
    assert_clean(at)
    layer_norm = tr("{norm} norm before the activation").format(norm="layer")
    assert any(n.startswith(f"B: {layer_norm}") for n in legend_names(charts(at)[0])), legend_names(charts(at)[0])


def test_a_batch_of_one_with_batch_norm_is_a_message_not_a_traceback(open_page):
    at = open_page("pages/normalization.py", batch_size="1", epochs="10")
    assert_clean(at)
    message = tr("Batch norm needs at least 2 samples per batch: the mean and variance of a single sample say nothing "
                 "(the output would be all zeros). Use a larger batch, or layer norm.")
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
