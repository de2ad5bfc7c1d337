"""Preprocessing, in plain PyTorch: the same red-wine net trained on standardized features (with the training split's
statistics, with all the data's, with each split's own) and on raw and min-max scaled features."""
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

seed = 0
val_fraction = 0.05
epochs = 60

torch.set_num_threads(1)   # a net this small trains faster on one thread, as the app runs it

# 004's red wines (assets/data): 11 lab measurements and a quality score; a split by the seed, no scaling yet
table = torch.from_numpy(np.loadtxt("assets/data/red_wine.csv", delimiter=",", skiprows=1, dtype=np.float32))
gen = torch.Generator().manual_seed(seed)
rows = table[torch.randperm(len(table), generator=gen)]
order = torch.randperm(len(rows), generator=gen)
n_val = min(max(1, round(len(rows) * val_fraction)), len(rows) - 2)
train, val = order[n_val:], order[:n_val]
x_train, y_train, x_val, y_val = rows[train, :-1], rows[train, -1:], rows[val, :-1], rows[val, -1:]
centre = y_train.mean()      # the quality around its training mean: the runs differ in their inputs only
y_train, y_val = y_train - centre, y_val - centre


def statistics(x, scaling):
    """(shift, spread) of each feature: mean and std (standardize), min and max - min (004's min-max), or none."""
    if scaling == "none":
        return torch.zeros(x.shape[1]), torch.ones(x.shape[1])
    shift, spread = (x.mean(0), x.std(0)) if scaling == "standard" else (x.amin(0), x.amax(0) - x.amin(0))
    return shift, torch.where(spread > 0, spread, torch.ones_like(spread))


def train(scaling, source):
    """One hidden layer of 32 ReLUs (He-normal weights from the seed, the output's x 0.1), full-batch Adam, MSE, on the
    features scaled with statistics of the training split (003's rule), of all the data (the leak) or of each split."""
    shift, spread = statistics(torch.cat([x_train, x_val]) if source == "all" else x_train, scaling)
    val_shift, val_spread = statistics(x_val, scaling) if source == "own" else (shift, spread)
    xt, xv = (x_train - shift) / spread, (x_val - val_shift) / val_spread
    gen, net = torch.Generator().manual_seed(seed), nn.Sequential(nn.utils.skip_init(nn.Linear, 11, 32), nn.ReLU(),
                                                                  nn.utils.skip_init(nn.Linear, 32, 1))
    with torch.no_grad():
        for layer in (net[0], net[2]):
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu", generator=gen)
            layer.bias.zero_()
        net[2].weight.mul_(0.1)
    opt = torch.optim.Adam(net.parameters(), lr=0.01, foreach=True)
    run = dict(train_loss=[], val_loss=[])
    for epoch in range(epochs):
        loss = F.mse_loss(net(xt), y_train)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        run["train_loss"].append(loss.item() * len(xt) / len(xt))    # the app's epoch mean: size x loss per batch / n
        with torch.no_grad():
            run["val_loss"].append(F.mse_loss(net(xv), y_val).item())
        if not (math.isfinite(run["train_loss"][-1]) and math.isfinite(run["val_loss"][-1])):
            break
    return run


sources = {source: train("standard", source) for source in ("train", "all", "own")}
scalings = {"none": train("none", "train"), "minmax": train("minmax", "train"), "standard": sources["train"]}
for name, runs in (("statistics from", sources), ("features", scalings)):
    print(f"validation MSE after {epochs} epochs by {name}:",
          {k: round(run["val_loss"][-1], 4) for k, run in runs.items()})
