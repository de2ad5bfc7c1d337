"""nncore.experiments.schedule_race (over nncore.schedule_runs): each run uses the lr its torch scheduler
sets, plateau cuts, batch growth, determinism, divergence, notices from the curves, the budget, stopping."""
from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
import pytest

from nncore import schedules, training
from nncore.experiments import schedule_race
from nncore.experiments.lr_finder import sanity as lr_sanity
from nncore.schedules import ScheduleSpec as S
from nncore.i18n import number
from tests.pages.helpers import tr

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
    lowest = tr("**{schedule}** ends with the lowest validation loss ({loss}, accuracy {accuracy}%)")
    assert lowest.split("{accuracy}")[0].format(schedule=race.labels[best], loss=number(finals[best], ".3f")) in text
    assert tr("**{schedule}** ends highest ({loss})").format(schedule=race.labels[worst],
                                                             loss=number(finals[worst], ".3f")) in text
    lr_text = schedule_race.notice_lr(race)
    assert tr("{schedule} cut the rate {count}× (from epoch {epochs}) when the validation loss stopped improving").format(
        schedule=race.labels[3], count=len(race.cuts[3]), epochs=", ".join(str(int(c)) for c in race.cuts[3][:6])) \
        in lr_text
    assert f"Constant: {number(race.config.base_lr, '.2g')}" in lr_text


def test_a_near_tie_at_the_end_is_called_a_tie(race):
    finals = np.array([0.100, 0.102, 0.101, 0.1005, 0.1015, 0.1012])
    close = dataclasses.replace(race, val_loss=np.concatenate([race.val_loss[:, :-1], finals[:, None]], axis=1))
    tie = tr("only {gap} above: on one seed, that is a tie")
    assert tie.format(gap=number(0.002, ".2g")) in schedule_race.notice_race(close)
    far = np.array([0.100, 0.300, 0.101, 0.1005, 0.1015, 0.1012])
    apart = dataclasses.replace(race, val_loss=np.concatenate([race.val_loss[:, :-1], far[:, None]], axis=1))
    assert tie.split("{gap}")[1] not in schedule_race.notice_race(apart)


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
    assert tr("**{schedule}** at epoch {epoch}").format(schedule=r.labels[0], epoch=r.diverged_at[0]) in \
        schedule_race.notice_race(r)
    everyone = schedule_race.run(dataclasses.replace(cfg, schedules=(S.of("constant"), S.of("step"))))
    assert tr("Diverged (the loss became inf or NaN): {runs}. Every run blew up: lower the base learning rate or start "
              "with a warmup.").split("{runs}")[1] in schedule_race.notice_race(everyone)


def test_the_warmup_preset_shows_what_its_note_says():
    """002's warmup: without it the run blows up or ends stuck near ln 3; with it the net learns (the note's claim)."""
    r = schedule_race.run(schedule_race.PRESETS["002: warmup before a high rate"].config)
    (cold, warm), chance = r.val_loss[:, -1], math.log(3)
    assert r.diverged_at[0] is not None or cold > 0.9 * chance
    assert r.diverged_at[1] is None and warm < 0.6 * chance
    lowest = tr("**{schedule}** ends with the lowest validation loss ({loss}, accuracy {accuracy}%)")
    assert lowest.split("{accuracy}")[0].format(schedule=r.labels[1], loss=number(warm, ".3f")) in \
        schedule_race.notice_race(r)


ABOVE = "{schedule}: the peak lr ({peak}) must be above the base lr ({base}): the rate rises from one to the other."


@pytest.mark.parametrize("specs,words", [
    ((S.of("cosine", warmup="gradual", warmup_steps=40),),
     "The warmup ({warmup}) is longer than the run ({run}): shorten it or train longer."),
    ((S.of("cyclic", max_lr=0.1),), ABOVE),
    ((S.of("one_cycle", max_lr=0.2),), ABOVE),
    ((), "{verb}: choose at least one schedule."),
    ((S.of("constant"),) * 7, "{verb} at most {most} schedules at once (got {count})."),
    ((S.of("step", step_size=0),), "{name} must be between {lo} and {hi} (got {value})."),
])
def test_bad_schedules_are_refused_before_any_training(monkeypatch, specs, words):
    monkeypatch.setattr(training, "train", lambda *a, **k: pytest.fail("trained despite a bad config"))
    with pytest.raises(ValueError) as err:
        schedule_race.run(schedule_race.Config(schedules=specs))
    parts = [part for part in re.split(r"\{[^{}]*\}", tr(words)) if part.strip()]   # the sentence's words
    assert all(part in str(err.value) for part in parts), str(err.value)


def test_the_compute_budget_is_checked():
    budget = tr("{runs} runs × {epochs} epochs × {samples} samples is {times}× what this server runs for one page "
                "(about 10 s). Use fewer runs, epochs or samples.").split("{times}")[1]
    with pytest.raises(ValueError, match=re.escape(budget)):
        schedule_race.check(schedule_race.Config(epochs=300, schedules=(S.of("constant"),) * 6))
    with pytest.raises(ValueError, match=re.escape(budget)):
        lr_sanity.check(lr_sanity.Config(epochs=200, samples=5000))
    schedule_race.check(schedule_race.Config())  # the default race is well inside


def test_a_stop_request_returns_what_ran():
    calls = []
    r = schedule_race.run(schedule_race.Config(**SMALL), on_progress=lambda p: calls.append(p) or len(calls) < 5)
    assert r.stop_reason[0] == "stopped" and set(r.stop_reason[1:]) == {"stopped"}
    assert np.isfinite(r.val_loss[0][:5]).all() and np.isnan(r.val_loss[1:]).all()
