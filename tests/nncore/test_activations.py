"""The activation registry against closed forms: every value and autograd derivative on a grid with the kinks,
Maxout against a manual max of affine maps, PReLU's α under training, parameter checks, softmax."""
from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch

from nncore import activations, data, models, training
from nncore.activations import ACTIVATIONS, OUTPUT_ACTIVATIONS, SELU_ALPHA, SELU_SCALE, Maxout, make
from tests.pages.helpers import says

BETWEEN = "{activation}: {parameter} must be between {lo} and {hi} (got {value})."

GRID = np.unique(np.r_[np.linspace(-6.0, 6.0, 241), [0.0, -1e-3, 1e-3]])  # x = 0 is every kink of this registry
erf = np.vectorize(math.erf)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def phi(x):  # standard normal density
    return np.exp(-x**2 / 2) / math.sqrt(2 * math.pi)


def Phi(x):  # standard normal CDF
    return 0.5 * (1 + erf(x / math.sqrt(2)))


# name -> (params, f, f') with the kink convention the registry's derivative formulas state (x <= 0 branch at 0)
CLOSED_FORMS = {
    "sigmoid": ({}, sigmoid, lambda x: sigmoid(x) * (1 - sigmoid(x))),
    "tanh": ({}, np.tanh, lambda x: 1 - np.tanh(x) ** 2),
    "relu": ({}, lambda x: np.maximum(0, x), lambda x: (x > 0).astype(float)),
    "leaky_relu": ({"alpha": 0.1}, lambda x: np.where(x > 0, x, 0.1 * x), lambda x: np.where(x > 0, 1.0, 0.1)),
    "prelu": ({"alpha": 0.25}, lambda x: np.where(x > 0, x, 0.25 * x), lambda x: np.where(x > 0, 1.0, 0.25)),
    "elu": ({"alpha": 0.5}, lambda x: np.where(x > 0, x, 0.5 * np.expm1(x)),
            lambda x: np.where(x > 0, 1.0, 0.5 * np.exp(x))),
    "selu": ({}, lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(x)),
             lambda x: SELU_SCALE * np.where(x > 0, 1.0, SELU_ALPHA * np.exp(x))),
    "gelu": ({}, lambda x: x * Phi(x), lambda x: Phi(x) + x * phi(x)),
    "silu": ({}, lambda x: x * sigmoid(x), lambda x: sigmoid(x) * (1 + x * (1 - sigmoid(x)))),
    "softplus": ({"beta": 2.0}, lambda x: np.logaddexp(0, 2 * x) / 2, lambda x: sigmoid(2 * x)),
    "linear": ({}, lambda x: x, lambda x: np.ones_like(x)),
}


def test_every_hidden_activation_has_a_closed_form_test_and_full_metadata():
    assert set(ACTIVATIONS) == set(CLOSED_FORMS) | {"maxout"}
    for name, entry in {**ACTIVATIONS, **OUTPUT_ACTIVATIONS}.items():
        assert entry.label and entry.formula and entry.derivative and entry.note, name
        assert entry.saturates and entry.cost and entry.lecture, name
        assert entry.pros or entry.cons, name
        lo, hi = entry.output_range
        assert lo < hi, name


@pytest.mark.parametrize("name", list(CLOSED_FORMS))
def test_value_and_autograd_derivative_match_the_closed_form(name):
    params, f, fprime = CLOSED_FORMS[name]
    y, slope = activations.value_and_slope(make(name, **params), torch.tensor(GRID, dtype=torch.float32))
    np.testing.assert_allclose(y.numpy(), f(GRID), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(slope.numpy(), fprime(GRID), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", list(CLOSED_FORMS))
def test_values_stay_in_the_stated_output_range(name):
    """nncore's own module at its default parameters (the registry's range is stated for them), in float64."""
    lo, hi = ACTIVATIONS[name].output_range
    wide = np.concatenate([np.linspace(-30, 30, 601), np.linspace(-3, 0, 300_001)])  # fine where GELU/SiLU dip
    with torch.no_grad():
        values = make(name).double()(torch.tensor(wide, dtype=torch.float64)).numpy()
    assert np.all(values >= lo - 1e-12) and np.all(values <= hi + 1e-12), (name, values.min(), values.max())
    if math.isfinite(lo):   # the stated bound is the infimum: reached within 1e-3 (at x = -30, or at the dip)
        assert values.min() == pytest.approx(lo, abs=1e-3), name
    if math.isfinite(hi):
        assert values.max() == pytest.approx(hi, abs=1e-3), name


SATURATING = [name for name, entry in ACTIVATIONS.items() if entry.saturates.startswith("both sides: |x| >")]


@pytest.mark.parametrize("name", SATURATING)
def test_the_stated_saturation_edge_holds_for_torchs_slope(name):
    """'|x| > E gives f' < S': torch's f' (float64, autograd) is below S beyond E, and not yet 0.01 inside E."""
    match = re.fullmatch(r"both sides: \|x\| > ([\d.]+) gives \S+ < ([\d.]+)", ACTIVATIONS[name].saturates)
    edge, flat = float(match[1]), float(match[2])
    x = torch.tensor([-edge, edge, 1e-9 - edge, edge - 0.01, 0.01 - edge], dtype=torch.float64)
    _, slope = activations.value_and_slope(make(name), x)
    assert (slope[:2].abs() < flat).all(), (name, slope)       # tanh'(3.8) = 0.002 failed this
    assert (slope[3:].abs() >= flat).all(), (name, slope)      # the edge is not overstated by more than 0.01


def test_the_saturating_activations_are_sigmoid_and_tanh_with_their_computed_edges():
    assert SATURATING == ["sigmoid", "tanh"]
    assert activations.tanh_edge(0.001) == pytest.approx(4.1468, abs=1e-4)     # atanh(sqrt(0.999))
    assert activations.sigmoid_edge(0.001) == pytest.approx(6.9057, abs=1e-4)


def test_relu_family_kinks_follow_torch_conventions():
    x = torch.zeros(1)
    assert float(activations.value_and_slope(make("relu"), x)[1]) == 0.0        # relu'(0) = 0: no gradient at 0
    assert float(activations.value_and_slope(make("leaky_relu", alpha=0.2), x)[1]) == pytest.approx(0.2)


def _manual_maxout(z: torch.Tensor, slopes: torch.Tensor, intercepts: torch.Tensor) -> torch.Tensor:
    """max_i (a_i z + b_i) written out as k separate affine maps and an elementwise max."""
    pieces = [slopes[..., i] * z + intercepts[..., i] for i in range(slopes.shape[-1])]
    out = pieces[0]
    for p in pieces[1:]:
        out = torch.maximum(out, p)
    return out


@pytest.mark.parametrize("k", [2, 3, 5])
def test_maxout_equals_a_manual_max_of_affine_maps(k):
    gen = torch.Generator().manual_seed(k)
    m = Maxout(k, num_parameters=6)
    with torch.no_grad():
        m.slope.copy_(torch.randn(6, k, generator=gen))
        m.intercept.copy_(torch.randn(6, k, generator=gen))
    z = torch.randn(50, 6, generator=gen)
    torch.testing.assert_close(m(z), _manual_maxout(z, m.slope, m.intercept))
    # the slide's form: after a Linear, each unit is the max of k affine maps of the layer's input x
    lin = torch.nn.Linear(4, 6)
    x = torch.randn(50, 4, generator=gen)
    maps = [(m.slope[:, i:i + 1] * lin.weight, m.slope[:, i] * lin.bias + m.intercept[:, i]) for i in range(k)]
    manual = torch.stack([x @ w.T + b for w, b in maps], -1).amax(-1)
    torch.testing.assert_close(m(lin(x)), manual)


def test_maxout_gradient_is_the_slope_of_the_winning_piece():
    m = Maxout(3)
    z = torch.tensor([-5.0, 0.5, 5.0])
    _, slope = activations.value_and_slope(m, z)
    winners = (z.unsqueeze(-1) * m.slope + m.intercept).argmax(-1)
    torch.testing.assert_close(slope, m.slope[0, winners].detach())


def test_maxout_starts_as_relu_with_two_pieces_and_approaches_softplus_with_more():
    z = torch.linspace(-4, 4, 81)
    torch.testing.assert_close(make("maxout", k=2)(z), torch.relu(z))
    with torch.no_grad():
        err = [float((make("maxout", k=k)(z) - torch.nn.functional.softplus(z)).abs().max()) for k in (2, 4, 8)]
    assert err[0] > err[1] > err[2], err


def test_maxout_refuses_fewer_than_two_pieces():
    with pytest.raises(ValueError) as error:
        Maxout(1)
    assert says(str(error.value), "Maxout needs at least 2 pieces (got k = {k}): with one piece it is a single affine "
                "map, that is no nonlinearity at all.", k=1)
    with pytest.raises(ValueError) as error:
        make("maxout", k=1)
    assert says(str(error.value), BETWEEN, parameter="k", lo=2, hi=8), error.value


def test_negative_leaky_alpha_is_allowed_and_explained():
    f = make("leaky_relu", alpha=-0.5)
    assert float(f(torch.tensor(-2.0))) == pytest.approx(1.0)  # a negative input gives a positive output
    assert "monotonic" in ACTIVATIONS["leaky_relu"].param_notes["alpha"]
    with pytest.raises(ValueError) as error:
        make("leaky_relu", alpha=-2.0)
    assert says(str(error.value), BETWEEN, parameter="alpha"), error.value
    with pytest.raises(ValueError, match="no parameter"):
        make("relu", alpha=0.1)
    with pytest.raises(ValueError, match="Unknown activation"):
        make("swishy")


def test_prelu_alpha_changes_under_training():
    d = data.load("spiral", n_samples=300, seed=0)
    model = models.build(models.MLPSpec(2, 3, hidden=(16,), activation="prelu"), generator=0)
    prelu = model.hidden_outputs[0]
    before = float(prelu.weight.detach())
    training.train(model, d, training.TrainSpec(epochs=5, batch_size=32, optimizer="sgd", lr=0.1), seed=0)
    assert before == pytest.approx(0.25)
    assert abs(float(prelu.weight.detach()) - before) > 1e-3


def test_softmax_with_temperature_matches_the_formula_and_sums_to_one():
    z = torch.tensor([[3.2, 5.1, -1.7]])
    for t in (0.2, 1.0, 5.0):
        p = make("softmax", temperature=t)(z)
        expected = np.exp(z.numpy() / t) / np.exp(z.numpy() / t).sum()
        np.testing.assert_allclose(p.numpy(), expected, rtol=1e-5)
        assert float(p.sum()) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        make("softmax", temperature=0.0)


def test_the_weight_init_lesson_api_still_works():
    entry = ACTIVATIONS["tanh"]
    assert entry.saturation_bounds() == (-0.99, 0.99)
    assert ACTIVATIONS["relu"].rectifier and ACTIVATIONS["relu"].output_range == (0.0, math.inf)
    assert isinstance(make("tanh"), torch.nn.Tanh)
    assert isinstance(make("leaky_relu", alpha=0.1), torch.nn.LeakyReLU)
