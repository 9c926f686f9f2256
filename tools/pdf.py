"""Print the single-page build of the book (_build/singlehtml) to one PDF with Chromium (`make pdf`).

`make pdf` executes the notebooks (tools/execute.py), builds the book with Sphinx's ``singlehtml`` builder
(every chapter and appendix in one page, cross-references as in-page links), then runs this script: it
serves that page on 127.0.0.1, opens it in Debian's headless Chromium through Playwright (no browser is
downloaded, no other host is reached), waits until MathJax has typeset every formula and every widget has
drawn its saved state, prepares the page for paper and prints it with ``page.pdf``:

* a title page and a list of the chapters (links into the PDF); each part of _toc.yml opens with its name;
* each chapter and appendix starts a new page and is a top-level bookmark (its sections below it);
* every dropdown (solutions, "why it works") is printed open, right after its exercise;
* code cells the book hides (``hide-input``, ``hide-cell``) stay hidden, their toggles are left out;
* the theme's navigation, buttons and heading anchors are left out; page numbers in the footer.

Widgets print as the picture they show on the page: the saved ipywidgets state rendered by the widget
manager, and the kernel-free widgets' canvases in their initial state.

Usage: python tools/pdf.py [--out _build/pdf/book.pdf]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from chromium import CHROMIUM, CHROMIUM_ARGS, served  # noqa: E402  (tools/ is not a package)

SITE = ROOT / "_build" / "singlehtml"
OUT = ROOT / "_build" / "pdf" / "book.pdf"
TIMEOUT_MS = 120_000

WAIT_JS = """async () => {
    const mj = window.MathJax;
    if (mj && mj.startup && mj.startup.promise) { await mj.startup.promise; }
    const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]');
    const areas = document.querySelectorAll('.widget-subarea');
    const widgets = areas.length >= views.length
        && Array.from(areas).every(a => a.querySelector('.jupyter-widgets'));
    const statics = Array.from(document.querySelectorAll('.nnmath-static'))
        .every(r => r.dataset.mounted === 'true');
    return widgets && statics;
}"""

# Run in the page once everything is drawn: arguments are the book's title, author and the part captions.
PREPARE_JS = r"""([title, author, parts]) => {
    const main = document.querySelector('main') || document.body;
    const article = document.querySelector('article.bd-article') || main;
    // Every included document (chapter or appendix): <span id="document-NAME"></span><section>...</section>.
    const docs = Array.from(document.querySelectorAll('span[id^="document-"]'))
        .map(span => [span.id.slice('document-'.length), span.nextElementSibling])
        .filter(([, section]) => section && section.tagName === 'SECTION');
    // Headings one level up inside each included document, so that each chapter is an h1 (a top bookmark).
    for (const [, section] of docs) {
        for (const heading of Array.from(section.querySelectorAll('h2, h3, h4, h5, h6'))) {
            const level = Number(heading.tagName[1]) - 1;
            const promoted = document.createElement('h' + level);
            for (const attr of heading.attributes) { promoted.setAttribute(attr.name, attr.value); }
            while (heading.firstChild) { promoted.appendChild(heading.firstChild); }
            heading.replaceWith(promoted);
        }
        section.classList.add('pdf-document');
    }
    // Headings keep their spaces in print (see PRINT_CSS): no other white space in them.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
        acceptNode: n => n.parentElement.closest('h1, h2, h3, h4, h5, h6') ? NodeFilter.FILTER_ACCEPT
                                                                          : NodeFilter.FILTER_REJECT});
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        node.textContent = node.textContent.replace(/\s+/g, ' ');
    }
    // The part captions of _toc.yml, before the first document of each part.
    for (const [docname, caption] of Object.entries(parts)) {
        const span = document.getElementById('document-' + docname);
        if (!span) { continue; }
        const part = document.createElement('div');
        part.className = 'pdf-part';
        part.textContent = caption;
        span.before(part);
    }
    // Title page and the list of chapters (in-document links).
    const front = document.createElement('div');
    front.className = 'pdf-front';
    const heading = document.createElement('div');
    heading.className = 'pdf-title';
    heading.textContent = title;
    const by = document.createElement('div');
    by.className = 'pdf-author';
    by.textContent = author;
    const contents = document.createElement('ol');
    contents.className = 'pdf-contents';
    const preface = article.querySelector('h1');
    for (const h1 of [preface, ...docs.map(([, section]) => section.querySelector('h1'))]) {
        if (!h1) { continue; }
        const item = document.createElement('li');
        const link = document.createElement('a');
        const anchor = h1.closest('section');
        link.href = '#' + (anchor ? anchor.id : '');
        link.textContent = h1.textContent.replace(/#$/, '').trim();
        item.appendChild(link);
        contents.appendChild(item);
    }
    front.append(heading, by, contents);
    article.prepend(front);
    // Dropdowns (solutions, "why it works") print open; the code the book hides stays hidden.
    document.querySelectorAll('details.sd-dropdown').forEach(d => { d.open = true; });
    document.querySelectorAll('details.hide').forEach(d => d.remove());
    document.querySelectorAll('.toggle-hidden').forEach(d => d.classList.remove('toggle-hidden'));
    return docs.length;
}"""

PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
html { font-size: 13px; }
.bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-header-article, .bd-footer,
.bd-footer-article, .bd-footer-content, .prev-next-area, .headerlink, .copybtn, .header-article-items,
.search-button-field, #pst-skip-link, .skip-link, .pst-scrollable-table-container::-webkit-scrollbar,
.sd-summary-state-marker, .toggle-button, #rtd-footer-container, #jb-print-docs-body,
.onlyprint { display: none !important; }
/* The theme prints one page's title in its own header and hides the page's first h1: a book shows them all. */
.bd-main .bd-content .bd-article h1:first-of-type { display: block !important; }
body { display: block !important; }
.bd-main, .bd-content, .bd-article-container, .bd-page-width, .bd-container, .bd-container__inner,
.bd-article { max-width: none !important; width: auto !important; margin: 0 !important;
              padding: 0 !important; overflow: visible !important; display: block !important; }
.pdf-front { break-after: page; padding-top: 30%; text-align: center; }
.pdf-title { font-size: 2.6rem; font-weight: 700; line-height: 1.2; }
.pdf-author { font-size: 1.3rem; margin: 1rem 0 4rem; }
.pdf-contents { text-align: left; display: inline-block; font-size: 1.1rem; }
.pdf-part { break-before: page; padding-top: 40%; text-align: center; font-size: 2rem; font-weight: 600; }
section.pdf-document { break-before: page; }
.pdf-part + span + section.pdf-document { break-before: avoid; }
/* Bookmarks are the headings' painted text. A heading's top margin cut at a page break makes Chromium paint
   (and name) its first line twice, and a line wrapped at a space loses the space: pad, and keep spaces. */
h1, h2, h3, h4, h5, h6 { margin-top: 0 !important; padding-top: 0.8em; white-space: break-spaces;
                         break-after: avoid !important; break-inside: avoid; }
img, canvas, figure, .cell_output, .jupyter-widgets, .nnmath-static, mjx-container[display="true"],
table, pre { break-inside: avoid; }
img, canvas { max-width: 100% !important; height: auto !important; }
details.sd-dropdown > summary { break-after: avoid; }
pre { white-space: pre-wrap !important; word-break: break-word; }
"""

FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#555;">'
          '<span class="pageNumber"></span></div>')


def parts_by_first_document(toc_path: Path) -> dict[str, str]:
    """{docname of a part's first chapter: the part's caption} from _toc.yml (jb-book format)."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    parts = {}
    for part in toc.get("parts", []):
        chapters = part.get("chapters") or []
        if part.get("caption") and chapters and "file" in chapters[0]:
            parts[str(Path(chapters[0]["file"]).with_suffix("")).replace("\\", "/")] = part["caption"]
    return parts


def _root_page(site: Path) -> str:
    """The page singlehtml writes (the root document: ``root`` of _toc.yml, e.g. ``intro.html``)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    page = Path(toc["root"]).with_suffix(".html").as_posix()
    if not (site / page).is_file():
        sys.exit(f"pdf: {site / page} is missing: build the single page first "
                 "(jupyter-book build . --builder singlehtml, which `make pdf` runs).")
    return page


def print_book(site: Path = SITE, out: Path = OUT) -> Path:
    from playwright.sync_api import sync_playwright

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    parts = parts_by_first_document(ROOT / "_toc.yml")
    if not CHROMIUM.exists():
        sys.exit(f"pdf: {CHROMIUM} is missing (Debian: apt-get install chromium).")
    out.parent.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    start = time.perf_counter()
    with served(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1100, "height": 1400})

            def route(r):
                url = urlparse(r.request.url)
                if url.hostname in {"127.0.0.1", None} and url.path == "/searchindex.js":
                    r.fulfill(body="", content_type="text/javascript")  # the theme asks; singlehtml has none
                elif url.hostname in {"127.0.0.1", None}:
                    r.continue_()
                else:
                    problems.append(f"request to another host blocked: {r.request.url}")
                    r.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.on("pageerror", lambda error: problems.append(f"uncaught exception: {error}"))
            page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status} {r.url}"))
            page.goto(base + _root_page(site), wait_until="load", timeout=TIMEOUT_MS)
            page.wait_for_function(WAIT_JS, timeout=TIMEOUT_MS, polling=500)
            page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
            documents = page.evaluate(PREPARE_JS, [config.get("title", ""), config.get("author", ""), parts])
            page.add_style_tag(content=PRINT_CSS)
            page.evaluate("async () => { await document.fonts.ready; "
                          "if (window.MathJax && MathJax.startup) { await MathJax.startup.promise; } }")
            page.pdf(path=str(out), format="A4", print_background=True, prefer_css_page_size=True,
                     display_header_footer=True, header_template="<span></span>", footer_template=FOOTER,
                     outline=True, tagged=True)
        finally:
            browser.close()
    if problems:
        sys.exit("pdf: the page did not print cleanly:\n  " + "\n  ".join(problems[:20]))
    size = out.stat().st_size
    print(f"pdf: {out.relative_to(ROOT)} ({documents} chapters and appendices, {size / 1e6:.1f} MB, "
          f"printed in {time.perf_counter() - start:.0f} s)")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=SITE, help="the singlehtml build (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=OUT, help="the PDF to write (default: %(default)s)")
    args = parser.parse_args()
    print_book(args.site.resolve(), args.out.resolve())


if __name__ == "__main__":
    main()
