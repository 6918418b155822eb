"""The figure of notebook 14: BatchNorm before or after the activation, every seed of the stored study."""
import matplotlib.pyplot as plt
import numpy as np

from .style import BLUE, VERMILLION

__all__ = ["plot_order_study"]

# Okabe-Ito blue and vermillion (bncourse.figures.style); the orders also differ by marker and by position
ORDER_STYLE = {"before": (BLUE, "o", "Linear -> BN -> ReLU"), "after": (VERMILLION, "s", "Linear -> ReLU -> BN")}


def plot_order_study(study, ax=None):
    """Test accuracy of each seed (dots) and the mean +- one standard deviation (bars), for each order and
    learning rate of ``study`` (:func:`bncourse.studies.load_order_study`). Returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.8))
    rates = list(study["accuracy"])
    for i, lr in enumerate(rates):
        for j, (order, (color, marker, label)) in enumerate(ORDER_STYLE.items()):
            acc = 100 * np.asarray(study["accuracy"][lr][order])
            x = i + (j - 0.5) * 0.35
            jitter = np.linspace(-0.06, 0.06, len(acc))
            ax.scatter(x + jitter, acc, color=color, marker=marker, s=18, alpha=0.7,
                       label=label if i == 0 else None)
            ax.errorbar(x + 0.12, acc.mean(), yerr=acc.std(ddof=1), color=color, marker=marker, ms=7,
                        capsize=4, mfc="white")
    ax.set_xticks(range(len(rates)), [f"learning rate {lr}" for lr in rates])
    ax.set_ylabel("test accuracy after 8 epochs (%)")
    ax.set_title(f"BatchNorm before or after ReLU: {len(study['settings']['seeds'])} seeds each (digits)")
    ax.legend(loc="lower right", fontsize=8)
    return ax
