"""Launch buttons: none while the book has no public address, Binder and Colab on every chapter once it has one.

The address is ``repository.url`` in _config.yml (empty in this copy; _ext/launch_buttons.py does the switch).
The built book (`make book`) must have no launch or repository button. A second build, into a temporary
folder with the address set and the same notebook cache (so nothing is executed again), must give every
chapter page a Binder and a Colab link to that chapter's notebook in the repository, and every page the
repository button; a page with those buttons still requests nothing from another host when it loads.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from book_site import ROOT, SITE, served, toc_pages
from test_book import LOAD_TIMEOUT_MS, PageRecord

REPOSITORY = "https://github.com/example/nn-book"
BRANCH = "main"
SERVICES = ("mybinder.org", "colab.research.google.com")
NOTEBOOK_PAGES = [page for page in toc_pages() if (ROOT / page).with_suffix(".ipynb").is_file()]


def test_no_button_points_nowhere(site):
    assert yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"] == "", (
        "this copy of the book is meant to have no public address yet")
    for page in toc_pages():
        html = (SITE / page).read_text(encoding="utf-8")
        assert not [s for s in SERVICES if s in html], f"{page} has a launch button but the book has no address"
        assert "source-repository-button" not in html and "executablebooks" not in html, page


@pytest.fixture(scope="module")
def launch_site(site, tmp_path_factory) -> Path:
    """The book built again with ``repository.url`` set (into a temporary folder, from the same cache)."""
    out = tmp_path_factory.mktemp("launch")
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["repository"].update(url=REPOSITORY, branch=BRANCH)
    config["execute"]["cache"] = str(ROOT / "_build" / ".jupyter_cache")
    # Local extensions are found relative to the configuration file, which lives elsewhere here.
    config["sphinx"]["local_extensions"] = {name: str(ROOT / path)
                                            for name, path in config["sphinx"]["local_extensions"].items()}
    (out / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    build = subprocess.run([str(jupyter_book), "build", str(ROOT), "--config", str(out / "_config.yml"),
                            "--path-output", str(out), "-W", "-n", "--keep-going"],
                           capture_output=True, text=True)
    log = build.stdout + build.stderr
    assert build.returncode == 0, log[-4000:]
    assert "Executing notebook" not in log, "the build executed a notebook: the cache should have served it"
    return out / "_build" / "html"


@pytest.mark.parametrize("page", NOTEBOOK_PAGES, ids=lambda p: Path(p).stem)
def test_every_chapter_has_binder_and_colab(page, launch_site):
    html = (launch_site / page).read_text(encoding="utf-8")
    notebook = Path(page).with_suffix(".ipynb").as_posix()
    org_repo = REPOSITORY.removeprefix("https://github.com/")
    binder = f"https://mybinder.org/v2/gh/{org_repo}/{BRANCH}?urlpath=lab/tree/{notebook}"
    colab = f"https://colab.research.google.com/github/{org_repo}/blob/{BRANCH}/{notebook}"
    assert f'href="{binder}"' in html, f"{page}: no Binder link {binder}"
    assert f'href="{colab}"' in html, f"{page}: no Colab link {colab}"


@pytest.mark.parametrize("page", toc_pages(), ids=lambda p: Path(p).stem)
def test_every_page_has_the_repository_button(page, launch_site):
    assert f'href="{REPOSITORY}"' in (launch_site / page).read_text(encoding="utf-8"), page


def test_buttons_are_links_not_loads(launch_site, browser):
    """A chapter page with every button requests nothing from another host and logs no error when it loads."""
    record = PageRecord()
    with served(launch_site) as base:
        context = browser.new_context()
        try:
            page = context.new_page()
            record.attach(context, page)
            page.goto(base + NOTEBOOK_PAGES[0], wait_until="load", timeout=LOAD_TIMEOUT_MS)
            page.wait_for_load_state("networkidle", timeout=LOAD_TIMEOUT_MS)
            links = page.locator("a[href*='mybinder.org'], a[href*='colab.research.google.com']").count()
        finally:
            context.close()
    assert links >= 2
    assert not record.external_requests, record.external_requests
    assert not record.console_errors and not record.page_errors, record.console_errors + record.page_errors
