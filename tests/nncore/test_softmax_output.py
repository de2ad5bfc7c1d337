"""nncore.experiments.softmax_output: gradients are (p - y) / T; squared error on p saturates."""
from __future__ import annotations

import math

import numpy as np
import pytest

from nncore.experiments import softmax_output as softmax


def test_softmax_gradients_are_p_minus_y_over_t_and_mse_saturates():
    r = softmax.run(softmax.Config(temperature=2.0))
    y = np.eye(3)[0]
    np.testing.assert_allclose(r.ce_grad, (r.probs - y) / 2.0, atol=1e-6)
    assert r.ce_loss == pytest.approx(-math.log(r.probs[0]), rel=1e-5)
    worst = softmax.run(softmax.Config())
    assert worst.sweep_ce_grad[0] == pytest.approx(-1.0, abs=1e-3)  # CE: full strength when badly wrong
    assert abs(worst.sweep_mse_grad[0]) < 1e-4                      # squared error: the exp's flat tail
    assert np.argmax(r.probs) == np.argmax(r.probs_t1)              # temperature never changes the ranking
