"""Own data in a real browser, on the dropout lesson: an oversized CSV gets a message and the page keeps its runs; a
good CSV (set_input_files) becomes the data set, the link names it, and the runs change."""
from __future__ import annotations

from playwright.sync_api import Page, expect

import app
from nncore import uploads
from tests.e2e.conftest import assert_no_error, wait_for_app
from tests.e2e.test_dropout import curves
from tests.pages.test_own_data import clouds_csv

LESSON = next(lesson for lessons in app.COURSE.values() for lesson in lessons if lesson.file == "pages/dropout.py")


def val_curve(curves: dict[str, list[float]], run: str) -> list[float]:
    return next(y for name, y in curves.items() if name.startswith(run) and name.endswith("validation"))


def upload(page: Page, name: str, content: bytes) -> None:
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content})


def test_an_oversized_csv_gets_a_message_and_a_good_one_changes_the_runs(server, page):
    page.goto(f"{server.url}/{LESSON.url_path}")
    wait_for_app(page, ready=page.get_by_role("heading", level=1, name=LESSON.title))
    expect(page.locator("[data-testid=stPlotlyChart] .js-plotly-plot").first).to_be_visible()
    before = curves(page)
    page.get_by_text("Data, network and training").click()

    upload(page, "big.csv", b"u,v,label\n" + b"1.000000,2.000000,0\n" * 15_000)    # 300 kB
    message = page.locator("[data-testid=stAlertContentError]").get_by_text("big.csv: The file is 300 kB")
    wait_for_app(page, ready=message)
    expect(message).to_contain_text("at most 200 kB")
    assert curves(page) == before                       # the page keeps its data set and runs

    name = uploads.parse(clouds_csv()).name
    upload(page, "clouds.csv", clouds_csv())
    expect(page.get_by_role("combobox", name="Data set")).to_have_value(name, timeout=60_000)   # the new run began
    wait_for_app(page)                                  # ... and ended
    expect(page.locator("[data-testid=stPlotlyChart] .js-plotly-plot").first).to_be_visible()
    assert_no_error(page)                               # the message went with the oversized file
    assert f"dataset={name}" in page.url
    after = curves(page)
    assert val_curve(after, "A") != val_curve(before, "A") and val_curve(after, "B") != val_curve(before, "B")
