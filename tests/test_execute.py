"""tools/execute.py: the book's notebooks executed in parallel into the cache the build reads.

A notebook that runs cleanly is cached under the key MyST-NB looks up (so the build executes nothing); one whose
cell raises, or which writes a warning to stderr, fails the run and is not cached, also when several notebooks
run at once. These use throw-away notebooks in a temporary folder, never the chapters.
"""

import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import execute  # noqa: E402  (tools/ is not a package)


def _notebook(folder: Path, name: str, *sources: str) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_markdown_cell(f"# {name}")]
    notebook.cells += [nbformat.v4.new_code_cell(source, metadata={"tags": ["keep"]}) for source in sources]
    path = folder / f"{name}.ipynb"
    nbformat.write(notebook, path)
    return path


def _cached(cache_path: Path, path: Path) -> bool:
    from jupyter_cache import get_cache

    try:
        get_cache(str(cache_path)).match_cache_notebook(nbformat.read(path, as_version=4))
    except KeyError:
        return False
    return True


@pytest.fixture
def settings():
    return execute.Settings(mode="cache", timeout=60, stderr_output="remove-warn")


def test_good_notebooks_are_cached_and_failures_fail_the_run(tmp_path, settings, capsys):
    cache = tmp_path / "cache"
    good = _notebook(tmp_path, "good", "x = 6 * 7", "print(x)")
    raises = _notebook(tmp_path, "raises", "1 / 0")
    warns = _notebook(tmp_path, "warns", "import warnings\nwarnings.warn('careful')")
    status = execute.run([good, raises, warns], settings, jobs=3, cache_path=cache)
    out = capsys.readouterr()
    assert status == 1
    assert "FAILED" in out.out and "ZeroDivisionError" in out.out and "stderr" in out.out
    assert "raises.ipynb" in out.err and "warns.ipynb" in out.err and "good.ipynb" not in out.err
    assert _cached(cache, good)
    assert not _cached(cache, raises) and not _cached(cache, warns)


def test_a_cached_notebook_keeps_its_cell_metadata_and_is_not_executed_again(tmp_path, settings, capsys):
    from jupyter_cache import get_cache

    cache = tmp_path / "cache"
    path = _notebook(tmp_path, "once", "print('hello')")
    assert execute.run([path], settings, jobs=1, cache_path=cache) == 0
    record = get_cache(str(cache)).match_cache_notebook(nbformat.read(path, as_version=4))
    stored = get_cache(str(cache)).get_cache_bundle(record.pk).nb
    code = [c for c in stored.cells if c.cell_type == "code"]
    assert code[0].metadata == {"tags": ["keep"]}  # no timing metadata: it would change the key
    assert code[0].outputs[0]["text"] == "hello\n"
    capsys.readouterr()
    assert execute.run([path], settings, jobs=1, cache_path=cache) == 0
    assert "cached" in capsys.readouterr().out


def test_stderr_is_allowed_when_the_config_shows_it(tmp_path):
    path = _notebook(tmp_path, "warns", "import sys\nprint('note', file=sys.stderr)")
    settings = execute.Settings(mode="cache", timeout=60, stderr_output="show")
    assert execute.run([path], settings, jobs=1, cache_path=tmp_path / "cache") == 0


def test_every_notebook_of_the_toc_is_found():
    import yaml

    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    found = execute.toc_notebooks()
    assert found and all(p.suffix == ".ipynb" and p.is_file() for p in found)
    assert all(p.relative_to(ROOT).with_suffix("").as_posix() in toc for p in found)
    chapters = [c["file"] for part in yaml.safe_load(toc)["parts"] for c in part["chapters"]]
    assert [p.relative_to(ROOT).with_suffix("").as_posix() for p in found] == [
        c for c in chapters if (ROOT / c).with_suffix(".ipynb").is_file()]


def test_recorded_seconds_adds_up_the_saved_cell_timings():
    timing = {"iopub.execute_input": "2026-01-01T00:00:00.000000Z",
              "shell.execute_reply": "2026-01-01T00:00:01.500000Z"}
    cells = [nbformat.v4.new_code_cell("pass", metadata={"execution": dict(timing)}) for _ in range(2)]
    notebook = nbformat.v4.new_notebook(cells=[*cells, nbformat.v4.new_code_cell("pass")])
    assert execute.recorded_seconds(notebook) == pytest.approx(3.0)
    assert execute.recorded_seconds(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])) is None


def test_the_settings_are_the_configs():
    settings = execute.Settings.read(ROOT / "_config.yml")
    assert settings.mode == "cache" and not settings.allow_errors and settings.stderr_output == "remove-warn"


def test_a_cache_filled_with_another_nnmath_is_emptied(tmp_path):
    root = tmp_path / "book"
    (root / "nnmath").mkdir(parents=True)
    (root / "nnmath" / "core.py").write_text("x = 1\n")
    (root / "requirements.lock").write_text("numpy==2.4.6\n")
    cache = root / "_build" / ".jupyter_cache"
    assert execute.drop_stale_cache(cache, root) is False  # no cache yet: nothing to drop
    (cache / "executed.ipynb").write_text("{}")
    assert execute.drop_stale_cache(cache, root) is False  # same package: the cache is kept
    assert (cache / "executed.ipynb").exists()
    (root / "nnmath" / "core.py").write_text("x = 2\n")
    assert execute.drop_stale_cache(cache, root) is True  # the package changed: the outputs are stale
    assert not (cache / "executed.ipynb").exists()
    assert (cache / "nnmath.fingerprint").read_text().strip() == execute.fingerprint(root)
    (root / "requirements.lock").write_text("numpy==2.4.7\n")
    assert execute.drop_stale_cache(cache, root) is True  # so are they with other pinned versions
