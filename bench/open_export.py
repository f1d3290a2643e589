"""Benchmark opening a store and writing it out as a records file, as whole processes.

Measured in the same run, on the same store (the province demo, seed 1, unless `--store`), each
in its own process, which prints its time and its peak memory as the operating system counts
it (`ru_maxrss`):

- the reference: an orjson parse of every JSON file the store is read from, nothing kept;
- `Store.open`, with the command line's modules loaded: the store read into memory (what every
  command and the interface pay first);
- `nhandao records export`: open, then the whole store written as one records file.

Targets (issue 16): the export's peak at most 1.2× the open store's.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from tables import table

SEED = 1
SCALE, QUICK_SCALE = "province", "commune"
REPEAT, QUICK_REPEAT = 3, 1
TARGET_EXPORT_OVER_OPEN = 1.2  # peak memory, at most

# Each child prints the seconds its work took and its own peak memory in KB.
START = "import resource, sys, time\nt = time.perf_counter()\n"
END = "\nprint(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
PARSE = """
import orjson, pathlib
root = pathlib.Path(sys.argv[1])
for f in (*root.glob("*.json"), *(root / "units").glob("*.json")):
    orjson.loads(f.read_bytes())
"""
OPEN = """
import tui.cli  # what the command loads besides the store, as in EXPORT
from store.store import Store
with Store.open(sys.argv[1], reading=True) as store:
    pass
"""
EXPORT = """
from tui.cli import main
assert main(["records", "export", sys.argv[2], "--store", sys.argv[1]]) == 0
"""


def child(code: str, *args: str) -> tuple[float, float]:
    """(seconds, peak MB) of one run of `code` in a new Python process."""
    done = subprocess.run(
        [sys.executable, "-c", START + code + END, *args],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, peak_kb = done.stdout.split()[-2:]
    return float(seconds), int(peak_kb) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, help="a store to measure (default: the demo)")
    parser.add_argument("--quick", action="store_true", help="commune demo, one run (CI)")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="nhandao-bench-open-"))
    try:
        store = args.store
        if store is None:
            store = folder / "store"
            # In a process of its own: a child's peak counts its parent's at the fork (Linux
            # keeps the high-water mark across exec), so the parent must stay small.
            scale = QUICK_SCALE if args.quick else SCALE
            make = "import sys; from store.demo import write_demo; write_demo("
            make += f"sys.argv[1], seed={SEED}, scale={scale!r}).close()"
            subprocess.run([sys.executable, "-c", make, str(store)], check=True)
        repeat = QUICK_REPEAT if args.quick else REPEAT
        runs: dict[str, list[tuple[float, float]]] = {"parse": [], "open": [], "export": []}
        for _ in range(repeat):  # alternated, so that a noisy moment touches all three
            runs["parse"].append(child(PARSE, str(store)))
            runs["open"].append(child(OPEN, str(store)))
            runs["export"].append(child(EXPORT, str(store), str(folder / "records.json")))
        rows = [["what", "seconds", "peak MB"]]
        labels = {
            "parse": "orjson parse of the files (reference)",
            "open": "Store.open",
            "export": "records export (open + write)",
        }
        for name, label in labels.items():
            seconds = statistics.median(s for s, _ in runs[name])
            peak = max(p for _, p in runs[name])
            rows.append([label, f"{seconds:.2f}", f"{peak:,.0f}"])
        print(table(rows, args.markdown, right=1))
        ratio = max(p for _, p in runs["export"]) / max(p for _, p in runs["open"])
        met = "met" if ratio <= TARGET_EXPORT_OVER_OPEN else "MISSED"
        size = (folder / "records.json").stat().st_size / 1e6
        target = TARGET_EXPORT_OVER_OPEN
        print(f"\nexport peak / open peak: {ratio:.2f}× (target ≤ {target}×): {met}")
        print(f"records file: {size:,.1f} MB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
