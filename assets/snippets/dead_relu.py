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

samples, batch_size = 1000, 64
torch.set_num_threads(1)   # a net this small trains faster on one thread, as the app runs it

# the data: cs231n's spiral (3 arms, angle noise 0.2), a 70/30 split by the seed, standardized by the training
# statistics
gen = torch.Generator().manual_seed(seed)
y = torch.arange(samples) % 3
r = torch.linspace(0.0, 1.0, samples)[torch.argsort(torch.rand(samples, generator=gen))]
t = y * (2 * math.pi / 3) + 4 * r + 0.2 * torch.randn(samples, generator=gen)
x, n_classes = torch.stack([r * t.sin(), r * t.cos()], 1), 3
order = torch.randperm(samples, generator=gen)
val, train = order[:round(samples * 0.3)], order[round(samples * 0.3):]
mean, std = x[train].mean(0), x[train].std(0)
x_train, y_train, x_val, y_val = (x[train] - mean) / std, y[train], (x[val] - mean) / std, y[val]

modules = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "leaky_relu": lambda: nn.LeakyReLU(0.01),
           "prelu": lambda: nn.PReLU(init=0.25), "elu": nn.ELU, "selu": nn.SELU, "gelu": nn.GELU, "silu": nn.SiLU,
           "softplus": nn.Softplus, "linear": nn.Identity}


def build(activation):
    """Linear -> activation per hidden layer, then a linear output: Glorot-normal weights from the seed (the same for
    every activation), biases zero, the output's weights x 0.1 (the loss starts near ln 3)."""
    gen, widths, net = torch.Generator().manual_seed(seed), (2, *[hidden] * layers, n_classes), []
    for n_in, n_out in zip(widths, widths[1:]):
        linear = nn.utils.skip_init(nn.Linear, n_in, n_out)
        with torch.no_grad():
            nn.init.xavier_normal_(linear.weight, generator=gen)
            linear.bias.zero_()
        net += [linear, modules[activation]()]
    with torch.no_grad():
        net[-2].weight.mul_(0.1)
    return nn.Sequential(*net[:-1])


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
    net, row = build(name), []
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
    """Minibatch SGD (batches of 64, a fresh order each epoch) from the same start; the dead share after each epoch
    (until the loss becomes inf or NaN)."""
    net, gen, n = build(name), torch.Generator().manual_seed(seed), len(x_train)
    opt = torch.optim.SGD(net.parameters(), lr=step, foreach=True)
    run = dict(train_loss=[], val_loss=[], train_acc=[], val_acc=[], dead=[])
    for epoch in range(epochs):
        batches = list(torch.randperm(n, generator=gen).split(batch_size))
        if len(batches) > 1 and len(batches[-1]) == 1:     # (a last batch of one sample joins the one before)
            batches[-2:] = [torch.cat(batches[-2:])]
        loss_sum, correct = 0.0, 0
        for idx in batches:
            out = net(x_train[idx])
            loss = F.cross_entropy(out, y_train[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(idx)
            correct += (out.argmax(1) == y_train[idx]).sum().item()
        run["train_loss"].append(loss_sum / n)
        run["train_acc"].append(correct / n)
        with torch.no_grad():
            out = net(x_val)
            run["val_loss"].append(F.cross_entropy(out, y_val).item())
            run["val_acc"].append((out.argmax(1) == y_val).sum().item() / len(y_val))
        if not (math.isfinite(run["train_loss"][-1]) and math.isfinite(run["val_loss"][-1])):
            break
        run["dead"].append(dead_share(net, x_train))
    return run


# part 2: the same nets trained at a sensible and at a too-large learning rate
sensible = {name: train(name, lr) for name in activations}
large = {name: train(name, large_lr) for name in activations}
for name in activations:
    end = lambda run: f"{run['dead'][-1]:.0%} dead" if len(run["dead"]) == epochs else f"diverged at epoch {len(run['train_loss'])}"
    print(f"{name} after training: {end(sensible[name])} at lr {lr:g}, {end(large[name])} at lr {large_lr:g}")
