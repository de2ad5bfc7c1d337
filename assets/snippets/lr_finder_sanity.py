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

# the data: cs231n's spiral (3 arms, angle noise `noise`) or the 8x8 digits shipped in assets/data; a 70/30 split by
# the seed, standardized by the training statistics (per feature; the images by one mean and std over all pixels)
gen = torch.Generator().manual_seed(seed)
if dataset == "spiral":
    y = torch.arange(samples) % 3
    r = torch.linspace(0.0, 1.0, samples)[torch.argsort(torch.rand(samples, generator=gen))]
    t = y * (2 * math.pi / 3) + 4 * r + noise * torch.randn(samples, generator=gen)
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



def build():
    """Two hidden ReLU layers, He-normal weights from the seed, zero biases, the output's weights x 0.1."""
    gen, widths, layers = torch.Generator().manual_seed(seed), (x.shape[1], width, width, n_classes), []
    for n_in, n_out in zip(widths, widths[1:]):
        linear = nn.utils.skip_init(nn.Linear, n_in, n_out)
        with torch.no_grad():
            nn.init.kaiming_normal_(linear.weight, nonlinearity="relu", generator=gen)
            linear.bias.zero_()
        layers += [linear, nn.ReLU()]
    with torch.no_grad():
        layers[-2].weight.mul_(0.1)
    return nn.Sequential(*layers[:-1])


def train(lr):
    """Minibatch training from the same start at this lr; stops when the loss becomes inf or NaN, or (with the stop
    rule) when an epoch's training loss exceeds stop_factor x the first epoch's."""
    net, gen, n = build(), torch.Generator().manual_seed(seed), len(x_train)
    opt = {"sgd": lambda p: torch.optim.SGD(p, lr=lr, foreach=True),
           "momentum": lambda p: torch.optim.SGD(p, lr=lr, momentum=0.9, foreach=True),
           "adam": lambda p: torch.optim.Adam(p, lr=lr, foreach=True)}[optimizer](net.parameters())
    run = dict(train_loss=[], val_loss=[], val_acc=[], step_loss=[], stop="completed")
    for epoch in range(epochs):
        batches = list((torch.randperm(n, generator=gen) if batch_size < n else torch.arange(n)).split(batch_size))
        if len(batches) > 1 and len(batches[-1]) == 1:     # (a last batch of one sample joins the one before)
            batches[-2:] = [torch.cat(batches[-2:])]
        loss_sum = 0.0
        for idx in batches:
            loss = F.cross_entropy(net(x_train[idx]), y_train[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(idx)
            if epoch == 0:
                run["step_loss"].append(loss.item())       # each batch's loss in epoch 1
        run["train_loss"].append(loss_sum / n)
        with torch.no_grad():
            out = net(x_val)
            run["val_loss"].append(F.cross_entropy(out, y_val).item())
            run["val_acc"].append((out.argmax(1) == y_val).sum().item() / len(y_val))
        if not (math.isfinite(run["train_loss"][-1]) and math.isfinite(run["val_loss"][-1])):
            run["stop"] = f"diverged at epoch {epoch + 1}"
            break
        if stop_rule and run["train_loss"][-1] > stop_factor * run["train_loss"][0]:
            run["stop"] = f"stopped at epoch {epoch + 1}: the loss exceeded {stop_factor:g}x the first epoch's"
            break
    return run


runs = {lr: train(lr) for lr in (small_lr, good_lr, huge_lr)}
for lr, run in runs.items():
    print(f"lr {lr:g}: training loss {run['train_loss'][0]:.3g} after epoch 1, {run['train_loss'][-1]:.3g} after "
          f"epoch {len(run['train_loss'])} ({run['stop']})")
