"""A one-hidden-layer ReLU net fit to a 1-D function: each hidden unit is a hinge, the fit is their sum (001).

001 quotes Hornik: "a single hidden layer neural network with a linear output unit can approximate any continuous
function arbitrarily well, given enough hidden units". Here the student picks the function (a sine, a step, |x|, a
sawtooth, or a polyline typed as points) and the width; the net f(x) = c + sum_i v_i Relu(w_i x + b_i) is trained by
`nncore.training.train` (full batch, Adam, MSE). The result holds each unit's piece v_i Relu(w_i x + b_i), their
sum and where the fit is worst.

The net sees x mapped to [-1, 1] and the targets standardized, so a polyline in any units trains alike; every
piece is reported back in the function's own units (a hinge stays a hinge under an affine change of x). Each hidden
unit starts with its kink -b/w drawn uniformly in [-1, 1]: the lab's zero biases would put every kink at 0, and
torch's default init puts about half of them outside the data, where they cannot move.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch
from torch import nn

from nncore import training
from nncore.data import Data
from nncore.i18n import N_, _, ngettext, number
from nncore.params import Preset, param, validate
from nncore.progress import OnProgress

SAMPLES = 200       # training points, evenly spaced over the domain
GRID = 401          # points where the fit and its error are measured and drawn
MAX_POINTS = 50     # a typed polyline's points
MAX_CHARS = 1000    # a typed polyline's text
MAX_ABS = 1e6       # a typed coordinate's size
POLYLINE = "polyline"


@dataclass(frozen=True)
class Target:
    """A function to approximate on [-1, 1]: label, formula and what it teaches."""

    label: str          # as the selectbox and a link write it, in every language
    formula: str
    note: str           # N_(): translated where shown
    fn: Callable[[np.ndarray], np.ndarray] | None   # None: the student's polyline


TARGETS = {
    "sine": Target("Sine", r"\sin(\pi x)", N_("smooth and curved everywhere: every bend costs a unit"),
                   lambda x: np.sin(np.pi * x)),
    "step": Target("Step", r"0 \text{ for } x < 0,\ 1 \text{ for } x \ge 0",
                   N_("not continuous: a sum of hinges can only ramp up steeply, so the error stays at the jump"),
                   lambda x: (x >= 0).astype(float)),
    "abs": Target("|x|", r"|x|", N_("exactly two hinges: Relu(x) + Relu(-x)"), np.abs),
    "sawtooth": Target("Sawtooth", r"t - \lfloor t \rfloor,\ t = 2x + \tfrac12",
                       N_("four jumps, none at the ends: the hardest of the four"), lambda x: np.mod(2 * x + 0.5, 1.0)),
    POLYLINE: Target("Your polyline", r"\text{straight lines through your points}",
                     N_("k straight segments: k - 1 bends, so k - 1 hinges and a line would do, if training finds "
                        "them"),
                     None),
}
DEFAULT_POINTS = "-1,0; -0.5,1; 0,0.2; 0.5,1; 1,0"


@dataclass(frozen=True)
class Config:
    """The function to fit (a typed polyline for 'polyline'), the hidden width, and the training."""

    target: str = param("sine", choices=TARGETS, label=N_("Function to fit"))
    points: str = param(DEFAULT_POINTS, label=N_("Polyline points"),
                        help=N_("x,y pairs separated by ';', x increasing: -1,0; 0,1; 1,0"))
    width: int = param(8, 1, 128, label=N_("Hidden units (width)"),
                       help=N_("Units in the one hidden layer: each adds one hinge to the fit."))
    steps: int = param(1000, 100, 3000, step=100, label=N_("Training steps"),
                       help=N_("Full-batch Adam steps on the mean squared error."))
    lr: float = param(0.01, 1e-4, 1.0, log=True, label=N_("Learning rate (Adam)"))
    seed: int = param(0, 0, 2**31 - 1, label=N_("Seed"))


@dataclass(frozen=True)
class Result:
    """The target and the fit on a grid, each hidden unit's piece, the error and the loss curve."""

    config: Config
    x: np.ndarray              # (GRID,) over the domain
    target: np.ndarray         # (GRID,)
    fit: np.ndarray            # (GRID,) = output_bias + the sum of the pieces
    error: np.ndarray          # (GRID,) |fit - target|
    pieces_x: np.ndarray       # (width, 3) each piece's left end, kink (or the middle if outside) and right end
    pieces_y: np.ndarray       # (width, 3) the piece v_i Relu(w_i x + b_i) there: exact, it is straight in between
    kinks: np.ndarray          # (width,) where each unit bends, in x (inf for a unit of slope 0)
    output_bias: float
    points: np.ndarray         # (k, 2) the polyline's points (empty for the other functions)
    loss: np.ndarray           # (steps,) the training MSE of each full-batch step, in the function's units
    mse: float                 # on the grid
    max_error: float
    worst_x: float             # where |fit - target| is largest
    diverged_at: int | None

    @property
    def inside(self) -> int:
        """Hidden units whose kink lies inside the domain: the bends the fit can have there."""
        return int(np.sum((self.kinks > self.x[0]) & (self.kinks < self.x[-1])))


def parse_points(text: str) -> np.ndarray:
    """'x1,y1; x2,y2; ...' as a (k, 2) array; ValueError with a sentence for anything a polyline cannot be."""
    if len(text) > MAX_CHARS:
        raise ValueError(_("The polyline is too long: at most {most} characters (got {got}).").format(
            most=MAX_CHARS, got=len(text)))
    parts = [p.strip() for p in text.replace("\n", ";").split(";") if p.strip()]
    if not 2 <= len(parts) <= MAX_POINTS:
        raise ValueError(_("A polyline needs between 2 and {most} points, written x,y and separated by ';' "
                           "(got {got}).").format(most=MAX_POINTS, got=len(parts)))
    points = np.array([_point(i, p) for i, p in enumerate(parts, 1)])
    for i in range(1, len(points)):
        if points[i, 0] == points[i - 1, 0]:
            raise ValueError(_("Points {i} and {j} share x = {x}: a function has one y per x.").format(
                i=i, j=i + 1, x=number(points[i, 0], "g")))
        if points[i, 0] < points[i - 1, 0]:
            raise ValueError(_("x must increase from point to point: point {j} (x = {x}) comes after x = {before}.")
                             .format(j=i + 1, x=number(points[i, 0], "g"), before=number(points[i - 1, 0], "g")))
    return points


def _point(i: int, text: str) -> tuple[float, float]:
    numbers = [t.strip() for t in text.split(",")]
    if len(numbers) != 2:
        raise ValueError(_("Point {i} ('{text}') must be two numbers x,y.").format(i=i, text=text))
    try:
        x, y = float(numbers[0]), float(numbers[1])
    except ValueError:
        raise ValueError(_("Point {i} ('{text}') must be two numbers x,y.").format(i=i, text=text)) from None
    if not all(math.isfinite(v) and abs(v) <= MAX_ABS for v in (x, y)):
        raise ValueError(_("Point {i} ('{text}'): coordinates must be finite numbers within ±{most}.").format(
            i=i, text=text, most=number(MAX_ABS, "g")))
    return x, y


def target_of(cfg: Config) -> tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]:
    """The typed points (empty unless a polyline) and the function to fit, over its domain."""
    if cfg.target == POLYLINE:
        points = parse_points(cfg.points)
        return points, lambda x: np.interp(x, points[:, 0], points[:, 1])
    return np.empty((0, 2)), TARGETS[cfg.target].fn


def check(cfg: Config) -> None:
    validate(cfg)
    target_of(cfg)


def build(width: int, seed: int) -> nn.Sequential:
    """x -> Relu(w x + b) -> v . h + c: kinks -b/w uniform in [-1, 1], He slopes, the output starting at 0."""
    gen = torch.Generator().manual_seed(seed)
    hidden, out = nn.utils.skip_init(nn.Linear, 1, width), nn.utils.skip_init(nn.Linear, width, 1)
    with torch.no_grad():
        nn.init.kaiming_normal_(hidden.weight, nonlinearity="relu", generator=gen)
        kinks = nn.init.uniform_(torch.empty(width), -1.0, 1.0, generator=gen)
        hidden.bias.copy_(-hidden.weight[:, 0] * kinks)
        nn.init.zeros_(out.weight)
        nn.init.zeros_(out.bias)
    return nn.Sequential(hidden, nn.ReLU(), out)


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    """Train the net on SAMPLES points of the function, then read back each unit's piece."""
    check(cfg)
    points, fn = target_of(cfg)
    lo, hi = (points[0, 0], points[-1, 0]) if len(points) else (-1.0, 1.0)
    to_u = lambda x: torch.tensor(2 * (x - lo) / (hi - lo) - 1, dtype=torch.float32)[:, None]
    x_train, x = np.linspace(lo, hi, SAMPLES), np.linspace(lo, hi, GRID)
    y_train, target = fn(x_train), fn(x)
    mean, std = float(y_train.mean()), float(y_train.std()) or 1.0
    scaled = lambda y: torch.tensor((y - mean) / std, dtype=torch.float32)[:, None]
    data = Data("target", to_u(x_train), scaled(y_train), to_u(x), scaled(target), "regression", 0,
                torch.zeros(1), torch.ones(1))
    model = build(cfg.width, cfg.seed)
    spec = training.TrainSpec(epochs=cfg.steps, optimizer="adam", lr=cfg.lr, loss="mse", shuffle=False)
    history = training.train(model, data, spec, seed=cfg.seed, on_progress=on_progress)
    return _read(cfg, model, (lo, hi), (mean, std), x, target, points, history)


def _read(cfg, model, domain, scale, x, target, points, history) -> Result:
    """Each unit's piece and the fit, in the function's units, from the trained weights."""
    (lo, hi), (mean, std) = domain, scale
    hidden, out = model[0], model[2]
    w, b = (t.detach().double().numpy() for t in (hidden.weight[:, 0], hidden.bias))
    v, c = out.weight.detach().double().numpy()[0] * std, float(out.bias.detach()) * std + mean

    def hinges(xs: np.ndarray) -> np.ndarray:     # v_i Relu(w_i u + b_i) with u = x mapped to [-1, 1], per row i
        u = torch.from_numpy(2 * (xs - lo) / (hi - lo) - 1)
        return (torch.from_numpy(v[:, None]) * torch.relu(torch.from_numpy(w[:, None]) * u
                                                           + torch.from_numpy(b[:, None]))).numpy()

    with np.errstate(divide="ignore"):
        kinks = lo + (np.where(w != 0, -b / np.where(w != 0, w, 1.0), np.inf) + 1) * (hi - lo) / 2
    middle = np.where((kinks > lo) & (kinks < hi), kinks, (lo + hi) / 2)
    pieces_x = np.stack([np.full_like(middle, lo), middle, np.full_like(middle, hi)], 1)
    fit = c + hinges(x[None, :]).sum(0)
    error = np.abs(fit - target)
    worst = int(np.argmax(error))
    return Result(cfg, x, target, fit, error, pieces_x, hinges(pieces_x), kinks, c, points,
                  history.train_loss * std**2, float(np.mean(error**2)), float(error[worst]), float(x[worst]),
                  history.diverged_at)


PRESETS = {
    N_("Sine, 2 units"): Preset(Config(width=2), N_("Two hinges cannot follow a sine up and down again: the fit is a "
                                                    "bent line."), "001 'given enough hidden units'"),
    N_("Sine, 64 units"): Preset(Config(width=64), N_("Many hinges, many bends: the fit follows the sine closely."),
                                 "001 'can approximate any continuous function arbitrarily well'"),
    N_("Step, 64 units"): Preset(Config(target="step", width=64), N_("The step is not continuous: the largest error "
                                                                     "stays at the jump however wide the layer."),
                                 "001 'any continuous function'"),
    N_("|x|, 2 units"): Preset(Config(target="abs", width=2), N_("|x| = Relu(x) + Relu(-x): two units are enough."),
                               "001 'What kind of functions can NNs approximate?'"),
}


AT_JUMP = N_("That is at a jump of the function: a sum of hinges is continuous, it can only ramp up steeply, so a "
              "wider layer narrows the ramp but never removes the error there.")


def _at_jump(r: Result) -> bool:
    """Whether the target jumps next to the worst point: a step between grid neighbours of over 1/4 of its range."""
    near = slice(max(r.x.searchsorted(r.worst_x) - 2, 0), r.x.searchsorted(r.worst_x) + 3)
    span = np.ptp(r.target) or 1.0
    return bool(np.abs(np.diff(r.target[near])).max(initial=0.0) > span / 4)


def notice(r: Result) -> str:
    """The units, the bends they give, and where and how far the fit misses, from the run."""
    if r.diverged_at is not None:
        return _("The loss became inf or NaN at step {step}: the learning rate is too large for this fit. "
                 "Lower it.").format(step=r.diverged_at)
    width = r.config.width
    text = " ".join((
        ngettext("{width} hidden unit, {inside} bending inside [{lo}, {hi}].",
                 "{width} hidden units, {inside} bending inside [{lo}, {hi}].", width).format(
            width=width, inside=r.inside, lo=number(r.x[0], "g"), hi=number(r.x[-1], "g")),
        ngettext("The fit is a polyline with at most {inside} bend there.",
                 "The fit is a polyline with at most {inside} bends there.", r.inside).format(inside=r.inside),
        _("Its largest error is {error} at x = {x}; mean squared error {mse}.").format(
            error=number(r.max_error, ".2g"), x=number(r.worst_x, ".3g"), mse=number(r.mse, ".2g"))))
    if _at_jump(r):
        text += " " + _(AT_JUMP)
    return text
