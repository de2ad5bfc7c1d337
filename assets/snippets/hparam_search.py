"""Hyperparameter search, in plain PyTorch: 003's random search in log space (lr = 10^U(-3, 1), reg = 10^U(-6, 0),
a few epochs per trial) or a grid of at most `budget` points; each trial trains a fresh net with SGD and an L2 penalty reg and
is scored by its validation accuracy, with k > 1 folds the mean over k-fold cross-validation (every sample validates
once)."""
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

strategy = "random"  # one of: random, grid
budget = 20
lr_range = (-3.0, 1.0)
reg_range = (-6.0, 0.0)
epochs = 5
folds = 1
dataset = "digits"  # one of: digits, spiral
samples = 1797
seed = 0

noise = 0.2                # the spiral's angle noise (fixed in this lesson)
torch.set_num_threads(1)   # a net this small trains faster on one thread, as the app runs it
# include: data

# the folds: the split above (k = 1), or k parts of all the samples, back in raw units, each part validating once and
# each standardized by its own training part's statistics (003: statistics from the training set only)
splits = [(x_train, y_train, x_val, y_val)]
if folds > 1:
    x, y = torch.cat([x_train * std + mean, x_val * std + mean]), torch.cat([y_train, y_val])
    order, splits = torch.randperm(len(y), generator=torch.Generator().manual_seed(seed)), []
    for val in torch.tensor_split(order, folds):
        train = order[~torch.isin(order, val)]
        mean, std = (x[train].mean(0), x[train].std(0)) if dataset == "spiral" else (x[train].mean(), x[train].std())
        splits.append(((x[train] - mean) / std, y[train], (x[val] - mean) / std, y[val]))

# the trials' exponents: 003's log-uniform draws (each trial its lr's, then its reg's), or a grid over both ranges
# with about √budget values each, bounds included
if strategy == "random":
    u = torch.rand(budget, 2, generator=torch.Generator().manual_seed(seed), dtype=torch.float64).numpy()
    lo, hi = np.array([lr_range[0], reg_range[0]]), np.array([lr_range[1], reg_range[1]])
    exponents = lo + u * (hi - lo)
else:
    rows = math.isqrt(budget)      # 20 trials: 5 learning rates x 4 penalties
    lrs, regs = np.linspace(*lr_range, budget // rows), np.linspace(*reg_range, rows)
    exponents = np.array([(a, b) for a in lrs for b in regs])

fill = lambda w, g: nn.init.kaiming_normal_(w, nonlinearity="relu", generator=g)   # He-normal: ReLU's init


# include: mlp


# include: training


# include: epochs


trials = []
for i, (lr, reg) in enumerate(10.0 ** exponents):
    lr, reg, accs = float(lr), float(reg), []
    # this fold's data into the names x_train, y_train, x_val, y_val that train_epoch and evaluate (above) read
    for fold, (x_train, y_train, x_val, y_val) in enumerate(splits):
        # 64 ReLU units, the same start in every trial (one per fold); plain SGD, no momentum
        net = mlp((x.shape[1], 64, n_classes), nn.ReLU, fill, torch.Generator().manual_seed(seed + fold))
        opt = torch.optim.SGD(net.parameters(), lr=lr, foreach=True)
        weights = [layer.weight for layer in net if isinstance(layer, nn.Linear)]    # L2 on the weights, not biases
        l2 = lambda: reg * sum(w.pow(2).sum() for w in weights)
        gen = torch.Generator().manual_seed(seed + 1000 * i + fold)          # this trial's and fold's batch order
        run = dict(train_loss=[], val_loss=[], train_acc=[], val_acc=[])
        for epoch in range(epochs):      # minibatches of 64
            if not train_and_validate(net, opt, minibatches(len(x_train), 64, gen), run, penalty=l2):
                run["val_acc"][-1] = math.nan         # the loss became inf or NaN: the trial diverged, no score
                break
        accs.append(run["val_acc"][-1])
    trials.append(dict(lr=lr, reg=reg, val_acc=float(np.mean(accs)), fold_acc=accs))
    print(f"trial {i + 1}: lr {lr:.3g}, reg {reg:.3g}, validation accuracy {trials[-1]['val_acc']:.1%}")
best = max((t for t in trials if not math.isnan(t["val_acc"])), key=lambda t: t["val_acc"], default=None)
print(f"best: lr {best['lr']:.3g}, reg {best['reg']:.3g}, validation accuracy {best['val_acc']:.1%}" if best else
      "every trial diverged: lower the learning-rate range")
