"""The figures of notebooks 03 and 05: the parameter gradients, the staged and compact backward passes."""
import matplotlib.pyplot as plt
import numpy as np

from .style import BLACK, BLUE, BLUISH_GREEN, GREY, VERMILLION, line_style

__all__ = ["plot_contributions", "plot_backward_times", "plot_speedup", "describe_backward_times",
           "describe_speedup"]


def plot_contributions(contrib, total, numeric, ax=None):
    r"""Notebook 03: :math:`\partial L/\partial\gamma = \sum_i dy_i\hat x_i` for one feature, as a waterfall.

    One bar per row i, stacked where the previous one ended, blue and plain for a positive
    contribution :math:`dy_i\hat x_i`, vermillion and hatched for a negative one; then their sum
    (``total``) and, as a star, the finite-difference value ``numeric``.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.2))
    N = len(contrib)
    running = np.concatenate([[0.0], np.cumsum(contrib)])
    rows = np.arange(1, N + 1)
    for sign, color, hatch, name in [(1, BLUE, "", "positive"), (-1, VERMILLION, "//", "negative")]:
        pick = np.sign(contrib) == sign
        ax.bar(rows[pick], contrib[pick], bottom=running[:-1][pick], color=color, hatch=hatch, edgecolor=BLACK,
               linewidth=0.6, width=0.6, label=rf"{name} contribution $dy_i\,\hat x_i$ of row $i$")
    ax.hlines(running[1:], rows + 0.3, np.append(rows[1:], N + 1.2) - 0.3, color=GREY, lw=0.8)
    ax.bar(N + 1.2, total, color=GREY, hatch="xx", edgecolor=BLACK, linewidth=0.6, width=0.6,
           label=r"their sum: $\partial L/\partial\gamma$")
    ax.plot(N + 1.2, numeric, "*", color=BLACK, markersize=14, label="finite differences")
    ax.axhline(0, color=GREY, lw=0.8)
    low, high = min(running.min(), 0.0), max(running.max(), 0.0)
    ax.set_ylim(low - 0.15 * (high - low), high + 0.15 * (high - low))
    ax.set_xticks(list(rows) + [N + 1.2], [f"i={i}" for i in rows] + ["sum"])
    ax.set_xlabel("row of the batch (bars stacked: each starts where the previous one ended)")
    ax.set_ylabel(r"$\partial L/\partial\gamma$, feature 1")
    ax.set_title(r"$\gamma$ is shared by all rows: its gradient is the sum of their contributions")
    ax.legend(loc="lower left", fontsize=9)
    return ax


def plot_backward_times(size, t_staged, t_compact, t_pass, t_tuned=None, ax=None):
    """Notebook 05: time per call of the staged and the compact backward pass (and, given, the
    memory-tuned compact one) against N*D, log-log, with one pass over memory
    (``np.add(a, b, out=c)``) and a line of slope 1 for reference."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    ax.loglog(size, np.asarray(t_staged) * 1e3, label="staged (node by node)", **line_style(0))
    ax.loglog(size, np.asarray(t_compact) * 1e3, label="compact (the formula as it reads)", **line_style(1))
    if t_tuned is not None:
        ax.loglog(size, np.asarray(t_tuned) * 1e3, label="compact, tuned for memory (bnlib.tuned)", **line_style(2))
    ax.loglog(size, np.asarray(t_pass) * 1e3, "^--", color=GREY, label="one pass over memory: np.add(a, b, out=c)")
    ax.loglog(size, t_compact[-1] * 1e3 * np.asarray(size) / size[-1], ":", color=BLACK, lw=1,
              label="slope 1 (linear cost)")
    ax.set_xlabel(r"entries in the batch, $N\cdot D$")
    ax.set_ylabel("time per call (ms, best of several)")
    ax.set_title("Backward pass: time grows linearly with the batch")
    ax.legend(fontsize=9)
    return ax


def plot_speedup(size, ratio, claim=(2, 4), ratio_tuned=None, ax=None):
    """Notebook 05: the measured speed-up (staged time / compact time) against N*D, with the band
    of the post's claim; given, also staged time / tuned compact time. The legend stands under the
    axes: the measured curves change with every run, and no place inside is sure to be free."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.8))
    ax.axhspan(*claim, facecolor=BLUISH_GREEN, alpha=0.15, hatch="..", edgecolor=BLUISH_GREEN,
               label=f'the post\'s claim: "{claim[0]} to {claim[1]} times faster"')
    ax.semilogx(size, ratio, "o-", color=VERMILLION, label="measured: staged time / compact time")
    top = np.max(ratio)
    if ratio_tuned is not None:
        ax.semilogx(size, ratio_tuned, "D--", color=BLUE, label="measured: staged time / tuned compact time")
        top = max(top, np.max(ratio_tuned))
    ax.axhline(1, color=GREY, lw=0.8)
    ax.set_ylim(0, max(5, top * 1.1))
    ax.set_xlabel(r"entries in the batch, $N\cdot D$")
    ax.set_ylabel("speed-up of the compact form")
    ax.set_title("How much faster is the one formula?")
    ax.legend(fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.16), frameon=False)
    return ax


def describe_backward_times(size, t_staged, t_compact, t_pass, t_tuned):
    """The text alternative of :func:`plot_backward_times`, computed from the times it draws (they change from
    run to run)."""
    t_staged, t_compact, t_pass, t_tuned = (np.asarray(t) for t in (t_staged, t_compact, t_pass, t_tuned))
    growth = np.log(t_staged[-1] / t_staged[-3]) / np.log(size[-1] / size[-3])
    return (f"Time per call of the backward pass against the number of entries N·D ({size[0]:.0e} to {size[-1]:.0e}), "
            "log-log, as measured by the run that stored this notebook: staged (circles), compact (squares), "
            "compact tuned for memory (triangles), one pass over memory with np.add (dashed grey) and a dotted "
            f"line of slope 1. At the largest batch the staged pass takes {t_staged[-1] * 1e3:.0f} ms, "
            f"{t_staged[-1] / t_compact[-1]:.1f} times the compact one, {t_staged[-1] / t_tuned[-1]:.1f} times the "
            f"tuned one and {t_staged[-1] / t_pass[-1]:.0f} passes over memory; over the largest sizes its log-log slope "
            f"is {growth:.1f} (a slope of 1: a cost in proportion to the batch).")


def describe_speedup(size, ratio, ratio_tuned, claim=(2, 4)):
    """The text alternative of :func:`plot_speedup`, computed from the ratios it draws."""
    ratio, ratio_tuned = np.asarray(ratio), np.asarray(ratio_tuned)
    inside = int(np.sum((ratio >= claim[0]) & (ratio <= claim[1])))
    return (f"The speed-up of the compact backward pass over the staged one (staged time / compact time) against "
            f"N·D, log scale, with the post's claimed band of {claim[0]} to {claim[1]} times shaded and dotted, as "
            f"measured by the run that stored this notebook. The readable compact form (circles) is "
            f"{ratio.min():.1f} to {ratio.max():.1f} times faster (median {np.median(ratio):.1f}), inside the band "
            f"at {inside} of {len(ratio)} sizes; the memory-tuned form (diamonds, dashed) is {ratio_tuned.min():.1f} "
            f"to {ratio_tuned.max():.1f} times faster (median {np.median(ratio_tuned):.1f}).")
