"""The checkers of notebooks 01-03: each passes correct answers written in different ways and names each mistake."""
import numpy as np
import pytest

from bncourse.checks import (
    check_batch_variance,
    check_identity_parameters,
    check_istd_backward,
    check_scale_shift_backward,
    check_xhat_backward,
)
from checker_testing import fails_with


def stub(*args):
    raise NotImplementedError


def none(*args):
    return None


CHECKS = [check_batch_variance, check_identity_parameters, check_istd_backward,
          check_xhat_backward, check_scale_shift_backward]


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_a_stub_is_not_done_yet(check):
    fails_with(check, stub, "not done yet")
    assert "not done yet" not in fails_with(check, none, "returned None")


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_an_exception_is_reported(check):
    fails_with(check, lambda *a: 1 / 0, "ZeroDivisionError")


# ---------------------------------------------------------------- batch variance

def var_numpy(x):
    return x.var(axis=0)


def var_two_pass(x):
    xmu = x - x.sum(axis=0) / x.shape[0]
    return (xmu ** 2).sum(axis=0) / x.shape[0]


def var_einsum(x):
    xmu = x - x.mean(axis=0, keepdims=True)
    return np.einsum("ij,ij->j", xmu, xmu) / len(x)


def var_loop(x):
    N, D = x.shape
    out = np.zeros(D)
    for j in range(D):
        m = sum(x[i, j] for i in range(N)) / N
        out[j] = sum((x[i, j] - m) ** 2 for i in range(N)) / N
    return out


@pytest.mark.parametrize("fn", [var_numpy, var_two_pass, var_einsum, var_loop])
def test_batch_variance_passes_correct_answers(fn):
    assert check_batch_variance(fn) is None


@pytest.mark.parametrize("fn, words", [
    (lambda x: x.var(axis=0, ddof=1), ["N - 1"]),
    (lambda x: x.std(axis=0), ["standard deviation"]),
    (lambda x: (x ** 2).mean(axis=0), ["without subtracting the mean"]),
    (lambda x: ((x - x.mean(axis=0)) ** 2).sum(axis=0), ["sum of squares"]),
    (lambda x: (x - x.mean(axis=0)).mean(axis=0) ** 2, ["squared the mean deviation"]),
    (lambda x: x.var(axis=1), ["shape (4,)", "axis=0"]),
    (lambda x: (x ** 2).mean(axis=0) - x.mean(axis=0) ** 2, ["catastrophic cancellation", "two passes"]),
    (lambda x: x.var(axis=0) + 0.3, ["wrong values"]),
])
def test_batch_variance_names_the_mistake(fn, words):
    fails_with(check_batch_variance, fn, *words)


# ---------------------------------------------------------------- identity parameters

@pytest.mark.parametrize("fn", [
    lambda x, eps: (np.sqrt(x.var(axis=0) + eps), x.mean(axis=0)),
    lambda x, eps: ((((x - x.mean(0)) ** 2).mean(0) + eps) ** 0.5, x.sum(0) / len(x)),
    lambda x, eps: [1 / (1 / np.sqrt(np.var(x, axis=0) + eps)), np.mean(x, axis=0)],
])
def test_identity_parameters_pass_correct_answers(fn):
    assert check_identity_parameters(fn) is None


@pytest.mark.parametrize("fn, words", [
    (lambda x, eps: (np.sqrt(x.var(0)), x.mean(0)), ["left out eps"]),
    (lambda x, eps: (1 / np.sqrt(x.var(0) + eps), x.mean(0)), ["normalizes again"]),
    (lambda x, eps: (x.var(0) + eps, x.mean(0)), ["without the square root"]),
    (lambda x, eps: (np.ones(3), x.mean(0)), ["gamma = 1"]),
    (lambda x, eps: (np.sqrt(x.var(0) + eps), np.zeros(3)), ["beta = 0"]),
    (lambda x, eps: (x.mean(0), np.sqrt(x.var(0) + eps)), ["swapped"]),
    (lambda x, eps: np.sqrt(x.var(0) + eps), ["expected 2 results"]),
])
def test_identity_parameters_name_the_mistake(fn, words):
    fails_with(check_identity_parameters, fn, *words)


# ---------------------------------------------------------------- istd node

@pytest.mark.parametrize("fn", [
    lambda distd, var, eps: -0.5 * distd * (var + eps) ** -1.5,
    lambda distd, var, eps: distd * (-1 / (2 * np.sqrt(var + eps) ** 3)),
    lambda distd, var, eps: -distd / (2 * (var + eps) * np.sqrt(var + eps)),
])
def test_istd_backward_passes_correct_answers(fn):
    assert check_istd_backward(fn) is None


@pytest.mark.parametrize("fn, words", [
    (lambda d, v, e: -0.5 * (v + e) ** -1.5, ["without the incoming gradient"]),
    (lambda d, v, e: 0.5 * d * (v + e) ** -1.5, ["sign"]),
    (lambda d, v, e: -0.5 * d * (v + e) ** -0.5, ["exponent"]),
    (lambda d, v, e: -d * (v + e) ** -1.5, ["1/2 is missing"]),
    (lambda d, v, e: -0.5 * d * v ** -1.5, ["eps is missing"]),
    (lambda d, v, e: -d / (v + e), ["1/s instead of 1/sqrt(s)"]),
    (lambda d, v, e: np.broadcast_to(-0.5 * d * (v + e) ** -1.5, (4, 3)), ["shape (4, 3)"]),
])
def test_istd_backward_names_the_mistake(fn, words):
    fails_with(check_istd_backward, fn, *words)


# ---------------------------------------------------------------- xhat node

@pytest.mark.parametrize("fn", [
    lambda dxhat, xmu, istd: (dxhat * istd, (dxhat * xmu).sum(axis=0)),
    lambda dxhat, xmu, istd: [istd * dxhat, np.einsum("ij,ij->j", xmu, dxhat)],
    lambda dxhat, xmu, istd: (dxhat / (1 / istd), np.sum(xmu * dxhat, axis=0, keepdims=True)[0]),
])
def test_xhat_backward_passes_correct_answers(fn):
    assert check_xhat_backward(fn) is None


@pytest.mark.parametrize("fn, words", [
    (lambda g, xmu, istd: (g * xmu, (g * xmu).sum(0)), ["*other* factor"]),
    (lambda g, xmu, istd: (g, (g * xmu).sum(0)), ["missing the factor istd"]),
    (lambda g, xmu, istd: (g * istd, (g * istd).sum(0)), ["*other* factor"]),
    (lambda g, xmu, istd: (g * istd, (g * xmu).mean(0)), ["averaged"]),
    (lambda g, xmu, istd: (g * istd, g.sum(0)), ["missing the factor xmu"]),
    (lambda g, xmu, istd: (g * istd, g * xmu), ["batch axis", "sum"]),
    (lambda g, xmu, istd: ((g * xmu).sum(0), g * istd), ["wrong order"]),
])
def test_xhat_backward_names_the_mistake(fn, words):
    fails_with(check_xhat_backward, fn, *words)


# ---------------------------------------------------------------- scale-and-shift node

def scale_shift_plain(dout, xhat, gamma):
    return dout * gamma, (dout * xhat).sum(axis=0), dout.sum(axis=0)


def scale_shift_einsum(dout, xhat, gamma):
    return np.einsum("ij,j->ij", dout, gamma), np.einsum("ij,ij->j", dout, xhat), np.einsum("ij->j", dout)


def scale_shift_loop(dout, xhat, gamma):
    dgamma, dbeta = np.zeros_like(gamma), np.zeros_like(gamma)
    for i in range(dout.shape[0]):
        dgamma += dout[i] * xhat[i]
        dbeta += dout[i]
    return [gamma * dout, dgamma, dbeta]


@pytest.mark.parametrize("fn", [scale_shift_plain, scale_shift_einsum, scale_shift_loop])
def test_scale_shift_backward_passes_correct_answers(fn):
    assert check_scale_shift_backward(fn) is None


@pytest.mark.parametrize("fn, words", [
    (lambda d, xh, g: (d * g, d * xh, d.sum(0)), ["missing the sum over the batch"]),
    (lambda d, xh, g: ((d * g).sum(0), (d * xh).sum(0), d.sum(0)), ["summed it over the batch"]),
    (lambda d, xh, g: (d, (d * xh).sum(0), d.sum(0)), ["missing the factor gamma"]),
    (lambda d, xh, g: (d * xh, (d * xh).sum(0), d.sum(0)), ["belongs to dgamma"]),
    (lambda d, xh, g: (d / g, (d * xh).sum(0), d.sum(0)), ["divided by gamma"]),
    (lambda d, xh, g: (d * g, d.sum(0), d.sum(0)), ["factor xhat is missing"]),
    (lambda d, xh, g: (d * g, (d * g).sum(0), d.sum(0)), ["instead of xhat"]),
    (lambda d, xh, g: (d * g, (d * xh).mean(0), d.sum(0)), ["averaged"]),
    (lambda d, xh, g: (d * g, (d * xh).sum(0), (d * xh).sum(0)), ["belongs to dgamma"]),
    (lambda d, xh, g: (d * g, (d * xh).sum(0), d.mean(0)), ["averaged"]),
    (lambda d, xh, g: (d * g, (d * xh).sum(0), (d * g).sum(0)), ["multiplied by gamma"]),
    (lambda d, xh, g: (d * g, (d * xh).sum(0)), ["expected 3 results"]),
])
def test_scale_shift_backward_names_the_mistake(fn, words):
    fails_with(check_scale_shift_backward, fn, *words)


def test_inputs_are_never_modified_in_place_by_the_checker_unnoticed():
    def in_place(x):
        x -= x.mean(axis=0)
        return (x ** 2).mean(axis=0)
    fails_with(check_batch_variance, in_place, "in place")


# ---------------------------------------------------------------- the graph figure of notebook 02

@pytest.mark.parametrize("backward", [False, True])
def test_graph_figure_draws_every_node_and_edge(backward):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from bncourse.figures import GRAPH_EDGES, GRAPH_NODES, draw_batchnorm_graph

    assert {n for edge in GRAPH_EDGES for n in edge[:2]} == set(GRAPH_NODES)
    ax = draw_batchnorm_graph(backward=backward)
    labels = [t.get_text() for t in ax.texts]
    assert all(label in labels for *_, label in GRAPH_NODES.values())
    arrows = [c for c in ax.get_children() if type(c).__name__ == "Annotation"]
    assert len(arrows) == len(GRAPH_EDGES)
    if backward:   # every local derivative is written on its edge, and both sums are marked
        assert all(local in labels for *_, local in GRAPH_EDGES)
        assert labels.count(r"$\Sigma$") == 2
    plt.close(ax.figure)


# ---------------------------------------------------------------- third edition

@pytest.mark.parametrize("order", [(1, 2, 0), (1, 0, 2), (2, 1, 0)])
def test_scale_shift_results_in_the_wrong_order_are_named(order):
    def reordered(dout, xhat, gamma):
        results = (dout * gamma, (dout * xhat).sum(axis=0), dout.sum(axis=0))
        return tuple(results[i] for i in order)
    message = fails_with(check_scale_shift_backward, reordered, "wrong order", "dxhat (shape (N, D)) first")
    assert "you summed it" not in message


def test_a_summed_dxhat_is_still_named():
    fails_with(check_scale_shift_backward,
               lambda dout, xhat, gamma: ((dout * gamma).sum(0), (dout * xhat).sum(0), dout.sum(0)), "you summed it")


def test_the_large_mean_batch_has_its_own_line_to_rebuild_it():
    one_pass = lambda x: (x * x).mean(axis=0) - x.mean(axis=0) ** 2   # noqa: E731
    last = fails_with(check_batch_variance, one_pass, "catastrophic").splitlines()[-1]
    names = {}
    exec(last[len("(the same input: `"):-2], names)
    assert names["x"].mean() > 1e7
