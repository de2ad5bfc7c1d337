"""The transfer-learning lesson in a real browser: one more image per digit (the slider moved with the keyboard)
re-trains the three nets on 5 x 6 images from the same pretrained model, and writes per_class=6 into the link."""
from __future__ import annotations

from playwright.sync_api import Page, expect

import app
from tests.e2e.conftest import assert_no_error, wait_for_app

LESSON = next(lesson for lessons in app.COURSE.values() for lesson in lessons
              if lesson.file == "pages/transfer_learning.py")
NOTICE = "[data-testid=stAlertContentInfo]"
QUICK = "epochs=30&pretrain_epochs=30&e_epochs=20&e_members=3"   # short runs; the interaction is the same


def legend_names(page: Page, chart: int) -> list[str]:
    """The trace names of one chart, read from Plotly's own data in the browser."""
    return page.evaluate("""(chart) => document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')[chart]
        ._fullData.map(d => d.name)""", chart)


def test_one_more_image_per_digit_retrains_the_three_nets(server, page):
    page.goto(f"{server.url}/{LESSON.url_path}?{QUICK}")
    wait_for_app(page, ready=page.locator(NOTICE).get_by_text("(5 per digit)", exact=False))
    assert_no_error(page)
    pretrained = page.get_by_text("Pretrained for 30 epochs", exact=False).inner_text()
    names = legend_names(page, 0)
    assert [n.split(":")[0] for n in names] == ["frozen features + new dense layers", "fine-tuning all layers",
                                                "from scratch"]
    slider = page.locator('input[type=range][aria-label="Training images per digit (5-9)"]')
    slider.focus()
    slider.press("ArrowRight")                                       # 5 -> 6 images per digit
    wait_for_app(page, ready=page.locator(NOTICE).get_by_text("(6 per digit)", exact=False))
    assert_no_error(page)
    expect(page.locator(NOTICE).first).to_contain_text("After 30 epochs on 30 images of 5-9")
    assert page.get_by_text("Pretrained for 30 epochs", exact=False).inner_text() == pretrained   # the same model
    assert "per_class=6" in page.url and "epochs=30" in page.url
