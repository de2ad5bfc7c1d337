"""The depth-vs-width lesson in a real browser: a larger budget (the slider moved with the keyboard) re-solves every
net's widths, and the chart's legend and the count caption show the new nets' parameter counts; the budget is in
the link."""
from __future__ import annotations

import app
from nncore.experiments import depth_vs_width as dw
from tests.e2e.conftest import assert_no_error, wait_for_app

LESSON = next(lesson for lessons in app.COURSE.values() for lesson in lessons
              if lesson.file == "pages/depth_vs_width.py")
NOTICE = "[data-testid=stAlertContentInfo]"


def legend(page) -> list[str]:
    """The curves chart's legend entries, read from the drawn plot."""
    return page.evaluate("""() => {
        const plot = document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')[0];
        return plot._fullData.filter(d => d.showlegend !== false).map(d => d.name);
    }""")


def expected(budget: int) -> list[str]:
    """The legend the page draws at this budget: each depth's widths and parameter count."""
    return [f"{net.name} ({net.parameters:,})" for net in dw.run(dw.Config(budget=budget, epochs=20)).nets]


def test_a_larger_budget_resolves_every_nets_width(server, page):
    page.goto(f"{server.url}/{LESSON.url_path}?epochs=20")
    wait_for_app(page, ready=page.get_by_text("of the 150-parameter budget", exact=False))
    assert_no_error(page)
    assert legend(page) == expected(150)
    slider = page.locator('input[type=range][aria-label="Parameter budget"]')
    slider.focus()
    slider.press("ArrowRight")                                       # 150 -> 160 parameters
    wait_for_app(page, ready=page.get_by_text("of the 160-parameter budget", exact=False))
    assert_no_error(page)
    assert legend(page) == expected(160) != expected(150)
    assert page.locator(NOTICE).count() == 1 and "budget=160" in page.url
