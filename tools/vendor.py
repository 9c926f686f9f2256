"""Copy the browser assets the HTML book needs from node_modules/ into _vendor/.

`make vendor` runs `npm ci` first (package-lock.json pins every file), then this script. Sphinx serves
_vendor/ as static files (html_static_path), so the built book loads MathJax, require.js and the Jupyter
widget manager from its own _static/ folder and needs no network. _vendor/ is generated and git-ignored:
no third-party file is committed.

Only what a page can request is copied:

* MathJax 3: the `tex-mml-chtml` component, the TeX extensions it autoloads, the CHTML fonts, and the
  accessibility / menu components it may load on demand (other output formats and bundles are left out).
* require.js, which the widget manager needs.
* @jupyter-widgets/html-manager's `embed-amd.js` and the icon fonts (Font Awesome, shipped in the same
  dist/ folder under content-hash names) that its stylesheet points to. assets/widgets-setup.js makes
  the page look for them in _static/widgets/.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
OUT = ROOT / "_vendor"

MATHJAX = NODE / "mathjax" / "es5"
MATHJAX_PARTS = ["tex-mml-chtml.js", "input/tex", "input/mml", "output/chtml", "a11y", "ui", "sre", "adaptors"]
MANAGER = NODE / "@jupyter-widgets" / "html-manager" / "dist"
REQUIREJS = NODE / "requirejs" / "require.js"
FONT_FILE = re.compile(r"^[0-9a-f]{20}\.(woff2|woff)$")  # browsers take woff2, else woff


def _copy(src: Path, dst: Path) -> None:
    if not src.exists():
        sys.exit(f"vendor: {src.relative_to(ROOT)} is missing; run `npm ci` (or `make vendor`).")
    dst.parent.mkdir(parents=True, exist_ok=True)
    if src.is_dir():
        shutil.copytree(src, dst)
    else:
        shutil.copy2(src, dst)


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    for part in MATHJAX_PARTS:
        _copy(MATHJAX / part, OUT / "mathjax" / part)
    _copy(REQUIREJS, OUT / "widgets" / "require.js")
    _copy(MANAGER / "embed-amd.js", OUT / "widgets" / "embed-amd.js")
    fonts = [p for p in MANAGER.iterdir() if FONT_FILE.match(p.name)]
    if not fonts:
        sys.exit("vendor: no icon fonts found next to embed-amd.js; check the html-manager version.")
    for font in fonts:
        _copy(font, OUT / "widgets" / font.name)
    size = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"vendor: {OUT.relative_to(ROOT)}/ filled ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
