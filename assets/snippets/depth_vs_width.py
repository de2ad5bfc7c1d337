"""Depth vs width, in plain PyTorch: ReLU nets of 1, 2, 4, ... hidden layers, all of about the same number of
parameters, each trained from the same seed on the same data (001 'The importance of depth': "deeper models outperform
wider models with the same total number of parameters"; does it hold for these small MLPs?)."""
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

dataset = "spiral"  # one of: spiral, digits
samples = 1000
budget = 150
deepest = 8
lr = 0.01
epochs = 200
seed = 0
# each net's hidden widths, 1, 2, 4, ... up to `deepest` layers: the app's solver found them for the budget, each net
# about `budget` weights and biases, all within 5% of it and of each other (a deeper net is a narrower one); budget
# and deepest only say what they were solved for: to try other nets here, edit the widths themselves
widths = (
    (24,),
    (9, 9),
    (5, 5, 6, 6),
    (3, 3, 3, 4, 4, 4, 4, 4),
)

noise = 0.2                # the spiral's angle noise (fixed in this lesson)
torch.set_num_threads(1)   # a net this small trains faster on one thread, as the app runs it
# include: data

fill = lambda w, g: nn.init.kaiming_normal_(w, nonlinearity="relu", generator=g)   # He-normal: ReLU's init


# include: mlp


# include: training


# include: epochs


nets, scores = {}, {}
for hidden in widths:
    net = mlp((x.shape[1], *hidden, n_classes), nn.ReLU, fill)    # every net from the same seed
    opt = torch.optim.Adam(net.parameters(), lr=lr, foreach=True)
    run = dict(train_loss=[], val_loss=[], train_acc=[], val_acc=[])
    for epoch in range(epochs):       # full batch: one Adam step per epoch on the whole training set
        if not train_and_validate(net, opt, minibatches(len(x_train), len(x_train)), run):
            print(f"{len(hidden)} × {hidden}: the loss became inf or NaN at epoch {epoch + 1}")
            scores[len(hidden)] = math.nan          # a net that blew up has no score
            break
    else:
        scores[len(hidden)] = run["val_acc"][-1]
    nets[len(hidden)] = run
    parameters = sum(p.numel() for p in net.parameters())
    print(f"{len(hidden)} hidden layers {hidden}: {parameters} parameters (budget {budget}), validation accuracy "
          f"{scores[len(hidden)]:.1%}")
best = max((depth for depth in scores if math.isfinite(scores[depth])), key=scores.get, default=None)
print(f"best: {best} hidden layers; deepest net ({max(scores)} layers) vs one wide layer: "
      f"{scores[max(scores)] - scores[1]:+.1%} validation accuracy")
