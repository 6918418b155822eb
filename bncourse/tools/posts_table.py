"""The table of the five posts: check that the committed CSV is up to date, or write it again.

    python -m bncourse.tools.posts_table            # exit 1 when bncourse/posts/data/equations.csv is out of date
    python -m bncourse.tools.posts_table --write    # prove the derivation, then write the CSV (`make posts`)
"""
import argparse
import sys

from bncourse.posts import csv_table as table, engine


def main(argv=None):
    parser = argparse.ArgumentParser(description="Check (or write) the table of the five posts.")
    parser.add_argument("--write", action="store_true", help="write the CSV into the package data")
    args = parser.parse_args(argv)
    if not engine.prove_derivation():
        print("the three-path derivation does not reproduce dL/dx: bncourse.posts.engine is broken")
        return 2
    path = table.CSV_PATH
    if args.write:
        print(f"wrote {table.write_csv()} rows to {path}")
        return 0
    if path.read_text(encoding="utf-8") != table.csv_text():
        print(f"{path} is out of date: run `make posts`")
        return 1
    print(f"{path.name} is up to date ({len(table.ROWS)} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
