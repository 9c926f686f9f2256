"""Sphinx extension: the map of the book, generated from its sources every time the book is built.

``tools/book_map.py`` reads the chapters' labelled equations, the ``Book:`` lines of the ``nnmath`` docstrings
and the tests; this extension draws what it finds, so the map is never stored and never stale:

* the directive ``equation-map`` (chapter 10) becomes a table, one row per numbered equation in reading order:
  its number and formula (a link to the equation), the section that derives it (a link to the equation in its
  chapter), the functions that compute it (links to their entries in ``appendix/api.md``) and the tests that
  exercise each of them. Every problem the map has (an equation no function computes, a function no test
  exercises, ...) is a build warning, so ``make book`` (``-W``) fails on it as ``tests/test_book_map.py`` does.
  The page depends on every file read, so an incremental build redraws it when any of them changes.
* in the API reference, a docstring's ``Book: eq-name.`` line becomes "In the book: (1.1)." with a link to
  the equation.

The sections are found after every page has been read (``doctree-resolved``): the equation's enclosing sections
in its chapter's doctree, numbered as the table of contents numbers them.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)
TOOL = "book_map"          # tools/book_map.py, loaded under this module name
MAX_TESTS = 3              # tests listed per function; the rest are counted


def load_tool():
    """``tools/book_map.py`` beside this extension (the same module the tests load), whichever book it reads."""
    if TOOL not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "tools" / "book_map.py"
        spec = importlib.util.spec_from_file_location(TOOL, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[TOOL] = module  # before exec_module: its dataclasses look their module up
        spec.loader.exec_module(module)
    return sys.modules[TOOL]


class map_section(nodes.General, nodes.Inline, nodes.Element):
    """Placeholder for "the section that derives equation ``label``", resolved once every page is read."""


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + "s" * (n != 1)


def _text_cell(*children) -> nodes.entry:
    return nodes.entry("", nodes.paragraph("", "", *children))


class EquationMap(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        tool = load_tool()
        book_map = tool.build_map(Path(self.env.srcdir), package=self.config.equation_map_package)
        for path in book_map.sources:
            self.env.note_dependency(str(path))
        for problem in book_map.problems:
            logger.warning(f"map of the book: {problem}", location=(self.env.docname, self.lineno),
                           type="book_map", subtype=problem.kind)

        functions = {fn.name for row in book_map.rows for fn in row.functions}
        tests = {test for row in book_map.rows for ids in row.tests.values() for test in ids}
        chapters = {row.equation.path for row in book_map.rows}
        summary = nodes.paragraph("", "", nodes.Text(
            f"The map below holds {_count(len(book_map.rows), 'numbered equation')} from "
            f"{_count(len(chapters), 'chapter')}, computed by {_count(len(functions), 'function')} of "),
            nodes.literal(text="nnmath"), nodes.Text(f" and exercised by {_count(len(tests), 'test')}."))

        table = nodes.table(classes=["equation-map", "colwidths-given"])  # styled by assets/equation-map.css
        group = nodes.tgroup(cols=4)
        table += group
        for width in (12, 22, 28, 38):
            group += nodes.colspec(colwidth=width)
        head = nodes.row()
        for title in ("Equation", "Derived in", "Computed by", "Exercised by"):
            head += nodes.entry("", nodes.paragraph(text=title))
        group += nodes.thead("", head)
        body = nodes.tbody()
        group += body
        for row in book_map.rows:
            body += self._rows(row)
        return [summary, table]

    def _rows(self, row) -> list[nodes.row]:
        """The equation's number beside its formula, and below the formula one line per function."""
        eq = row.equation
        functions = row.functions or [None]
        ref = addnodes.pending_xref("", nodes.literal(text=eq.label), refdomain="math", reftype="eq",
                                    reftarget=eq.label, refexplicit=False, refwarn=True, refdoc=self.env.docname)
        # the sentence's punctuation stays in the chapter, and the wide spaces between parts narrow a little
        tex = re.sub(r"[\s.,;]+$", "", eq.tex).replace(r"\qquad", r"\quad")
        formula = nodes.math_block(tex, tex, nowrap=False, number=None, label=None, docname=self.env.docname)
        top = nodes.row(classes=["equation-map-formula"])
        top += nodes.entry("", nodes.paragraph("", "", ref), morerows=len(functions))
        top += nodes.entry("", formula, morecols=2)
        rows = [top]
        for i, fn in enumerate(functions):
            line = nodes.row()
            if i == 0:
                section = map_section(label=eq.label, docname=eq.docname, fallback=" › ".join(eq.sections))
                spans = {"morerows": len(functions) - 1} if len(functions) > 1 else {}
                line += nodes.entry("", nodes.paragraph("", "", section), **spans)
            line += self._function_cell(fn)
            line += self._tests_cell(row.tests.get(fn.name, []) if fn else [])
            rows.append(line)
        return rows

    def _function_cell(self, fn) -> nodes.entry:
        if fn is None:
            return _text_cell(nodes.Text("—"))
        reftype = {"function": "func", "method": "meth", "class": "class"}[fn.kind]
        ref = addnodes.pending_xref("", _breakable(fn.name), refdomain="py", reftype=reftype,
                                    reftarget=fn.name, refexplicit=True, refwarn=True, refdoc=self.env.docname)
        return _text_cell(ref)

    def _tests_cell(self, test_ids: list[str]) -> nodes.entry:
        if not test_ids:
            return _text_cell(nodes.Text("—"))
        entry = nodes.entry()
        for test_id in test_ids[:MAX_TESTS]:
            entry += nodes.paragraph("", "", _breakable(test_id))
        if len(test_ids) > MAX_TESTS:
            entry += nodes.paragraph(text=f"and {len(test_ids) - MAX_TESTS} more")
        return entry


def _breakable(name: str) -> nodes.literal:
    """``name`` as code that may wrap after a dot, a slash, ``::`` or an underscore (``<wbr>``, not copied)."""
    literal = nodes.literal()
    for part in re.split(r"(?:(?<=[./_])|(?<=::))(?=[^:])", name):
        if len(literal):
            literal += nodes.raw("", "<wbr>", format="html")
        literal += nodes.Text(part)
    return literal


def _find_equation(doctree: nodes.document, label: str):
    anchor = f"equation-{label}"
    for node in doctree.findall(nodes.Element):
        if anchor in node.get("ids", ()):
            return node, anchor
    return None, anchor


def resolve_sections(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    """Replace every ``map_section`` with the section that derives the equation, linked to the equation."""
    env = app.env
    cache: dict[str, nodes.document] = {}
    for placeholder in list(doctree.findall(map_section)):
        docname, label = placeholder["docname"], placeholder["label"]
        found = None
        if docname in env.all_docs:
            if docname not in cache:
                cache[docname] = env.get_doctree(docname)
            found, anchor = _find_equation(cache[docname], label)
        if found is None:
            placeholder.replace_self(nodes.Text(placeholder["fallback"]))
            continue
        sections = []
        node = found
        while node is not None:
            if isinstance(node, nodes.section) and node.get("ids"):
                sections.append(node)
            node = node.parent
        numbers = env.toc_secnumbers.get(docname, {})
        numbered = next((s for s in sections if numbers.get("#" + s["ids"][0])), None)  # unnumbered: None
        number = numbers.get("#" + numbered["ids"][0]) if numbered is not None else numbers.get("")
        primary = numbered if numbered is not None else sections[-1] if sections else None
        shown = [primary] + ([sections[0]] if sections and sections[0] is not primary else [])
        reference = nodes.reference("", "", internal=True,
                                    refuri=app.builder.get_relative_uri(fromdocname, docname) + "#" + anchor)
        if number:
            reference += nodes.Text(".".join(map(str, number)) + " ")
        for i, section in enumerate(s for s in shown if s is not None):
            if i:
                reference += nodes.Text(" › ")
            reference += [child.deepcopy() for child in section[0].children]  # the title, math included
        placeholder.replace_self(reference)


def link_book_lines(app: Sphinx, what, name, obj, options, lines: list[str]) -> None:
    """``autodoc-process-docstring``: ``Book: eq-a, eq-b.`` → "In the book: (1.1), (2.3)." with links."""
    tool = load_tool()
    for i, line in enumerate(lines):
        match = tool.BOOK_LINE.match(line)
        if match:
            labels = [label.strip() for label in match.group(1).strip().rstrip(".").split(",")]
            indent = line[: len(line) - len(line.lstrip())]
            lines[i] = indent + "In the book: " + ", ".join(f":eq:`{label}`" for label in labels) + "."


def setup(app: Sphinx) -> dict:
    app.add_config_value("equation_map_package", "nnmath", "env")  # the package whose docstrings are read
    app.add_node(map_section)
    app.add_css_file("equation-map.css")  # from assets/, one of html_static_path
    app.add_directive("equation-map", EquationMap)
    app.connect("doctree-resolved", resolve_sections)
    app.connect("autodoc-process-docstring", link_book_lines)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
