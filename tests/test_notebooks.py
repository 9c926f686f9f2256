"""The committed notebooks store only outputs that are the same on every machine (nbval compares them as text).

What differs between CPUs is the last bits of floating point and what follows from them: rendered pixels (the
kernel-free widgets embed PNG backgrounds in text/html, so they are produced only by the book's build), floats
printed at full precision, the digits of a rounding-noise error, timings. ``make nbval-baseline-cpu`` re-runs
every notebook as on another CPU; these checks catch the fragile outputs by their form, before any run.
"""

import json
import pathlib
import re

import pytest

CHAPTERS = sorted((pathlib.Path(__file__).resolve().parents[1] / "chapters").glob("*.ipynb"))
NUMBER = re.compile(r"(?<![\w.])\d+\.\d+(?:e[-+]?\d+)?")
TIMING = re.compile(r"\b\d+(?:\.\d+)?\s?(?:ns|µs|us|ms)\b|\b\d+\.\d+\s?s\b")


def _text_outputs(path):
    for index, cell in enumerate(json.loads(path.read_text())["cells"]):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                yield index, "stream", "".join(output["text"])
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/"):
                    yield index, mime, "".join(value)


def _significant_digits(token: str) -> int:
    mantissa = token.split("e")[0].replace(".", "").lstrip("0")
    return len(mantissa)


def test_there_are_chapters():
    assert CHAPTERS


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_kernel_free_widget_is_stored(path):
    for index, mime, text in _text_outputs(path):
        assert "nnmath-static" not in text and "nnmath-figure" not in text, (
            f"cell {index} stores a kernel-free widget ({mime}); only the book's build makes it")
        assert "data:image/png;base64" not in text, f"cell {index} stores pixels in {mime}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_float_is_printed_at_full_precision(path):
    for index, mime, text in _text_outputs(path):
        long = [t for t in NUMBER.findall(text) if _significant_digits(t) > 10]
        assert not long, f"cell {index} ({mime}) prints {long[:3]}: round it to what the text needs"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_timing_is_stored(path):
    for index, mime, text in _text_outputs(path):
        found = TIMING.findall(text)
        assert not found, f"cell {index} ({mime}) stores a timing {found[:3]}: timings belong in benchmarks/"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_widget_state_is_stored(path):
    """A saved widget state shows a frozen figure whose controls move nothing until the chapter runs, and carries
    rendered pixels: tools/run_notebooks.py drops it, and the book's build never uses it."""
    assert "widgets" not in json.loads(path.read_text())["metadata"], "re-run it with tools/run_notebooks.py"
