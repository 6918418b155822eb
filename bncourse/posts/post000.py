"""Post 000: its equations and claims, checked (notebook 06).

Understanding the gradients for the backward pass of Batch Normalization (vishalvatsalya7, 2019).
"""
import sympy as sp

from .claims import normalization_makes_gaussian, printed_cs231n_code_matches
from .common import parameter_gradient_rows
from .engine import (
    MISSING_SUM, Row, T, beta, dxh, dy, eps, gamma, inv_std, m, mu, same, sum_over_samples,
    three_paths, var, x, xhat,
)

ROWS = [
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
        "skewness; a Gaussian has skewness 0.", check=normalization_makes_gaussian),
    Row("000", "l.29-40, forward code", "out = gamma*xhat + beta with batch mean, biased variance, "
        "inv_var = 1/sqrt(var+eps)", "correct", r"y_i = \gamma \hat x_i + \beta",
        "The code normalizes correctly (its xmu holds the mean, not x - mu).", "y",
        lambda: [gamma * (xi - mu) * (1 / sp.sqrt(var + eps)) + beta for xi in x]),
    Row("000", "l.75-77, backward: node gamma*xhat",
        r"\partial C/\partial(\gamma \hat x_i) = \partial C/\partial y_i \cdot \partial "
        r"y_i/\partial(\gamma x_i)"
        r" = \partial C/\partial y_i", "typo",
        r"\partial L/\partial(\gamma \hat x_i) = dy_i  (node u_i = \gamma \hat x_i, y_i = u_i + \beta)",
        "Differentiating 'with respect to \\gamma\\hat x_i' names the node u_i = \\gamma\\hat x_i "
        "(notation). The denominator \\gamma x_i, inherited from l.22, names no node of the layer; "
        "the left side shows the only reading. The result is right.", "du", lambda: list(dy)),
    *parameter_gradient_rows("000", (
        "l.84-85, backward: dbeta, first lines", "l.86, backward: dbeta",
        "l.93, backward: dgamma, first line", "l.94, backward: dgamma"), (
        "The sum appears in the next line, and the code sums: the post's dbeta is right.",
        "The next line has the sum, and the code sums: the post's dgamma is right.")),
    Row("000", "l.103-105, backward: dxhat", r"\partial C/\partial\hat x_i = \partial C/\partial y_i \cdot "
                                             r"\gamma",
        "correct", r"\gamma dy_i", "", "dxhat", lambda: [d * gamma for d in dy]),
    Row("000", "l.113, backward: chain rule for dx",
        r"\partial C/\partial x_i = \partial C/\partial\hat x_i \, \partial\hat x_i/\partial x_i + "
        r"\partial C/\partial\mu_B \, \partial\mu_B/\partial x_i + \partial C/\partial\sigma_B^2 \, "
        r"\partial\sigma_B^2/\partial x_i",
        "correct", "the three paths from x_i to L: through \\hat x_i, \\mu_B and \\sigma_B^2",
        "Each partial on the right holds the other nodes fixed (the graph of notebook 02).", "dx",
        lambda: [three_paths(i) for i in range(m)]),
    Row("000", "l.121, backward: local", r"\partial\hat x_i/\partial x_i = 1/\sqrt{\sigma_B^2+\epsilon}",
        "correct", r"1/\sqrt{\sigma_B^2+\epsilon} (\mu_B, \sigma_B^2 held fixed)", "", "dxhat_dx",
        lambda: [1 / sp.sqrt(var + eps)] * m),
    Row("000", "l.122, backward: local", r"\partial\mu_B/\partial x_i = 1/m", "correct", "1/m", "",
        "dmu_dx", lambda: [sp.Rational(1, m)] * m),
    Row("000", "l.123, backward: local", r"\partial\sigma_B^2/\partial x_i = 2(x_i - \mu_B)/m", "correct",
        r"2(x_i-\mu_B)/m (\mu_B held fixed)", "", "dvar_dx", lambda: [2 * (xi - mu) / m for xi in x]),
    Row("000", "l.62-63, backward code", "dbeta = sum(dout, axis=0); dgamma = sum(dout*xhat, axis=0)",
        "correct", r"\sum_i dy_i and \sum_i dy_i \hat x_i, shape (D,)", "Both sum over the batch axis.",
        check=lambda: same(sum(dy), T["dbeta"]) and same(sum_over_samples(lambda k: dy[k] * xhat[k]), T["dgamma"])),
    Row("000", "l.64, backward code: dx",
        r"dx = (1/N) istd (N \cdot dxhat - \sum dxhat - \hat x \sum(dxhat \cdot \hat x))", "correct",
        r"(1/(m\sqrt{\sigma_B^2+\epsilon})) (m\,dxhat_i - \sum_j dxhat_j - \hat x_i \sum_j dxhat_j \hat x_j)",
        "The derivation stops after the local derivatives (dC/d\\mu_B, dC/d\\sigma_B^2 and their "
        "assembly are not shown), but the code's one line is the compact formula of notebook 05.", "dx",
        lambda: [inv_std / m * (m * dxh[i] - sum(dxh) - xhat[i] * sum_over_samples(lambda k: dxh[k] * xhat[k]))
                 for i in range(m)]),
    Row("000", "l.28-67, code run as printed", "batchnorm_forward and batchnorm_backward on a (5, 3) batch",
        "correct", "out of shape (N, D); dx of shape (N, D), dgamma and dbeta of shape (D,)",
        "Run as printed (NumPy as np), with eps = 1e-5: out, dx, dgamma and dbeta have bnlib's shapes "
        "and values (relative 1e-9). Every division has a float on one side (1./N, 1./np.sqrt): the "
        "same numbers in Python 2 and 3.", check=printed_cs231n_code_matches),
]
