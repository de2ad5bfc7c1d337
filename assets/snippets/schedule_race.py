"""The schedule race, in plain PyTorch: the same net, data and seed trained under each learning-rate schedule, the
scheduler stepped once per epoch (reduce-on-plateau with the validation loss)."""
import itertools
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.optim import lr_scheduler as S

dataset = "spiral"  # one of: spiral, digits
noise = 0.4
samples = 1000
batch_size = 32
optimizer = "sgd"  # one of: sgd, momentum, adam
width = 64
seed = 0
# each schedule: (name, its parameters, warmup, warmup epochs, warmup factor)
schedules = (
    ('constant', (), 'none', 0, 0.1),
    ('step', (), 'none', 0, 0.1),
    ('cosine', (), 'none', 0, 0.1),
    ('plateau', (), 'none', 0, 0.1),
)  # one of: constant, step, multistep, exponential, linear, polynomial, cosine, cosine_restarts, inverse_sqrt, cyclic, one_cycle, plateau, batch_growth
epochs = 30
base_lr = 0.5

torch.set_num_threads(1)   # a net this small trains faster on one thread, as the app runs it
# include: data

he = lambda w, g: nn.init.kaiming_normal_(w, nonlinearity="relu", generator=g)


# include: mlp


# include: training


# include: schedules


# include: race
