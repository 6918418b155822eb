"""The former name of :mod:`bnlib.posts` ("seeds" read like random seeds): every name it had, kept.

New code imports :mod:`bnlib.posts`. Here ``m`` is the number 4 of samples
(``bnlib.posts.BATCH_SIZE``), and ``CSV_PATH`` is the package data of :mod:`bnlib.posts`.
"""
from .posts import COLUMNS, POSTS, VERDICTS
from .posts.engine import (
    BATCH_SIZE as m,
    POINT,
    TRUE,
    Row,
    at_point,
    beta,
    dy,
    eps,
    finite_difference,
    gamma,
    loss,
    mu,
    s,
    same,
    std,
    var,
    x,
    xhat,
    y,
)
from .posts.csv_table import CSV_PATH, ROWS, csv_text, table

__all__ = [
    "m", "x", "dy", "gamma", "beta", "eps", "s", "mu", "var", "std", "xhat", "y", "loss",
    "TRUE", "POINT", "same", "at_point", "finite_difference",
    "Row", "ROWS", "POSTS", "COLUMNS", "VERDICTS", "table", "csv_text", "CSV_PATH",
]
