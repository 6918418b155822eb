"""bnlib.tuned against bnlib.batchnorm: the same formulas, so the same numbers, at every block size.

The tuned backward builds dx one block of rows at a time. Each test batch spans several blocks,
with odd sizes, a last block shorter than the others, and blocks of exactly the batch, one row
more or one row less: where a slice can be off by one.
"""
import numpy as np
import pytest

from bnlib import batchnorm_backward, batchnorm_forward
from bnlib.tuned import (BLOCK_BYTES, batchnorm_backward_tuned, batchnorm_forward_tuned, default_block_rows,
                         row_blocks)


def batch(N, D, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    x = (rng.uniform(-3, 3, D) + rng.uniform(0.2, 2, D) * rng.standard_normal((N, D))).astype(dtype)
    gamma = rng.uniform(-2, 2, D).astype(dtype)
    beta = rng.standard_normal(D).astype(dtype)
    dout = rng.standard_normal((N, D)).astype(dtype)
    return x, gamma, beta, dout


def rel(a, b):
    return np.abs(a - b).max() / max(1.0, np.abs(b).max())


@pytest.mark.parametrize("N, D", [(2, 1), (3, 5), (7, 3), (64, 4), (101, 6)])
def test_the_tuned_forward_equals_the_readable_one(N, D):
    x, gamma, beta, _ = batch(N, D)
    out, cache = batchnorm_forward(x, gamma, beta, 0.1)
    out_t, cache_t = batchnorm_forward_tuned(x, gamma, beta, 0.1)
    assert rel(out_t, out) < 1e-13
    for name in ("var", "istd", "xhat", "gamma"):
        assert rel(getattr(cache_t, name), getattr(cache, name)) < 1e-13, name
    assert cache_t.eps == cache.eps == 0.1


@pytest.mark.parametrize("N", [2, 3, 7, 10, 33, 101])
def test_the_tuned_backward_equals_the_readable_one_at_every_block_size(N):
    x, gamma, beta, dout = batch(N, 5)
    _, cache = batchnorm_forward(x, gamma, beta)
    expected = batchnorm_backward(dout, cache)
    for block_rows in sorted({1, 2, 3, N // 2 or 1, N - 1 or 1, N, N + 1, 2 * N}):
        got = batchnorm_backward_tuned(dout, cache, block_rows=block_rows)
        for name, g, e in zip(("dx", "dgamma", "dbeta"), got, expected):
            assert rel(g, e) < 1e-13, (block_rows, name)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_default_blocks_of_a_tall_batch(dtype):
    """(70000, 8) float64 is 4.5 MB: three default blocks of 2 MiB, the last one shorter."""
    N, D = 70_000, 8
    assert default_block_rows(D, np.dtype(dtype).itemsize) < N
    x, gamma, beta, dout = batch(N, D, dtype)
    _, cache = batchnorm_forward(x, gamma, beta)
    got = batchnorm_backward_tuned(dout, cache)
    expected = batchnorm_backward(dout, cache)
    tol = 1e-12 if dtype == np.float64 else 1e-5
    for g, e in zip(got, expected):
        assert g.dtype == dtype and rel(g, e) < tol


def test_row_blocks_cover_every_row_once_in_order():
    for N in range(1, 40):
        for block_rows in range(1, N + 3):
            blocks = row_blocks(N, block_rows)
            rows = np.concatenate([np.arange(N)[s] for s in blocks])
            assert np.array_equal(rows, np.arange(N)), (N, block_rows)
            sizes = [s.stop - s.start for s in blocks]
            assert all(size == block_rows for size in sizes[:-1]) and 1 <= sizes[-1] <= block_rows


def test_default_block_rows_makes_blocks_of_about_two_mebibytes():
    assert default_block_rows(4096, 8) * 4096 * 8 == BLOCK_BYTES
    assert default_block_rows(8, 8) == BLOCK_BYTES // 64
    assert default_block_rows(10**8, 8) == 1          # a row larger than a block: one row at a time


@pytest.mark.parametrize("block_rows, error", [(0, ValueError), (-3, ValueError), (2.5, TypeError),
                                               ("4", TypeError), (True, TypeError)])
def test_a_bad_block_size_is_refused(block_rows, error):
    x, gamma, beta, dout = batch(6, 2)
    _, cache = batchnorm_forward(x, gamma, beta)
    with pytest.raises(error, match="block_rows must be a positive integer"):
        batchnorm_backward_tuned(dout, cache, block_rows=block_rows)


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
def test_the_tuned_passes_refuse_what_the_readable_ones_refuse():
    x, gamma, beta, dout = batch(6, 2)
    with pytest.raises(ValueError, match="batch too small"):
        batchnorm_forward_tuned(x[:1], gamma, beta)
    with pytest.raises(ValueError, match="variance of x overflows"):
        batchnorm_forward_tuned(x * 1e160, gamma, beta)
    _, cache = batchnorm_forward_tuned(x, gamma, beta)
    with pytest.raises(ValueError, match=r"dout must have shape \(6, 2\)"):
        batchnorm_backward_tuned(dout.T, cache)
    with pytest.raises(TypeError, match="returned by batchnorm_forward"):
        batchnorm_backward_tuned(dout, (1, 2))
