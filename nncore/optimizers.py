"""The optimizers of the lectures (002 'Optimization Methods', 001 'SGD variants'), as torch.optim classes.

Each entry knows its torch class, its hyperparameters (default, range, label), the update rule in LaTeX as the
lecture writes it, and how torch's implementation relates to that formula.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

import torch

from nncore.i18n import N_, _


@dataclass(frozen=True)
class HParam:
    """One hyperparameter: default, valid range, log-scale or not, how to show it."""

    default: float
    lo: float
    hi: float
    label: str
    symbol: str                        # short name in a racer's label, e.g. "η"
    log: bool = False
    help: str = ""


@dataclass(frozen=True)
class Optimizer:
    """A registry entry: the torch class, its hyperparameters, fixed arguments, and how to teach it."""

    label: str
    formula: str                       # the update rule in LaTeX, as the lecture writes it
    cls: type
    hparams: dict[str, HParam]
    note: str                          # one line a student should remember (N_: translated where shown)
    torch_note: str = ""               # how torch's implementation relates to the formula (N_ too)
    lecture: str = "002 'Optimization Methods'"
    fixed: dict[str, Any] = field(default_factory=dict)

    def defaults(self) -> dict[str, float]:
        """The default value of every hyperparameter."""
        return {k: h.default for k, h in self.hparams.items()}

    def kwargs(self, **hp: float) -> dict[str, Any]:
        """torch.optim keyword arguments from plain hyperparameters (beta1, beta2 -> betas)."""
        values = self.defaults() | hp
        out = dict(self.fixed)
        if "beta1" in values:
            out["betas"] = (values.pop("beta1"), values.pop("beta2"))
        out.update(values)
        return out

    def make(self, params: Iterable[torch.Tensor], **hp: float) -> torch.optim.Optimizer:
        """The torch optimizer over `params` with these hyperparameters (defaults for the rest)."""
        return self.cls(params, **self.kwargs(**hp))


def _lr(default: float) -> HParam:
    return HParam(default, 1e-5, 10.0, N_("learning rate η"), "η", log=True,
                  help=N_("Step size: too small crawls, too large diverges."))


MOMENTUM = HParam(0.9, 0.0, 0.99, N_("momentum γ"), "γ",
                  help=N_("How much of the previous velocity is kept each step."))
BETA1 = HParam(0.9, 0.0, 0.999, "β₁", "β₁", help=N_("Decay of the running mean of gradients (momentum)."))
BETA2 = HParam(0.999, 0.5, 0.9999, "β₂", "β₂", help=N_("Decay of the running mean of squared gradients."))
ADAM_FAMILY = "Adam's bias-corrected moments"


def _adam_like(lr: float) -> dict[str, HParam]:
    return {"lr": _lr(lr), "beta1": BETA1, "beta2": BETA2}


OPTIMIZERS: dict[str, Optimizer] = {
    "sgd": Optimizer(
        "SGD", r"\theta_t = \theta_{t-1} - \eta\, \nabla_\theta J(\theta_{t-1})", torch.optim.SGD,
        {"lr": _lr(1e-3)}, N_("Steps along the negative gradient: slow where the surface is flat, "
                                "zig-zags where it is steep across and flat along."),
        N_("torch.optim.SGD with momentum=0."), "002 'Recap: Gradient Descent', 001 'Gradient Descent'"),
    "momentum": Optimizer(
        "Momentum", r"v_t = \gamma v_{t-1} + \eta \nabla_\theta J(\theta), \quad \theta_t = \theta_{t-1} - v_t",
        torch.optim.SGD, {"lr": _lr(1e-3), "momentum": MOMENTUM},
        N_("Keeps moving in the direction it moved before: zig-zags cancel, consistent directions accelerate."),
        N_("torch keeps b_t = γ b_{t-1} + ∇J and steps θ -= η b_t; with a constant η that is the lecture's "
           "v_t = η b_t."),
        "002 'Momentum'"),
    "nesterov": Optimizer(
        "Nesterov (NAG)",
        r"v_t = \gamma v_{t-1} + \eta \nabla_\theta J(\theta - \gamma v_{t-1}), \quad \theta_t = \theta_{t-1} - v_t",
        torch.optim.SGD, {"lr": _lr(1e-3), "momentum": HParam(0.9, 0.01, 0.99, N_("momentum γ"), "γ",
                                                               help=N_("Nesterov needs some momentum (γ > 0)."))},
        N_("Looks ahead: takes the gradient where the momentum is about to carry it, so it brakes earlier."),
        N_("torch uses Sutskever's rewrite: it tracks the look-ahead point and steps by η(∇J + γ b_t); the path is "
           "the same method seen from the look-ahead point."), "002 'NAG (Nesterov Accelerated Gradient)'",
        fixed={"nesterov": True}),
    "adagrad": Optimizer(
        "AdaGrad", r"G_t = G_{t-1} + (\nabla_\theta J)^2, \quad "
        r"\theta_{t+1} = \theta_t - \frac{\eta}{\sqrt{G_t + \epsilon}} \nabla_\theta J", torch.optim.Adagrad,
        {"lr": _lr(0.5)}, N_("Divides each coordinate's step by the root of its summed squared gradients: "
                             "G only grows, so the steps shrink until learning stops."),
        N_("torch divides by √G_t + ε (ε outside the root, 1e-10)."), "002 'Adagrad (Adaptive Gradient)'"),
    "rmsprop": Optimizer(
        "RMSprop", r"G_t = \gamma G_{t-1} + (1 - \gamma)(\nabla_\theta J)^2, \quad "
        r"\theta_{t+1} = \theta_t - \frac{\eta}{\sqrt{G_t + \epsilon}} \nabla_\theta J", torch.optim.RMSprop,
        {"lr": _lr(0.01), "alpha": HParam(0.99, 0.5, 0.9999, N_("decay γ (torch: alpha)"), "γ",
                                          help=N_("Decay of the running mean of squared gradients."))},
        N_("AdaGrad with a decaying average instead of a sum: the steps stop shrinking."),
        N_("torch calls γ 'alpha' and divides by √G_t + ε (ε outside the root)."), "002 'RMSprop'"),
    "adam": Optimizer(
        "Adam", r"m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t, \quad v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2, \quad "
        r"\theta_t = \theta_{t-1} - \frac{\eta}{\sqrt{\hat v_t} + \epsilon} \hat m_t", torch.optim.Adam,
        _adam_like(0.05),
        N_("Momentum plus RMSprop, with bias correction (m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)): "
           "each step is about η long whatever the gradient's size."), N_("torch.optim.Adam, the lecture's formula."),
        "002 'Adam (Adaptive Moment Estimation)'"),
    "adamw": Optimizer(
        "AdamW",
        r"\theta_t = \theta_{t-1} - \eta \lambda \theta_{t-1} - \frac{\eta}{\sqrt{\hat v_t} + \epsilon} \hat m_t",
        torch.optim.AdamW, _adam_like(0.05) | {"weight_decay": HParam(
            0.01, 0.0, 1.0, N_("weight decay λ"), "λ", help=N_("Pulls θ towards 0 each step, apart from the gradient."))},
        N_("Adam with decoupled weight decay: shrinks θ towards the origin, so it settles off-minimum when the "
           "minimum is not at 0."), N_("Not in the lecture: torch.optim.AdamW (Loshchilov & Hutter)."), ADAM_FAMILY),
    "nadam": Optimizer(
        "NAdam", r"\theta_t = \theta_{t-1} - \frac{\eta}{\sqrt{\hat v_t} + \epsilon}"
        r"\left(\beta_1 \hat m_t + \frac{(1 - \beta_1) g_t}{1 - \beta_1^t}\right)", torch.optim.NAdam,
        _adam_like(0.05),
        N_("Adam with Nesterov's look-ahead on the momentum."),
        N_("Not in the lecture: torch.optim.NAdam (Dozat), which also decays β₁ slightly over time."), ADAM_FAMILY),
    "radam": Optimizer(
        "RAdam", r"\theta_t = \theta_{t-1} - \eta\, r_t \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}"
        r"\ \ (\text{plain momentum while } v_t \text{ is unreliable})", torch.optim.RAdam,
        _adam_like(0.01),
        N_("Adam with a built-in warm-up: the first steps use momentum only, until the variance estimate is "
           "reliable."),
        N_("Not in the lecture: torch.optim.RAdam (Liu et al.)."), ADAM_FAMILY),
    "adadelta": Optimizer(
        "Adadelta", r"\Delta\theta_t = -\frac{\sqrt{D_{t-1} + \epsilon}}{\sqrt{G_t + \epsilon}} g_t, \quad "
        r"G_t = \rho G_{t-1} + (1-\rho) g_t^2, \quad D_t = \rho D_{t-1} + (1-\rho) \Delta\theta_t^2",
        torch.optim.Adadelta, {"lr": _lr(1.0), "rho": HParam(0.9, 0.5, 0.999, N_("decay ρ"), "ρ")},
        N_("RMSprop whose step size is the running size of its own past steps: starts tiny (√ε) and grows."),
        N_("Not in the lecture: torch.optim.Adadelta (Zeiler); η multiplies Δθ (1.0 = the paper)."), "—"),
    "adamax": Optimizer(
        "Adamax", r"u_t = \max(\beta_2 u_{t-1}, |g_t|), \quad \theta_t = \theta_{t-1} - "
        r"\frac{\eta}{1 - \beta_1^t} \frac{m_t}{u_t}", torch.optim.Adamax,
        _adam_like(0.05),
        N_("Adam with the infinity norm: divides by the largest recent |gradient| instead of its root mean square."),
        N_("Not in the lecture: torch.optim.Adamax (Kingma & Ba)."), ADAM_FAMILY),
}


def check(key: str, hp: dict[str, float]) -> None:
    """Raise ValueError with a clear sentence for an unknown optimizer or a hyperparameter out of its range."""
    if key not in OPTIMIZERS:
        raise ValueError(_("Unknown optimizer {key}; choose one of: {choices}.").format(
            key=repr(key), choices=", ".join(OPTIMIZERS)))
    opt = OPTIMIZERS[key]
    for name, value in hp.items():
        if name not in opt.hparams:
            raise ValueError(_("{optimizer} has no hyperparameter {name} (it has: {names}).").format(
                optimizer=opt.label, name=repr(name), names=", ".join(opt.hparams)))
        h = opt.hparams[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not h.lo <= value <= h.hi:
            raise ValueError(_("{optimizer}: {hyperparameter} must be between {lo} and {hi} (got {value}).").format(
                optimizer=opt.label, hyperparameter=_(h.label), lo=f"{h.lo:g}", hi=f"{h.hi:g}", value=repr(value)))
