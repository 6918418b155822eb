r"""Figures of the course that need more than a few lines of matplotlib.

The only module of bnlib that imports matplotlib (the core stays NumPy only).

:func:`draw_projection_m3` draws the backward pass of one feature, m = 3, as a projection
(notebook 10); :func:`plot_sweep` the results of the training sweeps of notebook 11.

:func:`draw_batchnorm_graph` draws the forward pass of BatchNorm as the graph of
small nodes that :func:`bnlib.batchnorm_backward_staged` walks backwards::

    mu = mean(x)   xmu = x - mu   sq = xmu^2   var = mean(sq)   std = sqrt(var + eps)
    istd = 1/std   xhat = xmu * istd   gx = gamma * xhat   out = gx + beta
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyBboxPatch

__all__ = ["GRAPH_NODES", "GRAPH_EDGES", "draw_batchnorm_graph", "draw_projection_m3", "plot_batch_size_sweep",
           "plot_init_scale_sweep"]

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
