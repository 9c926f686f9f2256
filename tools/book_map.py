"""The map of the book: every numbered equation → the `nnmath` function that computes it → its tests.

Three kinds of source are read, none of them executed except for importing the package:

* **Equations.** The markdown cells of ``chapters/*.ipynb`` (and the text of ``chapters/*.md``), parsed by
  myst-parser with the book's MyST extensions, exactly as the build reads them. A numbered equation is a
  labelled dollarmath block, ``$$ ... $$ (eq-name)``; the headings above it say which section teaches it.
  Directive bodies (admonitions, dropdowns) are read too, code is not. An equation labelled any other way
  (``{math}`` with ``:label:``, ``\\label{...}``) is reported: the map would not see it.
* **Book lines.** A line ``Book: eq-name.`` (several labels comma-separated) in the docstring of a function,
  class or method of the package says that it computes that equation. Found in the source with :mod:`ast`,
  then looked up in the imported package, so that a name that is gone (deleted, rebound, private, not
  documented in ``appendix/api.md``) is reported rather than listed.
* **Tests.** A test *exercises* a function when the code the test runs names it, resolved through the test
  file's imports of the package (see :func:`scan_tests` for the exact rule and how it can be fooled).

:func:`build_map` reads all three and returns a :class:`BookMap`: the rows of the map in reading order, and
its ``problems``, each a :class:`Problem`. ``tests/test_book_map.py`` fails on any problem;
``_ext/equation_map.py`` draws the rows as the table of chapter 10 when the book is built.

This is book tooling, not network mathematics, so it lives in ``tools/`` rather than in ``nnmath``: it reads
the repository's chapters and tests (which an installed ``nnmath`` does not have), it needs myst-parser
(a dependency of the book, not of the package), and it imports every module of the package, which the
package's downward-only layering forbids any module of its own to do.

    .venv/bin/python tools/book_map.py     # print the map and its problems (exit status 1 if any)
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "nnmath"

LABEL = re.compile(r"eq-[a-z0-9]+(?:-[a-z0-9]+)*")
BOOK_LINE = re.compile(r"^\s*Book:(.*)$")
# MyST extensions the book enables (_config.yml, parse.myst_enable_extensions) that change where math is.
MYST_EXTENSIONS = ("dollarmath", "amsmath", "colon_fence", "deflist")
# Directives whose body is not markdown: code, raw output, reStructuredText.
NOT_MARKDOWN = {"code", "code-block", "code-cell", "sourcecode", "literalinclude", "raw", "eval-rst", "math",
                "equation-map"}


# --- what the map is made of ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Equation:
    """A labelled display equation of a chapter."""

    label: str
    tex: str
    path: str                    # relative to the book's root, e.g. "chapters/01_neurons_and_layers.ipynb"
    where: str                   # "cell 3, line 9" in a notebook, "line 9" in a text file
    sections: tuple[str, ...]    # the headings above it, chapter title first (MyST source text)

    @property
    def docname(self) -> str:
        """The Sphinx document name of its chapter, ``chapters/01_neurons_and_layers``."""
        return str(Path(self.path).with_suffix("").as_posix())


@dataclass(frozen=True)
class BookLine:
    """A ``Book:`` line: the function (or class, or method) ``name`` computes the equations ``labels``."""

    name: str                    # dotted, e.g. "nnmath.layers.neuron" or "nnmath.network.MLP.forward"
    kind: str                    # "function", "class" or "method"
    labels: tuple[str, ...]
    path: str
    line: int


@dataclass(frozen=True)
class Problem:
    """Why the map is not complete or not true. ``kind`` names the rule, ``message`` says where and what."""

    kind: str
    message: str

    def __str__(self) -> str:
        return f"[{self.kind}] {self.message}"


@dataclass
class Row:
    """One numbered equation, the functions that compute it and, for each, the tests that exercise it."""

    equation: Equation
    functions: list[BookLine] = field(default_factory=list)
    tests: dict[str, list[str]] = field(default_factory=dict)   # function name -> test ids


@dataclass
class BookMap:
    rows: list[Row]
    book_lines: list[BookLine]
    problems: list[Problem]
    sources: list[Path]          # every file read (the build re-reads the map page when one changes)

    def row(self, label: str) -> Row:
        return next(row for row in self.rows if row.equation.label == label)

    def format(self) -> str:
        """The map as plain text: one block per equation."""
        lines = []
        for row in self.rows:
            eq = row.equation
            lines.append(f"{eq.label}  ({eq.path}, {eq.where}; {' > '.join(eq.sections) or 'no heading'})")
            for fn in row.functions:
                tests = row.tests.get(fn.name, [])
                lines.append(f"    {fn.name}  -- {len(tests)} test(s)" + (f", e.g. {tests[0]}" if tests else ""))
            if not row.functions:
                lines.append("    (no function)")
        lines += [str(problem) for problem in self.problems]
        return "\n".join(lines)


# --- equations in the chapters -------------------------------------------------------------------------

def _markdown_parser():
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(enable_extensions=set(MYST_EXTENSIONS)), RendererHTML)


def _directive_body(content: str) -> tuple[str, int]:
    """A directive's markdown body without its options (``:key: value`` lines or a ``---`` YAML block)."""
    lines = content.split("\n")
    skip = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        skip = 0 if end is None else end + 1
    else:
        while skip < len(lines) and re.match(r"^\s*:[\w-]+:", lines[skip]):
            skip += 1
    return "\n".join(lines[skip:]), skip


class _ChapterReader:
    """Reads a chapter's markdown in order, keeping the current headings, and collects its equations."""

    def __init__(self, path: str, parser):
        self.path, self.parser = path, parser
        self.headings: list[str | None] = [None] * 6
        self.equations: list[Equation] = []
        self.problems: list[Problem] = []

    def read(self, text: str, cell: int | None = None, first_line: int = 0) -> None:
        tokens = self.parser.parse(text)
        for i, token in enumerate(tokens):
            line = first_line + (token.map[0] if token.map else 0) + 1
            where = f"cell {cell}, line {line}" if cell is not None else f"line {line}"
            if token.type == "heading_open":
                level = int(token.tag[1])
                self.headings[level - 1] = tokens[i + 1].content.strip()
                self.headings[level:] = [None] * (6 - level)
            elif token.type == "math_block_label":
                self.equations.append(Equation(token.info.strip(), token.content.strip(), self.path, where,
                                               tuple(h for h in self.headings if h)))
            elif token.type == "amsmath" and "\\label{" in token.content:
                self._unsupported(where, "an amsmath environment with \\label")
            elif token.type in ("fence", "colon_fence") and token.info.strip().startswith("{"):
                name = token.info.strip()[1:].split("}", 1)[0]
                if name == "math":
                    if re.search(r"^\s*:label:", token.content, re.MULTILINE):
                        self._unsupported(where, "a {math} directive with :label:")
                elif name not in NOT_MARKDOWN:
                    body, skipped = _directive_body(token.content)
                    self.read(body, cell, first_line + token.map[0] + 1 + skipped)

    def _unsupported(self, where: str, what: str) -> None:
        self.problems.append(Problem(
            "unsupported-label",
            f"{self.path}, {where}: an equation is labelled with {what}; number it as "
            "`$$ ... $$ (eq-name)` (MyST dollarmath) so that the map of the book finds it"))


def scan_chapters(root: Path = ROOT) -> tuple[list[Equation], list[Problem], list[Path]]:
    """Every labelled display equation of ``root/chapters``, in reading order (file name, then position)."""
    parser = _markdown_parser()
    equations, problems, sources = [], [], []
    for path in sorted((root / "chapters").glob("*")):
        if path.suffix not in (".ipynb", ".md") or path.name.startswith("."):
            continue
        rel = path.relative_to(root).as_posix()
        reader = _ChapterReader(rel, parser)
        if path.suffix == ".ipynb":
            for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
                if cell.get("cell_type") == "markdown":
                    source = cell.get("source", "")
                    reader.read(source if isinstance(source, str) else "".join(source), cell=index)
        else:
            reader.read(path.read_text(encoding="utf-8"))
        equations += reader.equations
        problems += reader.problems
        sources.append(path)
    return equations, problems, sources


# --- Book lines in the package ------------------------------------------------------------------------

def _module_name(path: Path, package_dir: Path, package: str) -> str:
    parts = list(path.relative_to(package_dir).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([package, *parts])


def _book_lines_in(tree: ast.Module, module: str, rel: str) -> tuple[list[BookLine], list[Problem]]:
    """The ``Book:`` lines of one module's docstrings (functions, classes and methods, however nested)."""
    book_lines, problems = [], []

    def visit(node, qualname: list[str], kind: str, scope: str) -> None:
        """``kind``: what ``node`` is (module, function, class, method, block); ``scope``: where its defs live."""
        doc = ast.get_docstring(node, clean=True) if isinstance(
            node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else None
        for text in (doc or "").splitlines():
            match = BOOK_LINE.match(text)
            if not match:
                continue
            line = getattr(node, "lineno", 1)
            name = ".".join([module, *qualname])
            if kind == "module":
                problems.append(Problem("misplaced-book-line", f"{rel}: a `Book:` line in the module docstring of "
                                                               f"{module}; put it on the function that computes it"))
                continue
            labels = [part.strip() for part in match.group(1).strip().rstrip(".").split(",")]
            if not all(LABEL.fullmatch(label) for label in labels):
                problems.append(Problem("malformed-book-line", f"{rel}, line {line}: {name}: {text.strip()!r} is "
                                                               "not `Book: eq-name.` or `Book: eq-a, eq-b.`"))
                labels = [label for label in labels if LABEL.fullmatch(label)]
            book_lines.append(BookLine(name, kind, tuple(labels), rel, line))
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, [*qualname, child.name], "class", "class")
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, [*qualname, child.name], "method" if scope == "class" else "function", "function")
            elif isinstance(child, ast.stmt):
                visit(child, qualname, "block", scope)  # if/try/with blocks: the same scope

    visit(tree, [], "module", "module")
    return book_lines, problems


def scan_book_lines(root: Path = ROOT, package: str = PACKAGE) -> tuple[list[BookLine], list[Problem], list[Path]]:
    """Every ``Book:`` line in the docstrings of ``root/<package>``, with the dotted name of its owner."""
    package_dir = root / package
    book_lines, problems, sources = [], [], []
    for path in sorted(package_dir.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        rel = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        found, wrong = _book_lines_in(tree, _module_name(path, package_dir, package), rel)
        book_lines += found
        problems += wrong
        sources.append(path)
    return book_lines, problems, sources


def resolve(dotted: str):
    """The object a dotted name of the package names (importing modules as needed), or None."""
    parts = dotted.split(".")
    try:
        obj = importlib.import_module(parts[0])
    except ImportError:
        return None
    for i, part in enumerate(parts[1:], start=1):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            if not inspect.ismodule(obj):
                return None
            try:
                obj = importlib.import_module(".".join(parts[: i + 1]))
            except ImportError:
                return None
    return obj


def canonical_name(obj) -> str | None:
    """``module.qualname`` of a function, class or property (the name the map and the API page use)."""
    if isinstance(obj, property):
        obj = obj.fget
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    module, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
    if not module or not qualname or not (inspect.isroutine(obj) or inspect.isclass(obj)):
        return None
    return f"{module}.{qualname}"


def documented_modules(root: Path = ROOT) -> set[str]:
    """The modules ``appendix/api.md`` documents with ``automodule``."""
    api = root / "appendix" / "api.md"
    text = api.read_text(encoding="utf-8") if api.is_file() else ""
    return set(re.findall(r"^\.\. automodule::\s*(\S+)", text, re.MULTILINE))


def check_exists(line: BookLine, modules: set[str]) -> Problem | None:
    """A problem if the named function cannot be imported under its name, is private, or is not in the API page."""
    where = f"{line.path}, line {line.line}"
    obj = resolve(line.name)
    if obj is None or canonical_name(obj) != line.name:
        found = "nothing" if obj is None else canonical_name(obj) or type(obj).__name__
        return Problem("missing-function", f"{where}: {line.name} has a `Book:` line but `{line.name}` names "
                                           f"{found} in the imported package")
    module = line.name.rsplit(".", 2 if line.kind == "method" else 1)[0]
    qualname = line.name[len(module) + 1:]
    if any(part.startswith("_") for part in qualname.split(".")) or module.rsplit(".", 1)[-1].startswith("_"):
        return Problem("missing-function", f"{where}: {line.name} is private: the API page does not list it")
    public = getattr(importlib.import_module(module), "__all__", None)
    if public is not None and qualname.split(".")[0] not in public:
        return Problem("missing-function", f"{where}: {line.name} is not in {module}.__all__, so the API page "
                                           "does not list it")
    if module not in modules:
        return Problem("missing-function", f"{where}: {line.name}: appendix/api.md has no automodule for {module}")
    return None


# --- tests that exercise the functions ------------------------------------------------------------------

def _dotted(node) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


class _TestModule:
    """One test file (or conftest.py): its aliases for the package, its module-level definitions."""

    def __init__(self, path: Path, rel: str, package: str):
        self.rel = rel
        self.tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        self.aliases: dict[str, str] = {}     # local name -> dotted name in the package
        self.definitions: dict[str, list[ast.AST]] = defaultdict(list)
        for node in ast.walk(self.tree):      # imports anywhere in the file, local imports included
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == package or alias.name.startswith(package + "."):
                        if alias.asname:
                            self.aliases[alias.asname] = alias.name
                        else:
                            self.aliases[alias.name.split(".")[0]] = alias.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and (
                    node.module == package or node.module.startswith(package + ".")):
                for alias in node.names:
                    self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        for node in self.tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.definitions[node.name].append(node)
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    for name in ast.walk(target):
                        if isinstance(name, ast.Name):
                            self.definitions[name.id].append(node)

    def tests(self):
        """``(test id, node)`` for every test function and every test method of a ``Test*`` class."""
        for node in self.tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
                yield f"{self.rel}::{node.name}", node
            elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name.startswith("test"):
                        yield f"{self.rel}::{node.name}::{item.name}", item


@dataclass
class _Reach:
    names: set[str] = field(default_factory=set)        # canonical names of package functions and classes
    attributes: set[str] = field(default_factory=set)   # every attribute accessed, obj.<attr>


def _closure(test: ast.AST, module: _TestModule, fixtures: list[_TestModule]) -> list[tuple[ast.AST, _TestModule]]:
    """The test, and the module-level code of its file it reaches by name (helpers, constants), and its fixtures."""
    seen, todo, out = set(), [(test, module)], []
    while todo:
        node, owner = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        out.append((node, owner))
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
                todo += [(d, owner) for d in owner.definitions.get(sub.id, [])]
            elif isinstance(sub, ast.arg):  # a fixture requested by an argument: in this file or a conftest.py
                for candidate in [owner, *fixtures]:
                    found = candidate.definitions.get(sub.arg, [])
                    if found:
                        todo += [(d, candidate) for d in found]
                        break
    return out


def _reach(nodes: list[tuple[ast.AST, _TestModule]], package: str, cache: dict) -> _Reach:
    reach = _Reach()
    for node, owner in nodes:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Attribute):
                reach.attributes.add(sub.attr)
            if not isinstance(sub, (ast.Name, ast.Attribute)):
                continue
            dotted = _dotted(sub)
            if dotted is None:
                continue
            head, _, rest = dotted.partition(".")
            if head not in owner.aliases:
                continue
            full = owner.aliases[head] + ("." + rest if rest else "")
            if full not in cache:
                cache[full] = canonical_name(resolve(full)) if full.startswith(package) else None
            if cache[full]:
                reach.names.add(cache[full])
    return reach


def scan_tests(root: Path = ROOT, package: str = PACKAGE) -> tuple[dict[str, _Reach], list[Path]]:
    """What every test under ``root/tests`` reaches, by test id.

    A test *exercises* a function of the package when the code it runs names it:

    * the code is the test function itself (its decorators, so ``pytest.mark.parametrize`` lists count, and its
      body), every module-level definition of its file it names (helper functions, classes and constants, and
      recursively what they name), and the fixtures it asks for by argument, from its file or a ``conftest.py``
      beside it or above it;
    * a name counts when it resolves, through the file's imports of the package (``import nnmath as nm``,
      ``from nnmath.layers import neuron``, ``from nnmath import layers``), to the function itself: ``nm.neuron``,
      ``layers.neuron`` and ``neuron`` are all ``nnmath.layers.neuron``. Calling it or passing it on both count.
    * a method ``C.m`` counts when the code names ``C`` and accesses an attribute ``.m`` (``MLP(...).forward``,
      ``net.forward``), or names ``C.m`` itself.

    Names in strings and comments do not count. What it cannot see: that the test checks anything about the
    result (a call whose result is ignored counts), that ``.m`` is accessed on an instance of ``C`` rather than on
    another object with a method of the same name, or a function reached only through another function or
    through ``getattr`` with a string (that one is missed, so the map reports it untested: the safe side).
    """
    tests_dir = root / "tests"
    cache: dict[str, str | None] = {}
    modules: dict[Path, _TestModule] = {}
    sources = []

    def load(path: Path) -> _TestModule:
        if path not in modules:
            modules[path] = _TestModule(path, path.relative_to(root).as_posix(), package)
            sources.append(path)
        return modules[path]

    reaches: dict[str, _Reach] = {}
    for path in sorted(tests_dir.rglob("test_*.py")):
        if "__pycache__" in path.parts:
            continue
        module = load(path)
        fixtures = [load(d / "conftest.py") for d in [path.parent, *path.parent.parents]
                    if (d / "conftest.py").is_file() and (d == tests_dir or tests_dir in d.parents)]
        for test_id, node in module.tests():
            reaches[test_id] = _reach(_closure(node, module, fixtures), package, cache)
    return reaches, sources


def exercises(reach: _Reach, line: BookLine) -> bool:
    """Whether a test that reaches ``reach`` exercises the function of ``line`` (see :func:`scan_tests`)."""
    if line.name in reach.names:
        return True
    if line.kind == "method":
        owner, method = line.name.rsplit(".", 1)
        return owner in reach.names and method in reach.attributes
    return False


# --- the map -------------------------------------------------------------------------------------------

def build_map(root: Path = ROOT, package: str = PACKAGE) -> BookMap:
    """Read the chapters, the package and the tests under ``root`` and put the map together, with its problems."""
    root = Path(root)
    equations, problems, sources = scan_chapters(root)
    book_lines, line_problems, package_sources = scan_book_lines(root, package)
    reaches, test_sources = scan_tests(root, package)
    problems += line_problems

    first: dict[str, Equation] = {}
    for eq in equations:
        if not LABEL.fullmatch(eq.label):
            problems.append(Problem("bad-label", f"{eq.path}, {eq.where}: the label {eq.label!r} is not "
                                                 "eq-<short-name> (lowercase letters, digits and hyphens)"))
        if eq.label in first:
            other = first[eq.label]
            problems.append(Problem("duplicate-label", f"{eq.path}, {eq.where}: the label {eq.label} is already "
                                                       f"used in {other.path}, {other.where}"))
        else:
            first[eq.label] = eq

    rows = {label: Row(eq) for label, eq in first.items()}
    modules = documented_modules(root)
    for line in book_lines:
        problem = check_exists(line, modules)
        if problem:
            problems.append(problem)
        for label in line.labels:
            if label not in rows:
                problems.append(Problem("unknown-label", f"{line.path}, line {line.line}: {line.name} names "
                                                         f"{label}, which no chapter labels"))
            elif line not in rows[label].functions:
                rows[label].functions.append(line)
        tests = sorted((test_id for test_id, reach in reaches.items() if exercises(reach, line)),
                       key=lambda test_id: (line.name.rsplit(".", 1)[-1] not in test_id.rsplit("::", 1)[-1],
                                            test_id))
        for label in line.labels:
            if label in rows:
                rows[label].tests[line.name] = tests
        if not tests and problem is None:
            problems.append(Problem("untested-function", f"{line.path}, line {line.line}: {line.name} computes "
                                                         f"{', '.join(line.labels)} but no test under tests/ "
                                                         "exercises it"))
    for row in rows.values():
        if not row.functions:
            eq = row.equation
            problems.append(Problem("unnamed-equation", f"{eq.path}, {eq.where}: {eq.label} is computed by no "
                                                        f"function: no docstring in {package}/ has "
                                                        f"`Book: {eq.label}.`"))
    return BookMap(list(rows.values()), book_lines, problems, sources + package_sources + test_sources)


def main() -> int:
    book_map = build_map()
    print(book_map.format())
    return 1 if book_map.problems else 0


if __name__ == "__main__":
    sys.exit(main())
