"""Data assessment, in plain PyTorch and numpy: a blind set cut from 004's red wines, and for each feature the
two-sample Kolmogorov-Smirnov statistic against the training set, raw and with each set standardized by its own
statistics (which hides a shift), and the histograms 000 compares."""
import numpy as np
import torch

feature = "alcohol"  # one of: fixed_acidity, volatile_acidity, citric_acid, residual_sugar, chlorides, free_sulfur_dioxide, total_sulfur_dioxide, density, pH, sulphates, alcohol
rule = "above"  # one of: above, below, random
quantile = 0.75
bins = 20
seed = 0

# the 1,599 wines' 11 measurements (assets/data; run from the repository's folder), in an order shuffled by the seed
table = np.loadtxt("assets/data/red_wine.csv", delimiter=",", skiprows=1, dtype=np.float32)
with open("assets/data/red_wine.csv") as f:
    names = f.readline().strip().replace(" ", "_").split(",")[:-1]
x = torch.from_numpy(table)[torch.randperm(len(table), generator=torch.Generator().manual_seed(seed))][:, :-1]
x = x.double().numpy()

# the blind set: the wines above (or below) the feature's quantile, or as many wines at random (no shift)
j = names.index(feature)
threshold = float(np.quantile(x[:, j], quantile))
blind_mask = x[:, j] < threshold if rule == "below" else x[:, j] > threshold
if rule == "random":
    blind_mask = np.arange(len(x)) < blind_mask.sum()
train, blind = x[~blind_mask], x[blind_mask]


def ks_statistic(a, b):
    """max |F_a(v) - F_b(v)| over the pooled values v, per column (scipy.stats.ks_2samp's statistic)."""
    a, b = np.sort(a, axis=0), np.sort(b, axis=0)
    pooled = np.concatenate([a, b])
    cdf = lambda s: np.stack([np.searchsorted(s[:, k], pooled[:, k], side="right") for k in range(s.shape[1])], 1)
    return np.abs(cdf(a) / len(a) - cdf(b) / len(b)).max(axis=0)


own = lambda s: (s - s.mean(0)) / s.std(0, ddof=1)     # each set standardized with its own statistics
ks, ks_own = ks_statistic(train, blind), ks_statistic(own(train), own(blind))
mean, std = train.mean(0), train.std(0, ddof=1)
mean_shift = (blind.mean(0) - mean) / std
critical = 1.358 * np.sqrt((len(train) + len(blind)) / (len(train) * len(blind)))   # the 5% level (asymptotic)
# each feature's histograms on shared edges, as densities (areas 1, so sets of unequal size compare)
lo, hi = np.minimum(train.min(0), blind.min(0)), np.maximum(train.max(0), blind.max(0))
edges = np.linspace(lo, np.where(hi > lo, hi, lo + 1.0), bins + 1).T
train_hist, blind_hist = (np.stack([np.histogram(s[:, k], edges[k], density=True)[0] for k in range(s.shape[1])])
                          for s in (train, blind))
cut = "at random" if rule == "random" else f"with {feature} {rule} {threshold:.3g}"
print(f"blind set: {len(blind)} wines {cut}; KS above the 5% line ({critical:.3f}):",
      {names[k]: round(float(ks[k]), 3) for k in np.flatnonzero(ks > critical)})
