"""nncore.experiments.lr_schedules: the torch schedulers' curves with plateau cuts; a warmup longer than the run."""
from __future__ import annotations

import re

import numpy as np
import pytest

from nncore import schedules
from nncore.experiments import lr_schedules
from nncore.i18n import number
from nncore.schedules import ScheduleSpec as S
from tests.pages.helpers import tr


def test_designer_draws_the_torch_curves_and_marks_plateau_cuts():
    cfg = lr_schedules.Config(schedules=(S.of("plateau", patience=3), S.of("batch_growth"), S.of("one_cycle")),
                             steps=200, stall_at=0.3)
    r = lr_schedules.run(cfg)
    metric = schedules.plateau_metric(200, 0.3, seed=0)
    np.testing.assert_allclose(r.lr[0], schedules.lr_curve("plateau", 200, cfg.base_lr, metrics=metric, patience=3))
    assert len(r.cuts[0]) and r.cuts[0][0] > 0.3 * 200  # no cut before the made-up loss stalls
    np.testing.assert_array_equal(r.batch[1], schedules.batch_curve(200, 1))
    text = lr_schedules.notice(r)
    assert tr("peaks at {lr} at step {step}").format(lr=number(r.lr[2].max(), ".3g"), step=int(np.argmax(r.lr[2]))) in text
    assert tr("cut {count}× (first at step {step}, after the made-up loss stalled at step {stall})").format(
        count=len(r.cuts[0]), step=r.cuts[0][0], stall=60) in text


def test_designer_refuses_a_warmup_longer_than_the_run():
    with pytest.raises(ValueError, match=re.escape(tr(
            "The warmup ({warmup}) is longer than the run ({run}): shorten it or train longer.").format(
            warmup=tr("{n} steps").format(n=101), run=tr("{n} steps").format(n=100)))):
        lr_schedules.run(lr_schedules.Config(schedules=(S.of("cosine", warmup="constant", warmup_steps=101),)))
    with pytest.raises(ValueError, match=re.escape(tr(
            "The warmup ({warmup}) is as long as the run ({run}): shorten it or train longer.").format(
            warmup=tr("{n} steps").format(n=100), run=tr("{n} steps").format(n=100)))):
        lr_schedules.run(lr_schedules.Config(schedules=(S.of("cosine", warmup="constant", warmup_steps=100),)))
