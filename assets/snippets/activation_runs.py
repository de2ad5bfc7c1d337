"""The activation race, in plain PyTorch: the same MLP, data and seed trained once per activation, counting the epochs
to a target training accuracy and the hidden units that die (f'(z) = 0 on every training sample)."""
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

activations = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "silu")  # one of: sigmoid, tanh, relu, leaky_relu, prelu, elu, selu, gelu, silu, softplus, linear, maxout
dataset = "spiral"  # one of: spiral, digits
samples = 1000
hidden = 64
layers = 3
init = "xavier_normal"  # one of: xavier_normal, lecun_normal, kaiming_normal, orthogonal
optimizer = "momentum"  # one of: sgd, momentum, adam
lr = 0.01
batch_size = 64
epochs = 30
target_acc = 0.75
seed = 0

noise = 0.2                # the spiral's angle noise (fixed in this lesson)
torch.set_num_threads(1)   # a net this small trains faster on one thread, as the app runs it
# include: data

# include: maxout


modules = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "leaky_relu": lambda: nn.LeakyReLU(0.01),
           "prelu": lambda: nn.PReLU(init=0.25), "elu": nn.ELU, "selu": nn.SELU, "gelu": nn.GELU, "silu": nn.SiLU,
           "softplus": nn.Softplus, "linear": nn.Identity, "maxout": Maxout}
fill = {"xavier_normal": lambda w, g: nn.init.xavier_normal_(w, generator=g),
        "lecun_normal": lambda w, g: nn.init.normal_(w, 0.0, 1 / math.sqrt(w.shape[1]), generator=g),
        "kaiming_normal": lambda w, g: nn.init.kaiming_normal_(w, nonlinearity="relu", generator=g),
        "orthogonal": lambda w, g: nn.init.orthogonal_(w, generator=g)}[init]
make_optimizer = {"sgd": lambda p: torch.optim.SGD(p, lr=lr, foreach=True),
                  "momentum": lambda p: torch.optim.SGD(p, lr=lr, momentum=0.9, foreach=True),
                  "adam": lambda p: torch.optim.Adam(p, lr=lr, foreach=True)}[optimizer]


# include: mlp


# include: training


# include: epochs


def unit_stats(net, x):
    """(dead, flat): the share of hidden units with f'(z) = 0 on every row of x, and of (row, unit) pairs with
    |f'(z)| < 0.01; f'(z) by autograd on each activation's input z."""
    h, slopes = x, []
    for linear, act in zip(net[0::2], net[1::2]):
        with torch.no_grad():
            z = linear(h).requires_grad_(True)
        slopes.append(torch.autograd.grad(act(z).sum(), z)[0])
        h = act(z).detach()
    s = torch.cat(slopes, 1)
    return (s == 0).all(0).float().mean().item(), (s.abs() < 0.01).float().mean().item()


runs, widths = {}, (x.shape[1], *[hidden] * layers, n_classes)
for name in activations:
    net, gen = mlp(widths, modules[name], fill), torch.Generator().manual_seed(seed)   # gen: the batch order
    opt, run = make_optimizer(net.parameters()), dict(train_loss=[], val_loss=[], train_acc=[], val_acc=[], dead=[],
                                                      flat=[], alpha=[])
    dead_at_init, _ = unit_stats(net, x_train)
    for epoch in range(epochs):
        if not train_and_validate(net, opt, minibatches(len(x_train), batch_size, gen), run):
            print(f"{name}: the loss became inf or NaN at epoch {epoch + 1}")
            break
        dead, flat = unit_stats(net, x_train)
        run["dead"].append(dead)
        run["flat"].append(flat)
        if name == "prelu":    # PReLU's learned slope α, averaged over the layers
            run["alpha"].append(torch.cat([m.weight.detach() for m in net[1::2]]).mean().item())
    runs[name] = run
    reached = next((e + 1 for e, acc in enumerate(run["train_acc"]) if acc >= target_acc), None)
    print(f"{name}: {target_acc:.0%} training accuracy at epoch {reached}; dead units {dead_at_init:.0%} at init"
          + (f", {run['dead'][-1]:.0%} at the end" if run["dead"] else ""))
