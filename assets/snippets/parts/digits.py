# the 8x8 digits shipped in assets/data (run from the repository's folder), all 1,797, split by the seed
digits = np.load("assets/data/digits_8x8.npz")
gen = torch.Generator().manual_seed(seed)
pick = torch.randperm(len(digits["target"]), generator=gen)
x = torch.from_numpy(digits["images"].reshape(-1, 64).astype(np.float32))[pick]
y = torch.from_numpy(digits["target"].astype(np.int64))[pick]
order = torch.randperm(len(y), generator=gen)
n_val = min(max(1, round(len(y) * val_fraction)), len(y) - 2)
val, train = order[:n_val], order[n_val:]
