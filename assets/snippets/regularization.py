"""Overfitting and its remedies, in plain PyTorch: an MLP on the noisy moons, circles or spiral, the 8x8 digits or
004's red wines, training vs validation, with dropout, normalization, L1/L2 penalties, weight decay, early stopping
and augmentation."""
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

dataset = "moons"  # one of: moons, circles, spiral, digits, red_wine
n_samples = 1000
noise = 0.3
hidden = (64, 64)
dropout = 0.0
norm = "none"  # one of: none, batch, layer, group
norm_placement = "before"  # one of: before, after
l1 = 0.0
l2 = 0.0
weight_decay = 0.0
optimizer = "adam"  # one of: adam, sgd
lr = 0.01
epochs = 300
batch_size = 0
patience = None
min_delta = 0.0
augment = False
seed = 0

torch.set_num_threads(1)   # a net this small trains faster on one thread (with 2, 4-7x slower on a busy machine)

# the data: the moons (scikit-learn's make_moons), two circles (radius 1 and 0.5), cs231n's spiral (3 arms, angle
# noise), or n_samples of the 8x8 digits or of the red wines (their quality 3..8 to predict) shipped in assets/data;
# a 70/30 split by the seed, standardized by the training statistics (per feature; the images by one mean and std
# over all pixels)
gen = torch.Generator().manual_seed(seed)
outer, inner = n_samples - n_samples // 2, n_samples // 2     # the two-class sets: the first half class 0
if dataset == "moons":
    t_out, t_in = torch.linspace(0, math.pi, outer), torch.linspace(0, math.pi, inner)
    x = torch.cat([torch.stack([t_out.cos(), t_out.sin()], 1), torch.stack([1 - t_in.cos(), 0.5 - t_in.sin()], 1)])
    x = x + noise * torch.randn(x.shape, generator=gen)
    y = torch.cat([torch.zeros(outer), torch.ones(inner)]).long()
elif dataset == "circles":
    t = torch.cat([torch.linspace(0, 2 * math.pi, outer + 1)[:-1], torch.linspace(0, 2 * math.pi, inner + 1)[:-1]])
    r = torch.cat([torch.ones(outer), torch.full((inner,), 0.5)])
    x = torch.stack([r * t.cos(), r * t.sin()], 1) + noise * torch.randn(n_samples, 2, generator=gen)
    y = torch.cat([torch.zeros(outer), torch.ones(inner)]).long()
elif dataset == "spiral":
    y = torch.arange(n_samples) % 3
    r = torch.linspace(0.0, 1.0, n_samples)[torch.argsort(torch.rand(n_samples, generator=gen))]
    t = y * (2 * math.pi / 3) + 4 * r + noise * torch.randn(n_samples, generator=gen)
    x = torch.stack([r * t.sin(), r * t.cos()], 1)
elif dataset == "digits":
    digits = np.load("assets/data/digits_8x8.npz")   # run from the repository's folder
    pick = torch.randperm(len(digits["target"]), generator=gen)[:n_samples]
    x = torch.from_numpy(digits["images"].reshape(-1, 64).astype(np.float32))[pick]
    y = torch.from_numpy(digits["target"].astype(np.int64))[pick]
else:
    table = torch.from_numpy(np.loadtxt("assets/data/red_wine.csv", delimiter=",", skiprows=1, dtype=np.float32))
    rows = table[torch.randperm(len(table), generator=gen)[:n_samples]]
    x, y = rows[:, :-1], rows[:, -1:]
order = torch.randperm(n_samples, generator=gen)
n_val = round(n_samples * 0.3)
val, train = order[:n_val], order[n_val:]
mean, std = (x[train].mean(0), x[train].std(0)) if dataset != "digits" else (x[train].mean(), x[train].std())
regression = dataset == "red_wine"              # MSE on the quality; cross-entropy on the classes
loss_of = F.mse_loss if regression else F.cross_entropy
hits = lambda out, y: 0 if regression else (out.argmax(1) == y).sum().item()     # right answers (no accuracy: 0)
x_train, y_train, x_val, y_val = (x[train] - mean) / std, y[train], (x[val] - mean) / std, y[val]

# the net from the seed: He-normal weights, zero biases, a classifier's output weights x 0.1 (loss starts at ln C); a
# norm per hidden layer: batch (each unit over the batch), layer (each sample over its units) or group (groups of units)
gen = torch.Generator().manual_seed(seed)
layers, norms, n_in = [], [], x.shape[1]
for n_out in (*hidden, {"moons": 2, "circles": 2, "spiral": 3, "digits": 10, "red_wine": 1}[dataset]):
    linear = nn.utils.skip_init(nn.Linear, n_in, n_out)
    with torch.no_grad():
        nn.init.kaiming_normal_(linear.weight, nonlinearity="relu", generator=gen)
        linear.bias.zero_()
    layers.append(linear)
    groups = max(d for d in range(1, min(4, n_out) + 1) if n_out % d == 0)     # group norm: up to 4 groups
    norms.append({"none": nn.Identity, "batch": nn.BatchNorm1d, "layer": nn.LayerNorm,
                  "group": lambda w: nn.GroupNorm(groups, w)}[norm](n_out))
    n_in = n_out
with torch.no_grad():
    layers[-1].weight.mul_(1.0 if regression else 0.1)
    layers[-1].bias.fill_(float(y_train.mean()) if regression else 0.0)     # the wines' quality starts at its mean
weights = [layer.weight for layer in layers]          # what L1, L2 and weight decay act on (not biases, not norms)
others = [layer.bias for layer in layers] + [p for m in norms[:-1] for p in m.parameters()]
state = weights + others + [b for m in norms[:-1] for b in m.buffers()]   # what early stopping keeps (BN's statistics)
if optimizer == "adam":   # weight decay on the weights only, decoupled from the gradient (AdamW's)
    opt = torch.optim.Adam([{"params": weights, "weight_decay": weight_decay, "decoupled_weight_decay": True},
                            {"params": others, "weight_decay": 0.0}], lr=lr, foreach=True)
else:                     # plain SGD has no decoupled decay: the loop applies it (w <- w - lr·decay·w: L2 at decay/2)
    opt = torch.optim.SGD(weights + others, lr=lr, foreach=True)
gen = torch.Generator().manual_seed(seed)       # the batch order, the augmentation and the dropout masks, in turn


def forward(h, training):
    """Linear -> [norm] -> ReLU -> [norm] -> inverted dropout (masks: uniform < 1 - p) per hidden layer, the output."""
    for linear, norm_layer in zip(layers[:-1], norms):
        norm_layer.train(training)                   # batch norm: the batch's statistics, or the running ones
        h = linear(h)
        h = torch.relu(norm_layer(h) if norm_placement == "before" else h)
        h = norm_layer(h) if norm_placement == "after" else h
        if training and dropout > 0:
            h = h * (torch.rand(h.shape, generator=gen) < 1.0 - dropout) * (1.0 / (1.0 - dropout))
    return layers[-1](h)


def penalty():
    """l1·Σ|w| + l2·Σw² over the weight matrices (both: the elastic net)."""
    total = torch.zeros(())
    if l1:
        total = total + l1 * sum(w.abs().sum() for w in weights)
    if l2:
        total = total + l2 * sum(w.pow(2).sum() for w in weights)
    return total


# include: shift_rotate


def augmented(xb):
    """A fresh random copy of a batch, labels unchanged: the 2-D sets and the wines jittered by N(0, 0.1²)
    (standardized units), the digits shifted and rotated."""
    if dataset != "digits":
        return xb + 0.1 * torch.randn(xb.shape, generator=gen)
    return shifted_rotated(xb, gen)


def evaluate(x, y):
    """(loss, accuracy) in eval mode (no dropout), without gradients."""
    with torch.no_grad():
        out = forward(x, training=False)
        return loss_of(out, y).item(), hits(out, y) / len(y)


n, size = len(x_train), min(batch_size or len(x_train), len(x_train))      # batch size 0: the whole training set
train_loss, val_loss, train_acc, val_acc = [], [], [], []
best_loss, best_epoch, wait, best = math.inf, None, 0, None
for epoch in range(1, epochs + 1):
    batches = list((torch.randperm(n, generator=gen) if size < n else torch.arange(n)).split(size))
    if len(batches) > 1 and len(batches[-1]) == 1:     # (a last batch of one sample joins the one before)
        batches[-2:] = [torch.cat(batches[-2:])]
    loss_sum, correct = 0.0, 0
    for idx in batches:
        out = forward(augmented(x_train[idx]) if augment else x_train[idx], training=True)
        loss = loss_of(out, y_train[idx])
        opt.zero_grad(set_to_none=True)
        (loss + penalty() if l1 or l2 else loss).backward()
        signs = [w.sign() for w in weights]
        if optimizer == "sgd" and weight_decay:
            with torch.no_grad():
                for w in weights:
                    w.mul_(1.0 - lr * weight_decay)
        opt.step()
        if l1:      # L1's "clipping at zero": a step that carries a weight across 0 leaves it at exactly 0
            with torch.no_grad():
                for w, s in zip(weights, signs):
                    w.mul_((s == 0) | (w.sign() == s))
        loss_sum += loss.item() * len(idx)      # Keras' number: measured with dropout on, before each step
        correct += hits(out, y_train[idx])
    train_loss.append(loss_sum / n)
    train_acc.append(correct / n)
    for values, value in zip((val_loss, val_acc), evaluate(x_val, y_val)):
        values.append(value)
    if not (math.isfinite(train_loss[-1]) and math.isfinite(val_loss[-1])):
        break                                   # the loss became inf or NaN
    if val_loss[-1] < best_loss - min_delta:    # Keras' EarlyStopping on the validation loss
        best_loss, best_epoch, wait = val_loss[-1], epoch, 0
        best = [t.detach().clone() for t in state] if patience is not None else None
    else:
        wait += 1
    if patience is not None and wait >= patience:
        break
if best is not None and best_epoch != epoch:    # restore_best_weights=True: end with the best epoch's weights
    with torch.no_grad():
        for t, kept in zip(state, best):
            t.copy_(kept)
final_val_loss, final_val_acc = evaluate(x_val, y_val)
accuracy = lambda a: "" if regression else f" (accuracy {a:.1%})"
print(f"epoch {len(train_loss)}: training loss {train_loss[-1]:.4f}{accuracy(train_acc[-1])}, validation loss "
      f"{val_loss[-1]:.4f}{accuracy(val_acc[-1])}; best epoch {best_epoch}, the returned model's validation loss "
      f"{final_val_loss:.4f}")
