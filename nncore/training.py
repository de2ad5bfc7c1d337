"""The one training loop of the lab: every lesson that trains a model goes through `train`.

```python
data = nncore.data.load("moons", n_samples=1000, noise=0.3, seed=0)
model = nncore.models.build(MLPSpec(data.n_features, data.n_outputs, hidden=(64, 64)), generator=0)
history = train(model, data, TrainSpec(epochs=300, optimizer="adam", lr=0.01, l2=1e-4, patience=20), seed=0)
history.val_loss[history.best_epoch - 1]      # epochs are counted from 1; arrays are indexed from 0
```

What it does per epoch: minibatches by slicing a seeded permutation of the training tensors (no DataLoader: it
adds 0.6-1.1 s per run here, DESIGN.md 8), optional augmentation, the data loss plus L1 / L2 / elastic-net
penalties on the weight matrices, the optimizer step (decoupled weight decay, AdamW-style, as a separate knob),
the scheduler, then validation in eval mode, early stopping, the caller's `on_epoch` hook and `on_progress`.
Blow-ups are results: a non-finite loss stops the run and sets `History.diverged_at`.
"""
from __future__ import annotations

import math
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np
import torch
from torch import nn
from torch.optim.lr_scheduler import ReduceLROnPlateau

from nncore.i18n import N_, _
from nncore._private import foreach_copy_, foreach_scale_, foreach_sign
from nncore.data import Data, augment_batch
from nncore.losses import LOSSES, check_target
from nncore.optimizers import OPTIMIZERS
from nncore.progress import OnProgress, report


# The optimizers (torch.optim classes with the lectures' default hyperparameters) come from the shared registry.
# Weight decay is decoupled (Loshchilov & Hutter's AdamW): torch's own where the optimizer takes
# decoupled_weight_decay (Adam, NAdam, RAdam; AdamW is Adam with it on), by hand for the others (_Run.step).
TORCH_DECOUPLED = (torch.optim.Adam, torch.optim.NAdam, torch.optim.RAdam)
# Optimizers whose multi-tensor (foreach) step gives torch's default single-tensor step's numbers bit for bit on CPU
# (tests/nncore/test_training.py, against that step; NAdam and RAdam differ in the last bits). It buys little for the
# lessons' small nets: 0-10% (bench/speedups.py: /dropout's run A 1.00x, the 64 x 64 default 1.09x).
FOREACH_SAME = (torch.optim.SGD, torch.optim.Adagrad, torch.optim.RMSprop, torch.optim.Adam, torch.optim.AdamW,
                torch.optim.Adadelta, torch.optim.Adamax)


STOP_REASONS = {
    "completed": N_("ran every epoch"),
    "early_stopping": N_("early stopping: the validation loss stopped improving"),
    "diverged": N_("the loss became inf or NaN"),
    "loss_exceeded": N_("the training loss exceeded stop_loss_factor x the first epoch's (003's babysitting rule)"),
    "stopped": N_("stopped on request"),
}


@dataclass(frozen=True)
class TrainSpec:
    """How to train. Epoch numbers (patience, best_epoch, ...) count from 1."""

    epochs: int = 100
    batch_size: int | None = None     # None: full batch (the whole training set per step)
    optimizer: str = "adam"           # a key of OPTIMIZERS
    lr: float = 0.01
    loss: str = "auto"                # a key of nncore.losses.LOSSES; auto: ce (classification), mse (regression)
    l1: float = 0.0                   # + l1 * sum|w| over the weight matrices (not biases, not norm scales)
    l2: float = 0.0                   # + l2 * sum w^2, gradient 2 * l2 * w (both: elastic net)
    l1_clip: bool = True              # with l1: a weight the step moves across zero stops at exactly 0 (see below)
    weight_decay: float = 0.0         # decoupled: w <- w - lr * weight_decay * w at each step, outside the loss (AdamW)
    patience: int | None = None       # early stopping: epochs without a val-loss improvement of > min_delta
    min_delta: float = 0.0
    restore_best_weights: bool = True  # with patience: end with the best epoch's weights (Keras' option)
    augment: bool = False             # jitter inputs (tabular) or shift and rotate images (digits), per batch
    jitter: float = 0.1               # std of the Gaussian input noise, in standardized units
    max_shift: int = 1                # images: shift by up to this many pixels
    max_rotation: float = 15.0        # images: rotate by up to this many degrees
    stop_loss_factor: float | None = None  # stop when the training loss exceeds this x the first epoch's (003: 3)
    eval_train: bool = False          # also measure the training set in eval mode each epoch (one more forward)
    shuffle: bool = True              # a fresh batch order each epoch; False: the stored order (a loss-curve fault)

    def check(self) -> None:
        """Raise ValueError with a readable sentence for an impossible spec."""
        if self.epochs < 1:
            raise ValueError(_("Train for at least one epoch (got {epochs}).").format(epochs=self.epochs))
        if self.batch_size is not None and self.batch_size < 1:
            raise ValueError(_("The batch size must be at least 1 (got {size}).").format(size=self.batch_size))
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(_("Unknown optimizer {name}; choose one of: {choices}.").format(
                name=repr(self.optimizer), choices=", ".join(OPTIMIZERS)))
        if self.loss != "auto" and self.loss not in LOSSES:
            raise ValueError(_("Unknown loss {name}; choose one of: {choices}.").format(name=repr(self.loss),
                                                                                choices=", ".join(LOSSES)))
        if not (math.isfinite(self.lr) and self.lr > 0):
            raise ValueError(_("The learning rate must be a positive number (got {lr}).").format(lr=repr(self.lr)))
        for name in ("l1", "l2", "weight_decay", "min_delta", "jitter", "max_rotation"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(_("{name} must be 0 or more (got {value}).").format(name=name.replace("_", " "),
                                                                                     value=repr(value)))
        if self.patience is not None and self.patience < 1:
            raise ValueError(_("Patience must be at least 1 epoch (got {patience}).").format(patience=self.patience))


@dataclass(frozen=True, eq=False)
class History:
    """Per-epoch numpy arrays (index 0 = epoch 1) and how the run ended.

    train_loss / train_acc are Keras' numbers: the mean over the epoch's batches in train mode (dropout on, the
    weights still moving), data loss only. train_loss_eval / train_acc_eval (with `eval_train`) measure the whole
    training set in eval mode after the epoch, like val_loss / val_acc. Accuracies are None for regression.
    """

    epoch: np.ndarray
    train_loss: np.ndarray
    val_loss: np.ndarray
    train_acc: np.ndarray | None
    val_acc: np.ndarray | None
    train_loss_eval: np.ndarray | None
    train_acc_eval: np.ndarray | None
    penalty: np.ndarray               # the L1/L2 term added to the loss, after the epoch
    lr: np.ndarray                    # learning rate used during each epoch (first param group, at its first step)
    lr_steps: np.ndarray              # learning rate of every optimizer step
    batch_size: np.ndarray            # batch size of each epoch
    epoch_time: np.ndarray            # seconds: training and validation, without the on_epoch hook
    extra: Mapping[str, np.ndarray]   # whatever on_epoch returned, per epoch
    best_epoch: int | None            # epoch of the lowest validation loss (None if none was finite)
    best_val_loss: float
    stopped_epoch: int                # the last epoch that ran
    stop_reason: str                  # a key of STOP_REASONS
    diverged_at: int | None           # first epoch with an inf/NaN loss
    restored_best: bool               # the model now holds the weights of best_epoch
    final_val_loss: float             # the returned model, measured after training (and restoring)
    final_val_acc: float | None
    final_train_loss: float
    final_train_acc: float | None
    loss_steps: np.ndarray | None = None  # data loss of every optimizer step's batch (the LR range test reads it)

    @property
    def stop_message(self) -> str:
        """Why the run stopped, in English: the catalog's message, to translate with `_()` where it is shown (a
        cached Result that kept a translated sentence would serve one language to every student)."""
        return STOP_REASONS[self.stop_reason]


class _Log:
    """Per-epoch lists that become the History's arrays."""

    KEYS = ("train_loss", "val_loss", "train_acc", "val_acc", "train_loss_eval", "train_acc_eval", "penalty", "lr",
            "batch_size", "epoch_time")

    def __init__(self):
        self.cols: dict[str, list] = {k: [] for k in self.KEYS}
        self.extra: dict[str, list] = {}
        self.lr_steps: list[float] = []
        self.loss_steps: list[float] = []

    def add(self, **values) -> None:
        for k, v in values.items():
            self.cols[k].append(v)

    def add_extra(self, epoch: int, values: Mapping[str, float] | None) -> None:
        for k, v in (values or {}).items():
            self.extra.setdefault(k, [math.nan] * (epoch - 1)).append(float(v))

    def array(self, key: str, classification: bool = True) -> np.ndarray | None:
        values = self.cols[key]
        if not classification or not values or values[0] is None:
            return None
        return np.asarray(values, dtype=float)


def penalty(weights: list[torch.Tensor], l1: float, l2: float) -> torch.Tensor:
    """l1 * sum|w| + l2 * sum w^2 over the weight matrices (elastic net when both are set)."""
    total = torch.zeros(())
    if l1:
        total = total + l1 * sum(w.abs().sum() for w in weights)
    if l2:
        total = total + l2 * sum(w.pow(2).sum() for w in weights)
    return total


def _clip_at_zero(weights: list[torch.Tensor], signs: list[torch.Tensor]) -> None:
    """L1 "clipping at zero" (Tsuruoka, Tsujii & Ananiadou 2009): a step that would carry a nonzero weight across 0
    leaves it at exactly 0. A plain subgradient step on |w| makes small weights jitter around 0 at the scale of the
    learning rate and never reach it; with the clip, L1 produces the exact zeros the lectures promise."""
    with torch.no_grad():
        for w, s in zip(weights, signs):
            w.mul_((s == 0) | (w.sign() == s))


def batch_bounds(n: int, batch_size: int) -> list[tuple[int, int]]:
    """(start, stop) of each minibatch; a last batch of one sample joins the one before (batch norm needs two)."""
    bounds = [(i, min(i + batch_size, n)) for i in range(0, n, batch_size)]
    if len(bounds) > 1 and bounds[-1][1] - bounds[-1][0] == 1:
        bounds[-2:] = [(bounds[-2][0], n)]
    return bounds


def _weights(model: nn.Module) -> list[torch.Tensor]:
    return model.weights() if hasattr(model, "weights") else [p for p in model.parameters() if p.dim() > 1]


def _optimizer(model: nn.Module, spec: TrainSpec) -> torch.optim.Optimizer:
    """The optimizer over the model's parameters; torch's decoupled weight decay, where it has one, on the weights
    only (biases and norm scales in a second group without decay)."""
    entry = OPTIMIZERS[spec.optimizer]
    weight_ids = {id(w) for w in _weights(model)}
    weights = [p for p in model.parameters() if id(p) in weight_ids]
    others = [p for p in model.parameters() if id(p) not in weight_ids]
    if _torch_decays(spec):
        groups = [{"params": weights, "weight_decay": spec.weight_decay, "decoupled_weight_decay": True}]
        groups += [{"params": others, "weight_decay": 0.0}] if others else []
    else:  # one group: each extra group costs one more pass of per-call overhead per step
        groups = [{"params": weights + others, "weight_decay": 0.0}]
    opt = entry.make(groups, lr=spec.lr)   # each group sets its weight_decay (AdamW's registry default is 0.01)
    if entry.cls in FOREACH_SAME:   # one foreach call per step instead of a Python loop over the parameters
        for group in opt.param_groups:
            group["foreach"] = True
    return opt


def _torch_decays(spec: TrainSpec) -> bool:
    """True if torch's optimizer applies the spec's weight decay itself, decoupled (decoupled_weight_decay)."""
    return bool(spec.weight_decay) and issubclass(OPTIMIZERS[spec.optimizer].cls, TORCH_DECOUPLED)


def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, loss_fn,
             classification: bool) -> tuple[float, float | None]:
    """(loss, accuracy or None) of the model on (x, y), without gradients; call it with the model in eval mode."""
    with torch.no_grad():
        out = model(x)
        loss = loss_fn(out, y).item()
        acc = (out.argmax(1) == y).sum().item() / len(y) if classification else None
    return loss, acc


BATCH_NORMS = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)


def _check_batch_norm(model: nn.Module, batch_size: int, n: int, epoch: int) -> None:
    if batch_size == 1 and any(isinstance(m, BATCH_NORMS) for m in model.modules()):
        raise ValueError(_("Batch norm needs at least 2 samples per batch (epoch {epoch} asks for a batch of 1): "
                           "the mean and variance of a single sample say nothing. Use a larger batch or layer norm.")
                         .format(epoch=epoch))


SMALL_STEP = 3e7   # multiply-adds of one forward pass below which one intra-op thread is faster (see single_thread)
_threads_lock = threading.Lock()
_small_runs = 0
_saved_threads = 0


@contextmanager
def single_thread(small: bool = True):
    """Small models train on one torch thread while any such run is active in this process.

    Measured here (bench/regularization.py): small-model training is per-call overhead, 2 threads gain nothing when
    the machine is idle, and while other processes load the 2 cores, 2 threads ran the same run 4-7x slower than
    1 (spin-waiting workers). torch.set_num_threads is process-wide, so a counter restores the setting only when
    the last small run ends; concurrent large work meanwhile runs on one thread."""
    global _small_runs, _saved_threads
    if not small:
        yield
        return
    with _threads_lock:
        if _small_runs == 0:
            _saved_threads = torch.get_num_threads()
            torch.set_num_threads(1)
        _small_runs += 1
    try:
        yield
    finally:
        with _threads_lock:
            _small_runs -= 1
            if _small_runs == 0:
                torch.set_num_threads(_saved_threads)


def _forward_macs(model: nn.Module, rows: int) -> float:
    return float(rows * sum(w.numel() for w in _weights(model)))


def train(model: nn.Module, data: Data, spec: TrainSpec, *, seed: int = 0, on_progress: OnProgress = None,
          scheduler: Callable[[torch.optim.Optimizer], object] | None = None, scheduler_step: str = "epoch",
          batch_size_at: Callable[[int], int] | None = None,
          on_epoch: Callable[[int, nn.Module, Data], Mapping[str, float] | None] | None = None) -> History:
    """Train `model` in place on `data` and return its History.

    - `seed`: the batch order, the augmentation and the dropout masks (models from nncore.models) draw from it.
    - `on_progress`: gets a Progress per epoch (partial: the History so far, at most ~10 a second); returning
      False stops the run, which returns what it has.
    - `scheduler`: optimizer -> torch.optim.lr_scheduler object, stepped per "epoch" or per "batch"
      (`scheduler_step`); a ReduceLROnPlateau is stepped once per epoch with the validation loss.
    - `batch_size_at(epoch)`: the batch size of each epoch (001 "increase the batch size instead of decaying
      the learning rate"); overrides spec.batch_size. Batches larger than the training set are the full set.
    - `on_epoch(epoch, model, data)`: called after each epoch's validation, the model in eval mode and no
      gradients; the floats it returns are recorded in History.extra (e.g. the dead-unit fraction).
    Raises ValueError for an impossible spec (including batch norm with batches of one sample).
    """
    spec.check()
    rows = min(spec.batch_size or len(data.x_train), len(data.x_train))
    with single_thread(_forward_macs(model, rows) < SMALL_STEP):
        return _train(model, data, spec, seed, on_progress, scheduler, scheduler_step, batch_size_at, on_epoch)


def _train(model, data, spec, seed, on_progress, scheduler, scheduler_step, batch_size_at, on_epoch) -> History:
    """The loop of `train`: each epoch is a pass of optimizer steps, a validation, then the stopping rules."""
    run = _Run(model, data, spec, seed, scheduler, scheduler_step)
    log, stopping, progress = _Log(), _EarlyStopping(model, spec), _Progress(on_progress, spec.epochs)
    reason, epoch = None, 0
    for epoch in range(1, spec.epochs + 1):
        start = time.perf_counter()
        trained = run.train_epoch(run.batch_size(epoch, batch_size_at), log)
        log.add(**trained, **run.validate(), epoch_time=time.perf_counter() - start)
        if on_epoch is not None:
            with torch.no_grad():
                log.add_extra(epoch, on_epoch(epoch, model, data))
        reason = _stop_reason(spec, log, stopping, epoch)
        if reason is not None:
            break
        run.schedule_epoch(log.cols["val_loss"][-1])
        if not progress(epoch, lambda: _history(log, run.classification, stopping, epoch, "completed", False)):
            reason = "stopped"
            break
    restored, final = run.finish(stopping, epoch)
    return _history(log, run.classification, stopping, epoch, reason or "completed", restored, final)


class _Run:
    """What every step of one run uses: the model and its data, the loss, optimizer, scheduler and generator."""

    def __init__(self, model: nn.Module, data: Data, spec: TrainSpec, seed: int, scheduler, scheduler_step: str):
        if scheduler_step not in ("epoch", "batch"):
            raise ValueError(f"scheduler_step is 'epoch' or 'batch' (got {scheduler_step!r}).")
        self.model, self.data, self.spec = model, data, spec
        self.classification = data.kind == "classification"
        loss = spec.loss if spec.loss != "auto" else ("ce" if self.classification else "mse")
        check_target(loss, data.y_train)    # torch takes a loss of the wrong kind without a word (000's pitfalls)
        self.loss_fn = LOSSES[loss].fn
        self.gen = torch.Generator().manual_seed(seed)
        if hasattr(model, "set_generator"):
            model.set_generator(self.gen)
        self.weights = _weights(model)
        self.opt = _optimizer(model, spec)
        self.decay_by_hand = bool(spec.weight_decay) and not _torch_decays(spec)
        self.sched = scheduler(self.opt) if scheduler is not None else None
        self.plateau = isinstance(self.sched, ReduceLROnPlateau)      # stepped with the validation loss
        self.sched_per_batch = self.sched is not None and scheduler_step == "batch" and not self.plateau
        self.sched_per_epoch = self.sched is not None and scheduler_step == "epoch"
        self.penalized = bool(spec.l1 or spec.l2)
        self.clip = bool(spec.l1) and spec.l1_clip

    def batch_size(self, epoch: int, batch_size_at: Callable[[int], int] | None) -> int:
        """This epoch's batch size: the schedule's, else the spec's, at most the training set."""
        n = len(self.data.x_train)
        size = min(int(batch_size_at(epoch)) if batch_size_at else (self.spec.batch_size or n), n)
        _check_batch_norm(self.model, size, n, epoch)
        return size

    def train_epoch(self, batch_size: int, log: _Log) -> dict[str, float | None]:
        """One pass over the training set in minibatches of a fresh permutation: an optimizer step on each.

        Returns Keras' train loss and accuracy (means over the batches, in train mode) and the epoch's learning rate."""
        spec, (x, y), n = self.spec, (self.data.x_train, self.data.y_train), len(self.data.x_train)
        self.model.train()
        order = torch.randperm(n, generator=self.gen) if batch_size < n and spec.shuffle else None
        lr, loss_sum, correct = self.opt.param_groups[0]["lr"], 0.0, 0
        for lo, hi in batch_bounds(n, batch_size):
            xb, yb = (x[lo:hi], y[lo:hi]) if order is None else (x[order[lo:hi]], y[order[lo:hi]])
            if spec.augment:
                xb = augment_batch(xb, self.gen, self.data.image_shape, spec.jitter, spec.max_shift, spec.max_rotation)
            out, loss = self.step(xb, yb, log)
            loss_sum += loss * (hi - lo)
            if self.classification:
                correct += (out.argmax(1) == yb).sum().item()
        return {"train_loss": loss_sum / n, "train_acc": correct / n if self.classification else None, "lr": lr,
                "batch_size": batch_size}

    def step(self, xb: torch.Tensor, yb: torch.Tensor, log: _Log) -> tuple[torch.Tensor, float]:
        """One optimizer step on a minibatch: forward, loss (+ penalty), backward, update; (output, data loss)."""
        weights, spec = self.weights, self.spec
        out = self.model(xb)
        data_loss = self.loss_fn(out, yb)
        loss = data_loss + penalty(weights, spec.l1, spec.l2) if self.penalized else data_loss
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        signs = foreach_sign(weights) if self.clip else None
        lr = self.opt.param_groups[0]["lr"]
        if self.decay_by_hand:   # torch lacks it: before the step, as its AdamW; with plain SGD L2 at λ = decay/2
            with torch.no_grad():
                foreach_scale_(weights, 1.0 - lr * spec.weight_decay)
        self.opt.step()
        if signs is not None:
            _clip_at_zero(weights, signs)
        if self.sched_per_batch:
            self.sched.step()
        log.lr_steps.append(lr)
        log.loss_steps.append(data_loss.item())
        return out, log.loss_steps[-1]

    def validate(self) -> dict[str, float | None]:
        """In eval mode: the validation loss and accuracy, the training set's (with eval_train), the penalty term."""
        spec, classification = self.spec, self.classification
        self.model.eval()
        val_loss, val_acc = evaluate(self.model, self.data.x_val, self.data.y_val, self.loss_fn, classification)
        train_loss, train_acc = (evaluate(self.model, self.data.x_train, self.data.y_train, self.loss_fn,
                                          classification) if spec.eval_train else (None, None))
        with torch.no_grad():
            pen = float(penalty(self.weights, spec.l1, spec.l2)) if self.penalized else 0.0
        return {"val_loss": val_loss, "val_acc": val_acc, "train_loss_eval": train_loss, "train_acc_eval": train_acc,
                "penalty": pen}

    def schedule_epoch(self, val_loss: float) -> None:
        """The scheduler's step at the end of an epoch (ReduceLROnPlateau's with the validation loss)."""
        if self.plateau:
            self.sched.step(val_loss)
        elif self.sched_per_epoch:
            self.sched.step()

    def finish(self, stopping: _EarlyStopping, epoch: int) -> tuple[bool, tuple]:
        """Restore the best weights if asked; (whether the model holds them, its final val and train metrics)."""
        restored = stopping.restore(epoch)
        self.model.eval()
        final = (*evaluate(self.model, self.data.x_val, self.data.y_val, self.loss_fn, self.classification),
                 *evaluate(self.model, self.data.x_train, self.data.y_train, self.loss_fn, self.classification))
        if hasattr(self.model, "set_generator"):
            self.model.set_generator(None)
        return restored, final


class _EarlyStopping:
    """Keras' EarlyStopping on the validation loss (004): the best epoch so far, the epochs since, its weights."""

    def __init__(self, model: nn.Module, spec: TrainSpec):
        self.patience, self.min_delta = spec.patience, spec.min_delta
        self.restore_best_weights = spec.patience is not None and spec.restore_best_weights
        self.state = list(model.state_dict().values())       # live views: the optimizer updates them in place
        self.best_state = [t.detach().clone() for t in self.state] if self.restore_best_weights else []
        self.best_loss, self.best_epoch, self.wait = math.inf, None, 0

    def update(self, epoch: int, val_loss: float) -> None:
        """A validation loss below the best by more than min_delta is the new best (its weights kept)."""
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.wait = val_loss, epoch, 0
            if self.restore_best_weights:
                foreach_copy_(self.best_state, self.state)
        else:
            self.wait += 1

    @property
    def out_of_patience(self) -> bool:
        return self.patience is not None and self.wait >= self.patience

    def restore(self, epoch: int) -> bool:
        """End on the best epoch's weights (with restore_best_weights); True if the model holds them."""
        if self.restore_best_weights and self.best_epoch not in (None, epoch):
            foreach_copy_(self.state, self.best_state)
            return True
        return self.patience is not None and self.best_epoch == epoch


def _stop_reason(spec: TrainSpec, log: _Log, stopping: _EarlyStopping, epoch: int) -> str | None:
    """Why training stops after this epoch (a key of STOP_REASONS), or None to go on."""
    train_loss, val_loss = log.cols["train_loss"][-1], log.cols["val_loss"][-1]
    if not (math.isfinite(train_loss) and math.isfinite(val_loss)):
        return "diverged"   # a blow-up is a result, before it can count as the best epoch
    stopping.update(epoch, val_loss)
    if spec.stop_loss_factor is not None and train_loss > spec.stop_loss_factor * log.cols["train_loss"][0]:
        return "loss_exceeded"   # 003's babysitting rule
    return "early_stopping" if stopping.out_of_patience else None


class _Progress:
    """Calls on_progress after each epoch, with the History so far at most ~10 times a second and at the end."""

    def __init__(self, on_progress: OnProgress, epochs: int):
        self.on_progress, self.epochs, self.last = on_progress, epochs, 0.0

    def __call__(self, epoch: int, partial: Callable[[], History]) -> bool:
        """False if the listener asks to stop."""
        history = None
        if self.on_progress is not None and (time.perf_counter() - self.last > 0.1 or epoch == self.epochs):
            history, self.last = partial(), time.perf_counter()
        return report(self.on_progress, epoch, self.epochs, _("epoch {epoch} of {epochs}").format(epoch=epoch, epochs=self.epochs), history)


def _history(log: _Log, classification: bool, stopping: _EarlyStopping, epoch: int, reason: str, restored: bool,
             final: tuple = (math.nan, None, math.nan, None)) -> History:
    n = len(log.cols["train_loss"])
    extra = {k: np.asarray(v + [math.nan] * (n - len(v)), dtype=float) for k, v in log.extra.items()}
    return History(np.arange(1, n + 1), log.array("train_loss"), log.array("val_loss"),
                   log.array("train_acc", classification), log.array("val_acc", classification),
                   log.array("train_loss_eval"), log.array("train_acc_eval", classification), log.array("penalty"),
                   log.array("lr"), np.asarray(log.lr_steps, dtype=float),
                   np.asarray(log.cols["batch_size"], dtype=int), log.array("epoch_time"), extra,
                   stopping.best_epoch, float(stopping.best_loss), epoch, reason,
                   epoch if reason == "diverged" else None, bool(restored), float(final[0]), final[1],
                   float(final[2]), final[3], np.asarray(log.loss_steps, dtype=float))
