"""Post 003: its equations and claims, checked (notebook 06).

Back propagation in BatchNorm (A. R. Gosthipaty, 2020).
"""
import sympy as sp

from .engine import (
    Row, T, beta, dxh, dy, eps, gamma, inv_std, m, mu, sum_over_samples, var, x, xhat,
)

ROWS = [
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
        r"\sum_i dy_i \hat x_i", "", "dgamma", lambda: sum_over_samples(lambda k: dy[k] * xhat[k])),
    Row("003", "l.74, backward: quotient rule",
        r"\partial\hat x_i/\partial\sigma_B^2 = (\sqrt{\sigma_B^2+\epsilon} \cdot 0 - "
        r"(x_i-\mu_B)(1/2)(\sigma_B^2+\epsilon)^{-1/2}) / (\sigma_B^2+\epsilon)",
        "correct", r"-(1/2)(x_i-\mu_B)(\sigma_B^2+\epsilon)^{-3/2}", "", "dxhat_dvar",
        lambda: [(sp.sqrt(var + eps) * 0 - (xi - mu) * sp.Rational(1, 2) * (var + eps) ** sp.Rational(-1, 2))
                 / (var + eps) for xi in x]),
    Row("003", "l.76-78, backward: local",
        r"\partial\hat x_i/\partial\sigma_B^2 = -(x_i-\mu_B)(1/2)(\sigma_B^2+\epsilon)^{-3/2}", "correct",
        "as printed", "", "dxhat_dvar",
        lambda: [-(xi - mu) * sp.Rational(1, 2) * (var + eps) ** sp.Rational(-3, 2) for xi in x]),
    Row("003", "l.81-89, backward: dvar",
        r"\partial l/\partial\sigma_B^2 = \sum_i dy_i \, \partial y_i/\partial\hat x_i \, \partial\hat "
        r"x_i/\partial\sigma_B^2 = \sum_i d\hat x_i \, \partial\hat x_i/\partial\sigma_B^2",
        "correct", "as printed",
        "The last form is printed three times and cites an equation (8) that carries no number; "
        "harmless.", "dvar", lambda: sum_over_samples(lambda k: dy[k] * gamma * T["dxhat_dvar"][k])),
    Row("003", "l.94-96, backward: local",
        r"\partial\sigma_B^2/\partial\mu_B = (1/m) \sum_i -2(x_i-\mu_B)", "correct",
        r"-(2/m)\sum_i (x_i-\mu_B), which is 0", "", "dvar_dmu", lambda: sum(-2 * (xi - mu) for xi in x) / m),
    Row("003", "l.101-103, backward: local", r"\partial\hat x_i/\partial\mu_B = "
                                             r"-1/\sqrt{\sigma_B^2+\epsilon}",
        "correct", "as printed", "", "dxhat_dmu", lambda: [-1 / sp.sqrt(var + eps)] * m),
    Row("003", "l.105, backward: dmu",
        r"\partial l/\partial\mu_B = \sum_i \partial l/\partial\hat x_i \, \partial\hat x_i/\partial\mu_B "
        r"+ \partial l/\partial\sigma_B^2 \, \partial\sigma_B^2/\partial\mu_B",
        "correct", "as printed", "", "dmu",
        lambda: sum_over_samples(lambda k: dxh[k] * T["dxhat_dmu"][k]) + T["dvar"] * T["dvar_dmu"]),
    Row("003", "l.107, backward: dmu",
        r"\partial l/\partial\mu_B = \sum_i dx_i \cdot (-1/\sqrt{\sigma_B^2+\epsilon}) + d\sigma_B^2 \, "
        r"(1/m) \sum_i -2(x_i-\mu_B)",
        "wrong", r"\sum_i d\hat x_i \cdot (-1/\sqrt{\sigma_B^2+\epsilon}) + d\sigma_B^2 (1/m)\sum_i "
                 r"-2(x_i-\mu_B)",
        "dx_i where d\\hat x_i belongs: by the post's own shorthand (da = dl/da) dx_i is the input "
        "gradient, the very quantity being derived. Read as printed the formula is circular, and since "
        "the input gradient of BatchNorm always sums to 0 over the batch, its first term is 0. The line "
        "above has dl/d\\hat x_i, the intended term. No code.", "dmu",
        lambda: sum_over_samples(lambda k: T["dx"][k] * (-inv_std)) + T["dvar"] * sum(-2 * (xi - mu) for xi in x) / m),
    Row("003", "eq. (11)", r"\partial\mu_B/\partial x_i = \partial(x_i/m)/\partial x_i = 1/m", "correct", "1/m",
        "Dropping the terms of the sum that do not contain x_i is legitimate.", "dmu_dx",
        lambda: [sp.Rational(1, m)] * m),
    Row("003", "l.116-118, backward: local", r"\partial\sigma_B^2/\partial x_i = (1/m) \, 2(x_i-\mu_B)",
        "correct", r"2(x_i-\mu_B)/m (\mu_B held fixed)", "", "dvar_dx", lambda: [2 * (xi - mu) / m for xi in x]),
    Row("003", "l.123-125, backward: local", r"\partial\hat x_i/\partial x_i = 1/\sqrt{\sigma_B^2+\epsilon}",
        "correct", r"(\mu_B, \sigma_B^2 held fixed)", "", "dxhat_dx", lambda: [inv_std] * m),
    Row("003", "l.127, backward: chain rule for dx",
        r"\partial I/\partial x_i = \partial I/\partial x_i \cdot \partial\hat x_i/\partial x_i + \partial "
        r"I/\partial\sigma_B^2 \cdot \partial\sigma_B^2/\partial x_i + \partial I/\partial\mu_B \cdot "
        r"\partial\mu_B/\partial x_i",
        "wrong", r"\partial L/\partial\hat x_i \cdot \partial\hat x_i/\partial x_i + ...",
        "\\partial I/\\partial x_i on the right where \\partial I/\\partial\\hat x_i belongs: read as "
        "printed, the equation defines dx_i through itself. The next line, (13), has the right symbol. "
        "I for the loss l is notation. No code.", "dx",
        lambda: [T["dx"][i] * inv_std + T["dvar"] * T["dvar_dx"][i] + T["dmu"] / m for i in range(m)]),
    Row("003", "eq. (13)",
        r"\partial I/\partial x_i = \partial I/\partial\hat x_i / \sqrt{\sigma_B^2+\epsilon} + \partial "
        r"I/\partial\sigma_B^2 \, 2(x_i-\mu_B)/m + \partial I/\partial\mu_B / m",
        "notation", "the same, with L for I", "I is the loss l of the rest of the post.", "dx",
        lambda: [dxh[i] * inv_std + T["dvar"] * 2 * (x[i] - mu) / m + T["dmu"] / m for i in range(m)]),
    Row("003", "l.90, l.108, l.129, references", "(From 8), (From 9 & 10), From (11), (12) and (13)",
        "typo", "number the equations that are cited",
        "Equations (8), (9), (10) and (12) are cited but never numbered; (13) is cited in its own "
        "derivation. The reader can still follow.", check=None),
]
