"""The learning-rate experiments against torch's schedulers and their own contracts: the race trains under the
scheduler each spec builds, divergence is a result, bad input fails before any training, the 3x rule, the range
test's suggestion, batch growth vs decay, and every "what to notice" line against the run it describes."""
from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nncore import schedules, training
from nncore.experiments import batch_vs_decay, lr_schedules, schedule_race
from nncore.experiments.lr_finder import range_test as lr_range_test
from nncore.experiments.lr_finder import sanity as lr_sanity
from nncore.schedules import ScheduleSpec as S

SMALL = dict(samples=400, epochs=12)        # quick races: 280 training samples, 9 batches of 32 per epoch


@pytest.fixture(scope="module")
def race() -> schedule_race.Result:
    specs = (S.of("constant"), S.of("step", step_size=4, gamma=0.5), S.of("cosine", warmup="gradual", warmup_steps=3),
             S.of("plateau", patience=1, factor=0.5), S.of("cyclic", max_lr=1.0, step_size_up=3),
             S.of("batch_growth", step_size=5, factor=2.0))
    return schedule_race.run(schedule_race.Config(schedules=specs, **SMALL))


def test_race_has_one_row_per_schedule_and_epoch(race):
    c = race.config
    for name in ("lr", "batch_size", "train_loss", "val_loss", "val_acc", "epoch_time", "steps"):
        assert getattr(race, name).shape == (len(c.schedules), c.epochs), name
    assert race.labels[2] == "Cosine annealing + gradual warmup 3"
    assert all(d is None for d in race.diverged_at) and set(race.stop_reason) == {"completed"}
    assert np.all(np.isfinite(race.val_loss)) and np.all((race.val_acc >= 0) & (race.val_acc <= 1))


def test_each_run_used_the_lr_its_torch_scheduler_sets(race):
    c = race.config
    for i, spec in enumerate(c.schedules):
        metrics = race.val_loss[i] if schedules.SCHEDULES[spec.name].needs_metric else None
        np.testing.assert_allclose(race.lr[i], spec.curve(c.epochs, c.base_lr, metrics=metrics), rtol=1e-12,
                                   err_msg=spec.label)


def test_plateau_cuts_are_where_its_lr_dropped(race):
    lr, cuts = race.lr[3], race.cuts[3]
    assert len(cuts) >= 1, "patience 1 over 12 epochs should cut at least once"
    for epoch in cuts:  # the rate of `epoch` is below the rate of the epoch before
        assert lr[epoch - 1] < lr[epoch - 2]
    assert all(len(race.cuts[i]) == 0 for i in (0, 1, 2, 4, 5))


def test_batch_growth_keeps_the_lr_and_grows_the_batch(race):
    c, i = race.config, 5
    assert np.all(race.lr[i] == c.base_lr)
    expected = np.minimum(schedules.batch_curve(c.epochs, c.batch_size, step_size=5, factor=2.0), 280)
    np.testing.assert_array_equal(race.batch_size[i], expected)
    np.testing.assert_array_equal(race.steps[i], [len(training.batch_bounds(280, b)) for b in expected])
    assert race.steps[i][-1] < race.steps[0][-1]


def test_the_race_is_deterministic(race):
    again = schedule_race.run(race.config)
    np.testing.assert_array_equal(again.val_loss, race.val_loss)


def test_notices_name_what_the_curves_show(race):
    finals = race.val_loss[:, -1]
    best, worst = int(np.argmin(finals)), int(np.argmax(finals))
    text = schedule_race.notice_race(race)
    assert f"**{race.labels[best]}** ends with the lowest validation loss ({finals[best]:.3f}" in text
    assert f"**{race.labels[worst]}** ends highest ({finals[worst]:.3f})" in text
    lr_text = schedule_race.notice_lr(race)
    assert f"cut the rate {len(race.cuts[3])}× (from epoch {race.cuts[3][0]}" in lr_text
    assert f"Constant: {race.config.base_lr:.2g}" in lr_text


def test_a_near_tie_at_the_end_is_called_a_tie(race):
    finals = np.array([0.100, 0.102, 0.101, 0.1005, 0.1015, 0.1012])
    close = dataclasses.replace(race, val_loss=np.concatenate([race.val_loss[:, :-1], finals[:, None]], axis=1))
    assert "only 0.002 above: on one seed, that is a tie" in schedule_race.notice_race(close)
    far = np.array([0.100, 0.300, 0.101, 0.1005, 0.1015, 0.1012])
    apart = dataclasses.replace(race, val_loss=np.concatenate([race.val_loss[:, :-1], far[:, None]], axis=1))
    assert "tie" not in schedule_race.notice_race(apart)


def test_a_diverging_run_is_marked_and_the_others_go_on():
    # lr 10 with momentum 0.9 (a step of ~100x the gradient) blew up in epoch 1 for each of 8 seeds; the second run
    # spends its first 6 epochs at 0.01 x 10 = 0.1, so it trains past that epoch whatever it does later
    cfg = schedule_race.Config(base_lr=10.0, optimizer="momentum", samples=1000, epochs=12, schedules=(
        S.of("constant"), S.of("constant", warmup="constant", warmup_steps=6, warmup_factor=0.01)))
    r = schedule_race.run(cfg)
    assert r.diverged_at[0] is not None and r.stop_reason[0] == "diverged"
    assert np.isnan(r.val_loss[0][r.diverged_at[0]:]).all()
    went_on = r.diverged_at[1] or r.config.epochs + 1          # the warmed-up run trains past that epoch
    assert went_on > r.diverged_at[0] + 1 and np.isfinite(r.val_loss[1][: went_on - 1]).all()
    assert f"**{r.labels[0]}** at epoch {r.diverged_at[0]}" in schedule_race.notice_race(r)
    everyone = schedule_race.run(dataclasses.replace(cfg, schedules=(S.of("constant"), S.of("step"))))
    assert "Every run blew up" in schedule_race.notice_race(everyone)


def test_the_warmup_preset_shows_what_its_note_says():
    """002's warmup: without it the run blows up or ends stuck near ln 3; with it the net learns (the note's claim)."""
    r = schedule_race.run(schedule_race.PRESETS["002: warmup before a high rate"].config)
    (cold, warm), chance = r.val_loss[:, -1], math.log(3)
    assert r.diverged_at[0] is not None or cold > 0.9 * chance
    assert r.diverged_at[1] is None and warm < 0.6 * chance
    assert f"**{r.labels[1]}** ends with the lowest validation loss ({warm:.3f}" in schedule_race.notice_race(r)


@pytest.mark.parametrize("specs,words", [
    ((S.of("cosine", warmup="gradual", warmup_steps=40),), "longer than the run"),
    ((S.of("cyclic", max_lr=0.1),), "must be above the base lr"),
    ((S.of("one_cycle", max_lr=0.2),), "must be above the base lr"),
    ((), "at least one schedule"),
    ((S.of("constant"),) * 7, "at most 6"),
    ((S.of("step", step_size=0),), "between 1"),
])
def test_bad_schedules_are_refused_before_any_training(monkeypatch, specs, words):
    monkeypatch.setattr(training, "train", lambda *a, **k: pytest.fail("trained despite a bad config"))
    with pytest.raises(ValueError, match=words):
        schedule_race.run(schedule_race.Config(schedules=specs))


def test_the_compute_budget_is_checked():
    with pytest.raises(ValueError, match="what this server runs for one page"):
        schedule_race.check(schedule_race.Config(epochs=300, schedules=(S.of("constant"),) * 6))
    with pytest.raises(ValueError, match="what this server runs for one page"):
        lr_sanity.check(lr_sanity.Config(epochs=200, samples=5000))
    schedule_race.check(schedule_race.Config())  # the default race is well inside


def test_a_stop_request_returns_what_ran():
    calls = []
    r = schedule_race.run(schedule_race.Config(**SMALL), on_progress=lambda p: calls.append(p) or len(calls) < 5)
    assert r.stop_reason[0] == "stopped" and set(r.stop_reason[1:]) == {"stopped"}
    assert np.isfinite(r.val_loss[0][:5]).all() and np.isnan(r.val_loss[1:]).all()


# --- the schedule designer ---------------------------------------------------------------------------------

def test_designer_draws_the_torch_curves_and_marks_plateau_cuts():
    cfg = lr_schedules.Config(schedules=(S.of("plateau", patience=3), S.of("batch_growth"), S.of("one_cycle")),
                             steps=200, stall_at=0.3)
    r = lr_schedules.run(cfg)
    metric = schedules.plateau_metric(200, 0.3, seed=0)
    np.testing.assert_allclose(r.lr[0], schedules.lr_curve("plateau", 200, cfg.base_lr, metrics=metric, patience=3))
    assert len(r.cuts[0]) and r.cuts[0][0] > 0.3 * 200  # no cut before the made-up loss stalls
    np.testing.assert_array_equal(r.batch[1], schedules.batch_curve(200, 1))
    text = lr_schedules.notice(r)
    assert f"peaks at {r.lr[2].max():.3g} at step {int(np.argmax(r.lr[2]))}" in text
    assert f"cut {len(r.cuts[0])}× (first at step {r.cuts[0][0]}" in text


def test_designer_refuses_a_warmup_longer_than_the_run():
    with pytest.raises(ValueError, match="longer than the run"):
        lr_schedules.run(lr_schedules.Config(schedules=(S.of("cosine", warmup="constant", warmup_steps=101),)))
    with pytest.raises(ValueError, match=r"warmup \(100 steps\) is as long as the run \(100 steps\)"):
        lr_schedules.run(lr_schedules.Config(schedules=(S.of("cosine", warmup="constant", warmup_steps=100),)))


# --- too small, just right, too large ------------------------------------------------------------------------

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
    assert f"{small[0]:.3g} → {small[-1]:.3g}" in text and ": flat" in text
    assert "the loss became inf or NaN in epoch 1" in text


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
    assert f"the rule stopped it at epoch {end}: {loss[end - 1]:.3g} > 3 × {loss[0]:.3g}" in lr_sanity.notice(r)
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
    assert (f"passed 3× its first value at batch {r.first_step_over[2]} of epoch 1 (peak {np.nanmax(steps):.3g}) "
            f"and fell back; no later epoch's mean passed 3 × {epochs[0]:.3g}, so the rule never fired, yet it ends "
            f"at {epochs[-1]:.3g} against the good rate's {good[-1]:.3g}.") in text


def test_the_three_rates_must_increase():
    with pytest.raises(ValueError, match="must increase"):
        lr_sanity.run(lr_sanity.Config(small_lr=0.5, good_lr=0.1))


# --- the LR range test ---------------------------------------------------------------------------------------

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
    assert f"falls fastest at lr ≈ {r.suggestion:.2g}" in text and f"For the race: {r.race_lr:g}" in text


def test_range_test_notice_says_when_the_loss_climbs_back_without_breaking():
    r = lr_range_test.run(lr_range_test.Config(samples=400, epochs=3))
    n = len(r.lr)
    fall, rise = np.linspace(1.5, 0.5, n // 4), np.linspace(0.5, 1.0, n - n // 2 - n // 4)
    smooth = np.concatenate([np.full(n // 2, 1.5), fall, rise])   # flat, falls, climbs back to 2x its best
    climbed = dataclasses.replace(r, smooth=smooth, kept=n, skip=0)
    assert f"climbs back to 1 at lr {r.lr[-1]:.2g}" in lr_range_test.notice(climbed)


def test_nice_lr_rounds_down_to_1_2_5():
    assert [lr_range_test.nice_lr(x) for x in (0.0076, 0.043, 0.5, 1.0, 3e-5, 9.99)] == \
        [0.005, 0.02, 0.5, 1.0, 2e-5, 5.0]


def test_range_test_needs_a_decade():
    with pytest.raises(ValueError, match="decade"):
        lr_range_test.run(lr_range_test.Config(min_lr=0.1, max_lr=0.5))


# --- batch size vs decay ---------------------------------------------------------------------------------------

def test_growing_the_batch_matches_decaying_the_rate():
    r = batch_vs_decay.run(batch_vs_decay.Config(baseline=False))  # Smith et al.'s k = 5 at the page's defaults
    race = r.race
    np.testing.assert_allclose(race.lr[0] / race.batch_size[0], race.lr[1] / race.batch_size[1])  # same alpha/B
    assert r.updates[1, -1] < r.updates[0, -1] / 2
    assert abs(race.val_loss[0, -1] - race.val_loss[1, -1]) < 0.25 * race.val_loss[0, -1]
    text = batch_vs_decay.notice(r)
    assert f"decay {race.val_loss[0, -1]:.3f}, grown batch {race.val_loss[1, -1]:.3f}" in text
    assert f"{r.updates[1, -1]:,.0f} parameter updates against {r.updates[0, -1]:,.0f}" in text


def test_a_batch_that_outgrows_the_data_is_refused():
    with pytest.raises(ValueError, match="more than the 1,400 training samples"):
        batch_vs_decay.run(batch_vs_decay.Config(batch_size=256))
