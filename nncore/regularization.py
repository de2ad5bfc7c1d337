"""The run the regularization lessons share (capacity, dropout, normalization, weight penalties, early stopping,
augmentation): train an MLP on a small data set and watch the training and validation curves separate (002
"Underfitting vs Overfitting" ... "Data Augmentation", 001 "Regularization", 004 "Capacity", "Early Stopping", 000).

`run(Config(...))` trains through `nncore.training.train` and returns the history, the fit label by 000's rules,
the decision boundary of 2D sets, the weights and per-layer activation statistics. Each lesson's module in
nncore/experiments names this run for its page and adds its own presets, pieces and notices.
"""
from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from nncore import activations, data, models, training, uploads
from nncore.params import Repeat, param, validate
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

    dataset: str = param("moons", choices=data.DATASETS, accepts=uploads.is_upload, label="Data set",
                         help=uploads.FIELD_HELP)
    n_samples: int = param(1000, 20, 5000, label="Samples", step=10,
                           help="Points in the whole set; 30% are held out for validation (digits: at most 1,797; "
                                "red wine: 1,599).")
    noise: float = param(0.3, 0.0, 1.0, step=0.05, label="Noise", help="Std of the noise added to the 2D sets.")
    hidden: tuple[int, ...] = param((64, 64), label="Hidden layers", help="Units in each hidden layer.",
                                    link=Repeat("depth", "width"))
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
    entry, notes = data.dataset(cfg.dataset), []
    if cfg.n_samples > entry.max_samples and uploads.is_upload(cfg.dataset):
        notes.append(f"Your data has {entry.max_samples:,} rows: all of them are used (Samples asks for "
                     f"{cfg.n_samples:,}).")
    elif cfg.n_samples > entry.max_samples:
        raise ValueError(f"{entry.label} has at most {entry.max_samples:,} samples (got {cfg.n_samples:,}).")
    n = min(cfg.n_samples, entry.max_samples)
    n_train = n - round(n * VAL_FRACTION)
    if cfg.batch_size > n_train:
        notes.append(f"The batch size {cfg.batch_size:,} is larger than the {n_train:,} training samples: every "
                     "step uses the whole training set (full batch).")
    if cfg.batch_size == 1 and cfg.norm == "batch":
        raise ValueError("Batch norm needs at least 2 samples per batch: the mean and variance of a single sample "
                         "say nothing (the output would be all zeros). Use a larger batch, or layer norm.")
    bs = n_train if cfg.batch_size in (0,) or cfg.batch_size > n_train else cfg.batch_size
    widths = (entry.n_features, *cfg.hidden, max(entry.n_classes, 1))
    macs = cfg.epochs * n * sum(a * b for a, b in zip(widths, widths[1:]))
    steps = cfg.epochs * math.ceil(n_train / bs)
    if macs > MAC_BUDGET or steps > STEP_BUDGET:
        raise ValueError(f"This run is too large for a shared classroom server ({macs:.1e} multiply-adds, "
                         f"{steps:,} steps; the limits are {MAC_BUDGET:.0e} and {STEP_BUDGET:,}). "
                         "Use fewer epochs, smaller layers or larger batches.")
    return notes


def spec_of(cfg: Config) -> tuple[models.MLPSpec, training.TrainSpec]:
    """The model and training specs a config stands for."""
    entry = data.dataset(cfg.dataset)
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


# ---- Reference runs more than one lesson starts from ----

# A large net on a few noisy points: dropout, early stopping and the penalties start from it.
OVERFIT = Config(n_samples=150, noise=0.3, hidden=(128, 128), epochs=400)

# 004's red-wine net: three Dense(512, relu) layers, a linear output, Adam (Keras' lr 0.001), MSE, batches of 256,
# the 70/30 split of all 1,599 wines. At most 60 epochs (004: 500; 60 is MAC_BUDGET): run A of each page trains
# every one of them. The wines ignore `noise`; it keeps the page's own default, so a preset's link stays short.
RED_WINE = Config(dataset="red_wine", n_samples=1599, noise=0.3, hidden=(512, 512, 512), optimizer="adam", lr=0.001,
                  epochs=60, batch_size=256)
WINE_SETUP = "MSE, Adam, batches of 256, 1,119 wines to train and 480 to validate"


# ---- "What to notice" in any of these runs ----

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
