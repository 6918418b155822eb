"""The stored runs of ``make bench`` that the course quotes, each with its machine and its date.

* :data:`REFERENCE`: bnlib's own passes, staged against memory-tuned compact (README "Performance",
  notebook 05): bnlib's figure;
* :data:`POST001`: post 001's ``batchnorm_backward_alt`` run as printed, against the staged pass: the
  evidence for the post's claim, "2 to 4 times faster" (the table of the posts, notebooks 05 and 06).

Another machine gives other factors; ``make bench`` (:mod:`bncourse.bench`) measures them there. This
module holds data only and imports nothing.
"""

__all__ = ["REFERENCE", "reference_speedups", "speedup_range", "POST001", "post001_speedups",
           "post001_speedup_range"]


#: The one stored run of ``make bench`` that the course quotes (README "Performance", notebooks 05
#: and 06): staged time / tuned compact time (:func:`bnlib.tuned.batchnorm_backward_tuned`, then
#: called ``batchnorm_backward``) per (dtype, N, D): bnlib's own figure, not a post's.
#: Another machine gives other factors; ``make bench`` measures them there.
REFERENCE = {
    "date": "2026-11-25",
    "machine": ("AMD EPYC (family 25, model 17), a KVM guest with 2 cores; Python 3.11.7, NumPy 2.4.6, "
                "OpenBLAS 0.3.31 on 1 thread; load average 0.9"),
    "staged_over_compact": {
        ("float64", 64, 100): 1.79, ("float64", 256, 256): 6.79, ("float64", 512, 1024): 4.36,
        ("float64", 1024, 2048): 3.31, ("float64", 2048, 4096): 3.02, ("float64", 4096, 4096): 2.96,
        ("float32", 1024, 2048): 1.90, ("float32", 4096, 4096): 2.98,
    },
}


#: Post 001's claim, measured: staged time / time of the post's batchnorm_backward_alt, run as printed
#: (the compact line; cache = (gamma, xhat, istd) from bnlib's forward pass), per (dtype, N, D): the
#: evidence for the post's "2 to 4 times faster". Runs of ``make bench`` on the machine named (README
#: "Performance" gives the spread between them).
POST001 = {
    "date": "2026-12-02",
    "machine": ("Intel Xeon (family 6, model 167), a guest with 2 cores; Python 3.11.7, NumPy 2.4.6, "
                "OpenBLAS 0.3.31 (SkylakeX kernel) on 1 thread; load average 1.8 to 2.9, other programs "
                "running: each ratio is the median of 3 runs"),
    "staged_over_post001": {
        ("float64", 64, 100): 1.84, ("float64", 256, 256): 2.32, ("float64", 512, 1024): 1.98,
        ("float64", 1024, 2048): 1.74, ("float64", 2048, 4096): 1.62, ("float64", 4096, 4096): 1.57,
        ("float32", 1024, 2048): 1.71, ("float32", 4096, 4096): 1.59,
    },
}


def post001_speedups(dtype=None):
    """The stored t_staged / t_post001 of :data:`POST001`, {(dtype, N, D): ratio}."""
    ratios = POST001["staged_over_post001"]
    return {key: q for key, q in ratios.items() if dtype is None or key[0] == dtype}


def post001_speedup_range(dtype=None):
    """(smallest, largest) t_staged / t_post001 of the stored run, to one decimal, and a sentence that
    names the machine and the date: the evidence for post 001's "2 to 4 times faster"."""
    ratios = post001_speedups(dtype).values()
    low, high = round(min(ratios), 1), round(max(ratios), 1)
    shapes = sorted((N, D) for _, N, D in post001_speedups(dtype))
    where = (f"make bench, {POST001['date']}, on {POST001['machine']}; "
             + (dtype or "float64 and float32") + f", (N, D) from {shapes[0]} to {shapes[-1]}")
    return low, high, where


def reference_speedups(dtype=None):
    """The stored speed-ups t_staged / t_compact of :data:`REFERENCE`, {(dtype, N, D): ratio},
    all of them or those of one dtype."""
    ratios = REFERENCE["staged_over_compact"]
    return {key: q for key, q in ratios.items() if dtype is None or key[0] == dtype}


def speedup_range(dtype=None):
    """(smallest, largest) t_staged / t_compact of the stored run, rounded to one decimal as the
    course quotes them, and a sentence that names the machine and the date."""
    ratios = reference_speedups(dtype).values()
    low, high = round(min(ratios), 1), round(max(ratios), 1)
    shapes = sorted((N, D) for _, N, D in reference_speedups(dtype))
    where = (f"make bench, {REFERENCE['date']}, on {REFERENCE['machine']}; "
             + (dtype or "float64 and float32") + f", (N, D) from {shapes[0]} to {shapes[-1]}")
    return low, high, where
