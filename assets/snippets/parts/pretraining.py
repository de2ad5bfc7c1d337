# all 1,797 digits (assets/data; run from the repository's folder) in an order drawn from the seed
digits = np.load("assets/data/digits_8x8.npz")
pick = torch.randperm(len(digits["target"]), generator=torch.Generator().manual_seed(seed))
x = torch.from_numpy(digits["images"].reshape(-1, 64).astype(np.float32))[pick]
y = torch.from_numpy(digits["target"].astype(np.int64))[pick]
# the source: digits 0-4, 70% to pretrain on, 30% held out; standardized by the pretraining images' pixel statistics
xs, ys = x[y < 5], y[y < 5]
n_val = round(len(ys) * 0.3)
mean, std = xs[n_val:].mean(), xs[n_val:].std()
source = (xs[n_val:] - mean) / std, ys[n_val:], (xs[:n_val] - mean) / std, ys[:n_val]


def build(gen):
    """64 -> width -> width ReLUs -> 5: He-normal weights from gen, zero biases, the output's weights x 0.1."""
    net = nn.Sequential(nn.utils.skip_init(nn.Linear, 64, width), nn.ReLU(),
                        nn.utils.skip_init(nn.Linear, width, width), nn.ReLU(), nn.utils.skip_init(nn.Linear, width, 5))
    with torch.no_grad():
        for layer in net[0::2]:
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu", generator=gen)
            layer.bias.zero_()
        net[4].weight.mul_(0.1)
    return net


def train(net, data, n_epochs, rate, augment=False):
    """Full-batch Adam (frozen layers get no gradient, so no step); per epoch the validation accuracy and loss and the
    training accuracy in eval mode. Stops when the loss becomes inf or NaN."""
    x_train, y_train, x_val, y_val = data
    opt, gen = torch.optim.Adam(net.parameters(), lr=rate, foreach=True), torch.Generator().manual_seed(seed)
    curves = dict(val_acc=[], val_loss=[], train_acc=[])
    for epoch in range(n_epochs):
        loss = F.cross_entropy(net(shifted_rotated(x_train, gen) if augment else x_train), y_train)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            out = net(x_val)
            curves["val_loss"].append(F.cross_entropy(out, y_val).item())
            curves["val_acc"].append((out.argmax(1) == y_val).sum().item() / len(y_val))
            curves["train_acc"].append((net(x_train).argmax(1) == y_train).sum().item() / len(y_train))
        if not (math.isfinite(loss.item()) and math.isfinite(curves["val_loss"][-1])):
            break
    return curves
