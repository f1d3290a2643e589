"""Benchmark the central office at national scale: the 63 provinces' bundles imported, then the
table by province and its workbook, each as a whole process, against peak memory ≤ 4 GB.

**The data** (issue 16: about 1.3 M addresses and 13 M aid records at `--scale 1`) is made by
this script, not kept in the repository: `--dir D` keeps it between runs, and a run at the same
scale and seed reuses it (`D/national.json` says what was made). The addresses are shared out
among the provinces in proportion to their number of communes (11,053 in the 2019 list, so
about 118 a commune), and within a province among its communes, each weighted at random from
0.6 to 1.4. Their records are those of the demo (store/demo.py: the same names, helpers,
attachments, aid, excluded aid and yearly reviews, made by the same code), with about 0.5 % of
the aid deleted (tombstones, whose previous version is named). For each province in turn, so
that memory holds one province at a time:

1. a province office's store (`Store.create`, its key, the central office's key pinned);
2. its unit files written directly in the store's format (one TinyDB file per commune and one
   for the province's own helpers: envelopes `id, owner, v, prev, deleted, by`, fields that
   are None or False left out, aid and reviews in one table a year), which is much faster
   than validating and saving them one batch at a time;
3. `sync.send.export_records`: the province's signed records bundle to the central office,
   written as `bundle export` writes it; the province's public key is kept beside it and the
   province store is deleted.

The central office's store (`D/central`, its key the one the provinces pinned) is made once and
copied for each run; the copy enrols the 63 keys (untimed). Then, each in a fresh process
(`python -m tui.cli …`, as users run it), timed by this process's clock around the whole
process (the interpreter's start included), its peak memory the high-water mark the operating
system reports for it (`ru_maxrss` from `os.wait4`):

- (a) the reference of the import: every bundle unzipped and each record line parsed with
  orjson, nothing kept: the least any reader of the same files does;
- `nhandao bundle import D/bundles --store NATIONAL`: the 63 bundles, into the new store;
- (b) the reference of the commands that read: an orjson parse of every JSON file of the
  national store after the import (bench/open_export.py's), what any reader of the store does;
- `nhandao summary --json`: first after the import, then with its index fresh, and once more
  made from nothing (`cache/` removed);
- `nhandao summary --xlsx FILE`: the workbook.

The import is measured against (a), the rest against (b): the import reads bundles and writes
the store, the others read the store. What the import took in (the national store's ledger:
63 bundles, every record new, none held in quarantine) and the first summary's table, row by
row (columns 3 to 8 of each province, and the total), are compared with what the generator
made; a difference fails the run (exit 1, after the figures).

Each measured process runs under an address-space limit (`--limit-gb`, 12 GB by default, half
of a 24 GB machine) so that a command far over its target stops with a MemoryError instead of
taking the machine; such a command is shown as stopped, with the peak it had reached.

Linux hands the parent's high-water mark to a child it starts, so this process never generates
nor loads anything itself (the generator runs in a child, `--generate-only`).

Target (issue 16): the import ("merge"), the summary and the workbook run at national scale
with peak memory ≤ 4 GB.

    python bench/national.py --scale 1 --dir D --markdown   # the national run
    python bench/national.py --generate-only --scale 1 --dir D   # the bundles only
    python bench/national.py --quick                        # scale 0.002, for CI
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import orjson
from open_export import PARSE
from tables import table

if TYPE_CHECKING:
    from sync.minisign import PublicKey

# The program's modules are imported by the generator's functions only: this process starts
# every measured one, and a child's peak counts the parent's (see above), so it stays small.

ROOT = Path(__file__).resolve().parent.parent
SEED = 1
ADDRESSES_AT_SCALE_1 = 1_300_000
QUICK_SCALE = 0.002
FORMAT = 1  # of the marker file and of what the generator makes: a change makes the data again
MARKER = "national.json"
DELETED_AID = 0.005  # the share of the aid that is deleted (tombstones)
TARGET_PEAK_MB = 4 * 1024.0  # 4 GB: the import, the summary and the workbook
LIMIT_GB = 12.0
PERIOD = (2008, 2018)  # the summary's default period, the demo's years

READ_BUNDLES = """
import orjson, pathlib, sys, zipfile
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.zip")):
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            if name.endswith(".jsonl"):
                for line in data.splitlines():
                    orjson.loads(line)
            elif name.endswith(".json"):
                orjson.loads(data)
"""
ENROL = """
import pathlib, sys
from store.store import Store
from sync import keys
with Store.open(sys.argv[1]) as store:
    for path in sorted(pathlib.Path(sys.argv[2]).glob("*.pub")):
        keys.enrol(store, keys.read_public_key_file(path), path.stem)
"""

# ------------------------------------------------------------------ the generator


@functools.cache
def _commune_counts() -> dict[str, int]:
    """The number of communes of each province (2019 list)."""
    from store import gazetteer

    return {
        code: sum(1 for u in gazetteer.province_units(code) if u["kind"] == "commune")
        for code, _name in gazetteer.provinces()
    }


def _per_commune() -> float:
    """Addresses a commune at scale 1, on average (about 118)."""
    return ADDRESSES_AT_SCALE_1 / sum(_commune_counts().values())


def plan(scale: float) -> dict[str, int]:
    """The addresses of each province: its share of the country's communes."""
    communes = _commune_counts()
    total = sum(communes.values())
    wanted = ADDRESSES_AT_SCALE_1 * scale
    return {code: max(1, round(wanted * count / total)) for code, count in communes.items()}


@dataclass
class Expected:
    """What a province's records must give: counts made, and the summary's columns 3–8."""

    addresses: int = 0
    helpers: int = 0
    attachments: int = 0
    aid: int = 0  # every aid record, tombstones included
    aid_excluded: int = 0
    aid_deleted: int = 0
    aid_counted: int = 0  # not excluded, not deleted, within the period: column 8's records
    reviews: int = 0
    models: int = 0
    assessments: int = 0
    records: int = 0  # every record in the bundle
    unit_files: int = 0
    unit_bytes: int = 0
    bundle_bytes: int = 0
    columns: dict[str, int] = field(default_factory=lambda: dict.fromkeys("345678", 0))


class _Tick:
    """Versions of one office, as its clock gives them (`HybridClock.tick`)."""

    def __init__(self, node: str) -> None:
        from store.hlc import HybridClock

        self.node = node
        self.clock = HybridClock(node)

    def __call__(self) -> str:
        return self.clock.tick()


def _documents(
    kind: str, records: list[dict], owner: str, tick: _Tick, tombstones: set[str]
) -> list[dict]:
    """The stored documents of records of one unit file (store/store.py `_change`)."""
    from campaign.records import KINDS

    key_field = KINDS[kind].key
    made = []
    for record in records:
        key = record[key_field]
        if key in tombstones:  # a deleted record: its tombstone, made on top of a version
            previous = tick()
            document = {"id": key, "owner": owner, "v": tick(), "prev": previous, "deleted": True}
        else:
            document = {"id": key, "owner": owner, "v": tick()}
        document["by"] = tick.node
        for name, value in record.items():
            if value is not None and value is not False and name != "id":
                document[name] = value
        made.append(document)
    return made


def _write_unit_file(path: Path, code: str, kinds: dict[str, list[dict]]) -> int:
    """One unit file as the store writes it (TinyDB tables of documents by doc id)."""
    from store.store import FORMAT_VERSION, table_of

    tables: dict[str, dict[str, dict]] = {
        "meta": {"1": {"format": "nhandao-unit", "version": FORMAT_VERSION, "unit": code}}
    }
    for kind, documents in kinds.items():
        for document in documents:
            rows = tables.setdefault(table_of(kind, document), {})
            rows[str(len(rows) + 1)] = document
    payload = orjson.dumps(tables)
    path.write_bytes(payload)
    return len(payload)


def _count(expected: Expected, made: dict[str, list[dict]], deleted: set[str],
           sides: dict[str, str]) -> None:  # fmt: skip
    """Add one commune's records to what was made, and to what the summary must count of them
    (docs/RECORDS.md, «What the summary table counts»); `sides` gives each helper's side."""
    first, last = date(PERIOD[0], 1, 1).isoformat(), date(PERIOD[1], 12, 31).isoformat()
    columns = expected.columns
    people = {a["id"]: a["people"] for a in made["addresses"]}
    helped: set[str] = set()
    by_red_cross: set[str] = set()
    for aid in made["aid"]:
        if aid["id"] in deleted:
            expected.aid_deleted += 1
        elif aid["excluded"] is not None:
            expected.aid_excluded += 1
        elif first <= aid["on"] <= last:
            expected.aid_counted += 1
            columns["8"] += aid["value"]
            helped.add(aid["address"])
            if aid["helper"] is not None and sides[aid["helper"]] == "red_cross":
                by_red_cross.add(aid["address"])
    columns["3"] += sum(1 for a in made["addresses"] if a["dossier_on"] and a["dossier_on"] <= last)
    columns["4"] += len(by_red_cross)
    columns["5"] += len(helped) - len(by_red_cross)
    columns["6"] += len(helped)
    columns["7"] += sum(people[a] for a in helped)
    expected.addresses += len(made["addresses"])
    expected.helpers += len(made["helpers"])
    expected.attachments += len(made["attachments"])
    expected.aid += len(made["aid"])
    expected.reviews += len(made["reviews"])
    expected.models += len(made["models"])
    expected.assessments += len(made["assessments"])


def build_province(
    code: str, addresses: int, seed: int, folder: Path, central_key: PublicKey, bundles: Path
) -> Expected:
    """One province's store, records and bundle; the store is deleted once the bundle is out."""
    from campaign.records import KIND_ORDER, KINDS
    from store import demo, gazetteer
    from store.store import Store
    from sync import keys, send

    path = folder / "work" / code
    shutil.rmtree(path, ignore_errors=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    with Store.create(path, code) as store:
        keys.office_key(store)
        keys.pin_national_key(store, central_key)
        office_id = store.office.id
    rng = random.Random(f"nhandao-national-{seed}-{code}")
    maker = demo._Maker(seed, "province")  # the demo's records, from this province's generator
    maker.rng = rng
    units = gazetteer.province_units(code)
    communes = [u for u in units if u["kind"] == "commune"]
    # As many communes as the country's density (about 118 addresses each) fills: all of them
    # at scale 1, a few at a small scale, so that unit files and helpers keep their sizes.
    used = min(len(communes), max(1, round(addresses / _per_commune())))
    picked = set(rng.sample(range(len(communes)), used))
    communes = [u for n, u in enumerate(communes) if n in picked]
    weights = [rng.uniform(0.6, 1.4) for _ in communes]
    share = Counter(u["code"] for u in rng.choices(communes, weights, k=addresses))
    tick = _Tick(office_id)
    expected = Expected()
    # The province's own helpers (its file), whom 5 % of the addresses also have.
    wider = [h for side in maker.helpers(code, units[0]["name"]).values() for h in side]
    sides = {h["id"]: h["side"] for h in wider}
    taken = maker._taken()
    expected.helpers += len(taken["helpers"])
    expected.unit_bytes += _write_unit_file(
        path / "units" / f"{code}.json",
        code,
        {"helper": _documents("helper", taken["helpers"], code, tick, set())},
    )
    expected.unit_files += 1
    for unit in communes:
        count = share.get(unit["code"], 0)
        if not count:
            continue
        local = maker.helpers(unit["code"], unit["name"])
        sides.update((h["id"], h["side"]) for side in local.values() for h in side)
        is_ward = unit["name"].startswith(("Phường", "Thị trấn"))
        for _ in range(count):
            address = maker.address(unit["code"], is_ward)
            maker.records["addresses"].append(address)
            if address["dossier_on"]:
                maker.follow(address, local, wider)
        maker.models_and_assessments([unit["code"]])
        made = maker._taken()
        deleted = {a["id"] for a in made["aid"] if rng.random() < DELETED_AID}
        _count(expected, made, deleted, sides)
        kinds = {
            kind: _documents(kind, made[KINDS[kind].collection], unit["code"], tick,
                             deleted if kind == "aid" else set())
            for kind in ("helper", "address", "attachment", "aid", "review", "model", "assessment")
        }  # fmt: skip
        expected.unit_bytes += _write_unit_file(
            path / "units" / f"{unit['code']}.json", unit["code"], kinds
        )
        expected.unit_files += 1
    with Store.open(path) as store:
        expected.records = sum(store.count(kind, live=False) for kind in KIND_ORDER)
        sent = send.export_records(store, bundles)
        assert sent is not None and sent.records == expected.records, (sent, expected.records)
        shutil.copyfile(keys.public_key_path(store), folder / "keys" / f"{code}.pub")
    expected.bundle_bytes = sent.path.stat().st_size
    shutil.rmtree(path)
    return expected


def _marker(folder: Path) -> dict | None:
    try:
        return json.loads((folder / MARKER).read_text("utf-8"))
    except (OSError, ValueError):
        return None


def _matches(found: dict | None, scale: float, seed: int) -> bool:
    return (
        found is not None
        and found.get("format") == FORMAT
        and found.get("scale") == scale
        and found.get("seed") == seed
    )


def generate(folder: Path, scale: float, seed: int) -> tuple[dict, bool]:
    """The bundles of every province at `scale` in `folder`, and whether they were there
    already (the marker names the scale and seed; a generation cut short goes on from its
    last province)."""
    from store.gazetteer import NATIONAL
    from store.store import Store
    from sync import keys

    found = _marker(folder)
    bundles = folder / "bundles"
    if _matches(found, scale, seed) and all(
        (bundles / name).exists()
        for name in found["bundles"].values()  # type: ignore[index]
    ):
        return found, True  # type: ignore[return-value]
    started = time.perf_counter()
    progress = folder / "generating.json"
    about = {"format": FORMAT, "scale": scale, "seed": seed}
    try:
        earlier = json.loads(progress.read_text("utf-8"))
    except (OSError, ValueError):
        earlier = {}
    spent = earlier.pop("seconds", 0.0)  # by a generation cut short, going on here
    if earlier != about:  # another scale, seed or format: everything is made again
        spent = 0.0
        for name in ("central", "bundles", "keys", "provinces", "work", "national", MARKER):
            target = folder / name
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
        folder.mkdir(parents=True, exist_ok=True)
        progress.write_text(json.dumps(about) + "\n", "utf-8")
    for name in ("bundles", "keys", "provinces"):
        (folder / name).mkdir(exist_ok=True)
    central = folder / "central"
    if not (central / "office.json").exists():
        shutil.rmtree(central, ignore_errors=True)
        with Store.create(central, NATIONAL) as store:
            keys.office_key(store)
    with Store.open(central) as store:
        central_key = keys.office_key(store).public
    gc.disable()  # millions of records and no reference cycles: a full collection walks them all
    shares = plan(scale)
    for number, (code, addresses) in enumerate(shares.items(), start=1):
        done = folder / "provinces" / f"{code}.json"
        if done.exists():
            continue
        for stale in bundles.glob(f"nhandao-{code}-*"):
            stale.unlink()  # of a generation cut short between the bundle and its counts
        begun = time.perf_counter()
        expected = build_province(code, addresses, seed, folder, central_key, bundles)
        gc.collect()  # the province's store, held in cycles (its files, TinyDB's tables)
        (bundle,) = [p.name for p in bundles.glob(f"nhandao-{code}-*")]
        done.write_text(json.dumps({"bundle": bundle, **expected.__dict__}) + "\n", "utf-8")
        seconds = spent + time.perf_counter() - started
        progress.write_text(json.dumps({**about, "seconds": seconds}) + "\n", "utf-8")
        print(
            f"  {number}/{len(shares)} {code}: {expected.addresses:,} addresses, "
            f"{expected.aid:,} aid, {expected.records:,} records, "
            f"{time.perf_counter() - begun:.1f} s",
            file=sys.stderr,
            flush=True,
        )
    provinces = {
        code: json.loads((folder / "provinces" / f"{code}.json").read_text("utf-8"))
        for code in shares
    }
    totals: dict[str, int] = Counter()
    for made in provinces.values():
        totals.update({k: v for k, v in made.items() if isinstance(v, int)})
    columns: dict[str, int] = Counter()
    for made in provinces.values():
        columns.update(made["columns"])
    shutil.rmtree(folder / "work", ignore_errors=True)
    marker = {
        **about,
        "seconds": spent + time.perf_counter() - started,
        "generator_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "totals": dict(totals),
        "columns": dict(columns),
        "provinces": {code: {**made["columns"]} for code, made in provinces.items()},
        "bundles": {code: made["bundle"] for code, made in provinces.items()},
    }
    (folder / MARKER).write_text(json.dumps(marker, indent=1) + "\n", "utf-8")
    progress.unlink(missing_ok=True)
    return marker, False


# ------------------------------------------------------------------ the measurements


@dataclass
class Run:
    """One measured process."""

    seconds: float
    peak_mb: float
    code: int  # its exit code
    stopped: bool = False  # it failed under the address-space limit (memory)


def measure(argv: list[str], limit_gb: float, stdout: Path | None = None, what: str = "") -> Run:
    """One process, timed whole by this process's clock, its peak from `os.wait4`."""
    limit = int(limit_gb * 1024**3)

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    with tempfile.TemporaryFile() as errors, open(stdout or os.devnull, "wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            argv, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=errors,
            preexec_fn=limited if limit_gb > 0 else None,
        )  # fmt: skip
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = code = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        message = errors.read().decode("utf-8", "replace")
    peak = usage.ru_maxrss / 1024  # KB on Linux
    # As it goes, on the error stream: a long run cut short still has what it measured.
    print(f"  {seconds:9.3f} s {peak:9,.0f} MB exit {code}: {what or argv[1:4]}",
          file=sys.stderr, flush=True)  # fmt: skip
    if code == 0:
        return Run(seconds, peak, code)
    signs = ("MemoryError", "out of memory", "Cannot allocate memory", "bad_alloc")
    if limit_gb > 0 and (any(s in message for s in signs) or peak > 0.8 * limit_gb * 1024):
        print(f"{' '.join(argv[3:7])} … stopped by the memory limit:\n{message[-2000:]}",
              file=sys.stderr, flush=True)  # fmt: skip
        return Run(seconds, peak, code, stopped=True)
    raise SystemExit(f"{' '.join(argv[:8])} … exited {code}:\n{message[-4000:]}")


LABELS = {
    "read bundles": "(a) read the bundles: unzip, orjson each line (reference)",
    "import": "bundle import of the 63 bundles, new national store",
    "parse": "(b) orjson parse of the national store's files (reference)",
    "first summary": "summary --json, first after the import",
    "summary": "summary --json, index fresh",
    "xlsx": "summary --xlsx FILE (the workbook)",
    "index from nothing": "summary --json, index made from nothing",
}
REFERENCE = {"read bundles": None, "import": "read bundles", "parse": None,
             "first summary": "parse", "summary": "parse", "xlsx": "parse",
             "index from nothing": "parse"}  # fmt: skip
TARGETED = ("import", "first summary", "summary", "xlsx", "index from nothing")


def machine() -> str:
    """Cores, memory and processor of this computer."""
    memory = "?"
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024**2:.1f} GB"
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({model}), {memory} of memory, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}; load average {load}"
    )


def ratio(figure: float) -> str:
    return f"{figure:.2f}×"


def figures_table(runs: dict[str, list[Run]], markdown: bool) -> str:
    seconds = {name: statistics.median(r.seconds for r in found) for name, found in runs.items()}
    rows = [["what", "against", "seconds", "/ against", "peak MB", "peak target", "verdict"]]
    for name, label in LABELS.items():
        if name not in runs:
            continue
        found = runs[name]
        peak = max(r.peak_mb for r in found)
        reference = REFERENCE[name]
        against = "-" if reference is None else LABELS[reference][:3]
        base = seconds[name if reference is None else reference]
        stopped = any(r.stopped for r in found)
        verdict = "-"
        if name in TARGETED:
            verdict = "STOPPED" if stopped else ("met" if peak <= TARGET_PEAK_MB else "MISSED")
        rows.append(
            [label, against, f"{seconds[name]:.3f}", ratio(seconds[name] / base),
             f"{peak:,.0f}", f"≤ {TARGET_PEAK_MB:,.0f}" if name in TARGETED else "-", verdict]
        )  # fmt: skip
    return table(rows, markdown, right=2)


def check_table(
    marker: dict, summary: list[dict], ledger: dict, markdown: bool
) -> tuple[str, bool]:
    """What the import took in (the national store's ledger) and the first summary's rows
    against what the generator made: (table, all equal)."""
    rows = {row["unit"]: row for row in summary}
    provinces = marker["provinces"]
    differ = [
        code for code, columns in provinces.items()
        if code not in rows or any(rows[code][c] != n for c, n in columns.items())
    ]  # fmt: skip
    total = rows.get(None, {})
    received = [e for e in ledger["received"] if e["kind"] == "records"]
    taken = sum(e["counts"]["new"] for e in received)
    held = sum(e["counts"]["quarantined"] for e in received)
    cells = [["what", "generated", "national store", "equal"]]
    equal = True
    for label, made, found in (
        ("bundles taken in (ledger)", len(marker["bundles"]), len(received)),
        ("records new in the store (ledger)", marker["totals"]["records"], taken),
        ("records held in quarantine (ledger)", 0, held),
    ):
        cells.append([label, f"{made:,}", f"{found:,}", "yes" if made == found else "NO"])
        equal = equal and made == found
    names = {"3": "column 3: addresses with a dossier", "4": "column 4: helped by the Red Cross",
             "5": "column 5: helped by others only", "6": "column 6: helped",
             "7": "column 7: people helped", "8": "column 8: đồng of the counted aid"}  # fmt: skip
    equal = equal and not differ and len(summary) == len(provinces) + 1
    for column, label in names.items():
        made, shown = marker["columns"][column], total.get(column)
        cells.append([label, f"{made:,}", f"{shown:,}" if shown is not None else "-",
                      "yes" if made == shown else "NO"])  # fmt: skip
        equal = equal and made == shown
    cells.append(["provinces whose row differs", "-", str(len(differ)), "yes" if not differ else
                  "NO"])  # fmt: skip
    return table(cells, markdown, right=1), equal


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="1 = national (about 1.3 M addresses, 13 M aid)")  # fmt: skip
    parser.add_argument("--dir", type=Path, help="keep the generated bundles here, to reuse them")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs of the references and of the fresh summary (default 1)",
    )
    parser.add_argument("--limit-gb", type=float, default=LIMIT_GB,
                        help=f"address-space limit of each measured process (default {LIMIT_GB:g}"
                        "; 0: none)")  # fmt: skip
    parser.add_argument("--keep", action="store_true",
                        help="keep the national store and the workbook in --dir")  # fmt: skip
    parser.add_argument("--skip-rebuild", action="store_true",
                        help="leave out the summary that makes its index from nothing")  # fmt: skip
    parser.add_argument(
        "--generate-only",
        action="store_true",
        help="make (or find) the bundles in --dir, measure nothing",
    )
    parser.add_argument("--quick", action="store_true", help=f"scale {QUICK_SCALE:g} (CI)")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    scale = QUICK_SCALE if args.quick else args.scale
    if not 0 < scale <= 10:
        parser.error("--scale must be above 0 and at most 10")
    if args.generate_only:
        if args.dir is None:
            parser.error("--generate-only needs --dir")
        marker, reused = generate(args.dir, scale, args.seed)
        print(json.dumps({"reused": reused, "seconds": marker["seconds"],
                          "generator_peak_mb": marker["generator_peak_mb"]}))  # fmt: skip
        return 0
    scratch = Path(tempfile.mkdtemp(prefix="nhandao-bench-national-"))
    folder = args.dir or scratch / "data"
    folder.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    try:
        print(f"Making (or finding) the bundles at scale {scale:g} in {folder} …",
              file=sys.stderr, flush=True)  # fmt: skip
        made = subprocess.run(
            [python, str(Path(__file__).resolve()), "--generate-only", "--dir", str(folder),
             "--scale", repr(scale), "--seed", str(args.seed)],
            cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True,
        )  # fmt: skip
        about = json.loads(made.stdout.strip().splitlines()[-1])
        marker = json.loads((folder / MARKER).read_text("utf-8"))
        bundles = folder / "bundles"
        national = (folder if args.keep else scratch) / "national"
        workbook = (folder if args.keep else scratch) / "national.xlsx"
        shutil.rmtree(national, ignore_errors=True)
        workbook.unlink(missing_ok=True)
        shutil.copytree(folder / "central", national)
        subprocess.run([python, "-c", ENROL, str(national), str(folder / "keys")], cwd=ROOT,
                       check=True)  # fmt: skip
        cli = [python, "-m", "tui.cli", "--store", str(national)]
        limit = args.limit_gb
        runs: dict[str, list[Run]] = {name: [] for name in LABELS}

        def step(name: str, argv: list[str], limit: float, out: Path | None = None) -> None:
            runs[name].append(measure(argv, limit, out, LABELS[name]))

        print(machine() + "\n", flush=True)
        for _ in range(args.repeat):
            step("read bundles", [python, "-c", READ_BUNDLES, str(bundles)], 0)
        imported = scratch / "import.txt"
        step("import", [*cli, "bundle", "import", str(bundles)], limit, imported)
        if runs["import"][0].stopped:
            del runs["first summary"], runs["summary"], runs["xlsx"], runs["index from nothing"]
            del runs["parse"]
            print(figures_table(runs, args.markdown))
            return 1
        table_file = scratch / "summary.json"
        step("first summary", [*cli, "summary", "--json"], limit, table_file)
        for _ in range(args.repeat):  # alternated, so that a noisy moment touches both
            step("parse", [python, "-c", PARSE, str(national)], 0)
            step("summary", [*cli, "summary", "--json"], limit)
        step("xlsx", [*cli, "summary", "--xlsx", str(workbook)], limit)
        if args.skip_rebuild:
            del runs["index from nothing"]
        else:
            shutil.rmtree(national / "cache", ignore_errors=True)
            step("index from nothing", [*cli, "summary", "--json"], limit)

        totals = marker["totals"]
        files = [*national.glob("*.json"), *(national / "units").glob("*.json")]
        store_mb = sum(f.stat().st_size for f in files) / 1e6
        bundle_mb = sum(p.stat().st_size for p in bundles.glob("*.zip")) / 1e6
        index = national / "cache" / "index.sqlite"
        index_mb = index.stat().st_size / 1e6 if index.exists() else 0.0
        print(
            f"Scale {scale:g}: {totals['addresses']:,} addresses, {totals['aid']:,} aid "
            f"({totals['aid_excluded']:,} excluded, {totals['aid_deleted']:,} deleted), "
            f"{totals['reviews']:,} reviews, {totals['helpers']:,} helpers, "
            f"{totals['attachments']:,} attachments: {totals['records']:,} records in "
            f"{len(marker['bundles'])} bundles of {bundle_mb:,.1f} MB; the national store's "
            f"files after the import {store_mb:,.1f} MB, its index {index_mb:,.1f} MB.\n"
            f"Generation: {marker['seconds']:,.0f} s (peak {marker['generator_peak_mb']:,.0f} MB)"
            f"{', reused from ' + str(folder) if about['reused'] else ''}; "
            f"runs: {args.repeat}; memory limit of each command "
            f"{f'{limit:g} GB' if limit > 0 else 'none'}.\n"
        )
        print(figures_table(runs, args.markdown) + "\n")
        peaks = {name: max(r.peak_mb for r in runs[name]) for name in TARGETED if name in runs}
        highest = max(peaks, key=peaks.__getitem__)
        stopped = [name for name in peaks if any(r.stopped for r in runs[name])]
        met = not stopped and peaks[highest] <= TARGET_PEAK_MB
        print(
            f"Target (issue 16): import, summary and workbook at peak memory ≤ 4 GB "
            f"({TARGET_PEAK_MB:,.0f} MB): {'met' if met else 'MISSED'}; highest "
            f"{peaks[highest]:,.0f} MB ({LABELS[highest]})"
            + (f"; stopped by the {limit:g} GB limit: {', '.join(stopped)}" if stopped else "")
            + "\n"
        )
        summary = orjson.loads(table_file.read_bytes())
        ledger = orjson.loads((national / "ledger.json").read_bytes())
        check, equal = check_table(marker, summary, ledger, args.markdown)
        print(f"The import and the first summary against the generator:\n\n{check}\n")
        print(f"load average at the end {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return 0 if equal else 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
