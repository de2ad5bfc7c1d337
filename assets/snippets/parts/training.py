def minibatches(n, size, gen=None):
    """One epoch's batches of `size` rows: a fresh order drawn from gen (None: the stored order); a last batch of one
    sample joins the one before, as in the app."""
    order = torch.randperm(n, generator=gen) if gen is not None and size < n else torch.arange(n)
    batches = list(order.split(size))
    if len(batches) > 1 and len(batches[-1]) == 1:
        batches[-2:] = [torch.cat(batches[-2:])]
    return batches


def train_epoch(net, opt, batches, after_step=lambda loss: None, penalty=None):
    """One optimizer step per batch, on the loss plus `penalty()` if given (L2's); the epoch's mean loss (the data's)
    and accuracy over its batches (Keras' training numbers)."""
    loss_sum, correct = 0.0, 0
    for idx in batches:
        out = net(x_train[idx])
        loss = F.cross_entropy(out, y_train[idx])
        opt.zero_grad(set_to_none=True)
        (loss + penalty() if penalty else loss).backward()
        opt.step()
        after_step(loss.item())
        loss_sum += loss.item() * len(idx)
        correct += (out.argmax(1) == y_train[idx]).sum().item()
    return loss_sum / len(x_train), correct / len(x_train)


def evaluate(net, x, y):
    """(loss, accuracy) on x, y, without gradients."""
    with torch.no_grad():
        out = net(x)
        return F.cross_entropy(out, y).item(), (out.argmax(1) == y).sum().item() / len(y)
