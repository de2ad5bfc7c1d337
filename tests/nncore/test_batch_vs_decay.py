"""nncore.experiments.batch_vs_decay: growing the batch matches decaying the rate, in fewer updates."""
from __future__ import annotations

import numpy as np
import pytest

from nncore.experiments import batch_vs_decay
from nncore.i18n import number
from tests.pages.helpers import tr


def test_growing_the_batch_matches_decaying_the_rate():
    r = batch_vs_decay.run(batch_vs_decay.Config(baseline=False))  # Smith et al.'s k = 5 at the page's defaults
    race = r.race
    np.testing.assert_allclose(race.lr[0] / race.batch_size[0], race.lr[1] / race.batch_size[1])  # same alpha/B
    assert r.updates[1, -1] < r.updates[0, -1] / 2
    assert abs(race.val_loss[0, -1] - race.val_loss[1, -1]) < 0.25 * race.val_loss[0, -1]
    text = batch_vs_decay.notice(r)
    assert text.startswith(tr(
        "Final validation loss: decay {decay}, grown batch {grown} (the curves differ by {gap} on average per epoch). "
        "The grown batch made {updates_grown} parameter updates against {updates_decay}, and its last epochs took "
        "{ms_grown} ms each against {ms_decay} ms.").split("{gap}")[0].format(
        decay=number(race.val_loss[0, -1], ".3f"), grown=number(race.val_loss[1, -1], ".3f")))
    assert number(r.updates[1, -1], ",.0f") in text and number(r.updates[0, -1], ",.0f") in text


def test_a_batch_that_outgrows_the_data_is_refused():
    with pytest.raises(ValueError, match=tr(
            "The batch would grow to {largest} samples, more than the {train} training samples: use a smaller factor, "
            "starting batch or more samples, or change less often.").split("{train}")[0].split("{largest}")[1]):
        batch_vs_decay.run(batch_vs_decay.Config(batch_size=256))
