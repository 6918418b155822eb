r"""The data sets of the notebooks: generated spirals (09-11).

Nothing is downloaded: a data set is generated here or read from a file shipped in this folder.
"""
import numpy as np

__all__ = ["spirals"]


def spirals(n_per_class, classes=3, noise=0.2, seed=0):
    r"""Points on ``classes`` interleaved spiral arms in 2-D, with angular noise; returns X (N, 2), y (N,).

    Arm k, point t: radius :math:`r_t` from 0.05 to 1, angle
    :math:`\theta_t = 4t/(n-1) + 2\pi k/\text{classes} + \text{noise}\cdot\mathcal N(0, 1)`,
    :math:`x = (r_t\cos\theta_t,\ r_t\sin\theta_t)`.
    """
    rng = np.random.default_rng(seed)
    X, y = [], []
    for k in range(classes):
        radius = np.linspace(0.05, 1.0, n_per_class)
        angle = np.linspace(0.0, 4.0, n_per_class) + 2 * np.pi * k / classes
        angle = angle + noise * rng.standard_normal(n_per_class)
        X.append(np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]))
        y.append(np.full(n_per_class, k))
    return np.vstack(X), np.concatenate(y)
