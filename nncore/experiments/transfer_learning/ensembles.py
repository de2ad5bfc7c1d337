"""Model ensembles (002 "Model Ensembles"): K nets trained alike from K seeds, their predicted probabilities averaged
("take average of predicted probability distributions, then choose argmax"), against each member on validation;
and snapshot ensembles ("use multiple snapshots of a single model during training"): one net under cosine annealing
with warm restarts (torch's CosineAnnealingWarmRestarts), a snapshot at the end of each cycle, the snapshots averaged.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from nncore import data, models, training
from nncore.i18n import N_, _, ngettext, number
from nncore.params import Preset, param, validate
from nncore.progress import OnProgress
from nncore.runs import padded, relay



@dataclass(frozen=True)
class Config:
    """K independently seeded nets on a small digits set (full-batch Adam), and one net whose cosine cycles give the
    snapshots. Measured at these defaults over seeds 0-4: the average beat the mean member by 1.0-1.8 points of
    accuracy on the 1,597 validation digits, and the best member by -0.3 to +0.8 (at lr 0.02: 0.5-0.8 and -0.6 to
    +0.3)."""

    members: int = param(5, 2, 10, label=N_("Nets in the ensemble (K)"))
    n_train: int = param(200, 50, 1000, step=50, label=N_("Training digits (all ten classes)"),
                         help=N_("A small training set, so that the nets disagree; the other digits of the 1,797 "
                                 "validate."))
    width: int = param(64, 8, 256, label=N_("Hidden units (one layer)"))
    epochs: int = param(60, 10, 300, label=N_("Epochs per net"))
    cycles: int = param(5, 2, 10, label=N_("Snapshot cycles"),
                        help=N_("The snapshot net trains as long as one member, in this many cosine cycles; a "
                                "snapshot is taken at the end of each."))
    lr: float = param(0.05, 1e-4, 1.0, log=True, label=N_("Learning rate"),
                      help=N_("Each member's; the snapshot net's at the start of each cycle."))
    seed: int = param(0, 0, 2**31 - 1, label=N_("Seed"), help=N_("Member k is initialized and shuffled from seed + k."))


@dataclass(frozen=True, eq=False)
class Result:
    """Validation accuracies of the members, their average, the snapshots and theirs."""

    config: Config
    member_acc: np.ndarray          # (K,) each member alone
    member_curves: np.ndarray       # (K, epochs) each member's validation accuracy per epoch
    ensemble_acc: float             # the K members' averaged probabilities
    ensemble_by_k: np.ndarray       # (K,) the first k members averaged, k = 1..K
    member_loss: np.ndarray         # (K,) each member's validation cross-entropy
    ensemble_loss: float            # the averaged probabilities' cross-entropy
    cycle_epochs: int               # epochs per cosine cycle
    snapshot_epochs: np.ndarray     # (cycles,) the epochs at which snapshots were taken
    snapshot_acc: np.ndarray        # (cycles,) each snapshot alone
    snapshot_ensemble_acc: float    # the snapshots' averaged probabilities
    snapshot_curve: np.ndarray      # (cycles x cycle_epochs,) the snapshot net's validation accuracy per epoch
    snapshot_lr: np.ndarray         # (cycles x cycle_epochs,) its learning rate per epoch
    n_train: int
    n_val: int


PRESETS = {
    N_("002: average 5 nets"): Preset(
        Config(), N_("Five nets that differ only in their seed, on 200 training digits: average their predicted "
                     "probabilities, then take the argmax (002: 'Enjoy 2% extra performance!')."),
        "002 'Model Ensembles'"),
    N_("002: snapshots of one net"): Preset(
        Config(members=2, cycles=6, epochs=120), N_("One net, six cosine cycles: each restart kicks it out of the "
                                                    "minimum it settled in, and each cycle's end is a snapshot (002 "
                                                    "'Model Ensembles: Tips and Tricks')."),
        "002 'Model Ensembles: Tips and Tricks'"),
}


def _spec(d: data.Data, width: int) -> models.MLPSpec:
    return models.MLPSpec(d.n_features, d.n_outputs, hidden=(width,))


def _probabilities(model: torch.nn.Module, x: torch.Tensor) -> np.ndarray:
    """Softmax of the model's outputs, in eval mode, without gradients."""
    model.eval()
    with torch.no_grad():
        return torch.softmax(model(x), 1).numpy()


def accuracy(p: np.ndarray, y: np.ndarray) -> float:
    """Share of rows whose most probable class is the label."""
    return float((p.argmax(1) == y).mean())


def cross_entropy(p: np.ndarray, y: np.ndarray) -> float:
    """Mean -log p(label), the loss of averaged probabilities."""
    return float(-np.log(np.clip(p[np.arange(len(y)), y], 1e-12, None)).mean())


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    """Train the K members, then the snapshot net; score each alone and averaged on the validation half."""
    validate(cfg)
    n = data.DATASETS["digits"].max_samples
    d = data.load("digits", n, val_fraction=1 - cfg.n_train / n, seed=cfg.seed)
    cycle = cfg.epochs // cfg.cycles
    total = cfg.members * cfg.epochs + cycle * cfg.cycles
    spec = training.TrainSpec(epochs=cfg.epochs, optimizer="adam", lr=cfg.lr)
    probs, curves = [], []
    for k in range(cfg.members):
        model = models.build(_spec(d, cfg.width), generator=cfg.seed + k)
        h = training.train(model, d, spec, seed=cfg.seed + k,
                           on_progress=relay(on_progress, k * cfg.epochs, total,
                                             _("net {k} of {members}").format(k=k + 1, members=cfg.members)))
        probs.append(_probabilities(model, d.x_val))
        curves.append(padded(h.val_acc, cfg.epochs))
    snapshots, h = _snapshots(cfg, d, cycle, relay(on_progress, cfg.members * cfg.epochs, total, _("snapshot net")))
    return _result(cfg, d, np.stack(probs), np.stack(curves), snapshots, h, cycle)


def _snapshots(cfg: Config, d: data.Data, cycle: int, on_progress: OnProgress):
    """One net under cosine annealing with warm restarts every `cycle` epochs; its probabilities at each cycle's end."""
    taken: dict[int, np.ndarray] = {}

    def keep(epoch: int, model: torch.nn.Module, d: data.Data):
        if epoch % cycle == 0:
            taken[epoch] = _probabilities(model, d.x_val)

    model = models.build(_spec(d, cfg.width), generator=cfg.seed)
    spec = training.TrainSpec(epochs=cycle * cfg.cycles, optimizer="adam", lr=cfg.lr)
    h = training.train(model, d, spec, seed=cfg.seed, on_progress=on_progress, on_epoch=keep,
                       scheduler=lambda opt: torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=cycle))
    return taken, h


def _result(cfg: Config, d: data.Data, probs: np.ndarray, curves: np.ndarray, taken: dict, h, cycle: int) -> Result:
    y = d.y_val.numpy()
    by_k = np.array([accuracy(probs[:k].mean(0), y) for k in range(1, len(probs) + 1)])
    epochs = np.array(sorted(taken), dtype=int)
    snaps = np.stack([taken[e] for e in epochs]) if len(epochs) else np.zeros((0, *probs.shape[1:]))
    return Result(cfg, np.array([accuracy(p, y) for p in probs]), curves, float(by_k[-1]), by_k,
                  np.array([cross_entropy(p, y) for p in probs]), cross_entropy(probs.mean(0), y), cycle, epochs,
                  np.array([accuracy(p, y) for p in snaps]),
                  accuracy(snaps.mean(0), y) if len(snaps) else float("nan"),
                  padded(h.val_acc, cycle * cfg.cycles), padded(h.lr, cycle * cfg.cycles),
                  len(d.y_train), len(d.y_val))


def _points(diff: float) -> str:
    return number(abs(diff) * 100, ".1f")


def _listed(items: list[str]) -> str:
    """Items of a sentence's list, apart where numbers take a decimal comma ("90,1%; 91,2%")."""
    return ("; " if number(0.5, "g") != "0.5" else ", ").join(items)


def notice_ensemble(r: Result) -> str:
    """What this run shows: the average against the mean and the best member, in accuracy and cross-entropy."""
    mean, best = r.member_acc.mean(), r.member_acc.max()
    over_mean, over_best = r.ensemble_acc - mean, r.ensemble_acc - best
    if over_best > 0:
        scores = _("Alone, the {k} nets score {low} to {high} (mean {mean}) on the {n} validation digits; their "
                   "averaged probabilities score {acc}: above the mean member by {over_mean} points and above the "
                   "best one by {over_best} points.")
    elif over_mean > 0 and over_best < 0:
        scores = _("Alone, the {k} nets score {low} to {high} (mean {mean}) on the {n} validation digits; their "
                   "averaged probabilities score {acc}: above the mean member by {over_mean} points, but not above "
                   "the best one ({over_best} points below).")
    elif over_mean > 0:
        scores = _("Alone, the {k} nets score {low} to {high} (mean {mean}) on the {n} validation digits; their "
                   "averaged probabilities score {acc}: above the mean member by {over_mean} points, but not above "
                   "the best one ({over_best} points short: a tie).")
    elif over_mean < 0:
        scores = _("Alone, the {k} nets score {low} to {high} (mean {mean}) on the {n} validation digits; their "
                   "averaged probabilities score {acc}: not above the mean member ({over_mean} points below).")
    else:
        scores = _("Alone, the {k} nets score {low} to {high} (mean {mean}) on the {n} validation digits; their "
                   "averaged probabilities score {acc}: not above the mean member ({over_mean} points apart: a tie).")
    percent = lambda v: number(v, ".1%")   # noqa: E731
    return " ".join((
        scores.format(k=r.config.members, low=percent(r.member_acc.min()), high=percent(best), mean=percent(mean),
                      n=number(r.n_val, ","), acc=percent(r.ensemble_acc), over_mean=_points(over_mean),
                      over_best=_points(over_best)),
        _("002 promises about 2% extra."),
        _("The averaged probabilities also have a lower cross-entropy: {ensemble}, against {mean} for the mean "
          "net.").format(ensemble=number(r.ensemble_loss, ".3f"), mean=number(r.member_loss.mean(), ".3f"))))


def notice_snapshots(r: Result) -> str:
    """What this run shows: the snapshots alone and averaged, against the last one (what training would keep)."""
    if not len(r.snapshot_acc):
        return _("The run was stopped before the first snapshot.")
    last = r.snapshot_acc[-1]
    diff = r.snapshot_ensemble_acc - last
    if diff > 0:
        averaged = _("Averaged: {acc}, above the last snapshot by {points} points, for the training cost of one net "
                     "(the ensemble above cost {k}).")
    elif diff < 0:
        averaged = _("Averaged: {acc}, below the last snapshot by {points} points, for the training cost of one net "
                     "(the ensemble above cost {k}).")
    else:
        averaged = _("Averaged: {acc}, level with the last snapshot, for the training cost of one net (the ensemble "
                     "above cost {k}).")
    n = len(r.snapshot_acc)
    return " ".join((
        ngettext("{n} snapshot, at epochs {epochs}: alone {accs}.", "{n} snapshots, at epochs {epochs}: alone {accs}.",
                 n).format(n=n, epochs=", ".join(map(str, r.snapshot_epochs)),
                           accs=_listed([number(a, ".1%") for a in r.snapshot_acc])),
        averaged.format(acc=number(r.snapshot_ensemble_acc, ".1%"), points=_points(diff), k=r.config.members)))
