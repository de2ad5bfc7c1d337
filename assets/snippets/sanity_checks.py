"""Sanity checks before training, in plain PyTorch: the initial loss against ln C (and with L2), overfitting a tiny
subset with SGD (and a bug that makes it fail), and each layer's update/weight ratio at three learning rates."""
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

dataset = "digits"  # one of: digits
classes = 10
hidden = 64
reg = 0.001
tiny_samples = 20
epochs = 60
lr = 0.1
seed = 0
bug = "none"  # one of: none, shuffled_labels

torch.set_num_threads(1)   # a net this small trains faster on one thread, as the app runs it

val_fraction = 0.3         # the share of the digits that validates
# include: digits


def first_classes(c):
    """(x_train, y_train, x_val, y_val) of the digits 0..c-1, standardized with the training images' statistics."""
    keep_train, keep_val = train[y[train] < c], val[y[val] < c]
    mean, std = x[keep_train].mean(), x[keep_train].std()
    return (x[keep_train] - mean) / std, y[keep_train], (x[keep_val] - mean) / std, y[keep_val]


def build(c):
    """64 -> hidden ReLUs -> c logits: He-normal weights from the seed, zero biases, the output's weights x 0.01
    (cs231n's 0.01·randn: logits near 0, so the loss starts near ln C)."""
    gen = torch.Generator().manual_seed(seed)
    net = nn.Sequential(nn.utils.skip_init(nn.Linear, 64, hidden), nn.ReLU(), nn.utils.skip_init(nn.Linear, hidden, c))
    with torch.no_grad():
        for layer in (net[0], net[2]):
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu", generator=gen)
            layer.bias.zero_()
        net[2].weight.mul_(0.01)
    return net


# 1. the loss at initialization against -ln(1/C), for 2, 3 and 10 classes (and ours); then + reg·Σw² (L2)
checked = sorted({2, 3, 10, classes})
with torch.no_grad():
    initial_losses = [F.cross_entropy(build(c)(first_classes(c)[0]), first_classes(c)[1]).item() for c in checked]
    net = build(classes)
    with_reg = initial_losses[checked.index(classes)] + (reg * sum(w.pow(2).sum() for w in (net[0].weight,
                                                                                           net[2].weight))).item()
print(f"initial loss {initial_losses[checked.index(classes)]:.3f} against ln {classes} = {math.log(classes):.3f}; "
      f"{with_reg:.3f} with L2")

# 2. overfit the first tiny_samples training images: plain SGD, batches of 4, no regularization
x_train, y_train, x_val, y_val = first_classes(classes)
xs, ys = x_train[:tiny_samples], y_train[:tiny_samples].clone()
net, gen, labels = build(classes), torch.Generator().manual_seed(seed), torch.Generator().manual_seed(seed + 1)
opt = torch.optim.SGD(net.parameters(), lr=lr, foreach=True)
tiny_train_acc, tiny_train_loss, tiny_val_acc = [], [], []
for epoch in range(epochs):
    batches = list((torch.randperm(len(xs), generator=gen) if len(xs) > 4 else torch.arange(len(xs))).split(4))
    if len(batches) > 1 and len(batches[-1]) == 1:     # (a last batch of one sample joins the one before)
        batches[-2:] = [torch.cat(batches[-2:])]
    for idx in batches:
        loss = F.cross_entropy(net(xs[idx]), ys[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    with torch.no_grad():
        out = net(xs)
        tiny_train_loss.append(F.cross_entropy(out, ys).item())
        tiny_train_acc.append((out.argmax(1) == ys).sum().item() / len(ys))
        tiny_val_acc.append((net(x_val).argmax(1) == y_val).sum().item() / len(y_val))
    if bug == "shuffled_labels":     # the bug: a loop that permutes x and y with different orders
        ys.copy_(ys[torch.randperm(len(ys), generator=labels)])
solved = next((e + 1 for e, acc in enumerate(tiny_train_acc) if acc >= 1.0), None)
print(f"the tiny subset is {'memorized at epoch ' + str(solved) if solved else 'never memorized'}; validation accuracy "
      f"{tiny_val_acc[-1]:.0%}")

# 3. full-batch SGD at lr / 30, lr and lr x 30: after each step, each layer's ||ΔW|| / ||W|| (001: ~1e-3..1e-2)
monitored = {}
for rate in (lr / 30.0, lr, lr * 30.0):
    net = build(classes)
    opt, weights = torch.optim.SGD(net.parameters(), lr=rate, foreach=True), [net[0].weight, net[2].weight]
    run = dict(ratio=[], grad=[], act_std=[], dead=[], train_loss=[], val_acc=[])
    for epoch in range(epochs):
        last = [w.detach().clone() for w in weights]
        loss = F.cross_entropy(net(x_train), y_train)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        run["train_loss"].append(loss.item() * len(x_train) / len(x_train))   # the app's epoch mean, one batch
        with torch.no_grad():
            out = net(x_val)
            val_loss = F.cross_entropy(out, y_val).item()
            run["val_acc"].append((out.argmax(1) == y_val).sum().item() / len(y_val))
            run["ratio"].append([((w - b).norm() / b.norm()).item() for b, w in zip(last, weights)])
            run["grad"].append([w.grad.norm().item() for w in weights])
            h = torch.relu(net[0](x_train))              # the hidden layer's outputs
            run["act_std"].append(h.std().item())
            run["dead"].append((h.amax(0) <= 0).float().mean().item())
        if not (math.isfinite(run["train_loss"][-1]) and math.isfinite(val_loss)):
            break                                       # the loss became inf or NaN
    monitored[rate] = run
    print(f"lr {rate:.3g}: update/weight ratio per layer after the last step "
          f"{[f'{v:.1e}' for v in run['ratio'][-1]] if run['ratio'] else 'diverged'}")
