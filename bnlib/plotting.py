r"""Figures of the course that need more than a few lines of matplotlib.

The only module of bnlib that imports matplotlib (the core stays NumPy only).

:func:`draw_projection_m3` draws the backward pass of one feature, m = 3, as a projection
(notebook 10); :func:`plot_batch_size_sweep` and :func:`plot_init_scale_sweep` the results of the
training sweeps of notebook 11. The figures of notebooks 01, 04, 07, 08 and 09 follow, one function
each, so that a figure cell is one call: the notebook keeps the computation, this module the drawing.
:func:`plot_contributions` (03), :func:`plot_backward_times` and :func:`plot_speedup` (05),
:func:`plot_conv_statistics` and :func:`plot_verdicts` (06) likewise.
:func:`draw_normalization_grids` (notebook 07) shows which elements share one mean and variance in
BatchNorm, LayerNorm, InstanceNorm and GroupNorm (:func:`statistic_groups`).

:func:`draw_batchnorm_graph` draws the forward pass of BatchNorm as the graph of
small nodes that :func:`bnlib.batchnorm_backward_staged` walks backwards::

    mu = mean(x)   xmu = x - mu   sq = xmu^2   var = mean(sq)   std = sqrt(var + eps)
    istd = 1/std   xhat = xmu * istd   gx = gamma * xhat   out = gx + beta
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyBboxPatch

__all__ = ["GRAPH_NODES", "GRAPH_EDGES", "draw_batchnorm_graph", "draw_projection_m3",
           "plot_batch_size_sweep", "plot_init_scale_sweep", "plot_before_after", "plot_eps_shrink",
           "plot_variance_errors", "draw_gradient_paths", "plot_gradient_terms", "plot_channel_columns",
           "statistic_groups", "draw_normalization_grids", "plot_running_variance", "plot_jacobians",
           "plot_spirals", "plot_curves", "plot_preactivation_histograms", "plot_gradient_norms",
           "plot_learning_rate_sweep", "plot_contributions", "plot_backward_times", "plot_speedup",
           "plot_conv_statistics", "plot_verdicts"]

# name: (centre x, centre y, half width, label in mathtext)
GRAPH_NODES = {
    "x": (0.0, 0.0, 0.45, r"$x$"),
    "mu": (1.7, 1.5, 0.8, r"$\mu=\frac{1}{m}\sum_i x_i$"),
    "xmu": (3.4, 0.0, 0.75, r"$xmu=x-\mu$"),
    "sq": (5.1, 1.5, 0.7, r"$sq=xmu^2$"),
    "var": (7.9, 1.5, 0.95, r"$var=\frac{1}{m}\sum_i sq_i$"),
    "std": (10.8, 1.5, 0.95, r"$std=\sqrt{var+\epsilon}$"),
    "istd": (13.6, 1.5, 0.8, r"$istd=1/std$"),
    "xhat": (13.6, 0.0, 0.95, r"$\hat x=xmu\cdot istd$"),
    "gamma": (15.7, -1.5, 0.45, r"$\gamma$"),
    "gx": (15.7, 0.0, 0.5, r"$\gamma\hat x$"),
    "beta": (17.7, -1.5, 0.45, r"$\beta$"),
    "out": (17.7, 0.0, 0.85, r"$y=\gamma\hat x+\beta$"),
}
HALF_HEIGHT = 0.33

# (from, to, local derivative d to / d from, as mathtext)
GRAPH_EDGES = [
    ("x", "mu", r"$\frac{1}{m}$"),
    ("x", "xmu", r"$1$"),
    ("mu", "xmu", r"$-1$"),
    ("xmu", "sq", r"$2\,xmu$"),
    ("sq", "var", r"$\frac{1}{m}$"),
    ("var", "std", r"$\frac{1}{2\,std}$"),
    ("std", "istd", r"$-\frac{1}{std^2}$"),
    ("istd", "xhat", r"$xmu$"),
    ("xmu", "xhat", r"$istd$"),
    ("xhat", "gx", r"$\gamma$"),
    ("gamma", "gx", r"$\hat x$"),
    ("gx", "out", r"$1$"),
    ("beta", "out", r"$1$"),
]

FORWARD_COLOR = "#2b5d8a"
BACKWARD_COLOR = "#c0392b"
SHARED = ("x", "xmu")   # values used by two nodes: their gradients add up


def box_edge(node, toward, gap=0.06):
    """The point where the line from ``node``'s centre toward ``toward`` leaves its box."""
    cx, cy, half_w, _ = GRAPH_NODES[node]
    tx, ty = GRAPH_NODES[toward][:2]
    dx, dy = tx - cx, ty - cy
    t = min(half_w / abs(dx) if dx else float("inf"), HALF_HEIGHT / abs(dy) if dy else float("inf"))
    length = (dx * dx + dy * dy) ** 0.5
    t += gap / length
    return cx + t * dx, cy + t * dy


def draw_batchnorm_graph(ax=None, backward=False):
    """Draw the computational graph of the BatchNorm forward pass; return the axes.

    With ``backward=True`` the arrows point the other way (the gradient flows
    from the loss back to x), each labelled with its local derivative, and the
    two values that feed two nodes (x and xmu), where incoming gradients are
    summed, are marked with a sum sign.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(16, 3.8))
    color = BACKWARD_COLOR if backward else FORWARD_COLOR
    for name, (cx, cy, half_w, label) in GRAPH_NODES.items():
        is_input = name in ("x", "gamma", "beta")
        box = FancyBboxPatch((cx - half_w, cy - HALF_HEIGHT), 2 * half_w, 2 * HALF_HEIGHT,
                             boxstyle="round,pad=0.02", facecolor="#eef3f8" if is_input else "white",
                             edgecolor=FORWARD_COLOR, linewidth=1.4)
        ax.add_patch(box)
        ax.text(cx, cy, label, ha="center", va="center", fontsize=11)
        if backward and name in SHARED:
            ax.text(cx, cy - HALF_HEIGHT - 0.3, r"$\Sigma$", color=BACKWARD_COLOR, fontsize=15,
                    ha="center", va="center")
    for src, dst, local in GRAPH_EDGES:
        a, b = box_edge(src, dst), box_edge(dst, src)
        start, end = (b, a) if backward else (a, b)
        ax.annotate("", xy=end, xytext=start,
                    arrowprops=dict(arrowstyle="-|>", color=color, lw=1.6, shrinkA=0, shrinkB=0))
        if backward:
            mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
            ax.text(mx, my, local, color=BACKWARD_COLOR, fontsize=11, ha="center", va="center",
                    bbox=dict(facecolor="white", edgecolor="none", pad=1.0))
    ax.set_xlim(-0.7, 18.8)
    ax.set_ylim(-2.1, 2.1)
    ax.set_aspect("equal")
    ax.axis("off")
    if backward:
        ax.set_title("Backward: the gradient flows from y back to x; each arrow multiplies it by its "
                     "local derivative; at $\\Sigma$ the branches add up")
    else:
        ax.set_title("The BatchNorm forward pass as a graph of small nodes (one feature)")
    return ax


# ---------------------------------------------------------------- notebook 10: the projection, m = 3

# an orthonormal basis of the plane orthogonal to 1 = (1, 1, 1)
PLANE_U = np.array([1.0, -1.0, 0.0]) / np.sqrt(2)
PLANE_V = np.array([1.0, 1.0, -2.0]) / np.sqrt(6)


def draw_projection_m3(x, dy, eps=0.0, axes=None):
    r"""Draw, for one feature and a batch of m = 3, dy and :math:`P\,dy` (notebook 10); return the axes.

    :math:`P = I - \frac13\mathbf 1\mathbf 1^\top - \frac13\hat x\hat x^\top`. Left, in 3-D: the
    plane orthogonal to :math:`\mathbf 1`, which holds :math:`\hat x`; dy; its projection onto the
    plane, :math:`dy-\overline{dy}\,\mathbf 1`; and :math:`P\,dy`, which also lost its component
    along :math:`\hat x`. Right: the same plane seen face on, where :math:`P\,dy` lies on the line
    orthogonal to :math:`\hat x` (exactly when eps = 0).
    """
    from .jacobian import normalized_feature, projection_matrix

    x, dy = np.asarray(x, dtype=float), np.asarray(dy, dtype=float)
    if x.shape != (3,) or dy.shape != (3,):
        raise ValueError(f"x and dy must have shape (3,), one feature of a batch of 3; got {x.shape}, {dy.shape}")
    xhat, _ = normalized_feature(x, eps)
    in_plane = dy - dy.mean()
    projected = projection_matrix(xhat) @ dy
    if axes is None:
        fig = plt.figure(figsize=(12, 5))
        axes = (fig.add_subplot(1, 2, 1, projection="3d"), fig.add_subplot(1, 2, 2))
        fig.subplots_adjust(wspace=0.3)
    ax3, ax2 = axes
    # left: the plane and the vectors in 3-D
    R = 1.2 * max(np.linalg.norm(dy), np.linalg.norm(xhat))
    a, b = np.meshgrid(np.linspace(-R, R, 2), np.linspace(-R, R, 2))
    plane = a[..., None] * PLANE_U + b[..., None] * PLANE_V
    ax3.plot_surface(plane[..., 0], plane[..., 1], plane[..., 2], alpha=0.15, color="C0")
    vectors = [(np.ones(3), "gray", r"$\mathbf{1}$"), (xhat, "C2", r"$\hat x$"), (dy, "C3", r"$dy$"),
               (in_plane, "C1", r"$dy-\overline{dy}\,\mathbf{1}$"), (projected, "C4", r"$P\,dy$")]
    for v, color, label in vectors:
        ax3.quiver(0, 0, 0, *v, color=color, arrow_length_ratio=0.1, linewidth=2, label=label)
    ax3.plot(*np.column_stack([dy, in_plane]), ":", color="gray")
    ax3.plot(*np.column_stack([in_plane, projected]), ":", color="gray")
    ax3.view_init(elev=28, azim=-20)
    for set_lim in (ax3.set_xlim, ax3.set_ylim, ax3.set_zlim):
        set_lim(-0.8 * R, 0.8 * R)
    ax3.set_xlabel("sample 1")
    ax3.set_ylabel("sample 2")
    ax3.set_zlabel("sample 3")
    ax3.set_title(r"$\mathbb{R}^3$: the plane orthogonal to $\mathbf{1}$", fontsize=10)
    ax3.legend(fontsize=8, loc="upper left")
    # right: the plane face on
    to_plane = lambda v: (v @ PLANE_U, v @ PLANE_V)
    direction = np.array(to_plane(xhat)) / np.linalg.norm(to_plane(xhat))
    normal = np.array([-direction[1], direction[0]])
    for d, style, label in ((direction, "-", r"direction of $\hat x$"),
                            (normal, "--", r"orthogonal to $\hat x$: where $P\,dy$ lies")):
        ax2.plot(*np.column_stack([-R * d, R * d]), style, color="gray", lw=1, label=label)
    for v, color, label in vectors[1:]:
        if v is dy:
            continue
        ax2.annotate("", xy=to_plane(v), xytext=(0, 0),
                     arrowprops=dict(arrowstyle="-|>", color=color, lw=2))
        ax2.plot([], [], color=color, lw=2, label=label)
    ax2.plot(*np.column_stack([to_plane(in_plane), to_plane(projected)]), ":", color="gray")
    ax2.set_xlim(-R, R)
    ax2.set_ylim(-R, R)
    ax2.set_aspect("equal")
    ax2.set_xlabel(r"$u=(1,-1,0)/\sqrt{2}$")
    ax2.set_ylabel(r"$v=(1,1,-2)/\sqrt{6}$")
    ax2.set_title(r"the plane face on ($\epsilon=%g$)" % eps, fontsize=10)
    ax2.legend(fontsize=8, loc="lower left")
    return axes


# ---------------------------------------------------------------- notebook 11: the sweeps

def plot_batch_size_sweep(batch_sizes, accuracy, noise, axes=None):
    """Left: final test accuracy against batch size, one line per entry of ``accuracy`` (name -> list).
    Right: the noise of the batch statistics, ``noise`` (name -> list), with the 1/sqrt(N) law.
    Returns the axes."""
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
        fig.subplots_adjust(wspace=0.3)
    left, right = axes
    for (name, values), marker in zip(accuracy.items(), "osD^v"):
        style = ":" if "training mode" in name else "-"
        left.plot(batch_sizes, values, style, marker=marker, label=name)
    left.axhline(1 / 3, color="gray", lw=1, ls="--", label="chance (1/3)")
    left.set_xscale("log", base=2)
    left.set_xticks(batch_sizes, [str(n) for n in batch_sizes])
    left.set_xlabel("batch size N")
    left.set_ylabel("accuracy after training")
    left.set_ylim(0.25, 1.03)
    left.set_title("Test accuracy against batch size (eval mode unless marked)", fontsize=10)
    left.legend(fontsize=8)
    n = np.asarray(batch_sizes, dtype=float)
    for (name, values), marker in zip(noise.items(), "os"):
        right.plot(batch_sizes, values, marker=marker, label=name)
    right.plot(n, 1 / np.sqrt(n), "--", color="gray", label=r"$1/\sqrt{N}$")
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
    for (name, values), marker in zip(accuracy.items(), "os"):
        values = np.asarray(values, dtype=float)
        ax.plot(scales, values, marker=marker, label=name)
        diverged = np.isnan(values)
        if diverged.any():
            ax.plot(np.asarray(scales)[diverged], np.full(diverged.sum(), 1 / 3), "x", color="C3",
                    markersize=10, label=f"{name}: diverged")
    ax.axhline(1 / 3, color="gray", lw=1, ls="--", label="chance (1/3)")
    ax.set_xscale("log")
    ax.set_xlabel("standard deviation of the initial weights")
    ax.set_ylabel("test accuracy after training")
    ax.set_ylim(0.25, 1.03)
    ax.set_title("Weight-initialization scale, with and without BatchNorm")
    ax.legend(fontsize=8)
    return ax


# ---------------------------------------------------------------- notebook 01: the forward pass

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
    for e, curve in shrink.items():
        ax.semilogx(variances, curve, label=f"eps = {e:g}")
    ax.axhline(1.0, color="gray", lw=0.8, ls=":")
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
    ax.loglog(offsets, np.maximum(err_one, 1e-17), "o-", label="one pass: E[x²] − E[x]²")
    ax.loglog(offsets, np.maximum(err_two, 1e-17), "s-", label="two passes: mean of (x − μ)²")
    ax.set_xlabel("mean of the feature (its spread is 1)")
    ax.set_ylabel("relative error of the variance")
    ax.set_title("Catastrophic cancellation: the one-pass variance loses every digit")
    ax.legend()
    return ax


# ---------------------------------------------------------------- notebook 04: the three paths

PATH_POSITIONS = {"x": (0.0, 0.5), "mu": (0.38, 0.9), "var": (0.38, 0.1), "L": (1.0, 0.5),
                  "xhat0": (0.72, 0.9), "xhat1": (0.72, 0.63), "xhat2": (0.72, 0.37), "xhat3": (0.72, 0.1)}
PATH_LABELS = {"x": r"$x_i$", "mu": r"$\mu_B$", "var": r"$\sigma_B^2$", "L": r"$L$",
               "xhat0": r"$\hat x_1$", "xhat1": r"$\hat x_i$", "xhat2": r"$\vdots$", "xhat3": r"$\hat x_m$"}


def draw_gradient_paths(ax=None):
    r"""The three paths from one input :math:`x_i` to the loss (notebook 04):

    .. math:: \frac{\partial L}{\partial x_i} = \underbrace{\frac{\partial L}{\partial\hat x_i}
       \frac{\partial\hat x_i}{\partial x_i}}_{\text{direct}}
       + \frac{\partial L}{\partial\sigma_B^2}\frac{\partial\sigma_B^2}{\partial x_i}
       + \frac{\partial L}{\partial\mu_B}\frac{\partial\mu_B}{\partial x_i}

    Returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.6))
    pos = PATH_POSITIONS

    def arrow(a, b, colour, width):
        ax.annotate("", xy=pos[b], xytext=pos[a], arrowprops=dict(
            arrowstyle="-|>", color=colour, lw=width, shrinkA=16, shrinkB=16))

    direct, through_var, through_mu = "C0", "C1", "C2"
    arrow("x", "xhat1", direct, 2.6)
    arrow("x", "var", through_var, 2.6)
    arrow("x", "mu", through_mu, 2.6)
    arrow("mu", "var", through_mu, 1.4)
    for h in ("xhat0", "xhat1", "xhat3"):
        arrow("var", h, through_var, 1.0)
        arrow("mu", h, through_mu, 1.0)
        arrow(h, "L", "0.4", 1.0)
    for name, (px, py) in pos.items():
        ax.text(px, py, PATH_LABELS[name], ha="center", va="center", fontsize=15,
                bbox=dict(boxstyle="round,pad=0.35", fc="white", ec="0.3"))
    for colour, text in ((direct, r"direct: $\partial\hat x_i/\partial x_i$"),
                         (through_var, r"through $\sigma_B^2$: feeds every $\hat x_j$"),
                         (through_mu, r"through $\mu_B$: feeds every $\hat x_j$ and $\sigma_B^2$")):
        ax.plot([], [], color=colour, lw=2.6, label=text)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, -0.22), ncol=1, frameon=False, fontsize=10)
    ax.set_xlim(-0.08, 1.08)
    ax.set_ylim(-0.05, 1.05)
    ax.axis("off")
    ax.set_title(r"The three paths from one input $x_i$ to the loss")
    return ax


def plot_gradient_terms(x, terms, total, ax=None):
    r"""Bars of each term of :math:`\partial L/\partial x_i` (``terms``: name -> (m, 1) array) and dots of
    their sum ``total``, sample by sample, the samples ``x`` (m, 1) sorted. Returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(9.5, 4))
    order = np.argsort(x[:, 0])
    positions = np.arange(len(order))
    width = 0.8 / len(terms)
    for shift, (name, value) in zip(width * (np.arange(len(terms)) - (len(terms) - 1) / 2), terms.items()):
        ax.bar(positions + shift, value[order, 0], width, label=name)
    ax.plot(positions, total[order, 0], "ko", label=r"$\partial L/\partial x_i$ (sum)")
    ax.axhline(0.0, color="0.5", lw=0.8)
    ax.set_xticks(positions, [f"{np.round(v, 2) + 0.0:.2f}" for v in x[order, 0]])
    ax.set_xlabel(r"sample $x_i$ (sorted)")
    ax.set_ylabel("contribution to the gradient")
    ax.set_title(r"The terms of $\partial L/\partial x_i$ for one feature")
    ax.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax


# ---------------------------------------------------------------- notebook 07: which elements share a mean

def plot_channel_columns(panels):
    """Side by side, each (grid, title) of ``panels``: a 2-D array whose entries are channel numbers,
    drawn one colour per channel. Returns the axes."""
    fig, axes = plt.subplots(1, len(panels), figsize=(3.5 * len(panels), 5), sharey=True)
    for ax, (grid, title) in zip(axes, panels):
        ax.imshow(grid, cmap="tab10", vmin=0, vmax=9, aspect="auto")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("column of the 2-D array (the 'feature')")
        ax.set_xticks(range(grid.shape[1]))
    axes[0].set_ylabel("row of the 2-D array (n, h, w)")
    fig.suptitle("Which channel each element of the (N*H*W, C) array comes from (colour = channel)")
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
    a strip of its H*W positions. The elements behind one mean and variance are blue; the others are
    shaded by the statistic they belong to (:func:`statistic_groups`), and thick lines separate the
    channels. Returns the axes."""
    fig, axes = plt.subplots(len(kinds), 1, figsize=(8, 1.9 * len(kinds) + 0.6), squeeze=False)
    for ax, kind in zip(axes[:, 0], kinds):
        ids = statistic_groups(kind, N, C, HW, G).reshape(N, C * HW)
        # a checkerboard over the statistics: neighbouring sets get different shades of grey
        across = np.unique(ids[0], return_inverse=True)[1].reshape(1, -1)
        down = np.arange(N).reshape(-1, 1) * (ids[-1, 0] != ids[0, 0])
        rgb = np.where(((across + down) % 2 == 0)[..., None], [0.93, 0.93, 0.93], [0.80, 0.80, 0.80])
        rgb[ids == ids[0, 0]] = [0.12, 0.47, 0.71]
        ax.imshow(rgb, aspect="equal", extent=(0, C * HW, N, 0))
        for col in range(C * HW + 1):
            ax.axvline(col, color="k" if col % HW == 0 else "white", lw=1.6 if col % HW == 0 else 0.6)
        for row in range(N + 1):
            ax.axhline(row, color="k", lw=1.6)
        ax.set_xticks(np.arange(C) * HW + HW / 2, [f"c = {c + 1}" for c in range(C)], fontsize=8)
        ax.set_yticks(np.arange(N) + 0.5, [f"n = {n + 1}" for n in range(N)], fontsize=8)
        ax.tick_params(length=0)
        ax.set_title(NORMALIZATION_TITLES[kind].format(G=G), fontsize=10, loc="left")
    axes[-1, 0].set_xlabel(f"channels C, each a strip of its H·W = {HW} positions")
    fig.suptitle("The elements behind one mean and variance (blue); grey shades: the other statistics")
    fig.tight_layout()
    return axes[:, 0]


# ---------------------------------------------------------------- notebook 08: train and eval mode

def plot_running_variance(trace_unbiased, trace_biased, m, momentum, population_var=4.0, ax=None):
    r"""Two running averages of the batch variance over the training steps, with the population
    variance :math:`\sigma^2` and the biased batch variance's expectation :math:`\frac{m-1}{m}\sigma^2`.
    Returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    ax.plot(trace_unbiased, label="average of the unbiased variance (PyTorch)")
    ax.plot(trace_biased, label="average of the biased variance")
    ax.axhline(population_var, color="k", ls="--", lw=1, label=rf"population $\sigma^2 = {population_var:g}$")
    ax.axhline((m - 1) / m * population_var, color="gray", ls=":", lw=1,
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
        image = ax.imshow(jac, cmap="RdBu_r", vmin=-limit, vmax=limit)
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
    for k, marker in zip(np.unique(y), "o^sDv"):
        ax.scatter(*X[y == k].T, s=10, marker=marker, label=f"class {k}")
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
    for name, values in curves.items():
        ax.plot(range(1, len(values) + 1), values, label=name)
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
            for epoch in snapshots:
                ax.hist(preacts[name][epoch][layer].ravel(), bins=40, range=value_range, histtype="step",
                        density=True, label=f"epoch {epoch}")
            ax.set_title(f"{name}, hidden layer {layer + 1}", fontsize=9)
            ax.set_xlabel("pre-activation (ReLU input)")
        axes[row, 0].set_ylabel("density")
    axes[0, -1].legend(fontsize=8)
    fig.suptitle("Distribution of the ReLU inputs over training")
    fig.tight_layout()
    return axes


def plot_gradient_norms(grad_norms, ax=None):
    r"""The norm :math:`\|\partial L/\partial W\|` per epoch and layer: ``grad_norms`` maps a run name to
    an (epochs, layers) array; the first run solid, the second dashed, one colour per layer.
    Returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.8))
    for (name, norms), style in zip(grad_norms.items(), ("-", "--", ":")):
        for layer in range(norms.shape[1]):
            ax.plot(range(1, norms.shape[0] + 1), norms[:, layer], style, color=f"C{layer}",
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
    for (name, values), marker in zip(accuracy.items(), "os"):
        ax.plot(learning_rates, values, marker=marker, label=name)
    ax.axhline(0.9, color="gray", ls=":", lw=1, label="0.9: 'trains'")
    ax.set_xscale("log")
    ax.set_xlabel("learning rate")
    ax.set_ylabel("test accuracy after 30 epochs")
    ax.set_title("Which learning rates train?")
    ax.legend()
    return ax


def plot_contributions(contrib, total, numeric, ax=None):
    r"""Notebook 03: :math:`\partial L/\partial\gamma = \sum_i dy_i\hat x_i` for one feature, as a waterfall.

    One bar per row i, stacked where the previous one ended, blue for a positive contribution
    :math:`dy_i\hat x_i`, red for a negative one; then their sum (``total``) and, as a star, the
    finite-difference value ``numeric``.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.2))
    N = len(contrib)
    running = np.concatenate([[0.0], np.cumsum(contrib)])
    rows = np.arange(1, N + 1)
    for sign, color, name in [(1, "#2b5d8a", "positive"), (-1, "#c0392b", "negative")]:
        pick = np.sign(contrib) == sign
        ax.bar(rows[pick], contrib[pick], bottom=running[:-1][pick], color=color, width=0.6,
               label=rf"{name} contribution $dy_i\,\hat x_i$ of row $i$")
    ax.hlines(running[1:], rows + 0.3, np.append(rows[1:], N + 1.2) - 0.3, color="gray", lw=0.8)
    ax.bar(N + 1.2, total, color="#555555", width=0.6, label=r"their sum: $\partial L/\partial\gamma$")
    ax.plot(N + 1.2, numeric, "k*", markersize=14, label="finite differences")
    ax.axhline(0, color="gray", lw=0.8)
    low, high = min(running.min(), 0.0), max(running.max(), 0.0)
    ax.set_ylim(low - 0.15 * (high - low), high + 0.15 * (high - low))
    ax.set_xticks(list(rows) + [N + 1.2], [f"i={i}" for i in rows] + ["sum"])
    ax.set_xlabel("row of the batch (bars stacked: each starts where the previous one ended)")
    ax.set_ylabel(r"$\partial L/\partial\gamma$, feature 1")
    ax.set_title(r"$\gamma$ is shared by all rows: its gradient is the sum of their contributions")
    ax.legend(loc="lower left", fontsize=9)
    return ax


def plot_backward_times(size, t_staged, t_compact, t_pass, ax=None):
    """Notebook 05: time per call of the staged and the compact backward pass against N*D, log-log,
    with one pass over memory (``np.add(a, b, out=c)``) and a line of slope 1 for reference."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    ax.loglog(size, np.asarray(t_staged) * 1e3, "o-", label="staged (node by node)")
    ax.loglog(size, np.asarray(t_compact) * 1e3, "s-", label="compact (one formula)")
    ax.loglog(size, np.asarray(t_pass) * 1e3, "^--", color="0.5", label="one pass over memory: np.add(a, b, out=c)")
    ax.loglog(size, t_compact[-1] * 1e3 * np.asarray(size) / size[-1], ":", color="k", lw=1,
              label="slope 1 (linear cost)")
    ax.set_xlabel(r"entries in the batch, $N\cdot D$")
    ax.set_ylabel("time per call (ms, best of several)")
    ax.set_title("Backward pass: time grows linearly with the batch")
    ax.legend(fontsize=9)
    return ax


def plot_speedup(size, ratio, claim=(2, 4), ax=None):
    """Notebook 05: the measured speed-up (staged time / compact time) against N*D, with the band
    of the post's claim."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    ax.axhspan(*claim, color="C2", alpha=0.15, label=f'the post\'s claim: "{claim[0]} to {claim[1]} times faster"')
    ax.semilogx(size, ratio, "o-", color="C3", label="measured: staged time / compact time")
    ax.axhline(1, color="0.5", lw=0.8)
    ax.set_ylim(0, max(5, np.max(ratio) * 1.1))
    ax.set_xlabel(r"entries in the batch, $N\cdot D$")
    ax.set_ylabel("speed-up of the compact form")
    ax.set_title("How much faster is the one formula?")
    ax.legend(fontsize=9, loc="upper left")
    return ax


def plot_conv_statistics(image, per_channel, per_activation):
    """Notebook 06: an image and its two normalizations, per channel (over N, H, W) and per activation
    (the flattened reshape); the two outputs share one colour scale symmetric about 0, each panel has
    a colourbar."""
    limit = np.abs(per_channel).max()
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.4))
    symmetric = dict(cmap="RdBu_r", vmin=-limit, vmax=limit)
    panels = [(image, "input (N = 1, one channel)", dict(cmap="viridis")),
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


def plot_verdicts(counts, posts, verdicts, colours, ax=None):
    """Notebook 06: the verdicts per post as stacked horizontal bars; ``counts[post, verdict]``."""
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.2))
    left = np.zeros(len(posts))
    for v in verdicts:
        widths = np.array([counts[p, v] for p in posts])
        ax.barh(list(posts), widths, left=left, color=colours[v], label=v)
        left += widths
    ax.invert_yaxis()
    ax.set_xlabel("equations and claims checked")
    ax.set_ylabel("post")
    ax.set_title("Verdicts per post")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.figure.tight_layout()
    return ax
