"""bncourse.bench on tiny sizes: the report's structure, the memory accounting, the targets' logic, the cheap NaN check.

No assertion here is about speed: timings depend on the machine and on what else runs on it.
"""
import json

import numpy as np
import pytest

from bncourse import bench

TINY = [(8, 5), (64, 32)]


@pytest.fixture(scope="module")
def report():
    return bench.run(sizes=TINY, dtypes=["float64", "float32"], repeats=2, budget=0.0)


def test_report_has_one_row_per_size_and_dtype(report):
    got = [(r["dtype"], r["N"], r["D"]) for r in report["results"]]
    assert got == [(dt, N, D) for dt in ("float64", "float32") for N, D in TINY]
    json.dumps(report)   # bench.json can be written


def test_each_row_has_times_ratios_and_memory_for_every_call(report):
    for row in report["results"]:
        assert row["rounds"] >= 2
        for part in ("seconds", "ratio_to_floor", "peak_arrays"):
            assert set(row[part]) == set(bench.KERNELS), part
        assert all(t > 0 for t in row["seconds"].values())
        assert row["ratio_to_floor"]["floor"] == 1.0
        assert row["ratio_to_floor"]["backward"] == pytest.approx(
            row["seconds"]["backward"] / row["seconds"]["floor"])
        assert row["staged_over_compact"] == pytest.approx(
            row["seconds"]["backward_staged"] / row["seconds"]["backward_tuned"])
        assert row["staged_over_readable"] == pytest.approx(
            row["seconds"]["backward_staged"] / row["seconds"]["backward"])


def test_machine_and_threads_are_recorded(report):
    machine = report["machine"]
    assert machine["cpu"] and machine["cores"] >= 1 and machine["numpy"] == np.__version__
    assert set(machine["thread_variables"]) == set(bench.THREAD_VARIABLES)
    assert "OPENBLAS_CORETYPE" in machine
    text = bench.format_machine(machine)
    assert "CPU:" in text and "threads:" in text and "BLAS:" in text


def test_peak_memory_counts_temporaries_and_the_result():
    n = 10_000
    # one array of n float64 that is returned
    assert 8 * n <= bench.peak_extra_bytes(lambda: np.empty(n)) < 8 * n + 4096
    # a temporary freed before the end still counts: the peak holds two arrays at once
    assert bench.peak_extra_bytes(lambda: (np.ones(n) + 1.0).sum()) >= 16 * n
    # nothing allocated, nothing counted (beyond a few small Python objects)
    a, b, c = np.ones(n), np.ones(n), np.empty(n)
    assert bench.peak_extra_bytes(lambda: np.add(a, b, out=c)) < 1024


def test_peak_memory_of_the_passes_in_arrays():
    # 1 MiB arrays: the few kB of (D,) vectors and NumPy's buffers are then small beside them
    row = bench.measure(2048, 64, "float64", repeats=1, budget=0.0)
    peak = row["peak_arrays"]
    assert peak["floor"] < 0.05                      # writes into c, allocates nothing
    assert 1.0 <= peak["floor_new_array"] < 1.1      # exactly one new array
    assert 1.0 <= peak["backward_tuned"] < 1.1       # dx, and only small (D,) vectors besides
    assert 2.0 <= peak["forward_tuned"] < 2.1        # out, and xhat for the cache (no xmu)
    assert peak["backward"] >= 2.0                   # the readable formula: dx and temporaries
    assert peak["forward"] >= 3.0                    # the readable forward: xmu, xhat, out and more
    assert peak["backward_staged"] >= 2.0            # staged keeps several temporaries alive


def test_table_shows_every_row():
    report = bench.run(sizes=[(16, 4)], dtypes=["float64"], repeats=1, budget=0.0)
    table = bench.format_table(report)
    assert "16x4" in table and "float64" in table and "staged/" in table
    assert report["targets"] == []                   # the target size was not measured


def fake_report(backward, forward, staged, peak_backward):
    N, D, dtype = bench.TARGET_SIZE
    floor = 1.0
    row = {
        "dtype": dtype, "N": N, "D": D,
        "ratio_to_floor": {"floor": 1.0, "forward_tuned": forward / floor, "backward_tuned": backward / floor},
        "staged_over_compact": staged / backward,
        "peak_arrays": {"backward_tuned": peak_backward},
    }
    return {"results": [row]}


def test_targets_met_and_missed():
    met = bench.check_targets(fake_report(backward=3.0, forward=3.5, staged=9.0, peak_backward=1.0))
    assert len(met) == len(bench.TARGETS) and all(t["met"] for t in met)
    missed = bench.check_targets(fake_report(backward=5.0, forward=4.5, staged=12.0, peak_backward=5.0))
    assert [t["met"] for t in missed] == [False, False, True, False]


def test_main_writes_json_and_prints_the_table(tmp_path, monkeypatch, capsys):
    for name in bench.THREAD_VARIABLES:   # as `python -m bncourse.bench` sets them
        monkeypatch.setenv(name, "1")
    out = tmp_path / "bench.json"
    assert bench.main(["--sizes", "8x3,16x2", "--dtypes", "float32", "--repeats", "1", "--budget", "0",
                       "--json", str(out)]) == 0
    saved = json.loads(out.read_text())
    assert [(r["N"], r["D"]) for r in saved["results"]] == [(8, 3), (16, 2)]
    printed = capsys.readouterr().out
    assert "8x3" in printed and "16x2" in printed and "OMP_NUM_THREADS=1" in printed


def test_main_never_restarts_the_interpreter(tmp_path, monkeypatch, capsys):
    # called from a notebook, main() must run in place (a restart would replace the kernel);
    # it reports the thread variables as they are
    for name in bench.THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(bench.os, "execv", lambda *a: pytest.fail("main() restarted Python"))
    assert bench.main(["--sizes", "8x3", "--dtypes", "float64", "--repeats", "1", "--budget", "0",
                       "--json", str(tmp_path / "b.json")]) == 0
    assert "OMP_NUM_THREADS=None" in capsys.readouterr().out


def test_pinning_restarts_only_when_a_variable_is_not_1(monkeypatch):
    restarts = []
    monkeypatch.setattr(bench.os, "execv", lambda *a: restarts.append(a))
    for name in bench.THREAD_VARIABLES:
        monkeypatch.setenv(name, "1")
    bench.pin_threads_and_restart([])
    assert restarts == []
    monkeypatch.setenv("OMP_NUM_THREADS", "4")
    bench.pin_threads_and_restart(["--budget", "0"])
    assert len(restarts) == 1 and restarts[0][1][-2:] == ["--budget", "0"]
    assert all(bench.os.environ[name] == "1" for name in bench.THREAD_VARIABLES)


# ---------------------------------------------------------------- the cheap NaN check of the fast passes

def test_finite_check_through_the_sum_finds_nan_and_inf_and_accepts_overflow():
    from bnlib.validate import require_finite_via_sum

    a = np.ones((4, 3))
    require_finite_via_sum("x", a, a.sum(axis=0))               # finite: nothing to say
    a[2, 1] = np.inf
    with pytest.raises(ValueError, match=r"x contains 0 NaN and 1 inf value\(s\); the first is at index \(2, 1\)"):
        require_finite_via_sum("x", a, a.sum(axis=0))
    big = np.full((4, 3), 1e308)                                 # finite entries, the sum overflows
    with np.errstate(over="ignore"):
        require_finite_via_sum("x", big, big.sum(axis=0))


@pytest.mark.parametrize("tuned", [False, True], ids=["readable", "tuned"])
def test_forward_and_backward_still_refuse_nan_with_the_location(tuned):
    from bnlib import batchnorm_backward, batchnorm_forward
    from bnlib.tuned import batchnorm_backward_tuned, batchnorm_forward_tuned
    if tuned:
        batchnorm_forward, batchnorm_backward = batchnorm_forward_tuned, batchnorm_backward_tuned

    x = np.arange(12.0).reshape(4, 3)
    x[3, 2] = np.nan
    with pytest.raises(ValueError, match=r"x contains 1 NaN .* index \(3, 2\)"):
        batchnorm_forward(x, np.ones(3), np.zeros(3))
    _, cache = batchnorm_forward(np.arange(12.0).reshape(4, 3), np.ones(3), np.zeros(3))
    dout = np.ones((4, 3))
    dout[1, 0] = -np.inf
    with pytest.raises(ValueError, match=r"dout contains 0 NaN and 1 inf .* index \(1, 0\)"):
        batchnorm_backward(dout, cache)
