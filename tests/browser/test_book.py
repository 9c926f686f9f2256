"""The built HTML book, page by page, in a real browser with no network.

For every page of the book: no console error and no uncaught exception; no request leaves 127.0.0.1
(such requests are also aborted, so the test cannot pass by reaching the network); every formula is
typeset by MathJax and no raw TeX is left in the text; every image is decoded and described by its alt text
(at least four words, not a file name: ``nnmath.plots.describe``, ``_ext/figure_alt.py``); every saved widget is
rendered by the widget manager. A full-page screenshot of each page is written to _build/screenshots/.

Run after `make book` with `pytest tests/browser` (or `make test`, which runs everything in order).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from book_site import CHROMIUM, book_pages, built_pages, toc_pages

LOCAL_HOST = "127.0.0.1"
LOAD_TIMEOUT_MS = 60_000
SCREENSHOT_TIMEOUT_MS = 180_000
WIDGET_VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]'
WIDGET_STATE = 'script[type="application/vnd.jupyter.widget-state+json"]'
# TeX that MathJax did not typeset: its delimiters, or common commands outside a formula.
RAW_TEX = re.compile(
    r"\\\(|\\\)|\\\[|\\\]|\$\$|\$\\[A-Za-z]"
    r"|\\(?:frac|mathbf|sigma|sum|partial|cdot|nabla|eta|odot|top|begin|operatorname)(?![A-Za-z])"
)
# reStructuredText that reached the page as text (e.g. a docstring parsed as Markdown).
RAW_RST = re.compile(r"\.\. [a-z]+(?::[a-z]+)?::|:(?:math|func|class|mod|data|meth|attr|doc|ref|cite):")

# Text of the page as a reader sees it, leaving out code (which may legitimately hold "$" or "\(")
# and the typeset formulas themselves.
VISIBLE_TEXT_JS = """() => {
    const clone = document.body.cloneNode(true);
    clone.querySelectorAll('pre, code, script, style, mjx-container, textarea, .highlight')
         .forEach(el => el.remove());
    return clone.textContent;
}"""

# Make every image load (none lazily) and report those the browser could not decode.
BROKEN_IMAGES_JS = """async () => {
    const images = Array.from(document.images);
    images.forEach(img => { img.loading = 'eager'; });
    await Promise.all(images.map(img => img.decode().catch(() => null)));
    return images.filter(img => !(img.complete && img.naturalWidth > 0))
                 .map(img => img.currentSrc || img.src || img.outerHTML.slice(0, 120));
}"""

# Images of the page's content whose alt text does not describe them: missing, a file name, or under four words.
UNDESCRIBED_IMAGES_JS = """() => {
    const fileName = /^\\S*\\.(png|jpe?g|gif|svg|webp)$/i;
    return Array.from(document.querySelectorAll('.bd-article img, article img'))
        .filter(img => {
            const alt = (img.getAttribute('alt') || '').trim();
            return fileName.test(alt) || alt.split(/\\s+/).filter(Boolean).length < 4;
        })
        .map(img => (img.getAttribute('src') || '').slice(-60) + ' alt=' + JSON.stringify(img.getAttribute('alt')));
}"""

# Wait for MathJax 3's first typeset pass (and anything queued after it) to finish.
MATHJAX_DONE_JS = """async () => {
    const mj = window.MathJax;
    if (mj && mj.startup && mj.startup.promise) { await mj.startup.promise; }
    return true;
}"""

WIDGETS_RENDERED_JS = f"""() => {{
    const views = document.querySelectorAll('{WIDGET_VIEW}');
    const areas = document.querySelectorAll('.widget-subarea');
    return areas.length >= views.length
        && Array.from(areas).every(a => a.querySelector('.jupyter-widgets'));
}}"""


class PageRecord:
    """What a page did while it loaded: console errors, exceptions, requests and failed responses."""

    def __init__(self) -> None:
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.external_requests: list[str] = []
        self.failed: list[str] = []

    def attach(self, context, page) -> None:
        context.route("**/*", self._route)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("request", self._request)
        page.on("response", self._response)

    @staticmethod
    def _is_external(url: str) -> bool:
        parsed = urlparse(url)
        return parsed.scheme not in {"data", "blob", "about"} and parsed.hostname != LOCAL_HOST

    def _route(self, route) -> None:
        if self._is_external(route.request.url):
            route.abort()
        else:
            route.continue_()

    def _console(self, message) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            self.console_errors.append(f"{message.text} ({where})")

    def _request(self, request) -> None:
        if self._is_external(request.url):
            self.external_requests.append(request.url)

    def _response(self, response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")


def _screenshot_path(screenshots: Path, page_path: str) -> Path:
    path = screenshots / Path(page_path).with_suffix(".png")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def test_chromium_is_installed():
    assert CHROMIUM.exists(), (
        f"{CHROMIUM} is missing: install Debian's chromium (`apt-get install chromium`). "
        "The browser tests use it and never download a browser of their own."
    )


def test_every_toc_entry_is_built(site):
    missing = [page for page in toc_pages() if not (site / page).is_file()]
    assert not missing, f"pages listed in _toc.yml but not built: {missing}"
    extra = [page for page in built_pages() if page not in toc_pages()]
    assert not extra, f"pages built that are not in _toc.yml: {extra}"


def test_index_redirects_to_the_preface(browser, base_url):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base_url + "index.html")
        page.wait_for_url(re.compile(r"/intro\.html$"), timeout=LOAD_TIMEOUT_MS)
    finally:
        context.close()


@pytest.mark.parametrize("page_path", book_pages(), ids=lambda p: p.removesuffix(".html"))
def test_page(page_path, site, base_url, browser, screenshots):
    html = (site / page_path).read_text(encoding="utf-8")
    record = PageRecord()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        record.attach(context, page)
        page.goto(base_url + page_path, wait_until="load", timeout=LOAD_TIMEOUT_MS)
        page.evaluate(MATHJAX_DONE_JS)

        widget_problems = _check_widgets(page, html)
        page.evaluate(MATHJAX_DONE_JS)  # widget labels may have queued more typesetting
        math_problems = _check_math(page)
        broken_images = page.evaluate(BROKEN_IMAGES_JS)
        undescribed_images = page.evaluate(UNDESCRIBED_IMAGES_JS)
        page.wait_for_load_state("networkidle", timeout=LOAD_TIMEOUT_MS)
        # the API reference is ~150,000 pixels tall: on a busy machine its full-page screenshot takes tens of seconds
        page.screenshot(path=str(_screenshot_path(screenshots, page_path)), full_page=True,
                        timeout=SCREENSHOT_TIMEOUT_MS)
    finally:
        context.close()

    problems = {
        "console errors": record.console_errors,
        "uncaught exceptions": record.page_errors,
        "requests to other hosts than 127.0.0.1": record.external_requests,
        "failed responses": record.failed,
        "math": math_problems,
        "images not decoded": broken_images,
        "images without a description (nnmath.plots.describe)": undescribed_images,
        "widgets": widget_problems,
    }
    problems = {name: _first(found) for name, found in problems.items() if found}
    assert not problems, f"{page_path}:\n" + json.dumps(problems, indent=2)


def _first(found: list[str], limit: int = 10) -> list[str]:
    return found if len(found) <= limit else found[:limit] + [f"... and {len(found) - limit} more"]


def _check_math(page) -> list[str]:
    problems = []
    total = page.locator("span.math, div.math").count()
    typeset = page.locator("span.math:has(mjx-container), div.math:has(mjx-container)").count()
    if typeset < total:
        problems.append(f"{total - typeset} of {total} formulas not typeset by MathJax")
    errors = page.locator("mjx-merror").count()
    if errors:
        problems.append(f"{errors} formulas with TeX errors (mjx-merror)")
    text = page.evaluate(VISIBLE_TEXT_JS)
    for match in RAW_TEX.finditer(text):
        start = max(match.start() - 40, 0)
        problems.append("raw TeX in the text: ..." + " ".join(text[start:match.end() + 40].split()) + "...")
    for match in RAW_RST.finditer(text):
        start = max(match.start() - 40, 0)
        problems.append("raw reST in the text: ..." + " ".join(text[start:match.end() + 40].split()) + "...")
    return problems


#: ipywidgets controls: in the static book none may be left, since with no kernel they would move nothing (every
#: widget of the book is an ``nnmath.widgets`` figure with its own kernel-free controls).
INERT_CONTROLS = (".widget-slider, .widget-dropdown, .widget-checkbox, .widget-toggle-buttons, .widget-radio, "
                  ".widget-text, .widget-button, .widget-select")


def _check_widgets(page, html: str) -> list[str]:
    """Every widget view saved in the page (a progress bar, say) is rendered from the saved state, and no ipywidgets
    control is left that would need a kernel."""
    views = page.locator(WIDGET_VIEW).count()
    if not views:
        return []
    problems = []
    state: dict = {}
    for text in page.locator(WIDGET_STATE).all_text_contents():
        state.update(json.loads(text).get("state", {}))
    for text in page.locator(WIDGET_VIEW).all_text_contents():
        model_id = json.loads(text)["model_id"]
        if model_id not in state:
            problems.append(f"widget {model_id} has no saved state (was the notebook executed by the build?)")
    try:
        page.wait_for_function(WIDGETS_RENDERED_JS, timeout=LOAD_TIMEOUT_MS)
    except Exception as error:  # playwright's TimeoutError; report it with the rest
        problems.append(f"widget manager did not render all {views} widgets: {error}")
        return problems
    page.wait_for_load_state("networkidle", timeout=LOAD_TIMEOUT_MS)
    hidden = [i for i, area in enumerate(page.locator(".widget-subarea").all()) if not area.is_visible()]
    if hidden:
        problems.append(f"widget areas not visible: {hidden}")
    if "Loading widget" in page.evaluate(VISIBLE_TEXT_JS):
        problems.append('"Loading widget" text left on the page')
    inert = page.locator(INERT_CONTROLS).count()
    if inert:
        problems.append(f"{inert} ipywidgets controls that need a kernel (they would move nothing here)")
    return problems
