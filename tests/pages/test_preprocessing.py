"""The preprocessing page in AppTest: 003's steps with their covariance, the correlation slider redraws the cloud
(and does not retrain), the red-wine charts with notices from the run, and hostile links."""
from __future__ import annotations

import numpy as np

from nncore.experiments import preprocessing as prep
from tests.pages.helpers import array, assert_clean, charts, tr

PAGE = "pages/preprocessing.py"


def heatmaps(fig: dict) -> list[np.ndarray]:
    """Each covariance heatmap's matrix (drawn with its rows flipped, so that x₁ is on top)."""
    return [array(t["z"]).reshape(2, 2)[::-1] for t in fig["data"] if t["type"] == "heatmap"]


def test_defaults_show_the_steps_and_the_wine_runs(open_page):
    at = open_page(PAGE)
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    assert [t.value for t in at.title] == [tr("Preprocessing")]
    figs = charts(at)
    assert len(figs) == 5
    covs = heatmaps(figs[0])
    assert len(covs) == len(prep.STEPS)
    np.testing.assert_allclose(covs[-1], np.eye(2), atol=1e-2)          # whitened (shown to 2 decimals)
    r = prep.run(prep.Config())
    notices = [i.value for i in at.info]
    assert prep.notice_sources(r) in notices and prep.notice_scalings(r) in notices


def test_the_correlation_slider_redraws_the_cloud(open_page):
    at = open_page(PAGE)
    before = heatmaps(charts(at)[0])
    at.slider(key="cloud_correlation").set_value(-0.5).run()
    assert_clean(at)
    after = heatmaps(charts(at)[0])
    assert after[2][0, 1] < 0 < before[2][0, 1]                          # the normalized cloud's correlation
    assert at.info[0].value == prep.notice_cloud(prep.cloud(prep.CloudConfig(-0.5, 0)))
    np.testing.assert_allclose(after[-1], np.eye(2), atol=1e-2)


def test_hostile_links_fall_back_with_a_notice(open_page):
    at = open_page(PAGE, cloud_correlation="1e99", cloud_seed="-3", epochs="<script>", val_fraction="nan",
                   seed="banana", path_lr_fraction="2", path_steps="-1")
    assert_clean(at)
    assert not at.error
    warnings = [w.value for w in at.warning]     # the link's notice names the bad value and its field
    assert any("'banana'" in w and tr("Seed") in w for w in warnings), warnings
    assert len(charts(at)) == 5


def test_the_weight_paths_draw_the_runs_and_link_to_the_zigzag_lesson(open_page):
    at = open_page(PAGE, path_lr_fraction="0.5", path_steps="30")
    assert_clean(at)
    paths = prep.weight_paths(prep.PathConfig(lr_fraction=0.5, steps=30))
    fig = charts(at)[3]
    drawn = [t for t in fig["data"] if t.get("name") == tr("gradient descent")]
    np.testing.assert_allclose(array(drawn[0]["x"]), paths["none"].weights[:, 0])
    np.testing.assert_allclose(array(drawn[1]["y"]), paths["standard"].weights[:, 1])
    assert prep.notice_paths(paths) in [i.value for i in at.info]
    assert any("gradient_flow" in m.value for m in at.markdown), "the link to the gradient-flow lesson's zig-zag"


def test_the_digits_chart_draws_both_subtractions(open_page):
    at = open_page(PAGE)
    d = prep.digit_means()
    maps = [array(t["z"]).reshape(8, 8)[::-1] for t in charts(at)[4]["data"] if t["type"] == "heatmap"]
    np.testing.assert_allclose(maps[len(d.examples)], d.mean_image, atol=0.006)      # the row's first panel
    np.testing.assert_allclose(maps[-1], d.minus_channel[-1], atol=0.006)
    assert prep.notice_digits(d) in [i.value for i in at.info]
