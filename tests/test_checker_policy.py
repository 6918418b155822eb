"""The one comparison policy of the checkers (bncourse.checks.core) and the cases real code showed.

float32 results pass wherever the exercise does not ask for float64; a ragged list, CS231n's
(1, C, 1, 1) parameters, CS231n's running-average convention, two statistics mistakes at once and
in-place changes each get a message that names them.
"""
from pathlib import Path

import numpy as np
import pytest

import bnlib
from bncourse import checks
from bncourse.checks.core import TOLERANCES, diagnose, is_close, require_close, tolerance
from bncourse.checks.derivation import centre_gradient, unbiased_dx
from bncourse.notebook import checkers_called
from checker_testing import fails_with

SOLUTIONS = sorted((Path(__file__).resolve().parents[1] / "notebooks" / "solutions").glob("[0-9][0-9]-*.ipynb"))


def in_float32(fn):
    """``fn`` computed in float32: float inputs cast down, every array result returned as float32."""
    def down(a):
        return a.astype(np.float32) if isinstance(a, np.ndarray) and a.dtype == np.float64 else a

    def wrapped(*args):
        result = fn(*(down(a) for a in args))
        if isinstance(result, (tuple, list)):
            return tuple(np.asarray(r, dtype=np.float32) for r in result)
        return np.asarray(result, dtype=np.float32)
    return wrapped


def layernorm_backward(dout, xhat, istd, gamma):
    D = dout.shape[1]
    g = dout * gamma
    dx = istd / D * (D * g - g.sum(1, keepdims=True) - xhat * (g * xhat).sum(1, keepdims=True))
    return dx, (dout * xhat).sum(0), dout.sum(0)


def fold(W, b, bn):
    s = bn.gamma / np.sqrt(bn.running_var + bn.eps)
    return W * s, (b - bn.running_mean) * s + bn.beta


def forward(x, gamma, beta, eps):
    return gamma * (x - x.mean(0)) / np.sqrt(x.var(0) + eps) + beta


def backward(dout, x, gamma, eps):
    N, istd = x.shape[0], 1 / np.sqrt(x.var(0) + eps)
    xhat = (x - x.mean(0)) * istd
    dbeta, dgamma = dout.sum(0), (dout * xhat).sum(0)
    return gamma * istd / N * (N * dout - dbeta - xhat * dgamma), dgamma, dbeta


def spatial(x, g, b, eps):
    N, C, H, W = x.shape
    out2d = bnlib.batchnorm_forward(x.transpose(0, 2, 3, 1).reshape(-1, C), g, b, eps)[0]   # as the exercise asks
    return out2d.reshape(N, H, W, C).transpose(0, 3, 1, 2)


def groupnorm(x, g, b, G, eps):
    N, C, H, W = x.shape
    grouped = x.reshape(N, G, -1)
    xhat = (grouped - grouped.mean(-1, keepdims=True)) / np.sqrt(grouped.var(-1, keepdims=True) + eps)
    return g.reshape(1, C, 1, 1) * xhat.reshape(x.shape) + b.reshape(1, C, 1, 1)


def jacobian(x, gamma, eps):
    m, s = x.shape[0], np.sqrt(x.var() + eps)
    xhat = (x - x.mean()) / s
    return gamma / (m * s) * (m * np.eye(m) - np.ones((m, m)) - np.outer(xhat, xhat))


def linear_bn_backward(x, W, b, gamma, beta, dout, eps):
    dz = bnlib.batchnorm_backward(dout, bnlib.batchnorm_forward(x @ W + b, gamma, beta, eps)[1])[0]
    return x.T @ dz, dz.sum(axis=0)


CORRECT = {
    "check_batch_mean": lambda x: x.mean(axis=0),
    "check_identity_parameters": lambda x, eps: (np.sqrt(x.var(axis=0) + eps), x.mean(axis=0)),
    "check_istd_backward": lambda distd, var, eps: -0.5 * distd * (var + eps) ** -1.5,
    "check_xhat_backward": lambda dxhat, xmu, istd: (dxhat * istd, (dxhat * xmu).sum(axis=0)),
    "check_scale_shift_backward": lambda dout, xhat, gamma: (dout * gamma, (dout * xhat).sum(0), dout.sum(0)),
    "check_forward": forward,
    "check_gamma_beta": lambda dout, xhat: ((dout * xhat).sum(axis=0), dout.sum(axis=0)),
    "check_backward": backward,
    "check_centre_gradient": centre_gradient,
    "check_unbiased_dx": unbiased_dx,
    "check_spatial_batchnorm_by_reshape": spatial,
    "check_layernorm_backward": layernorm_backward,
    "check_groupnorm_forward": groupnorm,
    "check_running_update": lambda rm, rv, x, m: ((1 - m) * rm + m * x.mean(0), (1 - m) * rv + m * x.var(0, ddof=1)),
    "check_eval_forward": lambda x, g, b, rm, rv, eps: g * (x - rm) / np.sqrt(rv + eps) + b,
    "check_fold_batchnorm": fold,
    "check_gradient_norms": lambda model: [np.sqrt((layer.dW ** 2).sum()) for layer in model.linear_layers],
    "check_linear_bn_backward": lambda x, W, b, gamma, beta, dout, eps: linear_bn_backward(x, W, b, gamma, beta,
                                                                                          dout, eps),
    "check_bn_jacobian": jacobian,
    "check_residual_backward": lambda dout, f_out, alpha, branch_backward: (
        dout + branch_backward(alpha * dout), np.sum(dout * f_out)),
    "check_dlogits": lambda logits, labels: (np.exp(logits - logits.max(1, keepdims=True))
                                             / np.exp(logits - logits.max(1, keepdims=True)).sum(1, keepdims=True)
                                             - np.eye(logits.shape[1])[labels]) / len(labels),
    "check_output_layer_backward": lambda dlogits, h, W2: (dlogits @ W2.T, h.T @ dlogits, dlogits.sum(axis=0)),
    "check_tanh_backward": lambda dh, a, h: dh * (1 - h ** 2),
    "check_network_batchnorm_backward": backward,
    "check_first_layer_backward": lambda dz, x: x.T @ dz,
    "check_dropout_variance_shift": lambda c, v, keep: ((c ** 2 + v) / keep - c ** 2, v),
    "check_accumulated_gradients": lambda x, gamma, beta, dout, micro: tuple(
        np.concatenate(parts) if i == 0 else sum(parts) for i, parts in enumerate(zip(*(
            backward(dout[k:k + micro], x[k:k + micro], gamma, 1e-5) for k in range(0, len(x), micro))))),
    "check_rmsnorm_backward": lambda dout, xhat, irms, gamma: (
        irms / xhat.shape[1] * (xhat.shape[1] * dout * gamma - xhat * (dout * gamma * xhat).sum(1, keepdims=True)),
        (dout * xhat).sum(0)),
}


# ---------------------------------------------------------------- the policy

def test_one_tolerance_per_dtype_and_float64_for_anything_else():
    assert set(TOLERANCES) == {np.dtype(np.float64), np.dtype(np.float32)}
    assert tolerance(np.float32) == TOLERANCES[np.dtype(np.float32)]
    assert tolerance(np.int64) == TOLERANCES[np.dtype(np.float64)]
    expected = np.array([1.0, 2.0, 3.0])
    assert is_close(expected.astype(np.float32), expected)
    assert not is_close(expected * (1 + 1e-3), expected)


def test_diagnose_names_the_first_matching_mistake_and_falls_back():
    wrong = np.array([2.0, 4.0])
    table = [(np.zeros(2), "zero", "z"), (None, "skipped", ""), (wrong, "doubled", "halve it"),
             (wrong, "later", "")]
    with pytest.raises(checks.CheckFailed) as info:
        diagnose("c", "v", wrong, table, "the example")
    assert (info.value.problem, info.value.hint, info.value.example) == ("doubled", "halve it", "the example")
    with pytest.raises(checks.CheckFailed, match="wrong values in v"):
        diagnose("c", "v", np.array([9.0, 9.0]), table)
    require_close("c", "v", np.array([1.0, 2.0]), np.array([1.0, 2.0]), table)   # close: nothing raised
    with pytest.raises(checks.CheckFailed, match="expected v ="):
        require_close("c", "v", np.array([1.0, 3.0]), np.array([1.0, 2.0]), fallback=("off", "fix it"))


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_correct_answers_pass_in_float64_and_in_float32(name, capsys):
    checker = getattr(checks, name)
    assert checker(CORRECT[name]) is None
    assert checker(in_float32(CORRECT[name])) is None


def test_every_array_checker_is_covered_by_the_float32_test():
    registered = {name for path in SOLUTIONS for name in checkers_called(path)}
    not_arrays = {"check_batch_variance", "check_symbolic_dx", "check_symbolic_dvar", "check_judge_dx", "check_judge_symbolic",
                  "check_training_step", "check_answer",
                  "check_recalibration",              # takes a model
                  "check_sync_batchnorm_backward"}    # lists of shards: its float32 answer is in test_checks_statistics
    assert registered - not_arrays == set(CORRECT)


def test_batch_variance_accepts_float32_and_says_when_float64_is_needed(capsys):
    two_pass = lambda x: ((x - x.mean(axis=0)) ** 2).mean(axis=0)   # noqa: E731
    assert checks.check_batch_variance(two_pass) is None
    fails_with(checks.check_batch_variance, in_float32(two_pass), "right on an ordinary batch",
               "needs float64", "7 digits")


# ---------------------------------------------------------------- what real code showed

@pytest.mark.parametrize("checker, args", [
    (checks.check_groupnorm_forward, 5), (checks.check_spatial_batchnorm_by_reshape, 4)])
def test_a_ragged_list_is_a_check_failed(checker, args):
    fails_with(checker, lambda *a: [[1], [1, 2]], "is a Python list", "different lengths", "NumPy array")


def spatial_cs231n(x, gamma, beta, eps):
    """gamma and beta of shape (1, C, 1, 1), as CS231n's layers keep them."""
    mu = x.mean(axis=(0, 2, 3), keepdims=True)
    return gamma * (x - mu) / np.sqrt(x.var(axis=(0, 2, 3), keepdims=True) + eps) + beta


def groupnorm_cs231n(x, gamma, beta, G, eps):
    N, C, H, W = x.shape
    grouped = x.reshape(N, G, -1)
    xhat = (grouped - grouped.mean(-1, keepdims=True)) / np.sqrt(grouped.var(-1, keepdims=True) + eps)
    return gamma * xhat.reshape(x.shape) + beta


def test_parameters_of_shape_1_c_1_1_are_accepted(capsys):
    assert checks.check_spatial_batchnorm_by_reshape(spatial_cs231n) is None
    assert checks.check_groupnorm_forward(groupnorm_cs231n) is None


def test_a_broadcast_error_names_the_shape_of_gamma():
    message = fails_with(checks.check_groupnorm_forward, lambda x, g, b, G, eps: x + np.ones(5),
                         "broadcast", "gamma and beta come with shape (6,), one value per channel")
    assert "axis=0" not in message                        # no advice meant for 2-D BatchNorm


def test_the_cs231n_running_average_convention_is_named_in_full():
    def cs231n(rm, rv, x, m):
        return m * rm + (1 - m) * x.mean(0), m * rv + (1 - m) * x.var(0)
    fails_with(checks.check_running_update, cs231n, "CS231n convention", "(1) momentum weighs the OLD value",
               "(2) running_var averages the BIASED", "the course follows PyTorch", "underestimates")


def test_two_statistics_mistakes_are_diagnosed_in_the_backward_checker():
    def lecture(dout, x, gamma, eps):      # the unbiased variance and a fixed eps of 1e-8
        N = x.shape[0]
        xhat = (x - x.mean(0)) / np.sqrt(x.var(0, ddof=1) + 1e-8)
        dxhat = dout * gamma
        dx = (N * dxhat - dxhat.sum(0) - xhat * (dxhat * xhat).sum(0)) / (N * np.sqrt(x.var(0, ddof=1) + 1e-8))
        return dx, (dout * xhat).sum(0), dout.sum(0)
    message = fails_with(checks.check_backward, lecture, "statistics recomputed from x are wrong",
                         "two mistakes", "N - 1", "eps is not used")
    assert "no common mistake matches" not in message


@pytest.mark.parametrize("checker, fn, name", [
    (checks.check_batch_mean, lambda batch: batch.__isub__(1.0).mean(0), "x"),   # the name the checker gives
    (checks.check_layernorm_backward, lambda d, xh, i, g: layernorm_backward(d.__imul__(2.0), xh, i, g), "dout"),
    (checks.check_eval_forward, lambda x, g, b, rm, rv, eps: CORRECT["check_eval_forward"](x, g, b, rm, rv.__iadd__(eps), 0.0),
     "rv"),
])
def test_in_place_messages_name_the_argument(checker, fn, name):
    message = fails_with(checker, fn, f"changed its input {name} in place")
    assert "argument number" not in message


# ---------------------------------------------------------------- every failure can be reproduced

def off_by_half(fn):
    """``fn`` with every array it returns 1.5 times too large: a wrong answer for any checker."""
    def wrong(*args):
        result = fn(*args)
        if isinstance(result, (tuple, list)):
            return type(result)(np.asarray(r) * 1.5 for r in result)
        return np.asarray(result) * 1.5
    return wrong


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_every_failure_ends_with_the_line_that_rebuilds_its_input(name):
    message = fails_with(getattr(checks, name), off_by_half(CORRECT[name]))
    last = message.splitlines()[-1]
    assert last.startswith("(the same input: `") and last.endswith("`)"), message
    names = {}
    exec(last[len("(the same input: `"):-2], names)        # the line runs as it stands, in a fresh namespace
    assert len([n for n in names if not n.startswith("__")]) >= 2


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_a_stub_is_not_done_yet_and_says_nothing_more(name):
    def stub(*args):
        raise NotImplementedError
    message = fails_with(getattr(checks, name), stub, "not done yet")
    assert "(the same input" not in message and len(message.splitlines()) <= 3


def test_a_broadcast_error_gets_the_advice_of_its_own_exercise():
    # the advice about axis=0 belongs to 2-D BatchNorm only
    for checker, fn in [
        (checks.check_fold_batchnorm, lambda W, b, bn: (W * bn.gamma[:3], b)),
        (checks.check_gradient_norms, lambda model: [l.dW + l.dW.T for l in model.linear_layers]),
    ]:
        message = fails_with(checker, fn, "broadcast")
        assert "Per-feature statistics come from reductions over the batch" not in message
    fails_with(checks.check_forward, lambda x, g, b, e: x - x.mean(axis=1), "broadcast", "axis=0")
