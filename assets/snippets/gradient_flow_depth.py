"""The vanishing gradient through depth, in plain PyTorch: backpropagate through a deep stack and measure each layer."""
import math

import torch
from torch import nn

activations = ("sigmoid", "tanh", "relu", "leaky_relu")  # one of: sigmoid, tanh, relu, leaky_relu, elu, selu, gelu, silu, softplus, linear
depth = 20
width = 128
init = "lecun_normal"  # one of: lecun_normal, xavier_normal, kaiming_normal, orthogonal
samples = 256
seed = 0

modules = {"sigmoid": nn.Sigmoid(), "tanh": nn.Tanh(), "relu": nn.ReLU(), "leaky_relu": nn.LeakyReLU(0.01),
           "elu": nn.ELU(), "selu": nn.SELU(), "gelu": nn.GELU(), "silu": nn.SiLU(), "softplus": nn.Softplus(),
           "linear": nn.Identity()}
fill = {"lecun_normal": lambda w, g: nn.init.normal_(w, 0.0, 1 / math.sqrt(w.shape[1]), generator=g),
        "xavier_normal": lambda w, g: nn.init.xavier_normal_(w, generator=g),
        "kaiming_normal": lambda w, g: nn.init.kaiming_normal_(w, nonlinearity="relu", generator=g),
        "orthogonal": lambda w, g: nn.init.orthogonal_(w, generator=g)}[init]
rms = lambda t: t.double().pow(2).mean().sqrt().item()   # float64: a 1e-23 gradient squared underflows float32

torch.set_num_threads(1)   # as the app runs a net this small: one thread is faster, and gives the same bits
x = torch.randn(samples, width, generator=torch.Generator().manual_seed(seed + 2))
grad_rms, rms_slope = {}, {}
for name in activations:
    act, gen = modules[name], torch.Generator().manual_seed(seed)     # the same weights for every activation
    weights = []
    for _ in range(depth):
        w = torch.empty(width, width)
        with torch.no_grad():
            fill(w, gen)
        weights.append(w.requires_grad_(True))
    h, outs, slopes = x, [], []
    for w in weights:
        z = h @ w.T
        zz = z.detach().requires_grad_(True)                            # the local slope f'(z), by autograd
        slopes.append(torch.autograd.grad(act(zz).sum(), zz)[0])
        h = act(z)
        h.retain_grad()
        outs.append(h)
    h.backward(torch.randn(h.shape, generator=torch.Generator().manual_seed(seed + 1)))   # N(0,1) at the top
    grad_rms[name] = [rms(o.grad) / rms(outs[-1].grad) for o in outs]   # relative to the top layer's
    rms_slope[name] = [rms(s) for s in slopes]
    print(f"{name}: the gradient reaching layer 1 is {grad_rms[name][0]:.1e} of layer {depth}'s")
