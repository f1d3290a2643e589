"""Benchmark the commands at several sizes of store (¼, 1, 2 and 6× the province demo), as whole
processes, so that the growth of time and peak memory with the store's size is visible.

For each size, the province demo (seed 1) is written with its density scaled (store/demo.py:
each grassroots unit's addresses, and with them their aid and reviews, times the factor; 6× is
about Hà Nội's store). Building is untimed, and the stores are kept under `--dir` so that a
second run reuses them. Then, each in a fresh process, timed by this process's clock around the
whole process (the interpreter's start included), its peak memory the high-water mark the
operating system reports for it (`ru_maxrss` from `os.wait4`):

- the reference: an orjson parse of every JSON file the store is read from, nothing kept;
- `Store.open` alone (reading, with the command line's modules loaded);
- `nhandao summary --json`: once making its index (the first summary of a store), then with the
  index fresh;
- `nhandao check`: once keeping every file's verdict, then with them kept; and `check --full`;
- `nhandao records export FILE`.

The commands run as users run them: `python -m tui.cli --store DIR …`.

Linux hands the parent's high-water mark to a child it starts (the child's memory is the
parent's until `exec`), so this process stays small: it never loads a store itself, and its own
peak, printed with the figures, is the least any figure can be.

Targets (issue 16): at province scale (1×) `summary --json` ≤ 2× the parse and `check` ≤ 2.5×;
the export's peak ≤ 1.2× the open store's; at Hà Nội's scale (6×) no command's peak over 600 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from open_export import LABELS as OPEN_EXPORT_LABELS
from open_export import (
    OPEN,
    PARSE,
    TARGET_CHECK_OVER_PARSE,
    TARGET_EXPORT_OVER_OPEN,
    TARGET_SUMMARY_OVER_PARSE,
)
from tables import table

ROOT = Path(__file__).resolve().parent.parent
SEED = 1
SIZES = {"¼": 0.25, "1": 1.0, "2": 2.0, "6": 6.0}  # the province demo's density
QUICK_SIZES = ("¼",)
REPEAT, QUICK_REPEAT = 3, 1
PROVINCE = "1"  # the size the time targets are set at
HANOI = "6"  # the size the memory target is set at
TARGET_PEAK_MB = 600.0  # any command, at Hà Nội's scale

BUILD = """
import json, sys
from store.demo import write_demo
with write_demo(sys.argv[1], seed=int(sys.argv[2]), scale="province",
                density=float(sys.argv[3])) as store:
    counts = {kind: store.count(kind) for kind in ("address", "aid", "review", "helper")}
print(json.dumps(counts))
"""
# The reference and the open are bench/open_export.py's, and so are the rows and targets.
LABELS = {**OPEN_EXPORT_LABELS, "export": "records export FILE"}
ONCE = ("first summary", "first check")


def command(name: str, store: Path, out: Path) -> list[str]:
    """The argument list of one measured process."""
    python = [sys.executable]
    cli = [*python, "-m", "tui.cli", "--store", str(store)]
    return {
        "parse": [*python, "-c", PARSE, str(store)],
        "open": [*python, "-c", OPEN, str(store)],
        "first summary": [*cli, "summary", "--json"],
        "summary": [*cli, "summary", "--json"],
        "first check": [*cli, "check"],
        "check": [*cli, "check"],
        "full check": [*cli, "check", "--full"],
        "export": [*cli, "records", "export", str(out)],
    }[name]


def measure(argv: list[str]) -> tuple[float, float]:
    """(seconds, peak MB) of one process, timed whole; it must exit 0."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            argv, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace")
            raise SystemExit(f"{' '.join(argv[:6])} … exited {process.returncode}:\n{message}")
    return seconds, usage.ru_maxrss / 1024  # KB on Linux


@dataclass
class Size:
    """One size of store and what was measured on it."""

    name: str
    density: float
    path: Path
    counts: dict[str, int]
    megabytes: float
    runs: dict[str, list[tuple[float, float]]] = field(default_factory=dict)

    def seconds(self, what: str) -> float:
        return statistics.median(s for s, _ in self.runs[what])

    def peak(self, what: str) -> float:
        return max(p for _, p in self.runs[what])


def built(folder: Path, name: str, density: float, seed: int) -> Size:
    """The store of one size, written once (in a process of its own) and kept in `folder`."""
    path = folder / f"province-seed{seed}-x{density:g}"
    about = path.with_name(path.name + ".json")
    if not (path / "office.json").exists() or not about.exists():
        started = time.perf_counter()
        print(f"Writing the {name}× store in {path} …", file=sys.stderr, flush=True)
        done = subprocess.run(
            [sys.executable, "-c", BUILD, str(path), str(seed), repr(density)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        about.write_text(done.stdout.strip().splitlines()[-1] + "\n", encoding="utf-8")
        print(f"  done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    files = [*path.glob("*.json"), *(path / "units").glob("*.json")]
    megabytes = sum(f.stat().st_size for f in files) / 1e6
    return Size(name, density, path, json.loads(about.read_text("utf-8")), megabytes)


def run(size: Size, repeat: int, scratch: Path) -> None:
    """Every measurement of one size: the first summary once, then `repeat` rounds."""
    out = scratch / "records.json"
    shutil.rmtree(size.path / "cache", ignore_errors=True)  # the summary's index, made again
    size.runs = {name: [] for name in LABELS}
    for first in ONCE:  # the index made, then every file's verdict kept
        size.runs[first].append(measure(command(first, size.path, out)))
    for _ in range(repeat):  # in turn, so that a noisy moment touches all of them
        for name in LABELS:
            if name not in ONCE:
                size.runs[name].append(measure(command(name, size.path, out)))
                out.unlink(missing_ok=True)


def ratio(figure: float) -> str:
    return f"{figure:.2f}×"


def size_table(size: Size, markdown: bool) -> str:
    """One size's figures: median seconds, against the parse, and the highest peak."""
    parse_seconds, open_peak = size.seconds("parse"), size.peak("open")
    rows = [["what", "seconds", "/ parse", "peak MB", "/ open peak"]]
    for name, label in LABELS.items():
        seconds, peak = size.seconds(name), size.peak(name)
        rows.append(
            [label, f"{seconds:.3f}", ratio(seconds / parse_seconds), f"{peak:,.1f}",
             ratio(peak / open_peak)]
        )  # fmt: skip
    counts = size.counts
    heading = (
        f"{size.name}× the province: {counts['address']:,} addresses, {counts['aid']:,} aid, "
        f"{counts['review']:,} reviews, {size.megabytes:,.1f} MB of files "
        f"(runs: {len(size.runs['parse'])})"
    )
    return f"{heading}\n\n{table(rows, markdown, right=1)}"


def growth_table(sizes: list[Size], markdown: bool) -> str:
    """Each command's median seconds and peak at every size, side by side."""
    rows = [["what", *(f"{s.name}×: s" for s in sizes), *(f"{s.name}×: MB" for s in sizes)]]
    for name, label in LABELS.items():
        rows.append(
            [label, *(f"{s.seconds(name):.2f}" for s in sizes),
             *(f"{s.peak(name):,.0f}" for s in sizes)]
        )  # fmt: skip
    return table(rows, markdown, right=1)


def targets_table(sizes: list[Size], markdown: bool) -> str:
    """Issue 16's targets, at the sizes they are set at (and the others, for the trend)."""
    rows = [["size", "figure", "value", "target", "verdict"]]

    def add(size: Size, what: str, value: float, target: float, unit: str) -> None:
        shown = f"{value:,.0f} MB" if unit == "MB" else ratio(value)
        limit = f"≤ {target:g} MB" if unit == "MB" else f"≤ {target:g}×"
        set_here = (unit == "MB" and size.name == HANOI) or (
            unit == "×" and (size.name == PROVINCE or what.startswith("export"))
        )
        verdict = ("met" if value <= target else "MISSED") if set_here else "-"
        rows.append([f"{size.name}×", what, shown, limit, verdict])

    for size in sizes:
        parse = size.seconds("parse")
        add(size, "summary / parse (time)", size.seconds("summary") / parse,
            TARGET_SUMMARY_OVER_PARSE, "×")  # fmt: skip
        add(size, "check / parse (time)", size.seconds("check") / parse,
            TARGET_CHECK_OVER_PARSE, "×")  # fmt: skip
        add(size, "export / open (peak)", size.peak("export") / size.peak("open"),
            TARGET_EXPORT_OVER_OPEN, "×")  # fmt: skip
        add(size, "highest peak of any command", max(size.peak(n) for n in LABELS),
            TARGET_PEAK_MB, "MB")  # fmt: skip
    return table(rows, markdown, right=2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, help="keep the built stores here, to reuse them")
    parser.add_argument("--repeat", type=int, help=f"runs of each (default {REPEAT})")
    parser.add_argument("--sizes", help=f"comma-separated, of {', '.join(SIZES)} (default all)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--quick", action="store_true", help="¼ size only, one run (CI)")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    names = list(QUICK_SIZES) if args.quick else list(SIZES)
    if args.sizes:
        names = [n.strip() for n in args.sizes.split(",")]
        unknown = [n for n in names if n not in SIZES]
        if unknown:
            parser.error(f"unknown sizes {unknown}; the sizes are {', '.join(SIZES)}")
    repeat = args.repeat or (QUICK_REPEAT if args.quick else REPEAT)
    scratch = Path(tempfile.mkdtemp(prefix="nhandao-bench-sizes-"))
    folder = args.dir or scratch / "stores"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        sizes = [built(folder, name, SIZES[name], args.seed) for name in names]
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(
            f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, "
            f"load average {load}; this process's own peak "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB\n"
        )
        for size in sizes:
            run(size, repeat, scratch)
            print(size_table(size, args.markdown), end="\n\n", flush=True)
        print(growth_table(sizes, args.markdown), end="\n\n")
        print(targets_table(sizes, args.markdown))
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"\nload average at the end {load}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
