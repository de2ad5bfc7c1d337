"""The LR range test (Smith 2017), in plain PyTorch: one short run whose learning rate grows exponentially every batch;
the lr where the smoothed loss falls fastest is the suggestion."""
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

dataset = "spiral"  # one of: spiral, digits
noise = 0.4
samples = 1000
batch_size = 32
optimizer = "sgd"  # one of: sgd, momentum, adam
width = 64
seed = 0
min_lr = 1e-05
max_lr = 10.0
epochs = 8
smoothing = 0.9
stop_factor = 4.0

torch.set_num_threads(1)   # a net this small trains faster on one thread, as the app runs it

# the data: cs231n's spiral (3 arms, angle noise `noise`) or the 8x8 digits shipped in assets/data; a 70/30 split by
# the seed, standardized by the training statistics (per feature; the images by one mean and std over all pixels)
gen = torch.Generator().manual_seed(seed)
if dataset == "spiral":
    y = torch.arange(samples) % 3
    r = torch.linspace(0.0, 1.0, samples)[torch.argsort(torch.rand(samples, generator=gen))]
    t = y * (2 * math.pi / 3) + 4 * r + noise * torch.randn(samples, generator=gen)
    x, n_classes = torch.stack([r * t.sin(), r * t.cos()], 1), 3
else:
    digits = np.load("assets/data/digits_8x8.npz")   # run from the repository's folder
    pick = torch.randperm(len(digits["target"]), generator=gen)[:samples]
    x = torch.from_numpy(digits["images"].reshape(-1, 64).astype(np.float32))[pick]
    y, n_classes = torch.from_numpy(digits["target"].astype(np.int64))[pick], 10
order = torch.randperm(samples, generator=gen)
val, train = order[:round(samples * 0.3)], order[round(samples * 0.3):]
mean, std = (x[train].mean(0), x[train].std(0)) if dataset == "spiral" else (x[train].mean(), x[train].std())
x_train, y_train, x_val, y_val = (x[train] - mean) / std, y[train], (x[val] - mean) / std, y[val]

# the net: two hidden ReLU layers, He-normal weights from the seed, zero biases, the output's weights x 0.1
gen, widths, layers = torch.Generator().manual_seed(seed), (x.shape[1], width, width, n_classes), []
for n_in, n_out in zip(widths, widths[1:]):
    linear = nn.utils.skip_init(nn.Linear, n_in, n_out)
    with torch.no_grad():
        nn.init.kaiming_normal_(linear.weight, nonlinearity="relu", generator=gen)
        linear.bias.zero_()
    layers += [linear, nn.ReLU()]
with torch.no_grad():
    layers[-2].weight.mul_(0.1)
net = nn.Sequential(*layers[:-1])



def minibatches(order):
    """The epoch's batches in this order (a last batch of one sample joins the one before, as in the app)."""
    batches = list(order.split(batch_size))
    if len(batches) > 1 and len(batches[-1]) == 1:
        batches[-2:] = [torch.cat(batches[-2:])]
    return batches


# the sweep: the lr starts at min_lr and is multiplied by gamma after every batch, reaching max_lr at the last one
n, gen = len(x_train), torch.Generator().manual_seed(seed)     # the batch order
gamma = (max_lr / min_lr) ** (1 / max(epochs * len(minibatches(torch.arange(n))) - 1, 1))
opt = {"sgd": lambda p: torch.optim.SGD(p, lr=min_lr, foreach=True),
       "momentum": lambda p: torch.optim.SGD(p, lr=min_lr, momentum=0.9, foreach=True),
       "adam": lambda p: torch.optim.Adam(p, lr=min_lr, foreach=True)}[optimizer](net.parameters())
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma)
lrs, losses = [], []
for epoch in range(epochs):
    batches = minibatches(torch.randperm(n, generator=gen) if batch_size < n else torch.arange(n))
    loss_sum = 0.0
    for idx in batches:
        lrs.append(opt.param_groups[0]["lr"])
        loss = F.cross_entropy(net(x_train[idx]), y_train[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        losses.append(loss.item())
        loss_sum += losses[-1] * len(idx)
    with torch.no_grad():
        val_loss = F.cross_entropy(net(x_val), y_val).item()
    if not (math.isfinite(loss_sum / n) and math.isfinite(val_loss)):
        break                                            # the loss became inf or NaN: the sweep ends with this epoch

# the smoothed loss (a debiased moving average, as fastai's lr_find), where it breaks, and the steepest fall
lr, loss = np.clip(lrs, min_lr, max_lr), np.where(np.isfinite(losses), losses, np.inf)
smooth, avg = np.empty(len(loss)), 0.0
for i, value in enumerate(loss):
    avg = smoothing * avg + (1 - smoothing) * value
    smooth[i] = avg / (1 - smoothing ** (i + 1))
broke = ~np.isfinite(smooth) | (smooth > stop_factor * np.minimum.accumulate(smooth))
kept = max(int(np.argmax(broke)) if broke.any() else len(loss), 1)   # batches before the smoothed loss broke
best = int(np.argmin(smooth[:kept]))
skip = min(len(lr) // 10, best)                  # the first batches' average rests on few, noisy losses
part = slice(skip, best + 1)
steepest = int(np.argmin(np.gradient(smooth[part], np.log10(lr[part])))) if best + 1 - skip >= 3 else 0
suggestion = float(lr[skip + steepest])
print(f"the smoothed loss falls fastest at lr {suggestion:.3g} and is lowest at lr {lr[best]:.3g}; "
      f"it breaks after {kept} of {len(lr)} batches")
