"""Weight initialization, in plain PyTorch: push N(0,1) data through a deep bias-free net (batch norm optional) and
measure each layer."""
import math

import torch
from torch import nn

depth = 10
width = 500
samples = 1000
activation = "tanh"  # one of: tanh, relu, sigmoid
init = "normal"  # one of: normal, uniform, zeros, constant, lecun_normal, xavier_uniform, xavier_normal, glorot_normal_003, kaiming_normal, kaiming_uniform, orthogonal
init_scale = 0.01
batchnorm = False
bins = 30
seed = 0

act = {"tanh": nn.Tanh(), "relu": nn.ReLU(), "sigmoid": nn.Sigmoid()}[activation]
fill = {"normal": lambda w, g: nn.init.normal_(w, 0.0, init_scale, generator=g),
        "uniform": lambda w, g: nn.init.uniform_(w, -init_scale, init_scale, generator=g),
        "zeros": lambda w, g: nn.init.zeros_(w),
        "constant": lambda w, g: nn.init.constant_(w, init_scale),
        "lecun_normal": lambda w, g: nn.init.normal_(w, 0.0, 1 / math.sqrt(w.shape[1]), generator=g),
        "xavier_uniform": lambda w, g: nn.init.xavier_uniform_(w, generator=g),
        "xavier_normal": lambda w, g: nn.init.xavier_normal_(w, generator=g),
        # 003's slide prints std 2/sqrt(fan_in + fan_out), twice Glorot's variance: with 500 -> 500 layers, He's
        "glorot_normal_003": lambda w, g: nn.init.normal_(w, 0.0, 2 / math.sqrt(sum(w.shape)), generator=g),
        "kaiming_normal": lambda w, g: nn.init.kaiming_normal_(w, nonlinearity="relu", generator=g),
        "kaiming_uniform": lambda w, g: nn.init.kaiming_uniform_(w, nonlinearity="relu", generator=g),
        "orthogonal": lambda w, g: nn.init.orthogonal_(w, generator=g)}[init]
# batch norm (batch statistics, no learned scale or shift) re-standardizes each layer's z = h W^T before the activation
norm = nn.BatchNorm1d(width, affine=False) if batchnorm else nn.Identity()

# the weights, layer after layer, from the seed; then the data and the top gradient from seed + 1
gen = torch.Generator().manual_seed(seed)
weights = []
for _ in range(depth):
    w = torch.empty(width, width)
    with torch.no_grad():
        fill(w, gen)
    weights.append(w)
gen = torch.Generator().manual_seed(seed + 1)
x = torch.randn(samples, width, generator=gen)
upstream = torch.randn(min(samples, 1000), width, generator=gen)
print(f"input layer had mean {x.mean():.6f} and std {x.std(correction=0):.6f}")

# forward: each layer's output statistics (the lecture's printout), and its outputs on the first 1,000 rows kept for
# the histograms (until a layer's std is inf or NaN)
forward_mean, forward_std, kept = [], [], []
with torch.no_grad():
    h = x
    for i, w in enumerate(weights):
        h = act(norm(h @ w.T))
        forward_mean.append(h.mean().item())
        forward_std.append(h.std(correction=0).item())
        print(f"hidden layer {i + 1} had mean {forward_mean[-1]:.6f} and std {forward_std[-1]:.6f}")
        if math.isfinite(forward_std[-1]) and len(kept) == i:
            kept.append(h[:len(upstream)].clone())


def abs_q995(a):
    """The 99.5th percentile of |a| over its first 100,000 finite values (the (n/200 + 1)-th largest)."""
    flat = a.reshape(-1)[:100_000].abs()
    flat = flat[torch.isfinite(flat)]
    return float(flat.topk(int(0.005 * flat.numel()) + 1).values[-1]) if flat.numel() else 0.0


# the lecture's figure: each layer's outputs in `bins` bins on ONE range for all layers, so a collapse to 0 shows:
# the activation's bounds, or for ReLU [0, the largest layer's 99.5th percentile]; values beyond it count at the edge
lo, hi = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}.get(activation, (0.0, max(map(abs_q995, kept), default=1.0)))
hi = hi or 1.0
hist_counts = [torch.histc(a.clamp(lo, hi), bins, lo, hi) for a in kept]
hist_edges = torch.linspace(lo, hi, bins + 1, dtype=torch.float64)
# e.g. with matplotlib: plt.stairs(hist_counts[i] / hist_counts[i].sum(), hist_edges) for layer i + 1

# backward: an N(0,1) gradient on the top layer's output of the first 1,000 rows, and what reaches each layer
outs, h = [], x[:len(upstream)]
for w in weights:
    w.requires_grad_(True)
    h = act(norm(h @ w.T))
    h.retain_grad()
    outs.append(h)
outs[-1].backward(upstream)
grad_std = [o.grad.std(correction=0).item() for o in outs]
weight_grad_rms = [w.grad.square().mean().sqrt().item() for w in weights]
print("gradient std per layer:", [f"{g:.3g}" for g in grad_std])
