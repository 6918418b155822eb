"""make studies: run the full configuration of each study and store its results.

    python -m bncourse.studies              # every study
    python -m bncourse.studies depth scale  # some of them

Each study's conclusions are asserted on its full results before they are written to
bncourse/studies/data/<name>.json, with the configuration, the machine and the time taken: wall-clock
seconds, and the CPU seconds of this process (what the study costs, whatever else the machine runs).
"""
import argparse
import json
import sys
import time

from . import DATA, STUDIES, machine, study


def to_json(value):
    """Tuples and NumPy values as plain JSON."""
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if hasattr(value, "tolist"):
        return value.tolist()
    return value


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", choices=[[], *STUDIES], metavar="name",
                        help="studies to run (default: all): " + ", ".join(STUDIES))
    names = parser.parse_args(argv).names or list(STUDIES)
    start, start_cpu, status = time.monotonic(), time.process_time(), 0
    for name in names:
        module, began, began_cpu = study(name), time.monotonic(), time.process_time()
        results = module.run(**module.FULL)
        seconds, cpu = time.monotonic() - began, time.process_time() - began_cpu
        print(f"== {name}: {seconds:.1f} s ({cpu:.1f} s CPU)")
        print(module.table(results))
        try:
            for sentence in module.conclusions(results):
                print("   holds on every seed:", sentence)
        except AssertionError as failed:
            print(f"   CONCLUSION FAILS: {failed}  (not stored)")
            status = 1
            continue
        record = {"study": name, "config": to_json(module.FULL), "machine": machine(),
                  "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "results": to_json(results)}
        path = DATA.joinpath(f"{name}.json")
        path.write_text(json.dumps(record, indent=1) + "\n")
        print(f"   written to bncourse/studies/data/{name}.json")
    print(f"make studies: {len(names)} studies in {time.monotonic() - start:.1f} s "
          f"({time.process_time() - start_cpu:.1f} s CPU)")
    return status


if __name__ == "__main__":
    sys.exit(main())
