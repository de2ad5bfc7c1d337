"""The data-assessment page in AppTest: the defaults' scores and histograms, a random split, an empty blind set, and
hostile links."""
from __future__ import annotations

from tests.pages.helpers import array, assert_clean, charts

PAGE = "pages/data_assessment.py"


def scores(at) -> dict[str, float]:
    bars = charts(at)[0]["data"][0]
    return dict(zip(bars["y"], array(bars["x"])))


def test_defaults_show_the_scores_and_both_histograms(open_page):
    at = open_page(PAGE)
    assert_clean(at)
    assert not at.error
    assert [t.value for t in at.title] == ["Data assessment"]
    figs = charts(at)
    assert len(figs) == 3
    assert scores(at)["alcohol"] == 1.0 and max(scores(at), key=scores(at).get) == "alcohol"
    assert any("The largest shifts: alcohol (1.00)" in i.value for i in at.info), [i.value for i in at.info]
    raw, std = (array(figs[k]["data"][0]["x"]) for k in (1, 2))
    assert raw.max() > 1 and abs(std).max() < 20 and not (raw == std).all()


def test_a_random_split_scores_below_the_five_percent_line(open_page):
    at = open_page(PAGE)
    at.selectbox(key="rule").set_value("random").run()
    assert_clean(at)
    assert max(scores(at).values()) < 0.1
    assert any("look alike" in i.value for i in at.info)


def test_a_rule_that_empties_the_blind_set_says_so(open_page):
    at = open_page(PAGE, quantile="1.0")
    assert_clean(at)
    assert at.error and "blind set" in at.error[0].value and "move the threshold down" in at.error[0].value
    assert not charts(at)


def test_hostile_links_fall_back_with_a_notice(open_page):
    at = open_page(PAGE, feature="colour", rule="<script>alert(1)</script>", quantile="banana", bins="-3")
    assert_clean(at)
    assert at.warning and "not usable" in at.warning[0].value
    assert not at.error and len(charts(at)) == 3
    assert scores(at)["alcohol"] == 1.0


def test_a_link_opens_its_feature(open_page):
    at = open_page(PAGE, feature="residual sugar", quantile="0.9")
    assert_clean(at)
    assert max(scores(at), key=scores(at).get) == "residual sugar"
    assert at.selectbox(key="feature").value == "residual_sugar"
