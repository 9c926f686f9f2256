"""Fixtures for the learner's-path tests: a real JupyterLab on 127.0.0.1 driven by headless Chromium.

`make lab-test` runs them (`pytest tests/lab`); a plain `pytest` or `pytest tests/` run deselects them,
as it does the book's browser tests. They fail, never skip, when Chromium is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lab_session import CHROMIUM, LabServer, chapter_notebooks, launch_chromium, watch_page

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run these tests only when asked for by path (`pytest tests/lab`), never in `pytest tests/`."""
    requested = [Path(arg.split("::")[0]).resolve() for arg in config.args]
    if any(p == HERE or HERE in p.parents for p in requested):
        return
    lab = [item for item in items if HERE in Path(str(item.path)).parents]
    if lab:
        config.hook.pytest_deselected(items=lab)
        items[:] = [item for item in items if item not in lab]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing: {CHROMIUM} not found. Install Debian's package "
                    "(`apt-get install chromium`); the JupyterLab tests never download a browser.", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def lab():
    """JupyterLab over a temporary copy of every chapter, every cell attached to the page (windowing off),
    so that a test can read the whole notebook without scrolling it cell by cell."""
    with LabServer(chapter_notebooks(), windowing="none") as server:
        yield server


@pytest.fixture
def page(browser, lab):
    """A fresh page (console errors, exceptions and requests off 127.0.0.1 recorded in ``page.nnmath_log``);
    the notebook's kernel is shut down afterwards."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.nnmath_log = watch_page(page, lab.base_url)
    try:
        yield page
    finally:
        page.close()
        lab.shutdown_kernels()
