"""nncore.runs: a run that stopped early pads with NaN to the full length; one run's progress is relayed into the
whole batch's count, and a stop request reaches the run; labels that repeat are numbered."""
import numpy as np

from nncore.progress import Progress
from nncore.runs import numbered, padded, relay


def test_a_short_run_is_padded_with_nan_and_a_missing_one_is_all_nan():
    out = padded([0.5, 0.25], 4)
    np.testing.assert_array_equal(out[:2], [0.5, 0.25])
    assert out.dtype == np.float64 and np.isnan(out[2:]).all()
    assert np.isnan(padded(None, 3)).all() and padded(None, 3).shape == (3,)
    np.testing.assert_array_equal(padded(np.arange(3, dtype=np.float32), 3), [0.0, 1.0, 2.0])


def test_relay_counts_after_the_offset_names_the_run_and_passes_a_stop_back():
    seen = []
    listen = lambda p: seen.append(p) or len(seen) < 2
    step = relay(listen, 10, 30, "cosine")
    assert step(Progress(3, 10, "epoch 3")) is True
    assert seen[0] == Progress(13, 30, "cosine: epoch 3")
    assert step(Progress(4, 10, "epoch 4")) is False          # the listener asked to stop
    assert relay(None, 0, 5, "x")(Progress(1, 5)) is True       # nobody listens: go on


def test_a_repeated_label_is_numbered_from_its_second_time():
    assert numbered(["Adam", "SGD", "Adam", "Adam"]) == ("Adam", "SGD", "Adam #2", "Adam #3")
    assert numbered(["A #2", "A", "A"]) == ("A #2", "A", "A #3")   # never two equal labels
