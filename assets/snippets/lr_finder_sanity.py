"""Too small, too large, just right, in plain PyTorch: the same training at three learning rates, and 003's rule to
stop a run whose training loss exceeds a factor x the first epoch's."""
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
small_lr = 1e-05
good_lr = 0.5
huge_lr = 1000000.0
stop_rule = True
stop_factor = 3.0
epochs = 30

torch.set_num_threads(1)   # a net this small trains faster on one thread, as the app runs it

# include: data

he = lambda w, g: nn.init.kaiming_normal_(w, nonlinearity="relu", generator=g)


# include: mlp


# include: training


def train(lr):
    """Minibatch training from the same start at this lr; stops when the loss becomes inf or NaN, or (with the stop
    rule) when an epoch's training loss exceeds stop_factor x the first epoch's."""
    net, gen = mlp((x.shape[1], width, width, n_classes), nn.ReLU, he), torch.Generator().manual_seed(seed)
    opt = {"sgd": lambda p: torch.optim.SGD(p, lr=lr, foreach=True),
           "momentum": lambda p: torch.optim.SGD(p, lr=lr, momentum=0.9, foreach=True),
           "adam": lambda p: torch.optim.Adam(p, lr=lr, foreach=True)}[optimizer](net.parameters())
    run = dict(train_loss=[], val_loss=[], val_acc=[], step_loss=[], stop="completed")
    for epoch in range(epochs):
        record = run["step_loss"].append if epoch == 0 else (lambda loss: None)    # each batch's loss in epoch 1
        train_loss, _ = train_epoch(net, opt, minibatches(len(x_train), batch_size, gen), record)
        val_loss, val_acc = evaluate(net, x_val, y_val)
        for key, value in dict(train_loss=train_loss, val_loss=val_loss, val_acc=val_acc).items():
            run[key].append(value)
        if not (math.isfinite(train_loss) and math.isfinite(val_loss)):
            run["stop"] = f"diverged at epoch {epoch + 1}"
            break
        if stop_rule and train_loss > stop_factor * run["train_loss"][0]:
            run["stop"] = f"stopped at epoch {epoch + 1}: the loss exceeded {stop_factor:g}x the first epoch's"
            break
    return run


runs = {lr: train(lr) for lr in (small_lr, good_lr, huge_lr)}
for lr, run in runs.items():
    print(f"lr {lr:g}: training loss {run['train_loss'][0]:.3g} after epoch 1, {run['train_loss'][-1]:.3g} after "
          f"epoch {len(run['train_loss'])} ({run['stop']})")
