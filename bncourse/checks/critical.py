r"""Checkers of notebook 06: judges that tell a right formula from a wrong one.

The learner writes a *judge*, a function that takes a formula and answers ``"correct"`` or
``"wrong"``. A checker runs the judge on formulas whose verdicts it knows: the three printed
formulas of the notebook and hidden ones, each built so that one habit of a careless check lets it
through (a tiny eps, gamma = 1, a single test point, a tolerance that rejects finite differences).
A failure names the habit and the kind of formula that slipped through, never which of the
notebook's formulas it was.
"""
import numpy as np

from bnlib.batchnorm import batchnorm_backward, batchnorm_backward_staged, batchnorm_forward
from .core import CheckFailed, call_learner, passed
from .variants import compact_dx

__all__ = ["DX_FORMULAS", "check_judge_dx", "printed_intermediates", "check_judge_symbolic"]

VERDICTS = ("correct", "wrong")


# ---------------------------------------------------------------- dx formulas, in NumPy
# Each takes (x, gamma, beta, eps, dout) for x of shape (N, D) and returns dx, shape (N, D).
# The correct ones are bnlib's; the forward statistics of every formula are bnlib's too.

def _forward(x, gamma, beta, eps):
    """bnlib's forward cache of the batch: var, istd, xhat, and xmu = x - mu."""
    return batchnorm_forward(x, gamma, beta, eps)[1]


def dx_compact(x, gamma, beta, eps, dout):
    r"""The compact formula (notebook 05), :func:`bnlib.batchnorm_backward`'s:
    :math:`\frac{\gamma}{m\sigma}(m\,dy_i-\sum dy-\hat x_i\sum dy\,\hat x)`."""
    return batchnorm_backward(dout, _forward(x, gamma, beta, eps))[0]


def _assemble(x, gamma, beta, eps, dout, first, mu_factor, dvar_of, dmu_of):
    """dx_i = dxhat_i * first + dmu * mu_factor + dvar * 2 (x_i - mu) / m, from given pieces."""
    N, cache = x.shape[0], _forward(x, gamma, beta, eps)
    xmu, var, std = cache.xmu, cache.var, np.sqrt(cache.var + eps)
    dxhat = gamma * dout
    dvar = dvar_of(dxhat, xmu, var, std)
    dmu = dmu_of(dxhat, xmu, var, std, dvar, N)
    return dxhat * first(var, std, N) + dmu * mu_factor(N) + dvar * 2 * xmu / N


def dx_three_paths_003(x, gamma, beta, eps, dout):
    """Post 003, eq. (13), with its dvar (l.89) and dmu (l.105): three paths, each term as printed."""
    return _assemble(
        x, gamma, beta, eps, dout,
        first=lambda var, std, N: 1 / std,
        mu_factor=lambda N: 1 / N,
        dvar_of=lambda dxhat, xmu, var, std: (dxhat * xmu * -0.5 * (var + eps) ** -1.5).sum(axis=0),
        dmu_of=lambda dxhat, xmu, var, std, dvar, N: ((dxhat * -1 / std).sum(axis=0)
                                                      + dvar * (-2 * xmu).sum(axis=0) / N))


def dx_printed_002(x, gamma, beta, eps, dout):
    """Post 002, l.43-45, with its dvar (l.50) and dmu (l.53), sigma_i = sqrt(var + eps)."""
    return _assemble(
        x, gamma, beta, eps, dout,
        first=lambda var, std, N: 1 / N,
        mu_factor=lambda N: 1 / N,
        dvar_of=lambda dxhat, xmu, var, std: -1 / (2 * std ** 3) * (dxhat * xmu).sum(axis=0),
        dmu_of=lambda dxhat, xmu, var, std, dvar, N: (-1 / std * dxhat.sum(axis=0)
                                                      - 2 * dvar * xmu.sum(axis=0) / N))


def dx_printed_004(x, gamma, beta, eps, dout):
    """Post 004, l.37 (last line), with its dvar (l.33) and dmu (l.35, last line)."""
    return _assemble(
        x, gamma, beta, eps, dout,
        first=lambda var, std, N: 1 / np.sqrt(var + beta),
        mu_factor=lambda N: 1 / N,
        dvar_of=lambda dxhat, xmu, var, std: (dxhat * xmu * -0.5 * (var + eps) ** -1.5).sum(axis=0),
        dmu_of=lambda dxhat, xmu, var, std, dvar, N: ((dxhat * -1 / (np.sqrt(var) + beta)).sum(axis=0)
                                                      + dvar * (2 * xmu).sum(axis=0) / N))


#: The three printed formulas the notebook gives, unmarked.
DX_FORMULAS = {"A": dx_printed_002, "B": dx_three_paths_003, "C": dx_printed_004}


def _dx_staged(x, gamma, beta, eps, dout):
    return batchnorm_backward_staged(dout, _forward(x, gamma, beta, eps))[0]


def _with_istd(x, gamma, beta, eps, dout, istd_of):
    """The compact formula on bnlib's x - mu, with istd = ``istd_of(var, N)`` as a mistake computes it."""
    N, cache = x.shape[0], _forward(x, gamma, beta, eps)
    istd = istd_of(cache.var, N)
    return compact_dx(cache.xmu * istd, istd, gamma, dout, N)


def _dx_eps_outside(x, gamma, beta, eps, dout):
    return _with_istd(x, gamma, beta, eps, dout, lambda var, N: 1 / (np.sqrt(var) + eps))


def _dx_unbiased(x, gamma, beta, eps, dout):
    return _with_istd(x, gamma, beta, eps, dout, lambda var, N: 1 / np.sqrt(var * N / (N - 1) + eps))


def _dx_without_gamma(x, gamma, beta, eps, dout):
    return dx_compact(x, np.ones_like(gamma), beta, eps, dout)


def _dx_direct_path_only(x, gamma, beta, eps, dout):
    return gamma * dout * _forward(x, gamma, beta, eps).istd


# (formula, verdict, what it is, the habit that lets it through)
_DX_CASES = [
    (dx_compact, "correct", "the compact one-line formula", ""),
    (_dx_staged, "correct", "the node-by-node (staged) backward pass", ""),
    (dx_three_paths_003, "correct", "a correct three-path formula", ""),
    (dx_printed_002, "wrong", "a formula with 1/m where 1/sqrt(var + eps) belongs",
     "it differs from the truth unless sqrt(var + eps) equals m: use a batch whose features have "
     "spreads unlike N"),
    (dx_printed_004, "wrong", "a formula with the shift beta where eps belongs",
     "it is exposed by beta != eps and eps not tiny"),
    (_dx_eps_outside, "wrong", "a formula with eps outside the square root",
     "an error in eps only shows when eps is not tiny: test with eps around 0.1, and a tolerance "
     "of about 1e-6"),
    (_dx_unbiased, "wrong", "a formula with the unbiased variance (divide by N - 1)",
     "use N >= 3 and compare with finite differences of batchnorm_forward"),
    (_dx_without_gamma, "wrong", "a formula that forgets the factor gamma",
     "it is exact when gamma = 1: test with gamma != 1"),
    (_dx_direct_path_only, "wrong", "a formula with only the direct path (no terms through mu and var)",
     "compare all of dx with finite differences, for a random dout"),
]

_NOTEBOOK_FORMULAS = set(DX_FORMULAS.values())


def _verdict(exercise, judge, formula, what):
    with np.errstate(all="ignore"):   # a wrong formula may take the root of a negative number
        answer = call_learner(exercise, judge, formula)
    if answer not in VERDICTS:
        raise CheckFailed(exercise, f"your judge returned {answer!r} for {what}",
                          "return the string 'correct' or the string 'wrong'")
    return answer


def _judge_all(exercise, judge, cases, method_hint):
    for formula, truth, what, habit in cases:
        answer = _verdict(exercise, judge, formula, what)
        if answer == truth:
            continue
        source = " (one of the notebook's three)" if formula in _NOTEBOOK_FORMULAS else ""
        if truth == "correct":
            raise CheckFailed(exercise, f"your judge calls {what} wrong, but it is correct{source}",
                              method_hint)
        raise CheckFailed(exercise, f"your judge accepts {what}{source}, which is wrong", habit)


def check_judge_dx(judge_dx):
    """``judge_dx(formula)`` answers whether ``formula(x, gamma, beta, eps, dout)`` gives the true dx."""
    exercise = "check_judge_dx"
    _judge_all(exercise, judge_dx, _DX_CASES,
               "finite differences agree with a correct dx to about 1e-8 (relative): compare "
               "bnlib.rel_error(formula(...), numerical_gradient(...)) with a tolerance like 1e-6, "
               "for arrays of the same shape (N, D)")
    n_right = sum(1 for case in _DX_CASES if case[1] == "correct")
    return passed(exercise, f"your judge accepts the {n_right} correct dx formulas and rejects the "
                            f"{len(_DX_CASES) - n_right} wrong ones, the notebook's three included")


# ---------------------------------------------------------------- intermediate gradients, in SymPy

def printed_intermediates():
    """Three printed forms of dL/dmu_B, transcribed: {label: (quantity, SymPy expression)}."""
    import sympy as sp   # SymPy only when a symbolic exercise is run

    from .. import posts as S
    T, m, x, mu, var, std = S.TRUE, S.BATCH_SIZE, S.x, S.mu, S.var, S.std
    dxhat = T["dxhat"]
    return {
        # post 002, l.53: the direct path and the path through sigma^2 (whose sum is 0)
        "A": ("dmu", -1 / std * sum(dxhat) - 2 * T["dvar"] * sum(xi - mu for xi in x) / m),
        # post 004, l.35, last line
        "B": ("dmu", sum(d * (-1 / (sp.sqrt(var) + S.beta)) for d in dxhat)
              + T["dvar"] * sum(2 * (xi - mu) for xi in x) / m),
        # post 002, l.55-56: the same quantity, with the batch statistics written out
        "C": ("dmu", -S.gamma / mu * sum(S.dy) + 1 / std ** 3
              * sum(d * S.gamma * (xi - mu) for d, xi in zip(S.dy, x)) * sum(xi - mu for xi in x) / m),
    }



def _symbolic_cases():
    from .. import posts as S
    T, m, x, mu, var, eps, gamma, dy = S.TRUE, S.BATCH_SIZE, S.x, S.mu, S.var, S.eps, S.gamma, S.dy
    printed = printed_intermediates()
    # agrees with the truth at the notebook's test point only: var + eps = 4 there
    coincidence = T["dvar"] * (var + eps) / 4
    return [
        (printed["A"], "correct", "a correct dL/dmu_B (one of the notebook's three)", ""),
        (printed["B"], "wrong", "a dL/dmu_B with beta where eps belongs (one of the notebook's three)",
         "evaluate with beta != eps"),
        (printed["C"], "wrong", "a dL/dmu_B with mu_B where sqrt(var + eps) belongs (one of the "
         "notebook's three)",
         "evaluate at a point where mu_B and sqrt(var + eps) differ, or compare symbolically"),
        (("dvar", -gamma / 2 * sum(d * (xi - mu) for d, xi in zip(dy, x)) / ((var + eps) * S.std)),
         "correct", "a correct dL/dvar written with (var + eps) * sqrt(var + eps)", ""),
        (("dvar", coincidence), "wrong",
         "a dL/dvar that is right at the notebook's test point only (var + eps = 4 there)",
         "one test point can hide an error: compare symbolically (posts.same does it), or at "
         "a second point"),
        (("dx", [gamma * d / S.std for d in dy]), "wrong", "a dx with only the direct path",
         "compare every sample's entry: per-sample quantities are lists of m expressions"),
        (("dgamma", sum(d * (xi - mu) / S.std for d, xi in zip(dy, x))), "correct",
         "a correct dL/dgamma written without xhat", ""),
    ]


def check_judge_symbolic(judge_symbolic):
    """``judge_symbolic(quantity, printed)`` compares a SymPy form with ``bncourse.posts.TRUE[quantity]``."""
    exercise = "check_judge_symbolic"
    for (quantity, expr), truth, what, habit in _symbolic_cases():
        answer = call_learner(exercise, judge_symbolic, quantity, expr)
        if answer not in VERDICTS:
            raise CheckFailed(exercise, f"your judge returned {answer!r} for {what}",
                              "return the string 'correct' or the string 'wrong'")
        if answer != truth:
            if truth == "correct":
                raise CheckFailed(exercise, f"your judge calls {what} wrong, but it is correct",
                                  "two forms can look different and be equal: compare the difference "
                                  "with 0 after simplifying, e.g. with bncourse.posts.same")
            raise CheckFailed(exercise, f"your judge accepts {what}, which is wrong", habit)
    return passed(exercise, "your judge separates correct from wrong symbolic forms, "
                            "including one that agrees at a single test point only")
