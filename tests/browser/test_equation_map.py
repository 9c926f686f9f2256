"""Chapter 10's map of the book as the reader gets it: one row per numbered equation, every link lands.

``tests/test_book_map.py`` holds the sources to the map; this test holds the built page to the sources: the
table of ``chapters/10_conclusion.html`` has a row for every labelled equation of the chapters, in reading order,
each with its number, and every link in it (to the equation in its chapter, to a function's entry in the API
reference) points at an element that exists on the page it names. In Chromium, following the first equation's
link shows that equation.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = "chapters/10_conclusion.html"
LOAD_TIMEOUT_MS = 120_000


def _book_map():
    if "book_map" not in sys.modules:  # the name _ext/equation_map.py loads it under, too
        spec = importlib.util.spec_from_file_location("book_map", ROOT / "tools" / "book_map.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["book_map"] = module
        spec.loader.exec_module(module)
    return sys.modules["book_map"].build_map(ROOT)


class _MapTable(HTMLParser):
    """The equations of ``table.equation-map`` (its number, then the text of its rows) and the table's links.

    Each equation is a row with its number and formula (class ``equation-map-formula``), then a row per function
    that computes it (the section, the function, its tests)."""

    def __init__(self):
        super().__init__()
        self.depth = 0          # >0 inside the map's table
        self.in_body = False
        self.equations: list[list[str]] = []   # per equation: its number, then the text of its rows
        self.links: list[str] = []
        self._number = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and ("equation-map" in (attrs.get("class") or "").split() or self.depth):
            self.depth += 1
        if not self.depth:
            return
        if tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            if "equation-map-formula" in (attrs.get("class") or "").split():
                self.equations.append([""])
                self._number = True
            elif self.equations:
                self.equations[-1].append("")
        elif tag == "td" and self._number and len(self.equations[-1][0]):
            self._number = False
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if self.depth and tag == "table":
            self.depth -= 1
        elif tag == "tbody":
            self.in_body = False

    def handle_data(self, data):
        if self.depth and self.in_body and self.equations:
            if self._number:
                self.equations[-1][0] += data
            elif len(self.equations[-1]) > 1:
                self.equations[-1][-1] += data


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


def test_the_page_has_a_row_for_every_numbered_equation(site):
    table = _MapTable()
    table.feed((site / PAGE).read_text(encoding="utf-8"))
    the_map = _book_map()
    assert the_map.rows, "the chapters have no labelled equation"
    assert len(table.equations) == len(the_map.rows), \
        f"{len(table.equations)} equations on the page, {len(the_map.rows)} numbered equations in the chapters"
    numbers = [re.fullmatch(r"\s*\((\d+)\.(\d+)\)\s*", equation[0]) for equation in table.equations]
    assert all(numbers), [equation[0] for equation, m in zip(table.equations, numbers) if not m]
    keys = [(int(m.group(1)), int(m.group(2))) for m in numbers]
    assert keys == sorted(keys) and len(set(keys)) == len(keys), f"equation numbers out of order: {keys}"
    for equation, row in zip(table.equations, the_map.rows):
        assert len(equation) - 1 == len(row.functions), f"{row.equation.label}: a row per function"
        for text, function in zip(equation[1:], row.functions):
            assert function.name in "".join(text.split()), f"{row.equation.label}: {function.name} not in {text!r}"


def test_every_link_of_the_map_lands_on_an_element(site):
    table = _MapTable()
    table.feed((site / PAGE).read_text(encoding="utf-8"))
    assert table.links
    pages: dict[Path, set[str]] = {}
    broken = []
    for href in table.links:
        target, _, anchor = href.partition("#")
        path = ((site / PAGE).parent / target).resolve() if target else (site / PAGE)
        if path not in pages:
            pages[path] = _ids(path.read_text(encoding="utf-8")) if path.is_file() else set()
        if not path.is_file() or (anchor and anchor not in pages[path]):
            broken.append(href)
    assert not broken, f"links of the map that land nowhere: {broken}"


def test_following_an_equation_link_shows_the_equation(site, base_url, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(base_url + PAGE, wait_until="load", timeout=LOAD_TIMEOUT_MS)
        link = page.locator("table.equation-map tbody tr").first.locator("a[href*='#equation-']").first
        href = link.get_attribute("href")
        link.click()
        anchor = href.partition("#")[2]
        page.wait_for_url(re.compile(re.escape(anchor) + "$"), timeout=LOAD_TIMEOUT_MS)
        target = page.locator(f"[id='{anchor}']")
        target.wait_for(state="visible", timeout=LOAD_TIMEOUT_MS)
        box = target.bounding_box()
        assert box is not None and 0 <= box["y"] < 900, f"{anchor} is not in view after following the link: {box}"
    finally:
        context.close()
