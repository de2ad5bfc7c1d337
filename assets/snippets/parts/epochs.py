def train_and_validate(net, opt, batches, run, penalty=None):
    """One epoch of steps, then the validation set measured: the four numbers appended to `run`'s lists; False when
    the loss became inf or NaN (the run stops there: a blow-up is a result)."""
    train_loss, train_acc = train_epoch(net, opt, batches, penalty=penalty)
    val_loss, val_acc = evaluate(net, x_val, y_val)
    for key, value in dict(train_loss=train_loss, train_acc=train_acc, val_loss=val_loss, val_acc=val_acc).items():
        run[key].append(value)
    return math.isfinite(train_loss) and math.isfinite(val_loss)
