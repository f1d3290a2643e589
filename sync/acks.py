"""Acknowledgements: the receiver tells the sender which bundles arrived and which records it
held in quarantine, so that the sender's next bundle carries only what is still missing.

ack.json: {"format": "nhandao-ack", "version": 1, "receiver": UNIT, "bundles": [ENTRY, ...]}
with, for each records bundle acknowledged, {"bundle", "key", "sequence", "sha256", "counts",
"quarantined": [{"kind", "id", "v", "reasons"}]}. It is read strictly (store/strict_json.py):
a key twice is refused, and `version`, `sequence` and the counts are JSON integers.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime

import orjson

from store import strict_json
from store.shapes import natural
from store.store import Store
from sync import ledger
from sync.errors import BundleRefused
from sync.reader import NOTHING, Bundle

FORMAT = "nhandao-ack"
VERSION = 1
ENTRY_FIELDS = ("bundle", "key", "sequence", "sha256", "counts", "quarantined")
HELD_FIELDS = ("kind", "id", "v", "reasons")
_SHA256 = re.compile(r"[0-9a-f]{64}")


def content(receiver: str, entries: list[dict]) -> bytes:
    """ack.json for the records bundles received in `entries` (ledger entries)."""
    bundles = [
        {
            "bundle": e["bundle"],
            "key": e["key"],
            "sequence": e["sequence"],
            "sha256": e["digest"],
            "counts": e["counts"],
            "quarantined": [
                {name: held[name] for name in HELD_FIELDS} for held in e.get("quarantined", [])
            ],
        }
        for e in entries
    ]
    data = {"format": FORMAT, "version": VERSION, "receiver": receiver, "bundles": bundles}
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


@dataclass
class AckResult:
    """What an acknowledgement told this office."""

    receiver: str
    acknowledged: list[int] = field(default_factory=list)  # sequences of our bundles
    quarantined: list[dict] = field(default_factory=list)  # records held there, with reasons
    unknown: list[int] = field(default_factory=list)  # sequences this ledger does not know


def _refuse(detail: str) -> BundleRefused:
    return BundleRefused(
        "ack",
        f"Gói xác nhận không dùng được: {detail}. Hãy đề nghị văn phòng gửi xuất lại gói xác "
        f"nhận. {NOTHING}",
    )


def parse(found: Bundle, own_key: str | None) -> list[dict]:
    """The entries of an ack bundle about this office's bundles; BundleRefused if malformed."""
    try:
        data = strict_json.loads(found.files["ack.json"], written=strict_json.indented)
    except strict_json.StrictJSONError as error:
        raise _refuse(f"trong tệp ack.json, {error.msg}") from None
    except orjson.JSONDecodeError:
        raise _refuse("tệp ack.json không phải JSON hợp lệ") from None
    if not isinstance(data, dict) or set(data) != {"format", "version", "receiver", "bundles"}:
        raise _refuse("ack.json phải có đúng các mục format, version, receiver, bundles")
    if data["version"].__class__ is not int:  # true, 1.0
        raise _refuse("«version» của ack.json phải là một số nguyên")
    if data["format"] != FORMAT or data["version"] != VERSION:
        raise _refuse(f"ack.json phải có «format» {FORMAT} và «version» {VERSION}")
    if data["receiver"] != found.sender:
        raise _refuse("văn phòng ghi trong ack.json không phải văn phòng đã ký gói")
    if not isinstance(data["bundles"], list):
        raise _refuse("«bundles» phải là một danh sách")
    entries = []
    for entry in data["bundles"]:
        _check_entry(entry)
        if entry["key"] == own_key:
            entries.append(entry)
    return entries


def _check_entry(entry: object) -> None:
    if not isinstance(entry, dict) or set(entry) != set(ENTRY_FIELDS):
        raise _refuse(f"mỗi mục xác nhận có đúng các mục {', '.join(ENTRY_FIELDS)}")
    sequence = entry["sequence"]
    if sequence.__class__ is not int or sequence < 1:  # never true (an int in Python) or 1.0
        raise _refuse("«sequence» phải là số nguyên dương")
    try:
        valid = str(uuid.UUID(str(entry["bundle"]))) == entry["bundle"]
    except ValueError:
        valid = False
    if not valid or not isinstance(entry["sha256"], str) or not _SHA256.fullmatch(entry["sha256"]):
        raise _refuse("mã gói hoặc mã băm không hợp lệ")
    if not isinstance(entry["counts"], dict) or not isinstance(entry["quarantined"], list):
        raise _refuse("«counts» phải là đối tượng và «quarantined» là danh sách")
    if not all(map(natural, entry["counts"].values())):
        raise _refuse("mỗi số đếm trong «counts» phải là số nguyên không âm")
    for held in entry["quarantined"]:
        if not isinstance(held, dict) or set(held) != set(HELD_FIELDS):
            raise _refuse(f"mỗi bản ghi bị giữ lại có đúng các mục {', '.join(HELD_FIELDS)}")
        texts = (held["kind"], held["id"], held["v"])
        reasons = held["reasons"]
        if not all(isinstance(t, str) for t in texts) or not isinstance(reasons, list):
            raise _refuse("một bản ghi bị giữ lại không đúng dạng")
        if not all(isinstance(r, str) for r in reasons):
            raise _refuse("lý do giữ lại phải là chữ")


def apply(
    store: Store, found: Bundle, entries: list[dict], book: ledger.Ledger, *, dry_run: bool
) -> AckResult:
    """Mark our bundles as received by the office that signed the ack."""
    result = AckResult(found.sender)
    acked = ledger.Acked(store)
    latest = 0
    for entry in entries:
        sent = book.find_sent(entry["sequence"])
        if sent is None:
            result.unknown.append(entry["sequence"])
            continue
        if sent["bundle"] != entry["bundle"] or sent["digest"] != entry["sha256"]:
            raise BundleRefused(
                "ack-mismatch",
                f"Gói xác nhận nói về gói số {entry['sequence']} của văn phòng này nhưng với mã "
                f"khác với gói đã gửi đi: có thể kho này đã được chép lại từ bản cũ và dùng lại "
                f"số thứ tự. Hãy gọi điện cho văn phòng nhận để đối chiếu; sau đó xuất một gói "
                f"đầy đủ bằng «nhandao bundle export --full». {NOTHING}",
            )
        if sent["to"] != found.sender:
            raise _refuse(
                f"gói số {entry['sequence']} được gửi cho đơn vị {sent['to']}, không phải cho "
                "văn phòng đã ký gói xác nhận"
            )
        result.acknowledged.append(entry["sequence"])
        held = {(h["kind"], h["id"], h["v"]) for h in entry["quarantined"]}
        result.quarantined += entry["quarantined"]
        carried = ledger.read_outbox(store, entry["sequence"]) or {}
        acked.add(
            found.sender,
            (
                (kind, key, version)
                for kind, versions in carried.items()
                for key, version in versions.items()
                if (kind, key, version) not in held
            ),
        )
        sent["acked"] = {
            "on": datetime.now().isoformat(timespec="seconds"),
            "ack": found.manifest["bundle"],
            "counts": entry["counts"],
            "quarantined": entry["quarantined"],
        }
        latest = max(latest, entry["sequence"])
    if not dry_run and result.acknowledged:
        acked.save()
        ledger.drop_outbox(store, latest)
    return result
