"""How fast every widget's figure follows the hand in a real JupyterLab (headless Chromium, mouse drags).

For each widget of the book (every ``widgets.<name>(...)`` cell of the chapters, with the literal
arguments the chapter passes), this writes a small notebook holding only that widget, starts JupyterLab
on 127.0.0.1 over those notebooks, opens each one, runs it, and drags the widget's main slider (the first
one) with the mouse: press on the handle, one move per 1/60 s for half a second, release; then waits
until the figure has been still for 1.5 s. Alternate drags go one way and back (first towards the side of
the track with more room). It reports, per widget,
medians over the drags of

- first frame: from the first mouse move that changes the slider's value to the first new figure shown,
- settle: from the release to the last new figure (0 when the figure was done before the release),
- frames: how many new figures were shown per drag, and values: how many slider values the hand passed.

A new figure is detected in the page (MutationObserver, performance.now()): an ``<img>`` inside the
widget that loads a new picture (today's ipywidgets Image), or a ``.nnmath-figure`` element whose
``data-frame`` attribute goes up after each frame drawn on its ``<canvas>`` (a front-end renderer). The
budget of the book is 50 ms for both.

    .venv/bin/python benchmarks/bench_lab.py [--drags 6] [--only DescentPlayground] [--fraction 0.25]
"""

from __future__ import annotations

import argparse
import ast
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "lab"))

import lab_session as lab  # noqa: E402  (the JupyterLab driver shared with tests/lab)

BUDGET_MS = 50.0


def book_widgets() -> list[dict]:
    """Every widget call of the chapters: ``{"chapter", "name", "call"}``, in reading order.

    ``call`` keeps the keyword arguments that are literals (e.g. ``epoch=300``) and drops the others
    (e.g. ``points=X``, data the chapter computed), which then take the widget's defaults.
    """
    found = []
    for path in lab.chapter_notebooks():
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            if cell["cell_type"] != "code":
                continue
            try:
                tree = ast.parse("".join(cell["source"]))
            except SyntaxError:
                continue
            for node in tree.body:
                call = node.value if isinstance(node, ast.Expr) else None
                if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                        and isinstance(call.func.value, ast.Name) and call.func.value.id == "widgets"):
                    continue
                kwargs = []
                for kw in call.keywords:
                    try:
                        ast.literal_eval(kw.value)
                    except ValueError:
                        continue
                    kwargs.append(f"{kw.arg}={ast.unparse(kw.value)}")
                found.append({"chapter": path.stem, "name": call.func.attr,
                              "call": f"widgets.{call.func.attr}({', '.join(kwargs)})"})
    return found


def widget_notebook(call: str) -> str:
    """A notebook with the chapters' setup (the book's plot style) and one widget."""
    cells = [
        {"cell_type": "code", "execution_count": None, "id": "setup", "metadata": {}, "outputs": [],
         "source": ["from nnmath import plots, widgets\n", "\n", "plots.style()"]},
        {"cell_type": "code", "execution_count": None, "id": "widget", "metadata": {}, "outputs": [],
         "source": [call]},
    ]
    notebook = {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
                "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}}
    return json.dumps(notebook, indent=1)


def load() -> str:
    """The machine's load (a busy machine makes every number larger: compare runs under similar load)."""
    if not hasattr(os, "getloadavg"):
        return ""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def median(values):
    values = [v for v in values if not math.isnan(v)]
    return statistics.median(values) if values else float("nan")


def bench_widget(page, server, name: str, label: str | None, args) -> dict:
    lab.open_notebook(page, server, name)
    lab.run_all(page)
    root = lab.widget_cell_output(page, 1)
    page.wait_for_timeout(500)  # the first picture decoded and shown
    slider = lab.find_slider(page, root, label)
    lab.watch_figure(page, root)
    timings = []
    first = 1 if slider["position"] < 0.5 else -1  # towards the side with room to move
    for k in range(args.drags):
        fraction = first * args.fraction * (1 if k % 2 == 0 else -1)
        timings.append(lab.measure_drag(page, slider, fraction, duration=args.duration, rate=args.rate))
    errors = lab.error_outputs(page)
    return {"slider": slider["label"], "timings": timings, "errors": errors}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drags", type=int, default=6, help="drags per widget (default 6)")
    parser.add_argument("--fraction", type=float, default=0.25, help="share of the track per drag (0.25)")
    parser.add_argument("--duration", type=float, default=0.5, help="seconds per drag (0.5)")
    parser.add_argument("--rate", type=float, default=60.0, help="mouse moves per second (60)")
    parser.add_argument("--only", action="append", help="benchmark only these widgets (repeatable)")
    parser.add_argument("--slider", help="drag the slider whose label contains this text, not the first")
    parser.add_argument("--windowing", default=None, help="JupyterLab's notebook windowing mode (default: its own)")
    args = parser.parse_args(argv)

    widgets = [w for w in book_widgets() if not args.only or w["name"] in args.only]
    if not widgets:
        print("no widget matched", file=sys.stderr)
        return 2
    files = {f"bench_{w['name']}.ipynb": widget_notebook(w["call"]) for w in widgets}

    from playwright.sync_api import sync_playwright

    print(f"{len(widgets)} widgets, {args.drags} mouse drags each ({args.fraction:.0%} of the track in "
          f"{args.duration:g} s at {args.rate:g} Hz); medians in ms; budget {BUDGET_MS:g} ms; {load()}")
    print(f"{'widget':34s} {'slider':22s} {'first frame':>11s} {'settle':>7s} {'frames':>6s} {'values':>6s}  "
          f"{'first frame/settle of each drag'}")
    failures = 0
    started = time.perf_counter()
    with lab.LabServer(extra_files=files, windowing=args.windowing) as server, sync_playwright() as playwright:
        browser = lab.launch_chromium(playwright)
        try:
            external = []
            for widget in widgets:
                name = f"bench_{widget['name']}.ipynb"
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                log = lab.watch_page(page, server.base_url)
                try:
                    result = bench_widget(page, server, name, args.slider, args)
                finally:
                    page.close()
                    server.shutdown_kernels()
                external += log.external
                t = result["timings"]
                first, settle = median([x.first_frame for x in t]), median([x.settle for x in t])
                frames, values = median([x.frames for x in t]), median([x.values for x in t])
                ok = first <= BUDGET_MS and settle <= BUDGET_MS
                failures += not ok
                each = " ".join(f"{x.first_frame:.0f}/{x.settle:.0f}" for x in t)
                print(f"{widget['call'][:34]:34s} {result['slider'][:22]:22s} {first:11.0f} {settle:7.0f} "
                      f"{frames:6.0f} {values:6.0f}  {each}{'' if ok else '  over budget'}", flush=True)
                for error in result["errors"]:
                    print(f"    error shown: {error}")
            if external:
                print(f"requests off 127.0.0.1 (blocked): {external[:5]}")
        finally:
            browser.close()
    print(f"{len(widgets) - failures} of {len(widgets)} widgets within {BUDGET_MS:g} ms "
          f"(first frame and settle); {time.perf_counter() - started:.0f} s; {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
