"""Fixtures for the browser tests of the built book (`make test` runs them after `make book`).

They drive Debian's Chromium (/usr/bin/chromium) headless through the Playwright Python package; no
browser is downloaded. The built site in _build/html is served on 127.0.0.1 by a server thread.

These tests are run on their own (`pytest tests/browser`): a plain `pytest` or `pytest tests/` run of the
nnmath tests deselects them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from book_site import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, SITE, served

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run browser tests only when asked for by path (`pytest tests/browser`), never in `pytest tests/`."""
    requested = [Path(arg.split("::")[0]).resolve() for arg in config.args]
    if any(p == HERE or HERE in p.parents for p in requested):
        return
    browser = [item for item in items if HERE in Path(str(item.path)).parents]
    if browser:
        config.hook.pytest_deselected(items=browser)
        items[:] = [item for item in items if item not in browser]


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").is_file():
        pytest.fail(f"The book is not built ({SITE / 'index.html'} is missing): run `make book` first.",
                    pytrace=False)
    return SITE


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1, on a free port, from a server thread."""
    with served(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing: {CHROMIUM} not found. Install Debian's package "
                    "(`apt-get install chromium`); the browser tests never download a browser.", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
