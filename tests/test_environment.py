"""The installed environment is the pinned one: requirements.txt says what, requirements.lock says which version.

`make` installs ``pip install -r requirements.txt -c requirements.lock``; `make lock` refreshes the lock. These
tests fail when a requirement is added without refreshing the lock, or when the tests run in an environment whose
versions differ from the lock (then the results are not the tested ones).
"""

import pathlib
import re
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _requirements(path):
    lines = (line.split("#", 1)[0].strip() for line in (ROOT / path).read_text().splitlines())
    return [Requirement(line) for line in lines if line]


def _lock() -> dict:
    pins = {}
    for requirement in _requirements("requirements.lock"):
        (spec,) = requirement.specifier
        assert spec.operator == "==", f"requirements.lock must pin exact versions; got {requirement}"
        pins[canonicalize_name(requirement.name)] = spec.version
    return pins


def test_every_requirement_is_pinned_in_the_lock():
    pins = _lock()
    missing = [str(r) for r in _requirements("requirements.txt") if canonicalize_name(r.name) not in pins]
    assert not missing, f"not in requirements.lock (run `make lock`): {missing}"


def test_the_lock_satisfies_the_requirements():
    pins = _lock()
    for requirement in _requirements("requirements.txt"):
        version = pins[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version, prereleases=True), f"{requirement} vs locked {version}"


def test_the_package_dependencies_are_book_requirements():
    listed = {canonicalize_name(r.name) for r in _requirements("requirements.txt")}
    for dependency in metadata.requires("nnmath") or []:  # pyproject's dependencies, as installed
        assert canonicalize_name(Requirement(dependency).name) in listed, dependency


def test_installed_versions_are_the_locked_ones():
    wrong = {}
    for name, version in _lock().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            wrong[name] = (installed, version)
    assert not wrong, f"installed vs locked (re-run `make venv`): {wrong}"


def test_the_lock_names_its_origin():
    header = (ROOT / "requirements.lock").read_text().splitlines()[:2]
    assert re.search(r"make lock", header[0]) and re.search(r"Python 3\.\d+", header[1])
