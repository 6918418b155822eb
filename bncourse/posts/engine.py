r"""The equality engine of the posts package: the verified derivation, equality, the test point.

Everything a post's equation is judged against, recomputed here from the forward definitions
alone, for one feature of a batch of ``BATCH_SIZE`` = 4 symbolic samples:

* :data:`TRUE`, the verified quantities (dL/dx, dL/dgamma, ..., and the local derivatives of the
  graph of notebook 02, with mu_B and sigma_B^2 as nodes of their own);
* :func:`same`, equality as functions of the samples, dy, gamma, beta and eps (the difference of
  the two sides, brought to one fraction, must expand to 0);
* :data:`POINT`, an exact test point, and :func:`at_point`, :func:`finite_difference` (central
  differences of the loss, a calculus-free witness);
* :class:`Row`, one checked equation or claim, and the shorthands the transcriptions use.

The test point is chosen so that quantities which posts mix up are different numbers:
m = 4, :math:`\mu_B = 3`, :math:`\sqrt{\sigma_B^2+\epsilon} = 2`, :math:`\sqrt{\sigma_B^2}\ne 2`,
:math:`\beta\ne\epsilon`.

The loss is :math:`L = \sum_i dy_i\,y_i` with fixed numbers :math:`dy_i`: every loss has this
gradient locally, so nothing is lost (as in :func:`bnlib.numerical_gradient`).

Importing this module builds the expressions (SymPy) but proves nothing; :func:`prove_derivation`
re-proves that the three paths of the graph give dL/dx (the tests call it).
"""
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Optional

import numpy as np
import sympy as sp

__all__ = [
    "BATCH_SIZE", "x", "dy", "gamma", "beta", "eps", "s", "mu", "var", "std", "xhat", "y", "loss",
    "TRUE", "POINT", "same", "at_point", "finite_difference", "prove_derivation", "three_paths", "Row",
]

# ---------------------------------------------------------------- one feature, m = 4 samples

BATCH_SIZE = 4
m = BATCH_SIZE                                    # the m of the formulas (a number here, a symbol in bncourse.symbolic)
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


def three_paths(i):
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


def prove_derivation():
    """True when the verified derivation of notebooks 02-05 holds: the three paths of the graph give
    dL/dx, dy_i/dxhat_i = gamma, and sigma^2 does not move with mu_B at the batch mean."""
    return bool(same([three_paths(i) for i in range(m)], TRUE["dx"])
                and same(TRUE["dy_dxhat"], [gamma] * m) and same(TRUE["dvar_dmu"], 0))

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


# ---------------------------------------------------------------- one row of the table

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
            return f"Equal symbolically; at the test point both are {show_value(t)}{label}{fd_text}."
        return f"At the test point{label}: printed {show_value(p)}, true {show_value(t)}{fd_text}."

    def evidence(self):
        """The reason, then the numbers at the test point (computed once)."""
        if self._evidence is None:
            self._evidence = " ".join(part for part in (self.reason, self.numbers()) if part)
        return self._evidence

    def record(self):
        return {"post": self.post, "where": self.where, "claim": self.claim,
                "verdict": self.verdict, "correct_form": self.correct_form,
                "evidence": self.evidence()}


def show_value(value):
    """An exact value, with its decimal expansion when it is not an integer."""
    value = sp.nsimplify(value)
    if value.is_Integer:
        return str(value)
    return f"{value} = {float(value):.6g}"


# ---------------------------------------------------------------- shorthands of the transcriptions
def sum_over_samples(f):
    """f(0) + ... + f(m - 1): a sum over the batch, in the post's order."""
    return sum(f(k) for k in range(m))


T = TRUE   # the verified values of symbols a post has already derived correctly

# Each `printed` is the post's formula transcribed in the course notation: C, l, I and L are all L;
# a_i^(r) (post 002) is y_i; a symbol the post has already derived correctly takes its verified
# value from T, so that every row is judged on its own.

dxh = T["dxhat"]
inv_std = 1 / std


def three_path_sum(first, through_mu, through_var):
    """dL/dx_i assembled from a post's three terms: first(i) + dL/dmu through_mu(i) + dL/dvar through_var(i)."""
    return [first(i) + T["dmu"] * through_mu(i) + T["dvar"] * through_var(i) for i in range(m)]


MISSING_SUM = ("The parameter is shared by all m samples, so its gradient is the sum of their "
                "contributions (notebook 03); this line has one sample's term only.")
