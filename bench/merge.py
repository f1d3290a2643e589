"""Benchmark the province importing every commune's bundle, against reading the same zips.

Setup (untimed): the province demo is split by commune; each commune gets an Ed25519 key,
enrolled at a province store, and one signed records bundle of its records. What the
communes do not own (units, the districts' and schools' records) is saved in the province
store first, as the province would hold it. Then, each in a fresh process so that peak memory
is the import's own:

- **ours**: open the province store and `import_bundles` the 95 bundles: read, check the zip,
  the signature, the manifest and every hash, parse, check scope, validate every record,
  merge, write each unit file once, the ledger;
- **reference**: open each zip, read its members and parse every JSON line; nothing else.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from tables import table

from campaign.records import KINDS
from store import gazetteer
from store.demo import make_demo
from store.hlc import HybridClock
from store.store import Store
from sync import keys, minisign
from sync.bundle import DataFile, pack
from sync.keys import OfficeKey

ROOT = Path(__file__).resolve().parent.parent
SEED = 1
REPEAT = 3
TARGET_RATIO = 3.0  # ours / reference, at most
TARGET_PEAK_MB = 500.0
KIND_OF = {spec.collection: kind for kind, spec in KINDS.items()}


def split(
    scale: str, seed: int
) -> tuple[dict[str, list[tuple[str, dict]]], list[tuple[str, dict]]]:
    """The demo's records: those of each commune, and the rest (for the province store)."""
    demo = make_demo(seed, scale)
    tree = {u["code"]: u for u in gazetteer.province_units(gazetteer.DEFAULT_PROVINCE)}
    communes = {code for code, unit in tree.items() if unit["kind"] == "commune"}
    address_unit = {a["id"]: a["unit"] for a in demo.records["addresses"]}
    per_commune: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    rest: list[tuple[str, dict]] = []
    for collection, records in demo.records.items():
        kind = KIND_OF[collection]
        for record in records:
            if kind == "unit":
                owner = record["parent"]
            elif "address" in record and kind != "address":
                owner = address_unit[record["address"]]
            else:
                owner = record["unit"]
            if kind != "unit" and owner in communes:
                per_commune[owner].append((kind, record))
            else:
                rest.append((kind, record))
    return dict(per_commune), rest


def line(kind: str, record: dict, owner: str, clock: HybridClock) -> bytes:
    """A record line as a commune office writes it (docs/BUNDLE.md)."""
    data = {name: value for name, value in record.items() if value is not None}
    key = record[KINDS[kind].key]
    envelope = {"kind": kind, "id": key, "owner": owner, "v": clock.tick(), "by": clock.node}
    return orjson.dumps({**envelope, "data": data})


def build(folder: Path, scale: str, seed: int) -> tuple[Path, list[Path], int]:
    """The province store (with what communes do not own) and one bundle per commune; and in
    again/ the same records in new bundles, as an office that never had an acknowledgement
    sends them again."""
    per_commune, rest = split(scale, seed)
    store_path = folder / "province"
    bundles, again = folder / "bundles", folder / "again"
    bundles.mkdir()
    again.mkdir()
    records = 0
    with Store.create(store_path, "72", demo=True) as store:
        keys.office_key(store)
        store.save_many(rest)
        for number, (commune, items) in enumerate(sorted(per_commune.items()), start=1):
            private = Ed25519PrivateKey.generate()
            key = OfficeKey(private, minisign.public_key_of(private))
            keys.enrol(store, key.public, commune)
            clock = HybridClock(f"{commune}-bench")
            lines = b"\n".join(line(kind, record, commune, clock) for kind, record in items)
            for sequence, target in ((1, bundles), (2, again)):
                packed = pack(
                    kind="records", sender=commune, key=key, sequence=sequence,
                    created=clock.tick(), to="72", office_id=clock.node,
                    files=[DataFile(f"records/{commune}.jsonl", lines + b"\n", len(items))],
                )  # fmt: skip
                (target / f"{number:03d}-{commune}.zip").write_bytes(packed.payload)
            records += len(items)
    return store_path, sorted(bundles.glob("*.zip")), records


def child_ours(store_path: Path, bundles: list[Path]) -> dict:
    from sync.receive import import_bundles

    with Store.open(store_path) as store:
        started = time.perf_counter()
        reports = import_bundles(store, bundles)
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "refused": [r.refusal.reason for r in reports if r.refusal is not None],
        "held": sum(len(r.held) for r in reports),
        "merged": sum(r.total("new") + r.total("updated") for r in reports),
        "unchanged": sum(r.total("unchanged") for r in reports),
    }


def child_reference(bundles: list[Path]) -> dict:
    import zipfile

    started = time.perf_counter()
    parsed = 0
    for path in bundles:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                content = archive.read(name)
                if name.endswith(".jsonl"):
                    rows = [orjson.loads(part) for part in content.split(b"\n") if part]
                    parsed += len(rows)
                else:
                    orjson.loads(content) if name.endswith(".json") else None
    return {"seconds": time.perf_counter() - started, "parsed": parsed}


def run_child(mode: str, store_path: Path, bundles: Path) -> dict:
    """One measurement in a fresh process; its peak resident memory comes with it."""
    result = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--store", str(store_path),
         "--bundles", str(bundles)],
        cwd=ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"{mode} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def peak_mb() -> float:
    """This process's peak resident memory. On Linux, from /proc (VmHWM): getrusage's
    ru_maxrss keeps the parent's peak across fork and exec, and the parent built the data."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        import resource  # not on Windows, where this benchmark reports no memory

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
    kilobytes = next(
        int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")
    )
    return kilobytes / 1024


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true",
        help="one district's ten communes and one run: to keep it working in CI",
    )  # fmt: skip
    parser.add_argument("--repeat", type=int, help=f"runs of each (default {REPEAT})")
    parser.add_argument("--seed", type=int, default=SEED, help="demo seed")
    parser.add_argument("--dir", type=Path, help="where to make the temporary folder")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--child", choices=("ours", "again", "reference"), help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--bundles", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.child:
        bundles = sorted(args.bundles.glob("*.zip"))
        if args.child in ("ours", "again"):
            measured = child_ours(args.store, bundles)
        else:
            measured = child_reference(bundles)
        print(json.dumps({**measured, "peak_mb": peak_mb()}))
        return 0
    scale = "district" if args.quick else "province"
    repeat = args.repeat or (1 if args.quick else REPEAT)
    with tempfile.TemporaryDirectory(prefix="nhandao-bench-", dir=args.dir) as name:
        folder = Path(name)
        started = time.perf_counter()
        store_path, bundles, records = build(folder, scale, args.seed)
        size = sum(p.stat().st_size for p in bundles)
        print(
            f"Merge: the province imports {len(bundles)} commune bundles, {records:,} records, "
            f"{size / 1e6:.1f} MB of zips (built in {time.perf_counter() - started:.1f} s)"
        )
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
        print(
            f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, "
            f"load average {load}\n"
        )
        ours, reference, again = [], [], []
        for run in range(repeat):
            copy = folder / f"run-{run}"
            shutil.copytree(store_path, copy)
            # Alternate which goes first, so that noise falls on both alike.
            pair = [("reference", None), ("ours", copy)]
            for mode, path in pair if run % 2 == 0 else reversed(pair):
                measured = run_child(mode, path or store_path, folder / "bundles")
                (ours if mode == "ours" else reference).append(measured)
            again.append(run_child("again", copy, folder / "again"))
            shutil.rmtree(copy)
    problems = [o for o in ours + again if o["refused"] or o["held"]]
    if problems or any(a["unchanged"] != records for a in again):
        print(f"Unexpected outcome: {problems or again}")
        return 1
    our_time = statistics.median(o["seconds"] for o in ours)
    ref_time = statistics.median(r["seconds"] for r in reference)
    our_peak = max(o["peak_mb"] for o in ours)
    ref_peak = max(r["peak_mb"] for r in reference)
    rows = [
        ["way", "what", "runs", "median", "peak memory"],
        ["ours", "import_bundles: verify, validate, merge, write", str(len(ours)),
         f"{our_time:.2f} s", f"{our_peak:.0f} MB"],
        ["reference", "read the zips, parse every JSON line", str(len(reference)),
         f"{ref_time:.2f} s", f"{ref_peak:.0f} MB"],
        ["sent again", "the same records in new bundles: all unchanged", str(len(again)),
         f"{statistics.median(a['seconds'] for a in again):.2f} s",
         f"{max(a['peak_mb'] for a in again):.0f} MB"],
    ]  # fmt: skip
    ratio = our_time / ref_time
    checks = [
        ["figure", "value", "target", "verdict"],
        ["ours / reference", f"{ratio:.2f}×", f"≤ {TARGET_RATIO:g}×",
         "met" if ratio <= TARGET_RATIO else "MISSED"],
        ["peak memory of ours", f"{our_peak:.0f} MB", f"≤ {TARGET_PEAK_MB:g} MB",
         "met" if our_peak <= TARGET_PEAK_MB else "MISSED"],
    ]  # fmt: skip
    print(table(rows, args.markdown, right=2))
    print()
    print(table(checks, args.markdown, right=1))
    missed = ratio > TARGET_RATIO or our_peak > TARGET_PEAK_MB
    if args.check and not args.quick and missed:
        print("\nTarget missed.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
