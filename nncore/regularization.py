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
from nncore.i18n import N_, _, number
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

    dataset: str = param("moons", choices=data.DATASETS, accepts=uploads.is_upload, label=N_("Data set"),
                         help=uploads.FIELD_HELP)
    n_samples: int = param(1000, 20, 5000, label=N_("Samples"), step=10,
                           help=N_("Points in the whole set; 30% are held out for validation (digits: at most 1,797; "
                                   "red wine: 1,599)."))
    noise: float = param(0.3, 0.0, 1.0, step=0.05, label=N_("Noise"), help=N_("Std of the noise added to the 2D sets."))
    hidden: tuple[int, ...] = param((64, 64), label=N_("Hidden layers"), help=N_("Units in each hidden layer."),
                                    link=Repeat("depth", "width"))
    activation: str = param("relu", choices=ACTIVATION_CHOICES, label=N_("Activation"))
    dropout: float = param(0.0, 0.0, 0.9, step=0.05, label=N_("Dropout p"),
                           help=N_("Probability of zeroing each hidden unit in training (inverted dropout: the kept "
                                   "ones are scaled by 1/(1-p), so eval mode needs no rescaling)."))
    norm: str = param("none", choices=tuple(models.NORMS), label=N_("Normalization"))
    norm_placement: str = param("before", choices=models.PLACEMENTS, label=N_("Norm placement"),
                                help=N_("Before or after the activation."))
    l1: float = param(0.0, 0.0, 0.02, step=0.0005, label=N_("L1 λ"), help=N_("Adds λ·Σ|w| to the loss (weights only)."))
    l2: float = param(0.0, 0.0, 0.05, step=0.0005, label=N_("L2 λ"), help=N_("Adds λ·Σw² to the loss (weights only)."))
    weight_decay: float = param(0.0, 0.0, 0.5, step=0.01, label=N_("Weight decay (decoupled)"),
                                help=N_("w ← w − lr·decay·w at each step, outside the loss (AdamW); with plain SGD "
                                        "the same as L2 with λ = decay/2."))
    optimizer: str = param("adam", choices=training.OPTIMIZERS, label=N_("Optimizer"))
    lr: float = param(0.01, 1e-4, 10.0, log=True, label=N_("Learning rate"))
    epochs: int = param(300, 1, 2000, step=10, label=N_("Epochs"))
    batch_size: int = param(0, 0, 5000, label=N_("Batch size (0 = full batch)"))
    patience: int | None = param(None, label=N_("Early-stopping patience"),
                                 help=N_("Stop after this many epochs without a validation-loss improvement; None: off."))
    min_delta: float = param(0.0, 0.0, 0.1, step=0.001, label=N_("min_delta"),
                             help=N_("A validation loss counts as better only if it drops by more than this."))
    augment: bool = param(False, label=N_("Augmentation"),
                          help=N_("Jitter the inputs (std 0.1 in standardized units: the 2D points, the wines' 11 "
                                  "measurements) or shift and rotate the digits, anew each batch."))
    seed: int = param(0, 0, 2**31 - 1, label=N_("Seed"))


@dataclass(frozen=True, eq=False)
class Result:
    """A run: its history, how it ended, the fit label, and what the charts draw."""

    config: Config
    history: training.History
    best_epoch: int | None
    stopped_epoch: int
    diverged_at: int | None
    stop_message: str
    fit: str                    # "underfit", "fair", "overfit", "val better than train" or "diverged": see fit_label
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
    note_args: tuple[tuple[str, dict], ...]   # (English message, its numbers): see notes
    seconds: float

    @property
    def fit_reason(self) -> str:
        """Why the run got its fit label, with the numbers, in the current language (made when shown: a cached
        Result serves every language)."""
        return classify_fit(self.history, self.train_err, self.val_err, self.chance_err)[1]

    @property
    def notes(self) -> tuple[str, ...]:
        """Notes on adjusted values (an oversized batch, restored weights) in the current language."""
        return tuple(_note(message, numbers) for message, numbers in self.note_args)


# The fit labels as a student reads them (Result.fit keeps the English id the code compares).
FIT_LABELS = {"underfit": N_("underfit"), "fair": N_("fair"), "overfit": N_("overfit"),
              "val better than train": N_("val better than train"), "diverged": N_("diverged")}


def fit_label(r: Result) -> str:
    """The run's fit label in the current language."""
    return _(FIT_LABELS.get(r.fit, r.fit))


def _note(message: str, numbers: dict) -> str:
    """A note kept as its English message and numbers {name: (value, format spec)}, in the current language."""
    return _(message).format(**{k: number(v, spec) for k, (v, spec) in numbers.items()})


def _hidden_error(cfg: Config) -> str | None:
    if not isinstance(cfg.hidden, tuple) or not cfg.hidden:
        return _("The net needs at least one hidden layer.")
    if len(cfg.hidden) > MAX_LAYERS:
        return _("At most {most} hidden layers (got {n}).").format(most=MAX_LAYERS, n=len(cfg.hidden))
    if any(not isinstance(w, int) or isinstance(w, bool) or not 1 <= w <= MAX_WIDTH for w in cfg.hidden):
        return _("Each hidden layer needs between 1 and {most} units (got {hidden}).").format(most=MAX_WIDTH,
                                                                                           hidden=cfg.hidden)
    return None


def check(cfg: Config) -> list[str]:
    """Raise ValueError for an invalid config or one beyond the compute budget; return notes on adjusted values."""
    return [_note(message, numbers) for message, numbers in _check(cfg)]


def _check(cfg: Config) -> list[tuple[str, dict]]:
    """check()'s notes as (English message, numbers), translated when shown (Result.notes)."""
    validate(cfg)
    problem = _hidden_error(cfg)
    if problem:
        raise ValueError(problem)
    if cfg.patience is not None and (not isinstance(cfg.patience, int) or not 1 <= cfg.patience <= 1000):
        raise ValueError(_("Patience must be between 1 and 1000 epochs, or off (got {patience}).").format(
            patience=repr(cfg.patience)))
    entry, notes = data.dataset(cfg.dataset), []
    if cfg.n_samples > entry.max_samples and uploads.is_upload(cfg.dataset):
        notes.append((N_("Your data has {rows} rows: all of them are used (Samples asks for {asked})."),
                      dict(rows=(entry.max_samples, ","), asked=(cfg.n_samples, ","))))
    elif cfg.n_samples > entry.max_samples:
        raise ValueError(_("{data} has at most {most} samples (got {n}).").format(
            data=entry.label, most=number(entry.max_samples, ","), n=number(cfg.n_samples, ",")))
    n = min(cfg.n_samples, entry.max_samples)
    n_train = n - round(n * VAL_FRACTION)
    if cfg.batch_size > n_train:
        notes.append((N_("The batch size {batch} is larger than the {n} training samples: every step uses the whole "
                         "training set (full batch)."), dict(batch=(cfg.batch_size, ","), n=(n_train, ","))))
    if cfg.batch_size == 1 and cfg.norm == "batch":
        raise ValueError(_("Batch norm needs at least 2 samples per batch: the mean and variance of a single sample "
                           "say nothing (the output would be all zeros). Use a larger batch, or layer norm."))
    bs = n_train if cfg.batch_size in (0,) or cfg.batch_size > n_train else cfg.batch_size
    widths = (entry.n_features, *cfg.hidden, max(entry.n_classes, 1))
    macs = cfg.epochs * n * sum(a * b for a, b in zip(widths, widths[1:]))
    steps = cfg.epochs * math.ceil(n_train / bs)
    if macs > MAC_BUDGET or steps > STEP_BUDGET:
        raise ValueError(_("This run is too large for a shared classroom server ({macs} multiply-adds, {steps} steps; "
                           "the limits are {max_macs} and {max_steps}). Use fewer epochs, smaller layers or larger "
                           "batches.").format(macs=number(macs, ".1e"), steps=number(steps, ","),
                                              max_macs=number(MAC_BUDGET, ".0e"), max_steps=number(STEP_BUDGET, ",")))
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
        return "diverged", _("The loss became inf or NaN at epoch {epoch}: lower the learning rate.").format(
            epoch=h.diverged_at)
    regression = h.val_acc is None   # errors are MSE / Var(y): predicting the training mean scores 100%
    pct = ".0%" if regression else ".1%"   # a regression's errors as shares of Var(y)
    gap = val_err - train_err
    end = h.best_epoch if h.restored_best and h.best_epoch else len(h.val_loss)   # the returned model's epoch
    best = int(np.nanargmin(h.val_loss[:end]))
    rise = h.val_loss[end - 1] - h.val_loss[best]
    train_fell = h.train_loss[end - 1] < h.train_loss[best]
    tail = min(max(2, len(h.train_loss) // 10), len(h.train_loss))   # a 1-epoch run has no tail to compare
    drop = h.train_loss[-tail] - h.train_loss[-1]
    still_learning = len(h.train_loss) > 10 and drop > 0.05 * h.train_loss[-tail] and drop > 0.02 * h.train_loss[0]
    errors = dict(train=number(train_err, pct), val=number(val_err, pct), gap=number(gap, pct))
    if train_err > 0.3 * chance_err or (still_learning and gap < 0.03):
        if train_err <= 0.3 * chance_err:
            return "underfit", _("Underfitting: the training loss still fell {drop} in the last {tail} epochs; more "
                                 "capacity or more epochs would help (000, 004).").format(
                drop=number(1 - h.train_loss[-1] / h.train_loss[-tail], ".0%"), tail=tail)
        if regression:
            return "underfit", _("Underfitting: the training MSE is {train} of Var(y), over {limit} of what "
                                 "predicting the mean scores; more capacity or more epochs would help (000, "
                                 "004).").format(limit=number(0.3, ".0%"), **errors)
        return "underfit", _("Underfitting: the training error is {train}, over {line} ({limit} of the {chance} of "
                             "always answering the most frequent class); more capacity or more epochs would help "
                             "(000, 004).").format(line=number(0.3 * chance_err, ".1%"), limit=number(0.3, ".0%"),
                                             chance=number(chance_err, ".1%"), **errors)
    if gap > 0.05:
        return "overfit", (_("Overfitting: the validation MSE ({val} of Var(y)) is {gap} of Var(y) above the "
                             "training MSE ({train} of Var(y)).") if regression else
                           _("Overfitting: the validation error ({val}) is {gap} above the training error "
                             "({train}).")).format(**errors)
    if rise > max(0.1 * h.val_loss[best], 0.02) and train_fell:
        return "overfit", _("Overfitting: the validation loss rose {rise} from its minimum at epoch {epoch} while the "
                            "training loss kept falling.").format(rise=number(rise / h.val_loss[best], ".0%"),
                                                                  epoch=best + 1)
    if gap < -0.03:
        return "val better than train", (_(
            "The validation MSE ({val} of Var(y)) is below the training MSE ({train} of Var(y)): 000's 'unknown "
            "fit'. 000 first checks it with k-fold cross-validation, then suspects hard training cases and easy "
            "validation cases, dropout, a too-small batch; 002 adds a validation set too small for its statistics "
            "to mean much.") if regression else _(
            "The validation error ({val}) is below the training error ({train}): 000's 'unknown fit'. 000 first "
            "checks it with k-fold cross-validation, then suspects hard training cases and easy validation cases, "
            "dropout, a too-small batch; 002 adds a validation set too small for its statistics to mean much.")
        ).format(**errors)
    return "fair", (_("A fair fit: the validation MSE ({val} of Var(y)) is low and close to the training MSE ({train} "
                      "of Var(y)).") if regression else
                    _("A fair fit: the validation error ({val}) is low and close to the training error "
                      "({train}).")).format(**errors)


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
    notes = _check(cfg)
    d = load(cfg)
    mlp_spec, spec = spec_of(cfg)
    if d.kind == "regression":   # start at the targets' mean: the wines' quality is ~5.6, not 0 (see spec_of)
        mlp_spec = dataclasses.replace(mlp_spec, output_bias=float(d.y_train.mean()))
    model = models.build(mlp_spec, torch.Generator().manual_seed(cfg.seed))
    probe, rows = _activation_probe(model, d.x_train[:PROBE], cfg.epochs)
    h = training.train(model, d, spec, seed=cfg.seed, on_progress=on_progress, on_epoch=probe)
    model.eval()
    train_err, val_err, chance = _errors(model, d, h) if not h.diverged_at else (math.nan, math.nan, math.nan)
    fit = classify_fit(h, train_err, val_err, chance)[0]
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
        notes.append((N_("Early stopping restored the weights of epoch {epoch}: the charts below show that model."),
                      dict(epoch=(h.best_epoch, "d"))))
    if rows:
        snap_epochs = np.array([r[0] for r in rows])
        quants, stds = np.stack([r[1] for r in rows]), np.stack([r[2] for r in rows])
    else:
        snap_epochs, quants, stds = np.zeros(0, int), np.zeros((0, len(cfg.hidden), 5)), np.zeros((0, len(cfg.hidden)))
    report(on_progress, h.stopped_epoch, cfg.epochs, "done")
    return Result(cfg, h, h.best_epoch, h.stopped_epoch, h.diverged_at, h.stop_message, fit, train_err, val_err,
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
# (the presets' notes spell it out: a note is one message of the catalog)
WINE_SETUP = "MSE, Adam, batches of 256, 1,119 wines to train and 480 to validate"


# ---- "What to notice" in any of these runs ----

def notice_curves(r: Result) -> str:
    """The fit label and the numbers behind it."""
    h = r.history
    if r.diverged_at:
        return _("The loss became inf or NaN at epoch {epoch}: the run stopped there. Lower the learning "
                 "rate.").format(epoch=r.diverged_at)
    text = r.fit_reason
    if h.best_epoch and h.best_epoch < 0.8 * len(h.val_loss) and r.fit == "overfit":
        text += " " + _("The validation loss was lowest at epoch {epoch} ({best}); it ended at {end}, while the "
                        "training loss went {before} → {after}.").format(
            epoch=h.best_epoch, best=number(h.best_val_loss, ".3f"), end=number(h.val_loss[-1], ".3f"),
            before=number(h.train_loss[h.best_epoch - 1], ".3f"), after=number(h.train_loss[-1], ".3f"))
    return text


# notice_compare's sentences: (how the gap changed, classification or regression)
_COMPARE = {
    ("shrinks", "classification"): N_(
        "With {technique}, the gap between validation and training loss shrinks: {gap_a} → {gap_b} (validation loss "
        "{val_a} → {val_b}); validation error {err_a} → {err_b}, training error {train_err_a} → {train_err_b}."),
    ("widens", "classification"): N_(
        "With {technique}, the gap between validation and training loss widens: {gap_a} → {gap_b} (validation loss "
        "{val_a} → {val_b}); validation error {err_a} → {err_b}, training error {train_err_a} → {train_err_b}."),
    ("barely changes", "classification"): N_(
        "With {technique}, the gap between validation and training loss barely changes: {gap_a} → {gap_b} "
        "(validation loss {val_a} → {val_b}); validation error {err_a} → {err_b}, training error {train_err_a} → "
        "{train_err_b}."),
    ("shrinks", "regression"): N_(
        "With {technique}, the gap between validation and training loss shrinks: {gap_a} → {gap_b} (validation loss "
        "{val_a} → {val_b}); training loss {train_a} → {train_b} (mean squared error)."),
    ("widens", "regression"): N_(
        "With {technique}, the gap between validation and training loss widens: {gap_a} → {gap_b} (validation loss "
        "{val_a} → {val_b}); training loss {train_a} → {train_b} (mean squared error)."),
    ("barely changes", "regression"): N_(
        "With {technique}, the gap between validation and training loss barely changes: {gap_a} → {gap_b} "
        "(validation loss {val_a} → {val_b}); training loss {train_a} → {train_b} (mean squared error)."),
}


def notice_compare(off: Result, on: Result, technique: str) -> str:
    """A/B: did the technique shrink the gap between the validation and the training loss (final models)?
    `technique` is a phrase in the current language ("dropout p = 0.5")."""
    if off.diverged_at or on.diverged_at:
        return (_("Run A diverged (the loss became inf or NaN); compare the two once both train.") if off.diverged_at
                else _("Run B diverged (the loss became inf or NaN); compare the two once both train."))
    h0, h1 = off.history, on.history
    g0, g1 = h0.final_val_loss - h0.final_train_loss, h1.final_val_loss - h1.final_train_loss
    verdict = "shrinks" if g1 < g0 - 0.01 else ("widens" if g1 > g0 + 0.01 else "barely changes")
    kind = "classification" if off.kind == "classification" else "regression"
    f3 = lambda v: number(v, ".3f")
    return _(_COMPARE[verdict, kind]).format(
        technique=technique, gap_a=f3(g0), gap_b=f3(g1), val_a=f3(h0.final_val_loss), val_b=f3(h1.final_val_loss),
        train_a=f3(h0.final_train_loss), train_b=f3(h1.final_train_loss), err_a=number(off.val_err, ".1%"),
        err_b=number(on.val_err, ".1%"), train_err_a=number(off.train_err, ".1%"),
        train_err_b=number(on.train_err, ".1%"))
