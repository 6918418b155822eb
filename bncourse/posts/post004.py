"""Post 004: its equations and claims, checked (notebook 06).

The deepnet BatchNorm post (P. Dahal).
"""
import sympy as sp

from .claims import (
    COVARIATE_SHIFT, PAPER, code_backward_matches, deepnet_backward_fragment_keeps_the_shape,
    deepnet_backward_fragment_values, deepnet_forward_fragment_keeps_the_shape,
    deepnet_layer_dbeta_has_shape_of_beta, deepnet_layer_forward_and_dx_match, layer_update_works_with_unsummed_dgamma,
    normalization_makes_gaussian, per_activation_is_per_channel,
    unsummed_dgamma_has_shape_of_gamma,
)
from .common import parameter_gradient_rows
from .engine import (
    MISSING_SUM, Row, T, beta, dxh, dy, eps, gamma, m, mu, same, sum_over_samples,
    three_path_sum, three_paths, var, x, xhat,
)

ROWS = [
    Row("004", "l.3 and l.7, prose", "internal covariance shift", "typo", "internal covariate shift",
        f"The term of the paper's title: {PAPER}.", check=None),
    Row("004", "l.5, prose", "introduced by Ioffe & Szegedy", "correct", "Ioffe and Szegedy (2015)", PAPER,
        check=None),
    Row("004", "l.7, prose", "inserted after fully connected or convolutional layers, before nonlinearities",
        "correct", "as stated", f"Section 3.2 of {PAPER}.", check=None),
    Row("004", "l.7, prose: why it helps", "it effectively reduces the internal covariate shift in deep networks",
        "overstated", "BatchNorm was introduced to reduce internal covariate shift; whether it does, and whether "
        "that is why it helps, is contested", COVARIATE_SHIFT, check=None),
    Row("004", "l.11-14, prose", "advantages: gradient flow, less dependence on initialization, higher "
        "learning rates, regularization", "correct", "as stated",
        f"Sections 3.3, 3.4 and 4.2 of {PAPER}.", check=None),
    Row("004", "l.16, prose", "normalize the input to have unit Gaussian distribution", "wrong",
        "zero mean and variance \\sigma_B^2/(\\sigma_B^2+\\epsilon) per feature; the shape of the "
        "distribution is unchanged",
        "As in post 000: an affine map keeps the skewness of the batch, and a Gaussian has none.",
        check=normalization_makes_gaussian),
    Row("004", "l.18, forward: mean", r"\mu_B = (1/m) \sum_{i=1}^m x_i", "correct", "as printed", "",
        "mu", lambda: sum(x) / m),
    Row("004", "l.18, forward: variance", r"\sigma_B^2 = (1/m) \sum_{i=1}^m (x_i-\mu_B)^2", "correct",
        "biased variance", "", "var", lambda: sum((xi - mu) ** 2 for xi in x) / m),
    Row("004", "l.18, forward: normalize", r"\hat x_i = (x_i-\mu_B)/\sqrt{\sigma_B^2+\epsilon}", "correct",
        "as printed", "", "xhat", lambda: [(xi - mu) / sp.sqrt(var + eps) for xi in x]),
    Row("004", "l.18, forward: scale and shift", r"y_i = \gamma x_i + \beta", "wrong",
        r"y_i = \gamma\hat x_i + \beta",
        "x_i where \\hat x_i belongs, as in post 000. The code (out = gamma * X_norm + beta) is right.",
        "y", lambda: [gamma * xi + beta for xi in x]),
    Row("004", "l.21-26, forward code: the axes",
        "X (N, C, H, W) reshaped to (N, C*H*W); mean and variance over axis 0", "wrong",
        "for convolutional inputs, one mean and variance per channel over N, H and W; gamma, beta of "
        "shape (C,) (notebook 07)",
        "The reshape gives every activation (c, h, w) its own statistics from N values only, and its "
        "own gamma and beta (the layer stores C*H*W of each). The paper normalizes a feature map "
        "jointly over the batch and all locations so that convolution stays convolution (Section 3.2). "
        "With N = 1 every per-activation variance is 0 and the output is beta whatever the input. "
        "Right for fully connected inputs (H = W = 1). The class has the same design.",
        check=per_activation_is_per_channel),
    Row("004", "l.25, forward code: eps", "epsilon = 1e-8", "correct",
        "a choice; the course uses 1e-5, as PyTorch",
        "Any small positive constant is a valid BatchNorm. A smaller one amplifies more where a feature "
        "barely varies: 1/sqrt(1e-8) = 1e4 against 316 for 1e-5; in float32, var + 1e-8 rounds back to "
        "var for var of 0.25 and above. The code's backward pass is right with it (next rows).",
        check=lambda: code_backward_matches(1e-8)),
    Row("004", "l.31, backward: node gamma*xhat",
        r"\partial C/\partial(\gamma\hat x_i) = \partial C/\partial y_i \cdot \partial y_i/\partial(\gamma "
        r"x_i) = \partial C/\partial y_i",
        "typo", r"\partial L/\partial(\gamma\hat x_i) = dy_i",
        "As in post 000: \\gamma x_i names no node of the layer; the left side shows the only reading; "
        "the result is right.", "du", lambda: list(dy)),
    *parameter_gradient_rows("004", (
        "l.31, backward: dbeta, first lines", "l.31, backward: dbeta",
        "l.31, backward: dgamma, first line", "l.31, backward: dgamma"), (
        "The sum appears in the last line, and the code sums: the post's dbeta is right.",
        "The next line has the sum; the code does not (see its dgamma below).")),
    Row("004", "l.33, backward: dxhat",
        r"\partial C/\partial\hat x_i = \partial C/\partial(\gamma x_i) \cdot \partial(\gamma "
        r"x_i)/\partial x_i = \partial C/\partial y_i \cdot \gamma",
        "wrong", r"\partial L/\partial\hat x_i = \partial L/\partial(\gamma\hat x_i) \cdot "
                 r"\partial(\gamma\hat x_i)/\partial\hat x_i = \gamma dy_i",
        "Read literally, the middle is a well-formed chain rule for another quantity: "
        r"\partial C/\partial(\gamma x_i) \cdot \partial(\gamma x_i)/\partial x_i is the derivative with respect "
        r"to x_i, the input, through a node \gamma x_i (the post's y_i = \gamma x_i + \beta of l.18), not "
        r"with respect to \hat x_i. Transcribed as that derivative, it is dL/dx, which is not dL/d\hat x. "
        r"The last expression, \gamma dy_i, is the true dL/d\hat x_i, so no number of the post changes, "
        "and the code is right (dX_norm = dout * gamma).", "dxhat", lambda: list(T["dx"])),
    Row("004", "l.33, backward: dvar, first lines",
        r"\partial C/\partial\sigma_B^2 = \partial C/\partial\hat x_i \cdot \partial\hat "
        r"x_i/\partial\sigma_B^2",
        "wrong", r"\sum_i \partial L/\partial\hat x_i \cdot \partial\hat x_i/\partial\sigma_B^2",
        "\\sigma_B^2 is shared by the batch, so the contributions of all samples add; the first two lines "
        "have one sample's term. The sum appears in the third line, and the code sums.", "dvar",
        lambda: dxh[0] * T["dxhat_dvar"][0]),
    Row("004", "l.33, backward: dvar",
        r"= \sum_i \partial C/\partial\hat x_i \, (x_i-\mu_B) \, (-1/2)(\sigma_B^2+\epsilon)^{-3/2}", "correct",
        "as printed", "", "dvar", lambda: sum_over_samples(lambda k: dxh[k] * (x[k] - mu) * -(var + eps) ** sp.Rational(-3, 2) / 2)),
    Row("004", "l.33, prose", "mu_B feeds two nodes and x_i three, so their gradients add over the paths",
        "correct", "as stated", "The sum over the paths equals the derivative taken directly.",
        check=lambda: same([three_paths(i) for i in range(m)], T["dx"])),
    Row("004", "l.35, backward: dmu, first line",
        r"\partial C/\partial\mu_B = \partial C/\partial\hat x_i \cdot \partial\hat x_i/\partial\mu_b + "
        r"\partial C/\partial\sigma_B^2 \cdot \partial\sigma_B^2/\partial\mu_B",
        "wrong", r"\sum_i \partial L/\partial\hat x_i \cdot \partial\hat x_i/\partial\mu_B + \partial "
                 r"L/\partial\sigma_B^2 \cdot \partial\sigma_B^2/\partial\mu_B",
        "The sum over the batch is missing from the first term (it appears two lines later); \\mu_b for "
        "\\mu_B is a typo. The code sums over the batch.", "dmu",
        lambda: dxh[0] * T["dxhat_dmu"][0] + T["dvar"] * T["dvar_dmu"]),
    Row("004", "l.35, backward: dmu, second line",
        r"... + \partial C/\partial\sigma_B^2 \cdot \partial((1/m)\sum_{i=0}^m (x_i-\mu_B))^2/\partial\mu_B",
        "wrong", r"\partial((1/m)\sum_{i=1}^m (x_i-\mu_B)^2)/\partial\mu_B",
        "What is differentiated is not \\sigma_B^2 (the values below are of that function): the square "
        "sits outside the sum, and the sum runs from i = 0 (m + 1 terms). Both that derivative and the "
        "true one are 0 at \\mu_B = batch mean, "
        "so no number changes; the first term again lacks its sum. The code differentiates the "
        "right function (np.sum(-2 * X_mu)).", "var",
        lambda: (sum(xi - mu for xi in x) / m) ** 2),
    Row("004", "l.35, backward: dmu",
        r"= \sum_i \partial C/\partial\hat x_i \cdot (-1/(\sqrt{\sigma_B^2}+\beta)) + \partial "
        r"C/\partial\sigma_B^2 \cdot (1/m)\sum_i 2(x_i-\mu_B)",
        "wrong", r"\sum_i \partial L/\partial\hat x_i \cdot (-1/\sqrt{\sigma_B^2+\epsilon}) + \partial "
                 r"L/\partial\sigma_B^2 \cdot (-2/m)\sum_i (x_i-\mu_B)",
        "\\sqrt{\\sigma_B^2}+\\beta where \\sqrt{\\sigma_B^2+\\epsilon} belongs (\\beta for \\epsilon, "
        "outside "
        "the root), and the sign of \\partial\\sigma_B^2/\\partial\\mu_B is lost (harmless only because "
        "that sum is 0). The code is right: var_inv = 1/sqrt(var + 1e-8) and -2.", "dmu",
        lambda: (sum_over_samples(lambda k: dxh[k] * (-1 / (sp.sqrt(var) + beta)))
                 + T["dvar"] * sum(2 * (xi - mu) for xi in x) / m)),
    Row("004", "l.37, backward: chain rule for dx",
        r"\partial C/\partial x_i = \partial C/\partial\hat x_i \, \partial\hat x_i/\partial x_i + "
        r"\partial C/\partial\mu_B \, \partial\mu_B/\partial x_i + \partial C/\partial\sigma_B^2 \, "
        r"\partial\sigma_B^2/\partial x_i",
        "correct", "the three paths", "", "dx", lambda: [three_paths(i) for i in range(m)]),
    Row("004", "l.37, backward: dx, second line",
        r"= \partial C/\partial\hat x_i / \sqrt{\sigma_B^2+\beta} + \partial C/\partial\mu_B \cdot "
        r"\partial((1/m)\sum_i x_i)/\partial\mu_B + \partial C/\partial\sigma_B^2 \cdot 2(x_i-\mu_B)/m",
        "wrong", r"\partial L/\partial\hat x_i / \sqrt{\sigma_B^2+\epsilon} + \partial L/\partial\mu_B "
                 r"\cdot \partial\mu_B/\partial x_i + ...",
        "\\beta where \\epsilon belongs, and \\partial\\mu_B/\\partial\\mu_B (which is 1) where "
        "\\partial\\mu_B/\\partial x_i = 1/m belongs; the next line has 1/m. The code is right "
        "(var + 1e-8, dmu / n_X).", "dx",
        lambda: three_path_sum(lambda i: dxh[i] / sp.sqrt(var + beta), lambda i: 1,
                                lambda i: 2 * (x[i] - mu) / m)),
    Row("004", "l.37, backward: dx",
        r"= \partial C/\partial\hat x_i / \sqrt{\sigma_B^2+\beta} + \partial C/\partial\mu_B / m + "
        r"\partial C/\partial\sigma_B^2 \cdot 2(x_i-\mu_B)/m",
        "wrong", r"\partial L/\partial\hat x_i / \sqrt{\sigma_B^2+\epsilon} + \partial L/\partial\mu_B/m + "
                 r"\partial L/\partial\sigma_B^2 \cdot 2(x_i-\mu_B)/m",
        "\\beta where \\epsilon belongs: the value depends on the shift parameter, and \\beta < -\\sigma_B^2 "
        "makes the root imaginary. The code uses var + 1e-8: the code is right.", "dx",
        lambda: three_path_sum(lambda i: dxh[i] / sp.sqrt(var + beta), lambda i: sp.Rational(1, m),
                                lambda i: 2 * (x[i] - mu) / m)),
    Row("004", "l.44-50, backward code", "dvar, dmu, dX and dbeta as computed (per activation, eps 1e-8)",
        "correct", "as computed",
        "The printed fragment, run by Python 3 after the forward fragment on a (3, 2, 2, 2) batch, against "
        "bnlib's staged backward on the (N, C*H*W) columns with the same eps: equal to 1e-9 (flattened; "
        "see the next rows for the shape and for Python 2).",
        check=deepnet_backward_fragment_values),
    Row("004", "l.26, forward code run as printed: shape of out", "out = gamma * X_norm + beta",
        "wrong", "out = (gamma * X_norm + beta).reshape(X.shape)",
        "Run on an (N, C, H, W) batch, the fragment returns out of shape (N, C*H*W): the flattened "
        "activations are never put back into the input's shape, so the next layer gets a matrix. Its "
        "values are right. The layer class reshapes (return out.reshape(self.X_shape)).",
        check=deepnet_forward_fragment_keeps_the_shape),
    Row("004", "l.49, backward code run as printed: shape of dX",
        "dX = (dX_norm * var_inv) + (dmu / n_X) + (dvar * 2/n_X * X_mu)", "wrong",
        "dX = dX.reshape(X.shape), the shape of the input",
        "Run after the forward fragment on an (N, C, H, W) batch, the fragment leaves dX of shape "
        "(N, C*H*W), while the gradient of X must have X's shape (N, C, H, W). Its values are right, "
        "flattened. The layer class reshapes (dX = dX.reshape(self.X_shape)).",
        check=deepnet_backward_fragment_keeps_the_shape),
    Row("004", "l.47 and l.79, backward code under Python 2", "(var + 1e-8)**(-3/2)", "wrong",
        "(var + 1e-8)**(-1.5), the same in every Python",
        "-3/2 divides two integers: Python 3 gives -1.5, Python 2 (current when the post was written) "
        "gives -2 (floor division), so dvar, dmu and dX come out wrong there. The fragment read as "
        "Python 2 read it (every integer/integer division floored) does not match bnlib's backward; "
        "read by Python 3 it does (row l.44-50). The layer class has the same expression (l.79).",
        check=lambda: deepnet_backward_fragment_values(python2=True)),
    Row("004", "l.51, backward code: dgamma", "dgamma = dout * X_norm", "wrong",
        "dgamma = np.sum(dout * X_norm, axis=0), shape (D,)",
        "The sum over the batch is missing: dgamma has shape (N, D), one row per sample, while gamma has "
        "one entry per feature (the equation above it has the sum).",
        check=unsummed_dgamma_has_shape_of_gamma),
    Row("004", "l.76-77, layer class: backward", "dbeta = sum(dout, axis=0); dgamma = dout * self.X_norm",
        "wrong", "dgamma = np.sum(dout * self.X_norm, axis=0, keepdims=True), shape (1, D) like self.gamma",
        "Same missing sum as l.51. The class stores gamma with shape (1, D): an in-place step "
        "gamma += -lr * dgamma with the (N, D) gradient, as the solver of the post's repository "
        "takes (param += -lr * grad), raises ValueError for N > 1 (notebook 03 shows both), and "
        "gamma = gamma - lr * dgamma silently turns gamma into an (N, D) array.",
        check=layer_update_works_with_unsummed_dgamma),
    Row("004", "l.57-83, layer class run (indentation restored)",
        "Batchnorm(X_dim).forward(X) and .backward(dout) on a (3, 2, 2, 2) batch", "correct",
        "out and dX of shape (N, C, H, W), per-activation values",
        "Run with only the indentation restored (and by Python 3): out and dX have the input's shape and "
        "the values of bnlib's staged pass on the (N, C*H*W) columns with eps = 1e-8. The parameter "
        "gradients are the next rows.", check=deepnet_layer_forward_and_dx_match),
    Row("004", "l.76, layer class: dbeta", "dbeta = np.sum(dout,axis=0)", "wrong",
        "dbeta = np.sum(dout, axis=0, keepdims=True), shape (1, C*H*W) like self.beta",
        "Run as printed, dbeta has shape (C*H*W,) while self.beta has (1, C*H*W): a parameter's gradient "
        "should have the parameter's shape (notebook 03). Harmless here, since both an in-place and an "
        "out-of-place step broadcast (C*H*W,) into (1, C*H*W); the values are right.",
        check=deepnet_layer_dbeta_has_shape_of_beta),
    Row("004", "l.57-83, layer class as printed", "the class body", "typo", "the body indented",
        "In our copy the class and method bodies are not indented, so Python stops with an "
        "IndentationError; most likely the indentation was lost in formatting.", check=None),
]
