"""The hyperparameter search's main interaction in a real browser: a small search by link, one click on "Refine
around the best", and the finer search runs with the ranges the button named, in the link and on the scatter; and
the scatter growing batch by batch while a search runs."""
from __future__ import annotations

import math
import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Page, expect

from nncore.experiments import hparam_search as hs
from tests.e2e.conftest import assert_no_error, wait_for_app
from tests.e2e.test_lessons_interactions import CHARTS, open_lesson

RANGE = re.compile(r"lr 10\^U\((\S+), (\S+)\), reg 10\^U\((\S+), (\S+)\)")


def scatter_trials(page: Page) -> tuple[list[float], list[float]]:
    """The (lr, reg) of the trials on the first chart, as Plotly drew them."""
    trial = page.evaluate("""(charts) => document.querySelectorAll(charts)[0]._fullData
        .filter(t => (t.name || '').startsWith('trial')).map(t => [Array.from(t.x, Number), Array.from(t.y, Number)])
        """, CHARTS)[0]
    return trial[0], trial[1]


def test_refine_around_the_best_runs_the_finer_search_from_the_link(server, page):
    open_lesson(page, server, "pages/hparam_search.py", "?budget=6&epochs=2&samples=300")
    button = page.get_by_role("button", name=re.compile("Refine around the best"))
    lr_lo, lr_hi, reg_lo, reg_hi = map(float, RANGE.search(button.inner_text()).groups())
    assert (lr_lo, lr_hi, reg_lo, reg_hi) != (*hs.Config().lr_range, *hs.Config().reg_range)

    button.click()
    expect(page).to_have_url(re.compile(r"[?&](lr_lo|lr_hi)="))
    wait_for_app(page, ready=page.get_by_role("button", name=re.compile("Refine around the best")))
    assert_no_error(page)
    query = {k: float(v[-1]) for k, v in parse_qs(urlparse(page.url).query).items() if k.endswith(("_lo", "_hi"))}
    defaults = dict(lr_lo=-3.0, lr_hi=1.0, reg_lo=-6.0, reg_hi=0.0)
    assert {**defaults, **query} == dict(lr_lo=lr_lo, lr_hi=lr_hi, reg_lo=reg_lo, reg_hi=reg_hi)
    lrs, regs = scatter_trials(page)
    assert len(lrs) + page.evaluate("""(charts) => document.querySelectorAll(charts)[0]._fullData
        .filter(t => (t.name || '').startsWith('diverged')).reduce((n, t) => n + t.x.length, 0)""", CHARTS) == 6
    assert all(lr_lo - 1e-9 <= math.log10(x) <= lr_hi + 1e-9 for x in lrs)
    assert all(reg_lo - 1e-9 <= math.log10(y) <= reg_hi + 1e-9 for y in regs)



COUNT = """(charts) => { const c = document.querySelectorAll(charts)[0];
    return c && c._fullData ? c._fullData.filter(t => /^(trial|diverged)/.test(t.name || ''))
        .reduce((n, t) => n + t.x.length, 0) : 0; }"""


def test_the_scatter_grows_batch_by_batch_while_the_search_runs(server, page):
    budget = 3 * hs.BATCH
    # the most epochs a trial may have: each batch then runs long enough (~0.3-1 s) for the browser to draw the
    # partial scatter on a fast quiet machine too (at 10 epochs CI once saw only the final one); checked every frame
    page.goto(f"{server.url}/hparam_search?budget={budget}&epochs=30&seed=7")
    partial = page.wait_for_function(f"""([charts, budget]) => {{ const n = ({COUNT})(charts);
        return n > 0 && n < budget ? n : false; }}""", arg=[CHARTS, budget], timeout=120_000, polling="raf")
    assert partial.json_value() in (hs.BATCH, 2 * hs.BATCH)        # the scatter of the first batch(es) of trials
    wait_for_app(page, ready=page.get_by_role("button", name=re.compile("Refine around the best")))
    assert_no_error(page)
    assert page.evaluate(COUNT, CHARTS) == budget                   # then every trial
