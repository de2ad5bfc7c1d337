"""Learning-rate schedules, in plain PyTorch: the lr that torch.optim.lr_scheduler sets at each step of a run."""
import itertools
import math

import numpy as np
import torch
from torch.optim import lr_scheduler as S

# each schedule: (name, its parameters, warmup, warmup steps, warmup factor)
schedules = (
    ('step', (), 'none', 0, 0.1),
    ('cosine', (), 'none', 0, 0.1),
    ('cosine', (), 'gradual', 10, 0.1),
)  # one of: constant, step, multistep, exponential, linear, polynomial, cosine, cosine_restarts, inverse_sqrt, cyclic, one_cycle, plateau
steps = 100
base_lr = 0.1
stall_at = 0.4
seed = 0


# include: schedules


# what reduce-on-plateau watches: a made-up validation loss that falls like 1/(1 + t), stalls after `stall_at` of the
# run, plus N(0, 0.01²) noise from the seed (the other schedules ignore it)
t = np.arange(steps, dtype=float)
metric = 1.0 / (1.0 + 10.0 * np.minimum(t, max(1.0, stall_at * steps)) / steps)
metric = metric + 0.01 * np.random.default_rng(seed).standard_normal(steps)

lr = []
for name, params, warmup, warmup_steps, warmup_factor in schedules:
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=base_lr)   # one parameter: only its lr matters
    step = stepper(opt, steps, name, params, warmup, warmup_steps, warmup_factor)
    opt.step()                                          # torch expects a step before the scheduler's
    curve = []
    for i in range(steps):
        curve.append(opt.param_groups[0]["lr"])
        if i < steps - 1:
            step(float(metric[i]))     # the loss after step i
    lr.append(curve)
    print(f"{name} (warmup: {warmup}): starts at {curve[0]:.3g}, peaks at {max(curve):.3g}, ends at {curve[-1]:.3g}")
