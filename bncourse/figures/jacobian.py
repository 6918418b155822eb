r"""The figure of notebook 10: the backward pass of one feature, m = 3, as a projection."""
import matplotlib.pyplot as plt
import numpy as np

from bnlib.jacobian import normalized_feature, projection_matrix

from .style import BLUISH_GREEN, GREY, ORANGE, REDDISH_PURPLE, SKY_BLUE, VERMILLION

__all__ = ["draw_projection_m3", "describe_projection_m3"]


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
    ax3.plot_surface(plane[..., 0], plane[..., 1], plane[..., 2], alpha=0.15, color=SKY_BLUE, shade=False)
    # each vector has its colour, its line style and its name in the legend
    vectors = [(np.ones(3), GREY, ":", r"$\mathbf{1}$"), (xhat, BLUISH_GREEN, "-", r"$\hat x$"),
               (dy, VERMILLION, (0, (7, 2)), r"$dy$"),
               (in_plane, ORANGE, "--", r"$dy-\overline{dy}\,\mathbf{1}$"),
               (projected, REDDISH_PURPLE, "-.", r"$P\,dy$")]
    for v, color, style, label in vectors:
        ax3.quiver(0, 0, 0, *v, color=color, linestyle=style, arrow_length_ratio=0.1, linewidth=2, label=label)
    ax3.plot(*np.column_stack([dy, in_plane]), ":", color=GREY)
    ax3.plot(*np.column_stack([in_plane, projected]), ":", color=GREY)
    ax3.view_init(elev=28, azim=-20)
    for set_lim in (ax3.set_xlim, ax3.set_ylim, ax3.set_zlim):
        set_lim(-0.8 * R, 0.8 * R)
    # 1 and x-hat (orthogonal) are named at their tips too; dy and its projections end close together
    for v, _, _, label in vectors[:2]:
        ax3.text(*(1.08 * v), label, color="black", fontsize=9)
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
                            (normal, "--", r"orthogonal to $\hat x$: where $P\,dy$ lies at $\epsilon=0$")):
        ax2.plot(*np.column_stack([-R * d, R * d]), style, color=GREY, lw=1, label=label)
    for v, color, style, label in vectors[1:]:
        if v is dy:
            continue
        ax2.annotate("", xy=to_plane(v), xytext=(0, 0),
                     arrowprops=dict(arrowstyle="-|>", color=color, lw=2, linestyle=style))
        ax2.annotate(label, xy=to_plane(v), xytext=(4, 4), textcoords="offset points", fontsize=9)
        ax2.plot([], [], color=color, lw=2, linestyle=style, label=label)
    ax2.plot(*np.column_stack([to_plane(in_plane), to_plane(projected)]), ":", color=GREY)
    ax2.set_xlim(-R, R)
    ax2.set_ylim(-R, R)
    ax2.set_aspect("equal")
    ax2.set_xlabel(r"$u=(1,-1,0)/\sqrt{2}$")
    ax2.set_ylabel(r"$v=(1,1,-2)/\sqrt{6}$")
    ax2.set_title(r"the plane face on ($\epsilon=%g$)" % eps, fontsize=10)
    ax2.legend(fontsize=8, loc="lower left")
    return axes


def describe_projection_m3(x, dy, eps=0.0):
    """The text alternative of :func:`draw_projection_m3` for these numbers: what the two panels show and,
    for eps > 0, how far P dy leaves the line orthogonal to xhat."""
    x, dy = np.asarray(x, dtype=float), np.asarray(dy, dtype=float)
    xhat, _ = normalized_feature(x, eps)
    projected = projection_matrix(xhat) @ dy
    var = x.var()
    delta = eps / (var + eps)
    along = abs(projected @ xhat) / (np.linalg.norm(projected) * np.linalg.norm(xhat))
    angle = np.degrees(np.arcsin(min(1.0, along)))
    text = (f"For one feature and a batch of 3, at eps = {eps:g}: left, in 3-D, the plane orthogonal to the vector "
            "of ones (shaded), which holds x̂, with dy, its projection dy − mean(dy)·1 onto the plane and P·dy, "
            "each named in the legend; right, the plane face on, where dy − mean(dy)·1 (dashed) loses its component "
            "along x̂ (solid grey line) and becomes P·dy (dash-dotted). ")
    if eps == 0:
        return text + ("P·dy lies on the dashed grey line orthogonal to x̂: the backward pass removes from dy its "
                       "mean and its component along x̂.")
    return text + (f"With δ = ε/(σ² + ε) = {delta:.2f}, x̂ is shorter (|x̂|² = {xhat @ xhat:.2f}, not 3) "
                   f"and P·dy keeps {100 * delta:.0f} % of the component along x̂: it leaves the dashed line "
                   f"orthogonal to x̂ by {angle:.0f} degrees.")
