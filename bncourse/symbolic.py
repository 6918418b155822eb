r"""BatchNorm for a batch of *symbolic* size m: the sums, and a proof that two gradients agree for every m.

SymPy differentiates a sum over the batch, ``Sum(f(x_j), (j, 1, m))``, with respect to one sample
``x[k]`` and answers with Kronecker deltas, but ``simplify`` cannot finish the job: it does not know
that the free index k is a sample of the batch (1 <= k <= m), nor that a sum of a sum of terms is the
sum of the sums. :func:`reduce_sums` teaches it exactly three rules of summation, valid for any m,

.. math::

    \textstyle\sum_j \big(a\,f_j + b\,g_j\big) = a\sum_j f_j + b\sum_j g_j \quad (a, b \text{ free of } j),
    \qquad \sum_j c = m\,c, \qquad
    \sum_j \delta_{jk}\,f_j = f_k \quad (1 \le k \le m),

and keeps every sum it cannot reduce further, such as :math:`\sum_n x_n` or
:math:`\sum_n dy_n\,x_n`, as an opaque symbol with one shared summation index ``n``.
Two expressions are then equal for every batch size when their difference, written in those
opaque sums, is zero (:func:`equal_for_any_m`). Nothing else is assumed: in particular
:math:`\sum_j (x_j-\mu_B)=0` is not a rule but follows, because :math:`\mu_B` is the batch mean.

The notation is the course's: ``m`` samples ``x[j]`` of one feature, upstream gradients ``dy[j]``.
"""
import sympy as sp

__all__ = [
    "m", "x", "dy", "i", "j", "k", "n", "gamma", "beta", "eps", "mu", "var",
    "batch_sum", "batch_mean", "batch_variance", "normalized", "reduce_sums",
    "equal_as_sums", "in_statistics", "equal_for_any_m",
]

m = sp.Symbol("m", integer=True, positive=True)           # batch size
x = sp.IndexedBase("x")                                    # the samples x_1, ..., x_m of one feature
dy = sp.IndexedBase("dy")                                  # upstream gradients dL/dy_j
i, j, k = sp.symbols("i j k", integer=True, positive=True)  # sample indices
n = sp.Symbol("n", integer=True, positive=True)            # the index of every opaque sum
gamma, beta = sp.symbols("gamma beta", real=True)
eps = sp.Symbol("epsilon", positive=True)
mu = sp.Symbol("mu_B", real=True)                          # names for the statistics, used by
var = sp.Symbol("sigma_B^2", nonnegative=True)             # in_statistics() to display results


def batch_sum(f, index):
    r""":math:`\sum_{index=1}^{m} f`, a sum over the whole batch."""
    return sp.Sum(f, (index, 1, m))


def batch_mean():
    r""":math:`\mu_B = \frac1m\sum_j x_j`."""
    return batch_sum(x[j], j) / m


def batch_variance():
    r""":math:`\sigma_B^2 = \frac1m\sum_j (x_j-\mu_B)^2` (biased: divide by m)."""
    return batch_sum((x[j] - batch_mean()) ** 2, j) / m


def normalized(index):
    r""":math:`\hat x_{index} = (x_{index}-\mu_B)/\sqrt{\sigma_B^2+\epsilon}`."""
    return (x[index] - batch_mean()) / sp.sqrt(batch_variance() + eps)


def _reduce_one(total):
    """One sum whose summand holds no unreduced sum: apply linearity, sum_j c = m c, the delta rule."""
    if len(total.limits) != 1 or tuple(total.limits[0][1:]) != (1, m):
        raise ValueError(f"reduce_sums handles sums over one index from 1 to m; got {total}")
    f, index = total.function, total.limits[0][0]
    result = sp.S.Zero
    for term in sp.Add.make_args(sp.expand(f)):
        factor, rest = term.as_independent(index, as_Add=False)   # rule 1: pull out what is free of j
        delta = delta_factor(rest, index)
        if delta is not None:                                      # rule 3: sum_j delta_jk f_j = f_k
            other = (set(delta.args) - {index}).pop()
            result += factor * (rest / delta).subs(index, other)
        elif rest == 1:                                            # rule 2: sum_j c = m c
            result += factor * m
        else:                                                      # opaque: sum_n f_n
            result += factor * batch_sum(rest.subs(index, n), n)
    return result


def delta_factor(term, index):
    r"""The Kronecker delta :math:`\delta_{jk}` (j = ``index``) that is a *factor* of ``term``, or None.

    Rule 3 holds for :math:`\sum_j \delta_{jk} f_j` only: a delta elsewhere in the term (inside
    :math:`\exp(\delta_{jk})`, a denominator, a power) is no factor, and such a sum stays opaque,
    unevaluated, so that nothing false can be proved from it.
    """
    for part in sp.Mul.make_args(term):
        if isinstance(part, sp.KroneckerDelta) and index in part.free_symbols:
            return part
    return None


def reduce_sums(expr):
    r"""Rewrite every batch sum in ``expr`` with the three rules above, innermost sums first.

    What remains is a polynomial in opaque sums over ``n`` of products of samples, e.g.
    ``reduce_sums(batch_sum(x[j] - batch_mean(), j))`` is exactly 0, while with a free symbol
    ``mu`` in place of the mean, ``reduce_sums(batch_sum(x[j] - mu, j))`` is
    :math:`\sum_n x_n - m\mu`.
    """
    return sp.sympify(expr).replace(lambda e: isinstance(e, sp.Sum), _reduce_one)


def equal_as_sums(a, b):
    r"""True when ``a - b`` is 0 by the three summation rules alone, for every batch size m.

    Here mu and var may be free symbols, not tied to x: this is how a partial derivative
    (the other arguments held fixed) is compared with its stated form.
    """
    return sp.simplify(reduce_sums(sp.sympify(a) - sp.sympify(b))) == 0


def in_statistics(expr):
    r"""Reduce the sums of ``expr`` and write the ones over x alone with ``mu`` and ``var``.

    :math:`\sum_n x_n = m\mu_B` and :math:`\sum_n x_n^2 = m(\sigma_B^2+\mu_B^2)`, the definitions
    of the batch mean and the (biased) batch variance. The sums that involve ``dy`` stay.
    """
    reduced = reduce_sums(expr).subs({batch_sum(x[n] ** 2, n): m * (var + mu ** 2),
                                      batch_sum(x[n], n): m * mu})
    return sp.expand(reduced)   # expands inside square roots too: their base becomes var + eps


def equal_for_any_m(a, b):
    r"""True when ``a`` and ``b`` are equal for every batch size m.

    The difference of the two is written by :func:`in_statistics` with the opaque sums, mu and
    var; then :math:`\sigma_B^2 = t^2-\epsilon` (t > 0 stands for the square root) turns it into a
    rational function of independent symbols, which is zero exactly when its numerator expands to
    zero. Floats such as ``-1.5`` are read as the fractions they denote.
    """
    difference = sp.nsimplify(sp.sympify(a) - sp.sympify(b), rational=True)
    if difference.has(mu) or difference.has(var):
        raise ValueError("equal_for_any_m needs the statistics as batch_mean() and batch_variance(), "
                         "functions of x; the symbols mu_B and sigma_B^2 are only for display")
    difference = in_statistics(difference)
    sums = {s: sp.Dummy("sum") for s in difference.atoms(sp.Sum)}
    t = sp.Dummy("t", positive=True)
    difference = difference.xreplace(sums).subs(var, t ** 2 - eps)
    numerator, _ = sp.fraction(sp.together(difference))
    return sp.expand(numerator) == 0
