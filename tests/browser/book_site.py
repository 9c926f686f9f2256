"""Where the built book is and which pages it has (shared by conftest.py and test_book.py)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from chromium import CHROMIUM, CHROMIUM_ARGS, served  # noqa: E402, F401  (tools/ is not a package)
from execute import toc_files  # noqa: E402

SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
# Generated pages that are not part of the book's reading order.
NOT_CONTENT = {"search.html", "genindex.html", "py-modindex.html", "index.html"}


def toc_pages() -> list[str]:
    """The HTML page of every entry of _toc.yml, in reading order (e.g. ``chapters/01_x.html``)."""
    return [str(Path(f).with_suffix(".html")).replace("\\", "/") for f in toc_files(ROOT / "_toc.yml")]


def built_pages() -> list[str]:
    """Every content page of the built site (empty if the book is not built)."""
    if not SITE.is_dir():
        return []
    pages = []
    for path in sorted(SITE.rglob("*.html")):
        rel = path.relative_to(SITE).as_posix()
        if rel.split("/")[0] in {"_static", "_sources", "_images", "_downloads"} or rel in NOT_CONTENT:
            continue
        pages.append(rel)
    return pages


def book_pages() -> list[str]:
    pages = toc_pages()
    return pages + [p for p in built_pages() if p not in pages]

