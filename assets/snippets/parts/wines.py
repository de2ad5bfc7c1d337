# 004's red wines (assets/data; run from the repository's folder): 11 measurements and the quality 3..8 to predict, a
# 70/30 split by the seed, the measurements standardized by the training statistics
table = torch.from_numpy(np.loadtxt("assets/data/red_wine.csv", delimiter=",", skiprows=1, dtype=np.float32))
gen = torch.Generator().manual_seed(seed)
rows = table[torch.randperm(len(table), generator=gen)]
order = torch.randperm(len(rows), generator=gen)
val, train = order[:round(len(rows) * 0.3)], order[round(len(rows) * 0.3):]
mean, std = rows[train, :-1].mean(0), rows[train, :-1].std(0)
x_train, x_val = (rows[train, :-1] - mean) / std, (rows[val, :-1] - mean) / std
y_train, y_val = rows[train, -1:], rows[val, -1:]
quality = float(y_train.mean())
baseline_mae = (y_val - quality).abs().mean().item()     # predicting the training mean for every wine


def train_wines(loss_fn, lr):
    """The 64-64 ReLU net (He-normal weights from the seed, the output's x 0.1, its bias at the mean quality) trained
    by Adam in batches of 256; per epoch the training and validation loss and the validation MAE (quality points)."""
    gen = torch.Generator().manual_seed(seed)
    net = nn.Sequential(nn.utils.skip_init(nn.Linear, 11, 64), nn.ReLU(), nn.utils.skip_init(nn.Linear, 64, 64),
                        nn.ReLU(), nn.utils.skip_init(nn.Linear, 64, 1))
    with torch.no_grad():
        for layer in net[0::2]:
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu", generator=gen)
            layer.bias.zero_()
        net[4].weight.mul_(0.1)
        net[4].bias.fill_(quality)
    opt, n = torch.optim.Adam(net.parameters(), lr=lr, foreach=True), len(y_train)
    gen = torch.Generator().manual_seed(seed)       # the batch order
    run = dict(train_loss=[], val_loss=[], val_mae=[])
    for epoch in range(epochs):
        batches = list(torch.randperm(n, generator=gen).split(256))
        if len(batches) > 1 and len(batches[-1]) == 1:     # (a last batch of one sample joins the one before)
            batches[-2:] = [torch.cat(batches[-2:])]
        loss_sum = 0.0
        for idx in batches:
            loss = loss_fn(net(x_train[idx]), y_train[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(idx)
        with torch.no_grad():
            out = net(x_val)
            run["train_loss"].append(loss_sum / n)
            run["val_loss"].append(loss_fn(out, y_val).item())
            run["val_mae"].append((out - y_val).abs().mean().item())
        if not (math.isfinite(run["train_loss"][-1]) and math.isfinite(run["val_loss"][-1])):
            break                                        # the loss became inf or NaN
    return run
