"""Checkers of notebook 07: spatial BatchNorm by transpose and reshape, LayerNorm backward, GroupNorm forward.

Each checker compares with bnlib's layer on the same input and computes what the usual mistakes
give (the reshape without the transpose, sums over the wrong axis, channels grouped by stride,
...), most of them bnlib's normalization applied to the wrong axes, and names the one that
matches the learner's answer.
"""
import numpy as np

from bnlib.batchnorm import batchnorm_forward
from bnlib.norms import (groupnorm_forward, layernorm_backward, layernorm_forward, normalize_backward,
                         normalize_forward, spatial_batchnorm_forward)
from .backward import gamma_beta_problem
from .core import (
    CheckFailed,
    as_result_array,
    as_result_tuple,
    call_learner,
    diagnose,
    format_array,
    is_close,
    passed,
    reproducible,
    result_shape,
)
from .variants import compact_dx, dx_terms, statistics

__all__ = [
    "check_spatial_batchnorm_by_reshape",
    "check_layernorm_backward",
    "check_groupnorm_forward",
]

def conv_inputs(N=2, C=3, H=2, W=4, seed=7):
    """A conv batch that lets no bug hide: distinct channel means and scales, gamma != 1, beta != 0.

    H != W and C divides neither H*W nor W, so transposed or regrouped axes show.
    """
    rng = np.random.default_rng(seed)
    means = np.linspace(-2.0, 3.0, C).reshape(1, C, 1, 1)
    scales = np.linspace(0.5, 2.5, C).reshape(1, C, 1, 1)
    x = means + scales * rng.standard_normal((N, C, H, W))
    gamma = np.linspace(0.5, 2.0, C) + 0.1 * rng.standard_normal(C)
    beta = np.linspace(-1.0, 1.5, C) + 0.1 * rng.standard_normal(C)
    return x, gamma, beta, 0.1


def mistaken_xhat(x, axes, eps, mistake):
    """x normalized over ``axes`` with bnlib's mean and variance, but as ``mistake`` computes the rest:
    "m - 1" (the variance divides by m - 1), "eps outside" (x - mu divided by sqrt(var) + eps) or
    "eps = 0" (divided by sqrt(var))."""
    xmu, cache = statistics(x, axes, eps)
    if mistake == "m - 1":
        return xmu / np.sqrt(cache.var * cache.m / (cache.m - 1) + eps)
    if mistake == "eps = 0":
        return xmu / np.sqrt(cache.var)
    return xmu / (np.sqrt(cache.var) + eps)


def unwrap_single(exercise, result, name):
    """The learner returned (out, cache) where out alone was asked for: say so."""
    if isinstance(result, tuple):
        raise CheckFailed(exercise, f"your function returned a tuple of {len(result)} values; "
                          f"this exercise returns {name} alone",
                          "bnlib's forward passes return (out, cache): keep only out, "
                          "`out2d, _ = bnlib.batchnorm_forward(...)`")
    return result


def check_conv_shape(exercise, out, shape):
    """Shape check with hints for the axis orders that a transpose or reshape leaves behind."""
    N, C, H, W = shape
    got = result_shape(out)
    if got is None:
        return                  # not an array at all: as_result_array says so
    if got == (N * H * W, C):
        raise CheckFailed(exercise, f"out has the 2-D shape {got}, expected {shape}",
                          "reshape the result back to (N, H, W, C), then move the channels back "
                          "to axis 1 with .transpose(0, 3, 1, 2)")
    if got == (N, H, W, C):
        raise CheckFailed(exercise, f"out has shape {got}: the channels are still last, "
                          f"expected {shape}", "move them back to axis 1 with .transpose(0, 3, 1, 2)")
    if got != shape and len(got) == 4 and sorted(got) == sorted(shape):
        raise CheckFailed(exercise, f"out has shape {got}, expected {shape}: the axes are in the "
                          "wrong order", "(N, C, H, W) -> (N, H, W, C) is .transpose(0, 2, 3, 1); "
                          "the way back, (N, H, W, C) -> (N, C, H, W), is .transpose(0, 3, 1, 2)")


def call_with_channel_params(exercise, fn, x, gamma, beta, *rest, names, forbidden=()):
    """Call ``fn(x, gamma, beta, *rest)`` with gamma and beta of shape (C,), one per channel.

    A function written for parameters of shape (1, C, 1, 1) (the layout of CS231n's
    layers) fails on (C,) with a broadcast error: it is called again with that layout,
    and accepted if it works; if it does not, the message says which shape comes in.
    """
    try:
        return call_learner(exercise, fn, x, gamma, beta, *rest, names=names, forbidden=forbidden)
    except CheckFailed as failure:
        if "raised" not in failure.problem:
            raise
        C = gamma.shape[0]
        try:
            return call_learner(exercise, fn, x, gamma.reshape(1, C, 1, 1), beta.reshape(1, C, 1, 1), *rest,
                                names=names, forbidden=forbidden)
        except CheckFailed:
            pass
        hint = failure.hint
        if "broadcast" in failure.problem:
            hint = (f"gamma and beta come with shape ({C},), one value per channel; to scale x of shape "
                    f"(N, C, H, W) reshape them inside your function, gamma.reshape(1, {C}, 1, 1) "
                    "(a function written for (1, C, 1, 1) parameters is accepted too)")
        raise CheckFailed(exercise, failure.problem, hint, failure.example) from None


# ---------------------------------------------------------------- spatial BatchNorm

@reproducible("from bncourse.checks.beyond import conv_inputs; x, gamma, beta, eps = conv_inputs()")
def check_spatial_batchnorm_by_reshape(fn):
    r"""``fn(x, gamma, beta, eps)`` returns spatial BatchNorm's out, shape (N, C, H, W).

    .. math:: y_{nchw} = \gamma_c (x_{nchw}-\mu_c)/\sqrt{\sigma_c^2+\epsilon} + \beta_c,
              statistics over N, H and W.
    """
    exercise = "check_spatial_batchnorm_by_reshape"
    x, gamma, beta, eps = conv_inputs()
    N, C, H, W = x.shape
    result = unwrap_single(exercise, call_with_channel_params(
        exercise, fn, x, gamma, beta, eps, names=("x", "gamma", "beta", "eps"),
        forbidden=(spatial_batchnorm_forward, normalize_forward)), "out")
    check_conv_shape(exercise, result, x.shape)
    out = as_result_array(exercise, "out", result, x.shape)
    expected, _ = spatial_batchnorm_forward(x, gamma, beta, eps)
    if is_close(out, expected):
        return passed(exercise, "out is BatchNorm per channel, over m = N*H*W values")

    g, b = gamma.reshape(1, C, 1, 1), beta.reshape(1, C, 1, 1)
    # the reshape without the transpose: each "column" of x.reshape(N*H*W, C) is a strided mix
    no_transpose, _ = batchnorm_forward(x.reshape(N * H * W, C), gamma, beta, eps)
    # moved C last on the way in, but not back on the way out
    rows = x.transpose(0, 2, 3, 1).reshape(N * H * W, C)
    no_transpose_back = batchnorm_forward(rows, gamma, beta, eps)[0].reshape(N, C, H, W)
    mistakes = [
        (no_transpose.reshape(N, C, H, W),
         "you reshaped (N, C, H, W) to (N*H*W, C) without moving the channels last first "
         "(the missing-transpose bug): each column then mixes values of every channel, and "
         "every channel is normalized with the wrong statistics",
         "x.transpose(0, 2, 3, 1) puts C last; only then does .reshape(-1, C) make each "
         "column one channel"),
        (no_transpose.reshape(N, H, W, C).transpose(0, 3, 1, 2),
         "you reshaped (N, C, H, W) to (N*H*W, C) without moving the channels last first "
         "(the missing-transpose bug); transposing on the way back does not undo it",
         "transpose on the way in, x.transpose(0, 2, 3, 1), before .reshape(-1, C)"),
        (no_transpose_back,
         "the channels were moved last on the way in, but the 2-D result was reshaped straight "
         "to (N, C, H, W) without moving them back (the missing-transpose bug on the way out)",
         "reshape to (N, H, W, C) first, then .transpose(0, 3, 1, 2)"),
        (normalize_forward(x, g, b, 0, eps)[0],
         "each activation (c, h, w) was normalized on its own over the N samples "
         "(per-activation statistics, as after a flatten to (N, C*H*W)); conv BatchNorm "
         "shares one mean and variance per channel",
         "reduce over N, H and W together: m = N*H*W"),
        (normalize_forward(x, g, b, (1, 2, 3), eps)[0],
         "the statistics are per sample (over C, H, W, like LayerNorm), not per channel",
         "one mean per channel: reduce over axes (0, 2, 3)"),
        (g * mistaken_xhat(x, (0, 2, 3), eps, "m - 1") + b,
         "the variance divides by m - 1", "the batch variance divides by m = N*H*W (biased)"),
        (g * mistaken_xhat(x, (0, 2, 3), eps, "eps outside") + b,
         "eps was added outside the square root", "divide by sqrt(var + eps)"),
        (spatial_batchnorm_forward(x, gamma, beta, 1e-5)[0],
         "eps is not passed on: bnlib.batchnorm_forward used its default eps = 1e-5, while the checker "
         "passes eps = 0.1", "give bnlib.batchnorm_forward the eps your function receives, as its fourth "
         "argument"),
    ]
    example = (f"x of shape {x.shape}, channel means {format_array(x.mean(axis=(0, 2, 3)))}, eps = {eps}\n"
               f"expected out[0, :, 0, :] =\n    {format_array(expected[0, :, 0, :])}\n"
               f"your out[0, :, 0, :]     =\n    {format_array(out[0, :, 0, :])}")
    diagnose(exercise, "out", out, mistakes, example)


# ---------------------------------------------------------------- LayerNorm backward

def layernorm_inputs(N=4, D=5, seed=3):
    """A random dout (N, D), gamma (D,), and the cache of bnlib's LayerNorm forward pass on a batch x
    (its xhat, and istd of shape (N, 1))."""
    rng = np.random.default_rng(seed)
    x = np.linspace(-2.0, 3.0, N)[:, None] + np.linspace(0.5, 2.5, N)[:, None] * rng.standard_normal((N, D))
    gamma = np.linspace(0.5, 2.0, D) + 0.2 * rng.standard_normal(D)
    dout = rng.standard_normal((N, D)) + np.linspace(0.3, -0.7, D)
    return dout, gamma, layernorm_forward(x, gamma, np.zeros(D), 0.1)[1]


@reproducible("from bncourse.checks.beyond import layernorm_inputs; dout, gamma, cache = layernorm_inputs(); "
              "xhat, istd = cache.xhat, cache.istd")
def check_layernorm_backward(fn):
    r"""``fn(dout, xhat, istd, gamma)`` returns ``(dx, dgamma, dbeta)`` of LayerNorm.

    .. math::

        g = \gamma\,dy,\quad
        dx = \frac{\mathrm{istd}}{D}\Big(D g - \sum_d g - \hat x\sum_d g\hat x\Big),\quad
        d\gamma = \sum_n dy\,\hat x,\quad d\beta = \sum_n dy

    xhat and dout are (N, D); istd is (N, 1), one per sample; gamma is (D,).
    """
    exercise = "check_layernorm_backward"
    dout, gamma, cache = layernorm_inputs()
    xhat, istd = cache.xhat, cache.istd
    expected_dx, *expected = layernorm_backward(dout, cache)      # bnlib's dx, dgamma, dbeta
    N, D = dout.shape
    result = call_learner(exercise, fn, dout, xhat, istd, gamma, names=("dout", "xhat", "istd", "gamma"),
                          shapes="LayerNorm's statistics are per sample: the sums of dx run over the D features "
                          "of each row, axis=1 with keepdims=True, and istd is (N, 1); dgamma and dbeta sum "
                          "over the batch, axis=0, shape (D,)",
                          forbidden=(layernorm_backward, normalize_backward))
    dx, dgamma, dbeta = as_result_tuple(exercise, result, ["dx", "dgamma", "dbeta"])
    dx = as_result_array(exercise, "dx", dx, (N, D))
    dgamma = as_result_array(exercise, "dgamma", dgamma, (D,))
    dbeta = as_result_array(exercise, "dbeta", dbeta, (D,))
    example_inputs = f"dout =\n    {format_array(dout)}\ngamma = {format_array(gamma)}"

    found = gamma_beta_problem(dout, xhat, dgamma, dbeta, expected, gamma=gamma)   # the same as BatchNorm's
    if found:
        name, problem, hint = found
        index = ["dgamma", "dbeta"].index(name)
        raise CheckFailed(exercise, problem, hint, f"{example_inputs}\nexpected {name} = "
                          f"{format_array(expected[index])}\nyour {name}     = {format_array((dgamma, dbeta)[index])}")

    if is_close(dx, expected_dx):
        return passed(exercise, "dx, dgamma and dbeta of LayerNorm, gamma kept inside the sums over D")
    g = dout * gamma          # dL/dxhat: the mistakes below use it as dout of dx_terms, with gamma = 1
    bn_style = compact_dx(xhat, istd, gamma, dout, D, axis=1)
    direct, mean_term, variance_term = dx_terms(xhat, istd, 1.0, g, D, axis=1)
    mistakes = [
        (bn_style,
         "gamma was pulled out of the sums, as in BatchNorm; in LayerNorm gamma varies along the "
         "normalized axis (one value per feature), so it cannot be factored out",
         "start from g = dout * gamma (that is dL/dxhat) and use g inside both sums"),
        (compact_dx(xhat, istd, 1.0, g, D, axis=0), "the sums in dx run over the batch (axis 0), as in BatchNorm",
         "LayerNorm's statistics are per sample: sum over the features, axis=1, keepdims=True"),
        (compact_dx(xhat, istd, 1.0, g, N, axis=0), "the sums in dx run over the batch (axis 0) with m = N, "
         "as in BatchNorm", "LayerNorm normalizes each row over its D features: axis=1 and m = D"),
        (compact_dx(xhat, istd, 1.0, g, N, axis=1), "m = N was used; LayerNorm averages over m = D features",
         "m is the number of elements behind each mean: D = x.shape[1]"),
        (direct + variance_term,
         "the term through the mean, - sum_d g, is missing", "x_d also reaches every output of its row through "
         "the row's mean: add that path"),
        (direct + mean_term,
         "the term through the variance, - xhat sum_d g xhat, is missing",
         "x_d also reaches every output of its row through the row's variance: add that path"),
        (compact_dx(xhat, istd, 1.0, dout, D, axis=1), "gamma is missing from dx",
         "dL/dxhat = dout * gamma"),
        (compact_dx(xhat, 1.0, 1.0, g, D, axis=1), "the factor istd = 1/sqrt(var + eps) is missing",
         "multiply by istd (shape (N, 1): it broadcasts along each row)"),
    ]
    example = (f"{example_inputs}\nexpected dx[0] = {format_array(expected_dx[0])}\n"
               f"your dx[0]     = {format_array(dx[0])}")
    diagnose(exercise, "dx", dx, mistakes, example)


# ---------------------------------------------------------------- GroupNorm forward

def grouped_forward(x, gamma, beta, G, axes, eps, strided=False):
    """bnlib's normalize_forward over ``axes`` of x viewed as (N, G, C/G, H, W), gamma and beta per
    channel: the variants a mistake in the axes produces. ``strided`` puts channel c in group c % G."""
    N, C, H, W = x.shape
    shape = (N, C // G, G, H, W) if strided else (N, G, C // G, H, W)
    param = (1, *shape[1:3], 1, 1)
    out, _ = normalize_forward(x.reshape(shape), gamma.reshape(param), beta.reshape(param), axes, eps)
    return out.reshape(x.shape)


@reproducible("from bncourse.checks.beyond import conv_inputs; "
              "x, gamma, beta, eps = conv_inputs(N=2, C=6, H=2, W=3, seed=11); G = 3")
def check_groupnorm_forward(fn):
    r"""``fn(x, gamma, beta, G, eps)`` returns GroupNorm's out, shape (N, C, H, W).

    .. math:: y_{nchw} = \gamma_c (x_{nchw}-\mu_{ng})/\sqrt{\sigma_{ng}^2+\epsilon} + \beta_c,
              statistics over the C/G consecutive channels of group g and over H, W.

    Called twice, with G = 3 and G = 2 groups of C = 6 channels. A function that calls bnlib's
    groupnorm_forward or normalize_forward is refused: the exercise asks for it in NumPy.
    """
    exercise = "check_groupnorm_forward"
    x, gamma, beta, eps = conv_inputs(N=2, C=6, H=2, W=3, seed=11)
    N, C, H, W = x.shape
    for G in (3, 2):
        same_input = ("(the same input: `from bncourse.checks.beyond import conv_inputs; "
                      f"x, gamma, beta, eps = conv_inputs(N=2, C=6, H=2, W=3, seed=11); G = {G}`)")
        try:
            result = unwrap_single(exercise, call_with_channel_params(
                exercise, fn, x, gamma, beta, G, eps, names=("x", "gamma", "beta", "G", "eps"),
                forbidden=(groupnorm_forward, normalize_forward)), "out")
            check_conv_shape(exercise, result, x.shape)
            out = as_result_array(exercise, "out", result, x.shape)
        except CheckFailed as failure:
            if failure.inputs or "not done yet" in failure.problem:
                raise
            raise failure.with_inputs(same_input) from None
        expected, _ = groupnorm_forward(x, gamma, beta, G, eps)
        if is_close(out, expected):
            continue
        g, b = gamma.reshape(1, C, 1, 1), beta.reshape(1, C, 1, 1)
        grouped = x.reshape(N, G, C // G, H, W)
        mistakes = [
            (grouped_forward(x, gamma, beta, G, (1, 3, 4), eps, strided=True),
             "the channels were grouped by stride (channel c in group c % G); a group is C/G "
             "consecutive channels", "x.reshape(N, G, C // G, H, W) puts channels 0..C/G-1 in group 0"),
            (groupnorm_forward(x, gamma, beta, C, eps)[0],
             "each channel was normalized on its own (that is InstanceNorm, G = C)",
             f"use the G passed in (here G = {G}): each group holds C/G = {C // G} channels"),
            (groupnorm_forward(x, gamma, beta, 1, eps)[0],
             "all channels of a sample were normalized together (that is G = 1, LayerNorm)",
             f"use the G passed in (here G = {G})"),
            (grouped_forward(x, gamma, beta, G, (2,), eps),
             "the statistics run over the channels of a group but not over H and W",
             "reduce the grouped array over axes (2, 3, 4): m = (C/G)*H*W"),
            (spatial_batchnorm_forward(x, gamma, beta, eps)[0],
             "the statistics are per channel over the batch (that is BatchNorm); GroupNorm's are per "
             "sample", "no statistic of GroupNorm crosses the batch axis"),
            (grouped_forward(x, gamma, beta, G, (0, 2, 3, 4), eps),
             "the statistics also run over the batch axis; GroupNorm's are per sample",
             "reduce the grouped array over axes (2, 3, 4) only"),
            (g * mistaken_xhat(grouped, (2, 3, 4), eps, "m - 1").reshape(x.shape) + b,
             "the variance divides by m - 1", "divide by m = (C/G)*H*W (biased variance)"),
            (g * mistaken_xhat(grouped, (2, 3, 4), eps, "eps outside").reshape(x.shape) + b,
             "eps was added outside the square root", "divide by sqrt(var + eps)"),
            (groupnorm_forward(x, gamma, beta, G, 1e-5)[0], "eps is not used: you wrote a fixed eps "
             "(1e-5), or none, instead of the argument eps", "use the argument eps (the checker passes "
             "eps = 0.1): sqrt(var + eps)"),
            (g * mistaken_xhat(grouped, (2, 3, 4), eps, "eps = 0").reshape(x.shape) + b,
             "eps is not used: sqrt(var) where sqrt(var + eps) belongs",
             "use the argument eps (the checker passes eps = 0.1): sqrt(var + eps)"),
            (groupnorm_forward(x, np.ones(C), np.zeros(C), G, eps)[0],
             "gamma and beta are not applied: you returned the normalized xhat",
             "finish with the scale and shift, one gamma and one beta per channel"),
            (groupnorm_forward(x, gamma, np.zeros(C), G, eps)[0], "beta is not added: out = gamma * xhat",
             "add the shift, one beta per channel"),
            (groupnorm_forward(x, np.ones(C), beta, G, eps)[0], "gamma is not applied: out = xhat + beta",
             "scale by gamma, one value per channel"),
        ]
        example = (f"x of shape {x.shape}, G = {G}\n"
                   f"expected out[0, :, 0, 0] = {format_array(expected[0, :, 0, 0])}\n"
                   f"your out[0, :, 0, 0]     = {format_array(out[0, :, 0, 0])}")
        try:
            diagnose(exercise, f"out (G = {G})", out, mistakes, example)
        except CheckFailed as failure:
            raise failure.with_inputs(same_input) from None
    return passed(exercise, "out is GroupNorm: per sample, over C/G consecutive channels and H, W")
