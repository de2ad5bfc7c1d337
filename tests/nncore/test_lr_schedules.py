"""nncore.experiments.lr_schedules: the torch schedulers' curves with plateau cuts; a warmup longer than the run."""
from __future__ import annotations

import numpy as np
import pytest

from nncore import schedules
from nncore.experiments import lr_schedules
from nncore.schedules import ScheduleSpec as S


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
