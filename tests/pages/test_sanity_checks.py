"""The sanity-checks page in AppTest: its defaults (table, four charts, notices from the run), a preset that
injects the bug, and hostile links (values it cannot use fall back with a notice, never a traceback)."""
from __future__ import annotations

import json
from pathlib import Path

from google.protobuf.json_format import MessageToJson
from streamlit.testing.v1 import AppTest

from nncore.experiments import sanity_checks as sc
from tests.pages.helpers import assert_clean, charts, tr

PAGE = "pages/sanity_checks.py"
ROOT = Path(__file__).resolve().parents[2]


def test_defaults_show_the_three_checks_and_the_recipe(open_page):
    at = open_page(PAGE)
    assert_clean(at)
    assert not at.error
    r = sc.run(sc.Config())
    titles = [fig["layout"]["title"]["text"] for fig in charts(at)]
    assert len(titles) == 4 and "−ln(1/C)" in titles[0], titles
    notices = [i.value for i in at.info]
    assert sc.notice_initial(r) in notices and sc.notice_tiny(r) in notices and sc.notice_ratio(r) in notices
    rows = at.table[0].value
    assert list(rows[tr("classes C")]) == [2, 3, 10]
    assert any("Karpathy" in h.value for h in at.header)


def test_the_bug_preset_fails_the_tiny_overfit(open_page):
    at = open_page(PAGE)
    at.button(key="preset.A bug the check catches").click().run()
    assert_clean(at)
    assert at.session_state["bug"] == "shuffled_labels"
    assert sc.notice_tiny(sc.run(sc.PRESETS["A bug the check catches"].config)) in [i.value for i in at.info]


def test_a_link_opens_its_run(open_page):
    at = open_page(PAGE, classes="3", tiny_samples="32")
    assert_clean(at)
    r = sc.run(sc.Config(classes=3, tiny_samples=32))
    assert sc.notice_initial(r) in [i.value for i in at.info] and sc.notice_tiny(r) in [i.value for i in at.info]


def test_hostile_links_fall_back_with_a_notice(open_page):
    at = open_page(PAGE, classes="eleven", lr="inf", epochs="-4", seed="1e99", bug="rm -rf", dataset="<script>")
    assert_clean(at)
    assert not at.error
    warnings = [w.value for w in at.warning]     # the link's notice names a bad value and its field
    assert any("'eleven'" in w and tr("Classes C") in w for w in warnings), warnings
    assert sc.notice_initial(sc.run(sc.Config())) in [i.value for i in at.info]


def test_values_that_fit_their_ranges_but_not_the_data_give_a_clear_message(open_page):
    at = open_page(PAGE, dataset="Two moons")
    assert_clean(at)
    assert at.error and tr("{data} has {n} classes: C must be between 2 and {n} (got {classes}).").format(
        data="Two moons", n=2, classes=10) == at.error[0].value
    at = open_page(PAGE, classes="2", tiny_samples="400")
    assert_clean(at)
    assert at.error and tr("The tiny subset ({tiny}) is larger than the {n} training samples of {classes} "
                           "classes.").split("{n}")[0].format(tiny=400) in at.error[0].value


def test_the_recipe_links_to_the_lessons_that_run_each_step():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page(PAGE).run()
    assert_clean(at)
    links = [json.loads(MessageToJson(el.proto)) for el in at.get("page_link")]
    pages = {Path(link["page"]).stem for link in links}
    assert {"weight_init", "lr_finder", "capacity", "dropout", "lr_schedules", "hparam_search"} <= pages, pages
    assert all((ROOT / "pages" / f"{stem}.py").exists() for stem in pages)
