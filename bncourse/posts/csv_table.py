"""The table of the five posts: every row, in the order of the posts, and its CSV text."""
import csv
import io
from importlib import resources

from . import COLUMNS, CSV_NAME, post000, post001, post002, post003, post004

__all__ = ["ROWS", "table", "csv_text", "CSV_PATH", "write_csv"]

ROWS = post000.ROWS + post001.ROWS + post002.ROWS + post003.ROWS + post004.ROWS

#: Where the table is committed (package data; a file in an installed or editable package).
CSV_PATH = resources.files("bncourse.posts").joinpath("data", CSV_NAME)


def table():
    """The table of every checked equation and claim, one dict per row, in the order of the posts."""
    return [row.record() for row in ROWS]


def csv_text():
    """:func:`table` as CSV text, exactly as it is committed."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table())
    return out.getvalue()


def write_csv(path=None):
    """Write :func:`csv_text` to ``path`` (default: the package data); return the number of rows."""
    path = CSV_PATH if path is None else path
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(csv_text())
    return len(ROWS)
