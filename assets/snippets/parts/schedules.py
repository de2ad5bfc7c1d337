def decay(opt, name, params, rest):
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
    if name == "plateau":   # Keras' ReduceLROnPlateau(factor=0.2, patience=5) as torch counts patience
        return S.ReduceLROnPlateau(opt, factor=p.get("factor", 0.2), patience=p.get("patience", 5),
                                   threshold=p.get("threshold", 1e-4), min_lr=p.get("min_lr", 0.0))
    if name == "cosine_restarts":
        return S.CosineAnnealingWarmRestarts(opt, p.get("T_0", at(0.25)), p.get("T_mult", 1), p.get("eta_min", 0.0))
    if name == "inverse_sqrt":
        timescale = p.get("timescale", at(0.05))
        return S.LambdaLR(opt, lambda t: 1.0 / math.sqrt(1.0 + t / timescale))
    peak = p.get("max_lr", 10.0 * base_lr)      # cyclic and one cycle: up to a peak, by default 10 x the base lr
    if name == "cyclic":
        return S.CyclicLR(opt, base_lr=base_lr, max_lr=peak, step_size_up=p.get("step_size_up", at(0.1)),
                          mode=p.get("mode", "triangular"), gamma=p.get("gamma", 0.99), cycle_momentum=False)
    if name == "one_cycle":
        return S.OneCycleLR(opt, max_lr=peak, total_steps=rest, pct_start=p.get("pct_start", 0.3),
                            anneal_strategy=p.get("anneal_strategy", "cos"), div_factor=peak / base_lr,
                            final_div_factor=p.get("final_div_factor", 1e4), cycle_momentum=False)
    return S.CosineAnnealingLR(opt, p.get("T_max", at(1.0)), p.get("eta_min", 0.0))


def stepper(opt, steps, name, params, warmup, warmup_steps, warmup_factor):
    """A function that steps the schedule once (given the monitored metric, which only plateau reads): the warmup's
    steps first (constant: f·α₀; gradual: from f·α₀ up to α₀), then the schedule over the rest."""
    if warmup == "none":
        sched = decay(opt, name, params, steps)
        return (lambda metric: sched.step(metric)) if name == "plateau" else (lambda metric: sched.step())
    if name == "plateau":   # torch's SequentialLR cannot hand over to a plateau: the warmup's steps, then its own
        sched, done = decay(opt, name, params, steps - warmup_steps), itertools.count(1)
        warm = (S.ConstantLR(opt, warmup_factor, warmup_steps) if warmup == "constant"
                else S.LinearLR(opt, warmup_factor, 1.0, warmup_steps))
        return lambda metric: warm.step() if next(done) <= warmup_steps else sched.step(metric)
    warm = (S.ConstantLR(opt, warmup_factor, warmup_steps) if warmup == "constant"
            else S.LinearLR(opt, warmup_factor, 1.0, warmup_steps))
    sched = S.SequentialLR(opt, [warm, decay(opt, name, params, steps - warmup_steps)], [warmup_steps])
    return lambda metric: sched.step()
