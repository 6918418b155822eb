r"""The figures of notebooks 02 and 04: the graph of small nodes and the three paths to x.

:func:`draw_batchnorm_graph` draws the forward pass of BatchNorm as the graph of
small nodes that :func:`bnlib.batchnorm_backward_staged` walks backwards::

    mu = mean(x)   xmu = x - mu   sq = xmu^2   var = mean(sq)   std = sqrt(var + eps)
    istd = 1/std   xhat = xmu * istd   gx = gamma * xhat   out = gx + beta
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyBboxPatch

from .style import BACKWARD_COLOR, BLUE, BLUISH_GREEN, FORWARD_COLOR, GREY, ORANGE, bar_style

__all__ = ["GRAPH_NODES", "GRAPH_EDGES", "draw_batchnorm_graph", "draw_gradient_paths", "plot_gradient_terms",
           "describe_gradient_terms"]


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
                             boxstyle="round,pad=0.02", facecolor="#EEEEEE" if is_input else "white",
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

    def arrow(a, b, path, width):
        colour, style = path
        ax.annotate("", xy=pos[b], xytext=pos[a], arrowprops=dict(
            arrowstyle="-|>", color=colour, lw=width, linestyle=style, shrinkA=16, shrinkB=16))

    # each path has its colour and its line style: solid, dashed, dotted
    direct, through_var, through_mu = (BLUE, "-"), (ORANGE, "--"), (BLUISH_GREEN, ":")
    arrow("x", "xhat1", direct, 2.6)
    arrow("x", "var", through_var, 2.6)
    arrow("x", "mu", through_mu, 2.6)
    arrow("mu", "var", through_mu, 1.4)
    for h in ("xhat0", "xhat1", "xhat3"):
        arrow("var", h, through_var, 1.0)
        arrow("mu", h, through_mu, 1.0)
        arrow(h, "L", (GREY, "-"), 1.0)
    for name, (px, py) in pos.items():
        ax.text(px, py, PATH_LABELS[name], ha="center", va="center", fontsize=15,
                bbox=dict(boxstyle="round,pad=0.35", fc="white", ec="0.3"))
    for (colour, style), text in ((direct, r"direct (solid): $\partial\hat x_i/\partial x_i$"),
                                  (through_var, r"through $\sigma_B^2$ (dashed): feeds every $\hat x_j$"),
                                  (through_mu, r"through $\mu_B$ (dotted): feeds every $\hat x_j$ and $\sigma_B^2$")):
        ax.plot([], [], color=colour, lw=2.6, linestyle=style, label=text)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, -0.22), ncol=1, frameon=False, fontsize=10)
    ax.set_xlim(-0.08, 1.08)
    ax.set_ylim(-0.05, 1.05)
    ax.axis("off")
    ax.set_title(r"The three paths from one input $x_i$ to the loss")
    return ax


def plot_gradient_terms(x, terms, total, ax=None, moved=None, ylim=None):
    r"""Bars of each term of :math:`\partial L/\partial x_i` (``terms``: name -> (m, 1) array) and dots of
    their sum ``total``, sample by sample, the samples ``x`` (m, 1) sorted; the sample of index ``moved``
    (if any) is marked "the one that moves" under its value; ``ylim`` fixes the vertical axis (so that pictures of
    several batches compare). Returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(9.5, 4))
    order = np.argsort(x[:, 0])
    positions = np.arange(len(order))
    width = 0.8 / len(terms)
    shifts = width * (np.arange(len(terms)) - (len(terms) - 1) / 2)
    for k, (shift, (name, value)) in enumerate(zip(shifts, terms.items())):
        ax.bar(positions + shift, value[order, 0], width, label=name, **bar_style(k))
    ax.plot(positions, total[order, 0], "o", color="black", label=r"$\partial L/\partial x_i$ (sum)")
    ax.axhline(0.0, color=GREY, lw=0.8)
    labels = [f"{np.round(x[i, 0], 2) + 0.0:.2f}" + ("\n(the one\nthat moves)" if i == moved else "") for i in order]
    ax.set_xticks(positions, labels)
    ax.set_xlabel(r"sample $x_i$ (sorted)")
    ax.set_ylabel("contribution to the gradient")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_title(r"The terms of $\partial L/\partial x_i$ for one feature")
    ax.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax


def describe_gradient_terms(x, terms, total, moved=None, shift=0.0):
    """The text alternative of :func:`plot_gradient_terms` for these numbers (``terms`` in the order direct,
    through the variance, through the mean); with ``moved``, the sample that was moved by ``shift``."""
    x, total = np.asarray(x)[:, 0], np.asarray(total)[:, 0]
    direct, variance, mean = (np.asarray(v)[:, 0] for v in terms.values())
    low, high = np.argmin(x), np.argmax(x)
    where = "" if moved is None or shift == 0 else f" (the largest moved by {shift:+g})"
    text = (f"For {len(x)} samples of one feature, sorted from {x[low]:.2f} to {x[high]:.2f}{where}, the three terms "
            "of dL/dx_i as bars (direct plain, through the variance hatched, through the mean dotted) and their "
            f"sum as dots. The term through the mean is the same for every sample ({mean[0]:.2f}); the term through "
            f"the variance goes from {variance[low]:+.2f} at the smallest sample to {variance[high]:+.2f} at the "
            f"largest; the sums lie between {total.min():.2f} and {total.max():.2f}")
    if moved is not None:
        xhat = (x - x.mean()) / x.std()
        others = np.delete(xhat, moved)
        text += (f". The largest sample's x̂ is {xhat[moved]:.2f} (at most √{len(x) - 1} = {np.sqrt(len(x) - 1):.2f}), "
                 f"the others' between {others.min():.2f} and {others.max():.2f}")
    return text + "."
