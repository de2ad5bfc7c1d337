"""AppTest of the loss-functions page: its charts at the defaults, δ moving Huber's clip, the outlier nets, the label
pitfall, the red wines under each loss, hostile links."""
import numpy as np
import pytest

from nncore.experiments import losses
from nncore import i18n
from tests.pages.helpers import array, assert_clean, charts, tr

PAGE = "pages/losses.py"
N_CHARTS = 8


def chart(at, words: str) -> dict:
    """The page's figure whose title has these words."""
    return next(f for f in charts(at) if words in f["layout"]["title"]["text"].replace("<br>", " "))


def _huber_gradient(at) -> np.ndarray:
    fig = charts(at)[0]
    trace = next(t for t in fig["data"] if t.get("legendgroup") == "huber" and t.get("showlegend") is False)
    return array(trace["y"])


def test_defaults_draw_every_chart_with_notices_from_the_run(open_page):
    at = open_page(PAGE)
    assert_clean(at)
    assert not at.error
    figs = charts(at)
    assert len(figs) == N_CHARTS
    assert np.abs(_huber_gradient(at)).max() == pytest.approx(1.0, abs=1e-6)   # clipped at δ = 1
    r = losses.run(losses.Config())
    shown = " ".join(i.value for i in at.info)
    assert losses.notice_pixels(r) in shown and losses.notice_gradients(r) in shown
    assert "Huber (δ)" in " ".join(m.value for m in at.markdown)              # the registry's cards


def test_the_delta_slider_moves_hubers_clip(open_page):
    at = open_page(PAGE)
    at.slider(key="delta").set_value(2.5).run()
    assert_clean(at)
    assert np.abs(_huber_gradient(at)).max() == pytest.approx(2.5, abs=1e-6)
    assert f"±δ = ±{i18n.number(2.5)}" in " ".join(i.value for i in at.info)


def test_a_link_opens_its_state(open_page):
    at = open_page(PAGE, delta="0.5", outliers="0")
    assert_clean(at)
    assert np.abs(_huber_gradient(at)).max() == pytest.approx(0.5, abs=1e-6)
    assert losses.notice_fits(losses.run(losses.Config(delta=0.5, outliers=0))) in [i.value for i in at.info]


@pytest.mark.parametrize("query", [dict(delta="0"), dict(delta="-1"), dict(delta="nan"), dict(delta="abc"),
                                   dict(outliers="1e9"), dict(outlier_shift="inf"), dict(seed="-3"),
                                   dict(adam_epochs="0"), dict(adam_epochs="1e6"), dict(wine_epochs="-1")])
def test_a_hostile_link_falls_back_with_a_notice(open_page, query):
    at = open_page(PAGE, **query)
    assert_clean(at)
    assert len(charts(at)) == N_CHARTS
    assert at.warning or at.error, "the unusable value is named on the page"


def test_the_adam_section_draws_three_learning_rates_with_the_runs_numbers(open_page):
    at = open_page(PAGE, adam_epochs="10")
    assert_clean(at)
    fig = chart(at, tr("Does Adam need a learning rate? (004 says no)"))
    assert [t["name"] for t in fig["data"]] == ["Adam, lr = 1e-05", "Adam, lr = 0.001", "Adam, lr = 1"]
    assert all(len(array(t["y"])) == 10 for t in fig["data"])
    r = losses.run_adam(losses.AdamConfig(epochs=10))
    assert f"lr = 0.001: {i18n.number(r.final_val_mae[1], '.3f')}" in " ".join(i.value for i in at.info)


def test_the_new_charts_draw_the_runs_numbers(open_page):
    """The small nets' fits, the label pitfall and the red wines under each loss, each with its notice."""
    at = open_page(PAGE, wine_epochs="10")
    assert_clean(at)
    r = losses.run(losses.Config())
    nets = chart(at, tr("Can a small net escape the outliers' pull?"))
    curves = {t["name"]: array(t["y"]) for t in nets["data"] if t["mode"] == "lines"}
    np.testing.assert_allclose(curves[tr("{loss}: 1-16-1 net").format(loss="MAE")], r.net_fits["mae"], rtol=1e-6)
    labels = chart(at, tr("What does binary cross-entropy learn from class labels 0, 1, 2?"))
    bars = [array(t["y"]) for t in labels["data"] if t["type"] == "bar"]
    np.testing.assert_allclose(bars[0], r.label_recall["bce"])
    wines = losses.run_wine_losses(losses.WineConfig(epochs=10))
    bar = next(t for t in chart(at, tr("Which loss gives 004's red-wine net the lowest validation MAE? (dotted: predict the mean)"))["data"] if t["type"] == "bar")
    np.testing.assert_allclose(array(bar["y"]), wines.final_val_mae)
    shown = " ".join(i.value for i in at.info)
    for notice in (losses.notice_net_fits(r), losses.notice_labels(r), losses.notice_wine_losses(wines)):
        assert notice in shown
