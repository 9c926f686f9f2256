"""Execute the book's notebooks in parallel into the build's cache, before Sphinx reads them (`make book`).

The book executes its notebooks with ``execute_notebooks: cache`` (_config.yml): MyST-NB hashes each notebook
(its code cells' source and metadata, and its kernelspec) and looks the hash up in the jupyter-cache at
_build/.jupyter_cache; a notebook it does not find there is executed while Sphinx reads the pages, one after
another. This script runs first and fills that same cache: it executes every notebook of _toc.yml that is
not cached yet, several at once (one kernel each, ``--jobs`` at a time, by default one per core, the longest
first), so that Sphinx then finds every notebook cached and executes none.

It follows the ``execute:`` settings of _config.yml as the build does (the timeout per cell, allow_errors,
run_in_temp, exclude_patterns). A notebook fails, is not cached, and makes this script (and `make book`) exit
with an error when a cell raises (unless allow_errors) or when a cell writes to stderr while stderr_output
turns that into a warning or an error (remove-warn, warn, error, severe). The failing cell and its message are
printed. The kernels get the build's environment (_ext/nnmath_book.py: NNMATH_STATIC_HTML=1); their figures are
rendered at twice the resolution of the notebook's figure size (IPython's "retina" format: crisp on
high-density screens and in the PDF, the same size on the page).

The cache's key is the notebooks' code only, so a change to ``nnmath`` (or to the pinned versions) would leave
pages drawn by the old package. The cache therefore records a fingerprint of what the outputs depend on besides
the notebooks (:data:`DEPENDS_ON`); when it differs, the cache is emptied first and every notebook runs again.

For each notebook it prints the time it took, its kernel's CPU time (steadier than wall time on a busy
machine) and its slowest cells (by index among all cells, with their first line), then the wall time of the
whole run and the sum of the notebooks' times. ``--jobs 1 --force`` executes them all one after another (the
serial reference). Ctrl-C stops every kernel at once.

Usage: python tools/execute.py [--jobs N] [--force] [NOTEBOOK ...]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import copy
import hashlib
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
from nnmath_book import set_build_environment  # noqa: E402  (the book's Sphinx extension sets the same)

CACHE = ROOT / "_build" / ".jupyter_cache"  # where MyST-NB looks (the output folder's .jupyter_cache)
KERNEL_ARGS = ["--InlineBackend.figure_formats=retina"]
STDERR_FAILS = {"remove-warn", "warn", "error", "severe"}  # stderr_output values that make stderr a warning
# What every kernel prints on start-up (ipykernel over TCP on localhost); any other kernel log line is shown.
KERNEL_NOISE = ("Kernel is running over TCP without encryption",)
SLOWEST = 3  # cells listed per notebook
#: What the stored outputs depend on besides the notebooks themselves (globs relative to the project's root).
DEPENDS_ON = ("nnmath/**/*.py", "nnmath/**/*.js", "requirements.lock", "_ext/nnmath_book.py", "tools/execute.py")
FINGERPRINT = CACHE / "nnmath.fingerprint"


def fingerprint(root: Path = ROOT) -> str:
    """sha256 over the paths and contents of the files :data:`DEPENDS_ON` matches, in sorted order."""
    digest = hashlib.sha256()
    files = sorted({path for pattern in DEPENDS_ON for path in root.glob(pattern) if path.is_file()})
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def drop_stale_cache(cache_path: Path = CACHE, root: Path = ROOT) -> bool:
    """Empty the cache if it was filled with another ``nnmath`` (or none recorded); True if it was emptied."""
    current = fingerprint(root)
    stamp = cache_path / FINGERPRINT.name
    stale = cache_path.exists() and (not stamp.exists() or stamp.read_text().strip() != current)
    if stale:
        shutil.rmtree(cache_path)
    cache_path.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current + "\n")
    return stale


@dataclass
class Settings:
    """The ``execute:`` section of _config.yml, with Jupyter Book's defaults."""

    mode: str = "auto"
    timeout: int = 30
    allow_errors: bool = False
    run_in_temp: bool = False
    stderr_output: str = "show"
    exclude_patterns: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, config_path: Path) -> Settings:
        execute = (yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}).get("execute", {}) or {}
        return cls(mode=execute.get("execute_notebooks", cls.mode), timeout=execute.get("timeout", cls.timeout),
                   allow_errors=execute.get("allow_errors", cls.allow_errors),
                   run_in_temp=execute.get("run_in_temp", cls.run_in_temp),
                   stderr_output=execute.get("stderr_output", cls.stderr_output),
                   exclude_patterns=list(execute.get("exclude_patterns", []) or []))


@dataclass
class Result:
    path: Path
    seconds: float
    notebook: nbformat.NotebookNode | None = None
    error: str | None = None
    cell_seconds: list[tuple[int, float]] = field(default_factory=list)  # (cell index, seconds), slowest first
    cpu_seconds: float | None = None  # the kernel's CPU time (user + system; Linux), steadier than wall time
    kernel_log: str = ""


def toc_files(toc_path: Path = ROOT / "_toc.yml") -> list[str]:
    """Every ``file`` entry of _toc.yml (jb-book: root, parts, chapters, sections) as written, in reading order."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []) or []:
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return files


def toc_notebooks(toc_path: Path = ROOT / "_toc.yml") -> list[Path]:
    """Every ``.ipynb`` file that _toc.yml lists, in reading order."""
    found = []
    for name in toc_files(toc_path):
        path = toc_path.parent / name
        candidates = [path] if path.suffix else [path.with_suffix(".ipynb")]
        found += [p.resolve() for p in candidates if p.suffix == ".ipynb" and p.is_file()]
    return found


def excluded(path: Path, patterns: list[str]) -> bool:
    """Whether MyST-NB's ``execution_excludepatterns`` keeps this notebook from being executed."""
    posix = PurePosixPath(path.as_posix())
    return any(posix.match(p) or fnmatch(_name(path), p) for p in patterns)


def recorded_seconds(notebook: nbformat.NotebookNode) -> float | None:
    """How long the notebook's cells took when it was last executed and saved (None if it does not say)."""
    total, known = 0.0, False
    for cell in notebook.cells:
        seconds = _cell_seconds(cell)
        if seconds is not None:
            total, known = total + seconds, True
    return total if known else None


def _cell_seconds(cell) -> float | None:
    timing = cell.get("metadata", {}).get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (start and end):
        return None
    return (datetime.fromisoformat(end.replace("Z", "+00:00"))
            - datetime.fromisoformat(start.replace("Z", "+00:00"))).total_seconds()


def execute(path: Path, settings: Settings) -> Result:
    """Execute one notebook in a fresh kernel (run in a worker process); its cells' metadata stay as read."""
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    metadata = [copy.deepcopy(cell.get("metadata", {})) for cell in notebook.cells]
    timeout, allow_errors = settings.timeout, settings.allow_errors
    override = notebook.metadata.get("execution", {})  # the per-notebook override MyST-NB honours
    timeout = override.get("timeout", timeout)
    allow_errors = override.get("allow_errors", allow_errors)
    start = time.perf_counter()
    error = None
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log, tempfile.TemporaryDirectory() as temp:
        cwd = temp if settings.run_in_temp else str(path.parent)
        client = NotebookClient(notebook, timeout=timeout, allow_errors=allow_errors, record_timing=True,
                                extra_arguments=KERNEL_ARGS, resources={"metadata": {"path": cwd}})
        cpu: list[float | None] = [None]

        def sample_cpu(**_) -> None:  # after each cell, while the kernel is alive
            cpu[0] = _process_cpu_seconds(getattr(getattr(client.km, "provisioner", None), "pid", None))

        client.on_cell_executed = sample_cpu
        try:
            client.execute(stderr=log, stdout=log)
        except Exception as exc:  # CellExecutionError, CellTimeoutError, DeadKernelError, ...
            error = f"{type(exc).__name__}: {exc}"
        log.seek(0)
        kernel_log = "".join(line for line in log if not any(noise in line for noise in KERNEL_NOISE))
    seconds = time.perf_counter() - start
    cell_seconds = sorted(((i, s) for i, cell in enumerate(notebook.cells)
                           if (s := _cell_seconds(cell)) is not None), key=lambda item: -item[1])
    for cell, meta in zip(notebook.cells, metadata):  # the cache key covers cell metadata: keep it as read
        cell.metadata = meta
    if error is None and settings.stderr_output in STDERR_FAILS:
        error = _stderr_problem(notebook)
    return Result(path, seconds, None if error else notebook, error, cell_seconds, cpu[0], kernel_log)


def _process_cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU seconds of a running process, from /proc (None where there is no /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    except (OSError, ValueError, IndexError, TypeError):
        return None


def _stderr_problem(notebook: nbformat.NotebookNode) -> str | None:
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                return (f"cell {index} wrote to stderr (a warning, so an error of the -W build):\n"
                        f"{_first_line(cell)}\n{output.get('text', '')}")
    return None


def _first_line(cell) -> str:
    lines = [line for line in cell.get("source", "").splitlines() if line.strip()]
    line = lines[0] if lines else ""
    return line if len(line) <= 60 else line[:57] + "..."


def _report(result: Result, notebook: nbformat.NotebookNode) -> str:
    name = _name(result.path)
    slowest = ", ".join(f"#{i} {s:.1f} s ({_first_line(notebook.cells[i])})"
                        for i, s in result.cell_seconds[:SLOWEST])
    cpu = f" (kernel CPU {result.cpu_seconds:5.1f} s)" if result.cpu_seconds is not None else ""
    return f"{result.seconds:7.1f} s{cpu}  {name}" + (f"\n           slowest cells: {slowest}" if slowest else "")


def _previous_seconds(cache) -> dict[str, float]:
    """{notebook path: seconds its latest execution took} for the executions the cache still holds."""
    seconds = {}
    for record in sorted(cache.list_cache_records(), key=lambda r: r.created):
        if (record.data or {}).get("execution_seconds") is not None:
            seconds[record.uri] = record.data["execution_seconds"]
    return seconds


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def run(paths: list[Path], settings: Settings, jobs: int, *, force: bool = False, cache_path: Path = CACHE) -> int:
    """Execute the notebooks among ``paths`` that are not cached yet into the cache; 1 if any failed, else 0."""
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_path))
    pending: list[tuple[Path, nbformat.NotebookNode]] = []
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        if excluded(path, settings.exclude_patterns):
            print(f"{'excluded':>9}  {_name(path)}")
            continue
        try:
            cache.match_cache_notebook(notebook)
            cached = not force
        except KeyError:
            cached = False
        if cached:
            print(f"{'cached':>9}  {_name(path)}")
        else:
            pending.append((path, notebook))
    if not pending:
        return 0
    # Longest first, so that the last one to finish is a short one: as long as the notebook took in the last
    # build that cached it, else as its saved cell timings say (a notebook with neither goes first of all).
    previous = _previous_seconds(cache)
    pending.sort(key=lambda item: -(previous.get(str(item[0])) or recorded_seconds(item[1]) or float("inf")))
    jobs = max(1, min(jobs, len(pending)))
    print(f"Executing {len(pending)} notebook(s), {jobs} at a time:")
    failures = []
    total, total_cpu = 0.0, 0.0
    slowest: Result | None = None
    start = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs, initializer=_die_with_parent) as pool:
        futures = {pool.submit(execute, path, settings): notebook for path, notebook in pending}
        try:
            for future in concurrent.futures.as_completed(futures):
                result = future.result()
                total += result.seconds
                total_cpu += result.cpu_seconds or 0.0
                slowest = result if slowest is None or result.seconds > slowest.seconds else slowest
                print(_report(result, futures[future]), flush=True)
                if not _store(result, cache):
                    failures.append(result)
        except BaseException as exc:  # Ctrl-C, or a failure here: start no further notebook
            pool.shutdown(wait=False, cancel_futures=True)
            if isinstance(exc, KeyboardInterrupt):  # and stop those running now, rather than wait for them
                print("Interrupted.", file=sys.stderr, flush=True)
                sys.stdout.flush()
                os._exit(130)  # the workers end with this process (_die_with_parent), and their kernels with them
            raise
    wall = time.perf_counter() - start
    print(f"Executed {len(pending)} notebook(s) in {wall:.1f} s wall time, {jobs} at a time "
          f"(their times add up to {total:.1f} s, their kernels' CPU time to {total_cpu:.1f} s); the slowest: "
          f"{_name(slowest.path)}, {slowest.seconds:.1f} s. benchmarks/bench_book.py compares with a serial run.")
    if failures:
        names = ", ".join(_name(r.path) for r in failures)
        print(f"error: {len(failures)} notebook(s) failed: {names}", file=sys.stderr)
        return 1
    return 0


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _store(result: Result, cache) -> bool:
    """Cache a notebook that ran cleanly (True), or report why it failed (False)."""
    from jupyter_cache.base import CacheBundleIn

    if result.kernel_log.strip():
        print("           kernel log:\n" + _indent(result.kernel_log))
    if result.error:
        print(f"           FAILED: {_name(result.path)}\n" + _indent(result.error), flush=True)
        return False
    cache.add_nb_to_project(str(result.path))
    cache.cache_notebook_bundle(
        CacheBundleIn(result.notebook, str(result.path), data={"execution_seconds": result.seconds}),
        check_validity=False, overwrite=True)
    try:  # MyST-NB will look the notebook up as read from its file: it must find this execution
        cache.match_cache_notebook(nbformat.read(result.path, as_version=4))
    except KeyError:
        raise RuntimeError(f"{_name(result.path)}: cached under another key than the build looks up") from None
    return True


def _indent(text: str) -> str:
    if not sys.stdout.isatty():
        text = ANSI.sub("", text)  # tracebacks come coloured; a log file gets them plain
    return "\n".join("           " + line for line in text.rstrip().splitlines())


def _die_with_parent() -> None:
    """In a worker: end when the script ends, however it ends; its kernel then ends too (ipykernel polls its parent).

    SIGKILL, not SIGTERM: while a notebook runs, nbclient handles SIGTERM itself (it shuts the kernel down and
    carries on), and the worker would wait for work forever.
    """
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to execute (default: all of _toc.yml)")
    parser.add_argument("--jobs", "-j", type=int, default=default_jobs(),
                        help="notebooks executed at a time (default: one per core, here %(default)s)")
    parser.add_argument("--force", action="store_true", help="execute even the notebooks already cached")
    args = parser.parse_args(argv)
    settings = Settings.read(ROOT / "_config.yml")
    if settings.mode != "cache":
        print(f"execute: execute_notebooks is {settings.mode!r} in _config.yml, not 'cache'; nothing to do.")
        return 0
    paths = [p.resolve() for p in args.notebooks] or toc_notebooks()
    set_build_environment()  # before any kernel starts: they inherit it
    if drop_stale_cache():
        print("execute: nnmath, the pinned versions or the build's settings changed since the cache was filled: "
              "every notebook runs again.")
    return run(paths, settings, args.jobs, force=args.force)


if __name__ == "__main__":
    sys.exit(main())
