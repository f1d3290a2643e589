"""Benchmark the province importing every commune's bundle, against reading the same zips.

Setup (untimed): the province demo is split by commune; each commune gets an Ed25519 key,
enrolled at a province store, and one signed records bundle of its records. What the
communes do not own (units, the districts' and schools' records) is saved in the province
store first, as the province would hold it. Then, each in a fresh process so that peak memory
is the import's own:

- **ours**: open the province store and `import_bundles` the 95 bundles: read, check the zip,
  the signature, the manifest and every hash, parse, check scope, validate every record,
  merge, write each unit file once, the ledger;
- **floor**: a plain but complete import written for this benchmark (`child_floor`): the
  same checks, no messages, quarantine, conflicts, backups or commit; the target is ours
  ≤ 1.5× it (docs/PERFORMANCE.md says why);
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
TARGET_RATIO = 1.5  # ours / floor, at most
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


def child_floor(store_path: Path, bundles: list[Path]) -> dict:
    """The floor: a plain but complete implementation of what an import must do, written for
    this benchmark in plain Python, simply, with no attempt at speed beyond the obvious.

    Untimed, as ours opens its store untimed: it reads the store's directory (units, enrolled
    keys) and every unit file into dicts. Timed, for each bundle: open the zip, check its
    member names, verify the minisign signature (Ed25519 of the manifest's BLAKE2b-512, and the
    global signature over the trusted comment, with `cryptography`) with the key enrolled for
    the sender, check the manifest's addressee, then for each data file its size and SHA-256
    against the manifest; parse every line with orjson, check its envelope (types, version
    form, the owner in the signer's subtree and equal to its file's unit, the id equal to the
    data's key), check every field of the record by its type (required fields, text trimmed
    and NFC, no control characters, integers, dates ISO and in the calendar and not in the
    future, choices in their vocabulary, unknown fields refused, money an int ≥ 0), and the
    references it makes (unit, address, helper, same_as; aid not before its address's survey);
    then merge into the unit files' tables by id, the newer version winning. At the end, one
    durable write (orjson, temporary file, fsync, os.replace) per unit file changed, and one of
    the ledger.

    What it does not do, and ours does: Vietnamese messages for every problem (it only counts
    them), holding a bad record in quarantine, versions' ancestry (conflicts, descendants), a
    line equal to the stored version counted unchanged, attachments' overlapping periods, the
    store's in-memory index and shared strings, backups of each file, and the journal that makes
    all the files of an import one commit."""
    import base64
    import hashlib
    import re
    import unicodedata
    import zipfile
    from datetime import date

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    directory = orjson.loads((store_path / "directory.json").read_bytes())
    parents = {u["code"]: u["parent"] for u in directory["units"]}
    unit_kinds = {u["code"]: u["kind"] for u in directory["units"]}
    enrolled = {}
    for entry in directory["keys"]:
        raw = base64.b64decode(entry["public"])
        enrolled[raw[2:10]] = (Ed25519PublicKey.from_public_bytes(raw[10:]), entry["unit"])
    office = orjson.loads((store_path / "office.json").read_bytes())
    province = office.get("unit") or directory["province"]
    files: dict[str, dict] = {}
    for path in (store_path / "units").glob("*.json"):
        tables = orjson.loads(path.read_bytes())
        # Tables by record id (the store's are by TinyDB's document number), to merge by id.
        files[path.stem] = {
            name: {d.get("id", number): d for number, d in documents.items()}
            for name, documents in tables.items()
        }
    by_id: dict[str, dict[str, dict]] = {kind: {} for kind in KINDS}
    for tables in files.values():
        for name, documents in tables.items():
            kind = KIND_OF.get(name.split(".")[0])
            if kind is not None:
                for document in documents.values():
                    by_id[kind][document["id"]] = document
    version_form = re.compile(r"[0-9]{13,20}-[0-9]{4}-\S+")
    iso_day = re.compile(r"\d{4}-\d{2}-\d{2}")
    records_name = re.compile(r"records/([A-Za-z0-9][A-Za-z0-9._-]{0,31})\.jsonl")
    control = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
    today = date.today().isoformat()

    def order(version: str) -> tuple[int, int, str]:
        ms, counter, node = version.split("-", 2)
        return int(ms), int(counter), node

    def below(unit: str | None, signer: str) -> bool:
        while unit is not None:
            if unit == signer:
                return True
            unit = parents.get(unit)
        return False

    def field_problems(kind: str, data: dict) -> int:
        bad = 0
        spec = KINDS[kind]
        for f in spec.fields:
            value = data.get(f.name)
            if value is None or value == "":
                bad += f.type in ("id", "code", "ref", "text", "int", "date", "enum")
                continue
            if f.type in ("id", "code", "ref", "ref?"):
                bad += not isinstance(value, str) or value != value.strip() or len(value) > 64
            elif f.type in ("text", "line", "prose"):
                bad += (
                    not isinstance(value, str)
                    or not unicodedata.is_normalized("NFC", value)
                    or (f.type != "prose" and control.search(value) is not None)
                    or len(value) > (20_000 if f.type == "prose" else 500)
                )
            elif f.type == "int":
                bad += value.__class__ is not int or (f.name == "value" and value < 0)
            elif f.type == "bool":
                bad += value.__class__ is not bool
            elif f.type in ("date", "date?"):
                if not isinstance(value, str) or not iso_day.fullmatch(value):
                    bad += 1
                else:
                    try:
                        bad += not "2000-01-01" <= date.fromisoformat(value).isoformat() <= today
                    except ValueError:
                        bad += 1
            elif f.type in ("enum", "enum?"):
                bad += value not in f.vocabulary  # type: ignore[operator]
            elif f.type == "groups":
                bad += not isinstance(value, list) or any(
                    g not in f.vocabulary  # type: ignore[operator]
                    for g in value
                )
        bad += any(name not in spec.allowed for name in data)
        if "unit" in data and data["unit"] not in parents:
            bad += 1
        if kind in ("attachment", "aid", "review") and data.get("address") not in by_id["address"]:
            bad += 1
        if data.get("helper") is not None and data["helper"] not in by_id["helper"]:
            bad += 1
        if data.get("same_as") is not None and data["same_as"] not in by_id["helper"]:
            bad += 1
        if kind == "aid":
            address = by_id["address"].get(data.get("address"))
            if address is not None and data.get("on", "") < address.get("surveyed_on", ""):
                bad += 1
        return bad

    started = time.perf_counter()
    merged = problems = refused = 0
    changed: set[str] = set()
    ledger = []
    kind_order = {kind: number for number, kind in enumerate(KINDS)}
    for path in bundles:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if not {"manifest.json", "manifest.json.minisig"} <= set(names) or any(
                n not in ("manifest.json", "manifest.json.minisig")
                and not records_name.fullmatch(n)
                for n in names
            ):
                refused += 1
                continue
            manifest_bytes = archive.read("manifest.json")
            lines = archive.read("manifest.json.minisig").decode().split("\n")
            decoded, global_signature = base64.b64decode(lines[1]), base64.b64decode(lines[3])
            key, signer = enrolled[decoded[2:10]]
            key.verify(decoded[10:], hashlib.blake2b(manifest_bytes).digest())
            key.verify(
                global_signature, decoded[10:] + lines[2][len("trusted comment: ") :].encode()
            )
            manifest = orjson.loads(manifest_bytes)
            if manifest["to"] != province or manifest["sender"] != signer:
                refused += 1
                continue
            rows = []
            for listed in manifest["files"]:
                content = archive.read(listed["path"])
                if len(content) != listed["size"] or (
                    hashlib.sha256(content).hexdigest() != listed["sha256"]
                ):
                    raise RuntimeError(f"{path.name}: {listed['path']} does not match")
                unit = records_name.fullmatch(listed["path"]).group(1)  # type: ignore[union-attr]
                rows += [(unit, orjson.loads(part)) for part in content.split(b"\n") if part]
        # References point to earlier kinds (addresses before their aid): check in that order.
        rows.sort(key=lambda row: kind_order[row[1]["kind"]])
        for unit, row in rows:
            kind, data, owner, version = row["kind"], row["data"], row["owner"], row["v"]
            if (
                kind not in KINDS
                or not isinstance(data, dict)
                or not isinstance(row["id"], str)
                or not isinstance(row["by"], str)
                or not version_form.fullmatch(version)
                or owner != unit
                or not below(owner, signer)
                or data.get(KINDS[kind].key) != row["id"]
            ):
                refused += 1
                continue
            if kind == "unit" and row["id"] in unit_kinds:
                continue  # an official unit: the directory holds it
            bad = field_problems(kind, data)
            if bad:
                problems += bad
                continue
            current = by_id[kind].get(row["id"])
            if current is not None and order(current["v"]) >= order(version):
                continue
            document = {"id": row["id"], "owner": owner, "v": version, "by": row["by"]}
            document.update((n, v) for n, v in data.items() if v is not None and v is not False)
            by_id[kind][row["id"]] = document
            tables = files.setdefault(owner, {"meta": {"1": {"unit": owner}}})
            table = tables.setdefault(KINDS[kind].collection, {})
            table[row["id"]] = document
            changed.add(owner)
            merged += 1
        ledger.append({"sender": manifest["sender"], "sequence": manifest["sequence"],
                       "digest": hashlib.sha256(manifest_bytes).hexdigest()})  # fmt: skip

    def durable(target: Path, payload: bytes) -> None:
        temporary = target.with_name(f".{target.name}.floor")
        with open(temporary, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)

    for code in sorted(changed):
        durable(store_path / "units" / f"{code}.json", orjson.dumps(files[code]))
    durable(store_path / "floor-ledger.json", orjson.dumps({"received": ledger}))
    return {
        "seconds": time.perf_counter() - started,
        "merged": merged,
        "problems": problems,
        "refused": refused,
        "files": len(changed),
    }


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
    parser.add_argument(
        "--child", choices=("ours", "again", "floor", "reference"), help=argparse.SUPPRESS
    )
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--bundles", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.child:
        bundles = sorted(args.bundles.glob("*.zip"))
        if args.child in ("ours", "again"):
            measured = child_ours(args.store, bundles)
        elif args.child == "floor":
            measured = child_floor(args.store, bundles)
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
        runs: dict[str, list[dict]] = {"ours": [], "floor": [], "reference": []}
        again = []
        for run in range(repeat):
            copy, floor_copy = folder / f"run-{run}", folder / f"floor-{run}"
            shutil.copytree(store_path, copy)
            shutil.copytree(store_path, floor_copy)
            # Rotate which goes first, so that noise falls on all alike.
            order = [("ours", copy), ("floor", floor_copy), ("reference", store_path)]
            order = order[run % 3 :] + order[: run % 3]
            for mode, path in order:
                runs[mode].append(run_child(mode, path, folder / "bundles"))
            again.append(run_child("again", copy, folder / "again"))
            shutil.rmtree(copy)
            shutil.rmtree(floor_copy)
    ours, floor, reference = runs["ours"], runs["floor"], runs["reference"]
    problems = [o for o in ours + again if o["refused"] or o["held"]]
    problems += [
        f for f in floor if f["refused"] or f["problems"] or f["merged"] != ours[0]["merged"]
    ]
    if problems or any(a["unchanged"] != records for a in again):
        print(f"Unexpected outcome: {problems or again}")
        return 1
    print(f"Merged: {ours[0]['merged']:,} records by ours, {floor[0]['merged']:,} by the floor\n")
    our_time = statistics.median(o["seconds"] for o in ours)
    floor_time = statistics.median(f["seconds"] for f in floor)
    ref_time = statistics.median(r["seconds"] for r in reference)
    our_peak = max(o["peak_mb"] for o in ours)
    ref_peak = max(r["peak_mb"] for r in reference)
    rows = [
        ["way", "what", "runs", "median", "peak memory"],
        ["ours", "import_bundles: verify, validate, merge, write", str(len(ours)),
         f"{our_time:.2f} s", f"{our_peak:.0f} MB"],
        ["floor", "plain complete import: verify, check, merge, write", str(len(floor)),
         f"{floor_time:.2f} s", f"{max(f['peak_mb'] for f in floor):.0f} MB"],
        ["reference", "read the zips, parse every JSON line", str(len(reference)),
         f"{ref_time:.2f} s", f"{ref_peak:.0f} MB"],
        ["sent again", "the same records in new bundles: all unchanged", str(len(again)),
         f"{statistics.median(a['seconds'] for a in again):.2f} s",
         f"{max(a['peak_mb'] for a in again):.0f} MB"],
    ]  # fmt: skip
    ratio = our_time / floor_time
    checks = [
        ["figure", "value", "target", "verdict"],
        ["ours / floor", f"{ratio:.2f}×", f"≤ {TARGET_RATIO:g}×",
         "met" if ratio <= TARGET_RATIO else "MISSED"],
        ["ours / reference", f"{our_time / ref_time:.2f}×", "none", ""],
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
