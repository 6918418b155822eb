r"""The five source posts, equation by equation, checked against the verified derivation (notebook 06).

Every equation a post prints for the forward or the backward pass (and what its code computes) is
*transcribed* here into SymPy, in the course notation, and compared with the derivation of
notebooks 01-05, which this module recomputes from the forward definitions alone:

* **symbolically**, for one feature of a batch of m = 4 symbolic samples: the difference between
  the printed form and the true one must cancel to 0 (:func:`same`);
* **at an exact test point** (:data:`POINT`), where the printed and the true value are shown side by
  side, with central finite differences of the loss as a third, calculus-free witness
  (:func:`finite_difference`).

The test point is chosen so that quantities which posts mix up are different numbers:
m = 4, :math:`\mu_B = 3`, :math:`\sqrt{\sigma_B^2+\epsilon} = 2`, :math:`\sqrt{\sigma_B^2}\ne 2`,
:math:`\beta\ne\epsilon`.

Each checked equation or claim is one :class:`Row`; :data:`ROWS` lists them post by post, and
:func:`table` turns them into the table ``notebooks/data/seed-equations.csv``
(regenerate it with ``python -m bnlib.seeds --write``). Verdicts:

``correct``   the printed form is true as printed;
``notation``  true once the post's names are mapped to the course's (C, l or I for L; a for y;
              a node named after the product it holds; a :math:`\sigma_i` that already contains
              :math:`\epsilon`);
``typo``      ill-formed as printed (a missing :math:`\partial`, a misspelt term, a letter that
              names nothing in the post) with only one possible reading, and that reading is true;
``wrong``     a well-formed statement that is false: a wrong factor, sign, index, symbol, shape or
              a missing sum. The evidence says whether the numbers of the post change and
              whether its code shares the error.

The loss is :math:`L = \sum_i dy_i\,y_i` with fixed numbers :math:`dy_i`: every loss has this
gradient locally, so nothing is lost (as in :func:`bnlib.numerical_gradient`).
"""
import argparse
import csv
import io
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

import numpy as np
import sympy as sp

__all__ = [
    "m", "x", "dy", "gamma", "beta", "eps", "s", "mu", "var", "std", "xhat", "y", "loss",
    "TRUE", "POINT", "same", "at_point", "finite_difference",
    "Row", "ROWS", "POSTS", "COLUMNS", "VERDICTS", "table", "csv_text", "CSV_PATH",
]

# ---------------------------------------------------------------- one feature, m = 4 samples

m = 4
x = sp.symbols("x1:5", real=True)                 # the samples x_1 .. x_4 of one feature
dy = sp.symbols("dy1:5", real=True)               # upstream gradients dL/dy_i
gamma, beta = sp.symbols("gamma beta", real=True)
eps = sp.Symbol("epsilon", positive=True)
s = sp.Symbol("s", positive=True)                 # s = sqrt(var + eps), used by same()

mu = sum(x) / m                                   # mu_B
var = sum((xi - mu) ** 2 for xi in x) / m         # sigma_B^2, biased
std = sp.sqrt(var + eps)                          # sqrt(sigma_B^2 + eps)
xhat = [(xi - mu) / std for xi in x]              # normalized input
y = [gamma * xh + beta for xh in xhat]            # output
loss = sum(d * yi for d, yi in zip(dy, y))        # L = sum_i dy_i y_i

# The graph of notebook 02 with mu and var as nodes of their own: M and V stand for them, so that
# "the partial derivative holding mu_B and sigma_B^2 fixed", which every post uses, has a meaning.
M, V = sp.symbols("M V", real=True)
_xhat_node = [(xi - M) / sp.sqrt(V + eps) for xi in x]
_var_node = sum((xi - M) ** 2 for xi in x) / m    # sigma^2 as a function of x and of the node mu
_loss_node = sum(d * (gamma * xh + beta) for d, xh in zip(dy, _xhat_node))
_at_stats = {M: mu, V: var}
_u = sp.Symbol("u", real=True)                     # one output node, for dy_i/dxhat_i


def _node(expr):
    """Evaluate a derivative taken on the graph at the batch's own statistics."""
    return sp.sympify(expr).subs(_at_stats)


#: The verified quantities, each derived here from the forward definitions alone.
TRUE = {
    "mu": mu,
    "var": var,
    "xhat": xhat,
    "y": y,
    "dbeta": sp.diff(loss, beta),
    "dgamma": sp.diff(loss, gamma),
    "dx": [sp.diff(loss, xi) for xi in x],
    # dL/d(gamma xhat_i): the node u_i = gamma xhat_i, with y_i = u_i + beta
    "du": list(dy),
    "dxhat": [gamma * d for d in dy],
    "dvar": _node(sp.diff(_loss_node, V)),
    # mu_B reaches L through xhat directly and through sigma^2(x, mu): both paths
    "dmu": _node(sp.diff(_loss_node, M) + sp.diff(_loss_node, V) * sp.diff(_var_node, M)),
    # local derivatives, on the graph
    "dxhat_dx": [_node(sp.diff(xh, xi)) for xh, xi in zip(_xhat_node, x)],
    "dxhat_dvar": [_node(sp.diff(xh, V)) for xh in _xhat_node],
    "dxhat_dmu": [_node(sp.diff(xh, M)) for xh in _xhat_node],
    "dmu_dx": [sp.diff(mu, xi) for xi in x],
    "dvar_dx": [_node(sp.diff(_var_node, xi)) for xi in x],
    "dvar_dmu": _node(sp.diff(_var_node, M)),
    "dy_dxhat": [sp.diff(gamma * _u + beta, _u)] * m,
    "dy_dbeta": [sp.diff(yi, beta) for yi in y],
    "dy_dgamma": [sp.diff(yi, gamma) for yi in y],
}


def _three_paths(i):
    """dL/dx_i assembled from the graph: direct path, through mu_B, through sigma_B^2."""
    return (TRUE["dxhat"][i] * TRUE["dxhat_dx"][i] + TRUE["dmu"] * TRUE["dmu_dx"][i]
            + TRUE["dvar"] * TRUE["dvar_dx"][i])


def same(a, b):
    r"""True when ``a`` and ``b`` are equal as functions of the samples, dy, gamma, beta and eps.

    Lists are compared entry by entry. :math:`\epsilon` is replaced by :math:`s^2-\sigma_B^2`
    with :math:`s>0`: the square roots :math:`\sqrt{\sigma_B^2+\epsilon}` become :math:`s` and
    each side becomes one fraction, :math:`a=p/q`, :math:`b=u/v`; they are equal exactly when
    :math:`p\,v-u\,q` expands to 0. (A form with another square root, such as
    :math:`\sqrt{\sigma_B^2}`, keeps it as a symbol of its own.)
    """
    if isinstance(a, (list, tuple)) != isinstance(b, (list, tuple)):
        raise TypeError("same() compares a list with a list (one entry per sample) or an expression "
                        f"with an expression; got {type(a).__name__} and {type(b).__name__}")
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(p, q) for p, q in zip(a, b))
    (p, q), (u, v) = _rational(a), _rational(b)
    return p * v == u * q or sp.expand(p * v - u * q) == 0


@lru_cache(maxsize=None)
def _rational(expr):
    """``expr`` with eps = s^2 - var as (numerator, denominator), expanded (cached: truths recur)."""
    fraction = sp.together(sp.sympify(expr).xreplace({eps: s ** 2 - var}))
    return tuple(sp.expand(part) for part in sp.fraction(fraction))


# the verified derivation of notebooks 02-05, re-proved at import (a few hundred milliseconds)
if not (same([_three_paths(i) for i in range(m)], TRUE["dx"])
        and same(TRUE["dy_dxhat"], [gamma] * m) and same(TRUE["dvar_dmu"], 0)):
    raise RuntimeError("the three-path derivation does not reproduce dL/dx: bnlib.seeds is broken")

# ---------------------------------------------------------------- the exact test point

POINT = {**dict(zip(x, [1, 2, 3, 6])), **dict(zip(dy, [1, -2, 3, 1])),
         gamma: sp.Rational(3, 2), beta: sp.Rational(-1, 2), eps: sp.Rational(1, 2)}
"""x = (1, 2, 3, 6), dy = (1, -2, 3, 1), gamma = 3/2, beta = -1/2, eps = 1/2:
mu_B = 3, sigma_B^2 = 7/2, sqrt(sigma_B^2 + eps) = 2, m = 4."""


def at_point(expr):
    """The exact value of ``expr`` (or of each entry of a list) at :data:`POINT`."""
    if isinstance(expr, (list, tuple)):
        return [at_point(e) for e in expr]
    value = sp.sympify(sp.sympify(expr).xreplace(POINT))   # exact: sqrt(4) is 2, rationals add up
    return value if value.is_Rational else sp.radsimp(sp.simplify(value))


_t = sp.Symbol("t", real=True)


def _perturbed_loss(quantity, i):
    """L as a function of a shift t of the variable ``quantity`` is the gradient of."""
    if quantity == "dx":
        return loss.subs(x[i], x[i] + _t)
    if quantity in ("dgamma", "dbeta"):
        symbol = gamma if quantity == "dgamma" else beta
        return loss.subs(symbol, symbol + _t)
    if quantity == "dxhat":
        return sum(d * (gamma * (xh + (_t if k == i else 0)) + beta)
                   for k, (d, xh) in enumerate(zip(dy, xhat)))
    if quantity == "dvar":
        return _loss_node.subs({M: mu, V: var + _t})
    if quantity == "dmu":   # moving the node mu moves sigma^2(x, mu) too
        return _loss_node.subs(V, _var_node).subs(M, mu + _t)
    return None


def finite_difference(quantity, i=0, h=1e-6):
    """Central difference of L with respect to the node of ``quantity`` at POINT, or None.

    ``quantity`` is one of dx, dgamma, dbeta, dxhat, dvar, dmu (``i`` picks the sample).
    No calculus is involved: only the forward pass, evaluated at t = +h and t = -h.
    """
    if not (isinstance(i, (int, np.integer)) and 0 <= i < m):
        raise ValueError(f"i must be a sample index 0 .. {m - 1}; got {i!r}")
    if not h > 0:
        raise ValueError(f"h must be a positive step; got {h!r}")
    perturbed = _perturbed_loss(quantity, i)
    if perturbed is None:
        return None
    f = sp.lambdify(_t, perturbed.xreplace(POINT), "math")
    return (f(h) - f(-h)) / (2 * h)


# ---------------------------------------------------------------- the rows of the table

COLUMNS = ("post", "where", "claim", "verdict", "correct_form", "evidence")
VERDICTS = ("correct", "wrong", "typo", "notation")
POSTS = {
    "000": "Understanding the gradients for the backward pass of Batch Normalization (vishalvatsalya7, 2019)",
    "001": "the batchnorm_backward_alt post (edited 17/12/2016)",
    "002": "Gradient Calculation For Batch Normalization (2020)",
    "003": "Back propagation in BatchNorm (A. R. Gosthipaty, 2020)",
    "004": "the deepnet BatchNorm post (P. Dahal)",
}


@dataclass
class Row:
    """One checked equation or claim of a post.

    An equation row names the verified ``quantity`` (a key of :data:`TRUE`) and gives ``printed``,
    a function returning the post's form as a SymPy expression (a list for per-sample forms;
    for a typo, its only possible reading). Any other row gives ``check``, a function returning
    True when the claim, read literally, holds. ``reason`` is the human part of the evidence.
    """

    post: str
    where: str
    claim: str
    verdict: str
    correct_form: str
    reason: str
    quantity: Optional[str] = None
    printed: Optional[Callable] = None
    check: Optional[Callable] = None
    _evidence: Optional[str] = field(default=None, repr=False, compare=False)

    def holds(self):
        """Does the claim hold as printed (for a typo: as it can only be read)?"""
        if self.printed is not None:
            return same(self.printed(), TRUE[self.quantity])
        return bool(self.check())

    def numbers(self):
        """Printed and true value at POINT, with finite differences where a gradient is meant."""
        if self.printed is None:
            return ""
        printed, true = self.printed(), TRUE[self.quantity]
        i = 0
        if isinstance(true, list):
            values = list(zip(at_point(printed), at_point(true)))
            differing = [k for k, (p, t) in enumerate(values) if sp.simplify(p - t) != 0]
            i = differing[0] if differing else 0
            p, t = values[i]
            label = f" (sample i = {i + 1})"
        else:
            p, t = at_point(printed), at_point(true)
            label = ""
        fd = finite_difference(self.quantity, i)
        # rounded to 7 decimals first: the last digits of a finite difference are rounding noise
        fd_text = f", finite differences {round(fd, 7):.7g}" if fd is not None else ""
        if sp.simplify(p - t) == 0:
            return f"Equal symbolically; at the test point both are {_show(t)}{label}{fd_text}."
        return f"At the test point{label}: printed {_show(p)}, true {_show(t)}{fd_text}."

    def evidence(self):
        """The reason, then the numbers at the test point (computed once)."""
        if self._evidence is None:
            self._evidence = " ".join(part for part in (self.reason, self.numbers()) if part)
        return self._evidence

    def record(self):
        return {"post": self.post, "where": self.where, "claim": self.claim,
                "verdict": self.verdict, "correct_form": self.correct_form,
                "evidence": self.evidence()}


def _show(value):
    """An exact value, with its decimal expansion when it is not an integer."""
    value = sp.nsimplify(value)
    if value.is_Integer:
        return str(value)
    return f"{value} = {float(value):.6g}"


# Shorthands for transcriptions: sums over the batch, in the post's order.
def _sum(f):
    return sum(f(k) for k in range(m))


T = TRUE   # the verified values of symbols a post has already derived correctly

# ---------------------------------------------------------------- checks that are not one equation

PAPER = ("Ioffe, S. and Szegedy, C. (2015). Batch Normalization: Accelerating Deep Network Training "
         "by Reducing Internal Covariate Shift. ICML 2015, arXiv:1502.03167")


def _skewness(values):
    """Standardized third moment of a list of exact numbers (0 for every Gaussian)."""
    n = len(values)
    centre = sum(values) / n
    second = sum((v - centre) ** 2 for v in values) / n
    third = sum((v - centre) ** 3 for v in values) / n
    return sp.nsimplify(sp.simplify(third / second ** sp.Rational(3, 2)))


def _normalization_makes_gaussian():
    """False: the skewness of xhat is the skewness of x (an affine map keeps the shape)."""
    skew_x, skew_xhat = _skewness(at_point(list(x))), _skewness(at_point(xhat))
    return skew_xhat == 0 and skew_x == skew_xhat


def _output_std_is_gamma():
    """The standard deviation of y over the batch, |gamma| sqrt(var / (var + eps)), against gamma."""
    output_var = sum((yi - sum(y) / m) ** 2 for yi in y) / m
    return same(output_var, gamma ** 2)


def _per_activation_is_per_channel():
    """Normalizing (N, C*H*W) columns, as the flattening code does, against per-channel BatchNorm."""
    from .norms import spatial_batchnorm_forward
    rng = np.random.default_rng(0)
    N, C, H, W = 2, 3, 2, 2
    x4 = rng.standard_normal((N, C, H, W)) + np.arange(C).reshape(1, C, 1, 1)
    flat = x4.reshape(N, C * H * W)                     # one column per activation (c, h, w)
    per_activation = ((flat - flat.mean(axis=0)) / np.sqrt(flat.var(axis=0) + 1e-5)).reshape(x4.shape)
    per_channel, _ = spatial_batchnorm_forward(x4, np.ones(C), np.zeros(C), eps=1e-5)
    return np.allclose(per_activation, per_channel)


def _unsummed_dgamma_has_shape_of_gamma():
    """dgamma = dout * xhat, without the sum over the batch: shape (N, D), gamma has (D,)."""
    from .batchnorm import batchnorm_forward
    rng = np.random.default_rng(0)
    x2, dout = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    _, cache = batchnorm_forward(x2, np.ones(3), np.zeros(3), eps=1e-8)
    return (dout * cache.xhat).shape == (3,)


def _layer_update_works_with_unsummed_dgamma():
    """The layer keeps gamma as (1, D); an in-place step with the (N, D) dgamma cannot broadcast."""
    rng = np.random.default_rng(0)
    gamma_layer, dgamma = np.ones((1, 3)), rng.standard_normal((5, 3))
    try:
        gamma_layer -= 0.1 * dgamma
    except ValueError:
        return False
    return True


def _code_backward_matches(eps_code=1e-8):
    """dvar, dmu, dX as the deepnet backward code computes them, against the staged reference."""
    from .batchnorm import batchnorm_backward_staged, batchnorm_forward
    rng = np.random.default_rng(1)
    x2, g, b, dout = (rng.standard_normal((6, 4)), rng.standard_normal(4),
                      rng.standard_normal(4), rng.standard_normal((6, 4)))
    _, cache = batchnorm_forward(x2, g, b, eps=eps_code)
    n = x2.shape[0]
    xmu = x2 - x2.mean(axis=0)
    inv = 1.0 / np.sqrt(x2.var(axis=0) + eps_code)
    dxn = dout * g
    dvar_code = np.sum(dxn * xmu, axis=0) * -0.5 * (x2.var(axis=0) + eps_code) ** -1.5
    dmu_code = np.sum(-dxn * inv, axis=0) + dvar_code * np.sum(-2.0 * xmu, axis=0) / n
    dx_code = dxn * inv + dmu_code / n + dvar_code * 2.0 * xmu / n
    dx_ref, _, dbeta_ref = batchnorm_backward_staged(dout, cache)
    return np.allclose(dx_code, dx_ref, rtol=1e-9, atol=1e-12) and np.allclose(dout.sum(axis=0), dbeta_ref)


def _compact_forms(dx_of):
    """A compact dx written with dgamma and dbeta, compared with the verified one for every sample."""
    return same([dx_of(i) for i in range(m)], T["dx"])


# ---------------------------------------------------------------- the rows, post by post
# Each `printed` is the post's formula transcribed in the course notation: C, l, I and L are all L;
# a_i^(r) (post 002) is y_i; a symbol the post has already derived correctly takes its verified
# value from T, so that every row is judged on its own.

dxh = T["dxhat"]
inv_std = 1 / std


def _three_path_sum(first, through_mu, through_var):
    return [first(i) + T["dmu"] * through_mu(i) + T["dvar"] * through_var(i) for i in range(m)]


_MISSING_SUM = ("The parameter is shared by all m samples, so its gradient is the sum of their "
                "contributions (notebook 03); this line has one sample's term only.")

ROWS = [
    # ======================================================================= post 000
    Row("000", "l.19, forward: mean", r"\mu_B = (1/m) \sum_{i=1}^m x_i", "correct",
        r"\mu_B = (1/m) \sum_i x_i", "", "mu", lambda: sum(x) / m),
    Row("000", "l.20, forward: variance", r"\sigma_B^2 = (1/m) \sum_{i=1}^m (x_i - \mu_B)^2", "correct",
        r"biased variance, divide by m", "", "var", lambda: sum((xi - mu) ** 2 for xi in x) / m),
    Row("000", "l.21, forward: normalize", r"\hat x_i = (x_i - \mu_B) / \sqrt{\sigma_B^2 + \epsilon}",
        "correct", r"\hat x_i = (x_i - \mu_B) / \sqrt{\sigma_B^2 + \epsilon}", "", "xhat",
        lambda: [(xi - mu) / sp.sqrt(var + eps) for xi in x]),
    Row("000", "l.22, forward: scale and shift", r"y_i = \gamma x_i + \beta", "wrong",
        r"y_i = \gamma \hat x_i + \beta",
        "x_i where the normalized \\hat x_i belongs: read as printed, the layer would not normalize at "
        "all. The post's own code (out = gamma*xhat+beta) and its later dy_i/d\\hat x_i = \\gamma use "
        "\\hat x_i, so none of its gradients change.", "y", lambda: [gamma * xi + beta for xi in x]),
    Row("000", "l.15, prose", "normalization gives a unit Gaussian distribution", "wrong",
        "zero mean and variance \\sigma_B^2/(\\sigma_B^2+\\epsilon) per feature; the shape of the "
        "distribution is unchanged",
        "Normalization is an affine map per feature: it moves and rescales the batch but keeps its "
        "shape. At the test point x = (1, 2, 3, 6) is skewed and \\hat x has the same nonzero "
        "skewness; a Gaussian has skewness 0.", check=_normalization_makes_gaussian),
    Row("000", "l.29-40, forward code", "out = gamma*xhat + beta with batch mean, biased variance, "
        "inv_var = 1/sqrt(var+eps)", "correct", r"y_i = \gamma \hat x_i + \beta",
        "The code normalizes correctly (its xmu holds the mean, not x - mu).", "y",
        lambda: [gamma * (xi - mu) * (1 / sp.sqrt(var + eps)) + beta for xi in x]),
    Row("000", "l.75-77, backward: node gamma*xhat",
        r"\partial C/\partial(\gamma \hat x_i) = \partial C/\partial y_i \cdot \partial y_i/\partial(\gamma x_i)"
        r" = \partial C/\partial y_i", "typo",
        r"\partial L/\partial(\gamma \hat x_i) = dy_i  (node u_i = \gamma \hat x_i, y_i = u_i + \beta)",
        "Differentiating 'with respect to \\gamma\\hat x_i' names the node u_i = \\gamma\\hat x_i "
        "(notation). The denominator \\gamma x_i, inherited from l.22, names no node of the layer; "
        "the left side shows the only reading. The result is right.", "du", lambda: list(dy)),
    Row("000", "l.84-85, backward: dbeta, first lines",
        r"\partial C/\partial\beta = \partial C/\partial y_i \cdot \partial(\gamma x_i + \beta)/\partial\beta",
        "wrong", r"\partial L/\partial\beta = \sum_i dy_i",
        _MISSING_SUM + " The sum appears in the next line, and the code sums: the post's dbeta is right.",
        "dbeta", lambda: dy[0] * 1),
    Row("000", "l.86, backward: dbeta", r"\partial C/\partial\beta = \sum_{i=1}^m \partial C/\partial y_i",
        "correct", r"\sum_i dy_i", "", "dbeta", lambda: sum(dy)),
    Row("000", "l.93, backward: dgamma, first line",
        r"\partial C/\partial\gamma = \partial C/\partial(\gamma\hat x_i) \cdot \partial(\gamma\hat x_i)/\partial\gamma",
        "wrong", r"\partial L/\partial\gamma = \sum_i dy_i \hat x_i",
        _MISSING_SUM + " The next line has the sum, and the code sums: the post's dgamma is right.",
        "dgamma", lambda: dy[0] * xhat[0]),
    Row("000", "l.94, backward: dgamma", r"\partial C/\partial\gamma = \sum_{i=1}^m \partial C/\partial y_i \, \hat x_i",
        "correct", r"\sum_i dy_i \hat x_i", "", "dgamma", lambda: _sum(lambda k: dy[k] * xhat[k])),
    Row("000", "l.103-105, backward: dxhat", r"\partial C/\partial\hat x_i = \partial C/\partial y_i \cdot \gamma",
        "correct", r"\gamma dy_i", "", "dxhat", lambda: [d * gamma for d in dy]),
    Row("000", "l.113, backward: chain rule for dx",
        r"\partial C/\partial x_i = \partial C/\partial\hat x_i \, \partial\hat x_i/\partial x_i + "
        r"\partial C/\partial\mu_B \, \partial\mu_B/\partial x_i + \partial C/\partial\sigma_B^2 \, \partial\sigma_B^2/\partial x_i",
        "correct", "the three paths from x_i to L: through \\hat x_i, \\mu_B and \\sigma_B^2",
        "Each partial on the right holds the other nodes fixed (the graph of notebook 02).", "dx",
        lambda: [_three_paths(i) for i in range(m)]),
    Row("000", "l.121, backward: local", r"\partial\hat x_i/\partial x_i = 1/\sqrt{\sigma_B^2+\epsilon}",
        "correct", r"1/\sqrt{\sigma_B^2+\epsilon} (\mu_B, \sigma_B^2 held fixed)", "", "dxhat_dx",
        lambda: [1 / sp.sqrt(var + eps)] * m),
    Row("000", "l.122, backward: local", r"\partial\mu_B/\partial x_i = 1/m", "correct", "1/m", "",
        "dmu_dx", lambda: [sp.Rational(1, m)] * m),
    Row("000", "l.123, backward: local", r"\partial\sigma_B^2/\partial x_i = 2(x_i - \mu_B)/m", "correct",
        r"2(x_i-\mu_B)/m (\mu_B held fixed)", "", "dvar_dx", lambda: [2 * (xi - mu) / m for xi in x]),
    Row("000", "l.62-63, backward code", "dbeta = sum(dout, axis=0); dgamma = sum(dout*xhat, axis=0)",
        "correct", r"\sum_i dy_i and \sum_i dy_i \hat x_i, shape (D,)", "Both sum over the batch axis.",
        check=lambda: same(sum(dy), T["dbeta"]) and same(_sum(lambda k: dy[k] * xhat[k]), T["dgamma"])),
    Row("000", "l.64, backward code: dx",
        r"dx = (1/N) istd (N \cdot dxhat - \sum dxhat - \hat x \sum(dxhat \cdot \hat x))", "correct",
        r"(1/(m\sqrt{\sigma_B^2+\epsilon})) (m\,dxhat_i - \sum_j dxhat_j - \hat x_i \sum_j dxhat_j \hat x_j)",
        "The derivation stops after the local derivatives (dC/d\\mu_B, dC/d\\sigma_B^2 and their "
        "assembly are not shown), but the code's one line is the compact formula of notebook 05.", "dx",
        lambda: [inv_std / m * (m * dxh[i] - sum(dxh) - xhat[i] * _sum(lambda k: dxh[k] * xhat[k]))
                 for i in range(m)]),

    # ======================================================================= post 001
    # Our copy of this post lost its formulas; its prose says what they state.
    Row("001", "l.7, prose", "the layer normalizes its input to zero mean and unit variance", "correct",
        "mean exactly 0; variance \\sigma_B^2/(\\sigma_B^2+\\epsilon), 1 up to \\epsilon/(\\sigma_B^2+\\epsilon)",
        "True up to the \\epsilon inside the square root: at the test point the variance of \\hat x is 7/8.",
        check=lambda: same(sum(xhat), 0) and same(sum(xh ** 2 for xh in xhat) / m, var / (var + eps))),
    Row("001", "l.11, prose", "with gamma = sqrt(var + eps) and beta = mu the output equals the input",
        "correct", r"\gamma = \sqrt{\sigma_B^2+\epsilon}, \beta = \mu_B gives y_i = x_i",
        "The identity is exact only with \\epsilon inside \\gamma, as written here.",
        check=lambda: same([yi.subs({gamma: std, beta: mu}) for yi in y], list(x))),
    Row("001", "l.24, prose", "for dgamma and dbeta the computational graph already gives the best expression",
        "correct", r"\partial L/\partial\beta = \sum_i dy_i, \partial L/\partial\gamma = \sum_i dy_i \hat x_i",
        "The graph's last node gives both directly: one product and one sum over the batch each, which no "
        "rewriting can shorten (every dy_i enters).",
        check=lambda: same(sum(dy), T["dbeta"]) and same(_sum(lambda k: dy[k] * xhat[k]), T["dgamma"])),
    Row("001", "l.28, prose", "the summation appears because gamma is shared by all N rows", "correct",
        r"\partial L/\partial\gamma = \sum_i (\partial L/\partial y_i)(\partial y_i/\partial\gamma)",
        "Finite differences on gamma agree with the sum, not with any single term.",
        check=lambda: same(_sum(lambda k: T["dy_dgamma"][k] * dy[k]), T["dgamma"])),
    Row("001", "l.36, prose", "x_i reaches L through xhat_i, mu and var, so dL/dx_i has three terms",
        "correct", "direct path + path through \\mu_B + path through \\sigma_B^2",
        "The three-term sum equals the derivative of L taken directly.",
        check=lambda: same([_three_paths(i) for i in range(m)], T["dx"])),
    Row("001", "l.44, prose", "the gradients of mu and var sum over all elements of the batch", "correct",
        r"\partial L/\partial\sigma_B^2 = \sum_i \partial L/\partial\hat x_i \cdot \partial\hat x_i/\partial\sigma_B^2",
        "\\mu_B and \\sigma_B^2 are shared by the batch like \\gamma.",
        check=lambda: same(_sum(lambda k: dxh[k] * T["dxhat_dvar"][k]), T["dvar"])),
    Row("001", "l.46, prose", "the term through var in dL/dmu vanishes because sum_i (x_i - mu) = 0",
        "correct", r"\partial\sigma_B^2/\partial\mu_B = -(2/m) \sum_i (x_i-\mu_B) = 0",
        "Holds for every batch, because \\mu_B is the batch mean.",
        check=lambda: same(sum(xi - mu for xi in x), 0) and same(T["dvar_dmu"], 0)),
    Row("001", "l.50-55, prose (edit)", "(x_i - mu)/sqrt(var+eps) = xhat_i simplifies the var term",
        "correct", r"\partial L/\partial\sigma_B^2 \cdot 2(x_i-\mu_B)/m = -\gamma \hat x_i \sum_j dy_j\hat x_j / (m\sqrt{\sigma_B^2+\epsilon})",
        "The substitution turns the term through \\sigma_B^2 into the \\hat x_i-term of the compact formula.",
        check=lambda: same([T["dvar"] * T["dvar_dx"][i] for i in range(m)],
                           [-gamma * xhat[i] * _sum(lambda k: dy[k] * xhat[k]) / (m * std) for i in range(m)])),
    Row("001", "l.64-70, code", "dbeta = sum(dout); dgamma = sum(xhat*dout); "
        "dx = (gamma*istd/N) * (N*dout - xhat*dgamma - dbeta)", "correct",
        r"dx_i = (\gamma/(m\sqrt{\sigma_B^2+\epsilon})) (m\,dy_i - \hat x_i \sum_j dy_j\hat x_j - \sum_j dy_j)",
        "The compact formula of notebook 05, exactly; dbeta and dgamma sum over the batch.", "dx",
        lambda: [gamma * inv_std / m * (m * dy[i] - xhat[i] * T["dgamma"] - T["dbeta"]) for i in range(m)]),
    Row("001", "l.63-71, code as printed", "the function body", "typo", "the body indented under def",
        "In our copy the body lines are not indented, so Python stops with an IndentationError; "
        "most likely the indentation was lost in formatting. Indented, the code runs and is right.",
        check=None),
    Row("001", "l.73, prose: speed", "the compact backward is 2 to 4 times faster than the staged one",
        "correct", "the compact pass is faster; by how much depends on the array shape and the machine",
        "Measured on the course machine (notebooks 05 and 06, float64): the staged pass of bnlib takes "
        "about 1.4 to 3 times as long as the post's compact line for (N, D) from (64, 100) to "
        "(1024, 1024), depending on shape and load. The compact pass is faster, by a factor of the "
        "claimed order; the exact factor is a property of a machine, not of the formula.", check=None),

    # ======================================================================= post 002
    Row("002", "l.18, prose", "normalizing hidden layers gives 10 times or more improvement in training speed",
        "correct", "14 times fewer training steps for the same accuracy, for one model (Inception on ImageNet)",
        f"Reported by the paper's abstract: {PAPER}. A result for one network, not a guarantee.", check=None),
    Row("002", "l.20, prose", "the output of unit i has mean beta_i over the mini-batch", "correct",
        r"\frac1m \sum_r a_i^{(r)} = \beta_i exactly", "The normalized values sum to 0.",
        check=lambda: same(sum(y) / m, beta)),
    Row("002", "l.20, prose", "the output of unit i has standard deviation gamma_i", "wrong",
        r"|\gamma_i| \sqrt{\sigma_B^2/(\sigma_B^2+\epsilon)}, close to |\gamma_i| when \epsilon << \sigma_B^2",
        "A standard deviation is never negative, and the \\epsilon inside the square root shrinks it: "
        "at the test point gamma = 3/2 but the output's standard deviation is (3/2) sqrt(7/8) = 1.40312. "
        "Approximately right for gamma > 0 and \\epsilon << \\sigma_B^2.", check=_output_std_is_gamma),
    Row("002", "l.26, prose", "the gradient is no longer a sum of separate per-example gradients", "correct",
        r"\partial L/\partial x_i depends on every dy_j of the batch",
        "dL/dx_1 changes when dy_2 changes: the batch statistics couple the samples.",
        check=lambda: sp.diff(T["dx"][0], dy[1]) != 0),
    Row("002", "l.28, backward: dbeta",
        r"\partial L/\partial\beta_i = \sum_r \partial L/\partial a_i^{(r)} \cdot \partial a_i^{(r)}/\partial\beta_i = \sum_r \partial L/\partial a_i^{(r)}",
        "correct", r"\sum_i dy_i", "a_i^{(r)} is the output y_r.", "dbeta", lambda: sum(dy)),
    Row("002", "l.30, backward: dgamma",
        r"\partial L/\partial\gamma_i = \sum_r \partial L/\partial a_i^{(r)} \cdot \hat x_i^{(r)}",
        "correct", r"\sum_i dy_i \hat x_i", "", "dgamma", lambda: _sum(lambda k: dy[k] * xhat[k])),
    Row("002", "l.34, backward: chain rule for dx",
        r"\partial L/\partial x = \partial L/\partial\hat x \cdot \partial\hat x/\partial x + "
        r"\partial L/\partial\mu_i \cdot \partial\mu_i/x + \partial L/\partial\sigma_i^2 \cdot \partial\sigma_i^2/x",
        "typo", r"... \partial\mu_i/\partial x_i^{(r)} ... \partial\sigma_i^2/\partial x_i^{(r)}",
        "Two denominators lack their \\partial; the only reading is the three-path chain rule, which is right.",
        "dx", lambda: [_three_paths(i) for i in range(m)]),
    Row("002", "l.35, backward: dx with local derivatives",
        r"\partial L/\partial x = \partial L/\partial\hat x \, (1/m) + \partial L/\partial\mu_i \, (1/m) + "
        r"\partial L/\partial\sigma_i^2 \, 2(x - \mu_i)/m", "wrong",
        r"\partial L/\partial\hat x_i \cdot 1/\sqrt{\sigma_B^2+\epsilon} + \partial L/\partial\mu_B/m + \partial L/\partial\sigma_B^2 \cdot 2(x_i-\mu_B)/m",
        "The first factor is \\partial\\hat x/\\partial x = 1/\\sigma_i (\\mu_i and \\sigma_i held fixed), "
        "not 1/m: 1/m belongs to \\partial\\mu/\\partial x. It changes every dx unless \\sigma_i = m, and "
        "l.43 carries it on. The post has no code.", "dx",
        lambda: _three_path_sum(lambda i: dxh[i] / m, lambda i: sp.Rational(1, m),
                                lambda i: 2 * (x[i] - mu) / m)),
    Row("002", "l.39, backward: dxhat", r"\partial L/\hat x = \gamma_i \, \partial L/\partial a", "typo",
        r"\partial L/\partial\hat x_i = \gamma \, dy_i", "The denominator lacks its \\partial; the only reading is right.",
        "dxhat", lambda: [gamma * d for d in dy]),
    Row("002", "l.39, backward: the reason given", r"a_i^{(r)} = \gamma_i x_i^{(r)} + \beta_i", "wrong",
        r"a_i^{(r)} = \gamma_i \hat x_i^{(r)} + \beta_i",
        "x where \\hat x belongs: with it, \\partial a/\\partial\\hat x would be 0, not \\gamma. The "
        "derivative on the same line is right, so nothing downstream changes.", "y",
        lambda: [gamma * xi + beta for xi in x]),
    Row("002", "l.43-45, backward: dx assembled",
        r"\partial L/\partial x = \partial L/\partial a \, (\gamma/m) + \partial L/\partial\mu_i \, (1/m) + "
        r"\partial L/\partial\sigma_i^2 \, 2(x-\mu_i)/m", "wrong",
        r"\partial L/\partial a \cdot \gamma/\sqrt{\sigma_B^2+\epsilon} + \partial L/\partial\mu_B/m + \partial L/\partial\sigma_B^2 \cdot 2(x_i-\mu_B)/m",
        "Carries the 1/m of l.35: \\gamma/m where \\gamma/\\sigma_i belongs. This is the input gradient a "
        "reader would implement from the post; the post has no code.", "dx",
        lambda: _three_path_sum(lambda i: dy[i] * gamma / m, lambda i: sp.Rational(1, m),
                                lambda i: 2 * (x[i] - mu) / m)),
    Row("002", "l.49, backward: dvar, first form",
        r"\partial L/\partial\sigma_i^2 = \sum_j \partial L/\partial\hat x^{(j)} \cdot \partial\hat x^{(j)}/\partial\sigma_i^2",
        "correct", r"\sum_j \partial L/\partial\hat x_j \cdot \partial\hat x_j/\partial\sigma_B^2", "", "dvar",
        lambda: _sum(lambda k: dxh[k] * T["dxhat_dvar"][k])),
    Row("002", "l.49, backward: dvar",
        r"= -1/(2\sigma_i^3) \sum_j \partial L/\hat x^{(j)} \, (x^{(j)} - \mu_i)", "typo",
        r"-(1/2)(\sigma_B^2+\epsilon)^{-3/2} \sum_j \partial L/\partial\hat x_j (x_j-\mu_B)",
        "The denominator lacks its \\partial. \\sigma_i includes \\epsilon here: the post adds \\epsilon "
        "to \\sigma_i^2 so that it cannot be 0 (l.26, as in Aggarwal's book), so \\sigma_i^3 = "
        "(\\sigma_B^2+\\epsilon)^{3/2} (notation). Read with \\sigma_i = \\sqrt{\\sigma_B^2} instead, the "
        "value would be off by the factor (1+\\epsilon/\\sigma_B^2)^{3/2}.", "dvar",
        lambda: -1 / (2 * std ** 3) * _sum(lambda k: dxh[k] * (x[k] - mu))),
    Row("002", "l.50, backward: dvar with dy",
        r"= -1/(2\sigma_i^3) \sum_j \partial L/a^{(j)} \, \gamma_i (x^{(j)} - \mu_i)", "typo",
        r"-(\gamma/2)(\sigma_B^2+\epsilon)^{-3/2} \sum_j dy_j (x_j-\mu_B)",
        "The denominator lacks its \\partial; \\sigma_i includes \\epsilon as in l.49.", "dvar",
        lambda: -1 / (2 * std ** 3) * _sum(lambda k: dy[k] * gamma * (x[k] - mu))),
    Row("002", "l.52, backward: dmu, first form",
        r"\partial L/\partial\mu_i = \sum_j \partial L/\partial\hat x^{(j)} \, \partial\hat x^{(j)}/\partial\mu_i + "
        r"\partial L/\partial\sigma_i^2 \, \partial\sigma_i^2/\partial\mu_i", "correct",
        "the direct path plus the path through \\sigma_B^2", "", "dmu",
        lambda: _sum(lambda k: dxh[k] * T["dxhat_dmu"][k]) + T["dvar"] * T["dvar_dmu"]),
    Row("002", "l.53, backward: dmu",
        r"= -(1/\sigma_i) \sum_j \partial L/\hat x^{(j)} - 2 \, \partial L/\partial\sigma_i^2 \, \sum_j (x^{(j)}-\mu_i)/m",
        "typo", r"-(1/\sqrt{\sigma_B^2+\epsilon}) \sum_j \partial L/\partial\hat x_j - 2 \, \partial L/\partial\sigma_B^2 \sum_j (x_j-\mu_B)/m",
        "The denominator lacks its \\partial; the only reading is right (and its second term is 0).",
        "dmu", lambda: -1 / std * sum(dxh) - 2 * T["dvar"] * sum(xi - mu for xi in x) / m),
    Row("002", "l.55-56, backward: dmu with dy",
        r"= -(\gamma_i/\mu_i) \sum_j \partial L/\partial a^{(j)} + (1/\sigma_i^3) (\sum_j \partial L/\partial a^{(j)} \gamma_i (x^{(j)}-\mu_i)) (\sum_j (x^{(j)}-\mu_i)/m)",
        "wrong", r"-(\gamma/\sqrt{\sigma_B^2+\epsilon}) \sum_j dy_j + (\text{second term as printed, which is } 0)",
        "\\mu_i where \\sigma_i belongs (the line before has 1/\\sigma_i): a different quantity, the batch "
        "mean, so the value changes whenever \\mu_B differs from \\sigma_i, and a batch with mean 0 "
        "divides by zero. The second term is right. No code.", "dmu",
        lambda: (-gamma / mu * sum(dy) + 1 / std ** 3 * _sum(lambda k: dy[k] * gamma * (x[k] - mu))
                 * sum(xi - mu for xi in x) / m)),
    Row("002", "l.60, prose", "batch normalization enables faster inference", "wrong",
        "faster training (fewer steps, higher learning rates); at inference it adds one affine map per "
        "feature, which can be folded into the preceding layer (notebook 08)",
        f"The paper claims faster training, not inference: {PAPER}. At inference the layer is "
        "extra work, removed at best by folding, never a speed-up.", check=None),
    Row("002", "l.60, prose", "at test time mu and sigma come from the whole population and are constants",
        "correct", "population (in practice running) statistics, fixed at inference; the paper uses the "
        "unbiased variance m/(m-1) there (notebook 08)", f"Algorithm 2 of {PAPER}.", check=None),
    Row("002", "l.61, prose", "BN acts as a regularizer; dropout seems to help less with it", "correct",
        "as stated, an empirical observation", f"Sections 3.4 and 4.2.1 of {PAPER}.", check=None),
    Row("002", "l.68, reference", "Batch Normalization: ..., Szegedy et al., arXiv:1502.03167", "wrong",
        "Ioffe, S. and Szegedy, C. (2015), arXiv:1502.03167",
        "Title and arXiv number are right; the first author is Sergey Ioffe, and with two authors "
        "'et al.' does not apply.", check=None),

    # ======================================================================= post 003
    Row("003", "eq. (1)", r"\mu_B = (1/m) \sum_{i=1}^m x_i", "correct", r"\mu_B = (1/m)\sum_i x_i", "",
        "mu", lambda: sum(x) / m),
    Row("003", "eq. (2)", r"\sigma_B^2 = (1/m) \sum_{i=1}^m (x_i-\mu_B)^2", "correct", "biased variance",
        "", "var", lambda: sum((xi - mu) ** 2 for xi in x) / m),
    Row("003", "eq. (3)", r"\hat x_i = (x_i-\mu_B)/\sqrt{\sigma_B^2+\epsilon}", "correct", "as printed", "",
        "xhat", lambda: [(xi - mu) / sp.sqrt(var + eps) for xi in x]),
    Row("003", "eq. (4)", r"y_i = \gamma\hat x_i + \beta", "correct", "as printed", "", "y",
        lambda: [gamma * xh + beta for xh in xhat]),
    Row("003", "eq. (5)", r"\partial y_i/\partial\hat x_i = \gamma", "correct", r"\gamma", "", "dy_dxhat",
        lambda: [gamma] * m),
    Row("003", "l.36-39, backward: dxhat", r"\partial l/\partial\hat x_i = dy_i \cdot \gamma", "correct",
        r"\gamma dy_i", "", "dxhat", lambda: [d * gamma for d in dy]),
    Row("003", "eq. (6)", r"\partial y_i/\partial\beta = 1", "correct", "1", "", "dy_dbeta",
        lambda: [1] * m),
    Row("003", "l.50-53, backward: dbeta", r"\partial l/\partial\beta = \sum_{i=1}^m dy_i", "correct",
        r"\sum_i dy_i", "", "dbeta", lambda: sum(dy)),
    Row("003", "eq. (7)", r"\partial y_i/\partial\gamma = \hat x_i", "correct", r"\hat x_i", "", "dy_dgamma",
        lambda: list(xhat)),
    Row("003", "l.63-65, backward: dgamma", r"\partial l/\partial\gamma = \sum_{i=1}^m dy_i \hat x_i", "correct",
        r"\sum_i dy_i \hat x_i", "", "dgamma", lambda: _sum(lambda k: dy[k] * xhat[k])),
    Row("003", "l.74, backward: quotient rule",
        r"\partial\hat x_i/\partial\sigma_B^2 = (\sqrt{\sigma_B^2+\epsilon} \cdot 0 - (x_i-\mu_B)(1/2)(\sigma_B^2+\epsilon)^{-1/2}) / (\sigma_B^2+\epsilon)",
        "correct", r"-(1/2)(x_i-\mu_B)(\sigma_B^2+\epsilon)^{-3/2}", "", "dxhat_dvar",
        lambda: [(sp.sqrt(var + eps) * 0 - (xi - mu) * sp.Rational(1, 2) * (var + eps) ** sp.Rational(-1, 2))
                 / (var + eps) for xi in x]),
    Row("003", "l.76-78, backward: local",
        r"\partial\hat x_i/\partial\sigma_B^2 = -(x_i-\mu_B)(1/2)(\sigma_B^2+\epsilon)^{-3/2}", "correct",
        "as printed", "", "dxhat_dvar",
        lambda: [-(xi - mu) * sp.Rational(1, 2) * (var + eps) ** sp.Rational(-3, 2) for xi in x]),
    Row("003", "l.81-89, backward: dvar",
        r"\partial l/\partial\sigma_B^2 = \sum_i dy_i \, \partial y_i/\partial\hat x_i \, \partial\hat x_i/\partial\sigma_B^2 = \sum_i d\hat x_i \, \partial\hat x_i/\partial\sigma_B^2",
        "correct", "as printed",
        "The last form is printed three times and cites an equation (8) that carries no number; "
        "harmless.", "dvar", lambda: _sum(lambda k: dy[k] * gamma * T["dxhat_dvar"][k])),
    Row("003", "l.94-96, backward: local",
        r"\partial\sigma_B^2/\partial\mu_B = (1/m) \sum_i -2(x_i-\mu_B)", "correct",
        r"-(2/m)\sum_i (x_i-\mu_B), which is 0", "", "dvar_dmu", lambda: sum(-2 * (xi - mu) for xi in x) / m),
    Row("003", "l.101-103, backward: local", r"\partial\hat x_i/\partial\mu_B = -1/\sqrt{\sigma_B^2+\epsilon}",
        "correct", "as printed", "", "dxhat_dmu", lambda: [-1 / sp.sqrt(var + eps)] * m),
    Row("003", "l.105, backward: dmu",
        r"\partial l/\partial\mu_B = \sum_i \partial l/\partial\hat x_i \, \partial\hat x_i/\partial\mu_B + \partial l/\partial\sigma_B^2 \, \partial\sigma_B^2/\partial\mu_B",
        "correct", "as printed", "", "dmu",
        lambda: _sum(lambda k: dxh[k] * T["dxhat_dmu"][k]) + T["dvar"] * T["dvar_dmu"]),
    Row("003", "l.107, backward: dmu",
        r"\partial l/\partial\mu_B = \sum_i dx_i \cdot (-1/\sqrt{\sigma_B^2+\epsilon}) + d\sigma_B^2 \, (1/m) \sum_i -2(x_i-\mu_B)",
        "wrong", r"\sum_i d\hat x_i \cdot (-1/\sqrt{\sigma_B^2+\epsilon}) + d\sigma_B^2 (1/m)\sum_i -2(x_i-\mu_B)",
        "dx_i where d\\hat x_i belongs: by the post's own shorthand (da = dl/da) dx_i is the input "
        "gradient, the very quantity being derived. Read as printed the formula is circular, and since "
        "the input gradient of BatchNorm always sums to 0 over the batch, its first term is 0. The line "
        "above has dl/d\\hat x_i, the intended term. No code.", "dmu",
        lambda: _sum(lambda k: T["dx"][k] * (-inv_std)) + T["dvar"] * sum(-2 * (xi - mu) for xi in x) / m),
    Row("003", "eq. (11)", r"\partial\mu_B/\partial x_i = \partial(x_i/m)/\partial x_i = 1/m", "correct", "1/m",
        "Dropping the terms of the sum that do not contain x_i is legitimate.", "dmu_dx",
        lambda: [sp.Rational(1, m)] * m),
    Row("003", "l.116-118, backward: local", r"\partial\sigma_B^2/\partial x_i = (1/m) \, 2(x_i-\mu_B)",
        "correct", r"2(x_i-\mu_B)/m (\mu_B held fixed)", "", "dvar_dx", lambda: [2 * (xi - mu) / m for xi in x]),
    Row("003", "l.123-125, backward: local", r"\partial\hat x_i/\partial x_i = 1/\sqrt{\sigma_B^2+\epsilon}",
        "correct", r"(\mu_B, \sigma_B^2 held fixed)", "", "dxhat_dx", lambda: [inv_std] * m),
    Row("003", "l.127, backward: chain rule for dx",
        r"\partial I/\partial x_i = \partial I/\partial x_i \cdot \partial\hat x_i/\partial x_i + \partial I/\partial\sigma_B^2 \cdot \partial\sigma_B^2/\partial x_i + \partial I/\partial\mu_B \cdot \partial\mu_B/\partial x_i",
        "wrong", r"\partial L/\partial\hat x_i \cdot \partial\hat x_i/\partial x_i + ...",
        "\\partial I/\\partial x_i on the right where \\partial I/\\partial\\hat x_i belongs: read as "
        "printed, the equation defines dx_i through itself. The next line, (13), has the right symbol. "
        "I for the loss l is notation. No code.", "dx",
        lambda: [T["dx"][i] * inv_std + T["dvar"] * T["dvar_dx"][i] + T["dmu"] / m for i in range(m)]),
    Row("003", "eq. (13)",
        r"\partial I/\partial x_i = \partial I/\partial\hat x_i / \sqrt{\sigma_B^2+\epsilon} + \partial I/\partial\sigma_B^2 \, 2(x_i-\mu_B)/m + \partial I/\partial\mu_B / m",
        "notation", "the same, with L for I", "I is the loss l of the rest of the post.", "dx",
        lambda: [dxh[i] * inv_std + T["dvar"] * 2 * (x[i] - mu) / m + T["dmu"] / m for i in range(m)]),
    Row("003", "l.90, l.108, l.129, references", "(From 8), (From 9 & 10), From (11), (12) and (13)",
        "typo", "number the equations that are cited",
        "Equations (8), (9), (10) and (12) are cited but never numbered; (13) is cited in its own "
        "derivation. The reader can still follow.", check=None),

    # ======================================================================= post 004
    Row("004", "l.3 and l.7, prose", "internal covariance shift", "typo", "internal covariate shift",
        f"The term of the paper's title: {PAPER}.", check=None),
    Row("004", "l.5, prose", "introduced by Ioffe & Szegedy", "correct", "Ioffe and Szegedy (2015)", PAPER,
        check=None),
    Row("004", "l.7, prose", "inserted after fully connected or convolutional layers, before nonlinearities",
        "correct", "as stated", f"Section 3.2 of {PAPER}.", check=None),
    Row("004", "l.11-14, prose", "advantages: gradient flow, less dependence on initialization, higher "
        "learning rates, regularization", "correct", "as stated",
        f"Sections 3.3, 3.4 and 4.2 of {PAPER}.", check=None),
    Row("004", "l.16, prose", "normalize the input to have unit Gaussian distribution", "wrong",
        "zero mean and variance \\sigma_B^2/(\\sigma_B^2+\\epsilon) per feature; the shape of the "
        "distribution is unchanged",
        "As in post 000: an affine map keeps the skewness of the batch, and a Gaussian has none.",
        check=_normalization_makes_gaussian),
    Row("004", "l.18, forward: mean", r"\mu_B = (1/m) \sum_{i=1}^m x_i", "correct", "as printed", "",
        "mu", lambda: sum(x) / m),
    Row("004", "l.18, forward: variance", r"\sigma_B^2 = (1/m) \sum_{i=1}^m (x_i-\mu_B)^2", "correct",
        "biased variance", "", "var", lambda: sum((xi - mu) ** 2 for xi in x) / m),
    Row("004", "l.18, forward: normalize", r"\hat x_i = (x_i-\mu_B)/\sqrt{\sigma_B^2+\epsilon}", "correct",
        "as printed", "", "xhat", lambda: [(xi - mu) / sp.sqrt(var + eps) for xi in x]),
    Row("004", "l.18, forward: scale and shift", r"y_i = \gamma x_i + \beta", "wrong",
        r"y_i = \gamma\hat x_i + \beta",
        "x_i where \\hat x_i belongs, as in post 000. The code (out = gamma * X_norm + beta) is right.",
        "y", lambda: [gamma * xi + beta for xi in x]),
    Row("004", "l.21-26, forward code: the axes",
        "X (N, C, H, W) reshaped to (N, C*H*W); mean and variance over axis 0", "wrong",
        "for convolutional inputs, one mean and variance per channel over N, H and W; gamma, beta of "
        "shape (C,) (notebook 07)",
        "The reshape gives every activation (c, h, w) its own statistics from N values only, and its "
        "own gamma and beta (the layer stores C*H*W of each). The paper normalizes a feature map "
        "jointly over the batch and all locations so that convolution stays convolution (Section 3.2). "
        "With N = 1 every per-activation variance is 0 and the output is beta whatever the input. "
        "Right for fully connected inputs (H = W = 1). The class has the same design.",
        check=_per_activation_is_per_channel),
    Row("004", "l.25, forward code: eps", "epsilon = 1e-8", "correct",
        "a choice; the course uses 1e-5, as PyTorch",
        "Any small positive constant is a valid BatchNorm. A smaller one amplifies more where a feature "
        "barely varies: 1/sqrt(1e-8) = 1e4 against 316 for 1e-5; in float32, var + 1e-8 rounds back to "
        "var for var of 0.25 and above. The code's backward pass is right with it (next rows).",
        check=lambda: _code_backward_matches(1e-8)),
    Row("004", "l.31, backward: node gamma*xhat",
        r"\partial C/\partial(\gamma\hat x_i) = \partial C/\partial y_i \cdot \partial y_i/\partial(\gamma x_i) = \partial C/\partial y_i",
        "typo", r"\partial L/\partial(\gamma\hat x_i) = dy_i",
        "As in post 000: \\gamma x_i names no node of the layer; the left side shows the only reading; "
        "the result is right.", "du", lambda: list(dy)),
    Row("004", "l.31, backward: dbeta, first lines",
        r"\partial C/\partial\beta = \partial C/\partial y_i \cdot \partial(\gamma x_i + \beta)/\partial\beta",
        "wrong", r"\partial L/\partial\beta = \sum_i dy_i",
        _MISSING_SUM + " The sum appears in the last line, and the code sums: the post's dbeta is right.",
        "dbeta", lambda: dy[0] * 1),
    Row("004", "l.31, backward: dbeta", r"\partial C/\partial\beta = \sum_{i=1}^m \partial C/\partial y_i",
        "correct", r"\sum_i dy_i", "", "dbeta", lambda: sum(dy)),
    Row("004", "l.31, backward: dgamma, first line",
        r"\partial C/\partial\gamma = \partial C/\partial(\gamma\hat x_i) \cdot \partial(\gamma\hat x_i)/\partial\gamma",
        "wrong", r"\partial L/\partial\gamma = \sum_i dy_i \hat x_i",
        _MISSING_SUM + " The next line has the sum; the code does not (see its dgamma below).",
        "dgamma", lambda: dy[0] * xhat[0]),
    Row("004", "l.31, backward: dgamma", r"\partial C/\partial\gamma = \sum_{i=1}^m \partial C/\partial y_i \, \hat x_i",
        "correct", r"\sum_i dy_i \hat x_i", "", "dgamma", lambda: _sum(lambda k: dy[k] * xhat[k])),
    Row("004", "l.33, backward: dxhat",
        r"\partial C/\partial\hat x_i = \partial C/\partial(\gamma x_i) \cdot \partial(\gamma x_i)/\partial x_i = \partial C/\partial y_i \cdot \gamma",
        "typo", r"\partial L/\partial\hat x_i = \partial L/\partial(\gamma\hat x_i) \cdot \gamma = \gamma dy_i",
        "x_i where \\hat x_i belongs in the intermediate node (inherited from l.18); the left side and the "
        "result show the only reading, and the result is right.", "dxhat", lambda: [d * gamma for d in dy]),
    Row("004", "l.33, backward: dvar, first lines",
        r"\partial C/\partial\sigma_B^2 = \partial C/\partial\hat x_i \cdot \partial\hat x_i/\partial\sigma_B^2",
        "wrong", r"\sum_i \partial L/\partial\hat x_i \cdot \partial\hat x_i/\partial\sigma_B^2",
        "\\sigma_B^2 is shared by the batch, so the contributions of all samples add; the first two lines "
        "have one sample's term. The sum appears in the third line, and the code sums.", "dvar",
        lambda: dxh[0] * T["dxhat_dvar"][0]),
    Row("004", "l.33, backward: dvar",
        r"= \sum_i \partial C/\partial\hat x_i \, (x_i-\mu_B) \, (-1/2)(\sigma_B^2+\epsilon)^{-3/2}", "correct",
        "as printed", "", "dvar", lambda: _sum(lambda k: dxh[k] * (x[k] - mu) * -(var + eps) ** sp.Rational(-3, 2) / 2)),
    Row("004", "l.33, prose", "mu_B feeds two nodes and x_i three, so their gradients add over the paths",
        "correct", "as stated", "The sum over the paths equals the derivative taken directly.",
        check=lambda: same([_three_paths(i) for i in range(m)], T["dx"])),
    Row("004", "l.35, backward: dmu, first line",
        r"\partial C/\partial\mu_B = \partial C/\partial\hat x_i \cdot \partial\hat x_i/\partial\mu_b + \partial C/\partial\sigma_B^2 \cdot \partial\sigma_B^2/\partial\mu_B",
        "wrong", r"\sum_i \partial L/\partial\hat x_i \cdot \partial\hat x_i/\partial\mu_B + \partial L/\partial\sigma_B^2 \cdot \partial\sigma_B^2/\partial\mu_B",
        "The sum over the batch is missing from the first term (it appears two lines later); \\mu_b for "
        "\\mu_B is a typo. The code sums over the batch.", "dmu",
        lambda: dxh[0] * T["dxhat_dmu"][0] + T["dvar"] * T["dvar_dmu"]),
    Row("004", "l.35, backward: dmu, second line",
        r"... + \partial C/\partial\sigma_B^2 \cdot \partial((1/m)\sum_{i=0}^m (x_i-\mu_B))^2/\partial\mu_B",
        "wrong", r"\partial((1/m)\sum_{i=1}^m (x_i-\mu_B)^2)/\partial\mu_B",
        "What is differentiated is not \\sigma_B^2 (the values below are of that function): the square "
        "sits outside the sum, and the sum runs from i = 0 (m + 1 terms). Both that derivative and the true one are 0 at \\mu_B = batch mean, "
        "so no number changes; the first term again lacks its sum. The code differentiates the "
        "right function (np.sum(-2 * X_mu)).", "var",
        lambda: (sum(xi - mu for xi in x) / m) ** 2),
    Row("004", "l.35, backward: dmu",
        r"= \sum_i \partial C/\partial\hat x_i \cdot (-1/(\sqrt{\sigma_B^2}+\beta)) + \partial C/\partial\sigma_B^2 \cdot (1/m)\sum_i 2(x_i-\mu_B)",
        "wrong", r"\sum_i \partial L/\partial\hat x_i \cdot (-1/\sqrt{\sigma_B^2+\epsilon}) + \partial L/\partial\sigma_B^2 \cdot (-2/m)\sum_i (x_i-\mu_B)",
        "\\sqrt{\\sigma_B^2}+\\beta where \\sqrt{\\sigma_B^2+\\epsilon} belongs (\\beta for \\epsilon, outside "
        "the root), and the sign of \\partial\\sigma_B^2/\\partial\\mu_B is lost (harmless only because "
        "that sum is 0). The code is right: var_inv = 1/sqrt(var + 1e-8) and -2.", "dmu",
        lambda: (_sum(lambda k: dxh[k] * (-1 / (sp.sqrt(var) + beta)))
                 + T["dvar"] * sum(2 * (xi - mu) for xi in x) / m)),
    Row("004", "l.37, backward: chain rule for dx",
        r"\partial C/\partial x_i = \partial C/\partial\hat x_i \, \partial\hat x_i/\partial x_i + \partial C/\partial\mu_B \, \partial\mu_B/\partial x_i + \partial C/\partial\sigma_B^2 \, \partial\sigma_B^2/\partial x_i",
        "correct", "the three paths", "", "dx", lambda: [_three_paths(i) for i in range(m)]),
    Row("004", "l.37, backward: dx, second line",
        r"= \partial C/\partial\hat x_i / \sqrt{\sigma_B^2+\beta} + \partial C/\partial\mu_B \cdot \partial((1/m)\sum_i x_i)/\partial\mu_B + \partial C/\partial\sigma_B^2 \cdot 2(x_i-\mu_B)/m",
        "wrong", r"\partial L/\partial\hat x_i / \sqrt{\sigma_B^2+\epsilon} + \partial L/\partial\mu_B \cdot \partial\mu_B/\partial x_i + ...",
        "\\beta where \\epsilon belongs, and \\partial\\mu_B/\\partial\\mu_B (which is 1) where "
        "\\partial\\mu_B/\\partial x_i = 1/m belongs; the next line has 1/m. The code is right "
        "(var + 1e-8, dmu / n_X).", "dx",
        lambda: _three_path_sum(lambda i: dxh[i] / sp.sqrt(var + beta), lambda i: 1,
                                lambda i: 2 * (x[i] - mu) / m)),
    Row("004", "l.37, backward: dx",
        r"= \partial C/\partial\hat x_i / \sqrt{\sigma_B^2+\beta} + \partial C/\partial\mu_B / m + \partial C/\partial\sigma_B^2 \cdot 2(x_i-\mu_B)/m",
        "wrong", r"\partial L/\partial\hat x_i / \sqrt{\sigma_B^2+\epsilon} + \partial L/\partial\mu_B/m + \partial L/\partial\sigma_B^2 \cdot 2(x_i-\mu_B)/m",
        "\\beta where \\epsilon belongs: the value depends on the shift parameter, and \\beta < -\\sigma_B^2 "
        "makes the root imaginary. The code uses var + 1e-8: the code is right.", "dx",
        lambda: _three_path_sum(lambda i: dxh[i] / sp.sqrt(var + beta), lambda i: sp.Rational(1, m),
                                lambda i: 2 * (x[i] - mu) / m)),
    Row("004", "l.44-50, backward code", "dvar, dmu, dX and dbeta as computed (per activation, eps 1e-8)",
        "correct", "as computed",
        "Against bnlib's staged backward on a (6, 4) batch with the same eps: equal to 1e-9.",
        check=_code_backward_matches),
    Row("004", "l.51, backward code: dgamma", "dgamma = dout * X_norm", "wrong",
        "dgamma = np.sum(dout * X_norm, axis=0), shape (D,)",
        "The sum over the batch is missing: dgamma has shape (N, D), one row per sample, while gamma has "
        "one entry per feature (the equation above it has the sum).",
        check=_unsummed_dgamma_has_shape_of_gamma),
    Row("004", "l.76-77, layer class: backward", "dbeta = sum(dout, axis=0); dgamma = dout * self.X_norm",
        "wrong", "dgamma = np.sum(dout * self.X_norm, axis=0, keepdims=True), shape (1, D) like self.gamma",
        "Same missing sum as l.51. The class stores gamma with shape (1, D): an in-place step "
        "gamma -= lr * dgamma with the (N, D) gradient raises ValueError for N > 1, and "
        "gamma = gamma - lr * dgamma silently turns gamma into an (N, D) array.",
        check=_layer_update_works_with_unsummed_dgamma),
    Row("004", "l.57-83, layer class as printed", "the class body", "typo", "the body indented",
        "In our copy the class and method bodies are not indented, so Python stops with an "
        "IndentationError; most likely the indentation was lost in formatting.", check=None),
]

# ---------------------------------------------------------------- the CSV

CSV_PATH = Path(__file__).resolve().parents[1] / "notebooks" / "data" / "seed-equations.csv"


def table():
    """The table of every checked equation and claim, one dict per row, in the order of the posts."""
    return [row.record() for row in ROWS]


def csv_text():
    """:func:`table` as CSV text, exactly as it is committed."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table())
    return out.getvalue()


def main(argv=None):
    parser = argparse.ArgumentParser(description="Check the committed table of the five posts.")
    parser.add_argument("--write", action="store_true", help=f"rewrite {CSV_PATH.name}")
    args = parser.parse_args(argv)
    text = csv_text()
    if args.write:
        CSV_PATH.parent.mkdir(parents=True, exist_ok=True)
        CSV_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {len(ROWS)} rows to {CSV_PATH}")
        return 0
    current = CSV_PATH.read_text(encoding="utf-8") if CSV_PATH.exists() else ""
    if current != text:
        print(f"{CSV_PATH} is out of date: run `python -m bnlib.seeds --write`")
        return 1
    print(f"{CSV_PATH.name} is up to date ({len(ROWS)} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
