"""The map of the book (chapter 10): every numbered equation has a function, every function exists and is tested.

The map is ``tools/book_map.py``'s reading of the sources: labelled equations ``$$ ... $$ (eq-name)`` in the
chapters, ``Book: eq-name.`` lines in the ``nnmath`` docstrings, and the tests. The first tests hold the book to
it; the rest run the checker on small books written into a temporary folder, one broken on purpose per test, so
that each rule is seen to fail when it should (and a correct small book is seen to pass).
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import re
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load_tool():
    if "book_map" not in sys.modules:  # the name _ext/equation_map.py loads it under, too
        spec = importlib.util.spec_from_file_location("book_map", ROOT / "tools" / "book_map.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["book_map"] = module
        spec.loader.exec_module(module)
    return sys.modules["book_map"]


book_map = load_tool()


# --- the book itself ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def the_map():
    return book_map.build_map(ROOT)


def test_the_map_of_the_book_has_no_gap(the_map):
    assert the_map.rows, "no labelled equation found in chapters/"
    assert not the_map.problems, "the map of the book is incomplete:\n" + "\n".join(map(str, the_map.problems))


def test_every_function_in_the_map_is_importable_and_says_so(the_map):
    """Independently of the checker: import each named function and find its Book line in its docstring."""
    for row in the_map.rows:
        for line in row.functions:
            obj = book_map.resolve(line.name)
            assert obj is not None, f"{line.name} cannot be imported"
            assert callable(obj), f"{line.name} is not a function or class"
            doc = inspect.getdoc(obj) or ""
            named = [label.strip() for m in re.finditer(r"^Book:(.*)$", doc, re.MULTILINE)
                     for label in m.group(1).strip().rstrip(".").split(",")]
            assert row.equation.label in named, f"{line.name}'s docstring does not name {row.equation.label}"
            assert row.tests[line.name], f"no test exercises {line.name}"


def test_no_equation_reference_is_put_in_parentheses():
    """{eq} prints the number in its own parentheses, "(5.6)": written inside parentheses it shows "((5.6))"."""
    texts = {path.name: path.read_text(encoding="utf-8") for path in (ROOT / "chapters").glob("*.md")}
    for path in (ROOT / "chapters").glob("*.ipynb"):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        texts[path.name] = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert len(texts) >= 10
    wrapped = {name: re.findall(r"\(\{eq\}`[^`]*`\)", text) for name, text in texts.items()}
    assert not any(wrapped.values()), {name: found for name, found in wrapped.items() if found}


def test_chapter_1s_equations_are_on_the_map(the_map):
    neuron = the_map.row("eq-neuron")
    assert [f.name for f in neuron.functions] == ["nnmath.layers.neuron"]
    assert neuron.equation.sections == ("Neurons and layers", "The neuron")
    assert any(t.startswith("tests/test_layers.py::") for t in neuron.tests["nnmath.layers.neuron"])
    forward = the_map.row("eq-forward")
    # two functions compute the forward pass: the loop over layer functions and the network's method
    assert [f.name for f in forward.functions] == ["nnmath.layers.forward_pass", "nnmath.network.MLP.forward"]
    assert [f.kind for f in forward.functions] == ["function", "method"]
    assert "tests/test_network.py::test_network_equals_the_layer_functions_forward_and_backward" in \
        forward.tests["nnmath.network.MLP.forward"]


def test_the_rows_follow_the_reading_order(the_map):
    paths = [row.equation.path for row in the_map.rows]
    assert paths == sorted(paths)


def test_the_map_reads_every_source(the_map):
    """The build re-reads chapter 10 when any of these changes (Sphinx's note_dependency)."""
    sources = {p.relative_to(ROOT).as_posix() for p in the_map.sources}
    assert "chapters/01_neurons_and_layers.ipynb" in sources
    assert "nnmath/layers.py" in sources
    assert "tests/test_layers.py" in sources


# --- small books, each broken in one way ---------------------------------------------------------------

def notebook(*cells: str) -> str:
    return json.dumps({"cells": [{"cell_type": "markdown", "id": f"cell-{i}", "metadata": {}, "source": c}
                                 for i, c in enumerate(cells)],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


GOOD = {
    "chapters/01_first.ipynb": notebook(
        "# First chapter\n\n## Alpha\n\nThe first one:\n\n$$\na = 1\n$$ (eq-alpha)\n",
        "```\n$$ x $$ (eq-in-code)\n```\n\n:::{dropdown} Inside a dropdown\n$$ b = 2 $$ (eq-beta)\n:::\n",
    ),
    "chapters/02_second.md": "# Second chapter\n\n## Gamma\n\n### Deeper\n\n$$ c = 3 $$ (eq-gamma)\n",
    "PKG/__init__.py": '"""A small package."""\nfrom .core import Stepper, alpha, gamma\n',
    "PKG/core.py": '''
        """The package's equations."""

        __all__ = ["alpha", "Stepper", "gamma"]


        def alpha(x):
            """Alpha.

            Book: eq-alpha.
            """
            return x


        def gamma(x):
            """Gamma, checked through a constant of its test file.

            Book: eq-gamma.
            """
            return x


        class Stepper:
            """Steps."""

            def step(self, x):
                """One step.

                Book: eq-beta.
                """
                return x
        ''',
    "appendix/api.md": "# API\n\n```{eval-rst}\n.. automodule:: PKG.core\n   :members:\n```\n",
    "tests/conftest.py": '''
        import pytest
        from PKG.core import Stepper


        @pytest.fixture
        def stepper():
            return Stepper()
        ''',
    "tests/test_core.py": '''
        import pytest

        import PKG as p
        from PKG import core

        FUNCTIONS = [core.gamma]


        def check(x):
            return p.alpha(x) == x


        def test_alpha():
            assert check(1)


        @pytest.mark.parametrize("f", FUNCTIONS)
        def test_gamma(f):
            assert f(2) == 2


        def test_step(stepper):
            assert stepper.step(3) == 3
        ''',
}


def write_book(root: Path, package: str, files: dict[str, str | None]) -> None:
    for rel, text in files.items():
        path = root / rel.replace("PKG", package)
        if text is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n").replace("PKG", package), encoding="utf-8")


@pytest.fixture
def small_book(tmp_path, monkeypatch, request):
    """``make({path: text})``: the map of the good small book with some files replaced (None deletes)."""
    package = "mapfixture_" + re.sub(r"\W", "_", request.node.name)
    monkeypatch.syspath_prepend(str(tmp_path))

    def make(changes: dict[str, str | None] | None = None):
        files = {**GOOD, **(changes or {})}
        write_book(tmp_path, package, files)
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            monkeypatch.delitem(sys.modules, name)
        return book_map.build_map(tmp_path, package=package)

    make.package = package
    return make


def kinds(the_map) -> list[str]:
    return sorted(p.kind for p in the_map.problems)


def edit(rel: str, old: str, new: str) -> str:
    text = textwrap.dedent(GOOD[rel]).lstrip("\n")
    assert old in text, old
    return text.replace(old, new)


def test_a_correct_small_book_has_a_complete_map(small_book):
    the_map = small_book()
    pkg = small_book.package
    assert the_map.problems == []
    assert [row.equation.label for row in the_map.rows] == ["eq-alpha", "eq-beta", "eq-gamma"]
    assert the_map.row("eq-alpha").tests == {f"{pkg}.core.alpha": ["tests/test_core.py::test_alpha"]}
    assert the_map.row("eq-beta").tests == {f"{pkg}.core.Stepper.step": ["tests/test_core.py::test_step"]}
    assert the_map.row("eq-gamma").tests == {f"{pkg}.core.gamma": ["tests/test_core.py::test_gamma"]}
    assert the_map.row("eq-gamma").equation.sections == ("Second chapter", "Gamma", "Deeper")
    assert the_map.row("eq-beta").equation.where == "cell 1, line 6"


def test_an_equation_no_function_computes_fails(small_book):
    chapter = "# Second chapter\n\n$$ c = 3 $$ (eq-gamma)\n\n$$ d = 4 $$ (eq-delta)\n"
    the_map = small_book({"chapters/02_second.md": chapter})
    assert kinds(the_map) == ["unnamed-equation"]
    assert "eq-delta" in the_map.problems[0].message


def test_a_book_line_naming_no_equation_fails(small_book):
    core = edit("PKG/core.py", "Book: eq-alpha.", "Book: eq-alpha, eq-omega.")
    the_map = small_book({"PKG/core.py": core})
    assert kinds(the_map) == ["unknown-label"]
    assert "eq-omega" in the_map.problems[0].message


@pytest.mark.parametrize("how", ["deleted", "rebound", "private", "not-exported", "not-documented"])
def test_a_function_that_is_not_there_fails(small_book, how):
    core = GOOD["PKG/core.py"]
    api = GOOD["appendix/api.md"]
    if how == "deleted":
        core = edit("PKG/core.py", "class Stepper:", "del gamma\n\n\nclass Stepper:")
    elif how == "rebound":
        core = edit("PKG/core.py", "class Stepper:", "gamma = alpha\n\n\nclass Stepper:")
    elif how == "private":
        core = edit("PKG/core.py", "def gamma(x):", "def _gamma(x):") + "\n\ngamma = _gamma\n"
    elif how == "not-exported":
        core = edit("PKG/core.py", '"Stepper", "gamma"]', '"Stepper"]')
    elif how == "not-documented":
        api = "# API\n"
    init = '"""A small package."""\nfrom .core import Stepper, alpha\n'  # not gamma, which may be gone
    the_map = small_book({"PKG/core.py": core, "appendix/api.md": api, "PKG/__init__.py": init})
    expected = ["missing-function"] * (3 if how == "not-documented" else 1)
    assert kinds(the_map) == expected, the_map.problems


def test_a_function_no_test_exercises_fails(small_book):
    tests = edit("tests/test_core.py", "FUNCTIONS = [core.gamma]", "FUNCTIONS = []  # core.gamma")
    tests += '\n\ndef helper_nobody_calls():\n    return core.gamma(1)\n\n\ndef test_words():\n    assert "gamma"\n'
    the_map = small_book({"tests/test_core.py": tests})
    assert kinds(the_map) == ["untested-function"]
    assert "core.gamma" in the_map.problems[0].message
    assert the_map.row("eq-gamma").tests[f"{small_book.package}.core.gamma"] == []


def test_a_method_needs_its_class_in_the_test(small_book):
    """``.step`` on some object is not ``Stepper.step`` unless the test reaches ``Stepper`` too."""
    conftest = '''
        import pytest


        class Other:
            def step(self, x):
                return x


        @pytest.fixture
        def stepper():
            return Other()
        '''
    the_map = small_book({"tests/conftest.py": conftest})
    assert kinds(the_map) == ["untested-function"]
    assert "Stepper.step" in the_map.problems[0].message


def test_duplicate_labels_fail(small_book):
    chapter = "# Second chapter\n\n$$ c = 3 $$ (eq-gamma)\n\n$$ a = 1 $$ (eq-alpha)\n"
    the_map = small_book({"chapters/02_second.md": chapter})
    assert kinds(the_map) == ["duplicate-label"]
    assert "chapters/01_first.ipynb" in the_map.problems[0].message


def test_a_label_not_eq_name_fails(small_book):
    chapter = "# Second chapter\n\n$$ c = 3 $$ (eq-gamma)\n\n$$ e = 5 $$ (eq_Bad)\n"
    core = edit("PKG/core.py", "Book: eq-gamma.", "Book: eq-gamma, eq_Bad.")
    the_map = small_book({"chapters/02_second.md": chapter, "PKG/core.py": core})
    assert kinds(the_map) == ["bad-label", "malformed-book-line", "unnamed-equation"]


@pytest.mark.parametrize("equation", ["```{math}\n:label: eq-delta\nd = 4\n```\n",
                                      "\\begin{align}\nd = 4 \\label{eq-delta}\n\\end{align}\n"])
def test_an_equation_labelled_another_way_fails(small_book, equation):
    chapter = "# Second chapter\n\n$$ c = 3 $$ (eq-gamma)\n\n" + equation
    the_map = small_book({"chapters/02_second.md": chapter})
    assert kinds(the_map) == ["unsupported-label"]


def test_a_book_line_in_a_module_docstring_fails(small_book):
    docstring = '"""The package\'s equations."""'
    core = edit("PKG/core.py", docstring, docstring.replace('."""', '.\n\nBook: eq-alpha.\n"""'))
    the_map = small_book({"PKG/core.py": core})
    assert kinds(the_map) == ["misplaced-book-line"]


def test_the_map_as_text_names_every_problem(small_book):
    chapter = "# Second chapter\n\n$$ c = 3 $$ (eq-gamma)\n\n$$ d = 4 $$ (eq-delta)\n"
    text = small_book({"chapters/02_second.md": chapter}).format()
    assert "eq-delta" in text and "(no function)" in text and "[unnamed-equation]" in text


# --- the Sphinx extension that draws the map (_ext/equation_map.py) -------------------------------------

SMALL_BOOK_SPHINX = {
    "conf.py": f'''
        import sys
        sys.path.insert(0, {str(ROOT / "_ext")!r})
        extensions = ["myst_nb", "sphinx_design", "sphinx.ext.autodoc", "equation_map"]
        equation_map_package = "PKG"
        myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
        nb_execution_mode = "off"
        numfig = True
        exclude_patterns = ["_build", "tests", "PKG"]
        ''',
    "index.md": "# A small book\n\n```{toctree}\n:numbered: 2\nchapters/01_first\nchapters/02_second\n"
                "chapters/03_map\nappendix/api\n```\n",
    "chapters/03_map.md": "# The map\n\n```{equation-map}\n```\n",
}


def build_html(root: Path) -> tuple[Path, str]:
    import io

    from sphinx.application import Sphinx

    warnings = io.StringIO()
    app = Sphinx(str(root), str(root), str(root / "_build" / "html"), str(root / "_build" / "doctrees"), "html",
                 status=None, warning=warnings, freshenv=True)
    app.build()
    return root / "_build" / "html", warnings.getvalue()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::PendingDeprecationWarning")
def test_the_extension_draws_the_map_with_working_links(small_book, tmp_path):
    the_map = small_book(SMALL_BOOK_SPHINX)
    assert the_map.problems == []
    pkg = small_book.package
    html_dir, warnings = build_html(tmp_path)
    assert warnings == ""
    page = (html_dir / "chapters" / "03_map.html").read_text(encoding="utf-8")
    assert 'href="01_first.html#equation-eq-alpha">(1.1)</a>' in page           # the number, to the equation
    assert 'href="01_first.html#equation-eq-beta">1.1 Alpha</a>' in page        # the section, to the equation
    assert 'href="02_second.html#equation-eq-gamma">2.1 Gamma › Deeper</a>' in page
    assert f'href="../appendix/api.html#{pkg}.core.Stepper.step"' in page       # the function, to the API page
    text = text_of(page)
    assert "tests/test_core.py::test_step" in text
    assert "The map below holds 3 numbered equations from 2 chapters, computed by 3 functions of" in text
    api = (html_dir / "appendix" / "api.html").read_text(encoding="utf-8")
    assert 'In the book: <a class="reference internal" href="../chapters/01_first.html#equation-eq-alpha">(1.1)</a>' \
        in api
    assert "Book:" not in text_of(api)


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::PendingDeprecationWarning")
def test_the_extension_warns_of_every_problem(small_book, tmp_path):
    chapter = "# Second chapter\n\n$$ c = 3 $$ (eq-gamma)\n\n$$ d = 4 $$ (eq-delta)\n"
    small_book({**SMALL_BOOK_SPHINX, "chapters/02_second.md": chapter})
    _, warnings = build_html(tmp_path)
    assert "map of the book: [unnamed-equation]" in warnings and "eq-delta" in warnings
