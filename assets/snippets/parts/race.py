def batch_sizes(params, warmup_steps):
    """batch_growth keeps the lr and grows the batch by k where StepLR(gamma=1/k) would cut the rate: B_0 / that
    rate each epoch (constant during a warmup)."""
    p, rest = dict(params), epochs - warmup_steps
    probe = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    cut, sizes = S.StepLR(probe, p.get("step_size", max(1, round(0.3 * rest))), 1 / p.get("factor", 5.0)), []
    for _ in range(rest):
        sizes.append(int(np.rint(batch_size / probe.param_groups[0]["lr"])))
        probe.step()
        cut.step()
    return [batch_size] * warmup_steps + sizes


make_optimizer = {"sgd": lambda p: torch.optim.SGD(p, lr=base_lr, foreach=True),
                  "momentum": lambda p: torch.optim.SGD(p, lr=base_lr, momentum=0.9, foreach=True),
                  "adam": lambda p: torch.optim.Adam(p, lr=base_lr, foreach=True)}[optimizer]
runs = []
for name, params, warmup, warmup_steps, warmup_factor in schedules:
    net, gen = mlp((x.shape[1], width, width, n_classes), nn.ReLU, he), torch.Generator().manual_seed(seed)
    opt = make_optimizer(net.parameters())
    grows = name == "batch_growth"
    step = stepper(opt, epochs, "constant" if grows else name, () if grows else params, warmup, warmup_steps,
                   warmup_factor)
    sizes = batch_sizes(params, warmup_steps) if grows else [batch_size] * epochs
    run = dict(lr=[], batch_size=[], updates=[], train_loss=[], val_loss=[], val_acc=[])
    for epoch in range(epochs):
        run["lr"].append(opt.param_groups[0]["lr"])
        run["batch_size"].append(min(sizes[epoch], len(x_train)))
        batches = minibatches(len(x_train), run["batch_size"][-1], gen)
        run["updates"].append(len(batches))               # optimizer steps in this epoch
        train_loss, _ = train_epoch(net, opt, batches)
        val_loss, val_acc = evaluate(net, x_val, y_val)
        for key, value in dict(train_loss=train_loss, val_loss=val_loss, val_acc=val_acc).items():
            run[key].append(value)
        if not (math.isfinite(train_loss) and math.isfinite(val_loss)):
            print(f"{name}: the loss became inf or NaN at epoch {epoch + 1}")
            break
        step(val_loss)
    runs.append(run)
    print(f"{name} (warmup: {warmup}): validation loss {run['val_loss'][-1]:.4f}, accuracy {run['val_acc'][-1]:.1%} "
          f"after epoch {len(run['val_loss'])}, lr {run['lr'][-1]:.3g}")
