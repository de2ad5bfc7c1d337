"""Dead ReLUs: units that never fire on the data, at initialization and after training (002, 003, 001).

A unit is dead when its input z is below zero for every training sample: ReLU's slope there is exactly 0, so no
gradient ever reaches its weights and it never recovers. Part 1 sets every hidden bias to one value at
initialization and counts the dead units (a negative bias kills them; 003's "positive bias, e.g. 0.01" trick).
Part 2 trains the same net, through `nncore.training`, with a sensible and with a too-large learning rate.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from nncore import activation_runs as race
from nncore import models, training
from nncore.activations import ACTIVATIONS
from nncore.data import load
from nncore.i18n import N_, _, number
from nncore.params import Preset, param, validate
from nncore.per_activation import PerActivation, labels, require_choice
from nncore.progress import OnProgress, report

TRICK_BIAS = 0.01
BIASES = np.round(np.union1d(np.linspace(-3.0, 1.0, 41), [TRICK_BIAS]), 4)


@dataclass(frozen=True)
class Config:
    """The activations to compare, the net and data they share, the bias at init and the two learning rates."""

    activations: tuple = param(("relu", "leaky_relu", "elu"), choices=ACTIVATIONS, label=N_("Activations"))
    dataset: str = param("spiral", choices=race.CLASSIFICATION, label=N_("Data set"))
    hidden: int = param(64, 2, 256, label=N_("Units per hidden layer"))
    layers: int = param(3, 1, 6, label=N_("Hidden layers"))
    negative_bias: float = param(-1.0, -10.0, 0.0, step=0.1, label=N_("A negative initial bias"),
                                 help=N_("Every hidden unit starts with this bias in the 'negative bias' case."))
    lr: float = param(0.1, 1e-4, 10.0, log=True, label=N_("Sensible learning rate (SGD)"))
    large_lr: float = param(2.0, 1e-4, 10.0, log=True, label=N_("Too-large learning rate (SGD)"))
    epochs: int = param(20, 1, 100, label=N_("Epochs"))
    seed: int = param(0, 0, 2**31 - 1, label=N_("Seed"))


@dataclass(frozen=True)
class Result(PerActivation):
    """Dead fractions per activation (rows in `names` order)."""

    biases: np.ndarray            # (b,) initial bias of every hidden unit
    dead_vs_bias: np.ndarray      # (activations, b) dead share at init for each bias
    at_init: dict                 # "zero" / "negative" / "trick" (the bias 0, cfg.negative_bias, +0.01) ->
                                  # (activations,) dead share
    sensible: race.Result         # training at cfg.lr
    large: race.Result            # training at cfg.large_lr


def _race_config(cfg: Config, lr: float) -> race.Config:
    return race.Config(activations=cfg.activations, dataset=cfg.dataset, samples=1000, hidden=cfg.hidden,
                       layers=cfg.layers, init="xavier_normal", optimizer="sgd", lr=lr, batch_size=64,
                       epochs=cfg.epochs, target_acc=0.75, seed=cfg.seed)


def check(cfg: Config) -> None:
    require_choice(cfg.activations)
    validate(cfg)
    for lr in (cfg.lr, cfg.large_lr):
        race.check(_race_config(cfg, lr))


def dead_at_init(name: str, cfg: Config, x: torch.Tensor, n_out: int, biases) -> np.ndarray:
    """The dead share of the freshly built net with every hidden bias set to each value of `biases`."""
    spec = models.MLPSpec(x.shape[1], n_out, hidden=(cfg.hidden,) * cfg.layers, activation=name, init="xavier_normal")
    model = models.build(spec, generator=cfg.seed)
    hidden_linears = model.linears[:-1]
    out = []
    for b in biases:
        with torch.no_grad():
            for layer in hidden_linears:
                layer.bias.fill_(float(b))
        out.append(race.unit_stats(model, x)[0])
    return np.array(out)


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    """Part 1 (bias sweep at init) for each activation, then the two trainings."""
    check(cfg)
    with training.single_thread():  # small models: see nncore.training.single_thread
        return _run(cfg, on_progress)


def _run(cfg: Config, on_progress: OnProgress) -> Result:
    d = load(cfg.dataset, n_samples=1000, seed=cfg.seed)
    biases = np.union1d(BIASES, [cfg.negative_bias])
    sweep = np.array([dead_at_init(n, cfg, d.x_train, d.n_outputs, biases) for n in cfg.activations])
    pick = lambda b: sweep[:, int(np.flatnonzero(np.isclose(biases, b))[0])]
    at_init = {"zero": pick(0.0), "negative": pick(cfg.negative_bias), "trick": pick(TRICK_BIAS)}
    report(on_progress, 1, 3, _("initialization measured"))
    scale = lambda k: (lambda p: report(on_progress, 1 + k + p.fraction, 3,
                                        _("training: {message}").format(message=p.message)))
    sensible = race.run(_race_config(cfg, cfg.lr), scale(0))
    large = race.run(_race_config(cfg, cfg.large_lr), scale(1))
    return Result(cfg, tuple(cfg.activations), labels(cfg.activations), biases, sweep, at_init, sensible, large)


PRESETS = {
    N_("ReLU vs Leaky ReLU vs ELU"): Preset(Config(), N_(
        "A negative initial bias, then a sensible and a too-large step: which units die, and when?"),
        "002 'Dead ReLU', 003 '¿Qué pasa si inicializamos ... en la región inactiva?'"),
    N_("Large negative bias"): Preset(Config(negative_bias=-10.0), N_(
        "With bias −10 every ReLU unit is dead on every sample: no gradient reaches any hidden weight."),
        "003 'nunca actualiza los pesos'"),
    N_("Deeper net (6 layers)"): Preset(Config(layers=6), N_(
        "Six layers instead of three: a larger share of ReLU units is dead already at zero bias (compare with the "
        "first preset), and each dead unit outputs 0 on every sample, starving the layer above of that input."),
        "001 'dead neurons: gradients will not flow back'"),
}


def _label(name: str) -> str:
    return ACTIVATIONS[name].label


def notice_init(r: Result) -> str:
    """Dead shares at init for the three bias cases, and whether the 0.01 trick helped on this run."""
    share = lambda v: number(v, ".0%")
    parts = [_("{name}: {zero} with zero bias, {negative} with bias {bias}, {trick} with bias +{trick_bias} (003's "
               "trick)").format(name=_label(n), zero=share(r.at_init["zero"][i]),
                                negative=share(r.at_init["negative"][i]), bias=number(r.config.negative_bias, "g"),
                                trick=share(r.at_init["trick"][i]), trick_bias=number(TRICK_BIAS, "g"))
             for i, n in enumerate(r.names)]
    text = _("Dead at initialization — {runs}.").format(runs="; ".join(parts))
    if "relu" not in r.names:
        return text
    i = r.names.index("relu")
    zero, trick = r.at_init["zero"][i], r.at_init["trick"][i]
    verdict = (_("The +0.01 bias changes ReLU's dead share from {zero} to {trick}: it helps here.")
               if trick < zero - 0.005 else
               _("The +0.01 bias changes ReLU's dead share from {zero} to {trick}: it makes no difference here — 003 "
                 "warns it does not always work."))
    return f"{text} {verdict.format(zero=share(zero), trick=share(trick))}"


def _final(run: race.Run) -> float:
    ok = np.flatnonzero(np.isfinite(run.dead_fraction))
    return float(run.dead_fraction[ok[-1]]) if len(ok) else float("nan")


def notice_training(r: Result) -> str:
    """Dead shares at the end of each training, per activation, from this run."""
    parts = []
    for n in r.names:
        a, b = r.sensible[n], r.large[n]
        values = dict(name=_label(n), dead=number(_final(a), ".0%"), lr=number(r.config.lr, "g"),
                      large_lr=number(r.config.large_lr, "g"))
        parts.append(_("{name} {dead} at lr {lr} vs diverged at epoch {epoch} at lr {large_lr}").format(
            epoch=b.diverged_at, **values) if b.diverged_at else
            _("{name} {dead} at lr {lr} vs {large} at lr {large_lr}").format(large=number(_final(b), ".0%"), **values))
    return _("Dead after training (0 on every training sample): {runs}.").format(runs="; ".join(parts))
