"""Model ensembles, in plain PyTorch: K nets trained alike from K seeds with their predicted probabilities averaged,
and snapshots of one net under cosine annealing with warm restarts, averaged the same way (002 "Model Ensembles")."""
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

members = 5
n_train = 200
width = 64
epochs = 60
cycles = 5
lr = 0.05
seed = 0

torch.set_num_threads(1)   # nets this small train faster on one thread, as the app runs them

val_fraction = 1 - n_train / 1797   # n_train digits to train, the rest to validate
# include: digits
mean, std = x[train].mean(), x[train].std()      # one mean and std over all pixels of the training images
x_train, y_train, x_val, y_val = (x[train] - mean) / std, y[train], (x[val] - mean) / std, y[val]


def net_from(net_seed):
    """64 -> width ReLUs -> 10: He-normal weights from the seed, zero biases, the output's weights x 0.1."""
    gen = torch.Generator().manual_seed(net_seed)
    net = nn.Sequential(nn.utils.skip_init(nn.Linear, 64, width), nn.ReLU(), nn.utils.skip_init(nn.Linear, width, 10))
    with torch.no_grad():
        for layer in (net[0], net[2]):
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu", generator=gen)
            layer.bias.zero_()
        net[2].weight.mul_(0.1)
    return net


def train(net, n_epochs, sched=None, after_epoch=lambda epoch: None):
    """Full-batch Adam, the scheduler (if any) stepped after each epoch; the validation accuracy and lr per epoch."""
    opt = torch.optim.Adam(net.parameters(), lr=lr, foreach=True)
    sched, val_acc, lrs = sched(opt) if sched else None, [], []
    for epoch in range(1, n_epochs + 1):
        lrs.append(opt.param_groups[0]["lr"])
        loss = F.cross_entropy(net(x_train), y_train)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            out = net(x_val)
            val_loss = F.cross_entropy(out, y_val).item()
        val_acc.append((out.argmax(1) == y_val).sum().item() / len(y_val))
        after_epoch(epoch)
        if not (math.isfinite(loss.item()) and math.isfinite(val_loss)):
            break                                          # the loss became inf or NaN
        if sched:
            sched.step()
    return val_acc, lrs


def probabilities(net):
    """Softmax of the net's outputs on the validation digits."""
    with torch.no_grad():
        return torch.softmax(net(x_val), 1).numpy()


accuracy = lambda p: float((p.argmax(1) == y_val.numpy()).mean())
cross_entropy = lambda p: float(-np.log(np.clip(p[np.arange(len(y_val)), y_val.numpy()], 1e-12, None)).mean())

# K members, member k initialized from seed + k; average their probabilities, then take the argmax
probs, member_curves = [], []
for k in range(members):
    net = net_from(seed + k)
    member_curves.append(train(net, epochs)[0])
    probs.append(probabilities(net))
probs = np.stack(probs)
member_acc, ensemble_acc = [accuracy(p) for p in probs], accuracy(probs.mean(0))
ensemble_by_k = [accuracy(probs[:k].mean(0)) for k in range(1, members + 1)]

# one net, `cycles` cosine cycles of epochs // cycles epochs each (torch's CosineAnnealingWarmRestarts), a snapshot of
# its probabilities at each cycle's end
cycle, snapshots, net = epochs // cycles, {}, net_from(seed)
keep = lambda epoch: snapshots.update({epoch: probabilities(net)}) if epoch % cycle == 0 else None
restarts = lambda opt: torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=cycle)
snapshot_curve, snapshot_lr = train(net, cycle * cycles, restarts, keep)
snapshot_acc = [accuracy(p) for p in snapshots.values()]
snapshot_ensemble_acc = accuracy(np.stack(list(snapshots.values())).mean(0))
print(f"members {', '.join(f'{a:.1%}' for a in member_acc)}; their average {ensemble_acc:.1%}. Snapshots "
      f"{', '.join(f'{a:.1%}' for a in snapshot_acc)}; their average {snapshot_ensemble_acc:.1%}")
