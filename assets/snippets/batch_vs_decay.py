"""Don't decay the learning rate, increase the batch size (Smith et al. 2017), in plain PyTorch: one run divides the
lr by k every few epochs (StepLR), the other keeps the lr and multiplies the batch by k at the same epochs."""
import itertools
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.optim import lr_scheduler as S

dataset = "spiral"  # one of: spiral, digits
noise = 0.4
samples = 2000
batch_size = 32
optimizer = "sgd"  # one of: sgd, momentum, adam
width = 64
seed = 0
factor = 5.0
every = 10
baseline = True
epochs = 30
base_lr = 0.5

# each run: (schedule, its parameters, warmup, warmup epochs, warmup factor): decay, grow the batch (, constant)
schedules = (("step", (("step_size", every), ("gamma", 1.0 / factor)), "none", 0, 0.1),
             ("batch_growth", (("step_size", every), ("factor", factor)), "none", 0, 0.1),
             *([("constant", (), "none", 0, 0.1)] if baseline else []))

torch.set_num_threads(1)   # a net this small trains faster on one thread, as the app runs it
# include: data

he = lambda w, g: nn.init.kaiming_normal_(w, nonlinearity="relu", generator=g)


# include: mlp


# include: training


# include: schedules


# include: race

print(f"parameter updates in {epochs} epochs: {sum(runs[0]['updates']):,} with the decaying lr, "
      f"{sum(runs[1]['updates']):,} with the growing batch")
