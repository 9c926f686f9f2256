"""Every chapter reads in JupyterLab as in the book: no raw MyST or LaTeX is left in any markdown cell.

jupyterlab-myst renders dropdowns (collapsed), admonitions, math, ``{ref}`` and ``{doc}`` links; what it
cannot resolve inside one notebook must still show words, never a bare label or file name. (Citations
show their key, e.g. ``kingma2015``: jupyterlab-myst reads no bibliography; the book's appendix lists them.)
"""

from __future__ import annotations

import re

import pytest
from lab_session import ROOT, LabServer, chapter_notebooks, open_notebook, raw_myst, unresolved_citations, watch_page

BIB_KEYS = set(re.findall(r"^@\w+\{([^,\s]+),", (ROOT / "references.bib").read_text(encoding="utf-8"), re.M))


@pytest.fixture(scope="module")
def reading_page(browser, lab):
    """One page for all the chapters: each is opened in the same JupyterLab, as a reader moves on."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.nnmath_log = watch_page(page, lab.base_url)
    try:
        yield page
    finally:
        page.close()
        lab.shutdown_kernels()


@pytest.mark.parametrize("notebook", chapter_notebooks(), ids=lambda p: p.stem)
def test_no_raw_myst_in_jupyterlab(reading_page, lab, notebook):
    open_notebook(reading_page, lab, notebook.name, wait_kernel=False)
    problems = raw_myst(reading_page)
    assert not problems, f"{notebook.name} shows raw markup in JupyterLab:\n" + "\n".join(problems)
    # a citation shows its key, which the bibliography (the book's appendix) lists
    unknown = sorted(set(unresolved_citations(reading_page)) - BIB_KEYS)
    assert not unknown, f"{notebook.name}: citations shown with keys missing from references.bib: {unknown}"
    assert not reading_page.nnmath_log.external, f"requests off 127.0.0.1: {reading_page.nnmath_log.external}"


def test_the_check_sees_raw_myst_without_jupyterlab_myst(browser):
    """The same check on a JupyterLab without the extension finds the dropdowns, roles and labels."""
    chapter = next(p for p in chapter_notebooks() if p.name.startswith("05_"))
    with LabServer([chapter], windowing="none", disabled_extensions=["jupyterlab-myst"]) as plain:
        page = browser.new_page()
        try:
            open_notebook(page, plain, chapter.name, wait_kernel=False)
            problems = "\n".join(raw_myst(page))
        finally:
            page.close()
            plain.shutdown_kernels()
    for what in (":::", "{cite}", "(label)=", "directive fence"):
        assert what in problems, f"without jupyterlab-myst the check should report {what!r}:\n{problems[:2000]}"
