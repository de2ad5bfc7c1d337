"""nncore.experiments.lr_finder: 003's three rates and the 3x stop rule (sanity), Smith's LR range test."""
from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nncore.experiments.lr_finder import range_test as lr_range_test
from nncore.experiments.lr_finder import sanity as lr_sanity
from nncore.i18n import number
from tests.pages.helpers import tr

SMALL = dict(samples=400, epochs=12)        # quick races: 280 training samples, 9 batches of 32 per epoch


@pytest.fixture(scope="module")
def sanity() -> lr_sanity.Result:
    return lr_sanity.run(lr_sanity.Config())     # the page's defaults (~2 s): the lesson as a student sees it


def test_003s_three_learning_rates(sanity):
    small, good = sanity.train_loss[0], sanity.train_loss[1]
    assert abs(small[-1] - small[0]) < 0.1 * small[0]            # 1e-5: flat
    assert good[-1] < 0.6 * good[0]                               # a good rate learns
    assert sanity.stop_reason[2] == "diverged" and sanity.diverged_at[2] == 1  # 1e6: inf/NaN in epoch 1
    assert sanity.first_step_over[2] is not None and sanity.first_step_over[2] <= 3
    text = lr_sanity.notice(sanity)
    names = lr_sanity.names(sanity)
    assert tr("**{run}**: training loss {first} → {last} ({change}%) in {epochs} epochs: flat").format(
        run=names[0], first=number(small[0], ".3g"), last=number(small[-1], ".3g"),
        change=number((small[-1] - small[0]) / small[0] * 100, "+.1f"), epochs=len(small)) in text
    assert tr("**{run}**: the loss became inf or NaN in epoch {epoch}; the run stopped there.").format(
        run=names[2], epoch=1) in text


def test_every_rate_starts_at_ln_C_the_first_sanity_check():
    """003's log at lr 1e-5 starts at ln C (the loss of uniform guesses); the first batch is scored before any update."""
    r = lr_sanity.run(lr_sanity.Config())
    assert r.chance_loss == pytest.approx(math.log(3))
    assert r.step_loss[:, 0] == pytest.approx([r.chance_loss] * 3, rel=0.05)


def test_the_3x_rule_stops_a_full_batch_blow_up():
    cfg = lr_sanity.PRESETS["The rule at work: full batch, lr 20"].config
    r = lr_sanity.run(lr_sanity.Config(**{**cfg.__dict__, **SMALL}))
    loss, end = r.train_loss[2], r.stopped_epoch[2]
    assert loss[0] == pytest.approx(math.log(3), rel=0.05)        # epoch 1 is one step: the loss at the start
    assert r.stop_reason[2] == "loss_exceeded" and np.isfinite(loss[:end]).all()
    assert loss[end - 1] > 3 * loss[0] and np.all(loss[1:end - 1] <= 3 * loss[0])
    assert tr("**{run}**: training loss {first} → {last} ({change}%) in {epochs} epochs; the rule stopped it at epoch "
              "{epochs}: {last} > {factor} × {first}").format(
        run=lr_sanity.names(r)[2], first=number(loss[0], ".3g"), last=number(loss[end - 1], ".3g"),
        change=number((loss[end - 1] - loss[0]) / loss[0] * 100, "+.1f"), epochs=end, factor=3) in lr_sanity.notice(r)
    off = lr_sanity.run(lr_sanity.Config(**{**cfg.__dict__, **SMALL, "stop_rule": False}))
    assert off.stop_reason[2] == "diverged" and off.diverged_at[2] > end   # without the rule it does reach inf


def test_just_over_the_edge_spikes_in_epoch_1_and_the_rule_never_fires():
    """The preset's note: a spike within epoch 1, no epoch mean at 3x epoch 1's, and a worse end than the good rate."""
    preset = lr_sanity.PRESETS["Just over the edge: lr 2"]
    assert "its mean loss is inflated, so the rule" not in preset.note   # the old note blamed the inflated mean
    r = lr_sanity.run(preset.config)
    epochs, steps, good = r.train_loss[2], r.step_loss[2], r.train_loss[1]
    assert r.stop_reason[2] == "completed" and r.first_step_over[2] is not None
    assert np.nanmax(steps) > 3 * steps[0] and np.all(epochs[1:] <= 3 * epochs[0])
    assert np.all(epochs[1:] <= 3 * steps[0])        # not even the first batch's loss x 3: the mean hid nothing
    assert epochs[-1] > 2 * good[-1]
    text = lr_sanity.notice(r)
    assert tr("Batch by batch, the large rate's loss passed {factor}× its first value at batch {batch} of epoch 1 "
              "(peak {peak}) and fell back; no later epoch's mean passed {factor} × {first}, so the rule never fired, "
              "yet it ends at {large} against the good rate's {good}.").format(
        factor=3, batch=r.first_step_over[2], peak=number(np.nanmax(steps), ".3g"), first=number(epochs[0], ".3g"),
        large=number(epochs[-1], ".3g"), good=number(good[-1], ".3g")) in text


def test_the_three_rates_must_increase():
    with pytest.raises(ValueError) as err:
        lr_sanity.run(lr_sanity.Config(small_lr=0.5, good_lr=0.1))
    assert str(err.value) == tr("The three rates must increase: small ({small}) < good ({good}) < huge ({huge}).").format(
        small=number(0.5), good=number(0.1), huge=number(1e6))


@settings(max_examples=4, deadline=None)
@given(lo=st.sampled_from([1e-6, 1e-5, 1e-4]), hi=st.sampled_from([1.0, 10.0, 50.0]), seed=st.integers(0, 3),
       optimizer=st.sampled_from(["sgd", "adam"]))
def test_range_test_suggestion_is_inside_the_swept_range(lo, hi, seed, optimizer):
    r = lr_range_test.run(lr_range_test.Config(min_lr=lo, max_lr=hi, seed=seed, optimizer=optimizer, samples=400,
                                               epochs=4))
    assert lo <= r.suggestion <= hi and r.suggestion in r.lr
    assert r.suggestion_index <= int(np.argmin(r.smooth[: r.kept]))  # on the falling side of the bottom
    assert r.race_lr <= r.suggestion * (1 + 1e-9) and re.fullmatch(r"[125](e-?\d+)?|0\.0*[125]|[125]0*", f"{r.race_lr:g}")


def test_range_test_sweeps_exponentially_per_batch():
    cfg = lr_range_test.Config(samples=400, epochs=3)
    r = lr_range_test.run(cfg)
    assert len(r.lr) == len(r.loss) == 3 * math.ceil(280 / 32)
    ratios = r.lr[1:] / r.lr[:-1]
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-9)
    assert r.lr[0] == pytest.approx(cfg.min_lr) and r.lr[-1] == pytest.approx(cfg.max_lr)
    text = lr_range_test.notice(r)
    assert tr("The smoothed loss stays near {start} until lr ≈ {falls}, falls fastest at lr ≈ {suggestion} (the "
              "suggestion) and bottoms out at lr ≈ {bottom} ({lowest}).").split("{suggestion}")[1].split("{")[0] in text
    assert f"≈ {number(r.suggestion, '.2g')} " in text and tr(
        "For the race: {race} (the suggestion rounded down to the slider's values); fastai's other rule of thumb, a "
        "tenth of the minimum's lr, gives {tenth}.").format(race=number(r.race_lr),
                                                            tenth=number(r.lr_at_min / 10, ".2g")) in text


def test_range_test_notice_says_when_the_loss_climbs_back_without_breaking():
    r = lr_range_test.run(lr_range_test.Config(samples=400, epochs=3))
    n = len(r.lr)
    fall, rise = np.linspace(1.5, 0.5, n // 4), np.linspace(0.5, 1.0, n - n // 2 - n // 4)
    smooth = np.concatenate([np.full(n // 2, 1.5), fall, rise])   # flat, falls, climbs back to 2x its best
    climbed = dataclasses.replace(r, smooth=smooth, kept=n, skip=0)
    assert tr("After the bottom it climbs back to {loss} at lr {lr}, the end of the sweep (below {factor}× its best, "
              "so the sweep ran to the end).").format(loss=1, lr=number(r.lr[-1], ".2g"), factor=4) in \
        lr_range_test.notice(climbed)


def test_nice_lr_rounds_down_to_1_2_5():
    assert [lr_range_test.nice_lr(x) for x in (0.0076, 0.043, 0.5, 1.0, 3e-5, 9.99)] == \
        [0.005, 0.02, 0.5, 1.0, 2e-5, 5.0]


def test_range_test_needs_a_decade():
    with pytest.raises(ValueError) as err:
        lr_range_test.run(lr_range_test.Config(min_lr=0.1, max_lr=0.5))
    assert str(err.value) == tr("Sweep at least one decade: the end lr ({end}) must be more than 10× the start lr "
                                "({start}).").format(end=number(0.5), start=number(0.1))
