"""The checkers of notebook 06: judges of formulas, by finite differences and by SymPy."""
import numpy as np
import pytest
import sympy as sp

import bnlib
from bncourse import posts
from bncourse.checks import check_judge_dx, check_judge_symbolic
from bncourse.checks.critical import _DX_CASES, DX_FORMULAS, printed_intermediates
from checker_testing import fails_with


def judge_dx_with(eps=0.1, gamma=(1.5, -0.7, 2.0), beta=(0.3, -0.5, 1.0), N=5, tol=1e-6, seed=0):
    def judge(formula):
        rng = np.random.default_rng(seed)
        x = rng.standard_normal((N, 3)) * [1.0, 2.0, 3.0] + [0.0, 1.0, -2.0]
        g, b, dout = np.array(gamma, float), np.array(beta, float), rng.standard_normal((N, 3))
        numeric = bnlib.numerical_gradient(lambda z: bnlib.batchnorm_forward(z, g, b, eps), x, dout)
        return "correct" if bnlib.rel_error(formula(x, g, b, eps, dout), numeric) < tol else "wrong"
    return judge


# ---------------------------------------------------------------- check_judge_dx

@pytest.mark.parametrize("judge", [
    judge_dx_with(),
    judge_dx_with(eps=0.5, N=7, seed=3),
    judge_dx_with(gamma=(2.0, 0.5, -1.0), beta=(1.0, 2.0, 0.7), tol=1e-5),
], ids=["default", "other batch", "other parameters"])
def test_judges_by_finite_differences_pass(judge):
    assert check_judge_dx(judge) is True


def judge_against_bnlib(formula):
    """Another correct method: against bnlib's staged backward, not finite differences."""
    rng = np.random.default_rng(1)
    x, g, b, dout = rng.standard_normal((6, 2)), np.array([1.3, -2.0]), np.array([0.4, 0.9]), rng.standard_normal((6, 2))
    _, cache = bnlib.batchnorm_forward(x, g, b, 0.2)
    ok = np.allclose(formula(x, g, b, 0.2, dout), bnlib.batchnorm_backward_staged(dout, cache)[0], rtol=1e-9, atol=1e-12)
    return "correct" if ok else "wrong"


def test_a_judge_against_the_reference_passes():
    assert check_judge_dx(judge_against_bnlib) is True


def test_a_stub_is_not_done_yet():
    def stub(formula):
        raise NotImplementedError
    fails_with(check_judge_dx, stub, "not done yet")
    fails_with(check_judge_dx, lambda f: None, "not done yet")


def test_a_judge_must_answer_with_a_verdict():
    fails_with(check_judge_dx, lambda f: True, "'correct' or", "True")


def test_a_tiny_eps_lets_eps_errors_through():
    fails_with(check_judge_dx, judge_dx_with(eps=1e-5, tol=1e-4), "eps outside the square root", "eps around 0.1")


def test_gamma_one_hides_a_missing_gamma():
    fails_with(check_judge_dx, judge_dx_with(gamma=(1.0, 1.0, 1.0)), "forgets the factor gamma", "gamma != 1")


def test_a_tolerance_too_tight_rejects_correct_formulas():
    fails_with(check_judge_dx, judge_dx_with(tol=1e-13), "is correct", "tolerance")


def test_a_judge_that_rejects_everything_is_told_a_correct_one_was_rejected():
    message = fails_with(check_judge_dx, lambda f: "wrong", "is correct")
    assert "formula A" not in message and "formula B" not in message


def test_a_judge_that_accepts_everything_is_told_without_naming_the_label():
    message = fails_with(check_judge_dx, lambda f: "correct", "which is wrong", "one of the notebook's three")
    for label in DX_FORMULAS:
        assert f" {label} " not in message and f"'{label}'" not in message


@pytest.mark.parametrize("case", _DX_CASES, ids=lambda c: c[2])
def test_each_misjudged_formula_is_named_by_its_mistake(case):
    """A judge right on every formula but one: the message describes that one and gives its hint."""
    formula, truth, what, habit = case
    honest = judge_dx_with()

    def judge(f):
        verdict = honest(f)
        return ({"correct": "wrong", "wrong": "correct"}[verdict]) if f is formula else verdict
    message = fails_with(check_judge_dx, judge, what)
    assert (habit in message) if truth == "wrong" else ("tolerance" in message)


def test_the_correct_formulas_are_bnlibs_and_the_wrong_ones_change_one_piece():
    from bncourse.checks import critical
    rng = np.random.default_rng(2)
    x, dout = rng.standard_normal((5, 3)) * 2 + 1, rng.standard_normal((5, 3))
    g, b, eps = np.array([1.5, -0.7, 2.0]), np.array([0.3, -0.5, 1.0]), 0.1
    _, cache = bnlib.batchnorm_forward(x, g, b, eps)
    dx = bnlib.batchnorm_backward(dout, cache)[0]
    for formula in (critical.dx_compact, critical._dx_staged, critical.dx_three_paths_003):
        np.testing.assert_allclose(formula(x, g, b, eps, dout), dx, rtol=1e-10, atol=1e-12)
    # the helper of the wrong istd, given the right one, is bnlib's dx
    right = critical._with_istd(x, g, b, eps, dout, lambda var, N: 1 / np.sqrt(var + eps))
    np.testing.assert_allclose(right, dx, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(critical._dx_without_gamma(x, g, b, eps, dout),
                               bnlib.batchnorm_backward(dout, bnlib.batchnorm_forward(x, np.ones(3), b, eps)[1])[0])


def test_the_notebook_formulas_have_the_verdicts_the_table_gives():
    judge = judge_dx_with()
    assert {k: judge(f) for k, f in DX_FORMULAS.items()} == {"A": "wrong", "B": "correct", "C": "wrong"}


# ---------------------------------------------------------------- check_judge_symbolic

def judge_same(quantity, printed):
    return "correct" if posts.same(printed, posts.TRUE[quantity]) else "wrong"


def judge_cancel(quantity, printed):
    """The difference as one fraction, after naming sqrt(var + eps) s: its numerator must vanish."""
    s = sp.Symbol("s", positive=True)
    true = posts.TRUE[quantity]
    pairs = zip(printed, true) if isinstance(true, list) else [(printed, true)]
    for p, t in pairs:
        difference = sp.sympify(p - t).subs(posts.eps, s ** 2 - posts.var)
        if sp.cancel(sp.together(difference)) != 0:
            return "wrong"
    return "correct"


def judge_two_points(quantity, printed):
    """Exact values at two different points: not a proof, but no single point to fool it."""
    true = posts.TRUE[quantity]
    pairs = list(zip(printed, true)) if isinstance(true, list) else [(printed, true)]
    second = {**posts.POINT, posts.x[3]: 7, posts.eps: sp.Rational(1, 3), posts.gamma: sp.Rational(-2, 5)}
    for point in (posts.POINT, second):
        if any(sp.simplify((p - t).xreplace(point)) != 0 for p, t in pairs):
            return "wrong"
    return "correct"


@pytest.mark.parametrize("judge", [judge_same, judge_cancel, judge_two_points])
def test_correct_symbolic_judges_pass(judge):
    assert check_judge_symbolic(judge) is True


def test_one_test_point_is_not_enough():
    def judge_one_point(quantity, printed):
        true = posts.TRUE[quantity]
        pairs = zip(printed, true) if isinstance(true, list) else [(printed, true)]
        ok = all(sp.simplify((p - t).xreplace(posts.POINT)) == 0 for p, t in pairs)
        return "correct" if ok else "wrong"
    fails_with(check_judge_symbolic, judge_one_point, "test point only", "compare symbolically")


def test_comparing_only_the_first_sample_misses_a_per_sample_error():
    def judge_first(quantity, printed):
        true = posts.TRUE[quantity]
        if isinstance(true, list):
            printed, true = printed[0], true[0]
        return "correct" if posts.same(printed, true) else "wrong"
    # the direct-path-only dx differs in every entry, so comparing one entry still catches it: passes
    assert check_judge_symbolic(judge_first) is True


def test_structural_equality_rejects_a_correct_form():
    def judge_structural(quantity, printed):
        return "correct" if printed == posts.TRUE[quantity] else "wrong"
    fails_with(check_judge_symbolic, judge_structural, "is correct", "simplifying")


def test_symbolic_stub_and_bad_answers():
    def stub(quantity, printed):
        raise NotImplementedError
    fails_with(check_judge_symbolic, stub, "not done yet")
    fails_with(check_judge_symbolic, lambda q, p: "yes", "'correct' or")


def test_the_printed_intermediates_have_the_verdicts_of_the_table():
    verdicts = {k: judge_same(q, e) for k, (q, e) in printed_intermediates().items()}
    assert verdicts == {"A": "correct", "B": "wrong", "C": "wrong"}


@pytest.mark.parametrize("index", range(7))
def test_each_misjudged_symbolic_form_is_named_by_its_mistake(index):
    from bncourse.checks.critical import _symbolic_cases
    cases = _symbolic_cases()
    (quantity, expr), truth, what, habit = cases[index]

    def judge(q, p):
        verdict = judge_same(q, p)
        if q == quantity and p == expr:
            return {"correct": "wrong", "wrong": "correct"}[verdict]
        return verdict
    message = fails_with(check_judge_symbolic, judge, what)
    assert (habit in message) if truth == "wrong" else ("simplifying" in message)
