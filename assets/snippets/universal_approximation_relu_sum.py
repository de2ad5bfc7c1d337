"""001's Z(x), a sum of six ReLU units, in plain PyTorch: each unit sign_i Relu(slope_i x + offset_i), their sum, and
the slope of Z on each straight piece by autograd."""
import numpy as np
import torch

slopes = (-5.0, -1.2, 1.2, 1.2, 2.0, 5.0)
offsets = (-7.7, -1.3, 1.0, -0.2, -1.1, -5.0)
extent = 2.0

signs = (-1.0, -1.0, -1.0, 1.0, 1.0, 1.0)     # the slide's Z = -n1 - n2 - n3 + n4 + n5 + n6


def units(x):
    """(6, points): sign_i * Relu(slope_i x + offset_i), every unit at once, in float64."""
    w, b, s = (torch.tensor(v, dtype=torch.float64)[:, None] for v in (slopes, offsets, signs))
    return s * torch.relu(w * x + b)


# each unit bends at x = -offset / slope (a unit of slope 0 never bends); the grid holds every bend in the range
w, b = np.array(slopes), np.array(offsets)
with np.errstate(divide="ignore", invalid="ignore"):
    kinks = np.where(w != 0, -b / np.where(w != 0, w, 1.0), np.nan)
bends = np.unique(kinks[np.abs(kinks) < extent])
x = np.union1d(np.linspace(-extent, extent, 201), bends)
pieces = units(torch.from_numpy(x)).numpy()
z = pieces.sum(0)
# dZ/dx at the middle of each straight piece: the slope changes at each bend by that unit's signed slope
edges = np.concatenate([[-extent], bends, [extent]])
middles = torch.from_numpy((edges[:-1] + edges[1:]) / 2).requires_grad_(True)
units(middles).sum().backward()
segment_slopes = middles.grad
print("Z bends at x =", np.round(bends, 3).tolist(), "with slopes", segment_slopes.tolist(), "between the bends")
