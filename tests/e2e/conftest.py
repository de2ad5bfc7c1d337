"""Real-browser fixtures: `streamlit run app.py` on a free port, Debian's Chromium driven by Playwright (sync API).

Synchronization waits for the app's own signals, as Streamlit's own e2e suite does: the health endpoint, then
`[data-testid=stApp][data-test-script-state=notRunning]` with no skeleton left. No sleeps.
"""
from __future__ import annotations

import re
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

import app
from bench._server import free_port, started
from tests.browser import APP_TIMEOUT, ARTIFACTS, screenshot  # noqa: F401  (screenshot: for the tests)


# What Streamlit 1.67's frontend shows for an error: an exception box (st.exception or an uncaught error,
# redacted or not) and an error alert (st.error, and Streamlit's own error elements).
ERROR_SELECTOR = "[data-testid=stException], [data-testid=stAlertContentError]"


def pytest_collection_modifyitems(items) -> None:
    """Mark every test under tests/e2e as `e2e` (so `-m "not e2e"` gives a quick run while developing)."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@dataclass
class Server:
    url: str
    pid: int
    log: Path


@contextmanager
def streamlit_server(name: str = "server") -> Iterator[Server]:
    """A brand-new `streamlit run app.py` on a free port (bench/_server.py), ready (health ok) on entry, stopped on
    exit; its output in artifacts/<name>-<port>.log."""
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / f"{name}-{port}.log"
    with started(port=port, log_path=log) as (url, pid):
        yield Server(url, pid, log)


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """One server shared by the tests that do not need a fresh one."""
    with streamlit_server("shared") as s:
        yield s


@pytest.fixture
def fresh_server() -> Iterator[Callable[[], Server]]:
    """A factory: each call starts a brand-new server (stopped at the end of the test)."""
    with ExitStack() as stack:
        yield lambda: stack.enter_context(streamlit_server("fresh"))


def wait_for_app(page: Page, ready: Locator | None = None, timeout: float = APP_TIMEOUT) -> None:
    """Wait until the script run is over and every element has rendered (no skeleton left).

    `ready` is something the finished page shows (a heading, a changed text): it is awaited first, because a run
    can end and another start right after it (a widget's callback, or nncore/ui/routing.py's rerun out of the
    legacy router on a fresh server), and between the two the app briefly reads notRunning.
    """
    if ready is not None:
        expect(ready.first).to_be_visible(timeout=timeout)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", state="attached",
                           timeout=timeout)
    expect(page.locator("[data-testid=stSkeleton], [data-testid=stAppSkeleton]")).to_have_count(0, timeout=timeout)


def assert_no_error(page: Page) -> None:
    """No exception box and no error alert is shown."""
    errors = page.locator(ERROR_SELECTOR)
    texts = errors.all_inner_texts()
    assert errors.count() == 0, f"the page shows an error: {texts}"


def open_lesson(page: Page, server: Server, file: str) -> None:
    """Go to the lesson of pages/<file> by its URL, wait until its title and first chart show, with no error."""
    import app
    lesson = next(item for lessons in app.COURSE.values() for item in lessons if item.file == file)
    page.goto(f"{server.url}/{lesson.url_path}")
    wait_for_app(page, ready=page.get_by_role("heading", level=1, name=lesson.title))
    expect(page.locator("[data-testid=stPlotlyChart] .js-plotly-plot").first).to_be_visible()
    assert_no_error(page)


LESSONS = [lesson for lessons in app.COURSE.values() for lesson in lessons]
SECTIONS = [name for name, lessons in app.COURSE.items() if lessons]


def assert_course_navigation(page: Page) -> None:
    """The sidebar shows app.py's navigation: the course's section headers and lesson titles, not file names."""
    headers = page.locator("[data-testid=stSidebarNav] [data-testid=stNavSectionHeader]")
    expect(headers).to_have_count(len(SECTIONS))
    expect(headers).to_contain_text(SECTIONS)  # each header also holds its expand icon's ligature text
    links = page.locator("[data-testid=stSidebarNav] [data-testid=stSidebarNavLink]")
    expect(links).to_have_count(1 + len(LESSONS))  # the course map and every lesson
    for lesson in LESSONS:
        expect(links.filter(has_text=lesson.title)).to_have_count(1)
    # Streamlit's legacy pages/ router would list "app" and the file stems ("weight init") instead
    expect(links.filter(has_text=re.compile(r"^\s*app\s*$"))).to_have_count(0)
