r"""Checkers of notebook 10: the gradients of a Linear layer before BatchNorm, and the Jacobian of one feature.

``check_linear_bn_backward``: z = x W + b, y = BN(z) in training mode; the learner returns dW and db.
``check_bn_jacobian``: the m x m matrix :math:`\partial y_j/\partial x_k` of one feature.

The references are bnlib's (its Linear layer and BatchNorm, its Jacobian); the mistakes are written out.
"""
import numpy as np

from bnlib.batchnorm import batchnorm_backward, batchnorm_forward
from bnlib.jacobian import batchnorm_jacobian
from bnlib.mlp import Linear
from .core import (CheckFailed, as_result_array, as_result_tuple, call_learner, checker_inputs, diagnose,
                   format_array, is_close, passed, reproduce, reproducible, without_numpy_warnings)
from .variants import statistics

__all__ = ["check_linear_bn_backward", "check_bn_jacobian", "linear_bn_inputs", "jacobian_inputs"]


def linear_bn_inputs():
    """x (5, 3), W (3, 4), a bias b far from zero, gamma, beta, dout (5, 4), eps = 0.1."""
    x, _, _, _, eps = checker_inputs(N=5, D=3, seed=3)
    rng = np.random.default_rng(4)
    W = rng.standard_normal((3, 4))
    b = np.array([2.0, -1.5, 0.5, 3.0])
    gamma = np.array([0.7, 1.6, -1.1, 2.2])
    beta = np.array([0.4, -0.3, 1.0, 0.0])
    dout = rng.standard_normal((5, 4)) + np.array([0.5, -0.8, 0.3, 1.2])
    return x, W, b, gamma, beta, dout, eps


@without_numpy_warnings
@reproducible("from bncourse.checks.jacobian import linear_bn_inputs; "
              "x, W, b, gamma, beta, dout, eps = linear_bn_inputs()")
def check_linear_bn_backward(fn):
    r"""``fn(x, W, b, gamma, beta, dout, eps)`` returns ``(dW, db)`` for z = xW + b, y = BN(z), training mode.

    .. math:: dz = \mathrm{BN\_backward}(dy),\qquad dW = x^\top dz,\qquad db = \sum_i dz_i = 0
    """
    exercise = "check_linear_bn_backward"
    x, W, b, gamma, beta, dout, eps = linear_bn_inputs()
    linear = Linear(*W.shape, rng=0)
    linear.W, linear.b = W.copy(), b.copy()
    _, cache = batchnorm_forward(linear.forward(x), gamma, beta, eps)
    dz, _, _ = batchnorm_backward(dout, cache)
    linear.backward(dz)
    dW_ok, db_ok = linear.dW, linear.db          # bnlib's: x^T dz and sum_i dz_i
    result = call_learner(exercise, fn, x, W, b, gamma, beta, dout, eps,
                          names=("x", "W", "b", "gamma", "beta", "dout", "eps"),
                          shapes="x is (N, D_in), W is (D_in, D) and dz, like dout, is (N, D): dW = x^T dz has "
                          "the shape of W, and db sums dz over the batch, axis=0")
    dW, db = as_result_tuple(exercise, result, ["dW", "db"])
    dW = as_result_array(exercise, "dW", dW, W.shape, dtypes=(np.float64, np.float32))
    db = as_result_array(exercise, "db", db, b.shape, dtypes=(np.float64, np.float32))
    frozen = gamma * dout * cache.istd              # statistics held fixed (eval-mode gradient)
    example = f"gamma = {format_array(gamma)}, eps = {eps}\nexpected db = {format_array(db_ok)}\n" \
              f"your db     = {format_array(db)}"
    if not is_close(db, db_ok):
        diagnose(exercise, "db", db, [
            (dout.sum(axis=0), "db is the sum of dout: that is dbeta, the gradient of BatchNorm's own "
             "shift", "b sits before the normalization: db = sum_i dz_i with dz the input gradient of "
             "BatchNorm (which sums to 0)"),
            (frozen.sum(axis=0), "db treats the batch mean and variance as constants (the eval-mode "
             "gradient)", "in training mode mu_B moves with b: use the full backward pass, "
             "batchnorm_backward(dout, cache)"),
            (-dout.sum(axis=0), "db is minus the sum of dout", "db = sum_i dz_i, with dz from BatchNorm's backward pass"),
        ], example, fallback=("wrong db", "b reaches the loss through BatchNorm's input z, so db sums the "
                              "gradient at z over the batch (and your prediction of 10.q1 says what that gives)"))
    example = (f"x =\n    {format_array(x)}\nW =\n    {format_array(W)}\nb = {format_array(b)}, "
               f"gamma = {format_array(gamma)}, beta = {format_array(beta)}, eps = {eps}\n"
               f"dout =\n    {format_array(dout)}\n"
               f"expected dW =\n    {format_array(dW_ok)}\nyour dW =\n    {format_array(dW)}")
    _, cache_default = batchnorm_forward(linear.forward(x), gamma, beta, 1e-5)     # bnlib's default eps
    dz_default = batchnorm_backward(dout, cache_default)[0]
    if not is_close(dW, dW_ok):
        diagnose(exercise, "dW", dW, [
            (x.T @ dout, "dW = x^T dout skips BatchNorm's backward pass", "dW = x^T dz, with dz the "
             "gradient at BatchNorm's input z: dz = batchnorm_backward(dout, cache)[0]"),
            (x.T @ frozen, "dW treats the batch mean and variance as constants (the eval-mode gradient)",
             "in training mode use the full backward pass, batchnorm_backward(dout, cache)"),
            (x.T @ (dz / gamma), "gamma is missing from dz", "dz = batchnorm_backward(dout, cache)[0] "
             "with the cache of batchnorm_forward(x @ W + b, gamma, beta, eps)"),
            (dz.T @ x, "dW is transposed", "dW has the shape of W, (D_in, D_out): x.T @ dz"),
            (x.T @ dz_default, "eps is not passed on: bnlib.batchnorm_forward used its default eps = 1e-5, "
             "while the checker passes eps = 0.1", "give bnlib.batchnorm_forward the eps your function receives, "
             "as its fourth argument"),
        ], example, fallback=("wrong dW", "check each step on the input shown: the forward pass of the linear "
                              "layer, then BatchNorm's forward and backward pass with the arguments given, "
                              "then the linear layer's backward pass"))
    return passed(exercise, "dW = x^T dz through BatchNorm, and db = sum_i dz_i = 0: the bias learns nothing")


def jacobian_inputs(gamma=1.3):
    """One feature of a batch of m = 5 (not centred, not unit scale), gamma (1.3, then -0.8), eps = 0.1."""
    x, *_ = checker_inputs(N=5, D=3, seed=1)
    return x[:, 2].copy(), gamma, 0.1


JACOBIAN_GAMMAS = (1.3, -0.8)      # a negative gamma tells gamma from |gamma|


@without_numpy_warnings
def check_bn_jacobian(fn):
    r"""``fn(x, gamma, eps)`` returns the m x m Jacobian :math:`J_{jk}=\partial y_j/\partial x_k` of one feature.

    .. math:: J = \frac{\gamma}{m\sqrt{\sigma_B^2+\epsilon}}\big(m I - \mathbf 1\mathbf 1^\top - \hat x\hat x^\top\big)

    (J is symmetric, so rows and columns may be taken either way.) Called with gamma = 1.3 and with
    gamma = -0.8. A function that calls bnlib's batchnorm_jacobian is refused.
    """
    exercise = "check_bn_jacobian"
    for gamma in JACOBIAN_GAMMAS:
        try:
            jacobian_on(exercise, fn, gamma)
        except CheckFailed as failure:
            if failure.inputs or "not done yet" in failure.problem:
                raise
            raise failure.with_inputs(reproduce("from bncourse.checks.jacobian import jacobian_inputs; "
                                                f"x, gamma, eps = jacobian_inputs(gamma={gamma})")) from None
    return passed(exercise, "the m x m Jacobian of one feature equals "
                  "gamma/(m s) (m I - 1 1^T - xhat xhat^T), for a positive and a negative gamma")


def jacobian_on(exercise, fn, gamma):
    """Raise CheckFailed unless ``fn`` gives the Jacobian of jacobian_inputs(gamma)."""
    x, gamma, eps = jacobian_inputs(gamma)
    m = x.shape[0]
    result = call_learner(exercise, fn, x, gamma, eps, names=("x", "gamma", "eps"), forbidden=(batchnorm_jacobian,),
                          shapes="x is (m,), one feature; J is (m, m): np.outer(a, b) and np.ones((m, m)) "
                          "build the two matrices of the formula")
    J = as_result_array(exercise, "J", result, (m, m), dtypes=(np.float64, np.float32))
    expected = batchnorm_jacobian(x, gamma, eps)
    if is_close(J, expected):
        return
    xmu, cache = statistics(x, 0, eps)                # bnlib's x - mu_B and sigma_B^2 of the feature
    var, I, ones = cache.var.item(), np.eye(m), np.ones((m, m))

    def formula(v=var, e=eps, g=gamma, ones_term=1.0, xhat_term=1.0, scale=None):
        """J as the mistakes change it (another variance, eps or gamma, a term's sign, the scale):
        for the mistake table only, the reference is bnlib's batchnorm_jacobian."""
        s = np.sqrt(v + e)
        xh = xmu / s
        core = m * I - ones_term * ones - xhat_term * np.outer(xh, xh)
        return (g / (m * s) if scale is None else scale(g, s)) * core

    example = (f"x = {format_array(x)}, gamma = {gamma}, eps = {eps}\nexpected J =\n    "
               f"{format_array(expected)}\nyour J =\n    {format_array(J)}")
    diagnose(exercise, "J", J, [
        (formula(ones_term=0.0), "the term -1 1^T is missing: the path through the mean",
         "every x_k moves mu_B by 1/m, which moves every y_j: subtract 1 1^T (np.ones((m, m)))"),
        (formula(xhat_term=0.0), "the term -xhat xhat^T is missing: the path through the variance",
         "every x_k moves sigma_B^2 by 2 (x_k - mu_B)/m: subtract np.outer(xhat, xhat)"),
        (formula(ones_term=0.0, xhat_term=0.0), "J is gamma/s times the identity: the batch statistics "
         "were held fixed (that is eval mode)", "in training mode mu_B and sigma_B^2 depend on every "
         "x_k: J = gamma/(m s) (m I - 1 1^T - xhat xhat^T)"),
        (formula(xhat_term=-1.0), "the sign of the xhat xhat^T term is +",
         "the path through sigma_B^2 takes away, as the path through mu_B does"),
        (formula(e=0.0), "eps is missing", "s = sqrt(var + eps), and xhat uses the same s"),
        (formula(v=var * m / (m - 1)), "the variance divides by m - 1", "BatchNorm's batch variance is "
         "biased: divide by m"),
        (formula(g=1.0), "gamma is missing", "y = gamma xhat + beta: J carries the factor gamma"),
        (formula(g=abs(gamma)) if gamma < 0 else None, "J carries |gamma| where gamma belongs: right for a "
         "positive gamma only (this one is negative)", "y = gamma xhat + beta: J carries gamma itself, "
         "with its sign"),
        (formula(scale=lambda g, s: g / s), "the factor 1/m is missing", "mu_B and sigma_B^2 are means over the batch: "
         "the paths through them carry 1/m"),
        (formula(scale=lambda g, s: g / (m * s * s)), "the variance took the place of the standard "
         "deviation", "divide by s = sqrt(var + eps), not by var + eps"),
    ], example, fallback=("wrong values", "entry (j, k) has three paths: the direct one (j = k only), "
                          "through mu_B and through sigma_B^2; check one column against finite differences"))
