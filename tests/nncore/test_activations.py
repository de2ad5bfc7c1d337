"""Every registered activation against torch's functional reference (or a closed form), and its flags
(output_range, zero_centered, rectifier) against its values. The tests loop over ACTIVATIONS: a new entry needs a
line in REFERENCE, and its flags are then checked like the others'."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nncore.activations import ACTIVATIONS

GRID = torch.linspace(-30.0, 30.0, 60001)          # step 0.001, far into both tails


def _maxout(x: torch.Tensor, k: int = 2) -> torch.Tensor:
    """Closed form: the k tangents of softplus with slopes s = 0, 1/(k-1), ..., 1 have intercepts
    softplus(logit s) - s logit s = -s log s - (1 - s) log(1 - s) (the binary entropy, 0 at s = 0 and 1)."""
    s = np.linspace(0.0, 1.0, int(k))
    with np.errstate(divide="ignore", invalid="ignore"):
        b = np.nan_to_num(-s * np.log(s)) + np.nan_to_num(-(1 - s) * np.log(1 - s))
    xs = x.double().numpy()[:, None]
    return torch.from_numpy((xs * s + b).max(axis=1))


# name -> reference(x, **params): torch.nn.functional where torch has it
REFERENCE = {
    "linear": lambda x: x,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": F.relu,
    "leaky_relu": lambda x, alpha=0.01: F.leaky_relu(x, alpha),
    "prelu": lambda x, alpha=0.25: F.prelu(x, torch.tensor([alpha])),
    "elu": lambda x, alpha=1.0: F.elu(x, alpha),
    "selu": F.selu,
    "gelu": F.gelu,
    "silu": F.silu,
    "softplus": lambda x, beta=1.0: F.softplus(x, beta),
    "maxout": _maxout,
}


def param_cases(name: str) -> list[dict]:
    """Defaults, then each parameter at its lowest and highest allowed value."""
    entry = ACTIVATIONS[name]
    cases = [{}]
    for key, (default, lo, hi) in entry.params.items():
        cases += [{key: lo}, {key: hi}, {key: default}]
    return cases


def values(name: str, x: torch.Tensor = GRID, **params) -> torch.Tensor:
    with torch.no_grad():
        return ACTIVATIONS[name].module(**params)(x)


def test_every_activation_has_a_reference():
    missing = set(ACTIVATIONS) - set(REFERENCE)
    assert not missing, f"add a torch.nn.functional (or closed-form) reference for {sorted(missing)} to REFERENCE"


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_module_equals_the_functional_reference_on_a_grid(name):
    for params in param_cases(name):
        ours = values(name, **params)
        expected = REFERENCE[name](GRID, **params)
        assert ours.shape == GRID.shape and ours.dtype == torch.float32
        torch.testing.assert_close(ours.double(), expected.double(), rtol=1e-5, atol=1e-6,
                                   msg=lambda m: f"{name} {params}: {m}")


def test_closed_forms_at_a_few_points():
    """Independent of torch's kernels: the formulas of the slides at x = -2, 0, 3."""
    x = torch.tensor([-2.0, 0.0, 3.0])
    e2 = math.exp(-2)
    expected = {"sigmoid": [1 / (1 + math.exp(2)), 0.5, 1 / (1 + math.exp(-3))],
                "tanh": [math.tanh(-2), 0.0, math.tanh(3)], "relu": [0.0, 0.0, 3.0],
                "leaky_relu": [-0.02, 0.0, 3.0], "elu": [e2 - 1, 0.0, 3.0], "linear": [-2.0, 0.0, 3.0]}
    for name, want in expected.items():
        if name in ACTIVATIONS:
            np.testing.assert_allclose(values(name, x).numpy(), want, rtol=1e-6, atol=1e-7, err_msg=name)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_output_range_holds_and_its_finite_bounds_are_approached(name):
    entry = ACTIVATIONS[name]
    lo, hi = entry.output_range
    y = values(name).double()
    slack = 1e-5 + 1e-6 * y.abs()   # GELU's and SiLU's minima are written to 5 digits (-0.16997, -0.27846)
    assert (y >= lo - slack).all() and (y <= hi + slack).all(), (name, float(y.min()), float(y.max()))
    if math.isfinite(lo):   # a stated bound is the infimum, not just a bound
        assert float(y.min()) == pytest.approx(lo, abs=1e-4), name
    if math.isfinite(hi):
        assert float(y.max()) == pytest.approx(hi, abs=1e-4), name
    if not entry.learned:   # learned pieces can move the range; the others are as stated at their defaults
        if math.isinf(hi):
            assert float(y[-1]) > 10 and float(y[-1]) > float(y[-5000]), name
        if math.isinf(lo):
            assert float(y[0]) < float(y[5000]) < 0, name


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_rectifier_means_exactly_zero_for_every_negative_input(name):
    entry = ACTIVATIONS[name]
    y = values(name)
    negative, positive = y[GRID <= 0], y[GRID > 0]
    if entry.rectifier:
        assert torch.count_nonzero(negative) == 0 and (positive > 0).all(), name
        assert math.isfinite(entry.output_range[0]) and entry.output_range[0] == 0
    elif not entry.learned:   # (maxout starts as ReLU exactly, but its pieces are learned)
        assert torch.count_nonzero(negative) > 0, f"{name} outputs 0 for every x <= 0: flag it rectifier"


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_zero_centered_means_a_small_mean_output_on_standard_normal_input(name):
    """zero_centered as the lectures use it (tanh yes, ReLU no, ELU 'closer to zero mean'): for z ~ N(0,1),
    |E f(z)| < 0.3 sqrt(E f(z)^2). Measured: tanh, SELU, identity ~0, ELU 0.20; the others 0.35 (SiLU) to 0.92."""
    z = torch.randn(1_000_000, generator=torch.Generator().manual_seed(0))
    y = values(name, z).double()
    ratio = float(y.mean().abs() / y.pow(2).mean().sqrt())
    assert (ratio < 0.3) == ACTIVATIONS[name].zero_centered, (name, ratio)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_saturation_bounds_and_gain_are_usable(name):
    entry = ACTIVATIONS[name]
    bounded = all(math.isfinite(b) for b in entry.output_range)
    assert (entry.saturation_bounds() is not None) == bounded
    if bounded:
        lo, hi = entry.saturation_bounds()
        assert entry.output_range[0] < lo < hi < entry.output_range[1]
    assert torch.nn.init.calculate_gain(entry.gain, 0.01 if entry.gain == "leaky_relu" else None) > 0


def test_unknown_activation_raises_a_readable_value_error():
    from nncore.activations import make
    with pytest.raises(ValueError, match=r"Unknown activation 'swish'; choose one of: .*tanh"):
        make("swish")
