"""bncourse.symbolic: the three summation rules, and the proof of the compact dx for every batch size m."""
import pytest
import sympy as sp

from bncourse.symbolic import (
    batch_mean, batch_sum, batch_variance, beta, dy, eps, equal_for_any_m, gamma, i, in_statistics,
    j, k, m, mu, n, normalized, reduce_sums, var, x,
)


def loss():
    """L = sum_i dy_i y_i: its gradient with respect to y_i is dy_i."""
    return batch_sum(dy[i] * (gamma * normalized(i) + beta), i)


def compact_dx(scale=1, size=m, var_sign=1):
    istd = 1 / sp.sqrt(batch_variance() + eps)
    return scale * gamma * istd / m * (size * dy[k] - batch_sum(dy[j], j)
                                        - var_sign * normalized(k) * batch_sum(dy[j] * normalized(j), j))


# ---------------------------------------------------------------- the rules, one at a time

def test_linearity_pulls_out_what_does_not_depend_on_the_index():
    a = sp.Symbol("a")
    assert reduce_sums(batch_sum(a * x[j] + 3 * dy[j], j)) == (
        a * batch_sum(x[n], n) + 3 * batch_sum(dy[n], n))


def test_a_constant_sums_to_m_times_itself():
    assert reduce_sums(batch_sum(7, j)) == 7 * m
    assert reduce_sums(batch_sum(x[k], j)) == m * x[k]


def test_the_kronecker_delta_picks_one_sample():
    assert reduce_sums(batch_sum(sp.KroneckerDelta(j, k) * x[j] ** 2, j)) == x[k] ** 2
    assert reduce_sums(batch_sum(sp.KroneckerDelta(k, j), j)) == 1


def test_the_delta_rule_applies_only_where_the_delta_is_a_factor():
    delta = sp.KroneckerDelta(j, k)
    assert reduce_sums(batch_sum(3 * delta * x[j] * sp.exp(delta), j)) == 3 * x[k] * sp.E
    # inside a function, a power or a denominator the delta is no factor: the sum stays opaque
    for summand in (sp.exp(delta), x[j] / (1 + delta), sp.sqrt(delta + x[j] ** 2)):
        reduced = reduce_sums(batch_sum(summand, j))
        assert reduced.has(sp.Sum) and reduced.has(sp.KroneckerDelta), summand


@pytest.mark.parametrize("false, claimed", [
    (batch_sum(sp.exp(sp.KroneckerDelta(j, k)), j), sp.E),          # the truth is m - 1 + e
    (batch_sum(sp.cos(sp.KroneckerDelta(j, k) * sp.pi), j), -1),    # the truth is m - 2
    (batch_sum(x[j] * sp.exp(sp.KroneckerDelta(j, k)), j), sp.E * x[k]),
    (batch_sum(1 / (1 + sp.KroneckerDelta(j, k)), j), sp.Rational(1, 2)),   # the truth is m - 1/2
])
def test_false_identities_with_a_delta_that_is_no_factor_are_refused(false, claimed):
    assert not equal_for_any_m(false, claimed)


def test_true_identities_with_the_delta_as_a_factor_are_still_proved():
    delta = sp.KroneckerDelta(j, k)
    assert equal_for_any_m(batch_sum(delta * sp.exp(x[j]), j), sp.exp(x[k]))
    assert equal_for_any_m(batch_sum((delta - 1 / m) * x[j], j), x[k] - batch_mean())
    assert equal_for_any_m(sp.diff(batch_variance(), x[k]), 2 * (x[k] - batch_mean()) / m)


def test_irreducible_sums_share_one_index_so_they_cancel():
    assert reduce_sums(batch_sum(x[i] * dy[i], i) - batch_sum(dy[j] * x[j], j)) == 0


def test_nested_sums_are_reduced_innermost_first():
    # sum_i (x_i - mu) with mu = sum_j x_j / m: the deviations from the mean sum to zero
    assert reduce_sums(batch_sum(x[i] - batch_mean(), i)) == 0


def test_the_deviations_sum_to_zero_only_around_the_batch_mean():
    assert reduce_sums(batch_sum(x[j] - mu, j)) == batch_sum(x[n], n) - m * mu


def test_sums_over_other_ranges_are_refused():
    with pytest.raises(ValueError, match="from 1 to m"):
        reduce_sums(sp.Sum(x[j], (j, 1, m - 1)))


def test_in_statistics_writes_the_variance_as_var():
    assert in_statistics(batch_variance()) == var
    assert in_statistics(batch_mean()) == mu


# ---------------------------------------------------------------- the proof for every m

def test_the_compact_formula_is_the_derivative_for_every_m():
    assert equal_for_any_m(loss().diff(x[k]), compact_dx())


def test_the_compact_formula_written_with_dbeta_and_dgamma():
    dbeta = batch_sum(dy[j], j)
    dgamma = batch_sum(dy[j] * normalized(j), j)
    istd = 1 / sp.sqrt(batch_variance() + eps)
    assert equal_for_any_m(loss().diff(x[k]),
                           gamma * istd * (dy[k] - dbeta / m - normalized(k) * dgamma / m))


@pytest.mark.parametrize("wrong", [
    compact_dx(var_sign=-1),                     # a sign
    compact_dx(var_sign=0),                      # the variance term dropped
    compact_dx(size=m - 1),                      # m - 1 for m in one place
    compact_dx(scale=2),                         # a factor
    compact_dx() + 1 / m ** 2,                   # a term that vanishes only for large m
], ids=["sign", "missing-term", "m-1", "factor-2", "extra-1/m^2"])
def test_a_wrong_formula_is_rejected(wrong):
    assert not equal_for_any_m(loss().diff(x[k]), wrong)


def test_the_display_symbols_are_refused_in_a_proof():
    with pytest.raises(ValueError, match="batch_mean"):
        equal_for_any_m(mu, batch_mean())


@pytest.mark.parametrize("size", [2, 3, 5])
def test_the_proof_agrees_with_explicit_batches(size):
    """For a concrete m, replace the sums by explicit ones and let sympy expand them."""
    xs = sp.symbols(f"x1:{size + 1}", real=True)
    dys = sp.symbols(f"dy1:{size + 1}", real=True)
    mean = sum(xs) / size
    variance = sum((xv - mean) ** 2 for xv in xs) / size
    xhat = [(xv - mean) / sp.sqrt(variance + eps) for xv in xs]
    L = sum(d * (gamma * h + beta) for d, h in zip(dys, xhat))
    compact = gamma / (size * sp.sqrt(variance + eps)) * (
        size * dys[0] - sum(dys) - xhat[0] * sum(d * h for d, h in zip(dys, xhat)))
    assert sp.simplify(L.diff(xs[0]) - compact) == 0


def test_equal_as_sums_keeps_mu_free():
    from bncourse.symbolic import equal_as_sums
    dvar_dmu = (batch_sum((x[j] - mu) ** 2, j) / m).diff(mu)
    assert equal_as_sums(dvar_dmu, -2 * batch_sum(x[j] - mu, j) / m)
    assert equal_as_sums(dvar_dmu, -2 * batch_sum(x[i], i) / m + 2 * mu)
    assert not equal_as_sums(dvar_dmu, 0)                       # mu is free: the term is not 0
    assert equal_as_sums(dvar_dmu.subs(mu, batch_mean()), 0)    # ... until mu is the batch mean
