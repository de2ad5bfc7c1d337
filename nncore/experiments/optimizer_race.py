"""Optimizer race: torch.optim optimizers side by side on a 2-D loss surface (002 'Optimization Methods', 001).

All racers start at the same point. Each step evaluates the surface once for every racer (their points are rows
of one tensor; one backward gives every gradient), adds the same gradient noise to each (the stochastic-gradient
toggle), then steps each racer's real torch.optim optimizer, whose parameter is a view of its row. A racer whose
point becomes NaN or leaves the domain by a wide margin is marked diverged at that step; the others go on.
Paths are computed in float64: two parameters cost nothing, and Rosenbrock's flat valley needs the precision.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from nncore import optimizers, surfaces
from nncore._private import bare_step
from nncore.i18n import N_, _, number
from nncore.params import Each, Preset, Records, param, validate
from nncore.progress import OnProgress, report
from nncore.runs import numbered

MAX_RACERS = 12
MAX_WORK = 6000            # racers x steps: keeps a run under ~0.5 s and the animated map well under 1 MB
GRID = 81                  # contour grid points per axis
DTYPE = torch.float64
MARGIN = 1.0               # a racer diverges when it leaves the domain by more than this many domain widths
CHECK_EVERY = 10           # steps between divergence checks (the exact step is found afterwards)


@dataclass(frozen=True, init=False)
class OptimizerSpec:
    """One racer: an optimizer's key and its hyperparameters as plain values, e.g. OptimizerSpec("adam", lr=0.05)."""

    key: str
    hparams: tuple[tuple[str, float], ...]

    def __init__(self, key: str, **hparams: Any):
        if isinstance(hparams.get("hparams"), tuple):   # dataclasses.replace passes the field itself
            hparams = dict(hparams.pop("hparams")) | hparams
        entry = optimizers.OPTIMIZERS.get(key)
        full = (entry.defaults() if entry else {}) | hparams   # canonical: equal settings give equal specs
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "hparams", tuple(sorted((k, _plain(v)) for k, v in full.items())))

    @property
    def values(self) -> dict[str, float]:
        """Every hyperparameter of the optimizer: the registry's defaults, overridden by this spec's values."""
        return optimizers.OPTIMIZERS[self.key].defaults() | dict(self.hparams)

    @property
    def name(self) -> str:
        """A short label: the optimizer and its hyperparameters, e.g. 'Momentum η=0.001 γ=0.9'."""
        opt = optimizers.OPTIMIZERS.get(self.key)
        if opt is None:
            return self.key
        return f"{opt.label} " + " ".join(f"{opt.hparams[k].symbol}={v:g}" for k, v in self.values.items())

    def __repr__(self) -> str:
        return f"OptimizerSpec({self.key!r}" + "".join(f", {k}={v!r}" for k, v in self.hparams) + ")"


def _plain(value: Any) -> Any:
    try:
        return float(value)
    except (TypeError, ValueError):
        return value           # kept as given, so that check() can say what is wrong with it


def labels(specs: tuple[OptimizerSpec, ...]) -> tuple[str, ...]:
    """One unique label per racer; the same optimizer with the same settings twice gets '#2'."""
    return numbered(spec.name for spec in specs)


DEFAULT_RACERS = (OptimizerSpec("sgd", lr=1e-3), OptimizerSpec("momentum", lr=1e-3, momentum=0.9),
                  OptimizerSpec("nesterov", lr=1e-3, momentum=0.9), OptimizerSpec("adagrad", lr=0.5),
                  OptimizerSpec("rmsprop", lr=0.01), OptimizerSpec("adam", lr=0.05))
CUSTOM = "custom"
_SURFACE_CHOICES = {**surfaces.SURFACES,
                    CUSTOM: surfaces.Surface("Type your own f(x, y)", "", lambda x, y: x, (0, 1, 0, 1), (), (0, 0), "")}


@dataclass(frozen=True)
class Config:
    """A race: the surface, a common start, the number of steps, the racers, and the gradient noise."""

    surface: str = param("rosenbrock", choices=_SURFACE_CHOICES, label=N_("Surface"))
    start: tuple[float, float] = param((-1.5, 2.0), label=N_("Start (x, y)"), link=Each(("x0", "y0")))
    steps: int = param(500, 1, 2000, label=N_("Steps"), help=N_("Optimizer steps for every racer."))
    optimizers: tuple[OptimizerSpec, ...] = param(DEFAULT_RACERS, label=N_("Racers"),
                                                  link=Records("racers", "{key}[:{hparams}]", "~"))
    noise: float = param(0.0, 0.0, 50.0, step=0.1, label=N_("Gradient noise σ"),
                         help=N_("Adds N(0, σ²) to each gradient component: a stand-in for a mini-batch gradient "
                                 "(SGD) instead of the full-batch gradient (GD). Every racer gets the same noise."))
    seed: int = param(0, 0, 2**31 - 1, label=N_("Noise seed"))
    expression: str = param("", label="f(x, y)", help=surfaces.GRAMMAR)
    extent: float = param(3.0, 0.5, 50.0, label=N_("Half-width of your surface's domain"),
                          help=N_("Your formula is drawn on [-w, w] × [-w, w]."))
    condition: float = param(10.0, 1.0, 1000.0, log=True, label=N_("Condition number κ"),
                             help=N_("For the ill-conditioned bowl: steep curvature / flat curvature."))
    tolerance: float = param(0.01, 1e-4, 1.0, log=True, label=N_("Arrival tolerance"),
                             help=N_("A racer has arrived when it is this close to a minimum."))


@dataclass(frozen=True)
class Result:
    """Per racer (by label): path, loss, gradient, update and optimizer state at every step; the map's grid."""

    config: Config
    surface_label: str
    formula: str
    domain: tuple[float, float, float, float]
    minima: np.ndarray                       # (m, 2) known global minima (may be empty)
    f_min: float                             # f at the global minimum, NaN if unknown
    log_contours: bool
    labels: tuple[str, ...]
    keys: tuple[str, ...]                    # the optimizer key of each racer
    paths: dict[str, np.ndarray]             # (steps+1, 2); NaN after a divergence
    losses: dict[str, np.ndarray]            # (steps+1,)
    grads: dict[str, np.ndarray]             # (steps, 2) the gradient each step used (noise included)
    updates: dict[str, np.ndarray]           # (steps, 2) θ_{t+1} − θ_t
    state: dict[str, dict[str, np.ndarray]]  # optimizer buffers after each step: momentum_buffer, exp_avg, ...
    diverged_at: dict[str, int | None]       # the step whose update made the point NaN or left the domain
    grid_x: np.ndarray                       # (GRID,)
    grid_y: np.ndarray                       # (GRID,)
    grid_z: np.ndarray                       # (GRID, GRID) f(x, y) with z[i, j] at (x[j], y[i])
    steps_done: int
    leaderboard: tuple[dict[str, Any], ...]  # ranked: one row per racer


def surface_of(cfg: Config) -> surfaces.Surface:
    """The configured surface (a typed formula is parsed here: ValueError with a clear message if it is bad)."""
    if cfg.surface == CUSTOM:
        return surfaces.custom_surface(cfg.expression, cfg.extent)
    return surfaces.SURFACES[cfg.surface]


def surface_params(cfg: Config) -> dict[str, float]:
    """The surface's own parameters from the config (the bowl's condition number)."""
    return {"condition": cfg.condition} if cfg.surface == "bowl" else {}


def check(cfg: Config) -> surfaces.Surface:
    """Raise ValueError with a sentence a student understands; return the surface."""
    validate(cfg)
    if not cfg.optimizers:
        raise ValueError(_("Pick at least one optimizer to race."))
    if len(cfg.optimizers) > MAX_RACERS:
        raise ValueError(_("At most {most} racers at once (got {count}).").format(
            most=MAX_RACERS, count=len(cfg.optimizers)))
    if len(cfg.optimizers) * cfg.steps > MAX_WORK:
        raise ValueError(_("{racers} racers × {steps} steps is more than this page animates ({most} racer-steps): "
                           "use fewer steps or fewer racers.").format(
            racers=len(cfg.optimizers), steps=cfg.steps, most=number(MAX_WORK, ",")))
    for spec in cfg.optimizers:
        if not isinstance(spec, OptimizerSpec):
            raise ValueError(_("Each racer must be an OptimizerSpec, e.g. OptimizerSpec('adam', lr=0.05); got "
                               "{spec}.").format(spec=repr(spec)))
        optimizers.check(spec.key, dict(spec.hparams))
    surface = surface_of(cfg)
    x0, x1, y0, y1 = surface.domain
    if len(cfg.start) != 2 or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in cfg.start):
        raise ValueError(_("The start must be two numbers (x, y); got {start}.").format(start=repr(cfg.start)))
    x, y = cfg.start
    if not (x0 <= x <= x1 and y0 <= y <= y1):
        raise ValueError(_("The start ({x}, {y}) is outside this surface's domain [{x0}, {x1}] × [{y0}, {y1}]. "
                           "Pick a start inside the map.").format(
            x=f"{x:g}", y=f"{y:g}", x0=f"{x0:g}", x1=f"{x1:g}", y0=f"{y0:g}", y1=f"{y1:g}"))
    value = surface(torch.tensor([cfg.start], dtype=DTYPE), **surface_params(cfg))
    if not torch.isfinite(value).all():
        raise ValueError(_("f is not defined at the start ({x}, {y}) (its value is {value}). Pick another start "
                           "or change the formula.").format(x=f"{x:g}", y=f"{y:g}", value=float(value[0])))
    return surface


def noise_of(cfg: Config) -> torch.Tensor:
    """The gradient noise of every step, (steps, 2): N(0, noise²) from the config's seed (zeros if noise is 0)."""
    if cfg.noise == 0:
        return torch.zeros(cfg.steps, 2, dtype=DTYPE)
    gen = torch.Generator().manual_seed(cfg.seed)
    return cfg.noise * torch.randn(cfg.steps, 2, generator=gen, dtype=DTYPE)


def _grid(surface: surfaces.Surface, params: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x0, x1, y0, y1 = surface.domain
    gx, gy = torch.linspace(x0, x1, GRID, dtype=DTYPE), torch.linspace(y0, y1, GRID, dtype=DTYPE)
    yy, xx = torch.meshgrid(gy, gx, indexing="ij")
    with torch.no_grad():
        z = surface(torch.stack([xx, yy], dim=-1), **params)
    return gx.numpy(), gy.numpy(), z.numpy()


def _optimizers(specs: tuple[OptimizerSpec, ...], rows: list[torch.Tensor]) -> list[torch.optim.Optimizer]:
    """One torch.optim optimizer per class, with one parameter group (its own hyperparameters) per racer.

    torch.optim updates each parameter of each group independently, so this is the same arithmetic as one optimizer
    per racer, with fewer .step() calls (their fixed cost dominates on a 2-parameter problem).
    """
    groups: dict[type, list[dict]] = {}
    for spec, row in zip(specs, rows):
        entry = optimizers.OPTIMIZERS[spec.key]
        groups.setdefault(entry.cls, []).append({"params": [row], **entry.kwargs(**dict(spec.hparams))})
    return [cls(g) for cls, g in groups.items()]


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    """Race every configured optimizer from the same start for `cfg.steps` steps: the paths of `reference_paths`,
    the plain loop kept as the tests' reference, 5x faster on one thread (bench/speedups.py)."""
    surface = check(cfg)
    params, noise = surface_params(cfg), (noise_of(cfg) if cfg.noise else None)
    racers = _Racers(cfg, surface, params)
    noise_k = noise.unbind(0) if noise is not None else None   # views: no indexing per step
    done = cfg.steps
    for k in range(cfg.steps):
        racers.step(k, None if noise_k is None else noise_k[k])
        if k % CHECK_EVERY == CHECK_EVERY - 1 or k == cfg.steps - 1:
            racers.check_divergence(k)
        if not racers.alive:   # every racer diverged: the rest of each path stays NaN, so paths keep (steps+1, 2)
            break
        if k % 10 == 9 and not report(on_progress, k + 1, cfg.steps,
                                      _("step {step} of {steps}").format(step=k + 1, steps=cfg.steps)):
            done = k + 1
            break
    path, loss, grads, states = racers.along_paths(done, noise)
    return _result(cfg, surface, params, labels(cfg.optimizers), path, loss, grads, states, racers.diverged, done)


class _Racers:
    """Every racer's point as a row of one tensor (one surface evaluation and one backward give every gradient),
    stepped by real torch.optim optimizers whose parameters are views of the rows; the path and the optimizers'
    buffers are recorded after every step."""

    def __init__(self, cfg: Config, surface: surfaces.Surface, params: dict):
        n, steps = len(cfg.optimizers), cfg.steps
        self.surface, self.params = surface, params
        self.start = torch.tensor(cfg.start, dtype=DTYPE)
        self.points = self.start.repeat(n, 1)        # (n, 2): row i is racer i's parameter
        self.grad = torch.zeros(n, 2, dtype=DTYPE)   # row i is racer i's .grad
        self.rows = [self.points[i] for i in range(n)]   # leaf views sharing the storage of `points`
        for i, row in enumerate(self.rows):
            row.requires_grad_(True)
            row.grad = self.grad[i]
        self.opts = _optimizers(cfg.optimizers, self.rows)
        self.stepper = [bare_step(opt) for opt in self.opts]
        self.x = self.points.detach().requires_grad_(True)   # shares storage with `points`: sees every update
        self.ones = torch.ones(n, dtype=DTYPE)
        self.path = torch.full((steps + 1, n, 2), math.nan, dtype=DTYPE)
        self.path_k = self.path.unbind(0)            # views: cheap per-step copies
        self.path_k[0].copy_(self.points)
        self.owners: list[tuple[int, str]] = []      # (racer, state name) of each recorded optimizer buffer
        self.tracked: list[torch.Tensor] = []
        self.record, self.record_k = torch.empty(0), ()
        x0, x1, y0, y1 = surface.domain
        self.center = torch.tensor([(x0 + x1) / 2, (y0 + y1) / 2], dtype=DTYPE)
        self.reach = torch.tensor([(x1 - x0) * (0.5 + MARGIN), (y1 - y0) * (0.5 + MARGIN)], dtype=DTYPE)
        self.alive, self.diverged, self.checked = list(range(n)), [None] * n, 0

    def step(self, k: int, noise: torch.Tensor | None) -> None:
        """Step k of every racer: the gradient (plus the step's noise), each optimizer's step, the records."""
        (g,) = torch.autograd.grad(self.surface(self.x, **self.params), self.x, self.ones)
        with torch.no_grad():
            self.grad.copy_(g if noise is None else g.add_(noise))
            for step in self.stepper:
                step()
            if k == 0:   # the optimizers' buffers exist after the first step and are then updated in place
                self.owners, self.tracked = _buffers(self.opts, self.rows)
                self.record = torch.full((len(self.path) - 1, len(self.tracked), 2), math.nan, dtype=DTYPE)
                self.record_k = self.record.unbind(0)
            if self.tracked:
                torch.stack(self.tracked, out=self.record_k[k])
            self.path_k[k + 1].copy_(self.points)

    def check_divergence(self, k: int) -> None:
        """Mark the racers that left the map (or became NaN) since the last check, at the step they first did.

        Rows are independent, so a racer that blew up a few steps ago has disturbed no one; it is no longer stepped."""
        with torch.no_grad():
            outside = ~((self.path[self.checked + 1:k + 2] - self.center).abs() <= self.reach).all(-1)   # NaN: out
            for i in outside.any(0).nonzero().flatten().tolist():
                if self.diverged[i] is None:
                    self.diverged[i] = self.checked + 1 + int(outside[:, i].nonzero()[0])
                    self.alive = [j for j in self.alive if j != i]
                    self.points[i] = self.start   # keep its row finite
                    self.rows[i].grad = None      # torch.optim skips a parameter without a gradient
            self.checked = k + 1

    def along_paths(self, done: int, noise: torch.Tensor | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
        """The paths of the `done` steps (NaN after each divergence), the loss and gradient at every point in one
        batched pass (the race itself only needed each step's gradient), and each racer's optimizer state."""
        path, record = self.path[:done + 1], self.record[:done]
        for i, d in enumerate(self.diverged):   # keep the point that diverged; nothing after it
            if d is not None:
                path[d + 1:, i] = math.nan
        on_path = path.clone().requires_grad_(True)
        loss = self.surface(on_path, **self.params)
        (grads,) = torch.autograd.grad(loss, on_path, torch.ones_like(loss))
        loss, grads = loss.detach(), grads[:done]
        if noise is not None:
            grads += noise[:done, None, :]
        with torch.no_grad():
            for i, d in enumerate(self.diverged):
                if d is not None:
                    grads[d:, i] = math.nan
                    record[d:, [j for j, (owner, _name) in enumerate(self.owners) if owner == i]] = math.nan
        states: list[dict[str, np.ndarray]] = [{} for _row in self.rows]
        for j, (i, name) in enumerate(self.owners):
            states[i][name] = record[:, j].numpy()
        return path.numpy(), loss.numpy(), grads.numpy(), states


def _buffers(opts: list[torch.optim.Optimizer],
             rows: list[torch.Tensor]) -> tuple[list[tuple[int, str]], list[torch.Tensor]]:
    """Each racer's optimizer state tensors of its parameter's shape (momentum_buffer, exp_avg, exp_avg_sq, ...)."""
    state = {id(row): st for opt in opts for row, st in opt.state.items()}
    pairs = [((i, name), t) for i, row in enumerate(rows) for name, t in state.get(id(row), {}).items()
             if isinstance(t, torch.Tensor) and t.shape == (2,)]
    return [o for o, _t in pairs], [t for _o, t in pairs]


def _result(cfg, surface, params, names, path, loss, grads, states, diverged, done) -> Result:
    minima = np.array(surface.minima, dtype=float).reshape(-1, 2)
    f_min = surfaces.minimum_value(surface, **params)
    gx, gy, gz = _grid(surface, params)
    updates = np.diff(path, axis=0)
    r = Result(cfg, surface.label, surface.formula, surface.domain, minima, math.nan if f_min is None else f_min,
               surface.log_contours, names, tuple(s.key for s in cfg.optimizers),
               {n: path[:, i] for i, n in enumerate(names)}, {n: loss[:, i] for i, n in enumerate(names)},
               {n: grads[:, i] for i, n in enumerate(names)}, {n: updates[:, i] for i, n in enumerate(names)},
               dict(zip(names, states)), dict(zip(names, diverged)), gx, gy, gz, done, ())
    return dataclasses.replace(r, leaderboard=_leaderboard(r))


def distances(r: Result, label: str) -> np.ndarray:
    """Distance from the racer's point at every step to the nearest known minimum (NaN if none are known)."""
    p = r.paths[label]
    if not len(r.minima):
        return np.full(len(p), np.nan)
    return np.min(np.linalg.norm(p[:, None, :] - r.minima[None, :, :], axis=-1), axis=1)


def arrival(r: Result, label: str) -> int | None:
    """The first step at which the racer is within the tolerance of a minimum, or None."""
    hits = np.flatnonzero(distances(r, label) <= r.config.tolerance)
    return int(hits[0]) if len(hits) else None


def final(r: Result, label: str) -> tuple[np.ndarray, float]:
    """The racer's last finite point and its loss (its last point before diverging, if it did)."""
    p, f = r.paths[label], r.losses[label]
    last = int(np.flatnonzero(np.isfinite(f))[-1]) if np.isfinite(f).any() else 0
    return p[last], float(f[last])


def _leaderboard(r: Result) -> tuple[dict[str, Any], ...]:
    rows = []
    for label in r.labels:
        point, f_end = final(r, label)
        d = distances(r, label)
        rows.append({"racer": label, "final loss": f_end, "best loss": float(np.nanmin(r.losses[label])),
                     "distance to nearest minimum": float(d[np.isfinite(d)][-1]) if np.isfinite(d).any() else math.nan,
                     "arrived at step": arrival(r, label), "diverged at step": r.diverged_at[label],
                     "final x": float(point[0]), "final y": float(point[1])})
    rows.sort(key=lambda row: (row["diverged at step"] is not None,
                               row["arrived at step"] if row["arrived at step"] is not None else math.inf,
                               row["final loss"] if math.isfinite(row["final loss"]) else math.inf))
    return tuple({"rank": i + 1, **row} for i, row in enumerate(rows))


def internals_at(r: Result, label: str, step: int) -> list[dict[str, Any]]:
    """For one racer and step (1-based: the update from θ_{step−1} to θ_step): gradient, optimizer state, update."""
    k = min(max(step, 1), r.steps_done) - 1
    quantity = _("quantity")   # the table's column, in the reader's language
    rows = [{quantity: _("point θ before the step"), "x": r.paths[label][k][0], "y": r.paths[label][k][1]},
            {quantity: _("gradient g (noise included)"), "x": r.grads[label][k][0], "y": r.grads[label][k][1]}]
    rows += [{quantity: _("state: {name}").format(name=name), "x": v[k][0], "y": v[k][1]}
             for name, v in r.state[label].items()]
    rows.append({quantity: _("update θ_t − θ_{t−1}"), "x": r.updates[label][k][0], "y": r.updates[label][k][1]})
    return [{**row, "x": float(row["x"]), "y": float(row["y"])} for row in rows]


def reference_paths(cfg: Config) -> dict[str, np.ndarray]:
    """The plain loop a student would write: one tensor, one optimizer, one backward and one .step() per racer per step.

    The reference for tests and bench/ (no divergence handling: a racer that blows up just yields NaN).
    """
    surface, params, noise = surface_of(cfg), surface_params(cfg), noise_of(cfg)
    out = {}
    for label, spec in zip(labels(cfg.optimizers), cfg.optimizers):
        p = torch.tensor(cfg.start, dtype=DTYPE, requires_grad=True)
        opt = optimizers.OPTIMIZERS[spec.key].make([p], **dict(spec.hparams))
        path = [p.detach().clone()]
        for k in range(cfg.steps):
            opt.zero_grad()
            surface(p, **params).backward()
            p.grad += noise[k]
            opt.step()
            path.append(p.detach().clone())
        out[label] = torch.stack(path).numpy()
    return out


def step_lengths(r: Result, label: str) -> np.ndarray:
    """|θ_t − θ_{t−1}| at every step (NaN after a divergence)."""
    return np.linalg.norm(r.updates[label], axis=1)


def crossings(r: Result, label: str, axis: int = 1) -> int:
    """How often the path crosses the line where coordinate `axis` is 0 (the ravine's floor): the zig-zag count."""
    c = r.paths[label][:, axis]
    c = c[np.isfinite(c)]
    return int(np.sum(np.sign(c[1:]) * np.sign(c[:-1]) < 0))


S = OptimizerSpec
PRESETS = {
    N_("Saddle: SGD stalls, momentum escapes"): Preset(
        Config(surface="saddle", start=(-2.0, 0.001), steps=150,
               optimizers=(S("sgd", lr=0.01), S("momentum", lr=0.01, momentum=0.9), S("adam", lr=0.05))),
        N_("Started 0.001 off the ridge, SGD slides into the saddle point and is still about 0.1 from it after 150 "
           "steps (loss ≈ 0.01): the gradient there is almost zero. Momentum and Adam build up speed on the tiny "
           "slope towards ±y and reach the minimum (0, √2), loss −1, in about 110 steps."),
        "002 'Problems of Gradient Descent: stuck at local minima or saddle point'; 001 'SGD variants'"),
    N_("Ravine: SGD zig-zags, momentum and Adam go along"): Preset(
        Config(surface="ravine", start=(-9.0, 2.0), steps=150,
               optimizers=(S("sgd", lr=0.19), S("momentum", lr=0.05, momentum=0.9), S("adam", lr=0.3))),
        N_("SGD, at nearly the largest stable rate for the steep direction, crosses the valley floor on every step "
           "and is still at x ≈ −5 after 150 steps. Momentum's zig-zags cancel: it crosses about a quarter as often "
           "and gets to x ≈ −2. Adam scales each coordinate by its own gradient size and arrives at the minimum."),
        "002 'Problems of Gradient Descent: poor conditioning', 'Momentum'"),
    N_("AdaGrad's rate never recovers"): Preset(
        Config(surface="beale", start=(1.0, 1.5), steps=300,
               optimizers=(S("adagrad", lr=1.0), S("rmsprop", lr=0.1), S("adam", lr=0.3))),
        N_("AdaGrad divides η by √G, and G sums every squared gradient: Beale's steep start fills G at once and G "
           "never shrinks, so AdaGrad's effective rate η/√G can only fall, and it stops short of the minimum (3, 0.5). "
           "RMSprop takes the same first step, but its G is a decaying average: as the gradients fade, its η/√G grows "
           "back and it arrives; so does Adam. (Every racer's steps end far shorter than they began: near a minimum "
           "the gradient itself fades. What differs is the rate.)"),
        "002 'Adagrad(Adaptive Gradient)', 'RMSprop'"),
    N_("Too large a learning rate diverges"): Preset(
        Config(surface="bowl", start=(-2.5, 1.0), steps=100, condition=10.0,
               optimizers=(S("sgd", lr=0.01), S("sgd", lr=0.15), S("sgd", lr=0.21))),
        N_("The bowl's steepest curvature is κ = 10, so SGD is stable only for η < 2/10 = 0.2: η = 0.01 crawls and "
           "has not arrived after 100 steps, η = 0.15 arrives quickly, η = 0.21 overshoots a little more every step "
           "and diverges."),
        "002 'Learning rate: too large cannot converge'; 003 babysitting (loss explodes)"),
    N_("Plateau: small gradients, slow steps"): Preset(
        Config(surface="plateau", start=(-1.6, 1.2), steps=200,
               optimizers=(S("sgd", lr=0.1), S("momentum", lr=0.1, momentum=0.9), S("adam", lr=0.05))),
        N_("On the plateau the gradient is about 0.002, so SGD moves about 0.0003 a step and is still on it after "
           "200 steps. Momentum adds its steps up (×10 at γ = 0.9) and gets in. Adam's step is about η whatever the "
           "gradient's size: it walks straight to the well and arrives first."),
        "002 'Problems of Gradient Descent: slow'"),
    N_("Noisy gradients: big steps rattle"): Preset(
        Config(surface="bowl", start=(-2.5, 1.0), steps=200, noise=3.0, seed=0,
               optimizers=(S("sgd", lr=0.1), S("sgd", lr=0.02))),
        N_("Every gradient gets N(0, 3²) noise, as a mini-batch estimate would (SGD instead of full-batch GD). "
           "η = 0.1, the quicker of the two without noise, now keeps rattling about 0.5 away from the minimum; "
           "η = 0.02 stays about four times closer. Small steps average the noise out: why the learning rate is "
           "decayed, or the batch grown, late in training."),
        "001 'Gradient estimation: Stochastic Gradient Descent', 'Learning rate decay'"),
}


def notice_race(r: Result) -> str:
    """Who won, who arrived when, who diverged, who stalled: from this run's numbers."""
    board = r.leaderboard
    parts = []
    arrived = [row for row in board if row["arrived at step"] is not None]
    if arrived:
        parts.append(_("Arrived within {tolerance} of a minimum: {racers}.").format(
            tolerance=number(r.config.tolerance), racers=", ".join(
                _("{racer} (step {step})").format(racer=row["racer"], step=row["arrived at step"]) for row in arrived)))
    best = next((row for row in board if row["diverged at step"] is None and row not in arrived), None)
    if best is not None and math.isfinite(best["final loss"]):
        gap = best["distance to nearest minimum"]
        values = dict(racer=best["racer"], f=number(best["final loss"], ".3g"), steps=r.steps_done,
                      gap=number(gap, ".2g"))
        if math.isfinite(gap):
            message = (_("Closest of the rest: {racer} with f = {f} after {steps} steps, {gap} from the nearest "
                         "minimum.") if arrived else
                       _("Lowest loss: {racer} with f = {f} after {steps} steps, {gap} from the nearest minimum."))
        else:
            message = (_("Closest of the rest: {racer} with f = {f} after {steps} steps.") if arrived else
                       _("Lowest loss: {racer} with f = {f} after {steps} steps."))
            values.pop("gap")
        parts.append(message.format(**values))
    if r.config.noise and r.steps_done >= 20 and len(r.minima):
        half = r.steps_done // 2
        parts.append(_("With gradient noise σ = {noise}, the mean distance to the nearest minimum over the last "
                       "{steps} steps: {distances}.").format(
            noise=number(r.config.noise), steps=r.steps_done - half, distances="; ".join(
                f"{label} {number(np.nanmean(distances(r, label)[half:]), '.2g')}" for label in r.labels
                if r.diverged_at[label] is None)))
    diverged = [(label, d) for label, d in r.diverged_at.items() if d is not None]
    if diverged:
        parts.append(_("Diverged: {racers} (the point left the map or became NaN).").format(racers=", ".join(
            _("{racer} at step {step}").format(racer=label, step=d) for label, d in diverged)))
    return " ".join(parts) or _("No racer moved.")


def notice_steps(r: Result) -> str:
    """How each racer's step length changed between the first and the last ten steps."""
    parts = []
    for label in r.labels:
        s = step_lengths(r, label)
        s = s[np.isfinite(s)]
        if len(s) < 20 or r.diverged_at[label] is not None:
            continue
        first, last = s[:10].mean(), s[-10:].mean()
        if first == 0:
            continue
        ratio = last / first
        parts.append(f"{label}: {number(first, '.2g')} → {number(last, '.2g')} ({'÷' if ratio < 1 else '×'}"
                     f"{number(max(ratio, 1 / ratio) if ratio > 0 else math.inf, '.3g')})")
    if not parts:
        if all(d is not None for d in r.diverged_at.values()):
            return _("Every racer diverged: there are no step lengths to compare.")
        return _("Too few steps to compare step lengths.")
    return _("Average step length, first 10 steps → last 10: {racers}.").format(racers="; ".join(parts))


def effective_lr(r: Result, label: str) -> np.ndarray | None:
    """Per step and coordinate, the factor that multiplies the gradient for AdaGrad, RMSprop and Adam: η/(√G + ε).

    (Adam's uses the bias-corrected v̂; momentum terms aside.) None for other optimizers.
    """
    key = r.keys[r.labels.index(label)]
    spec = r.config.optimizers[r.labels.index(label)]
    hp, state = spec.values, r.state[label]
    if key in ("adagrad", "rmsprop"):
        g = state["sum" if key == "adagrad" else "square_avg"]
        eps = 1e-10 if key == "adagrad" else 1e-8
    elif key in ("adam", "adamw", "nadam", "radam"):
        t = np.arange(1, len(state["exp_avg_sq"]) + 1)[:, None]
        g, eps = state["exp_avg_sq"] / (1 - hp["beta2"] ** t), 1e-8
    else:
        return None
    return hp["lr"] / (np.sqrt(g) + eps)


def notice_adaptive(r: Result) -> str | None:
    """How the adaptive racers' effective learning rate η/√G changed from the first to the last step."""
    parts = []
    for label in r.labels:
        rate = effective_lr(r, label)
        if rate is None or len(rate) < 2:
            continue
        rate = rate[np.isfinite(rate).all(1)]
        first, last = np.sqrt(np.mean(rate[0] ** 2)), np.sqrt(np.mean(rate[-1] ** 2))
        message = _("{racer}: {first} → {last} (grows ×{factor})") if last > first else \
            _("{racer}: {first} → {last} (shrinks ×{factor})")
        parts.append(message.format(racer=label, first=number(first, ".3g"), last=number(last, ".3g"),
                                    factor=number(max(last, first) / min(last, first), ".3g")))
    if not parts:
        return None
    return _("Effective learning rate η/√G (root mean square over x and y), first step → last: {racers}.").format(
        racers="; ".join(parts)) + " " + _why(set(r.keys))


def _why(keys: set[str]) -> str:
    """Why the adaptive racers present can or cannot recover their rate (only those present are named)."""
    why = [_("AdaGrad's G only grows, so its rate can only fall")] if "adagrad" in keys else []
    averaging = [ADAPTIVE_AVERAGES[k] for k in sorted(keys & set(ADAPTIVE_AVERAGES))]
    if averaging:
        # one message per case, not ngettext: the subject is one name or a list of names, not a count
        why.append(_("{optimizer} averages only recent squared gradients, so its rate can grow back").format(
            optimizer=averaging[0]) if len(averaging) == 1 else
            _("{optimizers} average only recent squared gradients, so theirs can grow back").format(
                optimizers=_(" and ").join(averaging)))
    return "; ".join(why) + "."


ADAPTIVE_AVERAGES = {"adam": "Adam", "adamw": "AdamW", "nadam": "NAdam", "radam": "RAdam", "rmsprop": "RMSprop"}
