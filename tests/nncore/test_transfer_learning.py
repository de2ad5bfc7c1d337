"""nncore.experiments.transfer_learning: pretraining on 0-4 pays off with few samples of 5-9 (over several seeds),
is run once per setting, freezes what it says; ensembles beat their mean member; snapshots follow torch's schedule."""
import dataclasses
import math
import re

import numpy as np
import pytest
import torch

from nncore import training
from nncore.experiments.transfer_learning import ensembles as ens
from nncore.experiments.transfer_learning import transfer as tl
from nncore.i18n import _ as tr
from nncore.i18n import number

SEEDS = range(5)


@pytest.fixture(scope="module")
def few_shot():
    return [tl.run(tl.Config(per_class=5, seed=s)) for s in SEEDS]


def test_fine_tuning_beats_scratch_with_few_samples(few_shot):
    gain = np.array([r.final_val_acc[1] - r.final_val_acc[2] for r in few_shot])
    # measured: +1.5 to +10 points on seeds 0-4 (0.5 at seed 4); 396 validation images, one image is 0.25 points
    assert gain.mean() > 0.03 and (gain > 0).sum() >= 4, gain


def test_with_the_whole_pool_scratch_catches_up():
    r = tl.run(tl.Config(per_class=tl.POOL, seed=0))
    few = tl.run(tl.Config(per_class=5, seed=0))
    assert r.final_val_acc[2] - few.final_val_acc[2] > 0.1          # scratch gains most from data
    assert abs(r.final_val_acc[1] - r.final_val_acc[2]) < 0.03     # and the pretraining's head start is gone


def test_the_splits_keep_the_digits_apart_and_the_validation_fixed():
    src = tl.source_data(0)
    assert set(src.y_train.tolist()) == set(range(5)) and len(src.y_train) + len(src.y_val) == 901  # 0-4: 901 images
    few, many = tl.target_data(0, 5, src), tl.target_data(0, 40, src)
    assert torch.equal(few.x_val, many.x_val) and torch.equal(few.y_val, many.y_val)
    assert torch.bincount(few.y_train).tolist() == [5] * 5 and torch.bincount(many.y_train).tolist() == [40] * 5
    train_rows = {tuple(r) for r in many.x_train.tolist()}
    assert not train_rows & {tuple(r) for r in many.x_val.tolist()}
    assert len(few.y_val) == 896 - 5 * tl.POOL                       # 5-9: 896 images, the pool of 100 each trains


def test_frozen_features_stay_put_and_the_rest_trains():
    pre = tl.pretrain(tl.Pretraining(epochs=10))
    state = dict(pre.state)
    frozen, fine, scratch = (tl.model_for(m, pre, seed=0) for m in tl.METHODS)
    assert torch.equal(frozen[0].weight, torch.from_numpy(state["0.weight"]))
    assert torch.equal(fine[0].weight, frozen[0].weight) and not torch.equal(scratch[0].weight, frozen[0].weight)
    assert not torch.equal(frozen[2].weight, torch.from_numpy(state["2.weight"]))   # the dense layers are new
    d = tl.target_data(0, 5, tl.source_data(0))
    before = [p.detach().clone() for p in frozen.parameters()]
    training.train(frozen, d, training.TrainSpec(epochs=3, lr=0.01))
    moved = [not torch.equal(a, b) for a, b in zip(before, frozen.parameters())]
    assert moved == [False, False, True, True, True, True]


def test_reusing_the_second_layer_too_freezes_features_made_for_0_4(few_shot):
    both = [tl.run(tl.Config(per_class=5, seed=s, reused=2)) for s in range(3)]
    assert both[0].labels[0] == "frozen features + new head" and few_shot[0].labels[0].endswith("new dense layers")
    drop = np.array([one.final_val_acc[0] - two.final_val_acc[0] for one, two in zip(few_shot, both)])
    assert (drop > 0.03).all(), drop     # measured: 5.5-6.4 points on seeds 0-2
    pre = tl.pretrain(tl.Pretraining(epochs=10))
    model, state = tl.model_for("frozen", pre, seed=0, reused=2), dict(pre.state)
    assert torch.equal(model[2].weight, torch.tensor(state["2.weight"])) and not model[2].weight.requires_grad
    assert model[4].weight.requires_grad and not torch.equal(model[4].weight, torch.tensor(state["4.weight"]))
    assert both[0].trainable[0] == tl.Config().width * 5 + 5          # the head alone


def test_the_trainable_counts_are_the_layers_parameters(few_shot):
    w = tl.Config().width
    assert few_shot[0].trainable.tolist() == [w * w + w + w * 5 + 5] + [64 * w + w + w * w + w + w * 5 + 5] * 2


def test_pretraining_runs_once_per_setting(monkeypatch):
    calls = []
    real = training.train
    monkeypatch.setattr(tl.training, "train", lambda *a, **k: calls.append(a[1].n_classes) or real(*a, **k))
    cfg = tl.Config(seed=7, epochs=5, pretrain_epochs=10)
    tl.run(cfg)
    tl.run(dataclasses.replace(cfg, per_class=30))
    tl.run(dataclasses.replace(cfg, epochs=6, fine_tune_lr=0.01))
    assert len(calls) == 1 + 3 * 3                                   # one pretraining, three methods per run
    tl.run(dataclasses.replace(cfg, width=32))
    assert len(calls) == 1 + 3 * 3 + 1 + 3                           # a new setting of pretraining: pretrained anew


def test_progress_and_stop():
    seen = []
    r = tl.run(tl.Config(seed=11, epochs=10, pretrain_epochs=10), lambda p: seen.append(p) or len(seen) < 15)
    assert seen[-1].total == 10 + 3 * 10 and r.stopped_epoch < 10
    assert math.isnan(r.final_val_acc[2]) and tl.notice_transfer(r) == tr(
        "The run was stopped at epoch {epoch}, before every method had trained: run it again.").format(
        epoch=r.stopped_epoch)
    assert tl.Pretraining(epochs=10, seed=11) in tl._memo   # the finished pretraining was kept


def test_bad_config_is_a_sentence():
    with pytest.raises(ValueError, match=re.escape(tr("Training images per digit (5-9)"))):
        tl.run(tl.Config(per_class=0))
    with pytest.raises(ValueError, match=re.escape(tr("Hidden units (two layers)"))):
        tl.pretrain(tl.Pretraining(width=0))


def test_transfer_notice_quotes_the_run(few_shot):
    r = few_shot[0]
    text = tl.notice_transfer(r)
    assert all(number(a, ".1%") in text for a in r.final_val_acc) and number(r.pretrained_val_acc, ".1%") in text
    gain = r.final_val_acc[1] - r.final_val_acc[2]
    beat = tr("Starting from the 0-4 model beat starting from scratch by {points} points: what its layers learned on "
              "the first five digits carries over to the other five.")
    assert (beat.format(points=number(abs(gain) * 100, ".1f")) in text) == (gain > 0)
    same = dataclasses.replace(r, final_val_acc=np.array([0.8, 0.85, 0.9]))
    assert tr("The net from scratch did as well or better ({points} points ahead): with {per_class} images per digit "
              "and these settings, the pretrained start bought nothing.").format(
        points=number(5.0, ".1f"), per_class=r.config.per_class) in tl.notice_transfer(same)


@pytest.fixture(scope="module")
def ensembles():
    return [ens.run(ens.Config(seed=s)) for s in range(3)]


def test_the_average_beats_the_mean_member(ensembles):
    gain = np.array([r.ensemble_acc - r.member_acc.mean() for r in ensembles])
    # measured: +1.3 to +1.8 points on seeds 0-2, on 1,597 validation digits (one digit is 0.06 points)
    assert (gain > 0.005).all() and gain.mean() > 0.01, gain
    assert all(r.ensemble_loss < r.member_loss.mean() for r in ensembles)   # Jensen: -log of a mean <= mean of -log


def test_ensemble_is_the_average_of_the_members_probabilities():
    cfg = ens.Config(members=3, epochs=10, cycles=2, seed=4)
    r = ens.run(cfg)
    d = ens.data.load("digits", 1797, val_fraction=1 - cfg.n_train / 1797, seed=4)
    probs = []
    for k in range(3):   # each member by hand, as the lecture says: same recipe, seed + k
        model = ens.models.build(ens._spec(d, cfg.width), generator=4 + k)
        training.train(model, d, training.TrainSpec(epochs=10, optimizer="adam", lr=cfg.lr), seed=4 + k)
        probs.append(ens._probabilities(model, d.x_val))
    y = d.y_val.numpy()
    assert r.member_acc.tolist() == [ens.accuracy(p, y) for p in probs]
    assert r.ensemble_acc == ens.accuracy(np.mean(probs, 0), y) and r.ensemble_by_k[0] == r.member_acc[0]


def test_snapshots_at_each_cycles_end_under_torchs_warm_restarts(ensembles):
    r = ensembles[0]
    cycle = r.config.epochs // r.config.cycles
    assert r.snapshot_epochs.tolist() == [cycle * (i + 1) for i in range(r.config.cycles)]
    t = np.arange(len(r.snapshot_lr)) % cycle     # CosineAnnealingWarmRestarts' closed form, eta_min 0
    np.testing.assert_allclose(r.snapshot_lr, r.config.lr * (1 + np.cos(np.pi * t / cycle)) / 2, rtol=1e-6)
    assert r.snapshot_curve.shape == (cycle * r.config.cycles,) and not np.isnan(r.snapshot_curve).any()


def test_ensemble_notices_say_what_the_run_shows(ensembles):
    r = ensembles[0]
    text = ens.notice_ensemble(r)
    assert number(r.ensemble_acc, ".1%") in text and number(r.member_acc.mean(), ".1%") in text
    alone = ("Alone, the {k} nets score {low} to {high} (mean {mean}) on the {n} validation digits; their averaged "
             "probabilities score {acc}: ")

    def scores(verdict: str, acc: float, over_mean: float, over_best: float) -> str:   # two members: 90% and 95%
        return tr(alone + verdict).format(k=r.config.members, low=number(0.9, ".1%"), high=number(0.95, ".1%"),
                                          mean=number(0.925, ".1%"), n=number(r.n_val, ","), acc=number(acc, ".1%"),
                                          over_mean=number(over_mean, ".1f"), over_best=number(over_best, ".1f"))
    tie = dataclasses.replace(r, member_acc=np.array([0.9, 0.95]), ensemble_acc=0.93)
    assert ens.notice_ensemble(tie).startswith(scores(
        "above the mean member by {over_mean} points, but not above the best one ({over_best} points below).",
        0.93, 0.5, 2.0))
    worse = dataclasses.replace(r, member_acc=np.array([0.9, 0.95]), ensemble_acc=0.9)
    assert ens.notice_ensemble(worse).startswith(scores("not above the mean member ({over_mean} points below).",
                                                        0.9, 2.5, 5.0))
    assert number(r.snapshot_ensemble_acc, ".1%") in ens.notice_snapshots(r)
    assert all(str(e) in ens.notice_snapshots(r) for e in r.snapshot_epochs)


def test_ensemble_progress_counts_every_epoch():
    seen = []
    ens.run(ens.Config(members=2, epochs=10, cycles=3, seed=1), seen.append)
    assert seen[-1].done == seen[-1].total == 2 * 10 + 3 * 3 and tr("snapshot net") in seen[-1].message
