"""What a person does with records held in quarantine: list them, fix and accept one, or drop one.

A record is held (quarantine.json, see sync/receive.py) when it arrived well signed and in
scope but not valid. It stays until its sender corrects it, or until a person here decides:

- **accept** a corrected copy: it is validated like any save and written as a new version of
  this office made on top of the held version (and of the current one, when the store holds
  the record), so that the correction replaces the held version wherever it travels;
- **drop** it: the held version is not wanted. When the store holds the record, a tombstone is
  written on top of both the current version and the held one, so that the drop travels up
  like any deletion and wins over the held version wherever that arrives (a unit or an
  assessment, which cannot be deleted, gets its current fields again as that new version:
  the record stays, the held version is replaced). When the store does not hold the record,
  nothing is written: the held version is only forgotten here, and held again if its sender
  sends it again (the acknowledgement tells the sender it was held).

Either way the item leaves quarantine.json after the record is written, so that a crash in
between leaves an item whose version the current one replaces, which `held` leaves out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from campaign.records import KINDS
from campaign.validation import Problem
from store import hlc
from store.errors import ValidationError
from store.merge import descends_from
from store.store import Store, data_of
from sync import incoming, ledger
from sync.errors import BundleRefused, SyncError


@dataclass
class HeldRecord:
    """One version held in quarantine, as a person sees it."""

    kind: str
    key: str
    version: str  # the held version's `v`
    sender: str  # the unit whose key signed the bundle it came in
    owner: str
    reasons: list[str]  # Vietnamese sentences
    document: dict  # its fields as a record (docs/RECORDS.md), as sent
    received: str = ""  # ISO date it arrived


def held(store: Store) -> list[HeldRecord]:
    """Every version held in quarantine, in the order they arrived; versions that the current
    version of their record already replaces are left out."""
    received = {(e["key"], e["sequence"]): e.get("imported", "")[:10]
                for e in ledger.Ledger(store).received}  # fmt: skip
    items = []
    for entry in ledger.Quarantine(store).records:
        if _settled(store, entry):
            continue
        line = entry.get("line") or {}
        data = line.get("data") if isinstance(line.get("data"), dict) else {}
        document = KINDS[entry["kind"]].complete(data)
        if line.get("deleted") is True:
            document["deleted"] = True
        items.append(
            HeldRecord(
                kind=entry["kind"],
                key=entry["id"],
                version=entry["v"],
                sender=entry.get("sender", ""),
                owner=entry["owner"],
                reasons=list(entry["reasons"]),
                document=document,
                received=entry.get("received")
                or received.get((entry.get("key"), entry.get("sequence")), ""),
            )
        )
    return items


def accept(store: Store, item: HeldRecord, fixed: dict) -> dict:
    """Save `fixed` (the held record, corrected) as a new version replacing the held one;
    ValidationError listing every problem when it is still not valid. Returns the record as
    `Store.get` gives it."""
    book, entry = _entry(store, item)
    spec = KINDS[item.kind]
    record = dict(fixed)
    if record.get(spec.key) is None:
        record[spec.key] = item.key
    elif record[spec.key] != item.key:
        detail = f"mã phải giữ là «{item.key}» như bản bị giữ lại."
        message = f"{spec.label} mã «{item.key}»: {detail}"
        raise ValidationError([Problem(item.kind, item.key, spec.key, message, detail)])
    if item.document.get("deleted") and "deleted" not in record:
        record["deleted"] = True  # the sender deleted it: a fix of its fields stays deleted
    with store.transaction():  # the new version and the quarantine's release, together
        saved = store.save(item.kind, record, replaces=_replaced(entry))
        _forget(book, item)
    return saved


def drop(store: Store, item: HeldRecord) -> None:
    """Take the item out of quarantine; when the store holds the record, write a tombstone
    made on top of both the current version and the held one (see the module's rule)."""
    book, entry = _entry(store, item)
    stored = store.stored(item.kind, item.key)
    with store.transaction():
        if stored is not None:
            data = data_of(item.kind, stored)
            if KINDS[item.kind].can_be_deleted:
                data["deleted"] = True
            store.save(item.kind, data, replaces=_replaced(entry))
        _forget(book, item)


def _entry(store: Store, item: HeldRecord) -> tuple[ledger.Quarantine, dict]:
    book = ledger.Quarantine(store)
    for entry in book.records:
        same = (entry["kind"], entry["id"], entry["v"]) == (item.kind, item.key, item.version)
        if same and not _settled(store, entry):
            return book, entry
    raise SyncError(
        f"{KINDS[item.kind].label} mã «{item.key}» không còn bị giữ lại: nó đã được nhận hoặc "
        "bỏ, hoặc văn phòng gửi đã gửi bản sửa. Hãy mở lại danh sách bản ghi bị giữ lại."
    )


def _settled(store: Store, entry: dict) -> bool:
    """True when the current version is the held one or was made on top of it."""
    current = store.stored(entry["kind"], entry["id"])
    return current is not None and (
        current["v"] == entry["v"] or descends_from(current, entry["v"])
    )


def _replaced(entry: dict) -> list[str]:
    """The held version and its ancestors, those that are well-formed versions no later than
    it: a held record's envelope may be what was wrong, and a version from it must neither
    break the new version's history nor push this office's clock ahead."""
    version = entry["v"]
    if not hlc.is_version(version):
        return []
    line = entry.get("line") or {}
    history = line.get("history")
    ancestors = [line.get("prev"), *(history if isinstance(history, list) else [])]
    return [version, *(v for v in ancestors if hlc.is_version(v) and v < version)]


def _forget(book: ledger.Quarantine, item: HeldRecord) -> None:
    book.data["records"] = [
        entry
        for entry in book.records
        if (entry["kind"], entry["id"], entry["v"]) != (item.kind, item.key, item.version)
    ]
    book.save()


def release_ahead(store: Store) -> int:
    """Take in the records held only because their version was ahead of this computer's
    clock, now that the clock has caught up (or was set right); how many were taken in.

    Each is screened again as it came (scope, envelope, validation), for the unit that sent
    it; one held again for another reason stays held, with that reason."""
    book = ledger.Quarantine(store)
    now = hlc.now_ms()
    ready = [
        entry
        for entry in book.records
        if entry.get("ahead") and isinstance(entry.get("line"), dict) and hlc.is_version(entry["v"])
        and not hlc.is_ahead(entry["v"], now)
    ]  # fmt: skip
    if not ready:
        return 0
    by_sender: dict[str, list[dict]] = defaultdict(list)
    for entry in ready:
        by_sender[entry["sender"]].append(entry)
    released: set[tuple[str, str, str]] = set()
    # A store opened without its records (the central office's) reads the senders' files.
    units = {unit for sender in by_sender if sender in store.units
             for unit in store.units.subtree(sender)}  # fmt: skip
    with store.scoped(units), store.transaction():
        for sender, entries in by_sender.items():
            try:
                screened = incoming.screen(store, [entry["line"] for entry in entries], sender)
            except BundleRefused:
                continue  # out of the sender's scope now (the directory changed): stays held
            store.merge(screened.documents)
            merged = {(kind, document["id"]) for kind, document in screened.documents}
            released |= {
                (e["kind"], e["id"], e["v"]) for e in entries if (e["kind"], e["id"]) in merged
            }
            for entry in entries:
                again = screened.held.get((entry["kind"], entry["id"]))
                if again is not None:
                    entry["reasons"], entry["ahead"] = again.reasons, again.ahead
        book.data["records"] = [
            e for e in book.records if (e["kind"], e["id"], e["v"]) not in released
        ]
        book.save()
    return len(released)
