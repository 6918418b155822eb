"""The figures of notebook 13: digits as images, training curves, the confusion matrix, the learning-rate study.

Colours from the Okabe-Ito palette (safe for colour-blind readers); the two networks also differ by
line style and marker, and every matrix cell carries its number.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from .style import BLACK, BLUE, GREY, VERMILLION

__all__ = ["plot_digits", "plot_validation_curves", "plot_confusion_matrix", "plot_learning_rate_study"]

# Okabe-Ito blue and vermillion (bncourse.figures.style); solid line with circles, dashed line with squares
STYLES = {"BatchNorm": dict(color=BLUE, ls="-", marker="o"),
          "plain": dict(color=VERMILLION, ls="--", marker="s")}
# the two bands of seeds differ by their hatch too
BAND_HATCH = {"BatchNorm": "", "plain": "//"}


def plot_digits(images, titles, ncols=8, title=None, nrows=None):
    """Each row of ``images`` (n, 64) as an 8 x 8 picture (dark = ink), with its title, on a grid of
    ``ncols`` columns and ``nrows`` rows (by default as many as the images need). Returns the axes."""
    n = len(images)
    nrows = nrows or max(1, -(-n // ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.25 * ncols, 1.45 * nrows + (0.4 if title else 0)),
                             squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for ax, image, text in zip(axes.ravel(), images, titles):
        ax.imshow(np.asarray(image).reshape(8, 8), cmap="binary", vmin=0, vmax=1, interpolation="nearest")
        ax.set_title(text, fontsize=9)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return axes


def plot_validation_curves(curves, ax=None):
    """``curves``: network name -> array (seeds, epochs) of validation accuracy. The mean over the seeds
    as a line, the smallest and largest seed as a band. Returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.8))
    for name, values in curves.items():
        values = np.asarray(values)
        epochs = np.arange(1, values.shape[1] + 1)
        style = STYLES[name]
        ax.plot(epochs, values.mean(axis=0), color=style["color"], ls=style["ls"], marker=style["marker"],
                markersize=4, label=f"{name}: mean of {values.shape[0]} seeds")
        ax.fill_between(epochs, values.min(axis=0), values.max(axis=0), color=style["color"], alpha=0.18,
                        hatch=BAND_HATCH[name], label=f"{name}: lowest to highest seed")
    ax.set_xlabel("epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("validation accuracy (eval mode)")
    ax.set_title("The network trained with your backward pass")
    ax.legend(fontsize=8, loc="lower right")
    return ax


def plot_confusion_matrix(C, ax=None, title="Test digits: true against predicted"):
    """C[i, j] = images of digit i predicted as j, with every count written in its cell. Returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5.2, 4.6))
    image = ax.imshow(np.log1p(C), cmap="cividis")
    dark = np.log1p(C) < 0.6 * np.log1p(C).max()
    for (i, j), count in np.ndenumerate(C):
        if count:
            ax.text(j, i, str(count), ha="center", va="center", fontsize=8,
                    color="white" if dark[i, j] else BLACK)
    ax.set_xticks(range(C.shape[1]))
    ax.set_yticks(range(C.shape[0]))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.set_title(title)
    ax.figure.colorbar(image, ax=ax, label="log(1 + count)")
    return ax


def plot_learning_rate_study(lrs, accuracies, mark=None, ax=None):
    """``accuracies``: network name -> array (learning rates, seeds) of test accuracy. Mean over the seeds
    with the smallest and largest seed as error bars, on a log scale of learning rates. Returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.8))
    for name, values in accuracies.items():
        values = np.asarray(values)
        mean = values.mean(axis=1)
        style = STYLES[name]
        ax.errorbar(lrs, mean, yerr=[mean - values.min(axis=1), values.max(axis=1) - mean], capsize=3,
                    label=f"{name} ({values.shape[1]} seeds)", **style)
    if mark is not None:
        ax.axvline(mark, color=GREY, ls=":", lw=1)
        ax.annotate(f"the notebook's run, lr = {mark:g}", (mark, 0.5), fontsize=8, rotation=90,
                    ha="right", va="center")
    ax.axhline(0.1, color=BLACK, ls=":", lw=1)
    ax.annotate("chance: 1 in 10", (lrs[0], 0.12), fontsize=8, ha="left")
    ax.set_xscale("log")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("learning rate")
    ax.set_ylabel("test accuracy after 20 epochs")
    ax.set_title("With and without BatchNorm, across learning rates")
    ax.legend(fontsize=8, loc="center left")
    return ax
