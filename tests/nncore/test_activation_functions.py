"""nncore.experiments.activation_functions: saturation regions against the closed form, bounded and flat
ends, bad input."""
from __future__ import annotations

import numpy as np
import pytest

from nncore.experiments import activation_functions as shapes


def test_explorer_saturation_regions_match_the_closed_form():
    r = shapes.run(shapes.Config(activations=("sigmoid", "tanh", "relu", "leaky_relu"), threshold=0.01))
    # sigmoid'(x) = s(1-s) < 0.01  <=>  |x| > ln((1 + sqrt(1 - 0.04)) / (1 - sqrt(1 - 0.04)))... solved numerically:
    x = np.linspace(0, 10, 100001)
    edge = x[np.argmax(1 / (1 + np.exp(-x)) * (1 - 1 / (1 + np.exp(-x))) < 0.01)]
    sig = r.regions[0]
    assert len(sig) == 2
    assert sig[0][1] == pytest.approx(-edge, abs=0.011) and sig[1][0] == pytest.approx(edge, abs=0.011)
    assert r.max_slope[0] == pytest.approx(0.25, abs=1e-6)          # sigmoid's slope is at most 1/4
    assert r.max_slope[1] == pytest.approx(1.0, abs=1e-6)
    relu = r.regions[2]
    assert relu[0][0] == -6 and relu[0][1] == 0.0                   # flat on x <= 0, including the kink
    assert len(r.regions[3]) == 0                                   # leaky ReLU never saturates (α = 0.1)
    assert r.monotonic.all()


def test_explorer_flags_a_negative_alpha_and_refuses_bad_input():
    cfg = shapes.Config(activations=("leaky_relu",), leaky_alpha=-0.5)
    r = shapes.run(cfg)
    assert not r.monotonic[0] and "not monotonic" in shapes.notice_values(r)
    assert "α < 0 is allowed" in shapes.notice_params(cfg)
    with pytest.raises(ValueError, match="at least one"):
        shapes.run(shapes.Config(activations=()))
    with pytest.raises(ValueError, match="at least 2 pieces"):
        shapes.run(shapes.Config(activations=("maxout",), maxout_k=1))
    with pytest.raises(ValueError, match="must be among"):
        shapes.run(shapes.Config(activations=("relu", "swish9")))


def test_explorer_calls_only_bounded_functions_bounded_and_flat_ends_only_where_the_slope_is_flat():
    narrow = shapes.run(shapes.Config(activations=("relu", "linear", "sigmoid", "elu"), x_max=1.0))
    text = shapes.notice_values(narrow)
    assert "Sigmoid has bounded outputs; widen the x range" in text       # ReLU and the identity are not bounded
    assert "ReLU" not in text and text.endswith("Zero-centered: Linear (identity).")   # ELU: closer to zero mean only
    wide = shapes.run(shapes.Config(activations=("sigmoid", "tanh"), x_max=8.0))
    assert np.abs(wide.slopes[:, [0, -1]]).max() < 0.01 and "flat ends" in shapes.notice_values(wide)
