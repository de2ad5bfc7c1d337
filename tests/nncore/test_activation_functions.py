"""nncore.experiments.activation_functions: saturation regions against the closed form, bounded and flat
ends, bad input."""
from __future__ import annotations

import numpy as np
import pytest

from nncore.activations import ACTIVATIONS
from nncore.experiments import activation_functions as shapes
from nncore.i18n import ngettext
from tests.pages.helpers import says, tr


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
    assert not r.monotonic[0] and says(shapes.notice_values(r), "{name} is not monotonic here (its slope is {slope} "
                                       "for x < 0): a larger input can give a smaller output.", name="Leaky ReLU")
    assert tr(ACTIVATIONS["leaky_relu"].param_notes["alpha"]) in shapes.notice_params(cfg)
    with pytest.raises(ValueError) as error:
        shapes.run(shapes.Config(activations=()))
    assert str(error.value) == tr("Pick at least one activation function to draw.")
    with pytest.raises(ValueError) as error:
        shapes.run(shapes.Config(activations=("maxout",), maxout_k=1))
    assert says(str(error.value), "Maxout needs at least 2 pieces (got {k}): one piece is a single line, no "
                "nonlinearity at all.", k=1)
    with pytest.raises(ValueError) as error:     # the check's wording is the shared layer's: the label and the value
        shapes.run(shapes.Config(activations=("relu", "swish9")))
    assert tr("Activations") in str(error.value) and "swish9" in str(error.value)


def test_explorer_calls_only_bounded_functions_bounded_and_flat_ends_only_where_the_slope_is_flat():
    narrow = shapes.run(shapes.Config(activations=("relu", "linear", "sigmoid", "elu"), x_max=1.0))
    text = shapes.notice_values(narrow)
    widen = ngettext("{names} has bounded outputs; widen the x range to see its flat ends.",
                     "{names} have bounded outputs; widen the x range to see their flat ends.", 1)
    assert says(text, widen, names="Sigmoid"), text                       # ReLU and the identity are not bounded
    # ELU: closer to zero mean only
    assert "ReLU" not in text and text.endswith(tr("Zero-centered: {names}.").format(names="Linear (identity)"))
    wide = shapes.run(shapes.Config(activations=("sigmoid", "tanh"), x_max=8.0))
    flat = ngettext("{names} has bounded outputs; at x = ±{x} their slopes are already below {threshold}: flat ends.",
                    "{names} have bounded outputs; at x = ±{x} their slopes are already below {threshold}: flat ends.",
                    2)
    assert np.abs(wide.slopes[:, [0, -1]]).max() < 0.01
    assert says(shapes.notice_values(wide), flat, names="Sigmoid, Tanh")
