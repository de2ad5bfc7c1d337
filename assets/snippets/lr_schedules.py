"""Learning-rate schedules, in plain PyTorch: the lr that torch.optim.lr_scheduler sets at each step of a run."""
import torch
from torch.optim import lr_scheduler as S

# each schedule: (name, its parameters, warmup, warmup steps, warmup factor)
schedules = (
    ('step', (), 'none', 0, 0.1),
    ('cosine', (), 'none', 0, 0.1),
    ('cosine', (), 'gradual', 10, 0.1),
)  # one of: constant, step, multistep, exponential, linear, polynomial, cosine
steps = 100
base_lr = 0.1


def scheduler(opt, name, params, rest):
    """The torch scheduler of a schedule over `rest` steps; a parameter left out is the lesson's default for them."""
    at = lambda share: max(1, round(share * rest))       # a length given as a share of the run
    p = dict(params)
    if name == "constant":
        return S.LambdaLR(opt, lambda t: 1.0)
    if name == "step":
        return S.StepLR(opt, p.get("step_size", at(0.3)), p.get("gamma", 0.1))
    if name == "multistep":
        return S.MultiStepLR(opt, list(p.get("milestones", sorted({at(0.5), at(0.75)}))), p.get("gamma", 0.1))
    if name == "exponential":
        return S.ExponentialLR(opt, p.get("gamma", 0.9))
    if name == "linear":
        return S.LinearLR(opt, 1.0, p.get("end_factor", 0.0), p.get("total_iters", at(1.0)))
    if name == "polynomial":
        return S.PolynomialLR(opt, p.get("total_iters", at(1.0)), p.get("power", 2.0))
    return S.CosineAnnealingLR(opt, p.get("T_max", at(1.0)), p.get("eta_min", 0.0))


lr = []
for name, params, warmup, warmup_steps, warmup_factor in schedules:
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=base_lr)   # one parameter: only its lr matters
    if warmup == "none":
        sched = scheduler(opt, name, params, steps)
    else:   # the warmup's steps first (constant: f·α₀; gradual: from f·α₀ up to α₀), then the schedule on the rest
        warm = (S.ConstantLR(opt, warmup_factor, warmup_steps) if warmup == "constant"
                else S.LinearLR(opt, warmup_factor, 1.0, warmup_steps))
        sched = S.SequentialLR(opt, [warm, scheduler(opt, name, params, steps - warmup_steps)], [warmup_steps])
    opt.step()                                          # torch expects a step before the scheduler's
    curve = []
    for i in range(steps):
        curve.append(opt.param_groups[0]["lr"])
        if i < steps - 1:
            sched.step()
    lr.append(curve)
    print(f"{name} (warmup: {warmup}): starts at {curve[0]:.3g}, peaks at {max(curve):.3g}, ends at {curve[-1]:.3g}")
