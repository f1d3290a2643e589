"""Writing bundles: records up to the office above, the directory down from the province, and
acknowledgements back to the offices whose bundles arrived.

Each bundle takes the next sequence number of this office, saved in the ledger before the
bundle is written, so that no number is ever used twice (a number used twice with other
content is what a receiver reports as a fork).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import orjson

from campaign.dates import format_date
from campaign.records import KIND_ORDER, KINDS
from store import gazetteer
from store.errors import StoreWriteError
from store.files import write_atomic
from store.gazetteer import NATIONAL
from store.store import Store
from sync import acks, armor, directory, keys, ledger
from sync.bundle import DataFile, Packed, pack
from sync.errors import SyncError
from sync.reader import created_date


@dataclass
class Sent:
    """A bundle written: where, its sequence number, what it carries, whether a key was made."""

    path: Path
    sequence: int
    kind: str
    to: str | None
    records: int
    units: int
    key_created: bool = False


def receiver_of(store: Store) -> str:
    """The office above: records go to the unit's parent."""
    parent = store.units[store.office.unit]["parent"]
    if parent is not None:
        return parent
    if keys.is_national_office(store):
        raise SyncError(
            "Văn phòng Trung ương Hội là cấp cao nhất: dữ liệu các tỉnh được tổng hợp ở đây, "
            "không gửi đi đâu."
        )
    if keys.national_key(store) is not None:
        return NATIONAL
    raise SyncError(
        "Văn phòng Tỉnh Hội chưa ghim khoá của Trung ương Hội nên chưa gửi dữ liệu lên được. "
        "Khi Trung ương Hội gửi khoá công khai (tệp office.pub), hãy đối chiếu dấu vân tay qua "
        "điện thoại rồi ghim bằng «nhandao keys pin TỆP --national». Còn các văn phòng cấp "
        "dưới nhận gói danh mục bằng «nhandao bundle directory»."
    )


def _line(kind: str, document: dict) -> bytes:
    data = {name: document[name] for name in KINDS[kind].field_names if name in document}
    line = {"kind": kind, "id": document["id"], "owner": document["owner"], "v": document["v"]}
    if document.get("prev") is not None:
        line["prev"] = document["prev"]
    if document.get("history"):
        line["history"] = document["history"]
    if document.get("deleted"):
        line["deleted"] = True
    line["by"] = document["by"]
    line["data"] = data
    return orjson.dumps(line)


def export_records(
    store: Store,
    destination: Path,
    *,
    full: bool = False,
    armored: bool = False,
    to: str | None = None,
) -> Sent | None:
    """Write the records the office above (`to`, by default the unit's parent) does not hold
    yet, every record with `full`; return None when it holds them all."""
    above = {unit["code"] for unit in store.units.ancestors(store.office.unit)}
    # An old commune hands its records to the office of the 2025 unit it went to.
    above.update(code for code in gazetteer.successors(store.office.unit) if code in store.units)
    if keys.national_key(store) is not None:
        above.add(NATIONAL)
    if to is None:
        to = receiver_of(store)
    elif to not in above:
        name = store.units.name(to) if to in store.units else f"đơn vị «{to}»"
        raise SyncError(
            f"{name} không phải đơn vị cấp trên của văn phòng này: dữ liệu chỉ gửi lên cấp "
            "trên (mặc định là đơn vị ngay trên)."
        )
    held = {} if full else ledger.Acked(store).of(to)
    # Each unit's lines go straight into one buffer: orjson gives every `dumps` result a 4 KB
    # allocation whatever its length, so a list of a large province's lines took gigabytes.
    lines: dict[str, bytearray] = defaultdict(bytearray)
    counts: dict[str, int] = defaultdict(int)
    versions: dict[str, dict[str, str]] = defaultdict(dict)
    for kind in KIND_ORDER:
        known = held.get(kind, {})
        for document in sorted(store.records(kind, live=False), key=lambda d: d["id"]):
            if full or known.get(document["id"]) != document["v"]:
                owner = document["owner"]
                lines[owner] += _line(kind, document)
                lines[owner] += b"\n"
                counts[owner] += 1
                versions[kind][document["id"]] = document["v"]
    if not lines and not full:
        return None
    files = [
        DataFile(f"records/{owner}.jsonl", bytes(rows), counts[owner])
        for owner, rows in sorted(lines.items())
    ]
    if not files:
        raise SyncError("Kho chưa có bản ghi nào để gửi.")
    count = sum(f.records for f in files)
    return _send(store, destination, "records", to, files, armored, count, dict(versions))


def export_directory(
    store: Store, destination: Path, *, armored: bool = False, again: bool = False
) -> Sent | None:
    """The province's units and enrolled keys, for every office below; None when this revision
    of the directory was sent already (the offices that took it in would refuse it as not
    newer), unless `again` (an office lost the first one)."""
    if not keys.is_province_office(store):
        raise SyncError(
            "Chỉ văn phòng Tỉnh Hội gửi gói danh mục. Văn phòng này nhận danh mục từ Tỉnh Hội "
            "bằng «nhandao bundle import»."
        )
    if keys.is_national_office(store):
        raise SyncError(
            "Văn phòng Trung ương Hội không gửi gói danh mục: mỗi Tỉnh Hội giữ danh mục đơn vị "
            "và khoá của tỉnh mình. Trung ương Hội chỉ đăng ký khoá của các Tỉnh Hội "
            "(«nhandao keys enrol TỆP --unit MÃ_TỈNH») và nhận dữ liệu của họ."
        )
    if not again and directory_sent(store) is not None:
        return None
    payload, units = directory.content(store)
    return _send(
        store, destination, "directory", None, [DataFile("directory.json", payload, units)],
        armored, units, None, revision=store.directory["revision"],
    )  # fmt: skip


def directory_unchanged(store: Store) -> str:
    """What the province is told when the directory it would send was sent already."""
    last = directory_sent(store)
    assert last is not None
    day = format_date(created_date(last["created"]))
    return (
        f"Danh mục số hiệu {store.directory['revision']} đã được gửi ngày {day} (gói số "
        f"{last['sequence']}) và từ đó không đổi: các văn phòng đã nhận sẽ từ chối gói mới vì "
        "«không mới hơn». Không ghi gói nào. Nếu một văn phòng chưa nhận được gói trước, hãy "
        "gửi lại cho họ chính tệp đó."
    )


def directory_sent(store: Store) -> dict | None:
    """The last directory bundle sent at the directory's current revision, if one was."""
    revision = store.directory["revision"]
    return next(
        (
            entry
            for entry in reversed(ledger.Ledger(store).sent)
            if entry["kind"] == "directory" and entry.get("revision") == revision
        ),
        None,
    )


def pending_acks(store: Store, *, again: bool = False) -> dict[str, list[dict]]:
    """Records bundles received and not yet acknowledged (all of them with `again`), grouped
    by the unit that sent them."""
    grouped: dict[str, list[dict]] = defaultdict(list)
    for entry in ledger.Ledger(store).received:
        if entry["kind"] == "records" and (again or not entry.get("acked")):
            grouped[entry["sender"]].append(entry)
    return dict(grouped)


def export_ack(
    store: Store, destination: Path, unit: str, *, again: bool = False, armored: bool = False
) -> Sent:
    """An acknowledgement to `unit`'s office of the bundles received from it."""
    entries = pending_acks(store, again=again).get(unit)
    if not entries:
        name = store.units.name(unit) if unit in store.units else unit
        raise SyncError(
            f"Không có gói nào của {name} ({unit}) đang chờ xác nhận. Thêm --all để xác nhận lại "
            "mọi gói đã nhận của văn phòng đó."
        )
    payload = acks.content(store.office.unit, entries)
    sent = _send(
        store, destination, "ack", unit, [DataFile("ack.json", payload, len(entries))],
        armored, len(entries), None,
    )  # fmt: skip
    book = ledger.Ledger(store)
    acknowledged = {(e["key"], e["sequence"]) for e in entries}
    for entry in book.received:
        if (entry["key"], entry["sequence"]) in acknowledged:
            entry["acked"] = sent.sequence
    book.save()
    return sent


def export_acks(store: Store, folder: Path, *, armored: bool = False) -> list[Sent]:
    """An acknowledgement to each office below whose bundles arrived and were not acknowledged
    yet, each in its own file in `folder`; empty when none is due."""
    return [
        export_ack(store, folder, unit, armored=armored) for unit in sorted(pending_acks(store))
    ]


def _send(
    store: Store,
    destination: Path,
    kind: str,
    to: str | None,
    files: list[DataFile],
    armored: bool,
    records: int,
    versions: dict[str, dict[str, str]] | None,
    *,
    revision: int | None = None,
) -> Sent:
    key = keys.office_key(store)
    book = ledger.Ledger(store)
    # The sequence is used once written: the ledger and the office's counter in one commit,
    # before the bundle leaves (its outbox entry, written at once, also marks it used).
    with store.transaction():
        sequence = book.reserve_sequence()
        if versions is not None:
            ledger.write_outbox(store, sequence, to or "", versions)
        packed = pack(
            kind=kind, sender=store.office.unit, key=key, sequence=sequence,
            created=store.clock.tick(), to=to, files=files, office_id=store.office.id,
        )  # fmt: skip
        entry = {"sequence": sequence, "bundle": packed.manifest["bundle"], "kind": kind,
                 "to": to, "digest": packed.digest, "created": packed.manifest["created"],
                 "records": records, "acked": None}  # fmt: skip
        if revision is not None:
            entry["revision"] = revision
        book.sent.append(entry)
        book.save()
    path = _target(destination, store.office.unit, to, sequence, kind, armored)
    _write(path, packed, store, armored)
    return Sent(path, sequence, kind, to, records, len(files), key.created)


def file_name(unit: str, to: str | None, sequence: int, kind: str, armored: bool) -> str:
    """«nhandao-25456-den-703-00001-records.zip»: who sends, to whom («tat-ca», every office
    below, for a directory), the sender's sequence and the kind. ASCII only, and valid on
    Windows: a unit code's other characters become «_», and the name never is a reserved one
    (it starts with «nhandao-»). Readers go by the content, never by the name: files named
    before (`nhandao-25456-00001-records.zip`) or renamed by hand are read all the same."""
    whom = _safe(to) if to else "tat-ca"
    suffix = ".txt" if armored else ".zip"
    return f"nhandao-{_safe(unit)}-den-{whom}-{sequence:05d}-{kind}{suffix}"


def _safe(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", code)


def _target(
    destination: Path, unit: str, to: str | None, sequence: int, kind: str, armored: bool
) -> Path:
    if destination.is_dir():
        return destination / file_name(unit, to, sequence, kind, armored)
    return destination


def _write(path: Path, packed: Packed, store: Store, armored: bool) -> None:
    payload = packed.payload
    if armored:
        manifest = packed.manifest
        to = manifest["to"]
        whom = f" gửi {store.units.name(to)}" if to in store.units else ""
        preface = (
            f"Gói dữ liệu nhandao số {manifest['sequence']} của "
            f"{store.units.name(store.office.unit)}{whom}.\n"
            "Hãy lưu nguyên thư này thành một tệp (ví dụ goi.txt) rồi nhập bằng lệnh "
            "«nhandao bundle import goi.txt»."
        )
        payload = armor.armor(payload, preface).encode("utf-8")
    try:
        write_atomic(path, payload)
    except OSError as error:
        raise StoreWriteError(path, error) from error
