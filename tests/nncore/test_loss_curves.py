"""Each pathology of the loss-curve gallery shows its signature in its faulty run, measured from the curves, and
not in its fixed run (the seed of the gallery and a quiz's fresh seed); the dropout card's k-fold check."""
import math
from functools import lru_cache

import numpy as np
import pytest

from nncore import i18n
from nncore.experiments import loss_curves as lc

SEEDS = (0, 3)


@lru_cache(maxsize=None)
def result(key: str, seed: int) -> lc.Result:
    return lc.run(lc.Config(key, seed))


def tail(x: np.ndarray, n: int = 5) -> float:
    return float(np.mean(x[-n:]))


def periodicity(c: lc.Curves) -> float:
    """Autocorrelation of each batch's loss (its epoch's mean removed) at the lag of one epoch: the class order's
    period when the batches come in the same order every epoch."""
    k = c.steps_per_epoch
    steps = c.step_loss[: len(c.step_loss) // k * k].reshape(-1, k)
    r = (steps - steps.mean(1, keepdims=True))[2:].ravel()   # the first two epochs: the net still finds its feet
    return float(np.dot(r[:-k], r[k:]) / np.dot(r, r))


def jitter(x: np.ndarray) -> float:
    """Epoch-to-epoch spread of a positive curve, relative (std of the steps of its log), after epoch 5."""
    return float(np.std(np.diff(np.log(x[5:]))))


SIGNATURES = {   # key -> (measure of a run, does it show the pathology?)
    "not_learning": lambda c: abs(c.train_loss[-1] - c.train_loss[0]) < 1e-3 and abs(c.train_loss[0] - math.log(10)) < 0.1,
    "overfitting": lambda c: c.val_loss[-1] > 1.5 * np.nanmin(c.val_loss) and c.train_loss[-1] < 0.01,
    "not_converged": lambda c: (c.train_loss[-2] - c.train_loss[-1]) / c.train_loss[-2] > 0.15,
    "slow_start": lambda c: c.train_loss[4] > math.log(10) - 0.05,
    "negative_gradient": lambda c: c.train_loss[-1] > c.train_loss[0] + 1 and np.all(np.diff(c.train_loss) > 0),
    "no_shuffle": lambda c: periodicity(c) > 0.5,
    "nan": lambda c: c.diverged_at is not None,
    "tiny_validation": None,            # relative: against the fixed run (below)
    "relu_before_softmax": None,
}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("key", [k for k, s in SIGNATURES.items() if s is not None])
def test_faulty_run_shows_the_signature_and_the_fixed_run_does_not(key, seed):
    r = result(key, seed)
    assert SIGNATURES[key](r.faulty)
    assert not SIGNATURES[key](r.fixed)


@pytest.mark.parametrize("seed", SEEDS)
def test_fixed_runs_learn(seed):
    for key in ("not_learning", "negative_gradient", "slow_start", "not_converged"):
        f = result(key, seed).fixed
        assert f.train_loss[-1] < 0.5 * f.train_loss[0] and f.val_acc[-1] > 0.85, key


@pytest.mark.parametrize("seed", SEEDS)
def test_nan_sets_the_divergence_epoch_and_blanks_the_rest(seed):
    r = result("nan", seed)
    d = r.faulty.diverged_at
    assert 1 < d <= r.faulty.training.epochs            # after some iterations, not at the first
    assert np.isfinite(r.faulty.train_loss[: d - 1]).all() and np.isnan(r.faulty.train_loss[d - 1:]).all()
    assert np.isnan(r.faulty.val_acc[d - 1:]).all()
    assert r.fixed.diverged_at is None and np.isfinite(r.fixed.train_loss).all()


@pytest.mark.parametrize("seed", SEEDS)
def test_tiny_validation_set_makes_the_validation_curve_jitter(seed):
    r = result("tiny_validation", seed)
    assert r.faulty.n_val == 12 and r.fixed.n_val == 300
    assert jitter(r.faulty.val_loss) > 1.5 * jitter(r.fixed.val_loss)


@pytest.mark.parametrize("seed", SEEDS)
def test_relu_before_softmax_plateaus_above_the_fixed_run(seed):
    r = result("relu_before_softmax", seed)
    assert tail(r.faulty.train_loss) > tail(r.fixed.train_loss) + 0.3
    assert abs(r.faulty.train_loss[-1] - r.faulty.train_loss[-5]) < 0.1   # a plateau, not a slow descent


@pytest.mark.parametrize("seed", SEEDS)
def test_validation_accuracy_above_training_only_while_dropout_is_measured(seed):
    r = result("val_above_train", seed)
    assert tail(r.faulty.val_acc) > tail(r.faulty.train_acc) + 0.05    # Keras' train-mode number
    assert tail(r.fixed.train_acc) >= tail(r.fixed.val_acc)             # the same training, measured in eval mode


@pytest.mark.parametrize("seed", SEEDS)
def test_k_fold_the_gap_holds_on_every_fold_in_train_mode_and_goes_away_in_eval_mode(seed):
    r = result("val_above_train", seed)
    assert len(r.folds) == lc.FOLDS
    train_gap = np.array([f.val - f.train_mode for f in r.folds])
    eval_gap = np.array([f.val - f.eval_mode for f in r.folds])
    assert (train_gap > 0.05).all()                       # every split: validation above Keras' train-mode number
    assert eval_gap.mean() <= 0 and eval_gap.max() < train_gap.min() / 2    # eval mode: the gap is gone (noise)
    text = lc.notice_kfold(r)
    holds = i18n._("k-fold check ({k} folds, each digit validating once; the mean of the last {tail} epochs): "
                   "validation accuracy is above the training accuracy measured in train mode (dropout on) in "
                   "{above_train} of {k} folds, by {points_train} points on average; the same training re-measured in "
                   "eval mode: {points_eval} points on average (validation above it in {above_eval} of {k}). So the "
                   "gap persists across every split in train mode and goes away in eval mode: it is dropout's "
                   "measurement, not a lucky split.")          # in the suite's language
    assert text.endswith(holds.rpartition("{k})")[2])
    assert holds.split("{points_train}")[0].format(k=lc.FOLDS, tail=lc.TAIL, above_train=lc.FOLDS) in text
    assert i18n.number(train_gap.mean() * 100, "+.0f") in text


def test_only_the_dropout_card_runs_the_k_fold_check():
    r = result("nan", 0)
    assert r.folds == () and lc.notice_kfold(r) is None


def test_registry_entries_are_complete_and_the_faulty_run_differs_from_the_fixed():
    assert len(lc.PATHOLOGIES) == 10
    for key, e in lc.PATHOLOGIES.items():
        assert e.label and e.lecture and e.fault and e.why and e.fix, key
        assert e.faulty != e.fixed, key
        assert e.view in ("epoch", "step")


def test_quiz_cycles_through_the_gallery_with_fresh_seeds():
    keys = list(lc.PATHOLOGIES)
    configs = [lc.quiz_config(q) for q in range(2 * len(keys))]
    assert [c.pathology for c in configs] == keys * 2
    assert all(c.seed >= 1 for c in configs)
    with pytest.raises(ValueError) as e:
        lc.quiz_config(-1)
    assert str(e.value) == i18n._("A quiz question is a number between 0 and {most} (got {question}).").format(
        most=lc.MAX_SEED, question=-1)


def test_an_answer_outside_the_options_is_a_clear_error():
    cfg = lc.Config("nan", 1)
    assert lc.check_answer(cfg, "nan") and not lc.check_answer(cfg, "overfitting")
    with pytest.raises(ValueError, match="^'bogus' ") as e:
        lc.check_answer(cfg, "bogus")
    assert i18n._(lc.PATHOLOGIES["nan"].label) in str(e.value)


def test_bad_config_is_a_sentence():
    with pytest.raises(ValueError):
        lc.run(lc.Config("no_such_fault", 0))
    with pytest.raises(ValueError):
        lc.run(lc.Config("nan", -1))
