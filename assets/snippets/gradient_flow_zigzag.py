"""Zero-centering and the zig-zag, in plain PyTorch: one neuron w1 x1 + w2 x2 learns target weights (+, -) by SGD on
one sample per step, from all-positive inputs and from the same inputs centered on 0."""
import torch

target_w1 = 1.0
target_w2 = -1.0
offset = 1.0
spread = 0.5
lr = 0.2
steps = 60
seed = 0

# 256 inputs, each component offset + U(-spread, spread): all positive when offset > spread (like sigmoid outputs)
gen = torch.Generator().manual_seed(seed)
raw = (torch.rand(256, 2, generator=gen) * 2 - 1) * spread + offset
target = torch.tensor([target_w1, target_w2])
paths, losses, same_sign_share = [], [], []
for x in (raw, raw - raw.mean(dim=0)):
    y = x @ target
    w = torch.zeros(2, requires_grad=True)
    opt = torch.optim.SGD([w], lr=lr)
    order = torch.randint(len(x), (steps,), generator=torch.Generator().manual_seed(seed + 1))   # the same samples
    path, loss = [w.detach().clone()], [((x @ w.detach() - y) ** 2).mean().item()]
    for i in order.tolist():
        opt.zero_grad()
        (0.5 * (x[i] @ w - y[i]) ** 2).backward()      # dL/dw_i = (output error) x_i: one sign when every x_i > 0
        opt.step()
        path.append(w.detach().clone())
        with torch.no_grad():
            loss.append(((x @ w - y) ** 2).mean().item())
        if not loss[-1] < 1e6:
            break                                     # the path runs away: the step is too large for these inputs
    updates = torch.diff(torch.stack(path), dim=0)
    moved = updates.abs().sum(dim=1) > 0
    paths.append(torch.stack(path))
    losses.append(loss)
    same_sign_share.append((torch.sign(updates[moved, 0]) == torch.sign(updates[moved, 1])).float().mean().item()
                           if moved.any() else 0.0)
for case, share, loss in zip(("all-positive", "zero-centered"), same_sign_share, losses):
    print(f"{case} inputs: {share:.0%} of the updates move w1 and w2 the same way; "
          f"loss {loss[0]:.3f} -> {loss[-1]:.3g}")
