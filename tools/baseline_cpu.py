"""Print the numpy SIMD targets this CPU has beyond numpy's baseline, as NPY_DISABLE_CPU_FEATURES expects them.

``make nbval-baseline-cpu`` runs the notebooks again with those targets turned off, so numpy computes with its
baseline instructions only — as on an older or different CPU. Vectorised ``exp``, ``log`` and sums then round
differently in their last bits; a stored output that changes under that is one that would fail on another
machine (a float printed at full precision, the digit of a rounding-noise error). An empty line means the CPU
has nothing beyond the baseline (the second run is then the same as the first).
"""

from numpy._core import _multiarray_umath as umath

available = [target for target in umath.__cpu_dispatch__ if umath.__cpu_features__.get(target)]
print(" ".join(available))
