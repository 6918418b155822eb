"""The figures of notebook 01: the forward pass."""
import matplotlib.pyplot as plt
import numpy as np

from .style import BACKWARD_COLOR, BLUE, FORWARD_COLOR, GREY, VERMILLION, line_style

__all__ = ["plot_before_after", "plot_eps_shrink", "plot_variance_errors"]


def plot_before_after(batch, normalized, names):
    """Histograms of each feature (column) of ``batch`` (top row) and of ``normalized`` (bottom row),
    titled by ``names``: normalization x -> (x - mu) / sqrt(var + eps) moves and rescales, it does not
    change the shape. Returns the axes."""
    D = batch.shape[1]
    fig, axes = plt.subplots(2, D, figsize=(4 * D, 5.5), squeeze=False)
    for j in range(D):
        axes[0, j].hist(batch[:, j], bins=50, color=FORWARD_COLOR)
        axes[0, j].set_title(f"{names[j]}: before")
        axes[0, j].set_xlabel("x")
        axes[1, j].hist(normalized[:, j], bins=50, color=BACKWARD_COLOR)
        axes[1, j].set_xlim(-4, 6)
        axes[1, j].set_title(f"{names[j]}: after, mean 0, variance 1")
        axes[1, j].set_xlabel("xhat")
    for ax in axes[:, 0]:
        ax.set_ylabel("count")
    fig.suptitle("Normalization moves and rescales each feature; it does not change its shape")
    fig.tight_layout()
    return axes


def plot_eps_shrink(variances, shrink, ax=None):
    r"""The variance of :math:`\hat x`, :math:`\sigma_B^2/(\sigma_B^2+\epsilon)`, against
    :math:`\sigma_B^2`: ``shrink`` maps each eps to its curve over ``variances``. Returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.8))
    for k, (e, curve) in enumerate(shrink.items()):
        ax.semilogx(variances, curve, markevery=max(1, len(variances) // 12), label=f"eps = {e:g}",
                    **line_style(k))
    ax.axhline(1.0, color=GREY, lw=0.8, ls=":")
    ax.set_xlabel(r"batch variance of the feature, $\sigma_B^2$")
    ax.set_ylabel(r"variance of $\hat x$")
    ax.set_title(r"eps shrinks the output variance only when $\sigma_B^2$ is comparable to eps")
    ax.legend()
    return ax


def plot_variance_errors(offsets, err_one, err_two, ax=None):
    r"""Relative error of the one-pass variance :math:`E[x^2]-E[x]^2` (``err_one``) and of the two-pass
    :math:`E[(x-\mu)^2]` (``err_two``) against the mean of the feature (``offsets``), log-log; errors
    of exactly 0 are drawn at 1e-17. Returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.8))
    ax.loglog(offsets, np.maximum(err_one, 1e-17), "o-", color=VERMILLION, label="one pass: E[x²] − E[x]²")
    ax.loglog(offsets, np.maximum(err_two, 1e-17), "s--", color=BLUE, label="two passes: mean of (x − μ)²")
    ax.set_xlabel("mean of the feature (its spread is 1)")
    ax.set_ylabel("relative error of the variance")
    ax.set_title("Catastrophic cancellation: the one-pass variance loses every digit")
    ax.legend()
    return ax
