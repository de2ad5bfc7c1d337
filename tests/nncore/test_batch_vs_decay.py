"""nncore.experiments.batch_vs_decay: growing the batch matches decaying the rate, in fewer updates."""
from __future__ import annotations

import numpy as np
import pytest

from nncore.experiments import batch_vs_decay


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
