"""The checkers of notebook 13: correct answers (written in several ways) pass, each named mistake is named,
and a stub or None is "not done yet"."""
import numpy as np
import pytest

import bnlib
from bncourse.checks import (
    check_dlogits,
    check_first_layer_backward,
    check_network_batchnorm_backward,
    check_output_layer_backward,
    check_tanh_backward,
)
from bncourse.checks import network
from bncourse.checks.backward import DX_MISTAKES, variant_dx
from checker_testing import fails_with

CHECKERS = [check_dlogits, check_output_layer_backward, check_tanh_backward, check_network_batchnorm_backward,
            check_first_layer_backward]


def stub(*args):
    raise NotImplementedError


@pytest.mark.parametrize("checker", CHECKERS, ids=lambda c: c.__name__)
def test_stub_and_none_are_not_done_yet(checker):
    fails_with(checker, stub, "not done yet")
    fails_with(checker, lambda *args: None, "returned None")


@pytest.mark.parametrize("checker, wrong, rebuild", [
    (check_dlogits, lambda z, y: np.ones_like(z), 'network_inputs("dlogits")'),
    (check_output_layer_backward, lambda d, h, W: (d @ W.T, h.T @ d, 2 * d.sum(0)), 'network_inputs("output_layer")'),
    (check_tanh_backward, lambda dh, a, h: 3 * dh, 'network_inputs("tanh")'),
    (check_network_batchnorm_backward, lambda d, x, g, e: (d * 0.5, d.sum(0), d.sum(0)), "checker_inputs("),
    (check_first_layer_backward, lambda dz, x: 2 * x.T @ dz + 1, 'network_inputs("first_layer")'),
], ids=lambda v: getattr(v, "__name__", ""))
def test_a_message_shows_the_line_that_rebuilds_the_input(checker, wrong, rebuild):
    message = fails_with(checker, wrong, "the same input", rebuild)
    lines = message.splitlines()
    assert rebuild in lines[-1] and lines[-2].startswith("Hint:")     # last, after the hint


# ---------------------------------------------------------------- dlogits

def softmax_rows(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def dlogits_indexing(logits, labels):
    N = logits.shape[0]
    p = softmax_rows(logits)
    p[np.arange(N), labels] -= 1
    return p / N


def dlogits_onehot(logits, labels):
    onehot = np.eye(logits.shape[1])[labels]
    return (softmax_rows(logits) - onehot) / len(labels)


def dlogits_logsumexp(logits, labels):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    onehot = (np.arange(logits.shape[1]) == labels[:, None]).astype(float)
    return (np.exp(log_p) - onehot) * (1.0 / logits.shape[0])


@pytest.mark.parametrize("fn", [dlogits_indexing, dlogits_onehot, dlogits_logsumexp])
def test_dlogits_accepts_correct_answers(fn, capsys):
    assert check_dlogits(fn) is None
    assert "dlogits = (p - onehot) / N" in capsys.readouterr().out


def test_dlogits_refuses_bnlibs_own_loss():
    fails_with(check_dlogits, lambda z, y: bnlib.softmax_cross_entropy(z, y)[1], "your own code")


@pytest.mark.parametrize("mistake", network.DLOGITS_MISTAKES, ids=lambda m: f"{m.group}: {m.value}")
def test_dlogits_names_each_mistake(mistake):
    def wrong(logits, labels):
        return network.dlogits_variant(logits, labels, **{mistake.group: mistake.value})
    fails_with(check_dlogits, wrong, mistake.problem)


def test_dlogits_names_two_mistakes_at_once():
    def wrong(logits, labels):
        return network.dlogits_variant(logits, labels, factor="1", sign="-1")
    fails_with(check_dlogits, wrong, "two mistakes", "the 1/N of the mean loss is missing", "the sign is flipped")


def test_dlogits_names_the_overflow_of_exp_and_the_transposed_shape():
    def no_shift(logits, labels):
        p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        p[np.arange(len(labels)), labels] -= 1
        return p / len(labels)
    fails_with(check_dlogits, no_shift, "np.exp overflowed", "largest logit")
    fails_with(check_dlogits, lambda z, y: dlogits_onehot(z, y).T, "transposed", "(N, K)")


# ---------------------------------------------------------------- the last Linear layer

def output_layer_matmul(dlogits, h, W2):
    return dlogits @ W2.T, h.T @ dlogits, dlogits.sum(axis=0)


def output_layer_einsum(dlogits, h, W2):
    return (np.einsum("nk,hk->nh", dlogits, W2), np.einsum("nh,nk->hk", h, dlogits),
            np.einsum("nk->k", dlogits))


def output_layer_loop(dlogits, h, W2):
    dW2 = np.zeros_like(W2)
    for i in range(h.shape[0]):
        dW2 += np.outer(h[i], dlogits[i])
    return [np.dot(dlogits, W2.T), dW2, np.ones(h.shape[0]) @ dlogits]


def output_layer_bnlib(dlogits, h, W2):
    layer = bnlib.Linear(*W2.shape)
    layer.W = W2
    layer.forward(h)
    return layer.backward(dlogits), layer.dW, layer.db


@pytest.mark.parametrize("fn", [output_layer_matmul, output_layer_einsum, output_layer_loop, output_layer_bnlib])
def test_output_layer_accepts_correct_answers(fn):
    assert check_output_layer_backward(fn) is None


def output_layer_mistakes():
    """(which result, its index, problem) for every candidate the checker names."""
    dlogits, h, W2 = network.network_inputs("output_layer")
    for index, name in enumerate(["dh", "dW2", "db2"]):
        for count, (_, problem, _) in enumerate(network.output_layer_candidates(name, dlogits, h, W2)):
            yield pytest.param(name, index, count, problem, id=f"{name}-{count}")


@pytest.mark.parametrize("name, index, count, problem", list(output_layer_mistakes()))
def test_output_layer_names_each_mistake(name, index, count, problem):
    def wrong(dlogits, h, W2):
        results = list(output_layer_matmul(dlogits, h, W2))
        results[index] = network.output_layer_candidates(name, dlogits, h, W2)[count][0]
        return tuple(results)
    fails_with(check_output_layer_backward, wrong, problem)


@pytest.mark.parametrize("fn, words", [
    (lambda d, h, W: (d @ W.T, h.T @ d, d), ["db2 is not summed over the batch"]),
    (lambda d, h, W: (d @ W.T, d.T @ h, d.sum(0)), ["dW2 is transposed"]),
    (lambda d, h, W: (h.T @ d, d @ W.T, d.sum(0)), ["dh and dW2 are swapped"]),
    (lambda d, h, W: (h.T @ d, d.sum(0), d @ W.T), ["wrong order"]),
    (lambda d, h, W: (W @ d.T, h.T @ d, d.sum(0)), ["dh is transposed"]),
    (lambda d, h, W: (d @ W.T, h.T @ d, d.sum(axis=1)), ["summed over the classes"]),
])
def test_output_layer_names_shape_mistakes(fn, words):
    fails_with(check_output_layer_backward, fn, *words)


# ---------------------------------------------------------------- tanh

@pytest.mark.parametrize("fn", [lambda dh, a, h: dh * (1 - h ** 2), lambda dh, a, h: dh * (1 - np.tanh(a) ** 2),
                                lambda dh, a, h: dh / np.cosh(a) ** 2, lambda dh, a, h: dh - dh * h * h])
def test_tanh_accepts_correct_answers(fn):
    assert check_tanh_backward(fn) is None


@pytest.mark.parametrize("count", range(len(network.tanh_candidates(*network.network_inputs("tanh")))))
def test_tanh_names_each_mistake(count):
    problem = network.tanh_candidates(*network.network_inputs("tanh"))[count][1]
    fails_with(check_tanh_backward, lambda dh, a, h: network.tanh_candidates(dh, a, h)[count][0], problem)


def test_tanh_names_the_input_for_the_output():
    fails_with(check_tanh_backward, lambda dh, a, h: dh * (1 - a ** 2), "1 - x^2", "1 - y^2", "output")


# ---------------------------------------------------------------- BatchNorm in the network

def batchnorm_compact(dout, x, gamma, eps):
    N = x.shape[0]
    mu = x.mean(axis=0)
    istd = 1.0 / np.sqrt(((x - mu) ** 2).mean(axis=0) + eps)
    xhat = (x - mu) * istd
    dbeta, dgamma = dout.sum(axis=0), (dout * xhat).sum(axis=0)
    return gamma * istd / N * (N * dout - dbeta - xhat * dgamma), dgamma, dbeta


def batchnorm_staged(dout, x, gamma, eps):
    m = x.shape[0]
    mu = x.mean(0)
    xmu = x - mu
    var = (xmu ** 2).mean(0)
    std = np.sqrt(var + eps)
    xhat = xmu / std
    dxhat = dout * gamma
    dvar = (dxhat * xmu).sum(0) * -0.5 * std ** -3
    dmu = -(dxhat / std).sum(0) + dvar * (-2 * xmu).mean(0)
    return dxhat / std + dvar * 2 * xmu / m + dmu / m, (dout * xhat).sum(0), dout.sum(0)


def test_network_batchnorm_refuses_bnlibs_own_backward_pass():
    def calls_bnlib(dout, x, gamma, eps):
        return bnlib.batchnorm_backward_staged(dout, bnlib.batchnorm_forward(x, gamma, 0 * gamma, eps)[1])
    fails_with(check_network_batchnorm_backward, calls_bnlib, "your own code")


def batchnorm_means(dout, x, gamma, eps):
    xhat = (x - x.mean(0)) / np.sqrt(x.var(0) + eps)
    dxhat = dout * gamma
    dx = (dxhat - dxhat.mean(0) - xhat * (dxhat * xhat).mean(0)) / np.sqrt(x.var(0) + eps)
    return dx, (dout * xhat).sum(0), dout.sum(0)


@pytest.mark.parametrize("fn", [batchnorm_compact, batchnorm_staged, batchnorm_means])
def test_network_batchnorm_accepts_correct_answers(fn):
    assert check_network_batchnorm_backward(fn) is None


@pytest.mark.parametrize("count", range(3))
def test_network_batchnorm_names_the_networks_own_mistakes(count):
    def wrong(dout, x, gamma, eps):
        dx = list(network.batchnorm_network_mistakes(dout, x, gamma, eps))[count][0]
        return (dx, *batchnorm_compact(dout, x, gamma, eps)[1:])
    problem = list(network.batchnorm_network_mistakes(*network_batchnorm_inputs()))[count][1]
    fails_with(check_network_batchnorm_backward, wrong, problem)


def network_batchnorm_inputs():
    from bncourse.checks.core import checker_inputs
    x, gamma, _, dout, eps = checker_inputs()
    return dout, x, gamma, eps


@pytest.mark.parametrize("mistake", [m for m in DX_MISTAKES if m.group in ("statistics: variance", "mean")][:3],
                         ids=lambda m: m.problem[:40])
def test_network_batchnorm_names_the_mistakes_of_check_backward(mistake):
    def wrong(dout, x, gamma, eps):
        if mistake.group.startswith("statistics"):
            dx = variant_dx(dout, x, gamma, eps, (mistake.value,))
        else:
            dx = variant_dx(dout, x, gamma, eps, **{mistake.group: mistake.value})
        return (dx, *batchnorm_compact(dout, x, gamma, eps)[1:])
    fails_with(check_network_batchnorm_backward, wrong, mistake.problem)


def test_network_batchnorm_names_averaged_parameter_gradients():
    def wrong(dout, x, gamma, eps):
        dx, dgamma, dbeta = batchnorm_compact(dout, x, gamma, eps)
        return dx, dgamma / len(x), dbeta / len(x)
    fails_with(check_network_batchnorm_backward, wrong, "averaged over the batch, not summed")


# ---------------------------------------------------------------- the first Linear layer

@pytest.mark.parametrize("fn", [lambda dz, x: x.T @ dz, lambda dz, x: np.einsum("ni,nh->ih", x, dz),
                                lambda dz, x: sum(np.outer(x[i], dz[i]) for i in range(len(x))),
                                lambda dz, x: (dz.T @ x).T])
def test_first_layer_accepts_correct_answers(fn):
    assert check_first_layer_backward(fn) is None


@pytest.mark.parametrize("count", range(len(network.first_layer_candidates(*network.network_inputs("first_layer")))))
def test_first_layer_names_each_mistake(count):
    problem = network.first_layer_candidates(*network.network_inputs("first_layer"))[count][1]
    fails_with(check_first_layer_backward, lambda dz, x: network.first_layer_candidates(dz, x)[count][0], problem)


@pytest.mark.parametrize("fn, words", [
    (lambda dz, x: dz.T @ x, ["dW1 is transposed", "(D_in, H)"]),
    (lambda dz, x: dz.sum(axis=0), ["bias gradient"]),
])
def test_first_layer_names_shape_mistakes(fn, words):
    fails_with(check_first_layer_backward, fn, *words)


def test_network_inputs_refuses_an_unknown_part():
    with pytest.raises(ValueError, match="part must be"):
        network.network_inputs("softmax")
