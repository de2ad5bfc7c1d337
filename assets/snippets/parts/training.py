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


def train_and_validate(net, opt, batches, run, penalty=None):
    """One epoch of steps, then the validation set measured: the four numbers appended to `run`'s lists; False when
    the loss became inf or NaN (the run stops there: a blow-up is a result)."""
    train_loss, train_acc = train_epoch(net, opt, batches, penalty=penalty)
    val_loss, val_acc = evaluate(net, x_val, y_val)
    for key, value in dict(train_loss=train_loss, train_acc=train_acc, val_loss=val_loss, val_acc=val_acc).items():
        run[key].append(value)
    return math.isfinite(train_loss) and math.isfinite(val_loss)


def evaluate(net, x, y):
    """(loss, accuracy) on x, y, without gradients."""
    with torch.no_grad():
        out = net(x)
        return F.cross_entropy(out, y).item(), (out.argmax(1) == y).sum().item() / len(y)
