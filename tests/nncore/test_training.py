"""nncore.training.train: metrics, penalties, early stopping, augmentation, divergence, schedulers, hooks."""
import dataclasses
import itertools
import math

import numpy as np
import pytest
import torch

from nncore import data, models, training
from nncore.optimizers import OPTIMIZERS
from nncore.training import TrainSpec, train
from tests.pages.helpers import tr


@pytest.fixture(scope="module")
def moons():
    return data.load("moons", 200, noise=0.35, seed=0)


def net(d, hidden=(32, 32), seed=0, **kw):
    return models.build(models.MLPSpec(d.n_features, d.n_outputs, hidden, **kw), seed)


def test_history_has_per_epoch_metrics_and_is_deterministic_by_seed(moons):
    spec = TrainSpec(epochs=8, batch_size=32, lr=0.01, augment=True, eval_train=True)
    runs = [train(net(moons, dropout=0.3), moons, spec, seed=s) for s in (1, 1, 2)]
    a, b, c = runs
    for key in ("train_loss", "val_loss", "train_acc", "val_acc", "train_loss_eval"):
        assert getattr(a, key).shape == (8,)
        np.testing.assert_array_equal(getattr(a, key), getattr(b, key))
    assert not np.array_equal(a.train_loss, c.train_loss)
    assert a.stop_reason == "completed" and a.stopped_epoch == 8 and a.diverged_at is None
    assert a.val_loss[-1] < a.val_loss[0] and 0.5 < a.val_acc[-1] <= 1
    assert len(a.lr_steps) == 8 * math.ceil(140 / 32) and (a.epoch_time > 0).all()


def test_l1_gives_more_exact_zeros_than_l2(moons):
    zeros = {}
    for name, kw in {"l1": dict(l1=1e-2), "l2": dict(l2=1e-2)}.items():
        model = net(moons, hidden=(64,))
        train(model, moons, TrainSpec(epochs=150, lr=0.01, **kw), seed=0)
        zeros[name] = sum(int((w == 0).sum()) for w in model.weights())
    assert zeros["l1"] >= 20 and zeros["l2"] == 0, zeros   # of 256 weights


def test_elastic_net_penalty_is_recorded(moons):
    l1, l2 = 2e-3, 4e-3   # Σ|w| ≈ 250 and Σw² ≈ 130 for this net: parts of about the same size
    parts = []   # after each epoch, from the model's weights in float64: the L1 part and the L2 part, separately
    def record(epoch, model, d):
        w = [x.detach().double() for x in model.weights()]
        parts.append((l1 * float(sum(x.abs().sum() for x in w)), l2 * float(sum(x.pow(2).sum() for x in w))))
    h = train(net(moons), moons, TrainSpec(epochs=3, l1=l1, l2=l2), seed=0, on_epoch=record)
    assert h.penalty.shape == (3,)
    for recorded, (l1_part, l2_part) in zip(h.penalty, parts):
        # the recorded float32 sum of ~1,100 terms agrees with float64 to ~1e-6 relative
        assert recorded == pytest.approx(l1_part + l2_part, rel=1e-5)
        # both parts matter: the elastic net is neither the L1 nor the L2 penalty alone
        assert min(l1_part, l2_part) > 0.2 * recorded, (l1_part, l2_part)


def test_penalty_gradients_are_sign_and_twice_lambda_w(moons):
    """One full-batch SGD step: w <- w - lr * (data gradient + l1 * sign(w) + 2 * l2 * w), biases unpenalized."""
    lr, l1, l2 = 0.1, 1e-3, 1e-2
    model, ref = net(moons), net(moons)
    torch.nn.functional.cross_entropy(ref(moons.x_train), moons.y_train).backward()
    expected = [(w - lr * (w.grad + l1 * w.sign() + 2 * l2 * w)).detach() for w in ref.weights()]
    train(model, moons, TrainSpec(epochs=1, optimizer="sgd", lr=lr, l1=l1, l2=l2, l1_clip=False), seed=0)
    for w, e in zip(model.weights(), expected):
        torch.testing.assert_close(w.detach(), e, rtol=1e-5, atol=1e-6)   # float32 rounding of one step


def _weights_after(model) -> torch.Tensor:
    return torch.cat([w.detach().flatten() for w in model.weights()])


def _torch_loop(moons, optimizer: type, weight_decay: float, lr: float, steps: int) -> torch.Tensor:
    """Full-batch training with torch's own optimizer and its weight_decay on the weight matrices only."""
    model = net(moons)
    weights = model.weights()
    others = [p for p in model.parameters() if all(p is not w for w in weights)]
    opt = optimizer([{"params": weights, "weight_decay": weight_decay}, {"params": others, "weight_decay": 0.0}],
                    lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(moons.x_train), moons.y_train).backward()
        opt.step()
    return _weights_after(model)


def test_decoupled_decay_with_plain_sgd_is_l2_with_half_the_strength(moons):
    """nncore's L2 term λ·Σw² has gradient 2λw; torch's SGD weight_decay wd adds wd·w; decoupled decay multiplies
    w by 1 - lr·decay: with plain SGD all three are one update when λ = decay/2 = wd/2."""
    decay, lr, epochs = 0.1, 0.5, 30
    runs = {}
    for name, kw in {"decay": dict(weight_decay=decay), "l2": dict(l2=decay / 2), "l2 full": dict(l2=decay)}.items():
        model = net(moons)
        train(model, moons, TrainSpec(epochs=epochs, optimizer="sgd", lr=lr, **kw), seed=0)
        runs[name] = _weights_after(model)
    coupled = _torch_loop(moons, torch.optim.SGD, decay, lr, epochs)
    # the same arithmetic in another order: float32 rounding (~1e-7) that 30 gradient steps do not amplify here
    torch.testing.assert_close(runs["decay"], runs["l2"], rtol=0, atol=1e-5)
    torch.testing.assert_close(runs["decay"], coupled, rtol=0, atol=1e-5)
    assert (runs["decay"] - runs["l2 full"]).abs().max() > 1e-3   # λ = decay would be twice the shrinkage


def test_decoupled_decay_with_adam_is_torchs_adamw_and_not_l2(moons):
    decay, lr, epochs = 0.1, 0.01, 30
    runs = {}
    for name, kw in {"adam decay": dict(optimizer="adam", weight_decay=decay), "adamw": dict(optimizer="adamw",
                     weight_decay=decay), "adam l2": dict(optimizer="adam", l2=decay / 2)}.items():
        model = net(moons)
        train(model, moons, TrainSpec(epochs=epochs, lr=lr, **kw), seed=0)
        runs[name] = _weights_after(model)
    adamw = _torch_loop(moons, torch.optim.AdamW, decay, lr, epochs)
    torch.testing.assert_close(runs["adam decay"], adamw, rtol=0, atol=1e-5)
    torch.testing.assert_close(runs["adamw"], adamw, rtol=0, atol=1e-5)
    # Adam divides L2's gradient 2λw by √v like any gradient: a different update (AdamW's reason to exist)
    assert (runs["adam l2"] - adamw).abs().max() > 0.05


def test_decoupled_weight_decay_shrinks_weights(moons):
    norms = {}
    for opt in ("sgd", "adamw"):
        for wd in (0.0, 0.5):
            model = net(moons)
            train(model, moons, TrainSpec(epochs=30, optimizer=opt, lr=0.05, weight_decay=wd), seed=0)
            norms[opt, wd] = sum(float(w.detach().norm()) for w in model.weights())
    assert norms["sgd", 0.5] < norms["sgd", 0.0] and norms["adamw", 0.5] < norms["adamw", 0.0]


def test_early_stopping_restores_the_best_epochs_weights():
    d = data.load("moons", 60, noise=0.5, seed=1)
    h = train(net(d, hidden=(128, 128)), d, TrainSpec(epochs=400, lr=0.01, patience=10), seed=0)
    assert h.stop_reason == "early_stopping" and h.stopped_epoch == h.best_epoch + 10
    assert h.restored_best
    assert h.final_val_loss == h.val_loss[h.best_epoch - 1]
    assert h.final_val_acc == h.val_acc[h.best_epoch - 1]
    assert h.best_val_loss == h.val_loss.min()


def test_min_delta_counts_only_real_improvements():
    d = data.load("moons", 60, noise=0.5, seed=1)
    loose = train(net(d), d, TrainSpec(epochs=300, lr=0.01, patience=5, min_delta=0.0), seed=0)
    strict = train(net(d), d, TrainSpec(epochs=300, lr=0.01, patience=5, min_delta=0.05), seed=0)
    assert strict.stopped_epoch < loose.stopped_epoch


def test_dropout_draws_a_new_mask_at_every_training_forward_pass(moons):
    """004 says units are dropped "in each epoch": the mask changes with every batch, and eval mode drops none."""
    model = net(moons, dropout=0.5)
    masks, active = [], []   # (training?, units zeroed by dropout itself: output 0 where the input was not)

    def record(m, i, o):
        masks.append((m.training, (o == 0) & (i[0] != 0)))
        active.append(i[0] != 0)
    for m in model.modules():
        if isinstance(m, torch.nn.Dropout):
            m.register_forward_hook(record)
    train(model, moons, TrainSpec(epochs=2, batch_size=35), seed=0)   # 140 samples: 4 batches of 35 an epoch
    first_layer = [z for t, z in masks[::2] if t]   # two dropout layers: every other entry is the first
    assert len(first_layer) == 8 and all(z.shape == (35, 32) for z in first_layer)
    assert all(not torch.equal(a, b) for a, b in itertools.combinations(first_layer, 2))
    shares = [float(z.sum() / a.sum()) for (t, z), a in zip(masks, active) if t]
    assert all(0.4 < share < 0.6 for share in shares), shares   # p = 0.5 of ~500 active units: std ~0.02
    assert not any(z.any() for t, z in masks if not t)


def test_augmentation_leaves_the_data_and_labels_alone(moons):
    x, y = moons.x_train.clone(), moons.y_train.clone()
    seen = []
    model = net(moons)
    model[0].register_forward_hook(lambda m, inp, out: seen.append(inp[0].detach().clone()) if m.training else None)
    train(model, moons, TrainSpec(epochs=2, augment=True, jitter=0.2), seed=0)
    assert torch.equal(moons.x_train, x) and torch.equal(moons.y_train, y)
    assert not torch.equal(seen[0], x) and (seen[0] - x).std() == pytest.approx(0.2, rel=0.2)


def test_a_diverging_run_stops_and_says_so(moons):
    h = train(net(moons), moons, TrainSpec(epochs=50, optimizer="sgd", lr=1e6), seed=0)
    assert h.stop_reason == "diverged" and h.diverged_at == h.stopped_epoch and h.diverged_at < 50
    assert not np.isfinite(h.train_loss[-1]) or not np.isfinite(h.val_loss[-1])


def test_stop_when_the_loss_exceeds_three_times_the_first(moons):
    # SGD at lr 3: the loss goes 0.68 (ln 2), 0.78, 12.5, then recovers; without the rule the run never diverges
    spec = TrainSpec(epochs=50, optimizer="sgd", lr=3.0)
    free = train(net(moons), moons, spec, seed=0)
    h = train(net(moons), moons, dataclasses.replace(spec, stop_loss_factor=3.0), seed=0)
    limit = 3 * h.train_loss[0]
    assert free.stop_reason == "completed" and free.diverged_at is None and np.isfinite(free.train_loss).all()
    first_over = int(np.argmax(free.train_loss > limit)) + 1
    assert 1 < first_over < 50 and free.train_loss[first_over - 1] > limit
    assert h.stop_reason == "loss_exceeded" and h.diverged_at is None and h.stopped_epoch == first_over
    assert (h.train_loss[:-1] <= limit).all() and h.train_loss[-1] > limit and np.isfinite(h.train_loss).all()
    np.testing.assert_array_equal(h.train_loss, free.train_loss[:first_over])   # the same run, cut by the rule


def test_epoch_scheduler_follows_torchs_own_sequence(moons):
    make = lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
    h = train(net(moons), moons, TrainSpec(epochs=10, optimizer="sgd", lr=0.1), seed=0, scheduler=make)
    ref = make(torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1))
    expected = []
    for _ in range(10):
        expected.append(ref.get_last_lr()[0])
        ref.optimizer.step()
        ref.step()
    np.testing.assert_allclose(h.lr, expected)


def test_batch_scheduler_steps_every_batch(moons):
    make = lambda opt: torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    h = train(net(moons), moons, TrainSpec(epochs=2, batch_size=50, optimizer="sgd", lr=0.1), seed=0,
              scheduler=make, scheduler_step="batch")
    steps = len(h.lr_steps)
    assert steps == 2 * 3   # 140 samples: batches of 50, 50, 40
    np.testing.assert_allclose(h.lr_steps, 0.1 * 0.9 ** np.arange(steps), rtol=1e-6)
    np.testing.assert_allclose(h.lr, [0.1, 0.1 * 0.9 ** 3], rtol=1e-6)


def test_plateau_reduction_follows_the_validation_loss():
    d = data.load("moons", 60, noise=0.5, seed=1)
    make = lambda opt: torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.1, patience=3)
    h = train(net(d, hidden=(128, 128)), d, TrainSpec(epochs=80, lr=0.01), seed=0, scheduler=make)
    assert h.lr[-1] < h.lr[0]
    ref = make(torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.01))
    expected = []
    for v in h.val_loss:
        expected.append(ref.optimizer.param_groups[0]["lr"])
        ref.step(v)
    np.testing.assert_allclose(h.lr, expected)


def test_batch_size_schedule_and_oversized_batches(moons):
    h = train(net(moons), moons, TrainSpec(epochs=3), seed=0, batch_size_at=lambda e: [10, 70, 1000][e - 1])
    assert h.batch_size.tolist() == [10, 70, 140]
    assert len(h.lr_steps) == 14 + 2 + 1


def test_batch_norm_with_batches_of_one_is_a_clear_error(moons):
    with pytest.raises(ValueError) as err:
        train(net(moons, norm="batch"), moons, TrainSpec(epochs=1, batch_size=1), seed=0)
    assert str(err.value) == tr("Batch norm needs at least 2 samples per batch (epoch {epoch} asks for a batch of 1): "
                                "the mean and variance of a single sample say nothing. Use a larger batch or layer "
                                "norm.").format(epoch=1)
    h = train(net(moons, norm="batch"), moons, TrainSpec(epochs=1, batch_size=139), seed=0)  # 139 + 1: merged
    assert len(h.lr_steps) == 1


def test_on_epoch_hook_records_extra_metrics(moons):
    def dead(epoch, model, d):
        acts = []
        handle = model.hidden_outputs[0].register_forward_hook(lambda m, i, o: acts.append(o))
        model(d.x_train)
        handle.remove()
        assert not model.training and not torch.is_grad_enabled()
        return {"dead_fraction": float((acts[0] == 0).all(0).float().mean()), "epoch_seen": epoch}
    h = train(net(moons), moons, TrainSpec(epochs=4), seed=0, on_epoch=dead)
    dead = h.extra["dead_fraction"]
    assert h.extra["epoch_seen"].tolist() == [1, 2, 3, 4] and ((dead >= 0) & (dead <= 1)).all()


def test_progress_reports_and_a_stop_request(moons):
    seen = []
    def listener(p):
        seen.append(p)
        return p.done < 3
    h = train(net(moons), moons, TrainSpec(epochs=20), seed=0, on_progress=listener)
    assert h.stop_reason == "stopped" and h.stopped_epoch == 3 and len(h.val_loss) == 3
    assert seen[0].total == 20 and seen[0].partial is not None and len(seen[0].partial.val_loss) == 1


def test_regression_has_no_accuracy():
    d = data.load("sine", 100, seed=0)
    h = train(net(d, activation="tanh"), d, TrainSpec(epochs=20, lr=0.01), seed=0)
    assert h.train_acc is None and h.val_acc is None and h.final_val_acc is None and h.val_loss[-1] < h.val_loss[0]


@pytest.mark.parametrize("bad, message, values", [
    (dict(lr=-1.0), "The learning rate must be a positive number (got {lr}).", dict(lr="-1.0")),
    (dict(epochs=0), "Train for at least one epoch (got {epochs}).", dict(epochs=0)),
    (dict(optimizer="lion"), "Unknown optimizer {name}; choose one of: {choices}.",
     dict(name="'lion'", choices=", ".join(OPTIMIZERS))),
    (dict(l2=-1.0), "{name} must be 0 or more (got {value}).", dict(name="l2", value="-1.0"))])
def test_bad_specs_say_why(moons, bad, message, values):
    with pytest.raises(ValueError) as err:
        train(net(moons), moons, TrainSpec(**bad), seed=0)
    assert str(err.value) == tr(message).format(**values)   # in the suite's language


@pytest.mark.parametrize("name", [n for n, e in OPTIMIZERS.items() if e.cls in training.FOREACH_SAME])
def test_a_foreach_step_gives_torchs_single_tensor_numbers_bit_for_bit(moons, name):
    """training steps these optimizers with foreach (one call for all parameters, faster); the numbers must be
    those of torch's default CPU step (one parameter at a time) exactly, as for NAdam and RAdam they are not."""
    model = net(moons)
    train(model, moons, TrainSpec(epochs=20, optimizer=name, lr=0.01), seed=0)
    reference = net(moons)
    no_decay = {"weight_decay": 0.0} if "weight_decay" in OPTIMIZERS[name].hparams else {}   # as the TrainSpec's
    opt = OPTIMIZERS[name].make(reference.parameters(), lr=0.01, **no_decay)
    assert all(group["foreach"] is None for group in opt.param_groups)   # torch's default: single tensor on CPU
    for _ in range(20):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(reference(moons.x_train), moons.y_train).backward()
        opt.step()
    assert torch.equal(_weights_after(model), _weights_after(reference))


def _plain_loop(moons, make_optimizer, steps: int, decay_by_hand: float = 0.0, schedule=None) -> torch.Tensor:
    """A plain torch loop, the reference for weight decay: `make_optimizer(weights, others)`, `steps` full-batch
    steps, with `decay_by_hand` the weights multiplied by 1 - η_t·λ before each step; the weights after."""
    model = net(moons)
    weights = model.weights()
    opt = make_optimizer(weights, [p for p in model.parameters() if all(p is not w for w in weights)])
    sched = schedule(opt) if schedule is not None else None
    for _ in range(steps):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(moons.x_train), moons.y_train).backward()
        if decay_by_hand:
            with torch.no_grad():
                for w in weights:
                    w.mul_(1 - opt.param_groups[0]["lr"] * decay_by_hand)
        opt.step()
        if sched is not None:
            sched.step()
    return _weights_after(model)


@pytest.mark.parametrize("name", ["adam", "nadam", "radam"])
def test_decoupled_decay_is_torchs_own_where_torch_has_it(moons, name):
    """Adam, NAdam and RAdam take decoupled_weight_decay (AdamW is Adam with it on): a run with weight_decay is
    torch's, bit for bit, with the decay on the weight matrices only."""
    decay, lr, epochs, cls = 0.1, 0.01, 30, OPTIMIZERS[name].cls
    model = net(moons)
    train(model, moons, TrainSpec(epochs=epochs, optimizer=name, lr=lr, weight_decay=decay), seed=0)
    groups = lambda weights, others: [{"params": weights, "weight_decay": decay}, {"params": others, "weight_decay": 0}]
    reference = _plain_loop(moons, lambda *wo: cls(groups(*wo), lr=lr, decoupled_weight_decay=True), epochs)
    assert torch.equal(_weights_after(model), reference)
    if name == "adam":
        assert torch.equal(reference, _plain_loop(moons, lambda *wo: torch.optim.AdamW(groups(*wo), lr=lr), epochs))
    without = _plain_loop(moons, lambda w, o: cls(w + o, lr=lr), epochs)
    assert (without - reference).abs().max() > 1e-3   # the decay acted


@pytest.mark.parametrize("name", [n for n, e in OPTIMIZERS.items() if not issubclass(e.cls, training.TORCH_DECOUPLED)])
def test_decoupled_decay_by_hand_is_loshchilov_and_hutters_rule(moons, name):
    """torch has no decoupled weight decay for these: training multiplies the weight matrices by 1 - η_t·λ before
    each step, at the step's learning rate η_t (as torch's AdamW does), and the optimizer steps without decay."""
    decay, lr, epochs = 0.1, 0.05, 20
    schedule = lambda opt: torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    model = net(moons)
    train(model, moons, TrainSpec(epochs=epochs, optimizer=name, lr=lr, weight_decay=decay), seed=0,
          scheduler=schedule)
    reference = _plain_loop(moons, lambda w, o: OPTIMIZERS[name].make(w + o, lr=lr), epochs, decay, schedule)
    assert torch.equal(_weights_after(model), reference)


def test_training_uses_the_lessons_one_loss_table_and_refuses_a_loss_that_does_not_fit_the_targets():
    """nncore.losses.LOSSES is the training loop's table too; 000's pitfalls (class labels 0..2 to BCE, a regression
    target to cross-entropy) are a clear message, not a silent run."""
    from nncore import losses
    assert training.LOSSES is losses.LOSSES
    blobs = data.load("blobs", n_samples=60, seed=0)
    with pytest.raises(ValueError, match="^Binary cross-entropy.*0.*1.*2"):   # any language: BCE wants 0..1, got 2
        train(models.build(models.MLPSpec(2, 1, hidden=(4,)), 0), blobs, TrainSpec(epochs=1, loss="bce"))
    wines = data.load("red_wine", n_samples=60, seed=0)
    with pytest.raises(ValueError, match="^Cross-entropy.*0, 1, 2, "):              # any language: class indices
        train(models.build(models.MLPSpec(11, 1, hidden=(4,)), 0), wines, TrainSpec(epochs=1, loss="ce"))
