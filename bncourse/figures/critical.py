"""The figures of notebook 06: reading the posts critically."""
import matplotlib.pyplot as plt
import numpy as np

from .style import BLACK, MAGNITUDE_MAP, SIGNED_MAP, VERDICT_HATCHES

__all__ = ["plot_conv_statistics", "plot_verdicts"]


def plot_conv_statistics(image, per_channel, per_activation):
    """Notebook 06: an image and its two normalizations, per channel (over N, H, W) and per activation
    (the flattened reshape); the two outputs share one colour scale symmetric about 0, each panel has
    a colourbar."""
    limit = np.abs(per_channel).max()
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.4))
    symmetric = dict(cmap=SIGNED_MAP, vmin=-limit, vmax=limit)
    panels = [(image, "input (N = 1, one channel)", dict(cmap=MAGNITUDE_MAP)),
              (per_channel, "output, per channel (over N, H, W)", symmetric),
              (per_activation, "output, per activation (flattened)", symmetric)]
    for ax, (a, title, scale) in zip(axes, panels):
        im = ax.imshow(a, **scale)
        fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("w")
        ax.set_ylabel("h")
    fig.suptitle("BatchNorm of a convolutional batch: which axes the statistics run over")
    fig.tight_layout()
    return fig


def plot_verdicts(counts, posts, verdicts, colours, ax=None, hatches=None):
    """Notebook 06: the verdicts per post as stacked horizontal bars; ``counts[post, verdict]``.
    Each verdict has its colour (``colours``) and its hatch (``hatches``, by default
    :data:`~bncourse.figures.style.VERDICT_HATCHES`), so that the chart reads without colour."""
    hatches = VERDICT_HATCHES if hatches is None else hatches
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.2))
    left = np.zeros(len(posts))
    for v in verdicts:
        widths = np.array([counts[p, v] for p in posts])
        ax.barh(list(posts), widths, left=left, color=colours[v], hatch=hatches.get(v, ""), edgecolor=BLACK,
                linewidth=0.6, label=v)
        left += widths
    ax.invert_yaxis()
    ax.set_xlabel("equations and claims checked")
    ax.set_ylabel("post")
    ax.set_title("Verdicts per post")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.figure.tight_layout()
    return ax
