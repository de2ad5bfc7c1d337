"""Regularization lab: train an MLP on a small data set and watch the training and validation curves separate
(002 "Underfitting vs Overfitting" ... "Data Augmentation", 001 "Regularization", 004 "Capacity", "Early
Stopping", 000 "My validation accuracy is higher than the training accuracy").

`run(Config(...))` trains through `nncore.training.train` and returns the history, the fit label by 000's rules,
the decision boundary of 2D sets, the weights and per-layer activation statistics. Smaller pieces for the lessons:
`regularization_path` (one run per penalty strength), `dropout_expectation` (002's two-input neuron),
`norm_axes` (which axes batch/layer/instance/group norm average over), `augmented_gallery` (digits).
"""
from __future__ import annotations

import dataclasses
import itertools
import math
import time
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch
import torch.nn.functional as F

from nncore import activations, data, models, params, training
from nncore.params import Preset, param, validate
from nncore.progress import OnProgress, report

ACTIVATION_CHOICES = {k: activations.ACTIVATIONS[k] for k in ("relu", "tanh", "sigmoid", "leaky_relu", "elu", "linear")
                      if k in activations.ACTIVATIONS}
MAX_LAYERS, MAX_WIDTH = 6, 512
MAC_BUDGET = 6e10       # multiply-adds of forward passes over all epochs: 004's 3x512 net on all 1,599 red wines
                        # for 60 epochs (5.1e10, ~3 s on one core here); ~45x the default run
STEP_BUDGET = 30_000    # optimizer steps: small-batch runs are per-call overhead (~0.3 ms a step here)
GRID = 80               # decision-boundary grid: GRID x GRID points
VAL_FRACTION = 0.3
SNAPSHOTS = 12          # epochs at which the hidden layers' activation statistics are recorded
PROBE = 256             # training rows used for those statistics
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass(frozen=True)
class Config:
    """One training run. The defaults are the lesson's reference: two hidden layers of 64, 1,000 points, 300
    full-batch Adam epochs on the noisy moons."""

    dataset: str = param("moons", choices=data.DATASETS, label="Data set")
    n_samples: int = param(1000, 20, 5000, label="Samples", step=10,
                           help="Points in the whole set; 30% are held out for validation (digits: at most 1,797; "
                                "red wine: 1,599).")
    noise: float = param(0.3, 0.0, 1.0, step=0.05, label="Noise", help="Std of the noise added to the 2D sets.")
    hidden: tuple[int, ...] = param((64, 64), label="Hidden layers", help="Units in each hidden layer.")
    activation: str = param("relu", choices=ACTIVATION_CHOICES, label="Activation")
    dropout: float = param(0.0, 0.0, 0.9, step=0.05, label="Dropout p",
                           help="Probability of zeroing each hidden unit in training (inverted dropout: the kept "
                                "ones are scaled by 1/(1-p), so eval mode needs no rescaling).")
    norm: str = param("none", choices=tuple(models.NORMS), label="Normalization")
    norm_placement: str = param("before", choices=models.PLACEMENTS, label="Norm placement",
                                help="Before or after the activation.")
    l1: float = param(0.0, 0.0, 0.02, step=0.0005, label="L1 λ", help="Adds λ·Σ|w| to the loss (weights only).")
    l2: float = param(0.0, 0.0, 0.05, step=0.0005, label="L2 λ", help="Adds λ·Σw² to the loss (weights only).")
    weight_decay: float = param(0.0, 0.0, 0.5, step=0.01, label="Weight decay (decoupled)",
                                help="w ← w − lr·decay·w at each step, outside the loss (AdamW); with plain SGD "
                                     "the same as L2 with λ = decay/2.")
    optimizer: str = param("adam", choices=training.OPTIMIZERS, label="Optimizer")
    lr: float = param(0.01, 1e-4, 10.0, log=True, label="Learning rate")
    epochs: int = param(300, 1, 2000, step=10, label="Epochs")
    batch_size: int = param(0, 0, 5000, label="Batch size (0 = full batch)")
    patience: int | None = param(None, label="Early-stopping patience",
                                 help="Stop after this many epochs without a validation-loss improvement; None: off.")
    min_delta: float = param(0.0, 0.0, 0.1, step=0.001, label="min_delta",
                             help="A validation loss counts as better only if it drops by more than this.")
    augment: bool = param(False, label="Augmentation",
                          help="Jitter the inputs (std 0.1 in standardized units: the 2D points, the wines' 11 "
                               "measurements) or shift and rotate the digits, anew each batch.")
    seed: int = param(0, 0, 2**31 - 1, label="Seed")


@dataclass(frozen=True, eq=False)
class Result:
    """A run: its history, how it ended, the fit label, and what the charts draw."""

    config: Config
    history: training.History
    best_epoch: int | None
    stopped_epoch: int
    diverged_at: int | None
    stop_message: str
    fit: str                    # "underfit", "fair", "overfit", "val better than train" or "diverged"
    fit_reason: str
    train_err: float            # final model in eval mode: 1 - accuracy, or MSE / Var(y) for regression
    val_err: float
    chance_err: float           # error of always answering the most frequent class (1.0 for regression)
    n_train: int
    n_val: int
    kind: str
    n_classes: int
    points_train: np.ndarray | None   # (n, 2) raw coordinates of 2D sets, or (n, 1) x of 1D regression
    labels_train: np.ndarray | None
    points_val: np.ndarray | None
    labels_val: np.ndarray | None
    grid_x: np.ndarray | None   # (GRID,) raw coordinates
    grid_y: np.ndarray | None
    grid_class: np.ndarray | None   # (GRID, GRID) predicted class, row = y
    grid_prob: np.ndarray | None    # (GRID, GRID) P(class 1) for two classes, the winning class's P otherwise
    curve_x: np.ndarray | None      # 1D regression: the fitted curve
    curve_y: np.ndarray | None
    weights: np.ndarray         # every entry of the weight matrices, flattened (what penalties act on)
    zero_weights: int           # exactly 0.0
    snapshot_epochs: np.ndarray     # (S,)
    act_quantiles: np.ndarray       # (S, layers, 5) quantiles 5/25/50/75/95 % of each hidden layer's output
    act_std: np.ndarray             # (S, layers)
    bn_batch: dict | None       # batch norm, first layer, one validation batch: batch vs running statistics
    notes: tuple[str, ...]
    seconds: float


def _hidden_error(cfg: Config) -> str | None:
    if not isinstance(cfg.hidden, tuple) or not cfg.hidden:
        return "The net needs at least one hidden layer."
    if len(cfg.hidden) > MAX_LAYERS:
        return f"At most {MAX_LAYERS} hidden layers (got {len(cfg.hidden)})."
    if any(not isinstance(w, int) or isinstance(w, bool) or not 1 <= w <= MAX_WIDTH for w in cfg.hidden):
        return f"Each hidden layer needs between 1 and {MAX_WIDTH} units (got {cfg.hidden})."
    return None


def check(cfg: Config) -> list[str]:
    """Raise ValueError for an invalid config or one beyond the compute budget; return notes on adjusted values."""
    validate(cfg)
    problem = _hidden_error(cfg)
    if problem:
        raise ValueError(problem)
    if cfg.patience is not None and (not isinstance(cfg.patience, int) or not 1 <= cfg.patience <= 1000):
        raise ValueError(f"Patience must be between 1 and 1000 epochs, or off (got {cfg.patience!r}).")
    entry = data.DATASETS[cfg.dataset]
    if cfg.n_samples > entry.max_samples:
        raise ValueError(f"{entry.label} has at most {entry.max_samples:,} samples (got {cfg.n_samples:,}).")
    n_train = cfg.n_samples - round(cfg.n_samples * VAL_FRACTION)
    notes = []
    if cfg.batch_size > n_train:
        notes.append(f"The batch size {cfg.batch_size:,} is larger than the {n_train:,} training samples: every "
                     "step uses the whole training set (full batch).")
    if cfg.batch_size == 1 and cfg.norm == "batch":
        raise ValueError("Batch norm needs at least 2 samples per batch: the mean and variance of a single sample "
                         "say nothing (the output would be all zeros). Use a larger batch, or layer norm.")
    bs = n_train if cfg.batch_size in (0,) or cfg.batch_size > n_train else cfg.batch_size
    widths = (entry.n_features, *cfg.hidden, max(entry.n_classes, 1))
    macs = cfg.epochs * cfg.n_samples * sum(a * b for a, b in zip(widths, widths[1:]))
    steps = cfg.epochs * math.ceil(n_train / bs)
    if macs > MAC_BUDGET or steps > STEP_BUDGET:
        raise ValueError(f"This run is too large for a shared classroom server ({macs:.1e} multiply-adds, "
                         f"{steps:,} steps; the limits are {MAC_BUDGET:.0e} and {STEP_BUDGET:,}). "
                         "Use fewer epochs, smaller layers or larger batches.")
    return notes


def spec_of(cfg: Config) -> tuple[models.MLPSpec, training.TrainSpec]:
    """The model and training specs a config stands for."""
    entry = data.DATASETS[cfg.dataset]
    n_out = entry.n_classes if entry.kind == "classification" else 1
    mlp = models.MLPSpec(entry.n_features, n_out, cfg.hidden, cfg.activation,
                         "kaiming_normal" if cfg.activation in ("relu", "leaky_relu", "elu") else "xavier_normal",
                         dropout=cfg.dropout, norm=cfg.norm, norm_placement=cfg.norm_placement,
                         # a classifier starts at loss ln C; a regression net keeps the full-scale output of 004's runs
                         output_scale=0.1 if entry.kind == "classification" else 1.0)
    spec = training.TrainSpec(epochs=cfg.epochs, batch_size=cfg.batch_size or None, optimizer=cfg.optimizer,
                              lr=cfg.lr, l1=cfg.l1, l2=cfg.l2, weight_decay=cfg.weight_decay, patience=cfg.patience,
                              min_delta=cfg.min_delta, augment=cfg.augment)
    return mlp, spec


def load(cfg: Config) -> data.Data:
    return data.load(cfg.dataset, cfg.n_samples, cfg.noise, VAL_FRACTION, cfg.seed)


def _errors(model, d: data.Data, h: training.History) -> tuple[float, float, float]:
    """(train error, val error, chance error) of the final model in eval mode."""
    if d.kind == "classification":
        chance = 1.0 - float(torch.bincount(d.y_train).max()) / len(d.y_train)
        return 1.0 - h.final_train_acc, 1.0 - h.final_val_acc, chance
    var = float(d.y_train.var())
    return h.final_train_loss / var, h.final_val_loss / var, 1.0


def classify_fit(h: training.History, train_err: float, val_err: float, chance_err: float) -> tuple[str, str]:
    """000's four cases, with numbers: underfit (both errors high), overfit (validation error high, training error
    low; or 004's picture: the validation loss rises from its minimum while the training loss keeps falling), fair
    (validation error low, slightly above training), and validation better than training (000's 'unknown fit')."""
    if h.diverged_at:
        return "diverged", f"The loss became inf or NaN at epoch {h.diverged_at}: lower the learning rate."
    regression = h.val_acc is None   # errors are MSE / Var(y): predicting the training mean scores 100%
    what, share = ("MSE", lambda v: f"{v:.0%} of Var(y)") if regression else ("error", lambda v: f"{v:.1%}")
    gap = val_err - train_err
    end = h.best_epoch if h.restored_best and h.best_epoch else len(h.val_loss)   # the returned model's epoch
    best = int(np.nanargmin(h.val_loss[:end]))
    rise = h.val_loss[end - 1] - h.val_loss[best]
    train_fell = h.train_loss[end - 1] < h.train_loss[best]
    tail = min(max(2, len(h.train_loss) // 10), len(h.train_loss))   # a 1-epoch run has no tail to compare
    drop = h.train_loss[-tail] - h.train_loss[-1]
    still_learning = len(h.train_loss) > 10 and drop > 0.05 * h.train_loss[-tail] and drop > 0.02 * h.train_loss[0]
    if train_err > 0.3 * chance_err or (still_learning and gap < 0.03):
        why = ((f"the training MSE is {train_err:.0%} of Var(y), over 30% of what predicting the mean scores"
                if regression else f"the training error is {train_err:.1%}, over {0.3 * chance_err:.1%} (30% of the "
                   f"{chance_err:.1%} of always answering the most frequent class)")
               if train_err > 0.3 * chance_err else
               f"the training loss still fell {1 - h.train_loss[-1] / h.train_loss[-tail]:.0%} in the last "
               f"{tail} epochs")
        return "underfit", f"Underfitting: {why}; more capacity or more epochs would help (000, 004)."
    if gap > 0.05 or (rise > max(0.1 * h.val_loss[best], 0.02) and train_fell):
        why = (f"the validation {what} ({share(val_err)}) is {share(gap)} above the training {what} "
               f"({share(train_err)})" if gap > 0.05 else
               f"the validation loss rose {rise / h.val_loss[best]:.0%} from its minimum at epoch {best + 1} "
               "while the training loss kept falling")
        return "overfit", f"Overfitting: {why}."
    if gap < -0.03:
        return "val better than train", (f"The validation {what} ({share(val_err)}) is below the training {what} "
                                         f"({share(train_err)}): 000's 'unknown fit'. 000 first checks it with "
                                         "k-fold cross-validation, then suspects hard training cases and easy "
                                         "validation cases, dropout, a too-small batch; 002 adds a validation set "
                                         "too small for its statistics to mean much.")
    return "fair", (f"A fair fit: the validation {what} ({share(val_err)}) is low and close to the training {what} "
                    f"({share(train_err)}).")


def _activation_probe(model: models.MLP, x: torch.Tensor, epochs: int):
    """An on_epoch hook recording quantiles and std of each hidden layer's output at SNAPSHOTS epochs."""
    at = set(np.unique(np.linspace(1, epochs, min(SNAPSHOTS, epochs)).round().astype(int)).tolist())
    rows: list[tuple[int, np.ndarray, np.ndarray]] = []
    q = torch.tensor(QUANTILES)

    def hook(epoch, m, d):
        if epoch not in at:
            return None
        outs = []
        handles = [mod.register_forward_hook(lambda _m, _i, o: outs.append(o)) for mod in m.hidden_outputs]
        try:
            m(x)
        finally:
            for h in handles:
                h.remove()
        rows.append((epoch, torch.stack([torch.quantile(o.flatten(), q) for o in outs]).numpy(),
                     np.array([float(o.std()) for o in outs])))
        return None
    return hook, rows


def _bn_batch(model: models.MLP, d: data.Data) -> dict | None:
    """First batch-norm layer on one validation batch of 8: the batch's own mean/var (train mode) vs the running
    averages that eval mode uses (002/003 'Batch Normalization: Test Time')."""
    bn = next((m for m in model if isinstance(m, torch.nn.BatchNorm1d)), None)
    if bn is None:
        return None
    with torch.no_grad():
        z = d.x_val[:8]
        for layer in model:                       # up to the BN layer: what it receives
            if layer is bn:
                break
            z = layer(z)
        units = min(8, z.shape[1])
        train_out = F.batch_norm(z, None, None, bn.weight, bn.bias, training=True, eps=bn.eps)
        eval_out = bn.eval()(z)
    return dict(batch_mean=z.mean(0)[:units].numpy(), batch_var=z.var(0, unbiased=False)[:units].numpy(),
                running_mean=bn.running_mean[:units].numpy().copy(), running_var=bn.running_var[:units].numpy().copy(),
                train_out=train_out[:, :units].numpy(), eval_out=eval_out[:, :units].numpy(), batch=int(len(z)))


def _grid(model, d: data.Data):
    """Predicted class and probability on a GRID x GRID mesh over the data's raw range (plus a margin)."""
    pts = torch.cat([d.x_train, d.x_val]) * d.std + d.mean
    lo, hi = pts.min(0).values, pts.max(0).values
    pad = 0.1 * (hi - lo)
    gx = torch.linspace(float(lo[0] - pad[0]), float(hi[0] + pad[0]), GRID)
    gy = torch.linspace(float(lo[1] - pad[1]), float(hi[1] + pad[1]), GRID)
    yy, xx = torch.meshgrid(gy, gx, indexing="ij")
    with torch.no_grad():
        prob = torch.softmax(model(d.standardize(torch.stack([xx.flatten(), yy.flatten()], 1))), 1)
    cls = prob.argmax(1)
    p = prob[:, 1] if prob.shape[1] == 2 else prob.max(1).values
    return gx.numpy(), gy.numpy(), cls.reshape(GRID, GRID).numpy().astype(np.int8), \
        p.reshape(GRID, GRID).numpy().astype(np.float32)


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    """Train the config's MLP on its data set and measure it (deterministic given cfg.seed)."""
    with training.single_thread():   # small models: one torch thread is as fast idle and far faster under load
        return _run(cfg, on_progress)


def _run(cfg: Config, on_progress: OnProgress) -> Result:
    start = time.perf_counter()
    notes = check(cfg)
    d = load(cfg)
    mlp_spec, spec = spec_of(cfg)
    if d.kind == "regression":   # start at the targets' mean: the wines' quality is ~5.6, not 0 (see spec_of)
        mlp_spec = dataclasses.replace(mlp_spec, output_bias=float(d.y_train.mean()))
    model = models.build(mlp_spec, torch.Generator().manual_seed(cfg.seed))
    probe, rows = _activation_probe(model, d.x_train[:PROBE], cfg.epochs)
    h = training.train(model, d, spec, seed=cfg.seed, on_progress=on_progress, on_epoch=probe)
    model.eval()
    train_err, val_err, chance = _errors(model, d, h) if not h.diverged_at else (math.nan, math.nan, math.nan)
    fit, why = classify_fit(h, train_err, val_err, chance)
    raw = lambda x: (x * d.std + d.mean).numpy()
    two_d = d.is_2d and d.kind == "classification" and not h.diverged_at
    grid = _grid(model, d) if two_d else (None,) * 4
    curve = (None, None)
    if d.kind == "regression" and d.n_features == 1:
        cx = torch.linspace(float(raw(d.x_train).min()), float(raw(d.x_train).max()), 200)[:, None]
        with torch.no_grad():
            curve = (cx[:, 0].numpy(), model(d.standardize(cx))[:, 0].numpy())
    show_points = d.n_features <= 2
    weights = torch.cat([w.detach().flatten() for w in model.weights()]).numpy()
    if h.restored_best and h.best_epoch != h.stopped_epoch:
        notes.append(f"Early stopping restored the weights of epoch {h.best_epoch}: the charts below show that model.")
    if rows:
        snap_epochs = np.array([r[0] for r in rows])
        quants, stds = np.stack([r[1] for r in rows]), np.stack([r[2] for r in rows])
    else:
        snap_epochs, quants, stds = np.zeros(0, int), np.zeros((0, len(cfg.hidden), 5)), np.zeros((0, len(cfg.hidden)))
    report(on_progress, h.stopped_epoch, cfg.epochs, "done")
    return Result(cfg, h, h.best_epoch, h.stopped_epoch, h.diverged_at, h.stop_message, fit, why, train_err, val_err,
                  chance, len(d.x_train), len(d.x_val), d.kind, d.n_classes,
                  raw(d.x_train) if show_points else None, d.y_train.numpy() if show_points else None,
                  raw(d.x_val) if show_points else None, d.y_val.numpy() if show_points else None,
                  *grid, *curve, weights, int((weights == 0).sum()), snap_epochs, quants, stds,
                  _bn_batch(model, d) if not h.diverged_at else None, tuple(notes), time.perf_counter() - start)


# ---- The regularization path: one run per penalty strength ----

@dataclass(frozen=True)
class PathConfig:
    """A base run and the penalty to sweep over `points` strengths, log-spaced from lo to hi."""

    base: Config = Config(n_samples=200, noise=0.35, hidden=(64, 64), epochs=200)
    penalty: str = param("l2", choices=("l1", "l2", "weight_decay"), label="Penalty")
    lo: float = param(1e-4, 1e-5, 0.02, log=True, label="Smallest λ")
    hi: float = param(2e-2, 1e-5, 0.02, log=True, label="Largest λ")
    points: int = param(7, 2, 12, label="Strengths")


@dataclass(frozen=True, eq=False)
class PathResult:
    config: PathConfig
    lambdas: np.ndarray
    train_loss: np.ndarray      # final model, eval mode
    val_loss: np.ndarray
    train_err: np.ndarray
    val_err: np.ndarray
    weight_norm: np.ndarray     # sum |w|
    zero_fraction: np.ndarray   # share of weights exactly 0
    weight_quantiles: np.ndarray  # (points, 5) of |w|
    baseline_val_loss: float    # λ = 0


def regularization_path(cfg: PathConfig, on_progress: OnProgress = None) -> PathResult:
    """Train the base config once per λ (and once with λ = 0): how do the losses and the weights change?"""
    validate(cfg)
    if cfg.hi <= cfg.lo:
        raise ValueError(f"The largest λ ({cfg.hi:g}) must be above the smallest ({cfg.lo:g}).")
    lambdas = np.geomspace(cfg.lo, cfg.hi, cfg.points)
    rows = []
    for i, lam in enumerate([0.0, *lambdas]):
        r = run(dataclasses.replace(cfg.base, **{cfg.penalty: float(lam)}))
        h, w = r.history, np.abs(r.weights)
        rows.append((h.final_train_loss, h.final_val_loss, r.train_err, r.val_err, w.sum(), float((w == 0).mean()),
                     np.quantile(w, QUANTILES)))
        if not report(on_progress, i + 1, cfg.points + 1, f"λ = {lam:.2g}"):
            break
    cols = [np.array(c) for c in zip(*rows[1:])] if len(rows) > 1 else [np.zeros(0)] * 7
    n = len(rows) - 1
    return PathResult(cfg, lambdas[:n], *cols[:6], np.array(cols[6]).reshape(n, 5), float(rows[0][1]))


# ---- Small, exact pieces of the lectures ----

@lru_cache(maxsize=64)   # a page asks on every rerun; one dict per p, shared: read it, never change it
def dropout_expectation(w: tuple[float, float] = (1.0, 2.0), x: tuple[float, float] = (3.0, -1.0), p: float = 0.5,
                        samples: int = 100_000, seed: int = 0) -> dict:
    """002's neuron a = w1·x + w2·y with dropout on its two inputs: every mask, its probability and output, the
    exact expectation (= (1-p)·a), and a Monte-Carlo mean of torch's inverted dropout (≈ a)."""
    if not 0.0 <= p < 1.0:
        raise ValueError(f"The dropout probability must be at least 0 and below 1 (got {p:g}).")
    a = w[0] * x[0] + w[1] * x[1]
    rows = []
    for keep in itertools.product((1, 0), repeat=2):
        prob = math.prod((1 - p) if k else p for k in keep)
        rows.append(dict(keep=keep, probability=prob, output=w[0] * x[0] * keep[0] + w[1] * x[1] * keep[1]))
    expected = sum(r["probability"] * r["output"] for r in rows)
    drop = models.SeededDropout(p)
    drop.generator = torch.Generator().manual_seed(seed)
    inputs = torch.tensor(x, dtype=torch.float64).expand(samples, 2)
    mc = float((drop.train()(inputs) @ torch.tensor(w, dtype=torch.float64)).mean())
    return dict(w=w, x=x, a=a, p=p, rows=rows, expected=expected, test_time_scaled=(1 - p) * a, inverted_mc=mc, samples=samples)


@dataclass(frozen=True, eq=False)
class NormAxes:
    """A small (N, C, L) tensor and, per normalization, the cells that share the mean/std of cell (0, 0, 0),
    that mean and std computed by hand, and the largest difference between torch's output and the hand formula."""

    x: np.ndarray                 # (N, C, L)
    groups: int
    members: dict[str, np.ndarray]  # kind -> (N, C, L) bool
    mean: dict[str, float]
    std: dict[str, float]
    max_diff: dict[str, float]    # |torch's output - (x - mean) / std| over the whole tensor


@lru_cache(maxsize=16)   # a page asks on every rerun; shared: read it, never change it
def norm_axes(seed: int = 0, n: int = 4, c: int = 6, length: int = 5, groups: int = 2) -> NormAxes:
    """Batch, layer, instance and group norm on the same real numbers (Wu & He 2018's figure, 002 'Other
    Normalizations'): which axes each averages over, checked against torch's own functions."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(n, c, length, generator=gen) * torch.linspace(0.5, 3, c)[None, :, None] + \
        torch.linspace(-2, 2, n)[:, None, None]
    dims = {"batch": (0, 2), "layer": (1, 2), "instance": (2,)}
    ref = {"batch": F.batch_norm(x, None, None, training=True, eps=1e-5),
           "layer": F.layer_norm(x, (c, length), eps=1e-5),
           "instance": F.instance_norm(x, eps=1e-5), "group": F.group_norm(x, groups, eps=1e-5)}
    members, means, stds, diffs = {}, {}, {}, {}
    for kind, out in ref.items():
        if kind == "group":
            xg = x.reshape(n, groups, -1)
            mu = xg.mean(2, keepdim=True)
            var = xg.var(2, unbiased=False, keepdim=True)
            hand = ((xg - mu) / torch.sqrt(var + 1e-5)).reshape(n, c, length)
            mask = torch.zeros(n, c, length, dtype=torch.bool)
            mask[0, : c // groups] = True
            m0, v0 = mu[0, 0, 0], var[0, 0, 0]
        else:
            mu = x.mean(dims[kind], keepdim=True)
            var = x.var(dims[kind], unbiased=False, keepdim=True)
            hand = (x - mu) / torch.sqrt(var + 1e-5)
            mask = torch.zeros(n, c, length, dtype=torch.bool)
            idx = [slice(None) if i in dims[kind] else 0 for i in range(3)]
            mask[tuple(idx)] = True
            m0, v0 = mu.flatten()[0], var.flatten()[0]
        members[kind], means[kind], stds[kind] = mask.numpy(), float(m0), float(v0.sqrt())
        diffs[kind] = float((out - hand).abs().max())
    return NormAxes(x.numpy(), groups, members, means, stds, diffs)


@lru_cache(maxsize=16)   # a page asks on every rerun; shared: read it, never change it
def augmented_gallery(seed: int = 0, digits: int = 6, copies: int = 5, max_shift: int = 1,
                      max_rotation: float = 15.0) -> np.ndarray:
    """(digits, 1 + copies, 8, 8) pixel values 0..16: each row an original digit, then augmented copies of it."""
    d = data.load("digits", 1797, seed=seed, val_fraction=0.5)
    gen = torch.Generator().manual_seed(seed)
    x = d.x_train[:digits].repeat_interleave(copies, 0)
    aug = data.augment_batch(x, gen, d.image_shape, max_shift=max_shift, max_rotation=max_rotation)
    raw = lambda t: (t * d.std + d.mean).reshape(-1, 8, 8)
    out = torch.cat([raw(d.x_train[:digits])[:, None], raw(aug).reshape(digits, copies, 8, 8)], 1).clamp(0, 16).numpy()
    out.flags.writeable = False   # cached and shared
    return out


# ---- Presets and "what to notice" ----

OVERFIT = Config(n_samples=150, noise=0.3, hidden=(128, 128), epochs=400)
# Capacity: a ring around a disc. Two units draw at most a bent line (training error 24-30% over seeds 0-9, twice
# the underfit line of 15%); 128x128 units fit the noise (overfit on every one of those seeds). On the moons a
# straight line already scores ~85%, so a 1x2 net sat on the underfit line (14.8%).
CAPACITY = Config(dataset="circles", n_samples=300, noise=0.2)
# Batch norm: at lr 2 plain SGD blows up in its first epochs (at 1.0 it blew up at epoch 148 of 150, at 1.5 at
# epoch 1-2 on seeds 0-2) while the normalized net trains; at 0.5 both train.
NORMALIZATION = Config(dataset="spiral", n_samples=600, noise=0.2, hidden=(64,) * 4, optimizer="sgd", lr=2.0,
                       epochs=150, batch_size=64)
# Penalties: plain SGD shows the textbook picture (L1 0.005: 87% of the weights exactly 0; L2 0.005: none, median
# |w| 0.089 -> 0.015). With Adam, L2 left smaller weights than L1 (median 0.00013 vs 0.0026): see notice_weights.
PENALTIES = dataclasses.replace(OVERFIT, optimizer="sgd", lr=0.5)
PENALTY_PRESETS = {
    "L2 with plain SGD": Preset(
        dataclasses.replace(PENALTIES, l2=0.005),
        "The page's default: plain SGD (lr 0.5), where a penalty's gradient is added to the data's and nothing "
        "rescales it: the lecture's picture of L1 and L2.", "002 'Regularization', 001 'L2 penalty'"),
    "The same with Adam": Preset(
        dataclasses.replace(PENALTIES, optimizer="adam", lr=0.01, l2=0.005),
        "Adam divides every gradient, the penalty's too, by √v, the running RMS of that weight's own gradients: "
        "each weight feels the penalty at a different strength, and L1 and L2 stop acting as the lecture draws "
        "them. Decoupled weight decay (AdamW, Loshchilov & Hutter 2019) shrinks the weights outside the gradient "
        "to restore a decay that means the same for every weight.", "Loshchilov & Hutter 2019 (AdamW)"),
}
EARLY_STOPPING_PRESETS = {
    "Overfit + early stopping": Preset(dataclasses.replace(OVERFIT, patience=20), "Stops 20 epochs after the "
                                       "validation minimum and restores that epoch's weights.",
                                       "002 'Early Stopping', 004 'Early Stopping'"),
}

# 004's red-wine net: three Dense(512, relu) layers, a linear output, Adam (Keras' lr 0.001), MSE, batches of 256,
# the 70/30 split of all 1,599 wines. At most 60 epochs (004: 500; 60 is MAC_BUDGET): run A of each page trains
# every one of them. The wines ignore `noise`; it keeps the page's own default, so a preset's link stays short.
RED_WINE = Config(dataset="red_wine", n_samples=1599, noise=0.3, hidden=(512, 512, 512), optimizer="adam", lr=0.001,
                  epochs=60, batch_size=256)
WINE_SETUP = "MSE, Adam, batches of 256, 1,119 wines to train and 480 to validate"
EARLY_STOPPING_PRESETS["004: red wine, 3×512, early stopping"] = Preset(
    dataclasses.replace(RED_WINE, noise=OVERFIT.noise, patience=20, min_delta=0.001),
    f"004's example: three Dense(512) ReLU layers, {WINE_SETUP}, EarlyStopping(min_delta=0.001, patience=20, "
    "restore_best_weights=True). The quality is predicted in points (004 scales it to [0, 1]).",
    "004 'Early Stopping'")
CAPACITY_PRESETS = {
    "004: red wine, 1 vs 3 layers of 512": Preset(
        (dataclasses.replace(RED_WINE, noise=CAPACITY.noise, hidden=(512,)),
         dataclasses.replace(RED_WINE, noise=CAPACITY.noise)),
        f"004's 'Capacity' code: one hidden layer of 512 ReLU units (A) against three (B), {WINE_SETUP}.",
        "004 'Capacity'"),
}


def notice_wine_stopping(a: Result, b: Result) -> str:
    """004's early-stopping example as our runs played it: where B stopped and what A and B end at."""
    ha, hb, c = a.history, b.history, b.config
    if a.diverged_at or b.diverged_at:
        return notice_compare(a, b, "early stopping")
    ours = f"Our run (seed {c.seed}, at most {c.epochs} epochs instead of 004's 500, so that A stays a few seconds): "
    if hb.stop_reason != "early_stopping":
        return (ours + f"the validation MSE is lowest at epoch {hb.best_epoch} ({hb.best_val_loss:.3f}), "
                f"less than {c.patience} epochs before the last, so B trains all {len(hb.val_loss)} epochs like A "
                f"and restores epoch {hb.best_epoch}'s weights: validation MSE {hb.final_val_loss:.3f}, training "
                f"MSE {hb.final_train_loss:.3f}. A ends at validation MSE {ha.final_val_loss:.3f}, training MSE "
                f"{ha.final_train_loss:.3f}.")
    return (ours + f"the validation MSE is lowest at best epoch {hb.best_epoch} ({hb.best_val_loss:.3f}); no "
            f"improvement larger than {c.min_delta:g} follows, so B stops at epoch {hb.stopped_epoch} and restores "
            f"epoch {hb.best_epoch}'s weights: validation MSE {hb.final_val_loss:.3f}, training MSE "
            f"{hb.final_train_loss:.3f}. A trains all {len(ha.val_loss)} epochs and ends at validation MSE "
            f"{ha.final_val_loss:.3f}, training MSE {ha.final_train_loss:.3f}.")


def notice_wine_capacity(a: Result, b: Result) -> str:
    """004's capacity example as our runs played it: the two nets' losses and labels."""
    ha, hb = a.history, b.history
    if a.diverged_at or b.diverged_at:
        return notice_compare(a, b, "more capacity")
    return (f"Our run (seed {a.config.seed}, {a.config.epochs} epochs): A's training loss ends at {ha.train_loss[-1]:.3f} and its validation MSE at "
            f"{ha.val_loss[-1]:.3f}: {a.fit}. B drives its training loss down to {hb.train_loss[-1]:.3f} while its "
            f"validation MSE is lowest at epoch {hb.best_epoch} ({hb.best_val_loss:.3f}) and ends at "
            f"{hb.val_loss[-1]:.3f}: {b.fit}.")


# the banner of these presets ends with what their runs (A, B) show, computed when shown (nncore.ui.ab)
PRESET_NOTICES = {"004: red wine, 3×512, early stopping": notice_wine_stopping,
                  "004: red wine, 1 vs 3 layers of 512": notice_wine_capacity}


def notice_curves(r: Result) -> str:
    """The fit label and the numbers behind it."""
    h = r.history
    if r.diverged_at:
        return f"The loss became inf or NaN at epoch {r.diverged_at}: the run stopped there. Lower the learning rate."
    text = r.fit_reason
    if h.best_epoch and h.best_epoch < 0.8 * len(h.val_loss) and r.fit == "overfit":
        text += (f" The validation loss was lowest at epoch {h.best_epoch} ({h.best_val_loss:.3f}); it ended at "
                 f"{h.val_loss[-1]:.3f}, while the training loss went {h.train_loss[h.best_epoch - 1]:.3f} → "
                 f"{h.train_loss[-1]:.3f}.")
    return text


def notice_compare(off: Result, on: Result, technique: str) -> str:
    """A/B: did the technique shrink the gap between the validation and the training loss (final models)?"""
    if off.diverged_at or on.diverged_at:
        which = "A" if off.diverged_at else "B"
        return f"Run {which} diverged (the loss became inf or NaN); compare the two once both train."
    h0, h1 = off.history, on.history
    g0, g1 = h0.final_val_loss - h0.final_train_loss, h1.final_val_loss - h1.final_train_loss
    verdict = "shrinks" if g1 < g0 - 0.01 else ("widens" if g1 > g0 + 0.01 else "barely changes")
    errors = (f"validation error {off.val_err:.1%} → {on.val_err:.1%}, training error {off.train_err:.1%} → "
              f"{on.train_err:.1%}" if off.kind == "classification" else
              f"training loss {h0.final_train_loss:.3f} → {h1.final_train_loss:.3f} (mean squared error)")
    return (f"With {technique}, the gap between validation and training loss {verdict}: {g0:.3f} → {g1:.3f} "
            f"(validation loss {h0.final_val_loss:.3f} → {h1.final_val_loss:.3f}); {errors}.")


def notice_dropout(r: Result) -> str:
    """000: why validation can beat the training accuracy Keras reports (regression: the same story in MSE)."""
    h = r.history
    if r.diverged_at:
        return "The run diverged: there is no final model to measure."
    if h.train_acc is None:
        what, fmt, better = "loss (mean squared error)", "{:.3f}", "below"
        reported, val, clean = h.train_loss[-1], h.val_loss[-1], h.final_train_loss
        side = "below" if val < reported else "above"
    else:
        what, fmt, better = "accuracy", "{:.1%}", "above"
        reported, val, clean = h.train_acc[-1], h.val_acc[-1], h.final_train_acc
        side = "above" if val > reported else "below"
    shown = dict(reported=fmt.format(reported), val=fmt.format(val), clean=fmt.format(clean))
    if r.config.dropout == 0:
        return (f"Without dropout the training {what} reported during the epoch ({shown['reported']}) and the "
                f"eval-mode one ({shown['clean']}) nearly agree; validation: {shown['val']}.")
    verdict = "better than" if side == better else "not better than"
    return (f"The training {what} reported during the last epoch is {shown['reported']}: measured with dropout on "
            f"(p = {r.config.dropout:g}), on a thinned net. Validation runs in eval mode, the full net: "
            f"{shown['val']}, {side} it ({verdict} the reported training number). The same final weights in eval "
            f"mode score {shown['clean']} on the training set (000).")


def notice_expectation(ex: dict) -> str:
    """002's dropout neuron, with this p: the expectation in training, test-time scaling, inverted dropout."""
    p = ex["p"]
    (w1, w2), (x, y) = ex["w"], ex["x"]
    return (f"With w = ({w1:g}, {w2:g}) and inputs (x, y) = ({x:g}, {y:g}), the full neuron gives a = {ex['a']:g}. "
            f"With dropout "
            f"p = {p:g} its expected output in training is {ex['expected']:.3g} = (1 − p)·a, so at test time the "
            f"lecture multiplies by 1 − p = {1 - p:g}: {ex['test_time_scaled']:.3g}. Torch's inverted dropout "
            f"divides by 1 − p in training instead: the mean over {ex['samples']:,} sampled masks is "
            f"{ex['inverted_mc']:.3f} ≈ a.")


SGD_FAMILY = ("sgd", "momentum", "nesterov")   # the other optimizers divide each gradient by a running √v


def penalty_runs(a: Config, b: Config) -> dict[str, Config]:
    """The weight lesson's runs: A without a penalty, L1 and L2 at B's strength λ, and decoupled decay 2λ."""
    lam = min(max(b.l1, b.l2, b.weight_decay / 2) or 0.005, params.spec(Config, "l1")["hi"])   # the L1 slider's range
    return {"none": a, "l1": dataclasses.replace(a, l1=lam), "l2": dataclasses.replace(a, l2=lam),
            "decay": dataclasses.replace(a, weight_decay=2 * lam)}


def notice_weights(runs: dict[str, Result]) -> str:
    """What the penalties did to the weights (exact zeros, median |w|) and why, for the optimizer of the runs."""
    med = {k: float(np.median(np.abs(r.weights))) for k, r in runs.items()}
    zeros = {k: r.zero_weights for k, r in runs.items()}
    n = len(runs["none"].weights)
    c = runs["l2"].config
    lam, decay, lr, opt = c.l2, runs["decay"].config.weight_decay, c.lr, training.OPTIMIZERS[c.optimizer].label
    facts = f"Of the {n:,} weights, " + "; ".join(
        f"{penalty_name(r.config)}: {zeros[k]:,} exactly 0 ({zeros[k] / n:.0%}), median |w| {med[k]:.3g}"
        for k, r in runs.items()) + ". "
    if c.optimizer in SGD_FAMILY:
        per_step = f" = {lr * lam:.2g}" if c.optimizer == "sgd" else ""
        reached = (f"so small weights reach 0 and stay there ({zeros['l1']:,} here)" if zeros["l1"] else
                   "though at this λ none has reached exactly 0 yet")
        smaller = "get small" if med["l2"] < 0.8 * med["none"] else "barely change at this λ"
        why = (f"With {opt}, L1's gradient λ·sign(w) pulls every weight toward 0 by the same lr·λ{per_step} a step, "
               f"{reached}; L2's gradient 2λw takes the same fraction 2·lr·λ of every weight, so weights {smaller} "
               f"(median {med['none']:.3g} → {med['l2']:.3g}) but do not reach 0 ({zeros['l2']:,} exactly 0 here). ")
        same = (f"Decoupled decay multiplies every weight by 1 − lr·decay = {1 - lr * decay:.4g} each step: with plain "
                f"SGD that is exactly L2 with λ = decay/2 = {decay / 2:g} (median {med['decay']:.3g} against "
                f"{med['l2']:.3g})." if c.optimizer == "sgd" else
                f"With momentum, decay {decay:g} and L2 λ = {decay / 2:g} differ (L2's gradient runs through the "
                f"velocity, the decay does not): median {med['decay']:.3g} against {med['l2']:.3g}.")
        return facts + why + same
    order = "below" if med["l2"] < med["l1"] else "above"
    why = (f"{opt} divides every gradient, the penalty's too, by √v, the running RMS of that weight's own gradients: "
           "a weight the data barely uses feels mostly the penalty and steps up to lr toward 0 whatever λ, a weight "
           "with large data gradients has a large √v and hardly feels it. So L2 no longer shrinks every weight in "
           f"proportion: its median |w| ({med['l2']:.3g}) is {order} L1's ({med['l1']:.3g})"
           + (", the opposite of plain SGD's picture. " if order == "below" else ". "))
    same = (f"Decoupled decay (AdamW) is not divided by √v: each step it takes the share lr·decay = "
            f"{lr * decay:.2g} of every weight, the same for all (median {med['decay']:.3g}, where L2 with λ = decay/2 left "
            f"{med['l2']:.3g}).")
    return facts + why + same


def penalty_name(c: Config) -> str:
    """'L1 0.005 + L2 0.001', 'decay 0.1' or 'no penalty'."""
    bits = [f"L1 {c.l1:g}" if c.l1 else "", f"L2 {c.l2:g}" if c.l2 else "",
            f"decay {c.weight_decay:g}" if c.weight_decay else ""]
    return " + ".join(b for b in bits if b) or "no penalty"


def notice_early_stopping(r: Result) -> str:
    """Where the run stopped, what it restored, and what that cost or saved."""
    h, c = r.history, r.config
    if c.patience is None:
        return (f"Without early stopping the run trains all {c.epochs} epochs; the validation loss was lowest at "
                f"epoch {h.best_epoch} ({h.best_val_loss:.3f}) and ends at {h.val_loss[-1]:.3f}.")
    if h.stop_reason != "early_stopping":
        return (f"The validation loss kept improving by more than min_delta = {c.min_delta:g} at least every "
                f"{c.patience} epochs, so the run used all {c.epochs} epochs.")
    return (f"Best epoch {h.best_epoch} (validation loss {h.best_val_loss:.3f}); no improvement larger than "
            f"{c.min_delta:g} in the next {c.patience} epochs, so training stopped at epoch {h.stopped_epoch} and "
            f"restored epoch {h.best_epoch}'s weights: the returned model scores validation loss "
            f"{h.final_val_loss:.3f}, exactly that epoch's.")


def notice_bn(r: Result) -> str:
    """Train vs eval mode on one batch."""
    b = r.bn_batch
    if b is None:
        return "Turn batch norm on to compare train and eval mode on one batch."
    diff = float(np.abs(b["train_out"] - b["eval_out"]).max())
    return (f"On this batch of {b['batch']}, the first unit's batch mean is {b['batch_mean'][0]:.3f} while the running "
            f"mean is {b['running_mean'][0]:.3f}: train mode (batch statistics) and eval mode (running averages) "
            f"give outputs up to {diff:.2f} apart for the same inputs.")


def notice_activations(r: Result) -> str:
    """How the spread of the hidden activations changed during training."""
    if len(r.act_std) < 2:
        return "Too few epochs to follow the activations."
    first, last = r.act_std[0], r.act_std[-1]
    layer = int(np.argmax(np.abs(np.log((last + 1e-12) / (first + 1e-12)))))
    return (f"The std of hidden layer {layer + 1}'s output went {first[layer]:.3g} → {last[layer]:.3g} over training"
            + (" (batch norm re-standardizes each layer)." if r.config.norm != "none" else "."))


def notice_path(p: PathResult) -> str:
    """Which strength gave the lowest validation loss, and what the strongest one did."""
    if not len(p.lambdas):
        return "No strengths were run."
    i = int(np.argmin(p.val_loss))
    strongest = (f"at λ = {p.lambdas[-1]:.2g} the training loss is {p.train_loss[-1]:.3f} and the validation loss "
                 f"{p.val_loss[-1]:.3f}")
    if i < len(p.lambdas) - 1 and p.train_loss[-1] > 1.2 * p.train_loss[i] and p.val_loss[-1] > p.val_loss[i]:
        strongest += ": both rose, too strong a penalty underfits"
    falls = "falls" if p.weight_norm[-1] < p.weight_norm[0] else "goes"
    return (f"The lowest validation loss, {p.val_loss[i]:.3f}, comes at λ = {p.lambdas[i]:.2g} (without a penalty: "
            f"{p.baseline_val_loss:.3f}); {strongest}. Σ|w| {falls} from {p.weight_norm[0]:.3g} to "
            f"{p.weight_norm[-1]:.3g}.")
