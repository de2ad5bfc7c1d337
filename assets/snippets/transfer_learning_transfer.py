"""Transfer learning without a download, in plain PyTorch: an MLP pretrained on the 8x8 digits 0-4 (shifted and rotated
anew each epoch), then taught the digits 5-9 from a few images each: its first layers frozen, everything fine-tuned
at a smaller rate, or the same net from scratch (001 "Transfer Learning")."""
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

per_class = 5
epochs = 100
lr = 0.01
fine_tune_lr = 0.001
width = 64
reused = 1
pretrain_epochs = 100
seed = 0

torch.set_num_threads(1)   # nets this small train faster on one thread, as the app runs them

# include: shift_rotate


# include: pretraining


# the target: digits 5-9 as 0..4, the first per_class of each digit to train on, every image after its first 100 to
# validate on; in the source's pixel units, as the pretrained layers expect them
xt, yt = x[y >= 5], y[y >= 5] - 5
rank = torch.empty_like(yt)     # each image's place among the images of its digit
for c in range(5):
    rank[yt == c] = torch.arange(int((yt == c).sum()))
target = ((xt[rank < per_class] - mean) / std, yt[rank < per_class], (xt[rank >= 100] - mean) / std, yt[rank >= 100])


# pretraining on 0-4
pretrained = build(torch.Generator().manual_seed(seed))
pretrained_val_acc = train(pretrained, source, pretrain_epochs, lr, augment=True)["val_acc"][-1]
# three ways to learn 5-9, every new layer drawn from seed + 1
runs = {}
for method in ("frozen", "fine_tune", "scratch"):
    net = build(torch.Generator().manual_seed(seed + 1))
    if method != "scratch":       # the first `reused` Linear layers from the pretrained net
        for layer, old in list(zip(net[0::2], pretrained[0::2]))[:reused]:
            with torch.no_grad():
                layer.weight.copy_(old.weight)
                layer.bias.copy_(old.bias)
            layer.requires_grad_(method != "frozen")
    runs[method] = train(net, target, epochs, fine_tune_lr if method == "fine_tune" else lr)
print(f"pretrained on 0-4: {pretrained_val_acc:.1%} held out; on 5-9 from {per_class} images each: "
      + ", ".join(f"{m} {r['val_acc'][-1]:.1%}" for m, r in runs.items()))
