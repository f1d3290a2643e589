"""Benchmark one durable save at commune scale against a bare orjson write and TinyDB's storage."""

from __future__ import annotations

import argparse
import cProfile
import io
import math
import os
import platform
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from tables import table
from tinydb import TinyDB

from campaign.records import KINDS
from store.demo import make_demo
from store.store import Store, data_of

SEED = 1
COMMUNE_ADDRESSES = 2000
QUICK_ADDRESSES = 200
REPEAT = 30
QUICK_REPEAT = 3
# Targets of the issue, for the aid case (the most common save).
TARGET_OURS_OVER_BARE = 1.5  # at most
TARGET_TINYDB_OVER_OURS = 10.0  # at least
# Records changed in turn, so that one save does not keep hitting the same document.
SAMPLE = 50

OURS, BARE, TINYDB = "ours", "(a) bare", "(b) TinyDB"
HOW = {
    OURS: "Store.save: AtomicJSONStorage",
    BARE: "orjson dump, fsync, replace",
    TINYDB: "TinyDB default JSONStorage",
}


@dataclass
class Row:
    """The timings of one way of saving one kind of record."""

    kind: str
    way: str
    seconds: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p90(self) -> float:
        # Nearest rank: with 30 runs, the 27th fastest.
        ordered = sorted(self.seconds)
        return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def demo_batch(seed: int, addresses: int) -> tuple[str, list[tuple[str, dict]]]:
    """The commune demo's office unit and records, cut down to its first `addresses` addresses
    and what refers to them (attachments, aid, reviews)."""
    demo = make_demo(seed, "commune")
    kind_of = {spec.collection: kind for kind, spec in KINDS.items()}
    kept = {a["id"] for a in demo.records["addresses"][:addresses]}
    batch = []
    for collection, records in demo.records.items():
        for record in records:
            if collection == "addresses" and record["id"] not in kept:
                continue
            if "address" in record and record["address"] not in kept:
                continue
            batch.append((kind_of[collection], record))
    return demo.office_unit, batch


def bare_save(target: Path, data: dict) -> None:
    """Reference (a): the least a durable orjson write of the same data can do."""
    payload = orjson.dumps(data)
    temporary = target.with_name(f".{target.name}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)


class Bench:
    """A commune store, a bare target and a TinyDB file holding the same data, in `folder`."""

    def __init__(self, folder: Path, seed: int, addresses: int) -> None:
        office_unit, batch = demo_batch(seed, addresses)
        self.store = Store.create(folder / "store", office_unit, demo=True)
        try:
            self.store.save_many(batch)
            self.storage = self.store._files[office_unit].storage
            self.bare_target = folder / "bare" / f"{office_unit}.json"
            self.bare_target.parent.mkdir()
            tinydb_file = folder / "tinydb" / f"{office_unit}.json"
            tinydb_file.parent.mkdir()
            # Same tables, same document ids; TinyDB rewrites it with json.dumps at its first save.
            tinydb_file.write_bytes(orjson.dumps(self.data))
            self.tinydb = TinyDB(tinydb_file)
        except BaseException:
            self.store.close()
            raise
        rng = random.Random(seed)
        self.keys = {
            kind: rng.sample(sorted(self.store._index[kind]), SAMPLE)
            if len(self.store._index[kind]) > SAMPLE
            else sorted(self.store._index[kind])
            for kind in ("aid", "address")
        }

    @property
    def data(self) -> dict:
        """The tables the unit file holds, as the storage writes them."""
        data = self.storage.read()
        assert data is not None
        return data

    def close(self) -> None:
        self.tinydb.close()
        self.store.close()

    def counts(self) -> dict[str, int]:
        return {kind: self.store.count(kind, live=False) for kind in ("address", "aid", "review")}

    def file_size(self) -> int:
        return self.storage.path.stat().st_size

    def _changed(self, kind: str, run: int) -> tuple[str, dict]:
        key = self.keys[kind][run % len(self.keys[kind])]
        current = self.store.get(kind, key)
        assert current is not None
        record = data_of(kind, current)
        if kind == "aid":
            record["value"] += 1000
        else:
            place = record["place"] or ""
            edited = place.removesuffix(" (sửa)")
            record["place"] = edited if edited != place else f"{place} (sửa)"
        return key, record

    def ours(self, kind: str, run: int) -> Callable[[], object]:
        _key, record = self._changed(kind, run)
        return lambda: self.store.save(kind, record)

    def bare(self, kind: str, run: int) -> Callable[[], object]:
        return lambda: bare_save(self.bare_target, self.data)

    def tinydb_save(self, kind: str, run: int) -> Callable[[], object]:
        key, record = self._changed(kind, run)
        entry = self.store._index[kind][key]
        field_name = "value" if kind == "aid" else "place"
        table = self.tinydb.table(entry.table)
        return lambda: table.update({field_name: record[field_name]}, doc_ids=[entry.doc_id])

    def way(self, name: str) -> Callable[[str, int], Callable[[], object]]:
        return {OURS: self.ours, BARE: self.bare, TINYDB: self.tinydb_save}[name]


def measure(bench: Bench, repeat: int, repeat_tinydb: int) -> list[Row]:
    """Time every way in turn, rotating the order each run, so noise falls on all alike."""
    rows = [Row(kind, way) for kind in ("aid", "address") for way in (OURS, BARE, TINYDB)]
    for row in rows:  # a first save of each, untimed: first-touch costs are not a save's
        bench.way(row.way)(row.kind, -1)()
    for run in range(repeat):
        shift = run % len(rows)
        for row in rows[shift:] + rows[:shift]:
            if row.way == TINYDB and run >= repeat_tinydb:
                continue
            save = bench.way(row.way)(row.kind, run)
            start = time.perf_counter()
            save()
            row.seconds.append(time.perf_counter() - start)
    return rows


def profile_ours(bench: Bench, repeat: int) -> str:
    """Where the time of our aid saves goes, as cProfile's top functions by own time."""
    profiler = cProfile.Profile()
    for run in range(repeat):
        profiler.runcall(bench.ours("aid", SAMPLE + run))
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
    return out.getvalue().strip("\n")


def ratios(rows: list[Row]) -> Iterator[tuple[str, float, str, bool | None]]:
    """(what, figure, target, met) of each kind; the targets are the aid case's only."""
    by = {(row.kind, row.way): row for row in rows}
    for kind in ("aid", "address"):
        ours, bare, tinydb = (by[(kind, way)] for way in (OURS, BARE, TINYDB))
        over_bare, over_ours = ours.median / bare.median, tinydb.median / ours.median
        targeted = kind == "aid"
        yield (
            f"{kind}: ours / (a)",
            over_bare,
            f"≤ {TARGET_OURS_OVER_BARE:g}×" if targeted else "-",
            over_bare <= TARGET_OURS_OVER_BARE if targeted else None,
        )
        yield (
            f"{kind}: (b) / ours",
            over_ours,
            f"≥ {TARGET_TINYDB_OVER_OURS:g}×" if targeted else "-",
            over_ours >= TARGET_TINYDB_OVER_OURS if targeted else None,
        )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _verdict(met: bool | None) -> str:
    return "-" if met is None else "met" if met else "MISSED"


def render(rows: list[Row], markdown: bool) -> str:
    """The figures and the ratios, as aligned text or as Markdown tables."""
    figures = [["record", "way", "what", "runs", "median", "p90"]]
    figures += [
        [r.kind, r.way, HOW[r.way], str(len(r.seconds)), _ms(r.median), _ms(r.p90)] for r in rows
    ]
    checks = [["ratio of medians", "figure", "target", "verdict"]]
    checks += [[what, f"{x:.2f}×", target, _verdict(met)] for what, x, target, met in ratios(rows)]
    return table(figures, markdown, right=3) + "\n\n" + table(checks, markdown, right=1)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"{QUICK_ADDRESSES} addresses, {QUICK_REPEAT} runs: to keep it "
        "working in CI, no figures worth keeping",
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a target is missed (ignored with --quick)"
    )
    parser.add_argument("--repeat", type=int, help=f"runs of each way (default {REPEAT})")
    parser.add_argument(
        "--repeat-tinydb",
        type=int,
        help="runs of TinyDB's storage, when it is too slow (default: --repeat)",
    )
    parser.add_argument(
        "--addresses", type=int, help=f"addresses in the unit file (default {COMMUNE_ADDRESSES})"
    )
    parser.add_argument("--seed", type=int, default=SEED, help="demo seed")
    parser.add_argument(
        "--dir", type=Path, help="where to make the temporary folder (the disk measured)"
    )
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument(
        "--profile", action="store_true", help="also profile our aid saves with cProfile"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    addresses = args.addresses or (QUICK_ADDRESSES if args.quick else COMMUNE_ADDRESSES)
    repeat = args.repeat or (QUICK_REPEAT if args.quick else REPEAT)
    repeat_tinydb = min(repeat, args.repeat_tinydb or repeat)
    with tempfile.TemporaryDirectory(prefix="nhandao-bench-", dir=args.dir) as folder:
        started = time.perf_counter()
        bench = Bench(Path(folder), args.seed, addresses)
        try:
            counts = bench.counts()
            print(
                f"Store: one save — {counts['address']:,} addresses, "
                f"{counts['aid']:,} aid, {counts['review']:,} reviews in one unit file of "
                f"{bench.file_size() / 1e6:.1f} MB (built in {time.perf_counter() - started:.1f} s)"
            )
            load = (
                ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
            )
            print(
                f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, "
                f"load average {load}; folder {folder}\n"
            )
            rows = measure(bench, repeat, repeat_tinydb)
            print(render(rows, args.markdown))
            if args.profile:
                print("\nOur aid saves under cProfile (own time):")
                print(profile_ours(bench, repeat))
        finally:
            bench.close()
    missed = [what for what, _x, _target, met in ratios(rows) if met is False]
    if args.check and args.quick:
        print("\n--check is ignored with --quick: a small file says nothing of the targets.")
    elif args.check and missed:
        print(f"\nTarget missed: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
