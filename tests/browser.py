"""The real browser for tests/e2e and tests/deploy: Debian's Chromium driven by Playwright (sync API).

Its fixtures are defined once, here, and made visible to every test by tests/conftest.py: Playwright's sync API
cannot be opened twice in one process, so two session-scoped copies (one per conftest) failed the second one.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ARTIFACTS = Path(__file__).resolve().parent / "e2e" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
APP_TIMEOUT = 60_000     # ms for a page run to finish (the first run imports torch)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/run_tests.sh (it installs Debian's chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, request) -> Iterator[Page]:
    """A new page (1400x900) per test; a full-page screenshot lands in tests/e2e/artifacts/<test>.png at the end."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(APP_TIMEOUT)
    yield pg
    try:
        screenshot(pg, request.node.name)
    finally:
        context.close()


def screenshot(page: Page, name: str) -> Path:
    """A screenshot of the whole page. Streamlit scrolls inside its own containers, so the window is first made
    as tall as their content (capped), and the mouse moved away so no tooltip hides anything."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / (re.sub(r"[^\w.-]+", "_", name).strip("_") + ".png")
    page.mouse.move(0, 0)
    height = page.evaluate("""() => Math.max(document.documentElement.scrollHeight,
        ...['stMain', 'stAppViewContainer', 'stSidebarContent'].map(
            id => document.querySelector(`[data-testid=${id}]`)?.scrollHeight || 0))""")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": min(max(height, 900), 12_000)})
    page.screenshot(path=str(path), full_page=True)
    return path
