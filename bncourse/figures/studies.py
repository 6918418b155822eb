"""The figures of the studies (notebooks 00, 09, 11 and 16): a mean over seeds with a band of ± one standard
deviation, each series with its own colour (Okabe-Ito), line style and marker."""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from .style import BLUE, BLUISH_GREEN, ORANGE, REDDISH_PURPLE, SKY_BLUE, VERMILLION

__all__ = ["plot_bands", "plot_layer_statistics"]

#: Okabe-Ito colours (bncourse.figures.style), and line styles and markers so that no series is told apart
#: by colour alone
COLORS = [BLUE, VERMILLION, BLUISH_GREEN, REDDISH_PURPLE, ORANGE, SKY_BLUE]
STYLES = ["-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1))]
MARKERS = ["o", "s", "^", "D", "v", "P"]


def plot_bands(series, x=None, xlabel="epoch", ylabel="", title="", logx=False, logy=False, ylim=None,
               ax=None, legend="best"):
    """One line per entry of ``series`` (name -> values of shape (seeds, points)): the mean over the
    seeds, and a band of ± one standard deviation. ``x`` defaults to 1, 2, ... ``legend`` is a
    matplotlib location, or "below" the axes. Returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.8))
    for k, (name, values) in enumerate(series.items()):
        values = np.asarray(values, dtype=float)
        xs = np.arange(1, values.shape[1] + 1) if x is None else np.asarray(x, dtype=float)
        mean = np.nanmean(values, axis=0)
        std = np.nanstd(values, axis=0, ddof=1) if values.shape[0] > 1 else np.zeros_like(mean)
        ax.plot(xs, mean, color=COLORS[k % 6], ls=STYLES[k % 6], marker=MARKERS[k % 6],
                markevery=max(1, len(xs) // 10), ms=5, label=f"{name} (n = {values.shape[0]})")
        low, high = (np.exp(np.log(mean) - std / mean), np.exp(np.log(mean) + std / mean)) if logy else (mean - std, mean + std)
        ax.fill_between(xs, low, high, color=COLORS[k % 6], alpha=0.2, lw=0)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    if ylim is not None:
        ax.set_ylim(*ylim)
    counts = x is None or np.all(np.asarray(x, dtype=float) == np.round(np.asarray(x, dtype=float)))
    if counts and logx:             # a few whole numbers (batch sizes) on a log axis: each one labelled
        ax.set_xticks(np.asarray(x, dtype=float), [str(int(v)) for v in x])
        ax.minorticks_off()
    elif counts:                    # epochs, layers: whole numbers only
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if legend == "below":           # under the axes, where it hides no line
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, frameon=False)
    else:
        ax.legend(fontsize=8, loc=legend)
    ax.grid(alpha=0.3)
    return ax


def plot_layer_statistics(networks, panels, suptitle=""):
    """A row of panels, one per (key, label, log) of ``panels``; in each, one line per network of
    ``networks`` (name -> {key: (seeds, layers)}), the mean over seeds and a ± std band, layer on the x
    axis. One legend for the row, below the panels, so that no legend hides a line. Returns the axes."""
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 4.0), squeeze=False)
    for ax, (key, label, log) in zip(axes[0], panels):
        plot_bands({name: found[key] for name, found in networks.items()}, xlabel="hidden layer",
                   ylabel=label, logy=log, ax=ax)
        ax.get_legend().remove()
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 4), fontsize=9, frameon=False)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout(rect=(0, 0.09, 1, 1))
    return axes[0]
