r"""How fast are the BatchNorm passes, measured against the least work any of them can do.

``python -m bncourse.bench`` (or ``make bench``) times :func:`~bnlib.batchnorm_forward`,
:func:`~bnlib.batchnorm_backward` (compact) and :func:`~bnlib.batchnorm_backward_staged`, the
readable passes, the memory-tuned forward and compact backward of :mod:`bnlib.tuned`, and post 001's
``batchnorm_backward_alt`` run as the post prints it (:mod:`bncourse.posts.snippets`), for float64
and float32 batches from (64, 100) to (4096, 4096), prints a table and writes ``bench.json``.
The targets are those of the tuned passes. Post 001 claims its compact line is "2 to 4 times faster"
than the staged pass: the evidence for that claim is the ratio of the staged pass to the post's own
code (``staged_over_post001``), not to bnlib's tuned pass (``staged_over_compact``, bnlib's figure).

Absolute times depend on the machine and on whatever else it is doing, so each
time is reported as a ratio to a **floor** measured in the same run, on arrays of
the same shape and dtype:

.. math::  t_\text{floor} = \text{time of } c = a + b \text{ (np.add(a, b, out=c))}

Any backward pass reads two (N, D) arrays (``dout`` and ``xhat``) and writes one
(``dx``): that is exactly the memory traffic of ``np.add(a, b, out=c)``, and for large
arrays moving memory, not arithmetic, is what takes the time. A ratio of 3 means
"costs as much as three additions of two arrays".

The column ``new c`` times ``np.add(a, b)``, which writes into a new array: the
difference from the floor is the price of fresh memory (the operating system
hands out zeroed pages, page by page, on first use), which every function that
returns a new (N, D) array pays once per array.

Each time is the best of several calls after a warm-up call: the best is the run
least disturbed by the rest of the machine. The peak extra memory of each call is
measured with :mod:`tracemalloc` (NumPy reports its array buffers to it) in units
of one (N, D) array, the returned arrays included.

BLAS and OpenMP thread pools are pinned to one thread (OMP_NUM_THREADS,
OPENBLAS_NUM_THREADS and MKL_NUM_THREADS are 1 before NumPy is loaded), so that
the figures do not depend on how many cores happen to be idle. The load average
of the machine is recorded too: other programs running at the same time make
every call slower, the floor included, but not all by the same factor.
"""
import argparse
import gc
import json
import os
import platform
import subprocess
import sys
import time
import tracemalloc

import numpy as np

from bnlib.batchnorm import (
    batchnorm_backward,
    batchnorm_backward_staged,
    batchnorm_forward,
)
from bnlib.tuned import batchnorm_backward_tuned, batchnorm_forward_tuned
from bncourse.bench_stored import (POST001, REFERENCE, post001_speedup_range, post001_speedups,  # noqa: F401
                                   reference_speedups, speedup_range)

__all__ = [
    "SIZES",
    "DTYPES",
    "KERNELS",
    "TARGETS",
    "THREAD_VARIABLES",
    "run",
    "measure",
    "peak_extra_bytes",
    "check_targets",
    "machine_info",
    "format_machine",
    "format_table",
    "main",
    "REFERENCE",
    "reference_speedups",
    "speedup_range",
    "POST001",
    "post001_speedups",
    "post001_speedup_range",
]

SIZES = [(64, 100), (256, 256), (512, 1024), (1024, 2048), (2048, 4096), (4096, 4096)]
DTYPES = ["float64", "float32"]
KERNELS = ["floor", "floor_new_array", "forward", "forward_tuned", "backward", "backward_tuned",
           "backward_staged", "backward_post001"]
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")

# The targets, checked at (4096, 4096) float64: (name, what is measured, limit).
TARGET_SIZE = (4096, 4096, "float64")
TARGETS = [
    ("tuned compact backward <= 4x floor", ("ratio_to_floor", "backward_tuned"), "<=", 4.0),
    ("tuned forward <= 4x floor", ("ratio_to_floor", "forward_tuned"), "<=", 4.0),
    ("tuned compact backward >= 2x faster than staged", ("staged_over_compact",), ">=", 2.0),
    ("tuned compact backward peak memory <= 4 arrays (dx included)", ("peak_arrays", "backward_tuned"), "<=", 4.0),
]


# ---------------------------------------------------------------- the machine

def cpu_model():
    """The CPU's model name from /proc/cpuinfo (Linux), else what platform knows."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def blas_runtime():
    """Name, version, CPU kernel and thread count of the BLAS that NumPy loaded.

    threadpoolctl answers this when it is installed; otherwise ask OpenBLAS itself,
    through the library file the process has mapped (Linux only).
    """
    try:
        import threadpoolctl
        return [
            {k: info.get(k) for k in ("internal_api", "version", "architecture", "num_threads")}
            for info in threadpoolctl.threadpool_info()
        ]
    except ImportError:
        pass
    import ctypes
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "openblas" in line.lower() and "/" in line}
    except OSError:
        return []
    found = []
    for path in sorted(paths):
        lib = ctypes.CDLL(path)
        info = {"internal_api": "openblas", "filepath": os.path.basename(path)}
        for key, suffixes in [("version", "get_config"), ("architecture", "get_corename"),
                              ("num_threads", "get_num_threads")]:
            for prefix, tail in [("openblas_", ""), ("scipy_openblas_", "64_"), ("openblas_", "64_")]:
                fn = getattr(lib, prefix + suffixes + tail, None)
                if fn is not None:
                    fn.restype = ctypes.c_int if key == "num_threads" else ctypes.c_char_p
                    value = fn()
                    info[key] = value.decode() if isinstance(value, bytes) else value
                    break
        found.append(info)
    return found


def machine_info():
    """What the figures depend on: CPU, cores, NumPy, BLAS and the thread settings."""
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas_runtime(),
        "thread_variables": {name: os.environ.get(name) for name in THREAD_VARIABLES},
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
        # other programs running at the same time slow the calls down: say how busy the machine was
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }


# ---------------------------------------------------------------- measuring

def make_inputs(N, D, dtype, seed=0):
    """A batch with distinct means and scales per feature, its forward cache and a dout."""
    rng = np.random.default_rng(seed)
    x = (rng.uniform(-5, 5, D) + rng.uniform(0.1, 3, D) * rng.standard_normal((N, D))).astype(dtype)
    gamma = rng.uniform(0.5, 2.0, D).astype(dtype)
    beta = rng.standard_normal(D).astype(dtype)
    dout = rng.standard_normal((N, D)).astype(dtype)
    return x, gamma, beta, dout


def post001_backward():
    """Post 001's ``batchnorm_backward_alt``, run as the post prints it (its lost indentation restored)."""
    from bncourse.posts.snippets import run_snippet
    return run_snippet("001", "backward_alt")["batchnorm_backward_alt"]


def kernels(N, D, dtype):
    """The calls to time (see KERNELS), each a function of no arguments, on fresh inputs."""
    x, gamma, beta, dout = make_inputs(N, D, dtype)
    _, cache = batchnorm_forward(x, gamma, beta)
    post = post001_backward()
    post_cache = (cache.gamma, cache.xhat, cache.istd)        # what the post's forward pass caches
    # the floor: read two (N, D) arrays, write a third that already exists
    a, b, c = dout.copy(), cache.xhat.copy(), np.empty_like(dout)
    return {
        "floor": lambda: np.add(a, b, out=c),
        # the same into a new array, as any function returning one must: the price of fresh memory
        "floor_new_array": lambda: np.add(a, b),
        "forward": lambda: batchnorm_forward(x, gamma, beta),
        "forward_tuned": lambda: batchnorm_forward_tuned(x, gamma, beta),
        "backward": lambda: batchnorm_backward(dout, cache),
        "backward_tuned": lambda: batchnorm_backward_tuned(dout, cache),
        "backward_staged": lambda: batchnorm_backward_staged(dout, cache),
        "backward_post001": lambda: post(dout, post_cache),
    }


def best_times(calls, repeats, budget):
    """Best-of time of each call, after one warm-up call each.

    The calls take turns (floor, forward, backward, staged, floor, ...), so a noisy
    moment of the machine hits them all alike. Calls are repeated at least
    ``repeats`` times, and more while the round trip is shorter than ``budget``
    seconds (tiny arrays need many calls for a stable best), at most 1000 rounds.
    Each call runs right after a different one, never after itself: arrays that
    fit in the CPU cache would otherwise still be there from its previous run.
    """
    for f in calls.values():
        f()
    best = {name: float("inf") for name in calls}
    rounds, spent = 0, 0.0
    gc_was_on = gc.isenabled()
    gc.disable()   # a garbage collection in the middle of a call is not the call's cost
    try:
        while rounds < repeats or (spent < budget and rounds < 1000):
            for name, f in calls.items():
                t0 = time.perf_counter()
                f()
                t = time.perf_counter() - t0
                best[name] = min(best[name], t)
                spent += t
            rounds += 1
    finally:
        if gc_was_on:
            gc.enable()
    return best, rounds


def peak_extra_bytes(f):
    """Largest memory in use during ``f()`` beyond what was in use before, in bytes.

    What ``f`` returns is alive at the end of the call and so is counted (dx of a
    backward pass, out and the cache of a forward pass).
    """
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        result = f()
        _, peak = tracemalloc.get_traced_memory()
        del result
    finally:
        if started:
            tracemalloc.stop()
    return peak - before


def measure(N, D, dtype, repeats=5, budget=2.0):
    """One row of the report: times, ratios and peak memory at one size and dtype."""
    calls = kernels(N, D, dtype)
    seconds, rounds = best_times(calls, repeats, budget)
    array_bytes = N * D * np.dtype(dtype).itemsize
    peak = {name: peak_extra_bytes(f) / array_bytes for name, f in calls.items()}
    floor = seconds["floor"]
    return {
        "dtype": dtype,
        "N": N,
        "D": D,
        "rounds": rounds,
        "seconds": seconds,
        "ratio_to_floor": {name: seconds[name] / floor for name in KERNELS},
        "staged_over_compact": seconds["backward_staged"] / seconds["backward_tuned"],
        "staged_over_readable": seconds["backward_staged"] / seconds["backward"],
        "staged_over_post001": seconds["backward_staged"] / seconds["backward_post001"],
        "peak_arrays": peak,
    }


def run(sizes=SIZES, dtypes=DTYPES, repeats=5, budget=2.0, progress=None):
    """Measure every size and dtype; return the report (a dict that json can write)."""
    machine = machine_info()   # before the run: the load average is then that of other programs
    rows = []
    for dtype in dtypes:
        for N, D in sizes:
            rows.append(measure(N, D, dtype, repeats, budget))
            if progress:
                progress(rows[-1])
    report = {"machine": machine, "repeats": repeats, "results": rows}
    report["targets"] = check_targets(report)
    return report


def check_targets(report):
    """Each target of the course at (4096, 4096) float64, if that size was measured."""
    N, D, dtype = TARGET_SIZE
    rows = [r for r in report["results"] if (r["N"], r["D"], r["dtype"]) == (N, D, dtype)]
    if not rows:
        return []
    row = rows[0]
    checked = []
    for name, path, op, limit in TARGETS:
        value = row
        for key in path:
            value = value[key]
        ok = value <= limit if op == "<=" else value >= limit
        checked.append({"target": name, "value": value, "limit": limit, "op": op, "met": bool(ok)})
    return checked


# ---------------------------------------------------------------- reporting

def format_machine(machine):
    """The machine, in a few lines."""
    blas = "; ".join(
        f"{b.get('internal_api')} {b.get('version', '')}, kernel {b.get('architecture')}, "
        f"{b.get('num_threads')} thread(s)"
        for b in machine["blas"]
    ) or "not found"
    threads = ", ".join(f"{k}={v}" for k, v in machine["thread_variables"].items())
    return "\n".join([
        f"CPU: {machine['cpu']}, {machine['cores']} cores",
        f"Python {machine['python']}, NumPy {machine['numpy']}",
        f"BLAS: {blas}",
        f"threads: {threads}, OPENBLAS_CORETYPE={machine['OPENBLAS_CORETYPE']}",
        "load average (1, 5, 15 min): "
        + (" ".join(f"{x:.2f}" for x in machine["load_average"]) if machine["load_average"] else "unknown"),
    ])


def format_table(report):
    """The report as a text table: floor time, ratios to it, staged/compact, peak memory."""
    names = ["forward", "forward_tuned", "backward", "backward_tuned", "backward_staged", "backward_post001"]
    short = ["fwd", "fwd tun", "compact", "cmp tun", "staged", "post001"]
    head = (f"{'dtype':8} {'N x D':>11} {'floor ms':>9} | {'new c':>6} "
            + " ".join(f"{s:>7}" for s in short)
            + f" | {'staged/':>7} {'staged/':>7} | " + " ".join(f"{s:>7}" for s in short))
    head2 = (f"{'':8} {'':>11} {'':>9} | {'time / floor':^54} | {'cmp tun':>7} {'post001':>7} | "
             f"{'peak memory, (N, D) arrays':^47}")
    lines = [head, head2, "-" * len(head)]
    for r in report["results"]:
        t, p = r["ratio_to_floor"], r["peak_arrays"]
        lines.append(
            f"{r['dtype']:8} {str(r['N']) + 'x' + str(r['D']):>11} {r['seconds']['floor'] * 1e3:9.3f} | "
            f"{t['floor_new_array']:6.2f} " + " ".join(f"{t[n]:7.2f}" for n in names)
            + f" | {r['staged_over_compact']:7.2f} {r['staged_over_post001']:7.2f} | "
            + " ".join(f"{p[n]:7.2f}" for n in names)
        )
    if report.get("targets"):
        lines.append("")
        lines.append("targets at %dx%d %s:" % TARGET_SIZE)
        for t in report["targets"]:
            lines.append(f"  [{'met' if t['met'] else 'MISSED'}] {t['target']}: "
                         f"{t['value']:.2f} (limit {t['op']} {t['limit']:g})")
    return "\n".join(lines)


def pin_threads_and_restart(argv):
    """Make sure every thread variable is 1 before NumPy starts; restart Python if needed.

    ``python -m bncourse.bench`` imports the package bnlib first, and with it NumPy,
    whose BLAS reads these variables once, when it is loaded: setting them now
    would be too late, so the interpreter is started again with them set.
    """
    if all(os.environ.get(name) == "1" for name in THREAD_VARIABLES):
        return
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"
    sys.stdout.flush()
    os.execv(sys.executable, [sys.executable, "-m", "bncourse.bench", *argv])


def import_seconds(module="bncourse.posts", repeats=5):
    """Seconds to import ``module`` in a fresh interpreter, beyond importing bnlib itself (best of
    ``repeats``): what a notebook pays for ``from bncourse import posts``."""
    code = ("import time, bnlib; t = time.perf_counter(); import %s; "
            "print(time.perf_counter() - t)" % module)
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(repeats)]
    return min(runs)


def parse_size(text):
    N, D = text.lower().split("x")
    return int(N), int(D)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m bncourse.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=lambda s: [parse_size(p) for p in s.split(",")], default=SIZES,
                        help="comma-separated NxD, e.g. 64x100,4096x4096")
    parser.add_argument("--dtypes", type=lambda s: s.split(","), default=DTYPES)
    parser.add_argument("--repeats", type=int, default=5, help="at least this many timed calls each")
    parser.add_argument("--budget", type=float, default=2.0,
                        help="seconds of timed calls per size, at least (more calls: a steadier best)")
    parser.add_argument("--json", default="bench.json", help="where to write the report")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    report = run(args.sizes, args.dtypes, args.repeats, args.budget,
                 progress=lambda r: print(f"  measured {r['dtype']} {r['N']}x{r['D']}", flush=True))
    report["import_seconds"] = {"bncourse.posts": import_seconds("bncourse.posts")}
    report["wall_seconds"] = time.perf_counter() - started
    print()
    print(format_machine(report["machine"]))
    print(f"each time: best of >= {args.repeats} calls after a warm-up; "
          "floor = np.add(a, b, out=c) on arrays of the same shape\n")
    print(format_table(report))
    print(f"\nimport bncourse.posts (fresh interpreter, after bnlib): "
          f"{report['import_seconds']['bncourse.posts'] * 1e3:.1f} ms, best of 5 (target: well under 200 ms)")
    with open(args.json, "w") as f:
        json.dump(report, f, indent=1)
    print(f"\nwrote {args.json} ({report['wall_seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    # only here, never from main(): called in a notebook, a restart would replace the kernel
    pin_threads_and_restart(sys.argv[1:])
    sys.exit(main())
