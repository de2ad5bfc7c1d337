"""Sanity checks before training (002 & 003 "Babysitting the Learning Process", 001 "A couple of practical tips"):
the initial loss against ln C, with and without L2; overfitting a tiny subset with plain SGD (and a bug that makes
it fail); the update/weight ratio ||ΔW|| / ||W|| per layer against 001's 1e-3..1e-2 band, at three learning rates.

Every run goes through nncore.training.train: the ratios and gradient norms are read by its on_epoch hook after
each full-batch step (one step per epoch, so a row of `update_ratio` is one update).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from nncore import data as datasets
from nncore import models, training
from nncore.i18n import N_, _, number
from nncore.params import Preset, param, validate
from nncore.progress import OnProgress
from nncore.runs import padded, relay

CLASSIFIERS = {k: v for k, v in datasets.DATASETS.items() if v.kind == "classification"}
BUGS = {"none": "No bug", "shuffled_labels": "Labels shuffled every epoch, apart from their inputs"}
BAND = (1e-3, 1e-2)          # 001: "update scales ~0.001 - 0.01 of weights"; 003: "~0.01"
RATE_FACTOR = 30.0           # the too-low and too-high rates: lr / 30 and lr x 30
CHECKED_CLASSES = (2, 3, 10)  # the initial-loss table: one row per number of classes (at most the data set's)
TINY_BATCH = 4               # 001 overfits its 32 images with batch_size=4
VAL_FRACTION = 0.3
OUTPUT_SCALE = 0.01          # the output layer's weights x 0.01 (cs231n's 0.01·randn): logits near 0, loss near ln C
MAX_TINY_WORK = 20_000       # tiny samples x epochs: at batches of 4, about 5,000 steps


@dataclass(frozen=True)
class Config:
    """A one-hidden-layer ReLU classifier on the digits, and the settings of the three checks."""

    dataset: str = param("digits", choices=CLASSIFIERS, label=N_("Data set"),
                         help=N_("The 8x8 digits (1,797 images) as in 001; the 2D sets for comparison."))
    classes: int = param(10, 2, 10, label=N_("Classes C"),
                         help=N_("Keep the images of the first C classes (digits 0..C-1): the initial loss should be "
                                 "ln C."))
    hidden: int = param(64, 4, 512, label=N_("Hidden units"),
                        help=N_("Width of the one hidden ReLU layer."))
    reg: float = param(1e-3, 1e-6, 1.0, log=True, label=N_("L2 λ for the check"),
                       help=N_("The initial loss with λ·Σw² added: it must be higher (002, 003)."))
    tiny_samples: int = param(20, 2, 500, label=N_("Tiny subset"),
                              help=N_("Samples to overfit: 20 in 002 and 003, 32 in 001."))
    epochs: int = param(60, 1, 300, label=N_("Epochs"),
                        help=N_("For the tiny overfit and for the monitored run."))
    lr: float = param(0.1, 1e-5, 10.0, log=True, label=N_("Learning rate (SGD)"),
                      help=N_("Plain SGD, no momentum. The monitored run also uses lr/30 and lr×30."))
    seed: int = param(0, 0, 10_000, label=N_("Seed"))
    bug: str = param("none", choices=BUGS, label=N_("Injected bug"),
                     help=N_("A bug in the training loop that the tiny-overfit check must catch."))


@dataclass(frozen=True)
class Result:
    """The three checks. Epoch arrays are NaN after a run stopped; layer columns are the Linear layers in order."""

    config: Config
    classes_checked: tuple[int, ...]     # C of each row of the initial-loss table
    initial_losses: np.ndarray           # (len(classes_checked),) measured at initialization, no regularization
    initial_loss: float                  # at cfg.classes
    expected_initial_loss: float         # ln C = -ln(1/C)
    initial_loss_with_reg: float         # + reg·Σw² over the weight matrices
    tiny_train_acc: np.ndarray           # (epochs,) on the tiny subset, eval mode after each epoch
    tiny_train_loss: np.ndarray          # (epochs,)
    tiny_val_acc: np.ndarray             # (epochs,) the rest of the data: memorizing is not learning
    tiny_solved_at: int | None           # first epoch with 100% training accuracy
    layers: tuple[str, ...]              # "hidden (64×64)", "output (10×64)"
    lrs: tuple[float, float, float]      # too low, cfg.lr, too high
    update_ratio: np.ndarray             # (epochs, layers) ||ΔW|| / ||W|| at cfg.lr, one full-batch step per epoch
    update_ratio_low: np.ndarray         # (epochs, layers) at lr / RATE_FACTOR
    update_ratio_high: np.ndarray        # (epochs, layers) at lr x RATE_FACTOR
    grad_norm: np.ndarray                # (3, epochs, layers) ||∇W|| of each step, per rate
    act_std: np.ndarray                  # (3, epochs) std of the hidden layer's outputs on the training set
    dead_fraction: np.ndarray            # (3, epochs) hidden units that output 0 for every training sample
    train_loss: np.ndarray               # (3, epochs) the monitored runs' training loss
    val_acc: np.ndarray                  # (3, epochs)
    diverged_at: tuple                   # per rate: the epoch its loss became inf/NaN, or None
    band: tuple[float, float] = BAND


def check(cfg: Config, full: datasets.Data | None = None) -> None:
    """Raise ValueError with a sentence for a config outside its ranges or larger than its data."""
    validate(cfg)
    entry = CLASSIFIERS[cfg.dataset]
    if cfg.classes > entry.n_classes:
        raise ValueError(_("{data} has {n} classes: C must be between 2 and {n} (got {classes}).").format(
            data=entry.label, n=entry.n_classes, classes=cfg.classes))
    n_train = int((load_full(cfg) if full is None else full).y_train.lt(cfg.classes).sum())
    if cfg.tiny_samples > n_train:
        raise ValueError(_("The tiny subset ({tiny}) is larger than the {n} training samples of {classes} "
                           "classes.").format(tiny=cfg.tiny_samples, n=n_train, classes=cfg.classes))
    if cfg.tiny_samples * cfg.epochs > MAX_TINY_WORK:
        raise ValueError(_("The tiny subset times the epochs must stay under {most} (got {tiny} × {epochs} = "
                           "{work}): it is a quick check.").format(
            most=number(MAX_TINY_WORK, ","), tiny=cfg.tiny_samples, epochs=cfg.epochs,
            work=number(cfg.tiny_samples * cfg.epochs, ",")))


def load_full(cfg: Config) -> datasets.Data:
    """The whole data set, split by the seed, not yet standardized."""
    entry = CLASSIFIERS[cfg.dataset]
    return datasets.load(cfg.dataset, n_samples=min(entry.max_samples, 1000 if entry.n_features == 2 else 2000),
                         val_fraction=VAL_FRACTION, seed=cfg.seed, standardize=False)


def load_data(cfg: Config, classes: int | None = None, full: datasets.Data | None = None) -> datasets.Data:
    """The data set restricted to its first C classes, split and standardized (training statistics only)."""
    full = load_full(cfg) if full is None else full
    c, image = classes or cfg.classes, full.image_shape is not None
    keep_tr, keep_va = full.y_train < c, full.y_val < c
    x_tr, x_va = full.x_train[keep_tr], full.x_val[keep_va]
    mean, std = (x_tr.mean().reshape(1), x_tr.std().reshape(1)) if image else (x_tr.mean(0), x_tr.std(0))
    std = torch.where(std > 0, std, torch.ones_like(std))
    return datasets.Data(cfg.dataset, (x_tr - mean) / std, full.y_train[keep_tr], (x_va - mean) / std,
                         full.y_val[keep_va], "classification", c, mean, std, full.image_shape)


def build_model(cfg: Config, data: datasets.Data) -> models.MLP:
    """The classifier at initialization: a He-initialized ReLU layer and a small output layer (logits near 0)."""
    spec = models.MLPSpec(data.n_features, data.n_classes, hidden=(cfg.hidden,), output_scale=OUTPUT_SCALE)
    return models.build(spec, generator=cfg.seed)


def initial_loss(cfg: Config, data: datasets.Data) -> tuple[float, float]:
    """(cross-entropy on the training set at initialization, the same + reg·Σw²)."""
    model = build_model(cfg, data).eval()
    with torch.no_grad():
        loss = float(torch.nn.functional.cross_entropy(model(data.x_train), data.y_train))
        return loss, loss + float(training.penalty(model.weights(), 0.0, cfg.reg))


def update_ratios(before: list[torch.Tensor], after: list[torch.Tensor]) -> np.ndarray:
    """||W_after − W_before|| / ||W_before|| per layer (Frobenius norms): 001's and 003's 'W ratio'."""
    return np.array([float((a - b).norm() / b.norm()) for b, a in zip(before, after)])


def _tiny(cfg: Config, data: datasets.Data, on_progress: OnProgress) -> training.History:
    """Overfit the first `tiny_samples` training images: plain SGD, batches of 4, no regularization."""
    n = cfg.tiny_samples
    tiny = datasets.Data(data.name, data.x_train[:n], data.y_train[:n].clone(), data.x_val, data.y_val, data.kind,
                         data.n_classes, data.mean, data.std, data.image_shape)
    gen = torch.Generator().manual_seed(cfg.seed + 1)

    def shuffle_labels(epoch, model, d):   # the bug: a loop that permutes x and y with different orders
        d.y_train.copy_(d.y_train[torch.randperm(len(d.y_train), generator=gen)])

    spec = training.TrainSpec(epochs=cfg.epochs, batch_size=TINY_BATCH, optimizer="sgd", lr=cfg.lr, eval_train=True)
    return training.train(build_model(cfg, data), tiny, spec, seed=cfg.seed, on_progress=on_progress,
                          on_epoch=shuffle_labels if cfg.bug == "shuffled_labels" else None)


def _monitored(cfg: Config, data: datasets.Data, lr: float, on_progress: OnProgress) -> training.History:
    """Full-batch SGD at `lr`; after each step, each layer's update/weight ratio and gradient norm."""
    model = build_model(cfg, data)
    weights = model.weights()
    last = [w.detach().clone() for w in weights]

    def measure(epoch, model, d):
        ratios = update_ratios(last, weights)
        grads = [float(w.grad.norm()) for w in weights]
        for keep, w in zip(last, weights):
            keep.copy_(w)
        hidden = model[1](model[0](d.x_train))   # the hidden layer's ReLU outputs (Linear, ReLU, Linear)
        return {**{f"ratio{i}": r for i, r in enumerate(ratios)}, **{f"grad{i}": g for i, g in enumerate(grads)},
                "act_std": float(hidden.std()), "dead": float((hidden.amax(0) <= 0).float().mean())}

    spec = training.TrainSpec(epochs=cfg.epochs, optimizer="sgd", lr=lr)
    return training.train(model, data, spec, seed=cfg.seed, on_progress=on_progress, on_epoch=measure)


LAYER_ROLES = (N_("hidden"), N_("output"))


def _layer_names(cfg: Config, data: datasets.Data) -> tuple[str, ...]:
    # "<role> (<shape>)": the role is translated where it is shown (viz.sanity_checks)
    hidden, output = LAYER_ROLES
    return f"{hidden} ({cfg.hidden}×{data.n_features})", f"{output} ({data.n_classes}×{cfg.hidden})"


def _columns(h: training.History, key: str, layers: int, n: int) -> np.ndarray:
    return np.stack([padded(h.extra.get(f"{key}{i}"), n) for i in range(layers)], axis=1)


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    """The three checks, in the lectures' order; progress counts epochs over the tiny run and the three monitored runs."""
    validate(cfg)
    full = load_full(cfg)
    check(cfg, full)
    entry, n = CLASSIFIERS[cfg.dataset], cfg.epochs
    checked = tuple(c for c in sorted({*CHECKED_CLASSES, cfg.classes}) if c <= entry.n_classes)
    losses = np.array([initial_loss(cfg, load_data(cfg, c, full))[0] for c in checked])
    data = load_data(cfg, full=full)
    loss, with_reg = initial_loss(cfg, data)
    tiny = _tiny(cfg, data, relay(on_progress, 0, 4 * n, _("tiny subset")))
    acc = padded(tiny.train_acc_eval, n)
    lrs = (cfg.lr / RATE_FACTOR, cfg.lr, cfg.lr * RATE_FACTOR)
    runs = [_monitored(cfg, data, lr, relay(on_progress, (i + 1) * n, 4 * n, f"lr {lr:g}")) for i, lr in enumerate(lrs)]
    ratios = [_columns(h, "ratio", 2, n) for h in runs]
    solved = np.flatnonzero(acc >= 1.0)
    return Result(cfg, checked, losses, loss, math.log(cfg.classes), with_reg, acc, padded(tiny.train_loss_eval, n),
                  padded(tiny.val_acc, n), int(solved[0]) + 1 if len(solved) else None, _layer_names(cfg, data),
                  lrs, ratios[1], ratios[0], ratios[2], np.stack([_columns(h, "grad", 2, n) for h in runs]),
                  *(np.stack([padded(h.extra.get(k), n) for h in runs]) for k in ("act_std", "dead")),
                  np.stack([padded(h.train_loss, n) for h in runs]), np.stack([padded(h.val_acc, n) for h in runs]),
                  tuple(h.diverged_at for h in runs))


PRESETS = {
    N_("002 & 003: overfit 20 samples"): Preset(
        Config(), N_("20 samples, ten classes, no regularization: the three checks of 002 and 003."),
        "002 'Babysitting the Learning Process' 3-4, 003 '3. Verificación básica'"),
    N_("001: 32 images"): Preset(
        Config(tiny_samples=32), N_("001's setup: 32 images in batches of 4, as in its printed log."), "001 'Check loss at the beginning of training', 'Make sure your network can overfit'"),
    N_("A bug the check catches"): Preset(
        Config(bug="shuffled_labels"), N_("The labels are reshuffled each epoch apart from their images: the loop "
                                          "runs, the loss moves, but the tiny subset is never memorized."), "001 'Stop and debug your code!'"),
    N_("Two classes (ln 2)"): Preset(Config(classes=2), N_("Digits 0 and 1 only: what should the initial loss be "
                                                           "now?"), "002"),
    N_("Three classes (ln 3)"): Preset(Config(classes=3), N_("Digits 0, 1 and 2: what should the initial loss be "
                                                             "now?"), "002"),
}


def initial_loss_rows(r: Result) -> list[dict]:
    """The initial-loss table: per C, the prediction −ln(1/C) next to the measured loss (headers in the session's
    language)."""
    return [{_("classes C"): c, _("predicted −ln(1/C)"): number(math.log(c), ".3f"), _("measured"): number(loss, ".3f"),
             _("difference"): number(loss - math.log(c), "+.3f")}
            for c, loss in zip(r.classes_checked, r.initial_losses)]


def notice_initial(r: Result) -> str:
    """Measured against predicted, and what L2 adds, from this run."""
    c, diff = r.config.classes, r.initial_loss - r.expected_initial_loss
    if abs(diff) < 0.05:
        first = _("With C = {c} classes the loss at initialization is {loss}, against −ln(1/{c}) = {expected} ({diff}: "
                  "as it should).")
    else:
        first = _("With C = {c} classes the loss at initialization is {loss}, against −ln(1/{c}) = {expected} ({diff}: "
                  "too far off: look at the output layer's initialization).")
    second = _("Switching on L2 with λ = {reg} adds λ·Σw² = {added}: {with_reg}, higher, as 002 and 003 say it must "
               "be.")
    return " ".join([
        first.format(c=c, loss=number(r.initial_loss, ".3f"), expected=number(r.expected_initial_loss, ".3f"),
                     diff=number(diff, "+.3f")),
        second.format(reg=number(r.config.reg), added=number(r.initial_loss_with_reg - r.initial_loss, ".3g"),
                      with_reg=number(r.initial_loss_with_reg, ".3f"))])


# the injected bug, as the tiny-overfit notice names it
BUG_FOUND = {"shuffled_labels": N_("Here it is the injected one: labels shuffled every epoch, apart from their "
                                   "inputs.")}


def notice_tiny(r: Result) -> str:
    """At which epoch the tiny subset is memorized, or that it never is (the check caught something)."""
    n, acc, loss = r.config.tiny_samples, r.tiny_train_acc, r.tiny_train_loss
    last = int(np.flatnonzero(np.isfinite(acc))[-1]) if np.isfinite(acc).any() else 0
    if r.tiny_solved_at is not None:
        return _("All {n} training samples are classified correctly from epoch {epoch} on; the training loss falls to "
                 "{loss}. The rest of the data stays at {val}: memorizing is not learning, and that is fine for this "
                 "check.").format(n=n, epoch=r.tiny_solved_at, loss=number(loss[last], ".3g"),
                                  val=number(r.tiny_val_acc[last], ".0%"))
    text = _("After {epochs} epochs the tiny subset is still at {best} at best (loss {loss}): a net this size must "
             "memorize {n} samples, so the model or the loop has a bug.").format(
        epochs=last + 1, best=number(np.nanmax(acc), ".0%"), loss=number(loss[last], ".3g"), n=n)
    if r.config.bug in BUG_FOUND:
        text += " " + _(BUG_FOUND[r.config.bug])
    return text


def in_band(ratios: np.ndarray, band: tuple[float, float] = BAND) -> float:
    """Share of the steps (finite ratios) whose ratio lies in the band."""
    finite = ratios[np.isfinite(ratios)]
    return float(((finite >= band[0]) & (finite <= band[1])).mean()) if len(finite) else 0.0


RATE_NAMES = (N_("too low"), N_("chosen"), N_("too high"))


def notice_ratio(r: Result) -> str:
    """For each rate: the hidden layer's median update/weight ratio and how often it is in 001's band."""
    parts = []
    for name, lr, ratios, diverged in zip(RATE_NAMES, r.lrs,
                                          (r.update_ratio_low, r.update_ratio, r.update_ratio_high), r.diverged_at):
        hidden = ratios[:, 0]
        numbers = dict(lr=number(lr, ".3g"), name=_(name), median=number(np.nanmedian(hidden), ".1e"),
                       peak=number(np.nanmax(hidden), ".1e"), share=number(in_band(hidden, r.band), ".0%"))
        parts.append(_("lr {lr} ({name}): median {median}, peak {peak}, {share} of the steps in the band, diverged at "
                       "epoch {epoch}").format(epoch=diverged, **numbers) if diverged else
                     _("lr {lr} ({name}): median {median}, peak {peak}, {share} of the steps in the band").format(
                         **numbers))
    return _("Hidden layer, ||ΔW||/||W|| per step — {parts}. 001 wants ~{lo} to {hi}: below it the weights barely "
             "move, above it each step rewrites them. The output layer starts at {scale} × the usual scale (so the "
             "initial loss is ln C): its first ratios are large.").format(
        parts="; ".join(parts), lo=number(r.band[0]), hi=number(r.band[1]), scale=number(OUTPUT_SCALE))


def notice_health(r: Result) -> str:
    """Gradient norms, activation spread and dead units at the end of each monitored run."""
    parts = []
    for i, lr in enumerate(r.lrs):
        dead, grad = r.dead_fraction[i], r.grad_norm[i, :, 0]
        k = int(np.flatnonzero(np.isfinite(dead))[-1]) if np.isfinite(dead).any() else 0
        parts.append(_("lr {lr}: {dead} dead hidden units, activation std {std0} → {std}, gradient norm {grad0} → "
                       "{grad}, validation accuracy {acc}").format(
            lr=number(lr, ".3g"), dead=number(dead[k], ".0%"), std0=number(r.act_std[i, 0], ".2g"),
            std=number(r.act_std[i, k], ".2g"), grad0=number(grad[0], ".2g"), grad=number(grad[k], ".2g"),
            acc=number(r.val_acc[i, k], ".0%")))
    return _("{parts}. A unit dead on every training sample gets no gradient and never comes back.").format(
        parts="; ".join(parts))
