"""The LR range test (Smith 2017, "Cyclical Learning Rates", section 3.3): one short run whose learning rate
grows exponentially every batch, from far too small to far too large; the loss against the lr shows where
learning starts, where it is fastest and where it breaks. The lr where the smoothed loss falls fastest is the
suggestion. Trains through nncore.training.train with torch's ExponentialLR stepped per batch."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from torch.optim.lr_scheduler import ExponentialLR

from nncore import models, training
from nncore.i18n import N_, _, number
from nncore.schedule_runs import Setup, check_setup, load_data
from nncore.params import Preset, param
from nncore.progress import OnProgress


@dataclass(frozen=True)
class Config(Setup):
    """The sweep, and the training setup it probes (the race's, so a suggestion carries over)."""

    min_lr: float = param(1e-5, 1e-7, 1.0, log=True, label=N_("Start lr"))
    max_lr: float = param(10.0, 1e-4, 100.0, log=True, label=N_("End lr"))
    epochs: int = param(8, 1, 50, label=N_("Epochs of the sweep"),
                        help=N_("The lr grows every batch over this many epochs (one short run)."))
    smoothing: float = param(0.9, 0.0, 0.99, step=0.01, label=N_("Smoothing β"),
                             help=N_("Exponential moving average of the batch losses (debiased), as fastai does."))
    stop_factor: float = param(4.0, 1.5, 20.0, step=0.5, label=N_("Stop at × the best loss"),
                               help=N_("The sweep ends when the smoothed loss exceeds this × its lowest value."))


@dataclass(frozen=True)
class Result:
    config: Config
    lr: np.ndarray            # (steps,) the lr of each batch
    loss: np.ndarray          # (steps,) that batch's loss
    smooth: np.ndarray        # (steps,) debiased moving average of the loss
    kept: int                 # steps before the smoothed loss broke (exceeded stop_factor x best, or inf/NaN)
    skip: int                 # first steps left out of the suggestion (their average rests on few batches)
    suggestion: float         # lr where the smoothed loss falls fastest (per decade of lr), before it broke
    suggestion_index: int
    lr_at_min: float          # lr of the lowest smoothed loss
    diverged_at: int | None   # first step with a non-finite loss (1-based), if any
    race_lr: float            # the suggestion rounded down to the race's 1-2-5 values


def check(cfg: Config) -> None:
    check_setup(cfg, 1, cfg.epochs)
    if cfg.max_lr <= cfg.min_lr * 10:
        raise ValueError(_("Sweep at least one decade: the end lr ({end}) must be more than 10× the start lr "
                           "({start}).").format(end=number(cfg.max_lr), start=number(cfg.min_lr)))


def smoothed(loss: np.ndarray, beta: float) -> np.ndarray:
    """Debiased exponential moving average: avg_t = β avg_{t-1} + (1-β) loss_t, divided by 1 - β^(t+1)."""
    out, avg = np.empty(len(loss)), 0.0
    for t, value in enumerate(loss):
        avg = beta * avg + (1 - beta) * value
        out[t] = avg / (1 - beta ** (t + 1))
    return out


def nice_lr(x: float) -> float:
    """The largest 1-2-5 value (1, 2, 5 x 10^k) not above x: the values the race's lr slider takes."""
    e = math.floor(math.log10(x) + 1e-12)
    m = x / 10**e
    return float(f"{(5 if m >= 5 else 2 if m >= 2 else 1) * 10**e:.6g}")


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    check(cfg)
    data = load_data(cfg)
    n_train = len(data.x_train)
    per_epoch = len(training.batch_bounds(n_train, min(cfg.batch_size, n_train)))
    steps = cfg.epochs * per_epoch
    gamma = (cfg.max_lr / cfg.min_lr) ** (1 / max(steps - 1, 1))
    model = models.build(models.MLPSpec(data.n_features, data.n_outputs, hidden=(cfg.width, cfg.width)), cfg.seed)
    hist = training.train(model, data, training.TrainSpec(epochs=cfg.epochs, batch_size=cfg.batch_size,
                                                          optimizer=cfg.optimizer, lr=cfg.min_lr),
                          seed=cfg.seed, on_progress=on_progress, scheduler=lambda opt: ExponentialLR(opt, gamma),
                          scheduler_step="batch")
    lr, loss = np.clip(hist.lr_steps, cfg.min_lr, cfg.max_lr), hist.loss_steps
    finite = np.isfinite(loss)
    diverged_at = int(np.argmin(finite)) + 1 if not finite.all() else None
    smooth = smoothed(np.where(finite, loss, np.inf), cfg.smoothing)
    broke = ~np.isfinite(smooth) | (smooth > cfg.stop_factor * np.minimum.accumulate(smooth))
    kept = int(np.argmax(broke)) if broke.any() else len(loss)
    kept = max(kept, 1)
    best = int(np.argmin(smooth[:kept]))
    skip = min(len(lr) // 10, best)  # the first batches' average rests on few, noisy losses (fastai skips 10)
    index = skip + _steepest(lr[skip: best + 1], smooth[skip: best + 1])
    return Result(cfg, lr, loss, smooth, kept, skip, float(lr[index]), index, float(lr[best]), diverged_at,
                  nice_lr(float(lr[index])))


def _steepest(lr: np.ndarray, smooth: np.ndarray) -> int:
    """Index of the most negative slope d(loss)/d(log10 lr); 0 if the loss never fell."""
    if len(lr) < 3:
        return 0
    slope = np.gradient(smooth, np.log10(lr))
    return int(np.argmin(slope))


SMITH = "Smith 2017, 'Cyclical Learning Rates for Training Neural Networks' §3.3, and fast.ai's lr_find (not in the decks)"
PRESETS = {
    N_("Smith: SGD, 1e-5 → 10"): Preset(Config(), N_("Flat at first, then a steep fall and a bottom; past it the loss "
                                                     "climbs again. Pick the rate from the steep part."), SMITH),
    N_("Adam, 1e-6 → 1"): Preset(Config(optimizer="adam", min_lr=1e-6, max_lr=1.0),
                                 N_("The same sweep with Adam: compare where its loss falls fastest and where it breaks "
                                    "with SGD's."), f"002 'Adam'; {SMITH}"),
    N_("Digits, 1e-4 → 10"): Preset(Config(dataset="digits", noise=0.0, samples=1797, min_lr=1e-4),
                                    N_("The same test on real 8x8 images: 64 inputs, 10 classes, so the flat start "
                                       "sits near ln 10 ≈ 2.3, the loss of a uniform guess."),
                                    f"001 'A couple of practical tips' (first loss ~ −log(1/C)); {SMITH}"),
}


def notice(r: Result) -> str:
    """Where the loss starts to fall, falls fastest, bottoms out and breaks, from this sweep."""
    c = r.config
    start = float(r.smooth[r.skip])
    falling = r.skip + np.flatnonzero(r.smooth[r.skip: r.kept] < 0.95 * start)
    text = []
    if len(falling):
        text.append(_("The smoothed loss stays near {start} until lr ≈ {falls}, falls fastest at lr ≈ {suggestion} "
                      "(the suggestion) and bottoms out at lr ≈ {bottom} ({lowest}).").format(
            start=number(start, ".3g"), falls=number(r.lr[falling[0]], ".2g"), suggestion=number(r.suggestion, ".2g"),
            bottom=number(r.lr_at_min, ".2g"), lowest=number(float(np.min(r.smooth[:r.kept])), ".3g")))
    else:
        text.append(_("The loss never fell below 95% of {start} between lr {low} and {high}: sweep higher or "
                      "longer.").format(start=number(start, ".3g"), low=number(r.lr[r.skip], ".2g"),
                                        high=number(r.lr[r.kept - 1], ".2g")))
    if r.kept < len(r.lr):
        values = dict(lr=number(r.lr[r.kept], ".2g"), factor=number(c.stop_factor), step=r.diverged_at)
        text.append((_("Past lr ≈ {lr} it exceeds {factor}× its best and becomes inf/NaN at step {step}.")
                     if r.diverged_at else _("Past lr ≈ {lr} it exceeds {factor}× its best.")).format(**values))
    elif len(falling) and r.smooth[-1] > 1.2 * np.min(r.smooth):
        text.append(_("After the bottom it climbs back to {loss} at lr {lr}, the end of the sweep (below {factor}× "
                      "its best, so the sweep ran to the end).").format(
            loss=number(r.smooth[-1], ".3g"), lr=number(r.lr[-1], ".2g"), factor=number(c.stop_factor)))
    text.append(_("For the race: {race} (the suggestion rounded down to the slider's values); fastai's other rule "
                  "of thumb, a tenth of the minimum's lr, gives {tenth}.").format(
        race=number(r.race_lr), tenth=number(r.lr_at_min / 10, ".2g")))
    return " ".join(text)
