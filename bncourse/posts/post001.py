"""Post 001: its equations and claims, checked (notebook 06).

The batchnorm_backward_alt post (edited 17/12/2016).
"""

from ..bench_stored import post001_speedup_range
from .claims import normalized_has_zero_mean_and_unit_variance, printed_backward_alt_matches
from .engine import (
    Row, T, beta, dxh, dy, eps, gamma, inv_std, m, mu, same, std, sum_over_samples, three_paths,
    var, x, xhat, y,
)

ROWS = [
    # Our copy of this post lost its formulas and most inline symbols ([...] below marks a gap). A claim
    # the surviving words carry is rated, the symbols it needs restored from the words around them and
    # from the code (the evidence says which); a claim that sits in the lost symbols is "lost".
    Row("001", "l.7, prose", "normalizes its input to have zero mean and unit variance", "correct",
        "mean exactly 0; variance 1 at \\epsilon = 0, \\sigma_B^2/(\\sigma_B^2+\\epsilon) with \\epsilon > 0",
        "The words carry the claim (the formula after it is lost in our copy). Judged at \\epsilon = 0, as "
        "every claim about the normalized output is: mean 0 and variance 1 exactly. With \\epsilon > 0 the "
        "variance is \\sigma_B^2/(\\sigma_B^2+\\epsilon): 7/8 at the test point, where \\epsilon = 1/2 is "
        "large on purpose.",
        check=normalized_has_zero_mean_and_unit_variance),
    Row("001", "l.7-9, formulas", "[...] Where [...] is the per-feature mean of the input batch and [...] "
                                  "is the variance", "lost",
        "the forward pass of notebook 01",
        "The formulas of the forward pass and the two symbols are lost in our copy; the words say only "
        "that a per-feature mean and a variance are used.", check=None),
    Row("001", "l.11, prose", "when [...] and [...], the output of the layer is the same as its input",
        "lost", r"\gamma = \sqrt{\sigma_B^2+\epsilon}, \beta = \mu_B gives y_i = x_i",
        "The values of \\gamma and \\beta that the claim is about are lost in our copy, so it cannot be "
        "rated: with \\gamma = \\sqrt{\\sigma_B^2+\\epsilon} and \\beta = \\mu_B (checked here) the identity is "
        "exact; with \\gamma = \\sqrt{\\sigma_B^2}, as the paper writes it, only approximate.",
        check=lambda: same([yi.subs({gamma: std, beta: mu}) for yi in y], list(x))),
    Row("001", "l.24, prose", "for the simpler parameters [...] and [...] the computational graph already "
                              "gives the best possible expression",
        "correct", r"\partial L/\partial\beta = \sum_i dy_i, \partial L/\partial\gamma = \sum_i dy_i \hat "
                   r"x_i",
        "The symbols are lost in our copy; 'the simpler parameters' and the code (dbeta, dgamma) name them "
        "\\beta and \\gamma. The graph's last node gives both directly: one product and one sum over the "
        "batch each, which no rewriting can shorten (every dy_i enters).",
        check=lambda: same(sum(dy), T["dbeta"]) and same(sum_over_samples(lambda k: dy[k] * xhat[k]), T["dgamma"])),
    Row("001", "l.24-32, formulas", "the chain rule for [...] and the gradient expressions of [...] and [...]",
        "lost", r"\partial L/\partial\gamma = \sum_i dy_i \hat x_i, \partial L/\partial\beta = \sum_i dy_i",
        "The formulas are lost in our copy; the code of l.67-68 computes both, and its row is rated.",
        check=None),
    Row("001", "l.28, prose", "Why the summation? [...] is a [...] dimensional vector that is multiplied by "
                              "[...] vectors of dimension [...] and so its contributions must be summed",
        "correct", r"\partial L/\partial\gamma = \sum_i (\partial L/\partial y_i)(\partial y_i/\partial\gamma)",
        "The symbols are lost in our copy (the parameter, D, N, D); the words carry the claim: a parameter "
        "shared by the rows collects their contributions. Finite differences on gamma agree with the sum, "
        "not with any single term.",
        check=lambda: same(sum_over_samples(lambda k: T["dy_dgamma"][k] * dy[k]), T["dgamma"])),
    Row("001", "l.34-40, formulas", "[...] is used to compute [...], [...] and [...] and therefore: [...]",
        "lost", "direct path + path through \\mu_B + path through \\sigma_B^2",
        "Which quantities x_i feeds, and the formulas of the three terms, are lost in our copy. The reading "
        "the compact code implies (through \\hat x_i, \\mu_B and \\sigma_B^2) is checked here and holds.",
        check=lambda: same([three_paths(i) for i in range(m)], T["dx"])),
    Row("001", "l.44, prose", "to compute the gradient of [...] we need to sum over the contributions of all "
                              "elements from the batch; the same for [...], also a [...] dimensional vector",
        "correct", r"\partial L/\partial\sigma_B^2 = \sum_i \partial L/\partial\hat x_i \cdot \partial\hat "
        r"x_i/\partial\sigma_B^2",
        "The two symbols are lost in our copy; the words carry the claim, which holds for any per-feature "
        "quantity shared by the batch (\\mu_B and \\sigma_B^2 here, like \\gamma).",
        check=lambda: same(sum_over_samples(lambda k: dxh[k] * T["dxhat_dvar"][k]), T["dvar"])),
    Row("001", "l.46, prose", "I deleted the second term: [...] is equal to [...]; the points are translated so "
                              "that their mean is [...], so their sum is [...]",
        "correct", r"\partial\sigma_B^2/\partial\mu_B = -(2/m) \sum_i (x_i-\mu_B) = 0",
        "The symbols are lost in our copy; the words (a mean, and a sum that must equal it) restore them as "
        "0 and \\sum_i (x_i-\\mu_B). Holds for every batch, because \\mu_B is the batch mean.",
        check=lambda: same(sum(xi - mu for xi in x), 0) and same(T["dvar_dmu"], 0)),
    Row("001", "l.50-57, edit", "Notice that [...] and so: [...] And finally: [...] Merging everything "
                                "together: [...]", "lost",
        r"(x_i-\mu_B)/\sqrt{\sigma_B^2+\epsilon} = \hat x_i turns \partial L/\partial\sigma_B^2 \cdot "
        r"2(x_i-\mu_B)/m into -\gamma \hat x_i \sum_j dy_j\hat x_j / (m\sqrt{\sigma_B^2+\epsilon})",
        "Every formula of the edit is lost in our copy. The substitution the compact code implies is "
        "checked here and holds; the code's row below rates the final formula.",
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
    Row("001", "l.63-71, code run (indentation restored)", "batchnorm_backward_alt on a (5, 3) batch",
        "correct", "dx of shape (N, D), dgamma and dbeta of shape (D,)",
        "Run with only the indentation restored, cache = (gamma, xhat, istd) from bnlib's forward pass: "
        "dx, dgamma and dbeta have bnlib's shapes and values (relative 1e-9). gamma*istd/N divides an "
        "array: the same numbers in Python 2 and 3.", check=printed_backward_alt_matches),
    Row("001", "l.73, prose: speed", "the compact backward is 2 to 4 times faster than the staged one",
        "overstated", "the compact pass is faster; by how much depends on the array shape and the machine",
        "Measured: the post's own batchnorm_backward_alt, run as printed, against bnlib's staged pass, the "
        "graph of notebook 02 ({2}): the staged pass takes {0} to {1} times as long. The compact line is "
        "faster on every shape, but 2 to 4 holds on some shapes only: one machine's factor given as the "
        "method's (make bench measures it on yours).".format(*post001_speedup_range()),
        check=None),
]
