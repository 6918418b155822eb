"""The figures of notebooks 08, 09 and 11: running statistics, training with and without BatchNorm, the sweeps."""
import matplotlib.pyplot as plt
import numpy as np

from .style import BLACK, CYCLE, GREY, LINE_STYLES, MARKERS, SIGNED_MAP, VERMILLION, bar_style, line_style

__all__ = ["plot_running_variance", "plot_jacobians", "plot_spirals", "plot_curves", "plot_preactivation_histograms", "plot_gradient_norms", "plot_learning_rate_sweep", "plot_batch_size_sweep", "plot_init_scale_sweep", "plot_batch_statistics", "describe_batch_statistics"]


# ---------------------------------------------------------------- notebook 08: train and eval mode

def plot_running_variance(trace_unbiased, trace_biased, m, momentum, population_var=4.0, ax=None):
    r"""Two running averages of the batch variance over the training steps, with the population
    variance :math:`\sigma^2` and the biased batch variance's expectation :math:`\frac{m-1}{m}\sigma^2`.
    Returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    every = max(1, len(trace_unbiased) // 12)
    ax.plot(trace_unbiased, label="average of the unbiased variance (PyTorch)", markevery=every, **line_style(0))
    ax.plot(trace_biased, label="average of the biased variance", markevery=every, **line_style(1))
    ax.axhline(population_var, color=BLACK, ls="--", lw=1, label=rf"population $\sigma^2 = {population_var:g}$")
    ax.axhline((m - 1) / m * population_var, color=GREY, ls=":", lw=1,
               label=rf"$\frac{{m-1}}{{m}}\sigma^2 = {(m - 1) / m * population_var:g}$")
    ax.set_xlabel("training step")
    ax.set_ylabel("running variance")
    ax.set_title(f"Running variance with batches of m = {m} (momentum {momentum})")
    ax.legend(loc="lower right", fontsize=8)
    return ax


def plot_jacobians(jacobians, title="Jacobian of BatchNorm over a batch (one feature)"):
    r"""Each Jacobian :math:`\partial y_i/\partial x_j` of ``jacobians`` (name -> (m, m) array) as an
    image, on one shared colour scale. Returns the axes."""
    fig, axes = plt.subplots(1, len(jacobians), figsize=(4 * len(jacobians), 3.6), squeeze=False)
    limit = max(np.abs(j).max() for j in jacobians.values())
    for ax, (name, jac) in zip(axes[0], jacobians.items()):
        image = ax.imshow(jac, cmap=SIGNED_MAP, vmin=-limit, vmax=limit)
        ax.set_title(f"{name} mode")
        ax.set_xlabel("input sample j")
        ax.set_ylabel("output sample i")
    fig.colorbar(image, ax=axes[0].tolist(), label=r"$\partial y_i / \partial x_j$")
    fig.suptitle(title)
    return axes[0]


# ---------------------------------------------------------------- notebook 09: training with and without

def plot_spirals(X, y, ax=None):
    """The points X (n, 2) coloured and marked by their class y (n,). Returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4.5))
    for i, k in enumerate(np.unique(y)):
        ax.scatter(*X[y == k].T, s=10, marker=MARKERS[i % len(MARKERS)], color=CYCLE[i % len(CYCLE)],
                   label=f"class {k}")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title("Training data: three spirals")
    ax.set_aspect("equal")
    ax.legend(fontsize=8)
    return ax


def plot_curves(curves, ylabel, title, log=False, ylim=None, xlabel="epoch", ax=None):
    """One line per entry of ``curves`` (name -> values per epoch, epochs counted from 1).
    Returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.8))
    for k, (name, values) in enumerate(curves.items()):
        ax.plot(range(1, len(values) + 1), values, label=name, markevery=max(1, len(values) // 10),
                **line_style(k))
    if log:
        ax.set_yscale("log")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=8)
    return ax


def plot_preactivation_histograms(preacts, snapshots, value_range=(-6, 6)):
    """Histograms of the ReLU inputs: one row per run of ``preacts`` (name -> {epoch: [array per
    layer]}), one column per hidden layer, one line per epoch of ``snapshots``. Returns the axes."""
    names = list(preacts)
    layers = len(preacts[names[0]][snapshots[0]])
    fig, axes = plt.subplots(len(names), layers, figsize=(3 * layers, 2.5 * len(names)), sharey="row",
                             squeeze=False)
    for row, name in enumerate(names):
        for layer in range(layers):
            ax = axes[row, layer]
            for k, epoch in enumerate(snapshots):
                ax.hist(preacts[name][epoch][layer].ravel(), bins=40, range=value_range, histtype="step",
                        density=True, color=CYCLE[k % len(CYCLE)], linestyle=LINE_STYLES[k % len(LINE_STYLES)],
                        linewidth=1.4, label=f"epoch {epoch}")
            ax.set_title(f"{name}, hidden layer {layer + 1}", fontsize=9)
            ax.set_xlabel("pre-activation (ReLU input)")
        axes[row, 0].set_ylabel("density")
    axes[0, -1].legend(fontsize=8)
    fig.suptitle("Distribution of the ReLU inputs over training")
    fig.tight_layout()
    return axes


def plot_gradient_norms(grad_norms, ax=None):
    r"""The norm :math:`\|\partial L/\partial W\|` per epoch and layer: ``grad_norms`` maps a run name to
    an (epochs, layers) array; the first run solid, the second dashed, one colour and one marker
    per layer. Returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.8))
    for (name, norms), style in zip(grad_norms.items(), ("-", "--", ":")):
        for layer in range(norms.shape[1]):
            ax.plot(range(1, norms.shape[0] + 1), norms[:, layer], style, color=CYCLE[layer % len(CYCLE)],
                    marker=MARKERS[layer % len(MARKERS)], markevery=max(1, norms.shape[0] // 8),
                    label=f"{name}, layer {layer + 1}")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel(r"$\|\partial L/\partial W\|$ (mean over the epoch)")
    names = list(grad_norms)
    ax.set_title(f"Weight-gradient norm per layer (solid: {names[0]}, dashed: {names[1]})")
    ax.legend(fontsize=7, ncol=2)
    return ax


def plot_learning_rate_sweep(learning_rates, accuracy, ax=None):
    """Test accuracy after training against the learning rate, one line per entry of ``accuracy``
    (name -> list), with the line 0.9 that counts as "trains". Returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.8))
    for k, (name, values) in enumerate(accuracy.items()):
        ax.plot(learning_rates, values, label=name, **line_style(k))
    ax.axhline(0.9, color=GREY, ls=":", lw=1, label="0.9: 'trains'")
    ax.set_xscale("log")
    ax.set_xlabel("learning rate")
    ax.set_ylabel("test accuracy after 30 epochs")
    ax.set_title("Which learning rates train?")
    ax.legend()
    return ax


# ---------------------------------------------------------------- notebook 11: the sweeps

def plot_batch_size_sweep(batch_sizes, accuracy, noise, axes=None):
    """Left: final test accuracy against batch size, one line per entry of ``accuracy`` (name -> list).
    Right: the noise of the batch statistics, ``noise`` (name -> list), with the 1/sqrt(N) law.
    Returns the axes."""
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
        fig.subplots_adjust(wspace=0.3)
    left, right = axes
    for k, (name, values) in enumerate(accuracy.items()):
        style = dict(line_style(k), linestyle=":") if "training mode" in name else line_style(k)
        left.plot(batch_sizes, values, label=name, **style)
    left.axhline(1 / 3, color=GREY, lw=1, ls="--", label="chance (1/3)")
    left.set_xscale("log", base=2)
    left.set_xticks(batch_sizes, [str(n) for n in batch_sizes])
    left.set_xlabel("batch size N")
    left.set_ylabel("accuracy after training")
    left.set_ylim(0.25, 1.03)
    left.set_title("Test accuracy against batch size (eval mode unless marked)", fontsize=10)
    left.legend(fontsize=8)
    n = np.asarray(batch_sizes, dtype=float)
    for k, (name, values) in enumerate(noise.items()):
        right.plot(batch_sizes, values, label=name, **line_style(k))
    right.plot(n, 1 / np.sqrt(n), "--", color=GREY, label=r"$1/\sqrt{N}$")
    right.set_xscale("log", base=2)
    right.set_yscale("log")
    right.set_xticks(batch_sizes, [str(b) for b in batch_sizes])
    right.set_xlabel("batch size N")
    right.set_ylabel("spread across batches (population std = 1)")
    right.set_title("Noise of the batch statistics (first BatchNorm layer)", fontsize=10)
    right.legend(fontsize=8)
    return axes


def plot_init_scale_sweep(scales, accuracy, ax=None):
    """Final test accuracy against the standard deviation of the initial weights, one line per entry
    of ``accuracy`` (name -> list; NaN marks a run that diverged). Returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.8))
    for k, (name, values) in enumerate(accuracy.items()):
        values = np.asarray(values, dtype=float)
        ax.plot(scales, values, label=name, **line_style(k))
        diverged = np.isnan(values)
        if diverged.any():
            ax.plot(np.asarray(scales)[diverged], np.full(diverged.sum(), 1 / 3), "x", color=VERMILLION,
                    markersize=10, label=f"{name}: diverged")
    ax.axhline(1 / 3, color=GREY, lw=1, ls="--", label="chance (1/3)")
    ax.set_xscale("log")
    ax.set_xlabel("standard deviation of the initial weights")
    ax.set_ylabel("test accuracy after training")
    ax.set_ylim(0.25, 1.03)
    ax.set_title("Weight-initialization scale, with and without BatchNorm")
    ax.legend(fontsize=8)
    return ax


# ---------------------------------------------------------------- notebook 11: how noisy the batch statistics are

def plot_batch_statistics(means, stds, N, axes=None):
    r"""Histograms of batch means ``means`` and batch standard deviations ``stds`` (each the values of every
    feature in every batch of ``N`` rows, features of population mean 0 and standard deviation 1), on fixed
    axes so that batch sizes compare, with the population's value and :math:`1/\sqrt N` marked. Returns the
    axes."""
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(10, 3.4))
        fig.subplots_adjust(wspace=0.25, bottom=0.17)
    ax_mean, ax_std = axes
    ax_mean.hist(means, bins=np.linspace(-3, 3, 49), density=True, **bar_style(0), label=r"batch means $\mu_B$")
    grid = np.linspace(-3, 3, 301)
    ax_mean.plot(grid, np.exp(-0.5 * grid ** 2 * N) * np.sqrt(N / (2 * np.pi)), color=BLACK, ls="--", lw=1.2,
                 label=rf"normal, std $1/\sqrt{{N}}$ = {1 / np.sqrt(N):.2f}")
    ax_mean.axvline(0.0, color=GREY, lw=1, ls=":")
    ax_mean.set(xlim=(-3, 3), ylim=(0, 3.5), xlabel=r"batch mean $\mu_B$ (population mean 0)", ylabel="density",
                title=f"Batch means, N = {N}: spread {np.std(means):.2f}")
    ax_std.hist(stds, bins=np.linspace(0, 3, 49), density=True, **bar_style(1), label=r"batch std $\sigma_B$")
    ax_std.axvline(1.0, color=BLACK, lw=1.2, ls="--", label="population std 1")
    ax_std.set(xlim=(0, 3), ylim=(0, 5), xlabel=r"batch standard deviation $\sigma_B$ (population 1)",
               title=f"Batch standard deviations, N = {N}: mean {np.mean(stds):.2f}")
    for ax in axes:
        ax.legend(fontsize=8, loc="upper right")
    return axes


def describe_batch_statistics(means, stds, N):
    """The text alternative of :func:`plot_batch_statistics` for these numbers."""
    low, high = np.percentile(stds, [5, 95])
    return (f"Histograms over many batches of N = {N} rows, for features of mean 0 and standard deviation 1: "
            f"left, the batch means, spread with standard deviation {np.std(means):.2f} around 0 (1/√N = "
            f"{1 / np.sqrt(N):.2f}, the dashed normal curve); right, the batch standard deviations, 90 % of them "
            f"between {low:.2f} and {high:.2f}, averaging {np.mean(stds):.2f} against the population's 1 (dashed "
            "line). The smaller the batch, the wider both histograms: each batch normalizes with statistics "
            "that are off by that much.")
