"""How long a cold build spends executing the book's notebooks: one after another, then several at once.

Runs ``tools/execute.py --force`` twice on every notebook of _toc.yml, with one BLAS thread per kernel as
``make book`` runs them: first ``--jobs 1`` (the serial reference: each notebook's one-by-one time), then
``--jobs N`` (default: one per core, as ``make book`` does). Reports each notebook's time in both runs, the
serial sum, the parallel wall time and their ratio, and the slowest notebook of the parallel run, against the
targets: the parallel wall time at most 60% of the serial sum, and no notebook over 20 s.

Both runs fill the book's own cache (_build/.jupyter_cache), as ``make book`` would; nothing else is changed.
A run takes a few minutes (twice the book's execution time, then the parallel part again).

    .venv/bin/python benchmarks/bench_book.py [--jobs N] [--repeats R]

With ``--repeats R`` the parallel run is repeated and the median wall time is reported (the serial run is
done once: it is the reference, and the longest part).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXECUTE = ROOT / "tools" / "execute.py"
LINE = re.compile(r"^\s*([\d.]+) s(?: \(kernel CPU\s+([\d.]+) s\))?\s+(\S+\.ipynb)\s*$")
SUMMARY = re.compile(r"Executed (\d+) notebook\(s\) in ([\d.]+) s wall time")
WALL_SHARE, LONGEST = 0.60, 20.0  # the targets


def run(jobs: int) -> tuple[float, dict[str, float]]:
    """Execute every notebook with ``jobs`` at a time; (wall seconds, {notebook: seconds})."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, str(EXECUTE), "--force", "--jobs", str(jobs)], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"tools/execute.py failed:\n{done.stdout}\n{done.stderr}")
    times = {m[3]: float(m[1]) for m in map(LINE.match, done.stdout.splitlines()) if m}
    summary = SUMMARY.search(done.stdout)
    if summary is None or not times:
        sys.exit(f"could not read tools/execute.py's report:\n{done.stdout}")
    return float(summary[2]), times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    serial_wall, serial = run(1)
    parallel_runs = [run(args.jobs) for _ in range(args.repeats)]
    walls = [wall for wall, _ in parallel_runs]
    wall = statistics.median(walls)
    parallel = {name: statistics.median(times[name] for _, times in parallel_runs) for name in serial}
    total = sum(serial.values())
    print(f"{'notebook':45s} {'alone, s':>9s} {f'{args.jobs} at a time, s':>16s}")
    for name in sorted(serial, key=serial.get, reverse=True):
        print(f"{name:45s} {serial[name]:9.1f} {parallel.get(name, float('nan')):16.1f}")
    slowest = max(parallel, key=parallel.get)
    share = wall / total
    print(f"\nserial: the notebooks' times add up to {total:.1f} s ({serial_wall:.1f} s wall)")
    print(f"{args.jobs} at a time: {wall:.1f} s wall" + (f" (median of {len(walls)}: "
          + ", ".join(f"{w:.1f}" for w in walls) + ")" if len(walls) > 1 else ""))
    print(f"target 1: wall time at most {WALL_SHARE:.0%} of the serial sum: {share:.0%} "
          f"({'met' if share <= WALL_SHARE else 'NOT met'})")
    print(f"target 2: no notebook over {LONGEST:.0f} s: the slowest is {slowest} at {parallel[slowest]:.1f} s "
          f"when {args.jobs} run at a time, {max(serial.values()):.1f} s alone "
          f"({'met' if parallel[slowest] <= LONGEST else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
