"""One hidden layer of ReLUs fit to a 1-D function, in plain PyTorch: each hidden unit is a hinge v_i Relu(w_i x + b_i),
the fit is their sum plus a bias (001, Hornik's theorem)."""
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

target = "sine"  # one of: sine, step, abs, sawtooth, polyline
points = "-1,0; -0.5,1; 0,0.2; 0.5,1; 1,0"
width = 8
steps = 1000
lr = 0.01
seed = 0

torch.set_num_threads(1)   # a net this small trains faster on one thread, as the app runs it

# the function on its domain: [-1, 1], or the polyline's x range (points "x,y; x,y; ..." with x increasing)
corners = np.array([[float(v) for v in p.split(",")] for p in points.replace("\n", ";").split(";") if p.strip()])
fn = {"sine": lambda x: np.sin(np.pi * x), "step": lambda x: (x >= 0).astype(float), "abs": np.abs,
      "sawtooth": lambda x: np.mod(2 * x + 0.5, 1.0),
      "polyline": lambda x: np.interp(x, corners[:, 0], corners[:, 1])}[target]
lo, hi = (corners[0, 0], corners[-1, 0]) if target == "polyline" else (-1.0, 1.0)
# the net sees x mapped to [-1, 1] and the targets standardized, so a function in any units trains alike
x_train, x = np.linspace(lo, hi, 200), np.linspace(lo, hi, 401)
mean, std = float(fn(x_train).mean()), float(fn(x_train).std()) or 1.0
to_u = lambda xs: torch.tensor(2 * (xs - lo) / (hi - lo) - 1, dtype=torch.float32)[:, None]
scaled = lambda ys: torch.tensor((ys - mean) / std, dtype=torch.float32)[:, None]
u_train, t_train, u_grid, t_grid = to_u(x_train), scaled(fn(x_train)), to_u(x), scaled(fn(x))

# x -> Relu(w x + b) -> v . h + c: He slopes from the seed, each kink -b/w drawn uniformly in [-1, 1], the output at 0
gen = torch.Generator().manual_seed(seed)
hidden, out = nn.utils.skip_init(nn.Linear, 1, width), nn.utils.skip_init(nn.Linear, width, 1)
with torch.no_grad():
    nn.init.kaiming_normal_(hidden.weight, nonlinearity="relu", generator=gen)
    hidden.bias.copy_(-hidden.weight[:, 0] * nn.init.uniform_(torch.empty(width), -1.0, 1.0, generator=gen))
    nn.init.zeros_(out.weight)
    nn.init.zeros_(out.bias)
net = nn.Sequential(hidden, nn.ReLU(), out)

# full-batch Adam on the mean squared error; the loss in the function's units (x std²)
opt, loss_curve = torch.optim.Adam(net.parameters(), lr=lr, foreach=True), []
for step in range(steps):
    loss = F.mse_loss(net(u_train), t_train)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    loss_curve.append(loss.item() * len(u_train) / len(u_train) * std**2)   # the app's epoch mean: one batch
    with torch.no_grad():
        grid_loss = F.mse_loss(net(u_grid), t_grid).item()
    if not (math.isfinite(loss_curve[-1]) and math.isfinite(grid_loss)):
        break                                        # the loss became inf or NaN

# each unit's hinge back in the function's units, their sum, and where each unit bends
w, b = (t.detach().double().numpy() for t in (hidden.weight[:, 0], hidden.bias))
v, c = out.weight.detach().double().numpy()[0] * std, float(out.bias.detach()) * std + mean
u = torch.from_numpy(2 * (x[None, :] - lo) / (hi - lo) - 1)
pieces = (torch.from_numpy(v[:, None]) * torch.relu(torch.from_numpy(w[:, None]) * u
                                                    + torch.from_numpy(b[:, None]))).numpy()
fit = c + pieces.sum(0)
with np.errstate(divide="ignore"):
    kinks = lo + (np.where(w != 0, -b / np.where(w != 0, w, 1.0), np.inf) + 1) * (hi - lo) / 2
error = np.abs(fit - fn(x))
print(f"{width} hinges, {int(np.sum((kinks > lo) & (kinks < hi)))} of them bending inside the domain: mean squared "
      f"error {np.mean(error ** 2):.4g}, largest error {error.max():.3g} at x = {x[np.argmax(error)]:.3g}")
