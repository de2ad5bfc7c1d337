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

# include: data

he = lambda w, g: nn.init.kaiming_normal_(w, nonlinearity="relu", generator=g)


# include: mlp


# include: training


# the sweep: the lr starts at min_lr and is multiplied by gamma after every batch, reaching max_lr at the last one
net, n, gen = mlp((x.shape[1], width, width, n_classes), nn.ReLU, he), len(x_train), torch.Generator().manual_seed(seed)
gamma = (max_lr / min_lr) ** (1 / max(epochs * len(minibatches(n, batch_size)) - 1, 1))
opt = {"sgd": lambda p: torch.optim.SGD(p, lr=min_lr, foreach=True),
       "momentum": lambda p: torch.optim.SGD(p, lr=min_lr, momentum=0.9, foreach=True),
       "adam": lambda p: torch.optim.Adam(p, lr=min_lr, foreach=True)}[optimizer](net.parameters())
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma)
lrs, losses = [], []


def record(loss):
    """After each step: the lr it used and its batch's loss; then the next batch's lr."""
    lrs.append(opt.param_groups[0]["lr"])
    losses.append(loss)
    sched.step()


for epoch in range(epochs):
    train_loss, _ = train_epoch(net, opt, minibatches(n, batch_size, gen), record)
    if not (math.isfinite(train_loss) and math.isfinite(evaluate(net, x_val, y_val)[0])):
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
