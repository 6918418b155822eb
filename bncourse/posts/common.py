"""Equations that two posts print alike (post 004 repeats post 000's parameter gradients), written once."""
from .engine import MISSING_SUM, Row, dy, sum_over_samples, xhat


def parameter_gradient_rows(post, where, notes):
    r"""The four rows of dL/dbeta and dL/dgamma, each first with one sample's term, then with the sum.

    ``where`` gives the places of (dbeta first lines, dbeta, dgamma first line, dgamma);
    ``notes`` the post's own remark on (dbeta, dgamma) after the missing sum.
    """
    return [
        Row(post, where[0],
            r"\partial C/\partial\beta = \partial C/\partial y_i \cdot \partial(\gamma x_i + \beta)/\partial\beta",
            "wrong", r"\partial L/\partial\beta = \sum_i dy_i", f"{MISSING_SUM} {notes[0]}",
            "dbeta", lambda: dy[0] * 1),
        Row(post, where[1], r"\partial C/\partial\beta = \sum_{i=1}^m \partial C/\partial y_i",
            "correct", r"\sum_i dy_i", "", "dbeta", lambda: sum(dy)),
        Row(post, where[2],
            r"\partial C/\partial\gamma = \partial C/\partial(\gamma\hat x_i) \cdot "
            r"\partial(\gamma\hat x_i)/\partial\gamma",
            "wrong", r"\partial L/\partial\gamma = \sum_i dy_i \hat x_i", f"{MISSING_SUM} {notes[1]}",
            "dgamma", lambda: dy[0] * xhat[0]),
        Row(post, where[3], r"\partial C/\partial\gamma = \sum_{i=1}^m \partial C/\partial y_i \, \hat x_i",
            "correct", r"\sum_i dy_i \hat x_i", "", "dgamma",
            lambda: sum_over_samples(lambda k: dy[k] * xhat[k])),
    ]
