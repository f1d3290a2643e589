"""Benchmark the summary workbook at province scale, and our tally against SQLite's GROUP BY.

Measured in the same run, on the same records (demo data, seed 1):

- end to end: `Store.open` of the store on disk, `tally`, and the workbook built and saved
  (`write_summary_workbook`), then the store closed: what `nhandao summary --xlsx` costs;
- our tally alone (campaign/tally.py) on a store already open: columns 3–8 and everything
  else the workbook shows (year flows, groups, helpers, survey, excluded aid);
- SQLite computing columns 3–8 with GROUP BY over the same records, already loaded into an
  SQLite file (loading is not timed), with primary keys only, and with a covering index on
  aid. Its rows are checked against the tally's before anything is timed.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tables import table

from campaign.dataset import Dataset
from campaign.tally import Tally, tally
from exporters.workbook import write_summary_workbook
from store.demo import write_demo
from store.store import Store

SEED = 1
SCALE, QUICK_SCALE = "province", "district"
REPEAT, QUICK_REPEAT = 9, 2
TARGET_TALLY_OVER_SQLITE = 2.0  # at most
ON = date(2018, 11, 5)

END_TO_END, TALLY, SQLITE_KEYS, SQLITE_INDEX = (
    "end to end",
    "tally",
    "SQLite keys",
    "SQLite index",
)
HOW = {
    END_TO_END: "Store.open + tally + workbook saved",
    TALLY: "campaign.tally.tally, store open",
    SQLITE_KEYS: "GROUP BY, primary keys only",
    SQLITE_INDEX: "GROUP BY, covering index on aid",
}
# The parts of the end-to-end time, reported apart.
PARTS = ("Store.open", "dataset + tally", "workbook built + saved")

SCHEMA = """
CREATE TABLE unit(code TEXT PRIMARY KEY, parent TEXT) WITHOUT ROWID;
CREATE TABLE address(
    id TEXT PRIMARY KEY, unit TEXT NOT NULL, people INTEGER NOT NULL, dossier_on TEXT,
    deleted INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE helper(id TEXT PRIMARY KEY, side TEXT NOT NULL, deleted INTEGER NOT NULL)
    WITHOUT ROWID;
CREATE TABLE aid(
    id TEXT PRIMARY KEY, address TEXT NOT NULL, helper TEXT, "on" TEXT NOT NULL,
    value INTEGER NOT NULL, excluded TEXT, deleted INTEGER NOT NULL
);
"""
COVERING_INDEX = 'CREATE INDEX aid_counted ON aid(address, excluded, deleted, "on", helper, value)'
# Columns 3–8 per row, by the definitions of docs/RECORDS.md: rows are the unit's children
# (a row covers the child's subtree) and the unit itself for its own addresses.
QUERY = """
WITH RECURSIVE
  tree(code, row) AS (
    SELECT code, code FROM unit WHERE parent = :unit
    UNION ALL
    SELECT unit.code, tree.row FROM unit JOIN tree ON unit.parent = tree.code
  ),
  placed AS (
    SELECT address.id, coalesce(tree.row, :unit) AS row, address.people, address.dossier_on
    FROM address LEFT JOIN tree ON tree.code = address.unit
    WHERE NOT address.deleted AND (tree.row IS NOT NULL OR address.unit = :unit)
  ),
  helped AS (
    SELECT aid.address, max(coalesce(helper.side = 'red_cross', 0)) AS red_cross,
           sum(aid.value) AS value
    FROM aid LEFT JOIN helper ON helper.id = aid.helper AND NOT helper.deleted
    WHERE NOT aid.deleted AND aid.excluded IS NULL AND aid."on" BETWEEN :start AND :end
    GROUP BY aid.address
  )
SELECT placed.row,
       sum(placed.dossier_on IS NOT NULL AND placed.dossier_on <= :end),
       sum(coalesce(helped.red_cross = 1, 0)),
       sum(coalesce(helped.red_cross = 0, 0)),
       count(helped.address),
       sum(CASE WHEN helped.address IS NULL THEN 0 ELSE placed.people END),
       coalesce(sum(helped.value), 0)
FROM placed LEFT JOIN helped ON helped.address = placed.id
GROUP BY placed.row
"""


@dataclass
class Way:
    """The timings of one way of getting the figures."""

    name: str
    seconds: list[float] = field(default_factory=list)
    parts: dict[str, list[float]] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def load_sqlite(path: Path, data: Dataset, index: bool) -> None:
    """The records the tally reads, in an SQLite file (tombstones included, as flags)."""
    with sqlite3.connect(path) as db:
        db.executescript(SCHEMA)
        db.executemany(
            "INSERT INTO unit VALUES (?, ?)", ((u["code"], u["parent"]) for u in data.units)
        )
        db.executemany(
            "INSERT INTO address VALUES (?, ?, ?, ?, ?)",
            (
                (a["id"], a["unit"], a["people"], a.get("dossier_on"), bool(a.get("deleted")))
                for a in data.addresses
            ),
        )
        db.executemany(
            "INSERT INTO helper VALUES (?, ?, ?)",
            ((h["id"], h["side"], bool(h.get("deleted"))) for h in data.helpers),
        )
        db.executemany(
            "INSERT INTO aid VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (x["id"], x["address"], x.get("helper"), x["on"], x["value"], x.get("excluded"),
                 bool(x.get("deleted")))
                for x in data.aid
            ),
        )  # fmt: skip
        if index:
            db.execute(COVERING_INDEX)
        db.execute("ANALYZE")
    db.close()


def sqlite_rows(db: sqlite3.Connection, counted: Tally) -> dict[str, list[int]]:
    period = counted.period
    cursor = db.execute(QUERY, {"unit": counted.unit, "start": period.start, "end": period.end})
    return {row: list(figures) for row, *figures in cursor.fetchall()}


def tally_rows(counted: Tally) -> dict[str, list[int]]:
    """The tally's rows as SQLite gives them: only rows with an address."""
    return {
        row.unit: list(row.columns().values())
        for row in counted.rows
        if row.addresses and row.unit is not None
    }


class Bench:
    """The demo store twice (one kept open, one opened for each end-to-end run) and the
    SQLite files, in `folder`."""

    def __init__(self, folder: Path, seed: int, scale: str) -> None:
        self.folder = folder
        started = time.perf_counter()
        store = write_demo(folder / "store", seed, scale)
        self.unit, self.period = store.office.unit, store.office.period
        store.close()
        shutil.copytree(folder / "store", folder / "store-copy")
        self.store = Store.open(folder / "store-copy")
        self.built = time.perf_counter() - started
        try:
            data = self.store.dataset()
            self.counts = {"addresses": len(data.addresses), "aid": len(data.aid)}
            self.databases = {}
            for way, index in ((SQLITE_KEYS, False), (SQLITE_INDEX, True)):
                path = folder / f"{'indexed' if index else 'keys'}.sqlite"
                load_sqlite(path, data, index)
                self.databases[way] = sqlite3.connect(path)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        for db in getattr(self, "databases", {}).values():
            db.close()
        self.store.close()

    def check(self) -> Tally:
        """SQLite's rows are the tally's, or the benchmark stops."""
        counted = tally(self.store.dataset(), self.unit, self.period)
        expected = tally_rows(counted)
        for way, db in self.databases.items():
            found = sqlite_rows(db, counted)
            if found != expected:
                raise SystemExit(f"{way} disagrees with the tally:\n{found}\n{expected}")
        return counted

    def end_to_end(self, way: Way) -> None:
        parts = []
        started = time.perf_counter()
        with Store.open(self.folder / "store") as store:
            parts.append(time.perf_counter())
            counted = tally(store.dataset(), self.unit, self.period)
            parts.append(time.perf_counter())
            write_summary_workbook(
                self.folder / "bang-tong-hop.xlsx",
                counted,
                units=store.units,
                models=store.dataset().models,
                settings=store.office.settings,
                on=ON,
            )
            parts.append(time.perf_counter())
        way.seconds.append(time.perf_counter() - started)
        for name, begin, end in zip(PARTS, [started, *parts[:-1]], parts, strict=True):
            way.parts.setdefault(name, []).append(end - begin)

    def run(self, name: str) -> Callable[[Way], None]:
        if name == END_TO_END:
            return self.end_to_end
        if name == TALLY:
            data = self.store.dataset()
            return timed(lambda: tally(data, self.unit, self.period))
        db = self.databases[name]
        params = {"unit": self.unit, "start": self.period.start, "end": self.period.end}
        return timed(lambda: db.execute(QUERY, params).fetchall())


def timed(action: Callable[[], object]) -> Callable[[Way], None]:
    def run(way: Way) -> None:
        started = time.perf_counter()
        action()
        way.seconds.append(time.perf_counter() - started)

    return run


def measure(bench: Bench, repeat: int) -> list[Way]:
    """Every way once per run, the order turning from run to run so that noise falls on all
    alike; one untimed run of each first."""
    ways = [Way(name) for name in (END_TO_END, TALLY, SQLITE_KEYS, SQLITE_INDEX)]
    for way in ways:
        bench.run(way.name)(Way(way.name))
    for run in range(repeat):
        shift = run % len(ways)
        for way in ways[shift:] + ways[:shift]:
            bench.run(way.name)(way)
    return ways


def profile_tally(bench: Bench, repeat: int) -> str:
    data = bench.store.dataset()
    profiler = cProfile.Profile()
    for _ in range(repeat):
        profiler.runcall(tally, data, bench.unit, bench.period)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(10)
    return out.getvalue().strip("\n")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:.1f} ms"


def render(ways: list[Way], markdown: bool) -> str:
    figures = [["way", "what", "runs", "median", "min", "max"]]
    for way in ways:
        figures.append(
            [way.name, HOW[way.name], str(len(way.seconds)), _ms(way.median),
             _ms(min(way.seconds)), _ms(max(way.seconds))]
        )  # fmt: skip
        for part, seconds in way.parts.items():
            figures.append(
                [f"  {part}", "part of end to end", str(len(seconds)),
                 _ms(statistics.median(seconds)), _ms(min(seconds)), _ms(max(seconds))]
            )  # fmt: skip
    by = {way.name: way for way in ways}
    checks = [["ratio of medians", "figure", "target", "verdict"]]
    for reference in (SQLITE_INDEX, SQLITE_KEYS):
        ratio = by[TALLY].median / by[reference].median
        targeted = reference == SQLITE_INDEX
        checks.append(
            [f"tally / {reference}", f"{ratio:.2f}×",
             f"≤ {TARGET_TALLY_OVER_SQLITE:g}×" if targeted else "-",
             ("met" if ratio <= TARGET_TALLY_OVER_SQLITE else "MISSED") if targeted else "-"]
        )  # fmt: skip
    return table(figures, markdown, right=2) + "\n\n" + table(checks, markdown, right=1)


def missed(ways: list[Way]) -> bool:
    by = {way.name: way for way in ways}
    return by[TALLY].median / by[SQLITE_INDEX].median > TARGET_TALLY_OVER_SQLITE


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"the {QUICK_SCALE} demo and {QUICK_REPEAT} runs: to keep it working in CI, "
        "no figures worth keeping",
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when the target is missed (not with --quick)"
    )
    parser.add_argument("--repeat", type=int, help=f"runs of each way (default {REPEAT})")
    parser.add_argument("--seed", type=int, default=SEED, help="demo seed")
    parser.add_argument(
        "--dir", type=Path, help="where to make the temporary folder (the disk measured)"
    )
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--profile", action="store_true", help="also profile the tally")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    scale = QUICK_SCALE if args.quick else SCALE
    repeat = args.repeat or (QUICK_REPEAT if args.quick else REPEAT)
    with tempfile.TemporaryDirectory(prefix="nhandao-bench-", dir=args.dir) as name:
        bench = Bench(Path(name), args.seed, scale)
        try:
            counted = bench.check()
            print(
                f"Summary workbook: {scale} demo (seed {args.seed}), table of "
                f"{counted.name} ({bench.unit}), {counted.period.label()}: "
                f"{bench.counts['addresses']:,} addresses, {bench.counts['aid']:,} aid records, "
                f"{len(counted.rows)} rows (store built in {bench.built:.1f} s); SQLite's "
                f"columns 3–8 checked against the tally"
            )
            load = (
                ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
            )
            print(
                f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
                f"{platform.machine()}, {os.cpu_count()} CPUs, load average {load}\n"
            )
            ways = measure(bench, repeat)
            print(render(ways, args.markdown))
            if args.profile:
                print("\nThe tally under cProfile (own time):")
                print(profile_tally(bench, max(3, repeat // 3)))
        finally:
            bench.close()
    if args.check and args.quick:
        print("\n--check is ignored with --quick: a small store says nothing of the target.")
    elif args.check and missed(ways):
        print("\nTarget missed: tally / SQLite", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
