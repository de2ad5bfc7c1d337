"""Every weight initialization against the variance it states, on a large non-square (fan_out, fan_in) weight,
so that a swapped fan_in / fan_out shows (1/fan_in and 1/fan_out differ 3x here)."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from nncore import inits

FAN_OUT, FAN_IN = 600, 1800     # 1.08M weights: a variance estimate is good to ~0.3%
SCALE = 0.37

# name -> Var[w] as a function of (fan_in, fan_out, scale): the formulas the registry states in `variance`
VARIANCE = {
    "normal": lambda fi, fo, s: s ** 2,
    "uniform": lambda fi, fo, s: s ** 2 / 3,
    "zeros": lambda fi, fo, s: 0.0,
    "constant": lambda fi, fo, s: 0.0,                 # every weight equals the scale
    "lecun_normal": lambda fi, fo, s: 1 / fi,          # the lectures' "Xavier": randn / sqrt(fan_in)
    "xavier_uniform": lambda fi, fo, s: 2 / (fi + fo),
    "xavier_normal": lambda fi, fo, s: 2 / (fi + fo),
    "glorot_normal_003": lambda fi, fo, s: 4 / (fi + fo),   # 003 as printed: std 2 / sqrt(fan_in + fan_out)
    "kaiming_normal": lambda fi, fo, s: 2 / fi,
    "kaiming_uniform": lambda fi, fo, s: 2 / fi,
    "orthogonal": lambda fi, fo, s: 1 / fi,            # fan_out orthonormal rows of length fan_in: mean square 1/fan_in
}
UNIFORM = {"uniform": lambda fi, fo, s: s, "xavier_uniform": lambda fi, fo, s: math.sqrt(6 / (fi + fo)),
           "kaiming_uniform": lambda fi, fo, s: math.sqrt(6 / fi)}   # half-width: sqrt(3 Var); 003's limit_uniform


def filled(name: str, shape=(FAN_OUT, FAN_IN), scale: float = SCALE, seed: int = 0) -> torch.Tensor:
    w = torch.empty(shape)
    inits.apply(name, w, scale, torch.Generator().manual_seed(seed))
    return w


def test_every_registered_init_has_a_stated_variance_here():
    assert set(inits.INITS) == set(VARIANCE), "add the new init's variance formula to VARIANCE"


@pytest.mark.parametrize("name", sorted(inits.INITS))
def test_empirical_variance_matches_the_formula(name):
    w = filled(name).double()
    expected = VARIANCE[name](FAN_IN, FAN_OUT, SCALE)
    if expected == 0:
        return  # zeros and constant: exact values, tested below
    # the mean square (the variance about the intended mean 0): 1% is > 3 standard errors for 1.08M draws
    assert float(w.pow(2).mean()) == pytest.approx(expected, rel=0.01), name
    assert abs(float(w.mean())) < 0.01 * math.sqrt(expected), name
    if name in UNIFORM:
        limit = UNIFORM[name](FAN_IN, FAN_OUT, SCALE)
        assert float(w.abs().max()) <= limit * (1 + 1e-6) and float(w.abs().max()) > 0.999 * limit, name
    elif name != "orthogonal":   # Gaussian: the fourth moment is 3 Var^2
        assert float(w.pow(4).mean()) / expected ** 2 == pytest.approx(3.0, rel=0.03), name


def test_the_stated_latex_names_the_same_variance():
    """The UI shows `variance`; it must say what the fill does (spot checks of the LaTeX against VARIANCE)."""
    text = {name: entry.variance.replace(" ", "") for name, entry in inits.INITS.items()}
    assert "1/n_{in}" in text["lecun_normal"] and "2/n_{in}" in text["kaiming_normal"]
    assert "2/(n_{in}+n_{out})" in text["xavier_uniform"] and "4/(n_{in}+n_{out})" in text["glorot_normal_003"]
    assert "{scale}^2/3" in text["uniform"] and text["normal"].endswith("{scale}^2")


@pytest.mark.parametrize("shape", [(300, 900), (900, 300), (500, 500)])
def test_orthogonal_has_orthonormal_rows_or_columns(shape):
    w = filled("orthogonal", shape).double()
    small = min(shape)
    gram = w @ w.T if shape[0] <= shape[1] else w.T @ w
    np.testing.assert_allclose(gram.numpy(), np.eye(small), atol=1e-5)
    x = torch.randn(shape[1], 7, dtype=torch.float64)
    if shape[0] >= shape[1]:    # W^T W = I: every input keeps its norm exactly (Saxe et al.)
        np.testing.assert_allclose((w @ x).norm(dim=0).numpy(), x.norm(dim=0).numpy(), rtol=1e-5)


def test_zeros_and_constant_are_exact():
    assert torch.count_nonzero(filled("zeros")) == 0
    assert torch.equal(filled("constant", scale=0.25), torch.full((FAN_OUT, FAN_IN), 0.25))


def test_scale_is_used_exactly_by_the_inits_that_say_so():
    for name, entry in inits.INITS.items():
        a, b = filled(name, (50, 80), scale=0.1), filled(name, (50, 80), scale=0.3)
        if entry.uses_scale and name != "constant":
            torch.testing.assert_close(b, 3 * a)          # same draw, 3x the scale
        elif name == "constant":
            assert float(b[0, 0]) == pytest.approx(0.3)
        else:
            assert torch.equal(a, b), name


@pytest.mark.parametrize("name", sorted(inits.INITS))
def test_a_generator_makes_it_deterministic(name):
    a, b = filled(name, (64, 96), seed=5), filled(name, (64, 96), seed=5)
    assert torch.equal(a, b)
    if name not in ("zeros", "constant"):
        assert not torch.equal(a, filled(name, (64, 96), seed=6))


def test_the_global_rng_is_left_alone_when_a_generator_is_given():
    torch.manual_seed(11)
    expected = torch.rand(3)
    torch.manual_seed(11)
    for name in inits.INITS:
        filled(name, (20, 30))
    assert torch.equal(torch.rand(3), expected)


def test_apply_does_not_record_autograd_history():
    w = torch.empty(10, 20, requires_grad=True)
    inits.apply("kaiming_normal", w, generator=torch.Generator().manual_seed(0))
    assert w.is_leaf and w.grad_fn is None


def test_unknown_name_raises_a_readable_value_error():
    with pytest.raises(ValueError, match=r"Unknown initialization 'he'; choose one of: .*kaiming_normal"):
        inits.apply("he", torch.empty(3, 3))


def test_every_entry_explains_itself():
    for name, entry in inits.INITS.items():
        assert entry.label and entry.variance and entry.note and entry.derived_for, name
