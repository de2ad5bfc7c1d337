"""Reading the loss curve: every pathology of 002's gallery ("Loss Curves: What are the Problems?") made by a real
training run with the fault injected, beside the same run with the fault fixed (000's validation accuracy above
the training accuracy included; 001's underfitting and overfitting checklists are on the page).

`run(Config(pathology, seed))` trains the entry's faulty and fixed `Training` through `nncore.training.train` on the
shipped 8x8 digits and returns both histories per epoch (NaN after a divergence) and each batch's loss. The
validation-above-training card also runs 000's k-fold check: the dropout run trained on each of FOLDS folds, its
training accuracy measured in train mode and in eval mode against the fold's validation accuracy.
"""
from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from nncore import data as datasets
from nncore import models, training
from nncore.i18n import N_, _, number
from nncore.params import param, validate
from nncore.progress import OnProgress
from nncore.runs import padded, relay


@dataclass(frozen=True)
class Training:
    """The Config of one run of the gallery, with the knob of each fault (the defaults train well)."""

    samples: int = 1000               # of the 1,797 digits
    val_fraction: float = 0.3
    hidden: tuple[int, ...] = (64, 64)
    init: str = "kaiming_normal"      # a key of nncore.inits.INITS
    init_scale: float = 0.01          # for init="normal"
    optimizer: str = "sgd"
    lr: float = 0.1
    epochs: int = 30
    batch_size: int = 100
    l2: float = 0.0
    dropout: float = 0.0
    gradient_sign: float = 1.0        # the optimizer gets this x the true gradient: 0 not applied, -1 its negative
    sort_by_class: bool = False       # the training set stored ordered by label
    shuffle: bool = True              # a fresh batch order each epoch
    relu_logits: bool = False         # a ReLU after the last layer, before the softmax of the loss
    log_of_softmax: bool = False      # the loss as log(softmax(z)): log(0) = -inf once a probability underflows
    eval_train: bool = False          # the training curve measured in eval mode after each epoch (dropout off)


@dataclass(frozen=True)
class Pathology:
    """A card of the gallery: the fault, the run that has it, the run that fixes it, and how to read the curve."""

    label: str
    faulty: Training
    fixed: Training
    lecture: str
    fault: str     # what was injected
    why: str       # why the curve looks that way
    fix: str       # what the fixed run changes
    view: str = "epoch"   # "epoch": loss and accuracy per epoch; "step": each batch's loss (the no-shuffle card)


def _pair(faulty: dict, fixed: dict | None = None, **shared) -> tuple[Training, Training]:
    """(faulty, fixed): the shared setup with the fault's fields, and with the fix's."""
    base = Training(**shared)
    return dataclasses.replace(base, **faulty), dataclasses.replace(base, **(fixed or {}))


GALLERY = "002 'Loss Curves: What are the Problems?'"
OVERFIT = dict(samples=400, val_fraction=0.5, hidden=(256, 256), optimizer="adam", lr=0.01, epochs=80,
               batch_size=1000)
PATHOLOGIES: dict[str, Pathology] = {
    "not_learning": Pathology(
        N_("Not learning: the loss stays flat"), *_pair(dict(gradient_sign=0.0)), GALLERY,
        N_("The gradients are computed but never applied (a forgotten optimizer.step(), frozen weights, lr = 0)."),
        N_("The weights never move, so every epoch measures the same network: the loss stays at its initial value, "
        "ln 10 ≈ 2.30 for ten classes, and the accuracy at chance."),
        N_("Apply the update: the same run with the optimizer's step on.")),
    "overfitting": Pathology(
        N_("Overfitting: the validation loss turns up"), *_pair({}, dict(l2=3e-3), **OVERFIT),
        f"{GALLERY}; 002 'Underfitting vs Overfitting', 001 'Overfitting', 004 'Underfitting and Overfitting'",
        N_("A large net (2 x 256 units) trained long with Adam on 200 digits, without regularization."),
        N_("The net memorises its 200 training digits: the training loss falls towards 0 while the validation loss "
        "reaches a minimum and then climbs, as the net grows ever more confident on the digits it gets wrong."),
        N_("Regularize: the same run with an L2 penalty λ = 3e-3 (more data, dropout or early stopping also help).")),
    "not_converged": Pathology(
        N_("Not converged: stopped while still falling"), *_pair(dict(epochs=5)), GALLERY,
        N_("Too few epochs: training stops after 5."),
        N_("The loss is still falling steeply when the run ends: the model has more to learn and was cut off."),
        N_("Train longer: the same run for 30 epochs, until the curve flattens.")),
    "slow_start": Pathology(
        N_("Slow start: a plateau before the loss falls"), *_pair(dict(init="normal", init_scale=0.03)), GALLERY +
        "; 002 & 003 'Weight Initialization'",
        N_("Initial weights too small: N(0, 0.03²) instead of He's N(0, 2/fan_in)."),
        N_("With tiny weights the activations and the gradients shrink layer by layer: the first epochs barely move "
        "the weights, the loss sits at ln 10 until they have grown enough, then drops."),
        N_("Initialize by the fan-in (He, kaiming_normal): the loss falls from the first epoch.")),
    "negative_gradient": Pathology(
        N_("Loss rises: the gradient's negative applied"), *_pair(dict(gradient_sign=-1.0), optimizer="adam", lr=0.001),
        GALLERY,
        N_("The update has the wrong sign: the weights move along +gradient (w ← w + α·∇L), gradient ascent."),
        N_("Each step goes uphill on the loss: the loss rises from ln 10 every epoch and the accuracy falls below chance."),
        N_("Subtract the gradient (w ← w − α·∇L): the same run descends.")),
    "no_shuffle": Pathology(
        N_("Periodic loss: no shuffling on class-sorted data"),
        *_pair(dict(sort_by_class=True, shuffle=False), dict(sort_by_class=True), batch_size=25, epochs=12), GALLERY,
        N_("The training set is stored sorted by class and the batches are taken in that order every epoch."),
        N_("Each stretch of batches holds one class: the net learns it and forgets the others, so each batch's loss "
        "jumps where a new class begins and the pattern repeats every epoch, with the epoch's period."),
        N_("Shuffle: a fresh random batch order each epoch (the same sorted data)."), view="step"),
    "nan": Pathology(
        N_("NaN after some iterations"), *_pair(dict(optimizer="momentum", lr=0.5, log_of_softmax=True),
                                            dict(optimizer="momentum", lr=0.05)),
        f"{GALLERY}; 003 'Monitoreo' (inf/NaN at a huge learning rate)",
        N_("A learning rate too large (0.5 with momentum 0.9) and the loss computed as log(softmax(z))."),
        N_("The steps throw the weights far: some logits end up so far apart that a softmax probability underflows "
        "to 0, its log is −inf, and the loss becomes inf, then NaN. Training is over at that epoch."),
        N_("A 10x smaller learning rate (0.05) and the loss from log_softmax (F.cross_entropy), which never takes "
        "log(0).")),
    "tiny_validation": Pathology(
        N_("Noisy validation curve: the validation set is too small"),
        *_pair(dict(val_fraction=0.012), dict(val_fraction=0.3)), GALLERY,
        N_("12 validation digits (1.2% of the data) instead of 300."),
        N_("Each validation digit is 1/12 ≈ 8% of the accuracy: one digit flipping makes the curve jump, so the "
        "validation curve is mostly noise and its best epoch means little."),
        N_("A larger validation set (30%: 300 digits), or k-fold cross-validation when data are few.")),
    "relu_before_softmax": Pathology(
        N_("Plateau too high: a ReLU before the softmax"), *_pair(dict(relu_logits=True)),
        f"{GALLERY} ('applied nonlinear activation before softmax')",
        N_("A ReLU after the last layer: the logits fed to softmax can no longer be negative."),
        N_("Scores are clipped at 0: a class whose logit went negative gets no gradient, so a digit whose true class "
        "is stuck there can never be learned. The loss plateaus well above the fixed run's."),
        N_("Feed the last linear layer's outputs to the softmax (cross-entropy) directly.")),
    "val_above_train": Pathology(
        N_("Validation accuracy above training accuracy"), *_pair(dict(dropout=0.5), dict(dropout=0.5, eval_train=True)),
        "000 'My validation accuracy is higher than the training accuracy'; 002 'Dropout'",
        N_("Dropout p = 0.5 is on while the training accuracy is measured (Keras' number: the mean over the epoch's "
        "batches, in training mode)."),
        N_("The training numbers come from thinned nets with half their units dropped, the validation numbers from "
        "the full net in eval mode: the full net is better, so validation beats training."),
        N_("Not a bug: re-measure the training set in eval mode after each epoch (the same run): it is above "
        "validation again. And check by k-fold (below): does the gap hold on every split while dropout is on, "
        "and go away in eval mode? Then no lucky validation split made it.")),
}
CHANCE_LOSS = math.log(10)
FOLDS = 5          # 000: "check by re-measuring in eval mode and by k-fold"
TAIL = 5           # the k-fold check scores each run by the mean of its last epochs (one epoch's number is noisy)
MAX_SEED = 2**31 - 1


@dataclass(frozen=True)
class Config:
    """Which card of the gallery, and the seed of its two runs (data split, weights, batches)."""

    pathology: str = param("not_learning", choices=PATHOLOGIES, label=N_("Loss-curve pathology"))
    seed: int = param(0, 0, MAX_SEED, label=N_("Seed"))


@dataclass(frozen=True, eq=False)
class Curves:
    """One run per epoch (index 0 = epoch 1; NaN after a divergence) and each batch's loss."""

    training: Training
    epoch: np.ndarray
    train_loss: np.ndarray
    val_loss: np.ndarray
    train_acc: np.ndarray
    val_acc: np.ndarray
    step_loss: np.ndarray       # every optimizer step's batch loss, in order
    steps_per_epoch: int
    diverged_at: int | None
    n_train: int
    n_val: int


@dataclass(frozen=True)
class Fold:
    """One fold of the k-fold check: the dropout run's training accuracy in train mode (Keras' number) and in eval
    mode, and its validation accuracy (each the mean of the last TAIL epochs)."""

    train_mode: float
    eval_mode: float
    val: float


@dataclass(frozen=True, eq=False)
class Result:
    """The faulty and the fixed run of one pathology (and the k-fold check, for the card that asks for it)."""

    config: Config
    faulty: Curves
    fixed: Curves
    chance_loss: float          # ln 10: the loss of a uniform guess over the ten digits
    seconds: float
    folds: tuple[Fold, ...] = ()


class LogOfSoftmax(nn.Module):
    """log(softmax(z)) as a hand-written loss computes it: -inf where a probability underflows to 0 (the fault;
    F.cross_entropy takes log_softmax, z - logsumexp(z), which never does)."""

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return torch.log(torch.softmax(z, dim=1))


def load(t: Training, seed: int) -> datasets.Data:
    """The digits split by the seed; the training part sorted by class for the no-shuffle fault."""
    d = datasets.load("digits", t.samples, val_fraction=t.val_fraction, seed=seed)
    if not t.sort_by_class:
        return d
    order = torch.argsort(d.y_train, stable=True)
    return dataclasses.replace(d, x_train=d.x_train[order], y_train=d.y_train[order])


def build(t: Training, d: datasets.Data, seed: int) -> nn.Module:
    """The ReLU MLP of the run, with the fault's layers on its logits and its gradient scaled as the fault says.

    The model's output goes to F.cross_entropy; with log_of_softmax it is already log-probabilities, on which
    cross_entropy gives exactly -log p_y (their logsumexp is log 1 = 0)."""
    spec = models.MLPSpec(d.n_features, d.n_outputs, t.hidden, "relu", t.init, t.init_scale, dropout=t.dropout)
    model = models.build(spec, generator=seed)
    if t.relu_logits:
        model.append(nn.ReLU())
    if t.log_of_softmax:
        model.append(LogOfSoftmax())
    if t.gradient_sign != 1.0:
        for p in model.parameters():
            p.register_hook(lambda g, s=t.gradient_sign: g * s)
    return model


def fit(t: Training, d: datasets.Data, seed: int, on_progress: OnProgress = None) -> training.History:
    """The run's net trained on `d` through nncore.training.train."""
    spec = training.TrainSpec(epochs=t.epochs, batch_size=t.batch_size, optimizer=t.optimizer, lr=t.lr, l2=t.l2,
                              shuffle=t.shuffle, eval_train=t.eval_train)
    return training.train(build(t, d, seed), d, spec, seed=seed, on_progress=on_progress)


def train(t: Training, seed: int, on_progress: OnProgress = None) -> Curves:
    """One run of the gallery, as per-epoch curves padded to its epochs."""
    d = load(t, seed)
    h = fit(t, d, seed, on_progress)
    train_loss, train_acc = (h.train_loss_eval, h.train_acc_eval) if t.eval_train else (h.train_loss, h.train_acc)
    n = t.epochs
    curves = [padded(v, n) for v in (train_loss, h.val_loss, train_acc, h.val_acc)]
    if h.diverged_at is not None:   # the epoch that blew up has no meaningful numbers
        for c in curves:
            c[h.diverged_at - 1:] = np.nan
    steps = len(training.batch_bounds(len(d.x_train), min(t.batch_size, len(d.x_train))))
    return Curves(t, np.arange(1, n + 1), *curves, h.loss_steps, steps, h.diverged_at, len(d.x_train), len(d.x_val))


def kfold(t: Training, seed: int, on_progress: OnProgress = None) -> tuple[Fold, ...]:
    """000's k-fold check: the run trained on each of FOLDS folds of its data (every digit validates once), its
    training set measured both in train mode and in eval mode."""
    t = dataclasses.replace(t, eval_train=True)
    out = []
    for i, part in enumerate(datasets.folds_of(load(t, seed), FOLDS, seed)):
        fold = _("fold {i} of {k}").format(i=i + 1, k=FOLDS)
        h = fit(t, part, seed + i, relay(on_progress, i * t.epochs, FOLDS * t.epochs, fold))
        out.append(Fold(*(float(np.mean(v[-TAIL:])) for v in (h.train_acc, h.train_acc_eval, h.val_acc))))
    return tuple(out)


KFOLD_CHECK = ("val_above_train",)   # the cards whose lecture asks for the k-fold check


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    """The pathology's faulty run and its fixed run, with the same seed (and the k-fold check if its card has one)."""
    validate(cfg)
    entry, start = PATHOLOGIES[cfg.pathology], time.perf_counter()
    folds = FOLDS * entry.fixed.epochs if cfg.pathology in KFOLD_CHECK else 0
    total = entry.faulty.epochs + entry.fixed.epochs + folds
    faulty = train(entry.faulty, cfg.seed, relay(on_progress, 0, total, _("faulty run")))
    fixed = train(entry.fixed, cfg.seed, relay(on_progress, entry.faulty.epochs, total, _("fixed run")))
    checked = kfold(entry.fixed, cfg.seed, relay(on_progress, total - folds, total, _("k-fold"))) if folds else ()
    return Result(cfg, faulty, fixed, CHANCE_LOSS, time.perf_counter() - start, checked)


def quiz_config(question: int) -> Config:
    """The quiz's question number as a run: the pathology cycles through the gallery, the seed is a fresh one
    (1 and up: the gallery's cards default to seed 0)."""
    keys = list(PATHOLOGIES)
    question = int(question)
    if not 0 <= question <= MAX_SEED:
        raise ValueError(_("A quiz question is a number between 0 and {most} (got {question}).").format(
            most=MAX_SEED, question=question))
    return Config(keys[question % len(keys)], 1 + question // len(keys))


def check_answer(cfg: Config, answer: str) -> bool:
    """True if the answer names the run's pathology; ValueError for an answer that is none of the options."""
    if answer not in PATHOLOGIES:
        raise ValueError(_("{answer} is not one of the diagnoses: choose one of {diagnoses}.").format(
            answer=repr(answer), diagnoses=", ".join(_(e.label) for e in PATHOLOGIES.values())))
    return answer == cfg.pathology


def _summary(c: Curves) -> str:
    last = int(np.flatnonzero(np.isfinite(c.train_loss))[-1]) if np.isfinite(c.train_loss).any() else None
    if last is None:
        return _("inf/NaN at epoch {epoch}, before any epoch finished").format(epoch=c.diverged_at)
    numbers = dict(first=number(c.train_loss[0], ".2f"), last=number(c.train_loss[last], ".2f"),
                   best=number(np.nanmin(c.val_loss), ".2f"), val=number(c.val_loss[last], ".2f"), epoch=last + 1,
                   train_acc=number(c.train_acc[last], ".0%"), val_acc=number(c.val_acc[last], ".0%"))
    if c.diverged_at is None:
        return _("training loss {first} → {last}, validation loss {best} at best and {val} at epoch {epoch}, accuracy "
                 "{train_acc} training and {val_acc} validation").format(**numbers)
    return _("training loss {first} → {last}, validation loss {best} at best and {val} at epoch {epoch}, accuracy "
             "{train_acc} training and {val_acc} validation; inf/NaN at epoch {diverged}").format(
        diverged=c.diverged_at, **numbers)


def notice_kfold(r: Result) -> str | None:
    """000's k-fold check in this run's numbers: validation minus training accuracy per fold, in each mode."""
    if not r.folds:
        return None
    k = len(r.folds)
    gap = {m: np.array([f.val - getattr(f, m) for f in r.folds]) for m in ("train_mode", "eval_mode")}
    above = {m: int((g > 0).sum()) for m, g in gap.items()}
    dropout = above["train_mode"] == k and gap["eval_mode"].mean() <= 0
    if dropout:
        text = _("k-fold check ({k} folds, each digit validating once; the mean of the last {tail} epochs): validation "
                 "accuracy is above the training accuracy measured in train mode (dropout on) in {above_train} of {k} "
                 "folds, by {points_train} points on average; the same training re-measured in eval mode: "
                 "{points_eval} points on average (validation above it in {above_eval} of {k}). So the gap persists "
                 "across every split in train mode and goes away in eval mode: it is dropout's measurement, not a "
                 "lucky split.")
    else:
        text = _("k-fold check ({k} folds, each digit validating once; the mean of the last {tail} epochs): validation "
                 "accuracy is above the training accuracy measured in train mode (dropout on) in {above_train} of {k} "
                 "folds, by {points_train} points on average; the same training re-measured in eval mode: "
                 "{points_eval} points on average (validation above it in {above_eval} of {k}). So the folds do not "
                 "tell one story: the gap is not only dropout's measurement here.")
    return text.format(k=k, tail=TAIL, above_train=above["train_mode"], above_eval=above["eval_mode"],
                       points_train=number(gap["train_mode"].mean() * 100, "+.0f"),
                       points_eval=number(gap["eval_mode"].mean() * 100, "+.0f"))


def notice(r: Result) -> str:
    """What the two runs did, in their own numbers."""
    return _("Faulty run (seed {seed}): {faulty}. Fixed run: {fixed}. Both ran {seconds} s together.").format(
        seed=r.config.seed, faulty=_summary(r.faulty), fixed=_summary(r.fixed), seconds=number(r.seconds, ".1f"))
