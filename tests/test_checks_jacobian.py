"""The checkers of notebook 10: correct answers (written in several ways) pass, each named mistake is named."""
import numpy as np
import pytest

from bnlib import batchnorm_backward, batchnorm_forward, numerical_gradient
from bncourse.checks import check_bn_jacobian, check_linear_bn_backward
from checker_testing import fails_with


def stub(*args):
    raise NotImplementedError


@pytest.mark.parametrize("checker", [check_linear_bn_backward, check_bn_jacobian])
def test_a_stub_is_not_done_yet_and_none_is_a_missing_return(checker):
    fails_with(checker, stub, "not done yet")
    assert "not done yet" not in fails_with(checker, lambda *args: None, "returned None")


# ---------------------------------------------------------------- Linear -> BatchNorm: dW and db

def through_bn(x, W, b, gamma, beta, dout, eps):
    _, cache = batchnorm_forward(x @ W + b, gamma, beta, eps)
    return batchnorm_backward(dout, cache)[0]


def linear_bn_1(x, W, b, gamma, beta, dout, eps):
    dz = through_bn(x, W, b, gamma, beta, dout, eps)
    return x.T @ dz, dz.sum(axis=0)


def linear_bn_2(x, W, b, gamma, beta, dout, eps):
    """By hand, with the compact formula, and the bias left out of the forward pass (it cancels)."""
    z = x @ W
    m = z.shape[0]
    s = np.sqrt(z.var(axis=0) + eps)
    xhat = (z - z.mean(axis=0)) / s
    dz = gamma / (m * s) * (m * dout - dout.sum(0) - xhat * (dout * xhat).sum(0))
    return np.einsum("ni,nj->ij", x, dz), np.zeros_like(b)


def linear_bn_3(x, W, b, gamma, beta, dout, eps):
    """In float32, db summed with np.add.reduce."""
    dz = through_bn(x.astype(np.float32), W.astype(np.float32), b.astype(np.float32),
                    gamma.astype(np.float32), beta.astype(np.float32), dout.astype(np.float32), eps)
    return (x.astype(np.float32).T @ dz), np.add.reduce(dz, axis=0)


@pytest.mark.parametrize("fn", [linear_bn_1, linear_bn_2, linear_bn_3])
def test_linear_bn_backward_accepts_correct_answers(fn):
    assert check_linear_bn_backward(fn) is None


def frozen_dz(x, W, b, gamma, beta, dout, eps):
    z = x @ W + b
    return gamma * dout / np.sqrt(z.var(axis=0) + eps)


@pytest.mark.parametrize("fn, words", [
    (lambda x, W, b, g, be, d, e: (linear_bn_1(x, W, b, g, be, d, e)[0], d.sum(0)), ["dbeta"]),
    (lambda x, W, b, g, be, d, e: (x.T @ frozen_dz(x, W, b, g, be, d, e), frozen_dz(x, W, b, g, be, d, e).sum(0)),
     ["db treats the batch mean and variance as constants"]),
    (lambda x, W, b, g, be, d, e: (linear_bn_1(x, W, b, g, be, d, e)[0], -d.sum(0)), ["minus the sum"]),
    (lambda x, W, b, g, be, d, e: (x.T @ d, linear_bn_1(x, W, b, g, be, d, e)[1]), ["skips BatchNorm"]),
    (lambda x, W, b, g, be, d, e: (x.T @ frozen_dz(x, W, b, g, be, d, e), linear_bn_1(x, W, b, g, be, d, e)[1]),
     ["dW treats the batch mean and variance as constants"]),
    (lambda x, W, b, g, be, d, e: (x.T @ (through_bn(x, W, b, g, be, d, e) / g), linear_bn_1(x, W, b, g, be, d, e)[1]),
     ["gamma is missing"]),
    (lambda x, W, b, g, be, d, e: (linear_bn_1(x, W, b, g, be, d, e)[0] * 2, linear_bn_1(x, W, b, g, be, d, e)[1]),
     ["wrong dW"]),
    (lambda x, W, b, g, be, d, e: (linear_bn_1(x, W, b, g, be, d, e)[0].T, linear_bn_1(x, W, b, g, be, d, e)[1]),
     ["shape"]),
    (lambda x, W, b, g, be, d, e: linear_bn_1(x, W, b, g, be, d, e)[0], ["expected 2 results"]),
    (lambda x, W, b, g, be, d, e: (linear_bn_1(x, W, b, g, be, d, e)[0], b), ["wrong db"]),
])
def test_linear_bn_backward_names_the_mistake(fn, words):
    fails_with(check_linear_bn_backward, fn, *words)


def test_linear_bn_backward_notices_a_changed_input():
    def in_place(x, W, b, gamma, beta, dout, eps):
        result = linear_bn_1(x, W, b, gamma, beta, dout, eps)
        b -= b
        return result

    fails_with(check_linear_bn_backward, in_place, "in place", "b")


# ---------------------------------------------------------------- the Jacobian of one feature

def jacobian_1(x, gamma, eps):
    m = x.shape[0]
    s = np.sqrt(x.var() + eps)
    xhat = (x - x.mean()) / s
    return gamma / (m * s) * (m * np.eye(m) - np.ones((m, m)) - np.outer(xhat, xhat))


def jacobian_2(x, gamma, eps):
    """Column k is the backward pass of the unit vector e_k (J is symmetric)."""
    m = x.shape[0]
    _, cache = batchnorm_forward(x[:, None], np.array([gamma]), np.zeros(1), eps)
    return np.column_stack([batchnorm_backward(np.eye(m)[:, [k]], cache)[0][:, 0] for k in range(m)])


def jacobian_3(x, gamma, eps):
    """Central finite differences of the forward pass, entry by entry, in float32 at the end."""
    m = x.shape[0]
    J = np.empty((m, m))
    for k in range(m):
        def y_of(v):
            return batchnorm_forward(v[:, None], np.array([gamma]), np.zeros(1), eps)[0][:, 0]
        h = np.zeros(m)
        h[k] = 1e-6
        J[:, k] = (y_of(x + h) - y_of(x - h)) / 2e-6
    return J.astype(np.float32)


@pytest.mark.parametrize("fn", [jacobian_1, jacobian_2, jacobian_3])
def test_bn_jacobian_accepts_correct_answers(fn):
    assert check_bn_jacobian(fn) is None


def jacobian_variant(ones=1.0, xhat=1.0, eps_on=True, ddof=0, with_gamma=True, scale="m s"):
    def fn(x, gamma, eps):
        m = x.shape[0]
        e = eps if eps_on else 0.0
        s = np.sqrt(x.var(ddof=ddof) + e)
        xh = (x - x.mean()) / s
        g = gamma if with_gamma else 1.0
        factor = {"m s": g / (m * s), "s": g / s, "m s^2": g / (m * s * s)}[scale]
        return factor * (m * np.eye(m) - ones * np.ones((m, m)) - xhat * np.outer(xh, xh))
    return fn


@pytest.mark.parametrize("fn, words", [
    (jacobian_variant(ones=0.0), ["-1 1^T is missing"]),
    (jacobian_variant(xhat=0.0), ["-xhat xhat^T is missing"]),
    (jacobian_variant(ones=0.0, xhat=0.0), ["held fixed", "eval mode"]),
    (jacobian_variant(xhat=-1.0), ["sign"]),
    (jacobian_variant(eps_on=False), ["eps is missing"]),
    (jacobian_variant(ddof=1), ["m - 1"]),
    (jacobian_variant(with_gamma=False), ["gamma is missing"]),
    (jacobian_variant(scale="s"), ["1/m is missing"]),
    (jacobian_variant(scale="m s^2"), ["variance took the place"]),
    (lambda x, gamma, eps: jacobian_1(x, gamma, eps)[:, :-1], ["shape"]),
    (lambda x, gamma, eps: jacobian_1(x, gamma, eps) + 0.1, ["wrong values"]),
    (lambda x, gamma, eps: jacobian_1(x, gamma, eps) * np.nan, ["NaN"]),
])
def test_bn_jacobian_names_the_mistake(fn, words):
    fails_with(check_bn_jacobian, fn, *words)


def test_the_jacobian_is_symmetric_and_matches_finite_differences():
    from bnlib import batchnorm_jacobian
    x = np.array([0.3, -1.2, 2.5, 0.9, 4.0])
    J = batchnorm_jacobian(x, 1.7, 0.1)
    assert np.allclose(J, J.T)
    dy = np.array([0.5, -1.0, 0.2, 1.5, -0.3])
    numeric = numerical_gradient(
        lambda v: batchnorm_forward(v[:, None], np.array([1.7]), np.zeros(1), 0.1)[0][:, 0], x, dy)
    assert np.allclose(J @ dy, numeric, atol=1e-8)


# ---------------------------------------------------------------- third edition: what a learner's walkthrough found

def eps_not_passed(x, W, b, gamma, beta, dout, eps):
    _, cache = batchnorm_forward(x @ W + b, gamma, beta)        # bnlib's default eps, not the argument
    dz = batchnorm_backward(dout, cache)[0]
    return x.T @ dz, dz.sum(axis=0)


def test_eps_not_passed_to_bnlib_is_named():
    message = fails_with(check_linear_bn_backward, eps_not_passed, "eps is not passed on", "default eps = 1e-5",
                         "fourth argument")
    assert "no common mistake" not in message and "batchnorm_backward(dout, cache)[0]" not in message


def test_a_jacobian_with_abs_gamma_is_refused_on_a_negative_gamma():
    def abs_gamma(x, gamma, eps):
        m, s = x.shape[0], np.sqrt(x.var() + eps)
        xhat = (x - x.mean()) / s
        return abs(gamma) / (m * s) * (m * np.eye(m) - np.ones((m, m)) - np.outer(xhat, xhat))
    message = fails_with(check_bn_jacobian, abs_gamma, "|gamma|", "jacobian_inputs(gamma=-0.8)")
    assert message.splitlines()[-1].startswith("(the same input:")


def test_bnlibs_jacobian_is_refused():
    import bnlib
    fails_with(check_bn_jacobian, lambda x, gamma, eps: bnlib.batchnorm_jacobian(x, gamma, eps),
               "calls bnlib's batchnorm_jacobian", "your own code")


def test_a_jacobian_built_from_bnlibs_backward_pass_passes():
    import bnlib

    def by_columns(x, gamma, eps):                   # as the prompt allows: J dy for the unit vectors
        _, cache = bnlib.batchnorm_forward(x[:, None], np.array([gamma]), np.zeros(1), eps)
        return np.column_stack([bnlib.batchnorm_backward(e[:, None], cache)[0][:, 0] for e in np.eye(len(x))])
    assert check_bn_jacobian(by_columns) is None


@pytest.mark.parametrize("checker, fn, rebuild", [
    (check_linear_bn_backward, lambda x, W, b, g, be, d, e: (W, b), "linear_bn_inputs()"),
    (check_bn_jacobian, lambda x, gamma, eps: np.eye(len(x)), "jacobian_inputs(gamma=1.3)"),
])
def test_every_failure_ends_with_the_line_that_rebuilds_the_input(checker, fn, rebuild):
    last = fails_with(checker, fn).splitlines()[-1]
    assert last.startswith("(the same input: `") and rebuild in last, last
    exec(last[len("(the same input: `"):-2], {})
