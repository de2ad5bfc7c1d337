"""The data-assessment page in AppTest: the defaults' scores and histograms, a random split, an empty blind set, and
hostile links."""
from __future__ import annotations

from nncore.experiments import data_assessment as da
from tests.pages.helpers import array, assert_clean, charts, number, tr

PAGE = "pages/data_assessment.py"


def scores(at) -> dict[str, float]:
    bars = charts(at)[0]["data"][0]
    return dict(zip(bars["y"], array(bars["x"])))


def test_defaults_show_the_scores_and_both_histograms(open_page):
    at = open_page(PAGE)
    assert_clean(at)
    assert not at.error
    assert [t.value for t in at.title] == [tr("Data assessment")]
    figs = charts(at)
    assert len(figs) == 3
    assert scores(at)["alcohol"] == 1.0 and max(scores(at), key=scores(at).get) == "alcohol"
    largest = tr("Blind set: {cut}; training set: the other {n_train}. The largest shifts: {top}. {shifted} of {total} "
                 "features score above {critical}, the 5% line (1.358·√((n+m)/(n·m))).").split("{top}")[0]
    largest = largest.rpartition("{n_train}")[2]
    assert any(f"{largest}alcohol (" in i.value and number(i.value.split(f"{largest}alcohol (")[1].split(")")[0]) == 1
               for i in at.info), [i.value for i in at.info]
    raw, std = (array(figs[k]["data"][0]["x"]) for k in (1, 2))
    assert raw.max() > 1 and abs(std).max() < 20 and not (raw == std).all()


def test_a_random_split_scores_below_the_five_percent_line(open_page):
    at = open_page(PAGE)
    at.selectbox(key="rule").set_value("random").run()
    assert_clean(at)
    assert max(scores(at).values()) < 0.1
    alike = tr("The two sets look alike: a model that does well on the training set should do as well here.")
    assert any(alike in i.value for i in at.info)


def test_a_rule_that_empties_the_blind_set_says_so(open_page):
    at = open_page(PAGE, quantile="1.0")
    assert_clean(at)
    too_few = tr(da._TOO_FEW["blind", "above"])         # the blind set too small: move the threshold down
    assert at.error and at.error[0].value.endswith(too_few.rpartition("{least}")[2])
    assert not charts(at)


def test_hostile_links_fall_back_with_a_notice(open_page):
    at = open_page(PAGE, feature="colour", rule="<script>alert(1)</script>", quantile="banana", bins="-3")
    assert_clean(at)
    warnings = [w.value for w in at.warning]     # the link's notice names a bad value and its field
    assert any("'banana'" in w and tr("Threshold (quantile of the feature)") in w for w in warnings), warnings
    assert not at.error and len(charts(at)) == 3
    assert scores(at)["alcohol"] == 1.0


def test_a_link_opens_its_feature(open_page):
    at = open_page(PAGE, feature="residual sugar", quantile="0.9")
    assert_clean(at)
    assert max(scores(at), key=scores(at).get) == "residual sugar"
    assert at.selectbox(key="feature").value == "residual_sugar"
