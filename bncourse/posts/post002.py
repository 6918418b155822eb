"""Post 002: its equations and claims, checked (notebook 06).

Gradient Calculation For Batch Normalization (2020).
"""
import sympy as sp

from .claims import COVARIATE_SHIFT, PAPER, output_std_is_gamma
from .engine import (
    Row, T, beta, dxh, dy, gamma, m, mu, same, std, sum_over_samples, three_path_sum,
    three_paths, x, xhat, y,
)

ROWS = [
    Row("002", "l.16, prose", "internal covariate shift slows training down, and BatchNorm reduces it",
        "overstated", "BatchNorm was introduced to reduce internal covariate shift; whether it does, and whether "
        "that is why it helps, is contested", COVARIATE_SHIFT, check=None),
    Row("002", "l.18, prose", "normalizing hidden layers gives 10 times or more improvement in training "
                              "speed",
        "overstated", "14 times fewer training steps for the same accuracy, for one model (Inception on "
                      "ImageNet); other networks gain less",
        f"The paper's abstract reports 14 times fewer steps for one network: {PAPER}. The post turns "
        "that one result into a rule ('10 times or more') for normalizing hidden layers in general; the "
        "gain depends on the network, its learning rate and the baseline it is compared with.",
        check=None),
    Row("002", "l.20, prose", "the output of unit i has mean beta_i over the mini-batch", "correct",
        r"\frac1m \sum_r a_i^{(r)} = \beta_i exactly", "The normalized values sum to 0.",
        check=lambda: same(sum(y) / m, beta)),
    Row("002", "l.20, prose", "the output of unit i has standard deviation gamma_i", "wrong",
        r"|\gamma_i| at \epsilon = 0; |\gamma_i| \sqrt{\sigma_B^2/(\sigma_B^2+\epsilon)} with \epsilon > 0",
        "Wrong for a negative \\gamma_i, which the layer may learn: a standard deviation is never negative, "
        "and the output's is |\\gamma_i| (judged at \\epsilon = 0, as every claim about the normalized "
        "output is). Right for \\gamma_i > 0. With \\epsilon > 0 it shrinks by "
        "\\sqrt{\\sigma_B^2/(\\sigma_B^2+\\epsilon)}: (3/2) sqrt(7/8) = 1.40312 at the test point.",
        check=output_std_is_gamma),
    Row("002", "l.26, prose", "the gradient is no longer a sum of separate per-example gradients", "correct",
        r"\partial L/\partial x_i depends on every dy_j of the batch",
        "dL/dx_1 changes when dy_2 changes: the batch statistics couple the samples.",
        check=lambda: sp.diff(T["dx"][0], dy[1]) != 0),
    Row("002", "l.28, backward: dbeta",
        r"\partial L/\partial\beta_i = \sum_r \partial L/\partial a_i^{(r)} \cdot \partial "
        r"a_i^{(r)}/\partial\beta_i = \sum_r \partial L/\partial a_i^{(r)}",
        "correct", r"\sum_i dy_i", "a_i^{(r)} is the output y_r.", "dbeta", lambda: sum(dy)),
    Row("002", "l.30, backward: dgamma",
        r"\partial L/\partial\gamma_i = \sum_r \partial L/\partial a_i^{(r)} \cdot \hat x_i^{(r)}",
        "correct", r"\sum_i dy_i \hat x_i", "", "dgamma", lambda: sum_over_samples(lambda k: dy[k] * xhat[k])),
    Row("002", "l.34, backward: chain rule for dx",
        r"\partial L/\partial x = \partial L/\partial\hat x \cdot \partial\hat x/\partial x + "
        r"\partial L/\partial\mu_i \cdot \partial\mu_i/x + \partial L/\partial\sigma_i^2 \cdot "
        r"\partial\sigma_i^2/x",
        "typo", r"... \partial\mu_i/\partial x_i^{(r)} ... \partial\sigma_i^2/\partial x_i^{(r)}",
        "Two denominators lack their \\partial; the only reading is the three-path chain rule, which is "
        "right.",
        "dx", lambda: [three_paths(i) for i in range(m)]),
    Row("002", "l.35, backward: dx with local derivatives",
        r"\partial L/\partial x = \partial L/\partial\hat x \, (1/m) + \partial L/\partial\mu_i \, (1/m) + "
        r"\partial L/\partial\sigma_i^2 \, 2(x - \mu_i)/m", "wrong",
        r"\partial L/\partial\hat x_i \cdot 1/\sqrt{\sigma_B^2+\epsilon} + \partial L/\partial\mu_B/m + "
        r"\partial L/\partial\sigma_B^2 \cdot 2(x_i-\mu_B)/m",
        "The first factor is \\partial\\hat x/\\partial x = 1/\\sigma_i (\\mu_i and \\sigma_i held fixed), "
        "not 1/m: 1/m belongs to \\partial\\mu/\\partial x. It changes every dx unless \\sigma_i = m, and "
        "l.43 carries it on. The post has no code.", "dx",
        lambda: three_path_sum(lambda i: dxh[i] / m, lambda i: sp.Rational(1, m),
                                lambda i: 2 * (x[i] - mu) / m)),
    Row("002", "l.39, backward: dxhat", r"\partial L/\hat x = \gamma_i \, \partial L/\partial a", "typo",
        r"\partial L/\partial\hat x_i = \gamma \, dy_i", "The denominator lacks its \\partial; the only "
                                                         "reading is right.",
        "dxhat", lambda: [gamma * d for d in dy]),
    Row("002", "l.39, backward: the reason given", r"a_i^{(r)} = \gamma_i x_i^{(r)} + \beta_i", "wrong",
        r"a_i^{(r)} = \gamma_i \hat x_i^{(r)} + \beta_i",
        "x where \\hat x belongs: with it, \\partial a/\\partial\\hat x would be 0, not \\gamma. The "
        "derivative on the same line is right, so nothing downstream changes.", "y",
        lambda: [gamma * xi + beta for xi in x]),
    Row("002", "l.43-45, backward: dx assembled",
        r"\partial L/\partial x = \partial L/\partial a \, (\gamma/m) + \partial L/\partial\mu_i \, (1/m) + "
        r"\partial L/\partial\sigma_i^2 \, 2(x-\mu_i)/m", "wrong",
        r"\partial L/\partial a \cdot \gamma/\sqrt{\sigma_B^2+\epsilon} + \partial L/\partial\mu_B/m + "
        r"\partial L/\partial\sigma_B^2 \cdot 2(x_i-\mu_B)/m",
        "Carries the 1/m of l.35: \\gamma/m where \\gamma/\\sigma_i belongs. This is the input gradient a "
        "reader would implement from the post; the post has no code.", "dx",
        lambda: three_path_sum(lambda i: dy[i] * gamma / m, lambda i: sp.Rational(1, m),
                                lambda i: 2 * (x[i] - mu) / m)),
    Row("002", "l.49, backward: dvar, first form",
        r"\partial L/\partial\sigma_i^2 = \sum_j \partial L/\partial\hat x^{(j)} \cdot \partial\hat "
        r"x^{(j)}/\partial\sigma_i^2",
        "correct", r"\sum_j \partial L/\partial\hat x_j \cdot \partial\hat x_j/\partial\sigma_B^2", "", "dvar",
        lambda: sum_over_samples(lambda k: dxh[k] * T["dxhat_dvar"][k])),
    Row("002", "l.49, backward: dvar",
        r"= -1/(2\sigma_i^3) \sum_j \partial L/\hat x^{(j)} \, (x^{(j)} - \mu_i)", "typo",
        r"-(1/2)(\sigma_B^2+\epsilon)^{-3/2} \sum_j \partial L/\partial\hat x_j (x_j-\mu_B)",
        "The denominator lacks its \\partial. \\sigma_i includes \\epsilon here: the post adds \\epsilon "
        "to \\sigma_i^2 so that it cannot be 0 (l.26, as in Aggarwal's book), so \\sigma_i^3 = "
        "(\\sigma_B^2+\\epsilon)^{3/2} (notation). Read with \\sigma_i = \\sqrt{\\sigma_B^2} instead, the "
        "value would be off by the factor (1+\\epsilon/\\sigma_B^2)^{3/2}.", "dvar",
        lambda: -1 / (2 * std ** 3) * sum_over_samples(lambda k: dxh[k] * (x[k] - mu))),
    Row("002", "l.50, backward: dvar with dy",
        r"= -1/(2\sigma_i^3) \sum_j \partial L/a^{(j)} \, \gamma_i (x^{(j)} - \mu_i)", "typo",
        r"-(\gamma/2)(\sigma_B^2+\epsilon)^{-3/2} \sum_j dy_j (x_j-\mu_B)",
        "The denominator lacks its \\partial; \\sigma_i includes \\epsilon as in l.49.", "dvar",
        lambda: -1 / (2 * std ** 3) * sum_over_samples(lambda k: dy[k] * gamma * (x[k] - mu))),
    Row("002", "l.52, backward: dmu, first form",
        r"\partial L/\partial\mu_i = \sum_j \partial L/\partial\hat x^{(j)} \, \partial\hat "
        r"x^{(j)}/\partial\mu_i + "
        r"\partial L/\partial\sigma_i^2 \, \partial\sigma_i^2/\partial\mu_i", "correct",
        "the direct path plus the path through \\sigma_B^2", "", "dmu",
        lambda: sum_over_samples(lambda k: dxh[k] * T["dxhat_dmu"][k]) + T["dvar"] * T["dvar_dmu"]),
    Row("002", "l.53, backward: dmu",
        r"= -(1/\sigma_i) \sum_j \partial L/\hat x^{(j)} - 2 \, \partial L/\partial\sigma_i^2 \, \sum_j "
        r"(x^{(j)}-\mu_i)/m",
        "typo", r"-(1/\sqrt{\sigma_B^2+\epsilon}) \sum_j \partial L/\partial\hat x_j - 2 \, \partial "
                r"L/\partial\sigma_B^2 \sum_j (x_j-\mu_B)/m",
        "The denominator lacks its \\partial; the only reading is right (and its second term is 0).",
        "dmu", lambda: -1 / std * sum(dxh) - 2 * T["dvar"] * sum(xi - mu for xi in x) / m),
    Row("002", "l.55-56, backward: dmu with dy",
        r"= -(\gamma_i/\mu_i) \sum_j \partial L/\partial a^{(j)} + (1/\sigma_i^3) (\sum_j \partial "
        r"L/\partial a^{(j)} \gamma_i (x^{(j)}-\mu_i)) (\sum_j (x^{(j)}-\mu_i)/m)",
        "wrong", r"-(\gamma/\sqrt{\sigma_B^2+\epsilon}) \sum_j dy_j + (\text{second term as printed, which "
                 r"is } 0)",
        "\\mu_i where \\sigma_i belongs (the line before has 1/\\sigma_i): a different quantity, the batch "
        "mean, so the value changes whenever \\mu_B differs from \\sigma_i, and a batch with mean 0 "
        "divides by zero. The second term is right. No code.", "dmu",
        lambda: (-gamma / mu * sum(dy) + 1 / std ** 3 * sum_over_samples(lambda k: dy[k] * gamma * (x[k] - mu))
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
]
