"""A small CNN and an MLP on the 8x8 digits, in plain PyTorch, tested on digits shifted by one or two pixels: shared
kernels meet a moved stroke with the same weights, the MLP's per-pixel weights do not."""
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

filters = 8
kernel = 3
hidden = 64
epochs = 12
lr = 0.02
seed = 0

torch.set_num_threads(1)   # nets this small train faster on one thread, as the app runs them

val_fraction = 0.3         # the share of the digits that validates
# include: digits
mean, std = x[train].mean(), x[train].std()      # one mean and std over all pixels of the training images
x_train, y_train, x_val, y_val = (x[train] - mean) / std, y[train], (x[val] - mean) / std, y[val]

# the CNN: conv -> ReLU -> max pool -> conv -> ReLU -> global max pool -> linear, He-normal weights from the seed
gen = torch.Generator().manual_seed(seed)
cnn = nn.Sequential(nn.Unflatten(1, (1, 8, 8)),
                    nn.utils.skip_init(nn.Conv2d, 1, filters, kernel, padding="same"), nn.ReLU(), nn.MaxPool2d(2),
                    nn.utils.skip_init(nn.Conv2d, filters, 2 * filters, 3, padding=1), nn.ReLU(),
                    nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.utils.skip_init(nn.Linear, 2 * filters, 10))
# the MLP: one hidden ReLU layer, He-normal weights from the seed, the output's x 0.1
gen_mlp = torch.Generator().manual_seed(seed)
mlp = nn.Sequential(nn.utils.skip_init(nn.Linear, 64, hidden), nn.ReLU(), nn.utils.skip_init(nn.Linear, hidden, 10))
for net, g in ((cnn, gen), (mlp, gen_mlp)):
    with torch.no_grad():
        for layer in net:
            if isinstance(layer, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(layer.weight, nonlinearity="relu", generator=g)
                layer.bias.zero_()
with torch.no_grad():
    mlp[2].weight.mul_(0.1)


def shifted(x, rows, cols):
    """Standardized digits moved `rows` down and `cols` right; the pixels that come in are background (raw 0)."""
    m = max(abs(rows), abs(cols))
    raw = F.pad((x * std + mean).reshape(-1, 8, 8), (m,) * 4)
    return (raw[:, m - rows:m - rows + 8, m - cols:m - cols + 8].reshape(-1, 64) - mean) / std


# the test digits as they are, then moved by 1 and by 2 pixels right, left, down and up
directions = ((0, 1), (0, -1), (1, 0), (-1, 0))
x_test = torch.cat([x_val] + [shifted(x_val, r * s, c * s) for s in (1, 2) for r, c in directions])
y_test = y_val.repeat(9)

train_loss, val_acc, accuracy = {}, {}, {}
for name, net in (("CNN", cnn), ("MLP", mlp)):
    opt, n = torch.optim.Adam(net.parameters(), lr=lr, foreach=True), len(y_train)
    gen = torch.Generator().manual_seed(seed)              # the batch order
    train_loss[name], val_acc[name] = [], []
    for epoch in range(epochs):
        net.train()
        batches = list(torch.randperm(n, generator=gen).split(128))
        if len(batches) > 1 and len(batches[-1]) == 1:     # (a last batch of one sample joins the one before)
            batches[-2:] = [torch.cat(batches[-2:])]
        loss_sum = 0.0
        for idx in batches:
            loss = F.cross_entropy(net(x_train[idx]), y_train[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(idx)
        net.eval()
        with torch.no_grad():
            out = net(x_val)
            val_loss = F.cross_entropy(out, y_val).item()
        train_loss[name].append(loss_sum / n)
        val_acc[name].append((out.argmax(1) == y_val).sum().item() / len(y_val))
        if not (math.isfinite(loss_sum / n) and math.isfinite(val_loss)):
            break                                           # the loss became inf or NaN
    with torch.no_grad():
        per_set = (net(x_test).argmax(1) == y_test).reshape(9, -1).float().mean(1).numpy()
    accuracy[name] = np.concatenate([per_set[:1], per_set[1:].reshape(2, 4).mean(1)])   # each shift: the 4 directions
    print(f"{name}: test accuracy {', '.join(f'{a:.1%}' for a in accuracy[name])} with the digits moved 0, 1, 2 pixels")
