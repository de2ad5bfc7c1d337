"""Convolution arithmetic, in plain PyTorch: one layer's output size, the parameters of a dense, a local and a shared
(convolution) layer, torch's conv2d and pooling on a small input, and the receptive field of a stack of layers."""
import torch
import torch.nn.functional as F

size = 7
channels = 1
filters = 1
kernel = 3
stride = 1
padding = 0
dilation = 1
pool = 2
layers = 4
seed = 0

# 001's (W - F + 2P)/S + 1, rounded down as torch does, the kernel spread by its dilation to D(F - 1) + 1 pixels
span = dilation * (kernel - 1) + 1
out_size = (size + 2 * padding - span) // stride + 1
units, window = out_size * out_size * filters, kernel * kernel * channels
counts = {"dense": size * size * channels * units + units,    # every output unit sees every input (+ its bias)
          "sparse (local)": units * window + units,           # each unit its own F x F x C window of weights
          "shared (convolution)": filters * window + filters}  # one F x F x C kernel per filter
print(f"a {size}x{size}x{channels} input, {filters} filters of {kernel}x{kernel}: output {out_size}x{out_size}; "
      f"parameters {counts}")

# the first channel and filter for real: integer pixels 0..9 and weights -1..1 (float64: every value exact)
gen = torch.Generator().manual_seed(seed)
x = torch.randint(0, 10, (1, 1, size, size), generator=gen, dtype=torch.float64)
w = torch.randint(-1, 2, (1, 1, kernel, kernel), generator=gen, dtype=torch.float64)
image = F.pad(x, (padding,) * 4)[0, 0]
output = F.conv2d(x, w, stride=stride, padding=padding, dilation=dilation)[0, 0]
pooled_max, pooled_avg = F.max_pool2d(x, pool)[0, 0], F.avg_pool2d(x, pool)[0, 0]   # window = stride = pool

# the receptive field after each of `layers` such convolutions (and with the pooling after each):
# r += D(F - 1) x (the product of the strides before it); and the map's side after each convolution
fields_conv, fields_pool, sizes_conv = [], [], []
field, jump, field_p, jump_p, side = 1, 1, 1, 1, size
for _ in range(layers):
    field, jump = field + dilation * (kernel - 1) * jump, jump * stride
    field_p, jump_p = field_p + dilation * (kernel - 1) * jump_p, jump_p * stride
    field_p, jump_p = field_p + (pool - 1) * jump_p, jump_p * pool
    side = (side + 2 * padding - span) // stride + 1 if side and span <= side + 2 * padding else 0
    fields_conv.append(field)
    fields_pool.append(field_p)
    sizes_conv.append(side)
print(f"receptive field after each layer: {fields_conv}; with pooling: {fields_pool}")
