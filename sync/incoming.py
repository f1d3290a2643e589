"""The records of a bundle, checked before they are merged: scope, envelopes, validation.

A record outside the signing key's subtree, before or after the change, refuses the whole
bundle: no office may write another's records. A record inside it whose envelope or content
is wrong is *held*: kept in quarantine with its reasons, never merged and never dropped.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from campaign.records import KINDS
from store import gazetteer, hlc, reform
from store.merge import descends_from
from store.store import SHARED_VALUES, Store
from sync.errors import BundleRefused
from sync.reader import NOTHING, RESEND

_VERSION = re.compile(r"[0-9]{13,20}-[0-9]{4}-(\S+)")
_FOLLOWERS = frozenset({"attachment", "aid", "review"})  # owned through their address
_ENVELOPE = frozenset({"id", "deleted"})  # fields of a record that its envelope holds
# The field that names the owner (for followers, the address whose unit owns them).
_OWNED_BY = {"unit": "parent", "attachment": "address", "aid": "address", "review": "address"}


def _normal(value: object) -> bool:
    """A code or id as validation leaves it: text, trimmed, precomposed."""
    return (
        value.__class__ is str
        and value == value.strip()  # type: ignore[union-attr]
        and unicodedata.is_normalized("NFC", value)  # type: ignore[arg-type]
    )


@dataclass
class Held:
    """A record held in quarantine: well signed and in scope, but not valid."""

    kind: str
    id: str
    v: str
    owner: str
    reasons: list[str]
    # Held only because its version is more than a day ahead of this computer's clock: taken
    # in by itself once the clock says a time it fits (sync/quarantine.py).
    ahead: bool = False

    def to_json(self) -> dict:
        held = {"kind": self.kind, "id": self.id, "v": self.v, "owner": self.owner,
                "reasons": self.reasons}  # fmt: skip
        if self.ahead:
            held["ahead"] = True
        return held


@dataclass
class Screened:
    """A bundle's records after the checks: the documents to merge and the records held."""

    documents: list[tuple[str, dict]] = field(default_factory=list)
    held: dict[tuple[str, str], Held] = field(default_factory=dict)
    unchanged: list[dict] = field(default_factory=list)  # lines equal to the stored version
    ahead: list[str] = field(default_factory=list)  # versions more than a day ahead (held)
    names: dict[str, str] = field(default_factory=dict)  # units created in the bundle

    def hold(self, line: dict, reasons: list[str], *, ahead: bool = False) -> None:
        pair = (line["kind"], line["id"])
        if pair not in self.held:
            self.held[pair] = Held(line["kind"], line["id"], line["v"], line["owner"], [], ahead)
        else:
            self.held[pair].ahead = False  # held for another reason too: a person decides
        self.held[pair].reasons.extend(reasons)


def screen(store: Store, lines: list[dict], signer: str) -> Screened:
    """Check scope (BundleRefused), then envelopes and content (held records)."""
    screened = Screened()
    created = {line["id"]: line["data"] for line in lines if line["kind"] == "unit"}
    screened.names = {
        code: data["name"] for code, data in created.items() if isinstance(data.get("name"), str)
    }
    scope = _scope(store, signer, created)
    addresses = {
        line["id"]: line["data"].get("unit") for line in lines if line["kind"] == "address"
    }
    now = hlc.now_ms()
    index = store.stored
    for line in lines:
        kind, key, owner, version = line["kind"], line["id"], line["owner"], line["v"]
        data = line["data"]
        problems = _envelope(line)
        # The fields that say who owns a record must already be in normal form: validation
        # would turn 25486 or " 25486" into "25486" after the scope was checked on them.
        field_name = _OWNED_BY.get(kind, "unit")
        reference = data.get(field_name)
        if reference is not None and not _normal(reference):
            problems.append(
                f"{_label(kind, key)}: «{field_name}» phải là một mã dạng chữ, không có khoảng "
                "trắng ở đầu hay cuối."
            )
            reference = None
        derived = reference
        if kind in _FOLLOWERS and reference is not None:
            derived = addresses.get(reference)
            if derived is None:
                stored = index("address", reference)
                derived = stored["owner"] if stored is not None else None
            elif not _normal(derived):
                derived = None  # that address is held; validation holds this record with it
        local = index(kind, key)
        for unit in (owner, derived, local["owner"] if local is not None else None):
            if unit.__class__ is str and unit not in scope:
                raise _outside(store, signer, kind, key, unit)  # type: ignore[arg-type]
        if local is not None and (
            descends_from(local, version)
            or (
                not problems
                and local["v"] == version
                and _document(line, data, shared=False) == local
            )
        ):
            # Already held as it is (a bundle sent again): validated when it was stored. Or
            # replaced here by a version made on top of it (a held version accepted after a
            # fix, or dropped): seen before, it changes nothing and is not held again.
            screened.unchanged.append(line)
            continue
        if derived.__class__ is str and derived != owner and not _moved_since(owner, derived):
            problems.append(
                f"{_label(kind, key)}: thuộc đơn vị «{derived}» theo dữ liệu, nhưng phần bao "
                f"bản ghi ghi «{owner}»."
            )
        if problems:
            screened.hold(line, problems)
        elif hlc.is_ahead(version, now):
            screened.ahead.append(version)
            screened.hold(line, [_ahead_reason(kind, key, version)], ahead=True)
    _validate(store, lines, screened)
    return screened


def _moved_since(owner: str, derived: str) -> bool:
    """A follower sent by an office of the 2019 units whose address has moved here to a 2025
    unit: taken as it is, it moves to its address's unit after the merge (sync/receive.py)."""
    return gazetteer.list_of(owner) != gazetteer.LIST_2025 and reform.is_new(derived)


def moment(version: str) -> str:
    """When a version says it was made, as a person reads it."""
    return moment_at(hlc.parse(version)[0])


def moment_at(milliseconds: int) -> str:
    """A time in milliseconds since 1970, as a person reads it."""
    try:
        return f"{datetime.fromtimestamp(milliseconds / 1000):%H:%M ngày %d/%m/%Y}"
    except (OverflowError, OSError, ValueError):
        return "một thời điểm quá xa trong tương lai"


def _ahead_reason(kind: str, key: str, version: str) -> str:
    return (
        f"{_label(kind, key)}: ghi lúc {moment(version)}, muộn hơn giờ của máy này hơn một "
        "ngày. Đồng hồ của máy gửi (hoặc của máy này) đặt sai; bản ghi được giữ lại, không nhập, "
        "để giờ sai không lan sang các văn phòng khác. Nếu giờ máy này sai, hãy chỉnh lại: bản "
        "ghi sẽ tự được nhập ở lần nhập gói sau."
    )


def _scope(store: Store, signer: str, created: dict[str, dict]) -> set[str]:
    """The units the signing key may write: its unit's subtree, with units created below it
    in this bundle (a school travels as a record owned by its parent)."""
    units = store.units
    if signer not in units:
        raise BundleRefused(
            "scope",
            f"Khoá ký gói được đăng ký cho đơn vị «{signer}», không có trong danh mục. Hãy nhập "
            f"gói danh mục mới nhất của Tỉnh Hội. {NOTHING}",
        )
    scope = set(units.subtree(signer))
    # During the change to the 2025 units (store/reform.py) a key enrolled for an old unit
    # writes the records moved to the units it went to, and one of a new unit those of the old
    # units that went to it, until the province revokes the old keys (docs/BUNDLE.md).
    for code in list(scope):
        moved = (*gazetteer.successors(code), *gazetteer.predecessors(code), code + reform.SUFFIX)
        for other in moved:
            if other in units and other not in scope:
                scope.update(units.subtree(other))
    grew = True
    while grew:
        grew = False
        for code, data in created.items():
            if code not in scope and code not in units and data.get("parent") in scope:
                scope.add(code)
                grew = True
    return scope


def _outside(store: Store, signer: str, kind: str, key: str, unit: str) -> BundleRefused:
    return BundleRefused(
        "scope",
        f"Gói ký bằng khoá của {_unit(store, signer)} nhưng có {_label(kind, key)} thuộc "
        f"{_unit(store, unit)}, ngoài phạm vi của khoá đó (trước hoặc sau khi sửa). Một văn "
        f"phòng chỉ gửi được dữ liệu của các đơn vị thuộc mình; gói này không được nhận. Hãy "
        f"gọi điện cho văn phòng đã gửi gói để tìm hiểu (khoá của họ có đăng ký đúng đơn vị "
        f"không, có ai sửa dữ liệu của đơn vị khác không). {NOTHING}",
    )


def _unit(store: Store, code: str) -> str:
    return f"{store.units.name(code)} ({code})" if code in store.units else f"đơn vị «{code}»"


def _label(kind: str, key: str) -> str:
    return f"{KINDS[kind].label} mã «{key}»"


def _before(ancestor: str, version: str) -> bool:
    """An ancestor comes before the version it led to, unless it was made on a clock more than
    a day ahead of this one: `check --fix-clock` replaces such a version by one made now."""
    earlier = hlc.order(ancestor) < hlc.order(version)
    return earlier or hlc.is_ahead(ancestor)


def _envelope(line: dict) -> list[str]:
    """What is wrong with a line's envelope (its types were checked by the reader)."""
    version, kind, key = line["v"], line["kind"], line["id"]
    match = _VERSION.fullmatch(version)
    if match is None:
        return [f"{_label(kind, key)}: phiên bản «{version}» không đúng dạng."]
    problems = []
    if match.group(1) != line["by"]:
        problems.append(
            f"{_label(kind, key)}: văn phòng ghi «{line['by']}» khác với văn phòng trong phiên bản."
        )
    previous, history = line.get("prev"), line.get("history")
    if previous is not None or history:
        ancestors = [previous, *(history or ())]
        if previous is None:
            problems.append(f"{_label(kind, key)}: có lịch sử phiên bản mà không có «prev».")
        elif not all(
            v is not None and _VERSION.fullmatch(v) and _before(v, version) for v in ancestors
        ):
            problems.append(
                f"{_label(kind, key)}: một phiên bản trước không đúng dạng hoặc không sớm hơn "
                f"phiên bản {version}."
            )
        elif len(set(ancestors)) != len(ancestors):
            problems.append(f"{_label(kind, key)}: lịch sử phiên bản có phiên bản lặp lại.")
    if not _normal(key):
        problems.append(f"{_label(kind, key)}: mã phải không có khoảng trắng ở đầu hay cuối.")
    named = line["data"].get(KINDS[kind].key)
    if named != key:
        problems.append(
            f"{_label(kind, key)}: mã trong phần dữ liệu («{named}») khác với mã của bản ghi."
        )
    return problems


def _validate(store: Store, lines: list[dict], screened: Screened) -> None:
    """Validate by the store's rules (campaign/validation) against the store and the rest of
    the bundle, and make the documents to merge. A record that fails is held; then the others
    are checked again, since they may refer to one that was held."""
    held = screened.held
    if screened.unchanged:
        known = {id(line) for line in screened.unchanged}
        lines = [line for line in lines if id(line) not in known]
    while True:
        batch = [
            (
                line["kind"],
                {**line["data"], "deleted": True} if line.get("deleted") else line["data"],
                None,
            )
            for line in lines
            if (line["kind"], line["id"]) not in held
        ]
        prepared, problems = store.check(batch)
        if not problems:
            break
        by_key = {(line["kind"], line["id"]): line for line in lines}
        for problem in problems:
            line = by_key.get((problem.kind, str(problem.key)))
            if line is None:  # every problem names its record once envelopes are checked
                raise BundleRefused("records-json", f"{problem.message} {RESEND} {NOTHING}")
            screened.hold(line, [problem.message])
    envelopes = {(line["kind"], line["id"]): line for line in lines}
    documents = screened.documents
    key_of = {kind: spec.key for kind, spec in KINDS.items()}
    for kind, record in prepared:
        documents.append((kind, _document(envelopes[(kind, record[key_of[kind]])], record)))


def _document(line: dict, record: dict, *, shared: bool = True) -> dict:
    """The document the store keeps for a line whose fields are `record`: the envelope, then
    the fields, those that are None or False left out (store/store.py). Without `shared`, for
    a comparison only, its repeated values are not made the store's shared ones."""
    document = {"id": line["id"], "owner": line["owner"], "v": line["v"]}
    if "prev" in line or "history" in line or "deleted" in line:
        if line.get("prev") is not None:
            document["prev"] = line["prev"]
        if line.get("history"):
            document["history"] = line["history"]
        if line.get("deleted"):
            document["deleted"] = True
    document["by"] = line["by"]
    # Values that repeat from record to record are one object each, as the store keeps them
    # (`store.share_values`): hundreds of thousands of documents stay in memory.
    intern, repeated = sys.intern, SHARED_VALUES if shared else frozenset()
    for name, value in record.items():
        if value is not None and value is not False and name not in _ENVELOPE:
            document[name] = intern(value) if name in repeated and value.__class__ is str else value
    return document
