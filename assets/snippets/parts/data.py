# the data: cs231n's spiral (3 arms, angle noise `noise`) or the 8x8 digits shipped in assets/data; a 70/30 split by
# the seed, standardized by the training statistics (per feature; the images by one mean and std over all pixels)
gen = torch.Generator().manual_seed(seed)
if dataset == "spiral":
    y = torch.arange(samples) % 3
    r = torch.linspace(0.0, 1.0, samples)[torch.argsort(torch.rand(samples, generator=gen))]
    t = y * (2 * math.pi / 3) + 4 * r + noise * torch.randn(samples, generator=gen)
    x, n_classes = torch.stack([r * t.sin(), r * t.cos()], 1), 3
else:
    digits = np.load("assets/data/digits_8x8.npz")   # run from the repository's folder
    pick = torch.randperm(len(digits["target"]), generator=gen)[:samples]
    x = torch.from_numpy(digits["images"].reshape(-1, 64).astype(np.float32))[pick]
    y, n_classes = torch.from_numpy(digits["target"].astype(np.int64))[pick], 10
order = torch.randperm(samples, generator=gen)
val, train = order[:round(samples * 0.3)], order[round(samples * 0.3):]
mean, std = (x[train].mean(0), x[train].std(0)) if dataset == "spiral" else (x[train].mean(), x[train].std())
x_train, y_train, x_val, y_val = (x[train] - mean) / std, y[train], (x[val] - mean) / std, y[val]
