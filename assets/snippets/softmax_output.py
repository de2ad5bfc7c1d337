"""Softmax at the output, in plain PyTorch: probabilities, cross-entropy and squared error, and their gradients."""
import numpy as np
import torch
import torch.nn.functional as F

score_cat = 3.2
score_car = 5.1
score_frog = -1.7
true_class = "cat"  # one of: cat, car, frog
temperature = 1.0

classes = ("cat", "car", "frog")
y = classes.index(true_class)


def losses(z):
    """Rows of scores -> cross-entropy, and the squared error of softmax(z / T) against the one-hot target."""
    ce = F.cross_entropy(z / temperature, torch.full((len(z),), y), reduction="none")
    onehot = F.one_hot(torch.tensor(y), 3).float()
    return ce, ((torch.softmax(z / temperature, dim=-1) - onehot) ** 2).sum(dim=-1)


scores = torch.tensor([[score_cat, score_car, score_frog]], requires_grad=True)
ce, mse = losses(scores)
ce_grad, = torch.autograd.grad(ce.sum(), scores, retain_graph=True)
mse_grad, = torch.autograd.grad(mse.sum(), scores)
probs = torch.softmax(scores.detach() / temperature, dim=-1)[0]
print("softmax:", dict(zip(classes, probs.tolist())))
print(f"cross-entropy {ce.item():.4f}, squared error {mse.item():.4f}")

# the sweep: the true class's score from -10 to 10, the others fixed
rows = scores.detach().repeat(201, 1)
rows[:, y] = torch.tensor(np.linspace(-10.0, 10.0, 201), dtype=torch.float32)
rows.requires_grad_(True)
sweep_ce, sweep_mse = losses(rows)
sweep_ce_grad = torch.autograd.grad(sweep_ce.sum(), rows, retain_graph=True)[0][:, y]
sweep_mse_grad = torch.autograd.grad(sweep_mse.sum(), rows)[0][:, y]
print(f"at score -10: d CE/dz = {sweep_ce_grad[0]:.3g}, d MSE/dz = {sweep_mse_grad[0]:.3g}")
