"""Overfitting and dropout, in plain PyTorch: an MLP on the noisy moons, full-batch Adam, training vs validation."""
import math

import torch
import torch.nn.functional as F
from torch import nn

n_samples = 1000
noise = 0.3
hidden = (64, 64)
dropout = 0.0
lr = 0.01
epochs = 300
seed = 0

torch.set_num_threads(1)   # a net this small trains faster on one thread (with 2, 4-7x slower on a busy machine)

# the moons (scikit-learn's make_moons), a 70/30 split by the seed, standardized by the training statistics
gen = torch.Generator().manual_seed(seed)
t_out, t_in = torch.linspace(0, math.pi, n_samples - n_samples // 2), torch.linspace(0, math.pi, n_samples // 2)
x = torch.cat([torch.stack([t_out.cos(), t_out.sin()], 1), torch.stack([1 - t_in.cos(), 0.5 - t_in.sin()], 1)])
x = x + noise * torch.randn(x.shape, generator=gen)
y = torch.cat([torch.zeros(n_samples - n_samples // 2), torch.ones(n_samples // 2)]).long()
order = torch.randperm(n_samples, generator=gen)
n_val = round(n_samples * 0.3)
val, train = order[:n_val], order[n_val:]
mean, std = x[train].mean(0), x[train].std(0)
x_train, y_train, x_val, y_val = (x[train] - mean) / std, y[train], (x[val] - mean) / std, y[val]

# the net from the seed: He-normal weights, zero biases, the output layer's weights x 0.1 (loss starts at ln 2)
gen = torch.Generator().manual_seed(seed)
layers, n_in = [], 2
for n_out in (*hidden, 2):
    linear = nn.utils.skip_init(nn.Linear, n_in, n_out)
    with torch.no_grad():
        nn.init.kaiming_normal_(linear.weight, nonlinearity="relu", generator=gen)
        linear.bias.zero_()
    layers.append(linear)
    n_in = n_out
with torch.no_grad():
    layers[-1].weight.mul_(0.1)
opt = torch.optim.Adam([layer.weight for layer in layers] + [layer.bias for layer in layers], lr=lr, foreach=True)
masks = torch.Generator().manual_seed(seed)       # the dropout masks


def forward(h, training):
    """Linear -> ReLU -> inverted dropout (masks drawn as uniform < 1 - p) per hidden layer, then the output."""
    for linear in layers[:-1]:
        h = torch.relu(linear(h))
        if training and dropout > 0:
            h = h * (torch.rand(h.shape, generator=masks) < 1.0 - dropout) * (1.0 / (1.0 - dropout))
    return layers[-1](h)


train_loss, val_loss, train_acc, val_acc = [], [], [], []
for epoch in range(epochs):
    out = forward(x_train, training=True)
    loss = F.cross_entropy(out, y_train)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    train_loss.append(loss.item())                  # Keras' number: measured with dropout on, before the step
    train_acc.append((out.argmax(1) == y_train).sum().item() / len(y_train))
    with torch.no_grad():
        out = forward(x_val, training=False)
        val_loss.append(F.cross_entropy(out, y_val).item())
        val_acc.append((out.argmax(1) == y_val).sum().item() / len(y_val))
print(f"epoch {epochs}: training loss {train_loss[-1]:.4f} (accuracy {train_acc[-1]:.1%}), "
      f"validation loss {val_loss[-1]:.4f} (accuracy {val_acc[-1]:.1%})")
