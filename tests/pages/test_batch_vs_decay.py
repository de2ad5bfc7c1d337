"""The batch-size-vs-decay page in AppTest: defaults, a batch too large, bad values in both control groups, every
preset."""
from __future__ import annotations

import numpy as np
import pytest

from nncore.experiments import batch_vs_decay
from nncore.i18n import number
from tests.pages.helpers import array, assert_clean, assert_preset_runs, charts, tr

NOTICE = ("Final validation loss: decay {decay}, grown batch {grown} (the curves differ by {gap} on average per epoch). "
          "The grown batch made {updates_grown} parameter updates against {updates_decay}, and its last epochs took "
          "{ms_grown} ms each against {ms_decay} ms.")
TOO_LARGE = ("The batch would grow to {largest} samples, more than the {train} training samples: use a smaller factor, "
             "starting batch or more samples, or change less often.")

BATCH = "pages/batch_vs_decay.py"


def test_batch_vs_decay_defaults_and_a_batch_too_large(open_page):
    at = open_page(BATCH)
    assert_clean(at)
    assert not at.error
    expected = batch_vs_decay.notice(batch_vs_decay.run(batch_vs_decay.Config()))
    # wall-clock times differ from run to run; the rest may not
    timing = tr(NOTICE).split("{updates_decay}")[1].split("{ms_grown}")[0]
    assert at.info[0].value.split(timing)[0] == expected.split(timing)[0]
    alpha_over_b = [array(t["y"]) for t in charts(at)[0]["data"] if t.get("xaxis") == "x3"]
    np.testing.assert_allclose(alpha_over_b[0], alpha_over_b[1])
    bad = open_page(BATCH, batch_size="512")
    assert_clean(bad)
    assert bad.error and tr(TOO_LARGE).split("{largest}")[1].format(train=number(1400, ",")) in bad.error[0].value


def test_bad_values_in_both_control_groups_give_one_link_notice(open_page):
    at = open_page(BATCH, factor="abc", dataset="nope")      # factor: in view; dataset: in the folded expander
    assert_clean(at)
    # the link notice's sentences are the shared layer's: one warning, the bad values and the field's label
    notices = [w.value for w in at.warning]
    assert len(notices) == 1 and tr("Factor k") in notices[0] and "'abc'" in notices[0] and "'nope'" in notices[0]


@pytest.mark.parametrize("name", list(batch_vs_decay.PRESETS))
def test_every_preset_runs_cleanly_and_says_what_it_is(open_page, name):
    assert_preset_runs(open_page(BATCH), f"preset.{name}", tr(name))
