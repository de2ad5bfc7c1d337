"""The activation race, in plain PyTorch: the same MLP, data and seed trained once per activation, counting the epochs
to a target training accuracy and the hidden units that die (f'(z) = 0 on every training sample)."""
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

activations = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "silu")  # one of: sigmoid, tanh, relu, leaky_relu, prelu, elu, selu, gelu, silu, softplus, linear
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

torch.set_num_threads(1)   # a net this small trains faster on one thread, as the app runs it

# the data: cs231n's spiral (3 arms, angle noise 0.2) or the 8x8 digits shipped in assets/data; a 70/30 split by the
# seed, standardized by the training statistics (per feature; the images by one mean and std over all pixels)
gen = torch.Generator().manual_seed(seed)
if dataset == "spiral":
    y = torch.arange(samples) % 3
    r = torch.linspace(0.0, 1.0, samples)[torch.argsort(torch.rand(samples, generator=gen))]
    t = y * (2 * math.pi / 3) + 4 * r + 0.2 * torch.randn(samples, generator=gen)
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

modules = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "leaky_relu": lambda: nn.LeakyReLU(0.01),
           "prelu": lambda: nn.PReLU(init=0.25), "elu": nn.ELU, "selu": nn.SELU, "gelu": nn.GELU, "silu": nn.SiLU,
           "softplus": nn.Softplus, "linear": nn.Identity}
fill = {"xavier_normal": lambda w, g: nn.init.xavier_normal_(w, generator=g),
        "lecun_normal": lambda w, g: nn.init.normal_(w, 0.0, 1 / math.sqrt(w.shape[1]), generator=g),
        "kaiming_normal": lambda w, g: nn.init.kaiming_normal_(w, nonlinearity="relu", generator=g),
        "orthogonal": lambda w, g: nn.init.orthogonal_(w, generator=g)}[init]
make_optimizer = {"sgd": lambda p: torch.optim.SGD(p, lr=lr, foreach=True),
                  "momentum": lambda p: torch.optim.SGD(p, lr=lr, momentum=0.9, foreach=True),
                  "adam": lambda p: torch.optim.Adam(p, lr=lr, foreach=True)}[optimizer]


def build(activation):
    """Linear -> activation per hidden layer, then a linear output: weights from the seed (the same for every
    activation), biases zero, the output's weights x 0.1 (the loss starts near ln C)."""
    gen, widths, net = torch.Generator().manual_seed(seed), (x.shape[1], *[hidden] * layers, n_classes), []
    for n_in, n_out in zip(widths, widths[1:]):
        linear = nn.utils.skip_init(nn.Linear, n_in, n_out)
        with torch.no_grad():
            fill(linear.weight, gen)
            linear.bias.zero_()
        net += [linear, modules[activation]()]
    with torch.no_grad():
        net[-2].weight.mul_(0.1)
    return nn.Sequential(*net[:-1])


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


runs = {}
for name in activations:
    net = build(name)
    opt, gen, n = make_optimizer(net.parameters()), torch.Generator().manual_seed(seed), len(x_train)
    run = dict(train_loss=[], val_loss=[], train_acc=[], val_acc=[], dead=[], flat=[], alpha=[])
    dead_at_init, _ = unit_stats(net, x_train)
    for epoch in range(epochs):
        batches = list(torch.randperm(n, generator=gen).split(batch_size)) if batch_size < n else [torch.arange(n)]
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
