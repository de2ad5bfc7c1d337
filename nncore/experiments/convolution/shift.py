"""A small CNN and an MLP on the 8x8 digits, tested on digits shifted by one or two pixels (001 'Connectivity and
Model Architecture': 'CNNs are translation equivariant by construction').

Both train with the lab's one loop (nncore.training.train) on the same split, batches and seed. The CNN slides
shared 3x3 kernels over the image (conv, ReLU, max pool, conv, ReLU, global max pool, linear), so a stroke moved by a
pixel meets the same weights one pixel over; the MLP's first layer has a weight per pixel, so a moved stroke meets
other weights. The test digits are then shifted by s pixels left, right, up and down (the background fills in) and
each model's accuracy is averaged over the four directions.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from nncore import data, models, training
from nncore.architectures import parameter_count
from nncore.i18n import N_, _, number
from nncore.params import Preset, param, validate
from nncore.progress import OnProgress, report
from nncore.runs import padded, relay

MODELS = ("CNN", "MLP")
SHIFTS = (0, 1, 2)
DIRECTIONS = ((0, 1), (0, -1), (1, 0), (-1, 0))      # (rows, cols): right, left, down, up
SHOWN_SHIFT = (0, 1)                                   # the feature maps' digit, moved one pixel right
BATCH = 128


@dataclass(frozen=True)
class Config:
    """The two models, how long both train, and the seed of the split, the weights and the batches."""

    filters: int = param(8, 1, 32, label=N_("CNN filters (first layer)"),
                         help=N_("The second convolution has twice as many."))
    kernel: int = param(3, 1, 5, step=2, label=N_("CNN kernel size (first layer)"),
                        help=N_("Odd, so that the maps stay on the image's 8x8 grid."))
    hidden: int = param(64, 4, 256, label=N_("MLP hidden units"))
    epochs: int = param(12, 1, 60, label=N_("Epochs"))
    lr: float = param(0.02, 1e-4, 1.0, log=True, label=N_("Learning rate (Adam)"))
    seed: int = param(0, 0, 2**31 - 1, label=N_("Seed"))


@dataclass(frozen=True)
class Result:
    """Per model (MODELS order): curves, accuracy by shift, size; the CNN's filters and one digit's feature maps."""

    config: Config
    shifts: np.ndarray            # (len(SHIFTS),) pixels
    accuracy: np.ndarray          # (2, len(SHIFTS)) test accuracy, mean over the four directions
    val_acc: np.ndarray           # (2, epochs) test (validation) accuracy after each epoch; NaN after a stop
    train_loss: np.ndarray        # (2, epochs)
    parameters: np.ndarray        # (2,) trainable parameters
    diverged_at: tuple            # per model: the epoch whose loss became inf or NaN, or None
    filters: np.ndarray           # (filters, k, k) the first convolution's learned kernels
    digit: np.ndarray             # (2, 8, 8) a test digit (pixel values 0..16) and the same digit shifted
    label: int                    # its class
    maps: np.ndarray              # (2, filters, 8, 8) the first layer's feature maps (after ReLU) of both
    equivariance_gap: float       # max |maps(shifted) - shifted maps| away from the border, over the max map value


PRESETS = {
    N_("Default: 8 filters vs 64 hidden units"): Preset(
        Config(), N_("Similar test accuracy unshifted; moved by a pixel or two, the MLP loses far more."),
        "001 'CNNs achieve: sparse connectivity, parameter sharing and translation equivariance'"),
    N_("A wide MLP (256 units)"): Preset(
        Config(hidden=256), N_("Four times the hidden units: more parameters do not teach the MLP that a moved "
                               "digit is the same digit."), "001 'Connectivity and Model Architecture'"),
    N_("One filter"): Preset(
        Config(filters=1), N_("A single 3x3 kernel (two in the second layer): few parameters, still shared."),
        "001 'Sparse connectivity + parameter sharing'"),
}


def cnn(filters: int, kernel: int, generator: torch.Generator) -> nn.Sequential:
    """Conv(k) -> ReLU -> MaxPool(2) -> Conv(3) -> ReLU -> global max pool -> Linear, He-initialized from `generator`."""
    layers = [nn.Unflatten(1, (1, 8, 8)),
              nn.utils.skip_init(nn.Conv2d, 1, filters, kernel, padding="same"), nn.ReLU(), nn.MaxPool2d(2),
              nn.utils.skip_init(nn.Conv2d, filters, 2 * filters, 3, padding=1), nn.ReLU(),
              nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.utils.skip_init(nn.Linear, 2 * filters, 10)]
    net = nn.Sequential(*layers)
    for layer in net:
        if isinstance(layer, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu", generator=generator)
            nn.init.zeros_(layer.bias)
    return net


def mlp(hidden: int, seed: int) -> nn.Module:
    """One ReLU hidden layer of `hidden` units on the 64 pixels, built by the lab's MLP."""
    return models.build(models.MLPSpec(64, 10, (hidden,), activation="relu"), generator=seed)


def shift_images(x: torch.Tensor, d: data.Data, rows: int, cols: int) -> torch.Tensor:
    """Standardized digits moved `rows` down and `cols` right; pixels that come in are background (raw 0)."""
    m = max(abs(rows), abs(cols))
    raw = F.pad((x * d.std + d.mean).reshape(-1, 8, 8), (m,) * 4)
    moved = raw[:, m - rows:m - rows + 8, m - cols:m - cols + 8]
    return d.standardize(moved.reshape(-1, 64))


def shifted_test_set(d: data.Data) -> tuple[torch.Tensor, torch.Tensor]:
    """The test digits moved by each shift of SHIFTS in each of DIRECTIONS, stacked (shift 0 once) with their labels."""
    moved = [d.x_val] + [shift_images(d.x_val, d, r * s, c * s) for s in SHIFTS[1:] for r, c in DIRECTIONS]
    return torch.cat(moved), d.y_val.repeat(len(moved))


def shifted_accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> np.ndarray:
    """Accuracy at each shift of SHIFTS, averaged over DIRECTIONS, from one forward pass over `shifted_test_set`
    (on one thread, as training: this small net's eval ran several times slower on two busy threads)."""
    model.eval()
    with torch.no_grad(), training.single_thread():
        correct = (model(x).argmax(1) == y).reshape(1 + len(DIRECTIONS) * (len(SHIFTS) - 1), -1)
    per_set = correct.float().mean(1).numpy()        # the digits as they are, then each shift's directions in turn
    return np.concatenate([per_set[:1], per_set[1:].reshape(len(SHIFTS) - 1, len(DIRECTIONS)).mean(1)])


def feature_maps(net: nn.Sequential, x: torch.Tensor) -> torch.Tensor:
    """The first convolution's maps after ReLU, (n, filters, h, w)."""
    with torch.no_grad():
        return net[2](net[1](net[0](x)))


def _equivariance(net: nn.Sequential, x: torch.Tensor, moved: torch.Tensor, k: int) -> tuple[np.ndarray, float]:
    """Both digits' maps, and how far maps(shifted digit) is from the shifted maps away from the padded border."""
    maps = feature_maps(net, torch.cat([x, moved]))
    r, c = SHOWN_SHIFT
    left = (k - 1) // 2                                   # "same" padding: (k - 1) // 2 before, the rest after
    right = k - 1 - left
    inner = (slice(None), slice(left + r, 8 - right), slice(left + c, 8 - right))   # windows inside both images
    shifted = torch.roll(maps[0], (r, c), (1, 2))
    gap = (maps[1][inner] - shifted[inner]).abs().max() / maps.abs().max().clamp_min(1e-12)
    return maps.numpy(), float(gap)


def run(cfg: Config, on_progress: OnProgress = None) -> Result:
    """Train the CNN, then the MLP, on the same digits; test both on shifted test digits."""
    validate(cfg)
    if cfg.kernel % 2 == 0:
        raise ValueError(_("The kernel size must be odd (1, 3 or 5) so that the maps stay on the digits' 8x8 grid "
                           "(got {kernel}).").format(kernel=cfg.kernel))
    d = data.load("digits", 1797, seed=cfg.seed, val_fraction=0.3)
    gen = torch.Generator().manual_seed(cfg.seed)
    nets = (cnn(cfg.filters, cfg.kernel, gen), mlp(cfg.hidden, cfg.seed))
    spec = training.TrainSpec(epochs=cfg.epochs, batch_size=BATCH, optimizer="adam", lr=cfg.lr)
    total = 2 * cfg.epochs
    histories = []
    for i, (name, net) in enumerate(zip(MODELS, nets)):
        histories.append(training.train(net, d, spec, seed=cfg.seed,
                                        on_progress=relay(on_progress, i * cfg.epochs, total, name)))
        if histories[-1].stop_reason == "stopped":
            break
    histories += histories[-1:] * (2 - len(histories))   # stopped during the CNN: no MLP to show
    x, moved = d.x_val[:1], shift_images(d.x_val[:1], d, *SHOWN_SHIFT)
    maps, gap = _equivariance(nets[0], x, moved, cfg.kernel)
    report(on_progress, total, total, _("done"))
    tests = shifted_test_set(d)
    return Result(
        config=cfg, shifts=np.array(SHIFTS), accuracy=np.stack([shifted_accuracy(net, *tests) for net in nets]),
        val_acc=np.stack([padded(h.val_acc, cfg.epochs) for h in histories]),
        train_loss=np.stack([padded(h.train_loss, cfg.epochs) for h in histories]),
        parameters=np.array([parameter_count(net) for net in nets]),
        diverged_at=tuple(h.diverged_at for h in histories),
        filters=nets[0][1].weight.detach()[:, 0].numpy().copy(),
        digit=(torch.cat([x, moved]) * d.std + d.mean).reshape(2, 8, 8).numpy(), label=int(d.y_val[0]),
        maps=maps, equivariance_gap=gap)


def drop(r: Result, shift: int) -> np.ndarray:
    """Each model's accuracy lost when the test digits move by `shift` pixels (accuracy at 0 minus at `shift`)."""
    i = int(np.flatnonzero(r.shifts == shift)[0])
    return r.accuracy[:, 0] - r.accuracy[:, i]


SHARED_KERNELS = N_("Its shared kernels meet a moved stroke one pixel over; the MLP's weights belong to fixed pixels.")
NOT_ENOUGH = N_("Here the CNN did not learn enough to keep its lead: train it longer, or give it more filters.")
MAPS_MATCH = N_("Moved one pixel right, the digit's feature maps move one pixel right too: away from the border they "
                "match exactly. That is translation equivariance; the global max pool at the end makes the answer "
                "nearly invariant to small moves.")


def notice_shift(r: Result) -> str:
    """Both models' accuracy unshifted and at the largest shift, from the run, and which one lost less."""
    s = int(r.shifts[-1])
    (cnn0, mlp0), (cnn_s, mlp_s) = r.accuracy[:, 0], r.accuracy[:, -1]
    cnn_drop, mlp_drop = drop(r, s)
    less = cnn_drop < mlp_drop
    scores = (_("Unshifted, the CNN scores {cnn0} and the MLP {mlp0} on the test digits; moved by {s} pixels, {cnn_s} "
                "and {mlp_s}: the CNN loses less ({cnn_drop} vs {mlp_drop} points), with {cnn_n} parameters against "
                "the MLP's {mlp_n}.") if less else
              _("Unshifted, the CNN scores {cnn0} and the MLP {mlp0} on the test digits; moved by {s} pixels, {cnn_s} "
                "and {mlp_s}: the CNN loses more ({cnn_drop} vs {mlp_drop} points), with {cnn_n} parameters against "
                "the MLP's {mlp_n}."))
    percent = lambda v: number(v, ".0%")   # noqa: E731
    return " ".join((scores.format(cnn0=percent(cnn0), mlp0=percent(mlp0), s=s, cnn_s=percent(cnn_s),
                                   mlp_s=percent(mlp_s), cnn_drop=percent(cnn_drop), mlp_drop=percent(mlp_drop),
                                   cnn_n=number(r.parameters[0], ","), mlp_n=number(r.parameters[1], ",")),
                     _(SHARED_KERNELS if less else NOT_ENOUGH)))


def notice_maps(r: Result) -> str:
    """The feature maps move with the digit: equivariance, measured."""
    if r.equivariance_gap < 1e-4:
        return _(MAPS_MATCH)
    return _("Moved one pixel right, the digit's feature maps move one pixel right too: away from the border they "
             "differ by at most {gap} of their largest value. That is translation equivariance; the global max pool "
             "at the end makes the answer nearly invariant to small moves.").format(
        gap=number(r.equivariance_gap, ".1%"))
