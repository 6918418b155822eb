r"""Figures of the course that need more than a few lines of matplotlib.

The only module of bnlib that imports matplotlib (the core stays NumPy only).

:func:`draw_batchnorm_graph` draws the forward pass of BatchNorm as the graph of
small nodes that :func:`bnlib.batchnorm_backward_staged` walks backwards::

    mu = mean(x)   xmu = x - mu   sq = xmu^2   var = mean(sq)   std = sqrt(var + eps)
    istd = 1/std   xhat = xmu * istd   gx = gamma * xhat   out = gx + beta
"""
import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch

__all__ = ["GRAPH_NODES", "GRAPH_EDGES", "draw_batchnorm_graph"]

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
