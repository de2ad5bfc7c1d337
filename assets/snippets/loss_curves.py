"""Reading the loss curve, in plain PyTorch: one of 002's pathologies made by a real run on the 8x8 digits with the
fault injected, beside the same run with the fault fixed."""
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

pathology = "not_learning"  # one of: not_learning, overfitting, not_converged, slow_start, negative_gradient, no_shuffle, nan, tiny_validation, relu_before_softmax, val_above_train
seed = 0

torch.set_num_threads(1)   # a net this small trains faster on one thread, as the app runs it

# every run: 1,000 digits (30% to validate), 2 x 64 ReLUs with He init, SGD at 0.1, batches of 100, 30 epochs;
# each card changes some of that (shared), then injects its fault (faulty) or its fix (fixed)
base = dict(samples=1000, val_fraction=0.3, hidden=(64, 64), init="kaiming_normal", init_scale=0.01, optimizer="sgd",
            lr=0.1, epochs=30, batch_size=100, l2=0.0, gradient_sign=1.0, sort_by_class=False, shuffle=True,
            relu_logits=False, log_of_softmax=False, dropout=0.0, eval_train=False)
overfit = dict(samples=400, val_fraction=0.5, hidden=(256, 256), optimizer="adam", lr=0.01, epochs=80, batch_size=1000)
cards = {   # card: (shared, faulty, fixed)
    "not_learning": ({}, dict(gradient_sign=0.0), {}),                      # the update is never applied
    "overfitting": (overfit, {}, dict(l2=3e-3)),                            # a large net on 200 digits; L2 fixes it
    "not_converged": ({}, dict(epochs=5), {}),                              # stopped after 5 epochs
    "slow_start": ({}, dict(init="normal", init_scale=0.03), {}),           # weights N(0, 0.03²): too small
    "negative_gradient": (dict(optimizer="adam", lr=0.001), dict(gradient_sign=-1.0), {}),   # gradient ascent
    "no_shuffle": (dict(batch_size=25, epochs=12, sort_by_class=True), dict(shuffle=False), {}),   # sorted by class
    "nan": ({}, dict(optimizer="momentum", lr=0.5, log_of_softmax=True), dict(optimizer="momentum", lr=0.05)),
    "tiny_validation": ({}, dict(val_fraction=0.012), {}),                  # 12 validation digits
    "relu_before_softmax": ({}, dict(relu_logits=True), {}),                # logits clipped at 0
    # dropout on while the training accuracy is measured; the fix measures the training set in eval mode
    "val_above_train": ({}, dict(dropout=0.5), dict(dropout=0.5, eval_train=True)),
}


class Dropout(nn.Dropout):
    """Inverted dropout whose masks come from `gen` (uniform < 1 - p): a run is reproducible by its seed."""

    gen = None

    def forward(self, h):
        if not self.training:
            return h
        return h * (torch.rand(h.shape, generator=self.gen, dtype=h.dtype) < 1.0 - self.p) * (1.0 / (1.0 - self.p))


def load(t):
    """The digits split by the seed and standardized by one mean and std over all pixels (images stay images); the
    training part sorted by class for the no-shuffle fault."""
    digits, gen = np.load("assets/data/digits_8x8.npz"), torch.Generator().manual_seed(seed)   # from the repository
    pick = torch.randperm(len(digits["target"]), generator=gen)[:t["samples"]]
    x = torch.from_numpy(digits["images"].reshape(-1, 64).astype(np.float32))[pick]
    y = torch.from_numpy(digits["target"].astype(np.int64))[pick]
    order = torch.randperm(len(y), generator=gen)
    n_val = min(max(1, round(len(y) * t["val_fraction"])), len(y) - 2)
    val, train = order[:n_val], order[n_val:]
    mean, std = x[train].mean(), x[train].std()
    x_train, y_train, x_val, y_val = (x[train] - mean) / std, y[train], (x[val] - mean) / std, y[val]
    if t["sort_by_class"]:                            # the training set stored ordered by label
        stored = torch.argsort(y_train, stable=True)
        x_train, y_train = x_train[stored], y_train[stored]
    return x_train, y_train, x_val, y_val, mean, std


def fit(t, data, run_seed):
    """The net with its fault, trained by minibatches: per-epoch curves (the training numbers Keras' way, in train mode
    over the batches, or with eval_train the training set in eval mode; keras_acc always Keras'), the epoch that blew
    up left out; every batch's loss."""
    x_train, y_train, x_val, y_val = data[:4]
    gen, layers, n_in = torch.Generator().manual_seed(run_seed), [], 64     # the weights, from the seed
    for n_out in (*t["hidden"], 10):
        linear = nn.utils.skip_init(nn.Linear, n_in, n_out)
        with torch.no_grad():
            if t["init"] == "normal":
                nn.init.normal_(linear.weight, 0.0, t["init_scale"], generator=gen)
            else:
                nn.init.kaiming_normal_(linear.weight, nonlinearity="relu", generator=gen)
            linear.bias.zero_()
        layers += [linear, nn.ReLU(), *[Dropout(t["dropout"])] * (t["dropout"] > 0)]
        n_in = n_out
    layers = layers[:-2] if t["dropout"] > 0 else layers[:-1]    # the output layer: no ReLU, no dropout
    with torch.no_grad():
        layers[-1].weight.mul_(0.1)                   # the output's weights x 0.1: the loss starts near ln 10
    net = nn.Sequential(*layers, *[nn.ReLU()] * t["relu_logits"])
    weights = [m.weight for m in net if isinstance(m, nn.Linear)]
    for p in net.parameters():                        # the optimizer gets gradient_sign x the true gradient
        if t["gradient_sign"] != 1.0:
            p.register_hook(lambda g, s=t["gradient_sign"]: g * s)
    # the fault: the net's outputs taken as log(softmax(z)), which is log(0) = -inf once a probability underflows
    # (cross_entropy of log-probabilities is -log p_y: their logsumexp is log 1 = 0)
    head = (lambda z: torch.log(torch.softmax(z, 1))) if t["log_of_softmax"] else (lambda z: z)
    opt = {"sgd": lambda p: torch.optim.SGD(p, lr=t["lr"], foreach=True),
           "momentum": lambda p: torch.optim.SGD(p, lr=t["lr"], momentum=0.9, foreach=True),
           "adam": lambda p: torch.optim.Adam(p, lr=t["lr"], foreach=True)}[t["optimizer"]](net.parameters())

    gen, n, size = torch.Generator().manual_seed(run_seed), len(x_train), min(t["batch_size"], len(x_train))
    for m in net:
        if isinstance(m, Dropout):
            m.gen = gen                               # the batch order and the dropout masks, in turn
    curves, step_loss = dict(train_loss=[], val_loss=[], train_acc=[], val_acc=[], keras_acc=[]), []
    for epoch in range(t["epochs"]):
        net.train()
        batches = list((torch.randperm(n, generator=gen) if size < n and t["shuffle"] else torch.arange(n)).split(size))
        if len(batches) > 1 and len(batches[-1]) == 1:     # (a last batch of one sample joins the one before)
            batches[-2:] = [torch.cat(batches[-2:])]
        loss_sum, correct = 0.0, 0
        for idx in batches:
            out = head(net(x_train[idx]))
            loss = F.cross_entropy(out, y_train[idx])
            penalized = loss + t["l2"] * sum(w.pow(2).sum() for w in weights) if t["l2"] else loss
            opt.zero_grad(set_to_none=True)
            penalized.backward()
            opt.step()
            step_loss.append(loss.item())
            loss_sum += step_loss[-1] * len(idx)
            correct += (out.argmax(1) == y_train[idx]).sum().item()
        net.eval()
        with torch.no_grad():
            out = head(net(x_val))
            val_loss = F.cross_entropy(out, y_val).item()
            train_out = head(net(x_train)) if t["eval_train"] else None
        if not (math.isfinite(loss_sum / n) and math.isfinite(val_loss)):
            break                                         # the loss became inf or NaN: the run is over
        keras = (loss_sum / n, correct / n)
        in_eval = (F.cross_entropy(train_out, y_train).item(), (train_out.argmax(1) == y_train).sum().item() / n) \
            if t["eval_train"] else keras
        for key, value in dict(train_loss=in_eval[0], val_loss=val_loss, train_acc=in_eval[1], keras_acc=keras[1],
                               val_acc=(out.argmax(1) == y_val).sum().item() / len(y_val)).items():
            curves[key].append(value)
    return curves, step_loss


def folds(data, k=5):
    """000's k-fold check: every digit validates once; each fold standardized by its own training part."""
    x_train, y_train, x_val, y_val, mean, std = data
    x, y = torch.cat([x_train * std + mean, x_val * std + mean]), torch.cat([y_train, y_val])    # raw pixels again
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(seed))
    for val in torch.tensor_split(order, k):
        train = order[~torch.isin(order, val)]
        m, s = x[train].mean(), x[train].std()
        yield (x[train] - m) / s, y[train], (x[val] - m) / s, y[val]


shared, faulty, fixed = cards[pathology]
runs = {"faulty": fit(base | shared | faulty, load(base | shared | faulty), seed),
        "fixed": fit(base | shared | fixed, load(base | shared | fixed), seed)}
for name, (curves, _) in runs.items():
    print(f"{name}: {len(curves['train_loss'])} epochs, training loss {curves['train_loss'][0]:.3f} -> "
          f"{curves['train_loss'][-1]:.3f}, validation accuracy {curves['val_acc'][-1]:.1%}")
if pathology == "val_above_train":   # the fixed run on each of 5 folds: training accuracy in train and in eval mode
    t = base | shared | fixed
    kfold = [[float(np.mean(c[key][-5:])) for key in ("keras_acc", "train_acc", "val_acc")]
             for c in (fit(t, part, seed + i)[0] for i, part in enumerate(folds(load(t))))]
    print("5 folds (train mode, eval mode, validation):", [[round(v, 3) for v in row] for row in kfold])
