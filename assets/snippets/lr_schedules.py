"""Learning-rate schedules, in plain PyTorch: the lr that torch.optim.lr_scheduler sets at each step of a run."""
import itertools
import math

import torch
from torch.optim import lr_scheduler as S

# each schedule: (name, its parameters, warmup, warmup steps, warmup factor)
schedules = (
    ('step', (), 'none', 0, 0.1),
    ('cosine', (), 'none', 0, 0.1),
    ('cosine', (), 'gradual', 10, 0.1),
)  # one of: constant, step, multistep, exponential, linear, polynomial, cosine, cosine_restarts, inverse_sqrt, cyclic, one_cycle
steps = 100
base_lr = 0.1


# include: schedules


lr = []
for name, params, warmup, warmup_steps, warmup_factor in schedules:
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=base_lr)   # one parameter: only its lr matters
    step = stepper(opt, steps, name, params, warmup, warmup_steps, warmup_factor)
    opt.step()                                          # torch expects a step before the scheduler's
    curve = []
    for i in range(steps):
        curve.append(opt.param_groups[0]["lr"])
        if i < steps - 1:
            step(None)
    lr.append(curve)
    print(f"{name} (warmup: {warmup}): starts at {curve[0]:.3g}, peaks at {max(curve):.3g}, ends at {curve[-1]:.3g}")
