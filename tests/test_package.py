"""The package's shape: layers import downwards only, and every core equation is documented."""

import ast
import importlib
import inspect
import pathlib
import pkgutil

import pytest

import nnmath

ROOT = pathlib.Path(nnmath.__file__).parent
CORE = {"_checks", "activations", "layers", "gradcheck", "linalg", "losses", "network", "init", "regularization",
        "surfaces", "approximation", "depth", "likelihood", "linefit", "backprop", "momentum", "moments"}
TRAINING = {"optim", "schedules", "descent", "data", "train", "race", "analysis", "augment", "generalization"}
PRESENTATION = {"plots", "widgets", "exercises", "static", "floating"}
RANK = {**{m: 0 for m in CORE}, **{m: 1 for m in TRAINING}, **{m: 2 for m in PRESENTATION}}


def _top_module(path: pathlib.Path) -> str:
    rel = path.relative_to(ROOT)
    return rel.parts[0].removesuffix(".py")


def _imported_nnmath_modules(path: pathlib.Path):
    tree = ast.parse(path.read_text())
    package_parts = path.relative_to(ROOT).parent.parts
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package_parts[: len(package_parts) - (node.level - 1)])
                target = base + (node.module.split(".") if node.module else [])
                if target:
                    yield target[0]
                else:
                    yield from (alias.name for alias in node.names)
            elif node.module and node.module.startswith("nnmath."):
                yield node.module.split(".")[1]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("nnmath."):
                    yield alias.name.split(".")[1]


def test_every_module_has_a_layer():
    for path in ROOT.rglob("*.py"):
        if path.name == "__init__.py" and path.parent == ROOT:
            continue
        assert _top_module(path) in RANK, f"{path.relative_to(ROOT)} is in no layer of the package"


def test_imports_point_down_only():
    for path in ROOT.rglob("*.py"):
        if path.name == "__init__.py" and path.parent == ROOT:
            continue
        here = _top_module(path)
        for target in _imported_nnmath_modules(path):
            if target == here or target not in RANK:
                continue
            assert RANK[target] <= RANK[here], (
                f"{path.relative_to(ROOT)} ({here}) imports {target}, a higher layer"
            )


def test_importing_nnmath_loads_no_presentation_code():
    import subprocess
    import sys

    code = "import sys, nnmath; print(sorted(m for m in sys.modules if m.startswith(('matplotlib', 'ipywidgets'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


CORE_MODULES = [m.name for m in pkgutil.iter_modules([str(ROOT)]) if m.name in CORE and not m.name.startswith("_")]


@pytest.mark.parametrize("module_name", CORE_MODULES)
def test_core_functions_state_their_equation(module_name):
    module = importlib.import_module(f"nnmath.{module_name}")
    for name in getattr(module, "__all__", []):
        obj = getattr(module, name)
        if not inspect.isfunction(obj):
            continue
        doc = inspect.getdoc(obj) or ""
        assert doc, f"nnmath.{module_name}.{name} has no docstring"
        if module_name in {"activations", "layers", "linalg", "losses"} and not name.startswith("get_"):
            assert ".. math::" in doc or ":math:" in doc, f"nnmath.{module_name}.{name} states no equation"


def test_every_public_module_is_in_the_api_reference():
    api = (ROOT.parent / "appendix" / "api.md").read_text()
    public = [m.name for m in pkgutil.iter_modules([str(ROOT)]) if not m.name.startswith("_")]
    missing = [name for name in public if f"automodule:: nnmath.{name}\n" not in api]
    assert not missing, f"appendix/api.md documents no {missing}"


def test_every_module_is_an_attribute_of_the_package_without_an_import():
    import subprocess
    import sys

    modules = [m.name for m in pkgutil.iter_modules([str(ROOT)]) if not m.name.startswith("_")]
    code = ("import nnmath\n"
            f"for name in {modules!r}:\n"
            "    assert getattr(nnmath, name).__name__ == 'nnmath.' + name, name\n"
            "missing = [name for name in nnmath.__all__ if not hasattr(nnmath, name)]\n"
            "assert not missing, missing\n"
            "print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


def test_no_module_reaches_into_another_modules_private_names():
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module != "__future__":
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{path.relative_to(ROOT)} imports private {private} from {node.module}"
