"""Time of the kernel-free export of every widget the chapters show, and a fingerprint of what it exports.

When the book is built (``NNMATH_STATIC_HTML=1``), a widget cell builds the widget and exports it for a page
with no kernel (:mod:`nnmath.widgets.static`): a ``"grid"`` widget is moved through every state of its grid,
each state's moving artists recorded as drawing commands. This script does the same for each widget call of
the chapters (with the chapter's arguments and ``plots.style()``), ``--repeats`` times, and prints the median
time of the whole cell (building the widget and its ``text/html``; wall-clock and CPU), the number of states
and a SHA-256 of the exported data (``json.dumps(..., sort_keys=True)``) and of the HTML fragment.

``--save FILE`` writes the fingerprints (and ``--dump DIR`` the data of each widget, as JSON) so that the export
of two versions of the package can be compared, state for state: ``--compare FILE`` reports every widget whose
data or HTML differs from the saved ones (and exits with status 1 if any does).

    .venv/bin/python benchmarks/bench_static.py [--repeats 3] [--only Descent] [--save a.json | --compare a.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path

os.environ["NNMATH_STATIC_HTML"] = "1"
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from nnmath import plots, widgets  # noqa: E402
from nnmath.widgets.static import static_data, static_html  # noqa: E402

CHAPTERS = Path(__file__).resolve().parent.parent / "chapters"

#: The names the chapters' widget calls use, as the chapters define them (chapter 1's three points A, B, C).
NAMESPACE = {"widgets": widgets, "np": np, "X": np.array([[0.0, 0.0], [1.5, 1.5], [-2.0, -2.0]])}


def chapter_calls() -> list[tuple[str, str]]:
    """Every ``widgets.<Name>(...)`` call of a code cell of the chapters, as (chapter, call), in order."""
    calls = []
    for notebook in sorted(CHAPTERS.glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] == "code":
                source = "".join(cell["source"])
                calls += [(notebook.stem[:2], call) for call in re.findall(r"widgets\.[A-Z]\w*\([^()]*\)", source)]
    return calls


def fingerprint(data: dict, html: str) -> dict:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return {"data": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "html": hashlib.sha256(html.encode("utf-8")).hexdigest(),
            "states": len(data.get("states", ()))}


def export(call: str):
    """Build the widget as the chapter does and export it: (seconds, CPU seconds, data, html)."""
    t0, c0 = time.perf_counter(), time.process_time()
    pg = eval(call, dict(NAMESPACE))  # noqa: S307 - the chapters' own calls
    data = static_data(pg)
    html = static_html(pg, data)
    return time.perf_counter() - t0, time.process_time() - c0, data, html


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", default="", help="only the calls that contain this")
    parser.add_argument("--save", help="write the fingerprints to this JSON file")
    parser.add_argument("--compare", help="compare the fingerprints with this JSON file")
    parser.add_argument("--dump", help="write each widget's exported data to this directory")
    args = parser.parse_args()
    plots.style()
    saved = json.loads(Path(args.compare).read_text()) if args.compare else {}
    prints, differ, total, total_cpu = {}, [], 0.0, 0.0
    print(f"{'ch':2s} {'call':45s} {'median s':>9s} {'CPU s':>6s} {'states':>7s}  data sha256")
    for chapter, call in chapter_calls():
        if args.only not in call:
            continue
        times, cpu = [], []
        for _ in range(max(args.repeats, 1)):
            seconds, cpu_seconds, data, html = export(call)
            times.append(seconds)
            cpu.append(cpu_seconds)
        key = f"{chapter} {call}"
        prints[key] = fingerprint(data, html)
        if args.dump:
            name = re.sub(r"\W+", "_", key).strip("_") + ".json"
            Path(args.dump).mkdir(parents=True, exist_ok=True)
            Path(args.dump, name).write_text(json.dumps(data, sort_keys=True, ensure_ascii=False))
        same = ""
        if key in saved:
            same = "  same" if saved[key] == prints[key] else "  DIFFERS"
            if saved[key] != prints[key]:
                differ.append(key)
        total, total_cpu = total + float(np.median(times)), total_cpu + float(np.median(cpu))
        print(f"{chapter:2s} {call:45s} {np.median(times):9.2f} {np.median(cpu):6.2f} {prints[key]['states']:7d}  "
              f"{prints[key]['data'][:16]}{same}", flush=True)
    print(f"total of the medians: {total:.1f} s ({total_cpu:.1f} s of CPU)")
    if args.save:
        Path(args.save).write_text(json.dumps(prints, indent=1, sort_keys=True) + "\n")
    if args.compare:
        missing = sorted(set(prints) - set(saved))
        if missing:
            print("not in", args.compare, ":", ", ".join(missing))
        print("all the same" if not differ else f"{len(differ)} differ: " + ", ".join(differ))
        sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
