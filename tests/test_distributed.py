"""The sharded BatchNorm (SyncBatchNorm): over K shards it is BatchNorm of the concatenated batch.

`make test-torch` runs the same functions in several processes with torch.distributed
(tests/test_sharded_gloo.py); here one process holds every shard and the all-reduce is a sum.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bnlib
from bncourse.tools import sharded_gloo, torch_reference
from bnlib import local_allreduce, rel_error, sharded_batchnorm_backward, sharded_batchnorm_forward

TOL = 1e-12


def batch(N, D, seed, dtype=np.float64, shift=0.0):
    rng = np.random.default_rng(seed)
    x = shift + rng.uniform(-3, 3, D) + rng.uniform(0.5, 2, D) * rng.standard_normal((N, D))
    gamma = rng.uniform(0.5, 2.0, D) * rng.choice([-1, 1], D)
    return (a.astype(dtype) for a in (x, gamma, rng.standard_normal(D), rng.standard_normal((N, D))))


def split(a, sizes):
    return np.split(a, np.cumsum(sizes)[:-1])


def sharded_and_whole(sizes, D=3, seed=0, dtype=np.float64, shift=0.0, eps=1e-5):
    x, gamma, beta, dout = batch(sum(sizes), D, seed, dtype, shift)
    outs, caches = sharded_batchnorm_forward(split(x, sizes), gamma, beta, local_allreduce, eps)
    dxs, dgamma, dbeta = sharded_batchnorm_backward(split(dout, sizes), caches, local_allreduce)
    out, cache = bnlib.batchnorm_forward(x, gamma, beta, eps)
    whole = (out, *bnlib.batchnorm_backward(dout, cache))
    return (np.concatenate(outs), np.concatenate(dxs), dgamma, dbeta), whole


@settings(max_examples=40, deadline=None)
@given(sizes=st.lists(st.integers(1, 6), min_size=1, max_size=5), D=st.integers(1, 4),
       seed=st.integers(0, 2**32 - 1))
def test_sharded_equals_batchnorm_of_the_concatenated_batch(sizes, D, seed):
    if sum(sizes) < 2:
        return
    sharded, whole = sharded_and_whole(sizes, D, seed)
    for name, a, b in zip(("out", "dx", "dgamma", "dbeta"), sharded, whole):
        assert a.shape == b.shape and rel_error(a, b) < TOL, name


@pytest.mark.parametrize("sizes", [[8], [4, 4], [5, 3], [1, 7], [1, 1], [2, 3, 1, 6], [1] * 6])
def test_unequal_shards_and_shards_of_one_sample(sizes):
    sharded, whole = sharded_and_whole(sizes, D=4, seed=len(sizes))
    assert max(rel_error(a, b) for a, b in zip(sharded, whole)) < TOL


def test_no_digit_is_lost_when_the_mean_is_far_larger_than_the_spread():
    """Two passes (the mean first, then the squared deviations), as in batchnorm_forward: the two
    agree to the rounding of a mean of 1e8 (1e-8); sums of x and x^2 would lose every digit."""
    sharded, whole = sharded_and_whole([3, 5], D=2, seed=1, shift=1e8)
    assert max(rel_error(a, b) for a, b in zip(sharded, whole)) < 1e-7
    x, _, _, _ = batch(8, 2, 1, shift=1e8)
    one_pass = (x ** 2).sum(axis=0) / 8 - (x.sum(axis=0) / 8) ** 2
    assert rel_error(one_pass, x.var(axis=0)) > 1e-2


@pytest.mark.parametrize("case", sorted(torch_reference.SHARDED_CASES))
def test_sharded_equals_torchs_batchnorm_on_the_whole_batch_as_stored(case):
    """The numbers of torch.nn.BatchNorm1d stored by bncourse.tools.torch_reference (torch 2.13.0, CPU);
    `make test-torch` runs the same shards in separate processes with gloo (test_sharded_gloo.py)."""
    sizes = torch_reference.SHARDED_CASES[case]
    inputs = sharded_gloo.make_inputs(sizes)
    outs, caches = sharded_batchnorm_forward(split(inputs["x"], sizes), inputs["gamma"], inputs["beta"],
                                             local_allreduce, inputs["eps"])
    dxs, dgamma, dbeta = sharded_batchnorm_backward(split(inputs["dout"], sizes), caches, local_allreduce)
    ours = {"out": np.concatenate(outs), "dx": np.concatenate(dxs), "dgamma": dgamma, "dbeta": dbeta}
    with np.load(torch_reference.SHARDED_FIXTURE) as stored:
        for key, value in ours.items():
            assert rel_error(value, stored[f"{case}_{key}"]) < TOL, key


def test_each_shard_alone_is_not_the_whole_batch():
    """Without the all-reduce every device would normalize with its own statistics."""
    x, gamma, beta, _ = batch(8, 3, 5)
    alone = np.concatenate([bnlib.batchnorm_forward(s, gamma, beta)[0] for s in split(x, [4, 4])])
    assert rel_error(alone, bnlib.batchnorm_forward(x, gamma, beta)[0]) > 1e-2


def test_three_all_reduces_of_one_plus_d_then_d_then_two_d_numbers():
    x, gamma, beta, dout = batch(7, 5, 2)
    sent = []

    def counting(parts):
        sent.append((len(parts), parts[0].size))
        return local_allreduce(parts)
    _, caches = sharded_batchnorm_forward(split(x, [3, 4]), gamma, beta, counting)
    sharded_batchnorm_backward(split(dout, [3, 4]), caches, counting)
    assert sent == [(2, 1 + 5), (2, 5), (2, 2 * 5)]


def test_float32_shards_give_float32_results():
    sharded, whole = sharded_and_whole([3, 2], D=3, seed=4, dtype=np.float32)
    assert all(a.dtype == np.float32 for a in sharded)
    assert max(rel_error(a, b) for a, b in zip(sharded, whole)) < 1e-5


def test_finite_differences_through_the_shards():
    x, gamma, beta, dout = batch(6, 3, 9)
    sizes = [2, 4]

    def forward(z):
        return np.concatenate(sharded_batchnorm_forward(split(z, sizes), gamma, beta, local_allreduce, 1e-2)[0])
    _, caches = sharded_batchnorm_forward(split(x, sizes), gamma, beta, local_allreduce, 1e-2)
    dxs, _, _ = sharded_batchnorm_backward(split(dout, sizes), caches, local_allreduce)
    assert rel_error(np.concatenate(dxs), bnlib.numerical_gradient(forward, x, dout)) < 1e-7


X = np.arange(12.0).reshape(4, 3) ** 1.5


@pytest.mark.parametrize("call, error, words", [
    (lambda: sharded_batchnorm_forward([], np.ones(3), np.zeros(3), local_allreduce), TypeError, "non-empty list"),
    (lambda: sharded_batchnorm_forward(X, np.ones(3), np.zeros(3), local_allreduce), TypeError, "non-empty list"),
    (lambda: sharded_batchnorm_forward([X, X[:, :2]], np.ones(3), np.zeros(3), local_allreduce), ValueError,
     r"shards\[1\] must have shape \(N, 3\)"),
    (lambda: sharded_batchnorm_forward([X, X[:0]], np.ones(3), np.zeros(3), local_allreduce), ValueError, "no rows"),
    (lambda: sharded_batchnorm_forward([X[:1]], np.ones(3), np.zeros(3), local_allreduce), ValueError,
     "batch too small: N = 1"),
    (lambda: sharded_batchnorm_forward([X], np.ones(2), np.zeros(3), local_allreduce), ValueError, "gamma must"),
    (lambda: sharded_batchnorm_forward([X], np.ones(3), np.zeros(3), "sum"), TypeError, "allreduce must be a function"),
    (lambda: sharded_batchnorm_forward([X], np.ones(3), np.zeros(3), lambda p: p), ValueError,
     r"allreduce\(parts\) must have shape"),
    (lambda: sharded_batchnorm_forward([X * np.nan], np.ones(3), np.zeros(3), local_allreduce), ValueError, "NaN"),
])
def test_bad_input_gets_a_clear_message(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_backward_refuses_douts_that_do_not_match_the_shards():
    _, caches = sharded_batchnorm_forward([X, X[:2]], np.ones(3), np.zeros(3), local_allreduce)
    with pytest.raises(ValueError, match="same length"):
        sharded_batchnorm_backward([X], caches, local_allreduce)
    with pytest.raises(ValueError, match=r"dout must have shape \(2, 3\)"):
        sharded_batchnorm_backward([X, X], caches, local_allreduce)
    with pytest.raises(TypeError, match="returned by sharded_batchnorm_forward"):
        sharded_batchnorm_backward([X], [bnlib.batchnorm_forward(X, np.ones(3), np.zeros(3))[1]], local_allreduce)
