"""Post 001: its equations and claims, checked (notebook 06).

The batchnorm_backward_alt post (edited 17/12/2016).
"""

from .engine import (
    Row, T, beta, dxh, dy, eps, gamma, inv_std, m, mu, same, std, sum_over_samples, three_paths,
    var, x, xhat, y,
)

ROWS = [
    # Our copy of this post lost its formulas; its prose says what they state.
    Row("001", "l.7, prose", "the layer normalizes its input to zero mean and unit variance", "correct",
        "mean exactly 0; variance \\sigma_B^2/(\\sigma_B^2+\\epsilon), 1 up to "
        "\\epsilon/(\\sigma_B^2+\\epsilon)",
        "True up to the \\epsilon inside the square root: at the test point the variance of \\hat x is 7/8.",
        check=lambda: same(sum(xhat), 0) and same(sum(xh ** 2 for xh in xhat) / m, var / (var + eps))),
    Row("001", "l.11, prose", "with gamma = sqrt(var + eps) and beta = mu the output equals the input",
        "correct", r"\gamma = \sqrt{\sigma_B^2+\epsilon}, \beta = \mu_B gives y_i = x_i",
        "The identity is exact only with \\epsilon inside \\gamma, as written here.",
        check=lambda: same([yi.subs({gamma: std, beta: mu}) for yi in y], list(x))),
    Row("001", "l.24, prose", "for dgamma and dbeta the computational graph already gives the best "
                              "expression",
        "correct", r"\partial L/\partial\beta = \sum_i dy_i, \partial L/\partial\gamma = \sum_i dy_i \hat "
                   r"x_i",
        "The graph's last node gives both directly: one product and one sum over the batch each, which no "
        "rewriting can shorten (every dy_i enters).",
        check=lambda: same(sum(dy), T["dbeta"]) and same(sum_over_samples(lambda k: dy[k] * xhat[k]), T["dgamma"])),
    Row("001", "l.28, prose", "the summation appears because gamma is shared by all N rows", "correct",
        r"\partial L/\partial\gamma = \sum_i (\partial L/\partial y_i)(\partial y_i/\partial\gamma)",
        "Finite differences on gamma agree with the sum, not with any single term.",
        check=lambda: same(sum_over_samples(lambda k: T["dy_dgamma"][k] * dy[k]), T["dgamma"])),
    Row("001", "l.36, prose", "x_i reaches L through xhat_i, mu and var, so dL/dx_i has three terms",
        "correct", "direct path + path through \\mu_B + path through \\sigma_B^2",
        "The three-term sum equals the derivative of L taken directly.",
        check=lambda: same([three_paths(i) for i in range(m)], T["dx"])),
    Row("001", "l.44, prose", "the gradients of mu and var sum over all elements of the batch", "correct",
        r"\partial L/\partial\sigma_B^2 = \sum_i \partial L/\partial\hat x_i \cdot \partial\hat "
        r"x_i/\partial\sigma_B^2",
        "\\mu_B and \\sigma_B^2 are shared by the batch like \\gamma.",
        check=lambda: same(sum_over_samples(lambda k: dxh[k] * T["dxhat_dvar"][k]), T["dvar"])),
    Row("001", "l.46, prose", "the term through var in dL/dmu vanishes because sum_i (x_i - mu) = 0",
        "correct", r"\partial\sigma_B^2/\partial\mu_B = -(2/m) \sum_i (x_i-\mu_B) = 0",
        "Holds for every batch, because \\mu_B is the batch mean.",
        check=lambda: same(sum(xi - mu for xi in x), 0) and same(T["dvar_dmu"], 0)),
    Row("001", "l.50-55, prose (edit)", "(x_i - mu)/sqrt(var+eps) = xhat_i simplifies the var term",
        "correct", r"\partial L/\partial\sigma_B^2 \cdot 2(x_i-\mu_B)/m = -\gamma \hat x_i \sum_j dy_j\hat "
                   r"x_j / (m\sqrt{\sigma_B^2+\epsilon})",
        "The substitution turns the term through \\sigma_B^2 into the \\hat x_i-term of the compact formula.",
        check=lambda: same([T["dvar"] * T["dvar_dx"][i] for i in range(m)],
                           [-gamma * xhat[i] * sum_over_samples(lambda k: dy[k] * xhat[k]) / (m * std) for i in range(m)])),
    Row("001", "l.64-70, code", "dbeta = sum(dout); dgamma = sum(xhat*dout); "
        "dx = (gamma*istd/N) * (N*dout - xhat*dgamma - dbeta)", "correct",
        r"dx_i = (\gamma/(m\sqrt{\sigma_B^2+\epsilon})) (m\,dy_i - \hat x_i \sum_j dy_j\hat x_j - \sum_j "
        r"dy_j)",
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
]
