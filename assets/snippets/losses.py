"""Loss functions and output layers, in plain PyTorch: each loss and its gradient by autograd; a line and a small net
fitted under each regression loss to data with outliers; two output-layer pitfalls beside their fixes."""
import math
from functools import partial

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

delta = 1.0
outliers = 6
outlier_shift = -8.0
seed = 0

torch.set_num_threads(1)   # tensors this small: one thread is as fast idle, and far faster on a busy machine

def log_cosh(prediction, target, reduction="mean"):
    """log cosh r without overflow: |r| + softplus(-2|r|) - log 2."""
    r = (prediction - target).abs()
    loss = r + F.softplus(-2 * r) - math.log(2.0)
    return loss if reduction == "none" else loss.mean()


losses = {"mae": F.l1_loss, "mse": F.mse_loss, "huber": partial(F.huber_loss, delta=delta), "log_cosh": log_cosh}


def autograd(loss_fn, points):
    """loss_fn at each point, and its derivative there by autograd."""
    t = torch.tensor(points, dtype=torch.float32, requires_grad=True)
    loss = loss_fn(t)
    return loss.detach(), torch.autograd.grad(loss.sum(), t)[0]


def softmax_losses(z):
    """Cross-entropy and the squared error of softmax against one-hot, the true class's logit z, a rival's at 4."""
    logits = torch.stack([z, torch.full_like(z, 4.0), torch.zeros_like(z)], dim=1)
    target = torch.zeros(len(z), dtype=torch.long)
    mse = ((torch.softmax(logits, 1) - F.one_hot(target, 3).float()) ** 2).sum(1)
    return F.cross_entropy(logits, target, reduction="none"), mse


def minimize(params, objective, steps, lr, decay=False):
    """Full-batch Adam on objective() (with `decay`, a cosine decay to 0, so that MAE settles); its value per step."""
    opt = torch.optim.Adam(params, lr=lr, foreach=True)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps) if decay else None
    values = []
    for _ in range(steps):
        value = objective()
        opt.zero_grad()
        value.backward()
        opt.step()
        if sched is not None:
            sched.step()
        values.append(value.item())
    return values


# 1. each regression loss against the residual; BCE (label 1) and softmax + CE or + squared error against the logit
residuals, logits = np.linspace(-4.0, 4.0, 161), np.linspace(-8.0, 8.0, 161)
curves, grads = {}, {}
for key, fn in losses.items():
    curves[key], grads[key] = autograd(lambda r: fn(r, torch.zeros_like(r), reduction="none"), residuals)
bce, bce_grad = autograd(lambda z: F.binary_cross_entropy_with_logits(z, torch.ones_like(z), reduction="none"), logits)
ce_grad = autograd(lambda z: softmax_losses(z)[0], logits)[1]
softmax_mse_grad = autograd(lambda z: softmax_losses(z)[1], logits)[1]
print(f"at residual 4: MSE pulls with {grads['mse'][-1]:.3g}, MAE with {grads['mae'][-1]:.3g}, Huber with "
      f"{grads['huber'][-1]:.3g}")

# 2. 40 points on y = 2x + 1 (noise 0.1), then the outliers at the right end, moved by outlier_shift
gen = torch.Generator().manual_seed(seed)
x = torch.cat([torch.rand(40, generator=gen) * 2 - 1, 0.4 + 0.6 * torch.rand(outliers, generator=gen)])
y = 2.0 * x + 1.0 + 0.1 * torch.randn(len(x), generator=gen)
y[40:] += outlier_shift
# a line (slope, intercept) per loss, all trained together by one Adam (elementwise: each follows its own loss)
lines = torch.zeros(len(losses), 2, requires_grad=True)
minimize([lines], lambda: sum(fn(p, y) for fn, p in zip(losses.values(), lines[:, :1] * x + lines[:, 1:])), 300, 0.1,
         decay=True)
fits = dict(zip(losses, lines.detach().tolist()))
# a 1-16-1 tanh net per loss (MAE, MSE, Huber), all from the same start, trained together as one batch of nets
gen = torch.Generator().manual_seed(seed)
w1, w2 = torch.randn(1, 1, 16, generator=gen), torch.randn(1, 16, 1, generator=gen) / 16 ** 0.5
params = [w1.repeat(3, 1, 1).requires_grad_(), torch.zeros(3, 1, 16, requires_grad=True),
          w2.repeat(3, 1, 1).requires_grad_(), torch.zeros(3, 1, 1, requires_grad=True)]
nets = lambda inputs: (torch.tanh(inputs[:, None] @ params[0] + params[1]) @ params[2] + params[3])[..., 0]
minimize(params, lambda: sum(losses[k](p, y) for k, p in zip(("mae", "mse", "huber"), nets(x))), 300, 0.05, decay=True)
with torch.no_grad():
    net_fits = dict(zip(("mae", "mse", "huber"), nets(torch.tensor(np.linspace(-1.0, 1.0, 101), dtype=torch.float32))))
print("fitted lines (slope, intercept):", {k: (round(a, 3), round(b, 3)) for k, (a, b) in fits.items()})

# 3. 000's pitfall: a sigmoid output asked for pixel values 0..255 (it cannot pass 1), beside the targets scaled to
# 0..1 (and the output scaled back), and BCE on the raw targets (the wrong loss for a regression)
gen = torch.Generator().manual_seed(seed)
px = torch.rand(200, 1, generator=gen) * 2 - 1
py = 127.5 * (1 + torch.sin(3 * px))
pixel_pred, pixel_rmse = {}, {}
for key, scale in (("sigmoid", 1.0), ("scaled", 255.0), ("bce", 1.0)):
    gen = torch.Generator().manual_seed(seed)
    w1, w2 = torch.randn(1, 32, generator=gen), torch.randn(32, 1, generator=gen) / 32 ** 0.5
    p = [w1.requires_grad_(), torch.zeros(32, requires_grad=True), w2.requires_grad_(),
         torch.zeros(1, requires_grad=True)]
    logit = lambda: torch.tanh(px @ p[0] + p[1]) @ p[2] + p[3]
    minimize(p, (lambda: F.binary_cross_entropy_with_logits(logit(), py / scale)) if key == "bce" else
             (lambda: F.mse_loss(torch.sigmoid(logit()), py / scale)), 300, 0.03)
    with torch.no_grad():
        pixel_pred[key] = torch.sigmoid(logit()) * scale
    pixel_rmse[key] = F.mse_loss(pixel_pred[key], py).sqrt().item()
print("RMSE in pixel values:", {k: round(v, 1) for k, v in pixel_rmse.items()})

# 4. 000's other pitfall: three classes (Gaussian blobs) given as labels 0, 1, 2 to one logit and BCE (torch takes
# targets above 1 without a word), beside three logits and cross-entropy; a 70/30 split, standardized
gen = torch.Generator().manual_seed(seed)
labels = torch.arange(300) % 3
points = torch.tensor([[0.0, 1.0], [-0.87, -0.5], [0.87, -0.5]])[labels] + 0.4 * torch.randn(300, 2, generator=gen)
order = torch.randperm(300, generator=gen)
val, train = order[:90], order[90:]
mean, std = points[train].mean(0), points[train].std(0)
xb, yb, xv, yv = (points[train] - mean) / std, labels[train], (points[val] - mean) / std, labels[val]
label_losses, label_recall, label_accuracy = {}, {}, {}
for key, n_out in (("bce", 1), ("ce", 3)):
    gen, model = torch.Generator().manual_seed(seed), nn.Sequential(nn.utils.skip_init(nn.Linear, 2, 16), nn.ReLU(),
                                                                    nn.utils.skip_init(nn.Linear, 16, n_out))
    with torch.no_grad():      # He-normal weights from the seed, zero biases, the output's weights x 0.1
        for layer in (model[0], model[2]):
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu", generator=gen)
            layer.bias.zero_()
        model[2].weight.mul_(0.1)
    label_losses[key] = minimize(list(model.parameters()), (lambda: F.binary_cross_entropy_with_logits(
        model(xb)[:, 0], yb.float())) if key == "bce" else (lambda: F.cross_entropy(model(xb), yb)), 100, 0.05)
    with torch.no_grad():
        said = (model(xv)[:, 0] > 0).long() if key == "bce" else model(xv).argmax(1)   # one logit: class 1 if > 0
    right = (said == yv).double()
    label_recall[key] = [right[yv == c].mean().item() for c in range(3)]
    label_accuracy[key] = right.mean().item()
print("validation accuracy:", {k: f"{v:.0%}" for k, v in label_accuracy.items()}, "recall per class:",
      {k: [f"{v:.0%}" for v in r] for k, r in label_recall.items()})
