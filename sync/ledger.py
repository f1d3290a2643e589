"""The office's record of bundles: sent and received (ledger.json), what the office above has
acknowledged (acked.json), what each unacknowledged bundle carried (outbox/), and records held
in quarantine (quarantine.json).

Each is a JSON file of the store, written durably with a backup of its last good copy. A
bundle's identity is its signing key, its sequence number and the SHA-256 of its manifest:
the same bundle twice is recognised, the same sequence with another manifest is a fork.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import orjson

from store import shapes, strict_json
from store.errors import BrokenStoreError, StoreWriteError
from store.files import BackedUpFile, BrokenFileError, write_atomic
from store.shapes import text
from store.store import Store

LEDGER, ACKED, QUARANTINE, OUTBOX = "ledger", "acked", "quarantine", "outbox"
VERSION = 1


def _versions(value: object) -> bool:
    """kind → record id → version, as acked.json keeps them per receiver."""
    return isinstance(value, dict) and all(
        isinstance(by_id, dict) and all(isinstance(v, str) for v in by_id.values())
        for by_id in value.values()
    )


def _counts(value: object) -> bool:
    """How many records of each outcome: status → a JSON integer from 0 up."""
    return isinstance(value, dict) and all(map(shapes.natural, value.values()))


_VERSIONS = shapes.expect(_versions, "phải là một đối tượng JSON {loại: {mã: phiên bản}}")
_COUNTS = shapes.expect(_counts, "phải là một đối tượng JSON {...} của các số nguyên không âm")

# What a whole file of each kind looks like (see store/shapes.py): anything else is broken.
SHAPES = {
    LEDGER: shapes.of_format(
        "nhandao-ledger",
        next_sequence=shapes.count,
        sent=shapes.list_of(
            shapes.has(
                sequence=shapes.count,
                bundle=text,
                kind=text,
                digest=text,
                records=shapes.optional(shapes.natural),
            )
        ),
        received=shapes.list_of(
            shapes.has(
                key=text,
                sender=text,
                sequence=shapes.count,
                digest=text,
                kind=text,
                counts=shapes.optional(_COUNTS),
            )
        ),
    ),
    ACKED: shapes.of_format(
        "nhandao-acked",
        receivers=shapes.expect(
            lambda value: isinstance(value, dict) and all(map(_versions, value.values())),
            "phải là một đối tượng JSON {văn phòng: {loại: {mã: phiên bản}}}",
        ),
    ),
    QUARANTINE: shapes.of_format(
        "nhandao-quarantine",
        records=shapes.list_of(
            shapes.has(
                kind=text,
                id=shapes.present,
                v=shapes.present,
                sequence=shapes.optional(shapes.count),
            )
        ),
    ),
}
# outbox/<sequence>.json: what a records bundle carried, until it is acknowledged.
OUTBOX_SHAPE = shapes.of_format("nhandao-outbox", sequence=shapes.count, records=_VERSIONS)


def _file(store: Store, name: str) -> BackedUpFile:
    return BackedUpFile(store.path / f"{name}.json", store.path / "backups" / name, SHAPES[name])


def _read(store: Store, name: str, empty: dict) -> dict:
    file = _file(store, name)
    if not file.path.exists() and not file.backups.is_dir():
        return empty
    try:
        data, recovery = file.read()
    except FileNotFoundError:
        return empty
    except BrokenFileError:
        raise BrokenStoreError(
            f"Tệp {file.path} bị hỏng và không có bản sao lưu nào đọc được. Tệp được giữ "
            "nguyên; hãy chép lại tệp này từ bản lưu trữ gần nhất."
        ) from None
    if recovery is not None:
        store.recoveries.append(recovery)
    assert isinstance(data, dict)
    return data


def _write(store: Store, name: str, data: dict) -> None:
    file = _file(store, name)
    try:
        file.write(orjson.dumps(data))
    except OSError as error:
        raise StoreWriteError(file.path, error) from error


class Ledger:
    """ledger.json: the next sequence number, the bundles sent and the bundles received."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.data = _read(
            store,
            LEDGER,
            {"format": "nhandao-ledger", "version": VERSION, "next_sequence": 1, "sent": [],
             "received": []},
        )  # fmt: skip

    @property
    def sent(self) -> list[dict]:
        return self.data["sent"]

    @property
    def received(self) -> list[dict]:
        return self.data["received"]

    def reserve_sequence(self) -> int:
        """A sequence number never used before by this office, even after ledger.json was
        restored from an older backup (which would make the next bundle look like a fork): the
        highest of the ledger's, the office's counter, the bundles sent and the outbox. The
        caller saves the ledger in the same transaction (it raises the office's counter)."""
        outbox = self.store.path / OUTBOX
        kept = (
            [int(p.stem) for p in outbox.glob("*.json") if p.stem.isdigit()]
            if outbox.is_dir()
            else []
        )
        sequence = max(
            int(self.data["next_sequence"]),
            self.store.counter("sequence") + 1,
            *(entry["sequence"] + 1 for entry in self.sent),
            *(number + 1 for number in kept),
        )
        self.data["next_sequence"] = sequence + 1
        self.store.raise_counter("sequence", sequence)
        return sequence

    def find_received(self, key: str, sequence: int) -> dict | None:
        return next(
            (e for e in self.received if e["key"] == key and e["sequence"] == sequence), None
        )

    def find_sent(self, sequence: int) -> dict | None:
        return next((e for e in self.sent if e["sequence"] == sequence), None)

    def save(self) -> None:
        _write(self.store, LEDGER, self.data)


class Acked:
    """acked.json: for each receiver, the version of each record it acknowledged holding."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.data = _read(
            store, ACKED, {"format": "nhandao-acked", "version": VERSION, "receivers": {}}
        )

    def of(self, receiver: str) -> dict[str, dict[str, str]]:
        return self.data["receivers"].get(receiver, {})

    def add(self, receiver: str, versions: Iterable[tuple[str, str, str]]) -> None:
        """Record (kind, key, v) as held by `receiver`; a later version is never replaced by
        an earlier one (acknowledgements may arrive out of order)."""
        held = self.data["receivers"].setdefault(receiver, {})
        for kind, key, version in versions:
            of_kind = held.setdefault(kind, {})
            if of_kind.get(key, "") < version:
                of_kind[key] = version

    def save(self) -> None:
        _write(self.store, ACKED, self.data)


class Quarantine:
    """quarantine.json: records that arrived well signed and in scope but failed validation.
    They are never merged and never dropped: an entry goes only when a version at least as new
    of the same record has been merged (the sender corrected it)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.data = _read(
            store, QUARANTINE, {"format": "nhandao-quarantine", "version": VERSION, "records": []}
        )

    @property
    def records(self) -> list[dict]:
        return self.data["records"]

    def holds(self, kind: str, key: str, version: str) -> bool:
        return any(e["kind"] == kind and e["id"] == key and e["v"] == version for e in self.records)

    def save(self) -> None:
        _write(self.store, QUARANTINE, self.data)


def outbox_path(store: Store, sequence: int) -> Path:
    return store.path / OUTBOX / f"{sequence}.json"


def write_outbox(store: Store, sequence: int, to: str, versions: dict[str, dict[str, str]]) -> None:
    """What a records bundle carried, kept until the receiver acknowledges it."""
    folder = store.path / OUTBOX
    folder.mkdir(exist_ok=True)
    payload = {"format": "nhandao-outbox", "version": VERSION, "sequence": sequence, "to": to,
               "records": versions}  # fmt: skip
    try:
        write_atomic(outbox_path(store, sequence), orjson.dumps(payload))
    except OSError as error:
        raise StoreWriteError(folder, error) from error


def read_outbox(store: Store, sequence: int) -> dict[str, dict[str, str]] | None:
    """What bundle `sequence` carried; None when that is not known (no outbox file, or one
    that is not whole: a key twice, a sequence that is not an integer…)."""
    try:
        data = strict_json.loads(outbox_path(store, sequence).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if not OUTBOX_SHAPE(data):
        return None
    return data["records"]  # type: ignore[index]


def drop_outbox(store: Store, up_to: int) -> None:
    """Forget what bundles up to `up_to` carried: a later bundle holds all they held."""
    folder = store.path / OUTBOX
    if not folder.is_dir():
        return
    for path in folder.glob("*.json"):
        if path.stem.isdigit() and int(path.stem) <= up_to:
            path.unlink(missing_ok=True)


def check_files(store: Store) -> list[str]:
    """Read every bundle file of the store (restoring a broken one from its backup, as any
    reading does); what is wrong with them, as Vietnamese sentences."""
    problems = []
    for read in (Ledger, Acked, Quarantine):
        try:
            read(store)
        except BrokenStoreError as error:
            problems.append(str(error))
    return problems
