r"""Checkers of notebook 13: the backward pass of a whole network, one tensor at a time.

The network is Linear (no bias) -> BatchNorm -> tanh -> Linear -> softmax cross-entropy
(:mod:`bncourse.network`); its backward pass, in the order it runs:

.. math::

    \frac{\partial L}{\partial\,\text{logits}} = \frac{p-\text{onehot}}{N},\quad
    dW_2 = h^\top d\text{logits},\quad db_2 = \sum_i d\text{logits}_i,\quad dh = d\text{logits}\,W_2^\top,\quad
    da = dh\,(1-h^2),\quad (dz, d\gamma, d\beta) = \text{BatchNorm's backward},\quad dW_1 = x^\top dz

Each checker runs the learner's function on two batches: a first one where every size is the same
(N = D_in = H = K = 4), so that a transposed matrix or a product in the wrong order still computes and
is named by its values, then one where every size differs, which catches sizes written as numbers and
names a transposed result by its shape. References come from bnlib (softmax_cross_entropy, Linear,
Tanh, batchnorm_backward). Every message ends with the line that rebuilds the input
(:func:`network_inputs`).
"""
import contextlib
import io

import numpy as np

from bnlib.batchnorm import batchnorm_backward, batchnorm_forward
from bnlib.mlp import Linear, Tanh, softmax_cross_entropy
from .backward import BATCHES, check_backward
from .core import (
    REPRODUCE,
    CheckFailed,
    checker_inputs,
    Mistake,
    as_result_array,
    as_result_tuple,
    call_learner,
    describe_mistakes,
    first_match,
    format_array,
    is_close,
    largest_error,
    mistake_combinations,
    passed,
    result_shape,
    without_numpy_warnings,
)

__all__ = ["check_dlogits", "check_output_layer_backward", "check_tanh_backward",
           "check_network_batchnorm_backward", "check_first_layer_backward", "network_inputs"]

# (N, D_in, H, K, seed) of the two batches: every size equal, then every size different
SIZES = [(4, 4, 4, 4, 0), (6, 5, 3, 2, 1)]
REBUILD = "(the same input: `from bncourse.checks.network import network_inputs; {names} = network_inputs({args})`)"


def network_inputs(part, batch=0):
    """The inputs a checker of notebook 13 gives the learner's function, as a tuple in call order.

    ``part`` is "dlogits" (logits, labels), "output_layer" (dlogits, h, W2), "tanh" (dh, a, h) or
    "first_layer" (dz, x); ``batch`` 0 has N = D_in = H = K = 4, batch 1 N = 6, D_in = 5, H = 3, K = 2
    (for "dlogits": N = 6, K = 3, and logits up to 800, which overflow np.exp without the shift).
    """
    N, D_in, H, K, seed = SIZES[batch]
    rng = np.random.default_rng(100 + seed)
    if part == "dlogits":
        K = 3 if batch else K
        logits = 2.0 * rng.standard_normal((N, K)) + np.linspace(-1.0, 1.0, K)
        if batch:
            logits[::2] += 800.0                    # large logits: exp overflows unless shifted
        labels = np.array([2, 0, 2, 3])[:N] if not batch else np.arange(N) % K
        return logits, labels
    if part == "output_layer":
        h = np.tanh(1.5 * rng.standard_normal((N, H)))
        return rng.standard_normal((N, K)), h, rng.standard_normal((H, K))
    if part == "tanh":
        a = 1.5 * rng.standard_normal((N, H)) + 0.3
        return rng.standard_normal((N, H)), a, np.tanh(a)
    if part == "first_layer":
        return rng.standard_normal((N, H)), rng.uniform(0.0, 1.0, (N, D_in))
    raise ValueError(f"part must be 'dlogits', 'output_layer', 'tanh' or 'first_layer'; got {part!r}")


def rebuild(part, batch, names):
    return REBUILD.format(names=names, args=f'"{part}"' + (f", {batch}" if batch else ""))


def on_batch(number, problem):
    """Say so when the first batch passed and only the second one fails."""
    if number == 0:
        return problem
    return ("right when every size is 4, but not when the sizes differ (sizes written as numbers, a "
            f"transposed matrix, or variables from outside the function?): {problem}")


def judged(exercise, name, received, expected, candidates, number, example, fallback, last_line):
    """Return quietly when ``received`` is right, else raise CheckFailed with the first matching mistake.

    ``candidates()`` gives the ``(value, problem, hint)`` rows (a value None: not possible on this batch).
    """
    if is_close(received, expected):
        return
    rows = ((value, problem, hint) for value, problem, hint in candidates()
            if value is not None and result_shape(value) == result_shape(received))
    found = first_match(received, rows) or fallback
    example = "\n".join([example, f"expected {name} =\n    {format_array(expected)}",
                         f"your {name} =\n    {format_array(received)}", largest_error(name, received, expected)])
    raise CheckFailed(exercise, on_batch(number, found[0]), found[1], example, inputs=last_line)


# ---------------------------------------------------------------- dlogits

DLOGITS_MISTAKES = [
    Mistake("factor", "1", "the 1/N of the mean loss is missing: dlogits = p - onehot",
            "L averages the N samples' losses, so each sample's gradient carries 1/N: (p - onehot) / N"),
    Mistake("factor", "1/(NK)", "dlogits is divided by N * K, as if the loss were a mean over every entry",
            "the loss is a mean over the N samples only: (p - onehot) / N"),
    Mistake("factor", "1/K", "dlogits is divided by the number of classes K, not by the batch size N",
            "the 1/N comes from the mean over the batch: (p - onehot) / N with N = logits.shape[0]"),
    Mistake("sign", "-1", "the sign is flipped: onehot - p",
            "dL/dlogits_ik = (p_ik - [k = y_i]) / N: the probabilities minus the one-hot"),
    Mistake("softmax", "axis 0", "softmax over the batch (axis=0) instead of over the classes",
            "each row is one sample: p = exp(z) / exp(z).sum(axis=1, keepdims=True)"),
    Mistake("onehot", "missing", "the one-hot term is missing: dlogits = p / N",
            "subtract 1 at each sample's label: p[np.arange(N), labels] -= 1"),
    Mistake("onehot", "transposed", "the one-hot matrix is transposed: row i must have its 1 in column "
            "labels[i]", "onehot = np.eye(K)[labels] has shape (N, K); or subtract 1 at p[np.arange(N), labels]"),
    Mistake("result", "transposed", "p - onehot is transposed: one row per class instead of one per sample",
            "dlogits has the shape of logits, (N, K): keep the batch on axis 0"),
    Mistake("result", "dL/dp", "this is dL/dp = -onehot / (N p), the gradient with respect to the "
            "probabilities; the logits are one step further, through the softmax",
            "the softmax and the log combine into the simple dL/dlogits = (p - onehot) / N"),
]


def dlogits_variant(logits, labels, factor="1/N", sign="1", softmax="axis 1", onehot="right", result="right"):
    """dL/dlogits computed right, or with the DLOGITS_MISTAKES named by their values."""
    N, K = logits.shape
    axis = 0 if softmax == "axis 0" else 1
    e = np.exp(logits - logits.max(axis=axis, keepdims=True))
    p = e / e.sum(axis=axis, keepdims=True)
    one = np.eye(K)[labels]
    if onehot == "transposed":
        if N != K:
            return np.full((N, K), np.nan)
        one = one.T
    if result == "dL/dp":
        g = -one / p
    else:
        g = p - (0.0 if onehot == "missing" else one)
    g = g * (-1.0 if sign == "-1" else 1.0) / {"1/N": N, "1": 1, "1/(NK)": N * K, "1/K": K}[factor]
    return g.T if result == "transposed" else g


def dlogits_candidates(logits, labels):
    for combo in mistake_combinations(DLOGITS_MISTAKES):
        yield (dlogits_variant(logits, labels, **{m.group: m.value for m in combo}), *describe_mistakes(combo))


@without_numpy_warnings
def check_dlogits(fn):
    r"""``fn(logits, labels)`` returns :math:`\partial L/\partial\,\text{logits} = (p - \text{onehot})/N`,
    shape (N, K), for the mean softmax cross-entropy L of the batch (labels: N integers in 0..K-1)."""
    exercise = "check_dlogits"
    for number in (0, 1):
        logits, labels = network_inputs("dlogits", number)
        N, K = logits.shape
        result = call_learner(exercise, fn, logits, labels, names=("logits", "labels"),
                              forbidden=(softmax_cross_entropy,))
        shape = result_shape(result)
        if shape == (K, N) and N != K:
            raise CheckFailed(exercise, "p - onehot is transposed: one row per class instead of one per sample",
                              "dlogits has the shape of logits, (N, K): keep the batch on axis 0",
                              f"logits has shape {(N, K)}; your dlogits has shape {shape}")
        if shape == (N, K) and np.asarray(result).dtype.kind == "f" and not np.isfinite(result).all():
            raise CheckFailed(exercise, "dlogits contains NaN or inf for large logits: np.exp overflowed",
                              "subtract each row's largest logit before np.exp: softmax(z - max(z)) = "
                              "softmax(z), and the largest exponent is then exp(0) = 1",
                              f"logits =\n    {format_array(logits)}")
        dlogits = as_result_array(exercise, "dlogits", result, (N, K))
        expected = softmax_cross_entropy(logits, labels)[1]
        judged(exercise, "dlogits", dlogits, expected, lambda: dlogits_candidates(logits, labels), number,
               f"logits =\n    {format_array(logits)}\nlabels = {labels.tolist()}",
               ("wrong values of dlogits (no common mistake matches)",
                "p = softmax of each row; dlogits = (p - onehot) / N, every row of it sums to 0"),
               rebuild("dlogits", number, "logits, labels"))
    return passed(exercise, "dlogits = (p - onehot) / N, with the 1/N of the mean loss")


# ---------------------------------------------------------------- the last Linear layer

def output_layer_candidates(name, dlogits, h, W2):
    """``(value, problem, hint)`` for the known mistakes in dh, dW2 or db2."""
    N = dlogits.shape[0]
    dW2, dh = h.T @ dlogits, dlogits @ W2.T
    square = W2.shape[0] == W2.shape[1]           # dlogits @ W2 computes only when H = K
    rows = {
        "dh": [
            (dlogits @ W2 if square else None, "dh uses W2 where its transpose belongs: dh = dlogits W2",
             "logits = h W2 + b2 gives dh = dlogits W2^T, shape (N, H): `dlogits @ W2.T`"),
            (dh / N, "dh is divided by N again; dlogits already carries the 1/N of the mean loss",
             "dh = dlogits @ W2.T, no further factor"),
            (dh * (1 - h ** 2), "dh already goes through tanh: this exercise asks for dL/dh, the gradient at "
             "tanh's output", "return dlogits @ W2.T here; the next exercise multiplies by 1 - h^2"),
            (dh.T, "dh is transposed: W2 dlogits^T", "dh has the shape of h, (N, H): dlogits @ W2.T"),
            (-dh, "a sign error in dh", "dh = dlogits @ W2.T"),
        ],
        "dW2": [
            (dW2.T, "dW2 is transposed: dlogits^T h", "dW2 has the shape of W2, (H, K): h.T @ dlogits"),
            (h @ dlogits.T if square else None, "h is not transposed: h dlogits^T multiplies across samples",
             "dW2 = h.T @ dlogits: the product sums over the batch"),
            (dW2 / N, "dW2 is divided by N again; dlogits already carries the 1/N of the mean loss",
             "dW2 = h.T @ dlogits, no further factor"),
            (np.outer(h.sum(axis=0), dlogits.sum(axis=0)), "dW2 is the product of two sums, sum_i h_i times "
             "sum_i dlogits_i, not the sum of the products", "multiply each sample's h_i and dlogits_i, then sum "
             "over the samples: h.T @ dlogits"),
            (-dW2, "a sign error in dW2", "dW2 = h.T @ dlogits"),
        ],
        "db2": [
            (dlogits.mean(axis=0), "db2 is averaged over the batch; dlogits already carries the 1/N of the "
             "mean loss", "b2 is shared by all samples: sum their gradients, dlogits.sum(axis=0)"),
            (dlogits.sum(axis=1), "db2 is summed over the classes (axis=1), not over the batch",
             "one bias per class, shared by the samples: dlogits.sum(axis=0)"),
            (-dlogits.sum(axis=0), "a sign error in db2", "db2 = dlogits.sum(axis=0)"),
        ],
    }
    return rows[name]


def output_layer_shapes(exercise, results, N, H, K):
    """CheckFailed for the shape mistakes of (dh, dW2, db2) that have a name."""
    shapes = [result_shape(r) for r in results]
    expected = [(N, H), (H, K), (K,)]
    if shapes != expected and sorted(map(str, shapes)) == sorted(map(str, expected)):
        raise CheckFailed(exercise, "the results come in the wrong order",
                          "return dh, dW2, db2, in this order", f"your shapes: {shapes}")
    if N != K and shapes[1] == (K, H):
        raise CheckFailed(exercise, "dW2 is transposed: dlogits^T h", "dW2 has the shape of W2, (H, K): h.T @ dlogits",
                          f"W2 has shape {(H, K)}; your dW2 has shape {shapes[1]}")
    if shapes[2] == (N, K):
        raise CheckFailed(exercise, "db2 is not summed over the batch: one row per sample",
                          "b2 is shared by all samples, so db2 adds up their contributions: dlogits.sum(axis=0)",
                          f"b2 has shape {(K,)}; your db2 has shape {shapes[2]}")
    if N != K and shapes[2] == (N,):
        raise CheckFailed(exercise, "db2 is summed over the classes (axis=1), not over the batch",
                          "one bias per class, shared by the samples: dlogits.sum(axis=0)",
                          f"b2 has shape {(K,)}; your db2 has shape {shapes[2]}")
    if N != H and shapes[0] == (H, N):
        raise CheckFailed(exercise, "dh is transposed: W2 dlogits^T", "dh has the shape of h, (N, H): dlogits @ W2.T",
                          f"h has shape {(N, H)}; your dh has shape {shapes[0]}")


@without_numpy_warnings
def check_output_layer_backward(fn):
    r"""``fn(dlogits, h, W2)`` returns ``(dh, dW2, db2)`` for the layer logits = h W2 + b2:
    :math:`dh = d\text{logits}\,W_2^\top` (N, H), :math:`dW_2 = h^\top d\text{logits}` (H, K),
    :math:`db_2 = \sum_i d\text{logits}_i` (K,)."""
    exercise = "check_output_layer_backward"
    for number in (0, 1):
        dlogits, h, W2 = network_inputs("output_layer", number)
        (N, K), H = dlogits.shape, h.shape[1]
        result = call_learner(exercise, fn, dlogits, h, W2, names=("dlogits", "h", "W2"))
        results = as_result_tuple(exercise, result, ["dh", "dW2", "db2"])
        output_layer_shapes(exercise, results, N, H, K)
        got = dict(zip(["dh", "dW2", "db2"], [as_result_array(exercise, n, r, s) for n, r, s in
                                              zip(["dh", "dW2", "db2"], results, [(N, H), (H, K), (K,)])]))
        layer = Linear(H, K, rng=0)
        layer.W = W2
        layer.forward(h)
        expected = {"dh": layer.backward(dlogits), "dW2": layer.dW, "db2": layer.db}
        if number == 0 and is_close(got["dh"], expected["dW2"]) and is_close(got["dW2"], expected["dh"]):
            raise CheckFailed(exercise, "dh and dW2 are swapped", "return dh, dW2, db2, in this order")
        example = f"dlogits =\n    {format_array(dlogits)}\nh =\n    {format_array(h)}\nW2 =\n    {format_array(W2)}"
        for name, hint in (("dW2", "dW2 = h.T @ dlogits"), ("db2", "db2 = dlogits.sum(axis=0)"),
                           ("dh", "dh = dlogits @ W2.T")):
            judged(exercise, name, got[name], expected[name], lambda: output_layer_candidates(name, dlogits, h, W2),
                   number, example, (f"wrong values of {name} (no common mistake matches)", hint),
                   rebuild("output_layer", number, "dlogits, h, W2"))
    return passed(exercise, "dh = dlogits W2^T, dW2 = h^T dlogits and db2 = the sum of dlogits over the batch")


# ---------------------------------------------------------------- tanh

def tanh_candidates(dh, a, h):
    """``(value, problem, hint)`` for the known mistakes in da."""
    return [
        (dh * (1 - a ** 2), "tanh' written as 1 - x^2 with x its input a; the rule is 1 - y^2 with y = tanh(a), "
         "its output", "tanh'(a) = 1 - tanh(a)^2 = 1 - h^2: use h, which the forward pass kept"),
        (dh * (1 - np.tanh(h) ** 2), "tanh applied twice: 1 - tanh(h)^2, but h is already tanh(a)",
         "tanh'(a) = 1 - h^2, with h = tanh(a) as given"),
        (1 - h ** 2, "the upstream gradient dh is missing (the chain rule)",
         "da = dh * (1 - h**2): the local derivative times the gradient that arrives"),
        (dh * (1 - h), "the square is missing: 1 - h where 1 - h^2 belongs", "tanh'(a) = 1 - tanh(a)^2 = 1 - h^2"),
        (dh * (h ** 2 - 1), "a sign error: h^2 - 1 where 1 - h^2 belongs", "tanh'(a) = 1 - h^2, which is positive"),
        (dh * np.cosh(a) ** 2, "cosh(a)^2 where 1 / cosh(a)^2 belongs", "tanh'(a) = 1 / cosh(a)^2 = 1 - h^2"),
        (dh * h, "da = dh * h: the derivative of tanh is not tanh", "tanh'(a) = 1 - h^2"),
    ]


@without_numpy_warnings
def check_tanh_backward(fn):
    r"""``fn(dh, a, h)`` returns :math:`da = dh\,(1 - h^2)`, with a the input of tanh and
    h = tanh(a) its output, all of shape (N, H)."""
    exercise = "check_tanh_backward"
    for number in (0, 1):
        dh, a, h = network_inputs("tanh", number)
        result = call_learner(exercise, fn, dh, a, h, names=("dh", "a", "h"))
        da = as_result_array(exercise, "da", result, a.shape)
        layer = Tanh()
        layer.forward(a)
        judged(exercise, "da", da, layer.backward(dh), lambda: tanh_candidates(dh, a, h), number,
               f"a =\n    {format_array(a)}\nh = tanh(a) =\n    {format_array(h)}\ndh =\n    {format_array(dh)}",
               ("wrong values of da (no common mistake matches)", "da = dh * (1 - h**2)"),
               rebuild("tanh", number, "dh, a, h"))
    return passed(exercise, "da = dh (1 - h^2), with h = tanh(a) from the forward pass")


# ---------------------------------------------------------------- BatchNorm inside the network

def batchnorm_network_mistakes(dout, x, gamma, eps):
    """``(dx, problem, hint)`` for mistakes of a BatchNorm layer's dx inside a network (training mode)."""
    istd = 1.0 / np.sqrt(x.var(axis=0) + eps)
    yield (gamma * istd * dout, "dx treats the batch statistics as constants: that is the backward pass of "
           "eval mode, but the network trains in training mode",
           "in training mode mu and var depend on every x_i: use notebook 05's compact formula, with its "
           "two sums over the batch")
    yield (dout, "dx = dout: the gradient passes BatchNorm unchanged",
           "BatchNorm scales and centres its input; its dx is notebook 05's compact formula")
    yield (gamma * dout, "dx = gamma * dout: that is dxhat, the gradient stops before the normalization",
           "go on from dxhat through xhat = (x - mu) * istd: notebook 05's compact formula")


@without_numpy_warnings
def check_network_batchnorm_backward(fn):
    r"""``fn(dout, x, gamma, eps)`` returns ``(dx, dgamma, dbeta)``, BatchNorm's backward pass in training
    mode (notebook 05's ``backward_compact``), used inside the network: x is the first Linear layer's
    output z, dout the gradient da from tanh.

    Names the network's own mistakes (eval mode's dx, BatchNorm skipped), then every mistake that
    :func:`bncourse.checks.check_backward` names, on the same inputs.
    """
    exercise = "check_network_batchnorm_backward"
    for N, D, seed in BATCHES:
        x, gamma, beta, dout, eps = checker_inputs(N, D, seed)
        result = call_learner(exercise, fn, dout, x, gamma, eps, names=("dout", "x", "gamma", "eps"))
        dx = result[0] if isinstance(result, (tuple, list)) and len(result) == 3 else None
        if result_shape(dx) != (N, D) or np.asarray(dx).dtype.kind != "f":
            break                                   # check_backward names what is wrong with the results
        expected = batchnorm_backward(dout, batchnorm_forward(x, gamma, beta, eps)[1])[0]
        scale = max(1.0, float(np.abs(expected).max()))
        found = None if is_close(dx, expected, scale) else first_match(
            dx, batchnorm_network_mistakes(dout, x, gamma, eps), scale)
        if found:
            example = "\n".join([f"x =\n    {format_array(x)}", f"gamma = {format_array(gamma)}, eps = {eps}",
                                 f"dout =\n    {format_array(dout)}", f"expected dx =\n    {format_array(expected)}",
                                 f"your dx =\n    {format_array(dx)}", largest_error("dx", np.asarray(dx), expected)])
            raise CheckFailed(exercise, found[0], found[1], example,
                              inputs=REPRODUCE.format(args=f"{N}, {D}, {seed}" if seed else ""))
    try:
        with contextlib.redirect_stdout(io.StringIO()):        # its green line is not this checker's
            check_backward(fn)
    except CheckFailed as failed:
        raise CheckFailed(exercise, failed.problem, failed.hint, failed.example, failed.inputs) from None
    return passed(exercise, "dx, dgamma and dbeta of BatchNorm in training mode match bnlib's backward pass")


# ---------------------------------------------------------------- the first Linear layer

def first_layer_candidates(dz, x):
    """``(value, problem, hint)`` for the known mistakes in dW1."""
    N = dz.shape[0]
    dW1 = x.T @ dz
    return [
        (dW1.T, "dW1 is transposed: dz^T x", "dW1 has the shape of W1, (D_in, H): x.T @ dz"),
        (x @ dz.T if x.shape[1] == dz.shape[1] else None, "x is not transposed: x dz^T multiplies across samples", "dW1 = x.T @ dz sums over the batch"),
        (dW1 / N, "dW1 is divided by N again; the 1/N of the mean loss is already in dz (it came from dlogits)",
         "dW1 = x.T @ dz, no further factor"),
        (np.outer(x.sum(axis=0), dz.sum(axis=0)), "dW1 is the product of two sums, sum_i x_i times sum_i dz_i, "
         "not the sum of the products", "multiply each sample's x_i and dz_i, then sum over the samples: x.T @ dz"),
        (-dW1, "a sign error in dW1", "dW1 = x.T @ dz"),
    ]


@without_numpy_warnings
def check_first_layer_backward(fn):
    r"""``fn(dz, x)`` returns :math:`dW_1 = x^\top dz`, shape (D_in, H), for the layer z = x W1 (no bias):
    dz is BatchNorm's dx, shape (N, H); x the input images, shape (N, D_in)."""
    exercise = "check_first_layer_backward"
    for number in (0, 1):
        dz, x = network_inputs("first_layer", number)
        (N, H), D_in = dz.shape, x.shape[1]
        result = call_learner(exercise, fn, dz, x, names=("dz", "x"))
        shape = result_shape(result)
        if N != H and shape == (H, D_in):
            raise CheckFailed(exercise, "dW1 is transposed: dz^T x", "dW1 has the shape of W1, (D_in, H): x.T @ dz",
                              f"W1 has shape {(D_in, H)}; your dW1 has shape {shape}")
        if shape == (H,):
            raise CheckFailed(exercise, "this is a bias gradient, dz summed over the batch, not dW1",
                              "W1 has one weight per input and hidden feature: x.T @ dz, shape (D_in, H)")
        dW1 = as_result_array(exercise, "dW1", result, (D_in, H))
        layer = Linear(D_in, H, rng=0, bias=False)
        layer.forward(x)
        layer.backward(dz)
        judged(exercise, "dW1", dW1, layer.dW, lambda: first_layer_candidates(dz, x), number,
               f"x =\n    {format_array(x)}\ndz =\n    {format_array(dz)}",
               ("wrong values of dW1 (no common mistake matches)", "dW1 = x.T @ dz"),
               rebuild("first_layer", number, "dz, x"))
    return passed(exercise, "dW1 = x^T dz, summed over the batch")
