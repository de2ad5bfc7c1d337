"""Activation functions, in plain PyTorch: f(x) and its slope f'(x) by autograd on a grid, and where f saturates."""
import torch
from torch import nn

activations = ("sigmoid", "tanh", "relu", "leaky_relu", "elu")  # one of: sigmoid, tanh, relu, leaky_relu, prelu, elu, selu, gelu, silu, softplus, linear, maxout
leaky_alpha = 0.1
prelu_alpha = 0.25
elu_alpha = 1.0
softplus_beta = 1.0
maxout_k = 2
x_max = 6.0
threshold = 0.01

# include: maxout


modules = {"sigmoid": nn.Sigmoid(), "tanh": nn.Tanh(), "relu": nn.ReLU(), "leaky_relu": nn.LeakyReLU(leaky_alpha),
           "prelu": nn.PReLU(init=prelu_alpha), "elu": nn.ELU(elu_alpha), "selu": nn.SELU(), "gelu": nn.GELU(),
           "silu": nn.SiLU(), "softplus": nn.Softplus(softplus_beta), "linear": nn.Identity(),
           "maxout": Maxout(maxout_k)}

# 1,201 points from -x_max to x_max, with x = 0 (every kink) exactly on the grid
x = torch.arange(-600, 601, dtype=torch.float64).div(600).mul(x_max).float()
values, slopes = {}, {}
for name in activations:
    z = x.clone().requires_grad_(True)
    y = modules[name](z)
    slopes[name], = torch.autograd.grad(y.sum(), z)     # d sum f / dz = f'(z), elementwise
    values[name] = y.detach()
    saturated = (slopes[name].abs() < threshold).float().mean().item()
    print(f"{name}: f({x_max:g}) = {values[name][-1]:.4f}, largest slope {slopes[name].abs().max():.3f}, "
          f"saturated (|f'| < {threshold:g}) on {saturated:.0%} of the grid")
