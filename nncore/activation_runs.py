"""Training the same network, data set and seed once per activation (the activation race, dead ReLUs).

Every run builds the same `nncore.models` MLP (same init scheme, same seed) on the same `nncore.data` set and
trains it with `nncore.training.train`; only the activation differs. After every epoch a hook measures, on the
training set, the units that pass no gradient at all (dead) and the share of activations that pass almost none.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import torch

from nncore import activations, data, inits, models, training
from nncore.activations import ACTIVATIONS
from nncore.i18n import N_, _, number
from nncore.params import param, validate
from nncore.per_activation import require_choice
from nncore.progress import OnProgress, Progress, report
from nncore.runs import padded

CLASSIFICATION = {k: v for k, v in data.DATASETS.items() if v.kind == "classification"}
RACE_OPTIMIZERS = {k: training.OPTIMIZERS[k] for k in ("sgd", "momentum", "adam")}
RACE_INITS = {k: inits.INITS[k] for k in ("xavier_normal", "lecun_normal", "kaiming_normal", "orthogonal")}
FLAT_SLOPE = 0.01       # |f'(z)| below this: the activation passes (almost) no gradient
STEP_BUDGET = 20_000    # optimizer steps summed over the activations (~1 ms each here)
FLOP_BUDGET = 2e11      # ~6 x samples x parameters per epoch, summed over the activations


@dataclass(frozen=True)
class Config:
    """One race: the activations, and everything they share."""

    activations: tuple = param(("sigmoid", "tanh", "relu", "leaky_relu", "elu", "silu"), choices=ACTIVATIONS,
                               label=N_("Activations"), help=N_("Each one trains the same network from the same seed."))
    dataset: str = param("spiral", choices=CLASSIFICATION, label=N_("Data set"))
    samples: int = param(1000, 100, 1797, label=N_("Samples"), help=N_("70% train, 30% validation."))
    hidden: int = param(64, 2, 256, label=N_("Units per hidden layer"))
    layers: int = param(3, 1, 6, label=N_("Hidden layers"))
    init: str = param("xavier_normal", choices=RACE_INITS, label=N_("Initialization"),
                      help=N_("One scheme for every activation, so only the activation differs."))
    optimizer: str = param("momentum", choices=RACE_OPTIMIZERS, label=N_("Optimizer"),
                           help=N_("AlexNet trained with SGD + momentum 0.9."))
    lr: float = param(0.01, 1e-4, 10.0, log=True, label=N_("Learning rate"))
    batch_size: int = param(64, 8, 1024, label=N_("Batch size"))
    epochs: int = param(30, 1, 200, label=N_("Epochs"))
    target_acc: float = param(0.75, 0.4, 1.0, step=0.05, label=N_("Target training accuracy"),
                              help=N_("The race's finish line. AlexNet counted epochs to 25% training error (75%)."))
    seed: int = param(0, 0, 2**31 - 1, label=N_("Seed"))


@dataclass(frozen=True)
class Run:
    """One activation's training. Per-epoch arrays have `epochs` entries (NaN after a divergence or a stop)."""

    train_loss: np.ndarray
    val_loss: np.ndarray
    train_acc: np.ndarray
    val_acc: np.ndarray
    dead_fraction: np.ndarray       # share of hidden units with f'(z) = 0 on every training sample
    flat_fraction: np.ndarray       # share of (sample, unit) activations with |f'(z)| < FLAT_SLOPE
    dead_at_init: float
    flat_at_init: float
    epoch_time: np.ndarray          # seconds per epoch (training + validation, not the measurement hook)
    epochs_to_target: int | None    # first epoch whose training accuracy reached cfg.target_acc
    diverged_at: int | None         # epoch whose loss became inf or NaN
    alpha: np.ndarray | None        # PReLU only: the learned slope after each epoch (mean over layers)
    parameters: int


@dataclass(frozen=True)
class Result:
    """`runs[name]` (or `result[name]`) for each activation that ran, in the config's order."""

    config: Config
    runs: dict
    labels: dict                    # name -> the registry's label
    seconds: float                  # wall time of the whole race

    def __getitem__(self, name: str) -> Run:
        return self.runs[name]

    @property
    def names(self) -> tuple:
        return tuple(self.runs)


def work(cfg: Config) -> tuple[int, float]:
    """(optimizer steps, floating-point operations) the race asks for."""
    n_train = cfg.samples - round(cfg.samples * 0.3)
    entry = CLASSIFICATION[cfg.dataset]
    widths = [entry.n_features] + [cfg.hidden] * cfg.layers + [entry.n_classes]
    params = sum(a * b for a, b in zip(widths, widths[1:]))
    steps = math.ceil(n_train / min(cfg.batch_size, n_train)) * cfg.epochs * len(cfg.activations)
    return steps, 6.0 * cfg.samples * params * cfg.epochs * len(cfg.activations)


def check(cfg: Config) -> None:
    """Raise ValueError for an empty selection, an invalid field or a race beyond the compute budget."""
    require_choice(cfg.activations, _("Pick at least one activation to race."))
    validate(cfg)
    if cfg.samples > CLASSIFICATION[cfg.dataset].max_samples:
        raise ValueError(_("{data} has at most {most} samples (got {samples}).").format(
            data=CLASSIFICATION[cfg.dataset].label, most=number(CLASSIFICATION[cfg.dataset].max_samples, ","),
            samples=number(cfg.samples, ",")))
    steps, flops = work(cfg)
    if steps > STEP_BUDGET or flops > FLOP_BUDGET:
        raise ValueError(_("This race needs {steps} training steps and {flops} operations; the limits are "
                           "{step_limit} and {flop_limit} (about 20 s here). Use fewer epochs, activations or units, "
                           "or a larger batch.").format(steps=number(steps, ","), flops=number(flops, ".1e"),
                                                        step_limit=number(STEP_BUDGET, ","),
                                                        flop_limit=number(FLOP_BUDGET, ".0e")))


def unit_stats(model: models.MLP, x: torch.Tensor) -> tuple[float, float]:
    """(dead, flat) on inputs x: the share of hidden units whose f'(z) is 0 on every row, and of (row, unit)
    activations whose |f'(z)| < FLAT_SLOPE. f' comes from autograd on each activation module's own input, all
    layers in one backward call (each activation's input is a leaf, so d sum f / dz = f'(z) layer by layer)."""
    acts = {id(m) for m in model.hidden_outputs}
    leaves, outs = [], []
    h = x
    for module in model:
        if id(module) in acts:
            with torch.enable_grad():
                z = h.detach().requires_grad_(True)
                y = module(z)
            leaves.append(z)
            outs.append(y)
            h = y.detach()
        else:
            with torch.no_grad():
                h = module(h)
    with torch.enable_grad():
        slopes = torch.cat(torch.autograd.grad(torch.stack([y.sum() for y in outs]).sum(), leaves), dim=1)
    return float((slopes == 0).all(dim=0).float().mean()), float((slopes.abs() < FLAT_SLOPE).float().mean())


def _prelu_alpha(model: models.MLP) -> float:
    return float(torch.cat([m.weight.detach().flatten() for m in model.hidden_outputs]).mean())


def _train_one(name: str, cfg: Config, d: data.Data, on_epoch_progress) -> Run:
    spec = models.MLPSpec(d.n_features, d.n_outputs, hidden=(cfg.hidden,) * cfg.layers, activation=name,
                          init=cfg.init)
    model = models.build(spec, generator=cfg.seed)
    dead0, flat0 = unit_stats(model, d.x_train)
    is_prelu = name == "prelu"

    def on_epoch(epoch, net, dd):
        dead, flat = unit_stats(net, dd.x_train)
        return {"dead": dead, "flat": flat, **({"alpha": _prelu_alpha(net)} if is_prelu else {})}

    hist = training.train(model, d, training.TrainSpec(epochs=cfg.epochs, batch_size=cfg.batch_size,
                                                       optimizer=cfg.optimizer, lr=cfg.lr),
                          seed=cfg.seed, on_epoch=on_epoch, on_progress=on_epoch_progress)
    reached = np.flatnonzero(np.nan_to_num(hist.train_acc, nan=0.0) >= cfg.target_acc)
    n = cfg.epochs
    dead, flat = padded(hist.extra.get("dead"), n), padded(hist.extra.get("flat"), n)
    if hist.diverged_at is not None:  # measured on inf/NaN weights: not a dead share
        dead[hist.diverged_at - 1:] = flat[hist.diverged_at - 1:] = np.nan
    return Run(padded(hist.train_loss, n), padded(hist.val_loss, n), padded(hist.train_acc, n),
               padded(hist.val_acc, n), dead, flat, dead0, flat0, padded(hist.epoch_time, n),
               int(reached[0]) + 1 if len(reached) else None, hist.diverged_at,
               padded(hist.extra["alpha"], n) if is_prelu else None, sum(p.numel() for p in model.parameters()))


_warmed_up = False


def warm_up() -> None:
    """Pay torch's one-time first-call costs (1-2 s per process here) before anything is timed, so that the
    first activation of the first race does not look slow: one epoch of a tiny net, once per process."""
    global _warmed_up
    if not _warmed_up:
        tiny = data.load("moons", n_samples=32, seed=0)
        net = models.build(models.MLPSpec(2, 2, hidden=(4,), activation="relu"), generator=0)
        training.train(net, tiny, training.TrainSpec(epochs=1, batch_size=8, optimizer="momentum"), seed=0,
                       on_epoch=lambda e, m, d: dict(zip(("dead", "flat"), unit_stats(m, d.x_train))))
        _warmed_up = True


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    """Train the same network once per activation; progress counts epochs over the whole race."""
    check(cfg)
    with training.single_thread():  # small models: one torch thread is as fast idle and far faster under load
        return _race(cfg, on_progress)


def _race(cfg: Config, on_progress: OnProgress) -> Result:
    warm_up()
    start = time.perf_counter()
    d = data.load(cfg.dataset, n_samples=cfg.samples, seed=cfg.seed)
    total, runs, stop = cfg.epochs * len(cfg.activations), {}, False
    for i, name in enumerate(cfg.activations):
        def relay(p: Progress, i=i, name=name):
            nonlocal stop
            go_on = report(on_progress, i * cfg.epochs + p.done, total,
                           _("{name}: epoch {epoch} of {epochs}").format(name=ACTIVATIONS[name].label,
                                                                         epoch=p.done, epochs=cfg.epochs),
                           dict(runs) if p.done == cfg.epochs else None)
            stop = stop or not go_on
            return go_on
        runs[name] = _train_one(name, cfg, d, relay)
        if stop:
            break
    return Result(cfg, runs, {n: ACTIVATIONS[n].label for n in runs}, time.perf_counter() - start)
