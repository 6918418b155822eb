"""Runs the study of BatchNorm before or after the activation and stores it (notebook 14).

    python -m bncourse.tools.bn_order_study      # about a minute; writes bncourse/studies/data/bn_order_study.json

What is measured and how: :mod:`bncourse.studies.bn_order`.
"""
import json
import sys
import time

from bncourse.studies.bn_order import ORDER_STUDY, run_order_study


def main():
    start = time.perf_counter()
    study = run_order_study()
    ORDER_STUDY.write_text(json.dumps(study, indent=1) + "\n")
    print(f"wrote {ORDER_STUDY.name} in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
