"""Benchmark opening a store, the commands that read it, and writing it out, as whole processes.

Measured in the same run, on the same store (the province demo, seed 1, unless `--store`), each
in its own process: the time is the parent's clock around the whole process (the interpreter's
start included), the peak memory what the operating system counts for the child (`ru_maxrss`,
printed by the child itself):

- the reference: an orjson parse of every JSON file the store is read from, nothing kept;
- `Store.open`, with the command line's modules loaded: the store read into memory (what every
  command and the interface pay first);
- `nhandao summary --json`, its index fresh (one untimed summary first, as after any save;
  the first one ever, which makes the index, is timed apart, once);
- `nhandao check`: every file and record of the store checked, once keeping every file's verdict
  in the index, then with the verdicts kept; and `check --full`, which loads the store;
- `nhandao records export`: the whole store written as one records file, its unit files read
  one at a time.

Targets (issue 16), at province scale: summary ≤ 2× the parse, check ≤ 2.5× the parse; the
export's peak at most 1.2× the open store's.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tables import table

SEED = 1
SCALE, QUICK_SCALE = "province", "commune"
REPEAT, QUICK_REPEAT = 3, 1
TARGET_EXPORT_OVER_OPEN = 1.2  # peak memory, at most
TARGET_SUMMARY_OVER_PARSE = 2.0  # time, at most
TARGET_CHECK_OVER_PARSE = 2.5  # time, at most

# Each child prints the seconds its work took and its own peak memory in KB.
START = "import resource, sys, time\nt = time.perf_counter()\n"
END = "\nprint(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
# PARSE and OPEN stand alone (bench/sizes.py runs them as they are).
PARSE = """
import orjson, pathlib, sys
root = pathlib.Path(sys.argv[1])
for f in (*root.glob("*.json"), *(root / "units").glob("*.json")):
    orjson.loads(f.read_bytes())
"""
OPEN = """
import sys
import tui.cli  # what a command loads besides the store
from store.store import Store
with Store.open(sys.argv[1], reading=True) as store:
    pass
"""
EXPORT = """
from tui.cli import main
assert main(["records", "export", sys.argv[2], "--store", sys.argv[1]]) == 0
"""
SUMMARY = """
import io, os
from tui.cli import main
with open(os.devnull, "wb") as devnull:
    sys.stdout = io.TextIOWrapper(devnull)
    assert main(["summary", "--json", "--store", sys.argv[1]]) == 0
    sys.stdout.flush()
    sys.stdout = sys.__stdout__
"""
CHECK = """
import contextlib, io
from tui.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    assert main(["check", "--store", *sys.argv[1:]]) == 0
"""


def child(code: str, *args: str) -> tuple[float, float]:
    """(seconds, peak MB) of one run of `code` in a new Python process, timed whole."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", START + code + END, *args],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    _inside, peak_kb = done.stdout.split()[-2:]
    return seconds, int(peak_kb) / 1024


LABELS = {
    "parse": "orjson parse of the files (reference)",
    "open": "Store.open",
    "first summary": "summary --json, making the index (once)",
    "summary": "summary --json, index fresh",
    "first check": "check, the first (every file read, verdicts kept)",
    "check": "check, verdicts kept",
    "full check": "check --full (the store loaded)",
    "export": "records export",
}


def render(runs: dict[str, list[tuple[float, float]]], markdown: bool) -> str:
    """The figures (median seconds, highest peak) and the ratios against the targets."""
    seconds = {name: statistics.median(s for s, _ in found) for name, found in runs.items()}
    peak = {name: max(p for _, p in found) for name, found in runs.items()}
    rows = [["what", "seconds", "peak MB"]]
    rows += [
        [label, f"{seconds[name]:.2f}", f"{peak[name]:,.0f}"] for name, label in LABELS.items()
    ]
    ratios = [["ratio", "figure", "target", "verdict"]]
    for what, figure, target in (
        (
            "summary / parse (time)",
            seconds["summary"] / seconds["parse"],
            TARGET_SUMMARY_OVER_PARSE,
        ),
        ("check / parse (time)", seconds["check"] / seconds["parse"], TARGET_CHECK_OVER_PARSE),
        ("export / open (peak)", peak["export"] / peak["open"], TARGET_EXPORT_OVER_OPEN),
    ):
        verdict = "met" if figure <= target else "MISSED"
        ratios.append([what, f"{figure:.2f}×", f"≤ {target}×", verdict])
    return f"{table(rows, markdown, right=1)}\n\n{table(ratios, markdown, right=1)}\n"


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
        shutil.rmtree(store / "cache", ignore_errors=True)
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in LABELS}
        runs["first summary"].append(child(SUMMARY, str(store)))  # makes the index
        runs["first check"].append(child(CHECK, str(store)))  # keeps every file's verdict
        for _ in range(repeat):  # alternated, so that a noisy moment touches all of them
            runs["parse"].append(child(PARSE, str(store)))
            runs["open"].append(child(OPEN, str(store)))
            runs["summary"].append(child(SUMMARY, str(store)))
            runs["check"].append(child(CHECK, str(store)))
            runs["full check"].append(child(CHECK, str(store), "--full"))
            runs["export"].append(child(EXPORT, str(store), str(folder / "records.json")))
        print(render(runs, args.markdown))
        size = (folder / "records.json").stat().st_size / 1e6
        print(f"records file: {size:,.1f} MB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
