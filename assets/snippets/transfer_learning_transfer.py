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

# all 1,797 digits (assets/data; run from the repository's folder) in an order drawn from the seed
digits = np.load("assets/data/digits_8x8.npz")
pick = torch.randperm(len(digits["target"]), generator=torch.Generator().manual_seed(seed))
x = torch.from_numpy(digits["images"].reshape(-1, 64).astype(np.float32))[pick]
y = torch.from_numpy(digits["target"].astype(np.int64))[pick]
# the source: digits 0-4, 70% to pretrain on, 30% held out; standardized by the pretraining images' pixel statistics
xs, ys = x[y < 5], y[y < 5]
n_val = round(len(ys) * 0.3)
mean, std = xs[n_val:].mean(), xs[n_val:].std()
source = (xs[n_val:] - mean) / std, ys[n_val:], (xs[:n_val] - mean) / std, ys[:n_val]
# the target: digits 5-9 as 0..4, the first per_class of each digit to train on, every image after its first 100 to
# validate on; in the source's pixel units, as the pretrained layers expect them
xt, yt = x[y >= 5], y[y >= 5] - 5
rank = torch.empty_like(yt)     # each image's place among the images of its digit
for c in range(5):
    rank[yt == c] = torch.arange(int((yt == c).sum()))
target = ((xt[rank < per_class] - mean) / std, yt[rank < per_class], (xt[rank >= 100] - mean) / std, yt[rank >= 100])


def build(gen):
    """64 -> width -> width ReLUs -> 5: He-normal weights from gen, zero biases, the output's weights x 0.1."""
    net = nn.Sequential(nn.utils.skip_init(nn.Linear, 64, width), nn.ReLU(),
                        nn.utils.skip_init(nn.Linear, width, width), nn.ReLU(), nn.utils.skip_init(nn.Linear, width, 5))
    with torch.no_grad():
        for layer in net[0::2]:
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu", generator=gen)
            layer.bias.zero_()
        net[4].weight.mul_(0.1)
    return net


# include: shift_rotate


def train(net, data, n_epochs, rate, augment=False):
    """Full-batch Adam (frozen layers get no gradient, so no step); per epoch the validation accuracy and loss and the
    training accuracy in eval mode. Stops when the loss becomes inf or NaN."""
    x_train, y_train, x_val, y_val = data
    opt, gen = torch.optim.Adam(net.parameters(), lr=rate, foreach=True), torch.Generator().manual_seed(seed)
    curves = dict(val_acc=[], val_loss=[], train_acc=[])
    for epoch in range(n_epochs):
        loss = F.cross_entropy(net(shifted_rotated(x_train, gen) if augment else x_train), y_train)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            out = net(x_val)
            curves["val_loss"].append(F.cross_entropy(out, y_val).item())
            curves["val_acc"].append((out.argmax(1) == y_val).sum().item() / len(y_val))
            curves["train_acc"].append((net(x_train).argmax(1) == y_train).sum().item() / len(y_train))
        if not (math.isfinite(loss.item()) and math.isfinite(curves["val_loss"][-1])):
            break
    return curves


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
