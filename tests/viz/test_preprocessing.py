"""The preprocessing charts: one panel per step of 003's figure, each with its covariance, under 300 kB of JSON."""
from __future__ import annotations

import numpy as np

from nncore import viz
from nncore.experiments import preprocessing as prep


def test_steps_figure_draws_each_step_and_its_covariance():
    c = prep.cloud(prep.CloudConfig(0.8, seed=0))
    fig = viz.preprocessing_steps(c)
    heatmaps = [t for t in fig.data if t.type == "heatmap"]
    assert len(heatmaps) == len(prep.STEPS)
    np.testing.assert_allclose(np.asarray(heatmaps[-1].z)[::-1], np.eye(2), atol=1e-6)   # whitened: the identity
    assert len(fig.to_json()) < 300_000


def test_wine_figures_stay_small():
    r = prep.run(prep.Config(epochs=10))
    for build in (viz.preprocessing_sources, viz.preprocessing_scalings):
        fig = build(r)
        assert fig.layout.title.text and len(fig.to_json()) < 300_000
