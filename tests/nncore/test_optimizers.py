"""nncore.optimizers: each entry builds the torch.optim optimizer it names, with its hyperparameters and ranges,
and the lecture's update rules (002) agree with what torch computes."""
from __future__ import annotations

import re

import pytest
import torch

from nncore import optimizers
from nncore.optimizers import OPTIMIZERS
from tests.pages.helpers import tr

LECTURE = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
TORCH = ("adamw", "nadam", "radam", "adadelta", "adamax")


def test_the_registry_has_the_lecture_and_torch_optimizers():
    assert set(LECTURE) | set(TORCH) == set(OPTIMIZERS)


@pytest.mark.parametrize("key", sorted(OPTIMIZERS))
def test_each_entry_builds_its_torch_class_with_its_defaults(key):
    entry = OPTIMIZERS[key]
    p = torch.zeros(2, requires_grad=True)
    opt = entry.make([p])
    assert type(opt) is entry.cls and entry.cls.__module__.startswith("torch.optim")
    group = opt.param_groups[0]
    for name, h in entry.hparams.items():
        assert h.lo <= h.default <= h.hi, name
        if name in ("beta1", "beta2"):
            assert group["betas"][("beta1", "beta2").index(name)] == h.default
        else:
            assert group[name] == h.default, name
    assert entry.formula and entry.label and entry.note and all(h.symbol for h in entry.hparams.values())


def test_kwargs_map_betas_and_fixed_arguments():
    assert OPTIMIZERS["adam"].kwargs(lr=0.1, beta1=0.5) == {"betas": (0.5, 0.999), "lr": 0.1}
    assert OPTIMIZERS["nesterov"].kwargs()["nesterov"] is True
    assert "nesterov" not in OPTIMIZERS["momentum"].kwargs()


UNKNOWN = "Unknown optimizer {key}; choose one of: {choices}."
NO_SUCH = "{optimizer} has no hyperparameter {name} (it has: {names})."
RANGE = "{optimizer}: {hyperparameter} must be between {lo} and {hi} (got {value})."


@pytest.mark.parametrize("key,hp,message", [
    ("foo", {}, UNKNOWN),
    ("sgd", {"momentum": 0.9}, NO_SUCH),
    ("sgd", {"lr": 0.0}, RANGE),
    ("sgd", {"lr": float("nan")}, RANGE),
    ("adam", {"beta1": 1.0}, RANGE),
    ("adam", {"lr": "0.1"}, RANGE),
])
def test_check_refuses_bad_settings_with_a_sentence(key, hp, message):
    with pytest.raises(ValueError) as err:
        optimizers.check(key, hp)
    parts = [part for part in re.split(r"\{[^{}]*\}", tr(message)) if part.strip()]   # the sentence's words
    assert all(part in str(err.value) for part in parts), str(err.value)


def _steps(key: str, grads: list[list[float]], **hp) -> list[torch.Tensor]:
    p = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    opt = OPTIMIZERS[key].make([p], **hp)
    out = []
    for g in grads:
        p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        out.append(p.detach().clone())
    return out


GRADS = [[1.0, -2.0], [0.5, 3.0], [-1.5, 0.25], [2.0, 2.0]]


def test_momentum_is_the_lectures_velocity_form():
    lr, gamma = 0.1, 0.9
    theta, v = torch.zeros(2, dtype=torch.float64), torch.zeros(2, dtype=torch.float64)
    for g, torch_theta in zip(GRADS, _steps("momentum", GRADS, lr=lr, momentum=gamma)):
        v = gamma * v + lr * torch.tensor(g, dtype=torch.float64)   # v_t = γ v_{t-1} + η ∇J
        theta = theta - v                                            # θ_t = θ_{t-1} - v_t
        assert torch.allclose(theta, torch_theta)


def test_adagrad_and_rmsprop_follow_the_lecture_up_to_where_epsilon_sits():
    lr = 0.1
    theta, G = torch.zeros(2, dtype=torch.float64), torch.zeros(2, dtype=torch.float64)
    for g, torch_theta in zip(GRADS, _steps("adagrad", GRADS, lr=lr)):
        g = torch.tensor(g, dtype=torch.float64)
        G = G + g * g
        theta = theta - lr / (G.sqrt() + 1e-10) * g
        assert torch.allclose(theta, torch_theta)
    gamma = 0.9
    theta, G = torch.zeros(2, dtype=torch.float64), torch.zeros(2, dtype=torch.float64)
    for g, torch_theta in zip(GRADS, _steps("rmsprop", GRADS, lr=lr, alpha=gamma)):
        g = torch.tensor(g, dtype=torch.float64)
        G = gamma * G + (1 - gamma) * g * g
        theta = theta - lr / (G.sqrt() + 1e-8) * g
        assert torch.allclose(theta, torch_theta)


def test_adam_is_the_lectures_bias_corrected_rule():
    lr, b1, b2, eps = 0.1, 0.8, 0.99, 1e-8
    theta = m = v = torch.zeros(2, dtype=torch.float64)
    for t, (g, torch_theta) in enumerate(zip(GRADS, _steps("adam", GRADS, lr=lr, beta1=b1, beta2=b2)), start=1):
        g = torch.tensor(g, dtype=torch.float64)
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
        theta = theta - lr / (v_hat.sqrt() + eps) * m_hat
        assert torch.allclose(theta, torch_theta)


def test_nesterov_equals_the_lectures_look_ahead_form_seen_from_the_look_ahead_point():
    """Lecture: v_t = γ v_{t-1} + η ∇J(θ - γ v_{t-1}); torch tracks φ = θ - γ v. On f = ½ a·θ², the same method."""
    a = torch.tensor([1.0, 4.0], dtype=torch.float64)
    lr, gamma = 0.1, 0.9
    theta, v = torch.tensor([1.0, -1.0], dtype=torch.float64), torch.zeros(2, dtype=torch.float64)
    phi = theta.clone().requires_grad_(True)
    opt = OPTIMIZERS["nesterov"].make([phi], lr=lr, momentum=gamma)
    for _ in range(10):
        v = gamma * v + lr * a * (theta - gamma * v)
        theta = theta - v
        opt.zero_grad()
        (0.5 * a * phi * phi).sum().backward()
        opt.step()
        assert torch.allclose(phi.detach(), theta - gamma * v)
