"""Normalization: batch norm on and off at a high learning rate (the shared regularization run), train vs eval
mode on one batch, and which axes batch/layer/instance/group norm average over (002 'Other Normalizations')."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch
import torch.nn.functional as F

from nncore.i18n import _, number

# the run every regularization lesson shares, named here for the page
from nncore.regularization import Config, Result, notice_compare, notice_curves, run

__all__ = ["Config", "Result", "run", "notice_compare", "notice_curves", "NORMALIZATION", "NormAxes", "norm_axes",
           "notice_bn", "notice_activations", "notice_axes"]


# Batch norm: at lr 2 plain SGD blows up in its first epochs (at 1.0 it blew up at epoch 148 of 150, at 1.5 at
# epoch 1-2 on seeds 0-2) while the normalized net trains; at 0.5 both train.
NORMALIZATION = Config(dataset="spiral", n_samples=600, noise=0.2, hidden=(64,) * 4, optimizer="sgd", lr=2.0,
                       epochs=150, batch_size=64)


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


def notice_bn(r: Result) -> str:
    """Train vs eval mode on one batch."""
    b = r.bn_batch
    if b is None:
        return _("Turn batch norm on to compare train and eval mode on one batch.")
    diff = float(np.abs(b["train_out"] - b["eval_out"]).max())
    return _("On this batch of {batch}, the first unit's batch mean is {batch_mean} while the running mean is "
             "{running_mean}: train mode (batch statistics) and eval mode (running averages) give outputs up to "
             "{diff} apart for the same inputs.").format(
        batch=b["batch"], batch_mean=number(b["batch_mean"][0], ".3f"),
        running_mean=number(b["running_mean"][0], ".3f"), diff=number(diff, ".2f"))


def notice_activations(r: Result) -> str:
    """How the spread of the hidden activations changed during training."""
    if len(r.act_std) < 2:
        return _("Too few epochs to follow the activations.")
    first, last = r.act_std[0], r.act_std[-1]
    layer = int(np.argmax(np.abs(np.log((last + 1e-12) / (first + 1e-12)))))
    shown = dict(layer=layer + 1, first=number(first[layer], ".3g"), last=number(last[layer], ".3g"))
    return (_("The std of hidden layer {layer}'s output went {first} → {last} over training (batch norm "
              "re-standardizes each layer).") if r.config.norm != "none" else
            _("The std of hidden layer {layer}'s output went {first} → {last} over training.")).format(**shown)


def notice_axes(na: NormAxes) -> str:
    """Torch's norms against the hand formula, and which cells each one averages over."""
    diffs = ", ".join(f"{kind} {number(diff, '.0e')}" for kind, diff in na.max_diff.items())
    return _("Torch's output equals the hand formula to within {diffs} (float32). Batch norm's set spans all {n} "
             "samples of one channel; layer norm's one sample's channels; instance norm's one sample's one channel; "
             "group norm's one sample's group of channels.").format(diffs=diffs, n=na.x.shape[0])
