"""Where the built book is and which pages it has (shared by conftest.py and test_book.py)."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Generated pages that are not part of the book's reading order.
NOT_CONTENT = {"search.html", "genindex.html", "py-modindex.html", "index.html"}


def toc_pages() -> list[str]:
    """The HTML page of every entry of _toc.yml, in reading order (e.g. ``chapters/01_x.html``)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return [str(Path(f).with_suffix(".html")).replace("\\", "/") for f in files]


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
