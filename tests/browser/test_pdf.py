"""The PDF of the book (`make pdf`, _build/pdf/book.pdf), read back with poppler's tools.

Every chapter and appendix of _toc.yml is in it, under its title, and is a top-level bookmark; no raw TeX is
left in its text (MathJax typeset every formula before printing); every dropdown (solutions) is printed open;
it embeds at least the figures the single page shows; a few pages rendered to PNG (``pdftoppm``) are not blank.
`make test` builds the PDF before these run; on their own: `make pdf`, then `pytest tests/browser/test_pdf.py`.
"""

from __future__ import annotations

import html.parser
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from book_site import ROOT, toc_pages
from PIL import Image
from test_book import RAW_TEX

PDF = ROOT / "_build" / "pdf" / "book.pdf"
SINGLE_PAGE = ROOT / "_build" / "singlehtml"
POPPLER = ("pdfinfo", "pdftotext", "pdftoppm", "pdftohtml", "pdfimages")


def _words(text: str) -> str:
    return " ".join(text.split())


def _title(page: str) -> str:
    """The first heading of a page's source (notebook or Markdown), as the book prints it."""
    source = ROOT / Path(page).with_suffix(".ipynb")
    if source.is_file():
        cells = json.loads(source.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    else:
        text = (ROOT / Path(page).with_suffix(".md")).read_text(encoding="utf-8")
    heading = next(line for line in text.splitlines() if line.startswith("# "))
    title = re.sub(r"`([^`]*)`", r"\1", heading[2:])  # inline code prints as its text
    return _words(re.sub(r"\{[a-z]+\}|\[([^\]]*)\]\([^)]*\)", r"\1", title))


@pytest.fixture(scope="module")
def pdf() -> Path:
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"poppler-utils is missing ({', '.join(missing)}): apt-get install poppler-utils", pytrace=False)
    if not PDF.is_file():
        pytest.fail(f"{PDF} is missing: run `make pdf` first.", pytrace=False)
    return PDF


@pytest.fixture(scope="module")
def text(pdf) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture(scope="module")
def outline(pdf) -> list[tuple[int, int, str]]:
    """The bookmarks as (depth, page, title), from pdftohtml's XML (depth 0: the top level)."""
    xml = subprocess.run(["pdftohtml", "-xml", "-stdout", "-i", "-q", "-f", "1", "-l", "1", str(pdf)],
                         check=True, capture_output=True, text=True).stdout
    start, end = xml.find("<outline>"), xml.rfind("</outline>")
    assert start >= 0, "the PDF has no bookmarks"
    items, depth = [], -1
    for match in re.finditer(r"<outline>|</outline>|<item page=\"(\d+)\">([^<]*)", xml[start:end + 10]):
        if match.group(0) == "<outline>":
            depth += 1
        elif match.group(0) == "</outline>":
            depth -= 1
        else:
            items.append((depth, int(match.group(1)), _words(html.unescape(match.group(2)))))
    return items


def test_it_is_a_printed_book(pdf):
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert pages >= 3 * len(toc_pages()), f"only {pages} pages for {len(toc_pages())} chapters and appendices"
    assert re.search(r"^Page size:\s+59[45](\.\d+)? x 841(\.\d+)? pts \(A4\)", info, re.M), info


def test_every_chapter_is_in_it_under_its_title(text):
    flat = _words(text)
    missing = [title for title in map(_title, toc_pages()) if title not in flat]
    assert not missing, f"chapter titles not in the PDF's text: {missing}"


def test_every_chapter_is_a_top_level_bookmark(outline):
    top = [title for depth, _, title in outline if depth == 0]
    missing = [title for title in map(_title, toc_pages()) if not any(title in t for t in top)]
    assert not missing, f"no top-level bookmark for {missing}; top level: {top}"
    pages = [page for depth, page, _ in outline if depth == 0]
    assert pages == sorted(pages), "bookmarks out of reading order"
    assert any(depth == 1 for depth, _, _ in outline), "sections are not bookmarked under their chapter"


def test_no_raw_tex_is_left(text):
    found = [text[max(m.start() - 40, 0):m.end() + 40] for m in RAW_TEX.finditer(text)]
    assert not found, "raw TeX in the PDF: " + " | ".join(_words(f) for f in found[:5])


class _Dropdowns(html.parser.HTMLParser):
    """The text of every dropdown's body (sphinx-design ``sd-summary-content``) in the single page."""

    def __init__(self):
        super().__init__()
        self.bodies: list[str] = []
        self._depth = 0  # <div> nesting inside the current body (0: outside)

    def handle_starttag(self, tag, attrs):
        if tag != "div":
            return
        if self._depth:
            self._depth += 1
        elif "sd-summary-content" in (dict(attrs).get("class") or ""):
            self._depth = 1
            self.bodies.append("")

    def handle_endtag(self, tag):
        if tag == "div" and self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.bodies[-1] += data


def test_every_dropdown_is_printed_open(text):
    page = SINGLE_PAGE / Path(toc_pages()[0]).name
    parser = _Dropdowns()
    parser.feed(page.read_text(encoding="utf-8"))
    assert parser.bodies, "no dropdown found in the single page"
    flat = _words(text).replace("\u2019", "'")
    closed = []
    for body in parser.bodies:
        # Runs of plain words (no TeX, no code punctuation): a dropdown printed closed leaves none of them in the
        # PDF's text. Not every run must be found as it is: pdftotext may put a subscript of the line above into
        # a run broken across lines ("Adding i b adds").
        runs = [r for r in re.findall(r"(?:[A-Za-z,;']+ ){5,}[A-Za-z,;']+", _words(body).replace("\u2019", "'"))]
        if runs and not any(run in flat for run in runs):
            closed.append(max(runs, key=len))
    assert not closed, f"{len(closed)} of {len(parser.bodies)} dropdowns not printed open, e.g. {closed[:3]}"


def test_it_embeds_the_figures(pdf):
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True).stdout
    images = len(listing.splitlines()) - 2
    figures = (SINGLE_PAGE / Path(toc_pages()[0]).name).read_text(encoding="utf-8").count("<img ")
    assert images >= figures, f"{images} images in the PDF, {figures} in the page"


def test_pages_render(pdf, outline, tmp_path):
    """The first page, and the first page of the first and the last chapter, rendered at 40 dpi: not blank."""
    top = [page for depth, page, _ in outline if depth == 0]
    for number in sorted({1, top[1] if len(top) > 1 else 1, top[-1]}):
        prefix = tmp_path / f"page-{number}"
        subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", "-f", str(number), "-l", str(number),
                        str(pdf), str(prefix)], check=True)
        with Image.open(f"{prefix}.png") as image:
            grey = image.convert("L")
            histogram = grey.histogram()  # pixels per grey level
            inked = sum(histogram[:200]) / (grey.width * grey.height)
        assert inked > 0.005, f"page {number} is blank ({inked:.2%} inked)"
