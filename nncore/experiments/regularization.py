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

import numpy as np
import torch
import torch.nn.functional as F

from nncore import activations, data, models, training
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
                                help="w ← w − lr·decay·w after each step, outside the loss (AdamW).")
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
                if regression else f"the training error is {train_err:.0%}, over 30% of chance's {chance_err:.0%}")
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
                                         f"({share(train_err)}): 000's 'unknown fit' (small or easy validation set).")
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


def augmented_gallery(seed: int = 0, digits: int = 6, copies: int = 5, max_shift: int = 1,
                      max_rotation: float = 15.0) -> np.ndarray:
    """(digits, 1 + copies, 8, 8) pixel values 0..16: each row an original digit, then augmented copies of it."""
    d = data.load("digits", 1797, seed=seed, val_fraction=0.5)
    gen = torch.Generator().manual_seed(seed)
    x = d.x_train[:digits].repeat_interleave(copies, 0)
    aug = data.augment_batch(x, gen, d.image_shape, max_shift=max_shift, max_rotation=max_rotation)
    raw = lambda t: (t * d.std + d.mean).reshape(-1, 8, 8)
    out = torch.cat([raw(d.x_train[:digits])[:, None], raw(aug).reshape(digits, copies, 8, 8)], 1)
    return out.clamp(0, 16).numpy()


# ---- Presets and "what to notice" ----

OVERFIT = Config(n_samples=150, noise=0.3, hidden=(128, 128), epochs=400)
PRESETS = {
    "Fair fit: 100 epochs": Preset(Config(epochs=100), "Two layers of 64 on 700 noisy points, 100 epochs: the "
                                   "curves stay close. (At the default 300 epochs the validation loss turns up.)",
                                   "000 'Resonable/fair fit'"),
    "Underfit: one tiny layer": Preset(Config(hidden=(2,), epochs=100), "Two units cannot bend the boundary around "
                                       "the moons: training and validation errors are both high.",
                                       "004 'Underfitting', 001 'underfitting checklist'"),
    "Overfit: big net, 105 points": Preset(OVERFIT, "128x128 units memorize 105 noisy points: the training loss "
                                          "falls toward 0 while the validation loss climbs.", "002/004 'Overfitting'"),
    "Overfit + dropout 0.5": Preset(dataclasses.replace(OVERFIT, dropout=0.5),
                                    "Same net and data; dropout keeps the validation loss from running away.",
                                    "002 'Dropout', 004 'Dropout'"),
    "Overfit + L2": Preset(dataclasses.replace(OVERFIT, l2=0.005), "An L2 penalty keeps the weights small: a "
                           "smoother boundary and a smaller gap.", "002 'Regularization', 001 'L2 penalty'"),
    "Overfit + early stopping": Preset(dataclasses.replace(OVERFIT, patience=20), "Stops 20 epochs after the "
                                       "validation minimum and restores that epoch's weights.",
                                       "002 'Early Stopping', 004 'Early Stopping'"),
}

# 004's red-wine net: three Dense(512, relu) layers, a linear output, Adam (Keras' lr 0.001), MSE, batches of 256,
# the 70/30 split of all 1,599 wines. At most 60 epochs (004: 500): run A of each page trains every one of them.
# The wines ignore `noise`; it keeps the pages' 0.3, which a shared link restores (a slider's minimum is not written).
RED_WINE = Config(dataset="red_wine", n_samples=1599, noise=0.3, hidden=(512, 512, 512), optimizer="adam", lr=0.001,
                  epochs=60, batch_size=256)
EARLY_STOPPING_PRESETS = {
    "Overfit + early stopping": PRESETS["Overfit + early stopping"],
    "004: red wine, 3×512, early stopping": Preset(
        dataclasses.replace(RED_WINE, patience=20, min_delta=0.001),
        "004's example: three Dense(512) ReLU layers, MSE, Adam, batches of 256, EarlyStopping(min_delta=0.001, "
        "patience=20, restore_best_weights=True), 1,119 wines to train and 480 to validate. Our run (seed 0, at "
        "most 60 epochs instead of 004's 500, so that A stays a few seconds): the validation MSE is lowest at "
        "best epoch 33 (0.384); no improvement larger than 0.001 follows, so B stops at epoch 53 and restores "
        "epoch 33's weights: validation MSE 0.384, training MSE 0.154. A trains all 60 epochs and ends at "
        "validation MSE 0.416, training MSE 0.056. The quality is predicted in points (004 scales it to [0, 1]).",
        "004 'Early Stopping'"),
}
CAPACITY_PRESETS = {
    "004: red wine, 1 vs 3 layers of 512": Preset(
        (dataclasses.replace(RED_WINE, hidden=(512,)), RED_WINE),
        "004's 'Capacity' code: one hidden layer of 512 ReLU units (A) against three (B), MSE, Adam, batches of "
        "256, 60 epochs on the 1,119 + 480 wines. Our run (seed 0): A's training loss ends at 0.301 and its "
        "validation MSE at 0.426: both high, underfit. B drives its training loss down to 0.061 while its "
        "validation MSE is lowest at epoch 33 (0.384) and ends at 0.416: overfit.", "004 'Capacity'"),
}


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


def notice_weights(runs: list[Result]) -> str:
    """How the penalties changed the weights: exact zeros and sizes."""
    parts = []
    for r in runs:
        w = np.abs(r.weights)
        parts.append(f"{penalty_name(r.config)}: {r.zero_weights:,} of {len(w):,} weights exactly 0, "
                     f"median |w| {np.median(w):.3g}")
    return "; ".join(parts) + ". L1 pushes every weight toward 0 by the same amount, so small ones reach it; " \
        "L2 shrinks each in proportion to its size, so they get small but not 0."


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
    """Which strength gave the lowest validation loss."""
    if not len(p.lambdas):
        return "No strengths were run."
    i = int(np.argmin(p.val_loss))
    return (f"The lowest validation loss, {p.val_loss[i]:.3f}, comes at λ = {p.lambdas[i]:.2g} (without a penalty: "
            f"{p.baseline_val_loss:.3f}); at λ = {p.lambdas[-1]:.2g} the training loss is {p.train_loss[-1]:.3f}: "
            "too strong a penalty underfits. Σ|w| falls from "
            f"{p.weight_norm[0]:.3g} to {p.weight_norm[-1]:.3g}.")
