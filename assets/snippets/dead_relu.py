"""Dead ReLUs, in plain PyTorch: the hidden units that never fire on the training data (f'(z) = 0 on every sample),
at initialization for a sweep of initial biases, then after training with SGD at a sensible and a too-large step."""
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

activations = ("relu", "leaky_relu", "elu")  # one of: sigmoid, tanh, relu, leaky_relu, prelu, elu, selu, gelu, silu, softplus, linear
dataset = "spiral"  # one of: spiral
hidden = 64
layers = 3
negative_bias = -1.0
lr = 0.1
large_lr = 2.0
epochs = 20
seed = 0

samples, noise, batch_size = 1000, 0.2, 64     # fixed in this lesson
torch.set_num_threads(1)   # a net this small trains faster on one thread, as the app runs it
# include: data

modules = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "leaky_relu": lambda: nn.LeakyReLU(0.01),
           "prelu": lambda: nn.PReLU(init=0.25), "elu": nn.ELU, "selu": nn.SELU, "gelu": nn.GELU, "silu": nn.SiLU,
           "softplus": nn.Softplus, "linear": nn.Identity}
widths, glorot = (x.shape[1], *[hidden] * layers, n_classes), lambda w, g: nn.init.xavier_normal_(w, generator=g)


# include: mlp


# include: training


def dead_share(net, x):
    """The share of hidden units whose slope f'(z) is 0 on every row of x (by autograd on each activation's input)."""
    h, slopes = x, []
    for linear, act in zip(net[0::2], net[1::2]):
        with torch.no_grad():
            z = linear(h).requires_grad_(True)
        slopes.append(torch.autograd.grad(act(z).sum(), z)[0])
        h = act(z).detach()
    return (torch.cat(slopes, 1) == 0).all(0).float().mean().item()


# part 1: every hidden bias set to one value at initialization, from -3 to 1 (and the 0.01 trick, and ours)
biases = np.union1d(np.round(np.union1d(np.linspace(-3.0, 1.0, 41), [0.01]), 4), [negative_bias])
dead_vs_bias = []
for name in activations:
    net, row = mlp(widths, modules[name], glorot), []
    for b in biases:
        with torch.no_grad():
            for linear in net[0:-1:2]:
                linear.bias.fill_(float(b))
        row.append(dead_share(net, x_train))
    dead_vs_bias.append(row)
    at = lambda b: row[int(np.flatnonzero(np.isclose(biases, b))[0])]
    print(f"{name} at init: dead {at(0.0):.0%} with bias 0, {at(negative_bias):.0%} with bias {negative_bias:g}, "
          f"{at(0.01):.0%} with bias +0.01")


def train(name, step):
    """Minibatch SGD from the same start; the dead share after each epoch (until the loss becomes inf or NaN)."""
    net, gen = mlp(widths, modules[name], glorot), torch.Generator().manual_seed(seed)    # gen: the batch order
    opt, run = torch.optim.SGD(net.parameters(), lr=step, foreach=True), dict(train_loss=[], val_loss=[], dead=[])
    for epoch in range(epochs):
        train_loss, _ = train_epoch(net, opt, minibatches(len(x_train), batch_size, gen))
        val_loss, _ = evaluate(net, x_val, y_val)
        run["train_loss"].append(train_loss)
        run["val_loss"].append(val_loss)
        if not (math.isfinite(train_loss) and math.isfinite(val_loss)):
            break
        run["dead"].append(dead_share(net, x_train))
    return run


# part 2: the same nets trained at a sensible and at a too-large learning rate
sensible = {name: train(name, lr) for name in activations}
large = {name: train(name, large_lr) for name in activations}
end = lambda run: f"{run['dead'][-1]:.0%} dead" if len(run["dead"]) == epochs else "diverged"
for name in activations:
    print(f"{name} after training: {end(sensible[name])} at lr {lr:g}, {end(large[name])} at lr {large_lr:g}")
