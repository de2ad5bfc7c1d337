"""Transfer learning without a download (001 "Transfer Learning"): an MLP pretrained on the 8x8 digits 0-4, then
taught the digits 5-9 from a few samples per class in three ways. The net is a feature extractor (its first
hidden layer, the stand-in for 001's "pre-trained conv layers"), a dense layer and an output layer; the last two are
new for the new digits (with `reused=2` only the output layer is):

- frozen features: the pretrained layers kept as they are, the new layers trained ("re-train one or more of the
  dense layers on your problem");
- fine-tuning all: the pretrained extractor as the start, every layer trained at a smaller learning rate ("you can
  also fine tune them");
- from scratch: the same net from a fresh initialization.

Pretraining shifts and rotates the digits (nncore.data.augment_batch), so the extractor learns strokes rather than
the exact pixels of 0-4. Measured over seeds 0-7 at 5 images per digit: fine-tuning beat scratch on each seed (by 4
points on average); fine-tuning at the full learning rate did not. With `reused=2` the frozen net scored 5.5-6.4
points below the frozen extractor alone on seeds 0-2: the second layer's units answer 0-4.

The pretraining is its own run, keyed only by its settings (`Pretraining`): the page caches it for the class, and
each process keeps the pretrained weights (`pretrained`), so moving the few-samples slider never pretrains again.
"""
from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass

import numpy as np
import torch

from nncore import architectures, data, models, training
from nncore.i18n import N_, _, number
from nncore.params import Preset, param, validate
from nncore.progress import OnProgress
from nncore.runs import padded, relay

SOURCE, TARGET = (0, 1, 2, 3, 4), (5, 6, 7, 8, 9)   # pretrain on the first five digits, transfer to the others
POOL = 100               # training pool per target class: the first POOL images of each; the rest validate
METHODS = ("frozen", "fine_tune", "scratch")
# each method's name by the pretrained layers it reuses (what is new on top of them): the Result keeps these English
# names, a chart or a notice shows them translated (_())
METHOD_LABELS = {1: {"frozen": N_("frozen features + new dense layers"), "fine_tune": N_("fine-tuning all layers"),
                     "scratch": N_("from scratch")},
                 2: {"frozen": N_("frozen features + new head"), "fine_tune": N_("fine-tuning all layers"),
                     "scratch": N_("from scratch")}}
PRE_VAL_FRACTION = 0.3


@dataclass(frozen=True)
class Pretraining:
    """The source model: two hidden ReLU layers trained on the digits 0-4 with Adam, full batch, augmented."""

    width: int = param(64, 8, 256, label=N_("Hidden units (two layers)"))
    epochs: int = param(100, 10, 500, label=N_("Pretraining epochs (digits 0-4)"))
    lr: float = param(0.01, 1e-4, 1.0, log=True, label=N_("Learning rate"))
    seed: int = param(0, 0, 2**31 - 1, label=N_("Seed"))


@dataclass(frozen=True)
class Config:
    """Pretraining on 0-4, then each method on `per_class` images of each digit 5-9 for `epochs` full-batch epochs."""

    per_class: int = param(5, 1, POOL, label=N_("Training images per digit (5-9)"),
                           help=N_("How many images of each new digit the three nets learn from (at most 100); the "
                                   "remaining images of 5-9 are the validation set, the same for every value."))
    epochs: int = param(100, 5, 500, label=N_("Epochs on the digits 5-9"))
    lr: float = param(0.01, 1e-4, 1.0, log=True, label=N_("Learning rate"),
                      help=N_("Of pretraining, of the frozen-features net's new layers and of the net from scratch."))
    fine_tune_lr: float = param(0.001, 1e-5, 1.0, log=True, label=N_("Fine-tuning learning rate"),
                                help=N_("Fine-tuning trains every layer at this rate: a smaller step keeps what the "
                                        "pretrained layer knows."))
    width: int = param(64, 8, 256, label=N_("Hidden units (two layers)"))
    reused: int = param(1, 1, 2, label=N_("Pretrained layers reused"),
                        help=N_("1: the feature extractor (the first hidden layer), with a new dense layer and output "
                                "layer on top; 2: both hidden layers, only the output layer (the head) new."))
    pretrain_epochs: int = param(100, 10, 500, label=N_("Pretraining epochs (digits 0-4)"))
    seed: int = param(0, 0, 2**31 - 1, label=N_("Seed"))


@dataclass(frozen=True, eq=False)
class Pretrained:
    """The pretrained model: its weights (numpy, in state_dict order) and how well it learned 0-4."""

    config: Pretraining
    state: tuple                  # ((name, array), ...): the MLP's state_dict
    val_acc: np.ndarray           # per epoch, on held-out images of 0-4
    final_val_acc: float
    n_train: int
    n_val: int


@dataclass(frozen=True, eq=False)
class Result:
    """The three methods on the digits 5-9 (METHODS order): per-epoch validation curves and final scores."""

    config: Config
    pretrained_val_acc: float     # the source model on held-out 0-4
    methods: tuple                # METHODS
    labels: tuple                 # their METHOD_LABELS, in English (shown as _(label))
    val_acc: np.ndarray           # (3, epochs) on the held-out images of 5-9
    val_loss: np.ndarray          # (3, epochs)
    train_acc: np.ndarray         # (3, epochs), in eval mode after each epoch
    final_val_acc: np.ndarray     # (3,)
    trainable: np.ndarray         # (3,) parameters each method trains
    n_train: int                  # images of 5-9 trained on
    n_val: int
    stopped_epoch: int            # the last epoch that ran (a stop request ends early)


PRESETS = {
    N_("001: few samples, freeze or fine-tune"): Preset(
        Config(per_class=5),
        N_("Five images per new digit: the pretrained layers already detect strokes; a net from scratch has 25 images "
           "to learn them from."), "001 'Transfer Learning'"),
    N_("Reuse both hidden layers"): Preset(
        Config(reused=2),
        N_("Both pretrained hidden layers kept, only the output layer new: the second layer's units learned to tell "
           "0-4 apart. Compare the frozen net with the first preset's."), "001 'Transfer Learning'"),
    N_("More data: does pretraining still help?"): Preset(
        Config(per_class=POOL),   # POOL = 100, as the note says
        N_("100 images per digit: with enough data the net from scratch catches up, and frozen features can fall "
           "behind fine-tuning."), "001 'Transfer Learning'"),
}


def pretraining(cfg: Config) -> Pretraining:
    """The pretraining settings of a transfer run: its cache key, shared by every few-samples setting."""
    return Pretraining(width=cfg.width, epochs=cfg.pretrain_epochs, lr=cfg.lr, seed=cfg.seed)


def _digits(seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """All 1,797 raw digits in an order drawn from the seed."""
    return data.DATASETS["digits"].make(data.DATASETS["digits"].max_samples, 0.0, torch.Generator().manual_seed(seed))


def _split(x: torch.Tensor, y: torch.Tensor, classes: tuple, pick) -> data.Data:
    """The images of `classes`, relabelled 0..4, split by `pick(labels) -> (train index, val index)`; standardized
    with the training images' pixel mean and std (003: statistics from the training set only)."""
    keep = torch.isin(y, torch.tensor(classes))
    x, y = x[keep], y[keep] - classes[0]
    train, val = pick(y)
    mean, std = x[train].mean().reshape(1), x[train].std().reshape(1)
    return data.Data("digits", (x[train] - mean) / std, y[train], (x[val] - mean) / std, y[val], "classification",
                     len(classes), mean, std, data.DATASETS["digits"].image_shape)


def source_data(seed: int) -> data.Data:
    """Digits 0-4: 70% to pretrain on, 30% held out."""
    x, y = _digits(seed)

    def pick(labels):
        n_val = round(len(labels) * PRE_VAL_FRACTION)
        return torch.arange(n_val, len(labels)), torch.arange(n_val)
    return _split(x, y, SOURCE, pick)


def target_data(seed: int, per_class: int, source: data.Data) -> data.Data:
    """Digits 5-9 (as 0..4): the first `per_class` of each digit's first POOL images to train on, every image after
    the pool to validate on (the same validation set for every `per_class`); in the source's pixel units, as the
    pretrained layers expect them."""
    x, y = _digits(seed)
    keep = torch.isin(y, torch.tensor(TARGET))
    x, y = x[keep], y[keep] - TARGET[0]
    rank = torch.empty_like(y)   # each image's place among the images of its digit
    for c in range(len(TARGET)):
        rank[y == c] = torch.arange(int((y == c).sum()))
    train, val = rank < per_class, rank >= POOL
    return data.Data("digits", source.standardize(x[train]), y[train], source.standardize(x[val]), y[val],
                     "classification", len(TARGET), source.mean, source.std, source.image_shape)


def _spec(width: int) -> models.MLPSpec:
    return models.MLPSpec(64, len(SOURCE), hidden=(width, width), activation="relu", init="kaiming_normal")


_memo: dict[Pretraining, Pretrained] = {}
_memo_lock = threading.Lock()
MEMO_SIZE = 8


def pretrain(p: Pretraining, on_progress: OnProgress = None) -> Pretrained:
    """Train the source model on the digits 0-4 (or take this process's copy of the same settings' run)."""
    validate(p)
    with _memo_lock:
        if p in _memo:
            return _memo[p]
    d = source_data(p.seed)
    model = models.build(_spec(p.width), generator=p.seed)
    h = training.train(model, d, training.TrainSpec(epochs=p.epochs, optimizer="adam", lr=p.lr, augment=True),
                       seed=p.seed, on_progress=on_progress)
    state = tuple((k, v.detach().numpy().copy()) for k, v in model.state_dict().items())
    result = Pretrained(p, state, h.val_acc, float(h.final_val_acc), len(d.y_train), len(d.y_val))
    if h.stop_reason != "stopped":
        with _memo_lock:
            _memo[p] = result
            while len(_memo) > MEMO_SIZE:
                _memo.pop(next(iter(_memo)))
    return result


def model_for(method: str, pre: Pretrained, seed: int, reused: int = 1) -> models.MLP:
    """The net a method trains, its new layers drawn from the seed: the first `reused` pretrained Linear layers
    below them, frozen for "frozen"; for "scratch" every layer new."""
    model = models.build(_spec(pre.config.width), generator=torch.Generator().manual_seed(seed + 1))
    if method != "scratch":
        state = dict(pre.state)
        for layer in model.linears[:reused]:
            name = next(k for k, m in model.named_children() if m is layer)
            with torch.no_grad():
                layer.weight.copy_(torch.tensor(state[f"{name}.weight"]))
                layer.bias.copy_(torch.tensor(state[f"{name}.bias"]))
            layer.requires_grad_(method != "frozen")
    return model


def labels(cfg: Config) -> tuple[str, ...]:
    """The methods' names for this config (what is new on top of the frozen layers), in English: _() shows them."""
    return tuple(METHOD_LABELS[cfg.reused][m] for m in METHODS)


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    """Pretrain (or reuse), then train each method on the few images of 5-9, validating after every epoch."""
    validate(cfg)
    total = cfg.pretrain_epochs + len(METHODS) * cfg.epochs
    pre = pretrain(pretraining(cfg), relay(on_progress, 0, total, _("Pretraining on 0-4")))
    d = target_data(cfg.seed, cfg.per_class, source_data(cfg.seed))
    histories, trainable = [], []
    for i, (method, label) in enumerate(zip(METHODS, labels(cfg))):
        lr = cfg.fine_tune_lr if method == "fine_tune" else cfg.lr
        spec = training.TrainSpec(epochs=cfg.epochs, optimizer="adam", lr=lr, eval_train=True)
        model = model_for(method, pre, cfg.seed, cfg.reused)
        frozen = model.linears[:cfg.reused] if method == "frozen" else []
        trainable.append(architectures.parameter_count(model) - sum(map(architectures.parameter_count, frozen)))
        histories.append(training.train(model, d, spec, seed=cfg.seed, on_progress=relay(
            on_progress, cfg.pretrain_epochs + i * cfg.epochs, total, _(label))))
        if histories[-1].stop_reason == "stopped":
            break
    return _result(cfg, pre, histories, trainable, d)


def _result(cfg: Config, pre: Pretrained, histories: list, trainable: list, d: data.Data) -> Result:
    stack = lambda key: np.stack([padded(getattr(h, key), cfg.epochs) for h in histories]
                                 + [np.full(cfg.epochs, np.nan)] * (len(METHODS) - len(histories)))
    final = [h.final_val_acc for h in histories] + [np.nan] * (len(METHODS) - len(histories))
    return Result(cfg, pre.final_val_acc, METHODS, labels(cfg), stack("val_acc"), stack("val_loss"),
                  stack("train_acc_eval"), np.asarray(final, dtype=float), np.asarray(trainable + [0] * (len(METHODS) - len(trainable))),
                  len(d.y_train), len(d.y_val), min(h.stopped_epoch for h in histories))


def _points(diff: float) -> str:
    return number(abs(diff) * 100, ".1f")


def _scores(r: Result) -> str:
    """Each method's final validation accuracy, kept apart where numbers take a decimal comma ("a 90,1%; b 85,0%")."""
    apart = "; " if number(0.5, "g") != "0.5" else ", "
    return apart.join(f"{_(label)} {number(a, '.1%')}" for label, a in zip(r.labels, r.final_val_acc))


def notice_transfer(r: Result) -> str:
    """What this run shows: the three methods' final validation accuracy, and whether pretraining paid off."""
    cfg, acc = r.config, dict(zip(r.methods, r.final_val_acc))
    if np.isnan(r.final_val_acc).any():
        return _("The run was stopped at epoch {epoch}, before every method had trained: run it again.").format(
            epoch=r.stopped_epoch)
    gain = acc["fine_tune"] - acc["scratch"]
    if gain > 0:
        verdict = _("Starting from the 0-4 model beat starting from scratch by {points} points: what its layers "
                    "learned on the first five digits carries over to the other five.")
    elif gain < 0:
        verdict = _("The net from scratch did as well or better ({points} points ahead): with {per_class} images per "
                    "digit and these settings, the pretrained start bought nothing.")
    else:
        verdict = _("The net from scratch did as well or better ({points} points apart): with {per_class} images per "
                    "digit and these settings, the pretrained start bought nothing.")
    return " ".join((
        _("After {epochs} epochs on {n_train} images of 5-9 ({per_class} per digit), on the {n_val} held-out images: "
          "{scores}.").format(epochs=cfg.epochs, n_train=r.n_train, per_class=cfg.per_class,
                              n_val=number(r.n_val, ","), scores=_scores(r)),
        verdict.format(points=_points(gain), per_class=cfg.per_class),
        _("The frozen net trains {frozen} of the {total} parameters; the pretrained model scored {source} on held-out "
          "0-4.").format(frozen=number(r.trainable[0], ","), total=number(r.trainable[2], ","),
                         source=number(r.pretrained_val_acc, ".1%"))))


def notice_pretraining(pre: Pretrained) -> str:
    """How well the source model learned its own task."""
    return _("Pretrained for {epochs} epochs on {n_train} images of the digits 0-4 (shifted and rotated anew each "
             "epoch): {acc} on {n_val} held-out ones.").format(epochs=pre.config.epochs, n_train=pre.n_train,
                                                               acc=number(pre.final_val_acc, ".1%"), n_val=pre.n_val)
