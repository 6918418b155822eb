"""The figures of notebook 07: which elements share a mean (BatchNorm, LayerNorm, InstanceNorm, GroupNorm)."""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap

from .style import BLACK, BLUE, CYCLE, text_colour_on

__all__ = ["plot_channel_columns", "statistic_groups", "draw_normalization_grids"]


def plot_channel_columns(panels):
    """Side by side, each (grid, title) of ``panels``: a 2-D array whose entries are channel numbers,
    drawn one colour per channel (Okabe–Ito) with the channel's number written in each entry.
    Returns the axes."""
    fig, axes = plt.subplots(1, len(panels), figsize=(3.5 * len(panels), 5), sharey=True)
    colours = ListedColormap(CYCLE)
    for ax, (grid, title) in zip(axes, panels):
        ax.imshow(np.asarray(grid) % len(CYCLE), cmap=colours, vmin=-0.5, vmax=len(CYCLE) - 0.5, aspect="auto")
        if np.asarray(grid).size <= 200:
            for (row, col), channel in np.ndenumerate(np.asarray(grid)):
                ax.text(col, row, f"{channel:g}", ha="center", va="center", fontsize=8,
                        color=text_colour_on(CYCLE[int(channel) % len(CYCLE)]))
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("column of the 2-D array (the 'feature')")
        ax.set_xticks(range(grid.shape[1]))
    axes[0].set_ylabel("row of the 2-D array (n, h, w)")
    fig.suptitle("Which channel each element of the (N*H*W, C) array comes from (colour and number = channel)")
    fig.tight_layout()
    return axes


def statistic_groups(kind, N, C, HW, G=1):
    r"""Which statistic each element of a batch (N, C, H*W) belongs to, as an integer array of that shape.

    Elements with the same number share one mean and variance:
    BatchNorm: one per channel c; LayerNorm: one per sample n; InstanceNorm: one per (n, c);
    GroupNorm: one per (n, group), group = c // (C/G).
    """
    n = np.arange(N).reshape(N, 1, 1)
    c = np.arange(C).reshape(1, C, 1)
    ids = {"BatchNorm": 0 * n + c,
           "LayerNorm": n + 0 * c,
           "InstanceNorm": n * C + c,
           "GroupNorm": n * G + c // (C // G)}[kind]
    return np.broadcast_to(ids, (N, C, HW))


NORMALIZATION_TITLES = {"BatchNorm": "BatchNorm: per channel, over N, H, W",
                        "LayerNorm": "LayerNorm: per sample, over C, H, W",
                        "InstanceNorm": "InstanceNorm (G = C): per sample and channel, over H, W",
                        "GroupNorm": "GroupNorm (G = {G}): per sample and group, over C/G, H, W"}


def draw_normalization_grids(N=4, C=6, HW=4, G=3, kinds=tuple(NORMALIZATION_TITLES)):
    r"""One flat grid per normalization in ``kinds``: N samples down, C channels across, each channel
    a strip of its H*W positions. The elements behind one mean and variance are blue and marked with
    a dot; the others are shaded by the statistic they belong to (:func:`statistic_groups`), and
    thick lines separate the channels. Returns the axes."""
    fig, axes = plt.subplots(len(kinds), 1, figsize=(8, 1.9 * len(kinds) + 0.6), squeeze=False)
    for ax, kind in zip(axes[:, 0], kinds):
        ids = statistic_groups(kind, N, C, HW, G).reshape(N, C * HW)
        # a checkerboard over the statistics: neighbouring sets get different shades of grey
        across = np.unique(ids[0], return_inverse=True)[1].reshape(1, -1)
        down = np.arange(N).reshape(-1, 1) * (ids[-1, 0] != ids[0, 0])
        rgb = np.where(((across + down) % 2 == 0)[..., None], [0.93, 0.93, 0.93], [0.80, 0.80, 0.80])
        chosen = ids == ids[0, 0]
        rgb[chosen] = [int(BLUE[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        ax.imshow(rgb, aspect="equal", extent=(0, C * HW, N, 0))
        rows, cols = np.nonzero(chosen)
        ax.plot(cols + 0.5, rows + 0.5, "o", color="white", markeredgecolor=BLACK, markersize=4, lw=0)
        for col in range(C * HW + 1):
            ax.axvline(col, color="k" if col % HW == 0 else "white", lw=1.6 if col % HW == 0 else 0.6)
        for row in range(N + 1):
            ax.axhline(row, color="k", lw=1.6)
        ax.set_xticks(np.arange(C) * HW + HW / 2, [f"c = {c + 1}" for c in range(C)], fontsize=8)
        ax.set_yticks(np.arange(N) + 0.5, [f"n = {n + 1}" for n in range(N)], fontsize=8)
        ax.tick_params(length=0)
        ax.set_title(NORMALIZATION_TITLES[kind].format(G=G), fontsize=10, loc="left")
    axes[-1, 0].set_xlabel(f"channels C, each a strip of its H·W = {HW} positions")
    fig.suptitle("The elements behind one mean and variance (blue, with a dot); grey shades: the other statistics")
    fig.tight_layout()
    return axes[:, 0]
