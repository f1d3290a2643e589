"""Importing bundles: check each one whole, then merge it, hold back what fails validation,
and note it in the ledger, or refuse it and change nothing.

`import_bundles` may run in a worker thread (the interface's): it calls `progress` after each
bundle and touches nothing but the store it is given, which no other thread may use meanwhile.
A bundle's outcome is one ImportReport; a refused bundle leaves every file of the store as it
was. What a bundle changes and its ledger entry are one commit (store/commit.py): killed or out
of disk space halfway, the store holds all of it or none of it.
"""

from __future__ import annotations

import contextlib
import gc
import io
import re
import sqlite3
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import orjson

from campaign.money import format_number
from campaign.records import KINDS
from store import gazetteer, hlc, reform
from store.merge import MISMATCH, Merged, descends_from
from store.store import Store
from sync import acks, directory, incoming, keys, ledger, quarantine
from sync.errors import BundleRefused, UnknownKey
from sync.incoming import Held
from sync.reader import (
    MAX_MANIFEST_BYTES,
    NOTHING,
    Bundle,
    read_bundle,
    read_source,
    record_lines,
)

QUARANTINED = "quarantined"
COUNTED = ("new", "updated", "unchanged", "conflict", QUARANTINED)


@dataclass
class ImportReport:
    """What importing (or checking) one bundle did. For a refused bundle, `str(refusal)` says
    in Vietnamese what is wrong and what to do; an UnknownKey refusal carries the key to enrol.
    `created` is the day the sender wrote the bundle (its manifest's clock), when known."""

    source: str
    status: str = "refused"  # "merged", "checked" (dry run, verify), "already", "refused"
    kind: str | None = None
    sender: str | None = None
    sequence: int | None = None
    bundle: str | None = None
    created: date | None = None
    counts: dict[str, Counter[str]] = field(default_factory=dict)  # per owner unit
    held: list[Held] = field(default_factory=list)
    conflicts: list[Merged] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    refusal: BundleRefused | None = None
    directory_revision: int | None = None
    ack: acks.AckResult | None = None
    names: dict[str, str] = field(default_factory=dict)  # units the bundle creates
    directory_keys: set[str] = field(default_factory=set)  # keys a directory bundle trusts
    # Refused for an unknown key that a directory of the same import enrols (a dry run, which
    # applies no directory): taken in once that directory is.
    awaits_directory: bool = False

    def unit_name(self, store: Store, code: str) -> str:
        """A unit's name, from the store or, for a unit the bundle creates, from the bundle."""
        if code in store.units:
            return store.units.name(code)
        return self.names.get(code, code)

    @property
    def refused(self) -> bool:
        return self.status == "refused"

    def total(self, status: str) -> int:
        return sum(counts[status] for counts in self.counts.values())


@dataclass(frozen=True)
class Progress:
    """Sent after each bundle: how many are done out of how many, and the last one's report."""

    done: int
    total: int
    report: ImportReport


KIND_RANK = {"directory": 0, "ack": 1, "records": 2}
_NAMED = re.compile(r"-(directory|ack|records)\.(zip|txt)$", re.IGNORECASE)


def kind_of(path: Path) -> str | None:
    """The kind a bundle file says it is, from its name (ours end with it) or else from its
    manifest, unchecked: only to choose the order of an import, never trusted."""
    named = _NAMED.search(path.name)
    if named:
        return named.group(1).lower()
    try:
        with zipfile.ZipFile(io.BytesIO(read_source(path))) as archive:
            info = archive.getinfo("manifest.json")
            if info.file_size > MAX_MANIFEST_BYTES:
                return None
            kind = orjson.loads(archive.read(info)).get("kind")
    except (BundleRefused, KeyError, zipfile.BadZipFile, orjson.JSONDecodeError, ValueError,
            OSError, AttributeError, NotImplementedError, RuntimeError):  # fmt: skip
        return None
    return kind if kind in KIND_RANK else None


def in_order(paths: Sequence[Path]) -> list[Path]:
    """Directory bundles first (the keys they bring sign the rest), then acknowledgements,
    then records; in the order given within a kind."""
    return sorted(paths, key=lambda path: KIND_RANK.get(kind_of(Path(path)) or "records", 2))


def import_bundles(
    store: Store,
    paths: Sequence[Path],
    *,
    dry_run: bool = False,
    progress: Callable[[Progress], None] | None = None,
) -> list[ImportReport]:
    """Import each bundle in turn, each whole or not at all; a refusal stops only that one.
    Directory bundles go first, then acknowledgements, then records (`in_order`); a bundle
    refused for an unknown key is tried once more after a directory was taken in. The reports
    come in the order the bundles were taken in."""
    reports = []
    ordered = in_order([Path(p) for p in paths])
    total = len(ordered)
    # An import makes hundreds of thousands of records and no reference cycles, and each full
    # collection of the cyclic garbage collector walks the whole store (millions of objects
    # at the province): paused, the import takes about 30 % less time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for done, path in enumerate(ordered, start=1):
            report = import_bundle(store, path, dry_run=dry_run)
            reports.append(report)
            if progress is not None:
                progress(Progress(done, total, report))
        directories = [r for r in reports if r.kind == "directory" and not r.refused]
        unknown = [i for i, r in enumerate(reports) if isinstance(r.refusal, UnknownKey)]
        if dry_run:
            trusted = {key for r in directories for key in r.directory_keys}
            for index in unknown:
                if reports[index].refusal.key_id in trusted:  # type: ignore[union-attr]
                    reports[index].awaits_directory = True
        elif any(r.status == "merged" for r in directories):
            total += len(unknown)
            for done, index in enumerate(unknown, start=len(ordered) + 1):
                reports[index] = import_bundle(store, Path(reports[index].source))
                if progress is not None:
                    progress(Progress(done, total, reports[index]))
    finally:
        if collecting:
            gc.enable()
    return reports


def import_bundle(store: Store, path: Path, *, dry_run: bool = False) -> ImportReport:
    """Check one bundle and, unless `dry_run`, take it in. Never raises BundleRefused: the
    refusal is in the report."""
    report = ImportReport(str(path))
    if not dry_run and (released := quarantine.release_ahead(store)):
        report.warnings.append(
            f"{released} bản ghi trước đây bị giữ lại vì mang giờ muộn hơn giờ của máy này nay "
            "đã được nhập: đồng hồ của máy đã khớp."
        )
    try:
        found = read_bundle(read_source(path), store, path.name)
        lines = record_lines(found) if found.kind == "records" else []
        if lines:
            found.files.clear()  # read: a province's bundle holds hundreds of megabytes
        with _scope(store, lines):
            _take(store, found, report, lines, dry_run=dry_run)
    except UnknownKey as refusal:
        report.status, report.refusal = "refused", refusal
        report.sequence, report.created = refusal.sequence, refusal.created
    except BundleRefused as refusal:
        report.status, report.refusal = "refused", refusal
    return report


def _scope(store: Store, lines: list[dict]) -> AbstractContextManager[None]:
    """What of a store opened without its records (the central office's) a bundle is taken
    into: the files of the units that own its records, and of any unit holding one of them
    or an address or helper they refer to (the summary index says which), so that every
    check sees each of those as it is held here. A store whose records are loaded, or that
    can have no index, is taken as it is (then every record is read)."""
    if store.records_loaded:
        return contextlib.nullcontext()
    index = store.summary_index()  # or, when there can be none, every record is read
    if index is None:
        return contextlib.nullcontext()
    wanted = {line["id"] for line in lines}
    for line in lines:
        data = line["data"]
        for name in ("address", "helper"):
            if data.get(name).__class__ is str:
                wanted.add(data[name])
    owners = {line["owner"] for line in lines}
    try:
        held = index.files_holding(wanted)
    except sqlite3.Error:  # the index damaged meanwhile: every record is read instead
        store.load_records()
        return contextlib.nullcontext()
    return store.scoped(owners | held)


def _take(
    store: Store, found: Bundle, report: ImportReport, lines: list[dict], *, dry_run: bool
) -> None:
    manifest = found.manifest
    report.kind, report.sender = found.kind, found.sender
    report.sequence, report.bundle = found.sequence, manifest["bundle"]
    report.created = found.created
    book = ledger.Ledger(store)
    prior = book.find_received(found.key, found.sequence)
    if prior is not None:
        if prior["digest"] == found.digest:
            report.status = "already"
            return
        raise BundleRefused(
            "fork",
            f"{_unit(store, found.sender)} đã gửi một gói số {found.sequence} khác (nhập ngày "
            f"{prior['imported'][:10]}); nay lại có gói cùng số mà nội dung khác. Có thể kho "
            f"của văn phòng đó đã được chép lại từ bản cũ hoặc chạy trên hai máy. Hãy gọi điện "
            f"cho văn phòng đó để tìm hiểu, rồi đề nghị họ tạo khoá mới («nhandao keys new»), "
            f"gửi khoá mới để đăng ký lại và gửi một gói đầy đủ («nhandao bundle export "
            f"--full»). {NOTHING}",
        )
    # To the office's unit, or to the one it had before the 2025 units: a bundle made before
    # the move of either office still imports after it.
    if found.kind in ("records", "ack") and manifest["to"] not in (
        store.office.unit,
        store.office.former_unit or store.office.unit,
    ):
        to = manifest["to"]
        raise BundleRefused(
            "addressee",
            f"Gói này gửi cho {_unit(store, to) if to else 'không ai'}, không phải cho văn phòng "
            f"{_unit(store, store.office.unit)}. Hãy chuyển gói đến đúng văn phòng nhận. "
            f"{NOTHING}",
        )
    _check_clock(store, found, report)
    entry = {"key": found.key, "sender": found.sender, "sequence": found.sequence,
             "bundle": manifest["bundle"], "kind": found.kind, "digest": found.digest,
             "created": manifest["created"],
             "imported": imported_at(store)}  # fmt: skip
    # What the bundle changes and its ledger entry are one commit: all of it, or nothing.
    with contextlib.nullcontext() if dry_run else store.transaction():
        if found.kind == "records":
            _take_records(store, found, lines, report, entry, dry_run=dry_run)
        elif found.kind == "directory":
            updated = directory.checked(store, found)
            report.directory_revision = updated["revision"]
            report.directory_keys = {k["key"] for k in updated["keys"] if not k["revoked"]}
            if not dry_run:
                store.replace_directory(updated)
                if "reform" in updated and not reform.uses_2025(store):
                    report.warnings.append(_migrate_hint(store))
        else:
            entries = acks.parse(found, _own_key_id(store))
            report.ack = acks.apply(store, found, entries, book, dry_run=dry_run)
        report.status = "checked" if dry_run else "merged"
        if not dry_run:
            book.received.append(entry)
            book.save()


def imported_at(store: Store) -> str:
    """When a bundle is taken in: the office's today (fixed in tests) at the time of day."""
    return datetime.combine(store.today(), datetime.now().time()).isoformat(timespec="seconds")


def _own_key_id(store: Store) -> str | None:
    own = keys.own_public_key(store)
    return own.id_text if own else None


def _check_clock(store: Store, found: Bundle, report: ImportReport) -> None:
    """Refuse to import on a computer whose clock is behind what the store already holds;
    warn of a bundle made by a computer whose clock is ahead."""
    now = hlc.now_ms()
    newest = store.newest_version()
    if newest is not None and hlc.is_ahead(newest, now):
        raise BundleRefused(
            "clock",
            f"Đồng hồ của máy này đang chỉ {incoming.moment_at(now)}, "
            f"sớm hơn bản ghi mới nhất trong kho (ghi lúc {incoming.moment(newest)}) hơn một "
            "ngày. Nếu ngày giờ của máy sai, hãy chỉnh lại rồi nhập lại gói. Nếu ngày giờ đúng, "
            "kho đang giữ bản ghi mang giờ tương lai do một máy đặt sai giờ: hãy chạy «nhandao "
            f"check --fix-clock» để sửa, rồi nhập lại. {NOTHING}",
        )
    if hlc.is_ahead(found.manifest["created"], now):
        report.warnings.append(
            f"Gói được tạo lúc {incoming.moment(found.manifest['created'])}, muộn hơn giờ của "
            "máy này hơn một ngày: đồng hồ máy của văn phòng gửi (hoặc của máy này) đặt sai. "
            "Hãy nhắc họ chỉnh ngày giờ."
        )


def _unit(store: Store, code: str) -> str:
    return f"{store.units.name(code)} ({code})" if code in store.units else f"đơn vị «{code}»"


# ----------------------------------------------------------------- records bundles


def _take_records(
    store: Store,
    found: Bundle,
    lines: list[dict],
    report: ImportReport,
    entry: dict,
    *,
    dry_run: bool,
) -> None:
    screened = incoming.screen(store, lines, found.signer.unit)
    report.names = screened.names
    if screened.ahead:
        latest = max(screened.ahead, key=lambda v: hlc.parse(v)[0])
        report.warnings.append(
            f"{len(screened.ahead)} bản ghi mang thời điểm ghi muộn hơn giờ của máy này hơn một "
            f"ngày (muộn nhất: {incoming.moment(latest)}) được giữ lại, chưa nhập: đồng hồ máy "
            "của văn phòng gửi, hoặc của máy này, đặt sai. Nếu giờ máy này đúng, hãy nhắc văn "
            "phòng gửi chỉnh ngày giờ rồi gửi lại; nếu giờ máy này sai, hãy chỉnh lại, các bản "
            "ghi sẽ tự được nhập ở lần nhập gói sau."
        )
    result = store.merge(screened.documents, dry_run=dry_run)
    if not dry_run and result.changed:
        _catch_up(store, screened.documents, report)
    mismatches = result.of(MISMATCH)
    by_key = {(line["kind"], line["id"]): line for line in lines} if mismatches else {}
    for outcome in mismatches:
        screened.hold(
            by_key[(outcome.kind, outcome.key)],
            [
                f"{KINDS[outcome.kind].label} mã «{outcome.key}»: phiên bản {outcome.v} đã có ở "
                "đây với nội dung khác; hai bản cùng phiên bản phải giống hệt nhau."
            ],
        )
    counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for outcome in result.outcomes:
        if outcome.status != MISMATCH:
            counts[outcome.owner][outcome.status] += 1
    for line in screened.unchanged:
        counts[line["owner"]]["unchanged"] += 1
    accounted = len(screened.documents) + len(screened.held) + len(screened.unchanged)
    if accounted - len(mismatches) < len(lines):
        # Units of the official list sent as records: the directory already holds them.
        seen = {(kind, document["id"]) for kind, document in screened.documents}
        seen |= {(line["kind"], line["id"]) for line in screened.unchanged} | screened.held.keys()
        for line in lines:
            if (line["kind"], line["id"]) not in seen:
                counts[line["owner"]]["unchanged"] += 1
    for item in screened.held.values():
        counts[item.owner][QUARANTINED] += 1
    report.counts = dict(counts)
    report.held = list(screened.held.values())
    report.conflicts = result.of("conflict")
    entry["counts"] = {status: report.total(status) for status in COUNTED}
    entry["quarantined"] = [item.to_json() for item in report.held]
    entry["acked"] = None
    if not dry_run:
        _update_quarantine(store, found, lines, report.held)


def _migrate_hint(store: Store) -> str:
    """What an office still on the 2019 units does once its province has moved to 2025."""
    news = (
        "Tỉnh Hội đã chuyển sang danh mục đơn vị năm 2025 (gói danh mục vừa nhập có các đơn "
        "vị mới)."
    )
    if store.units[store.office.unit]["kind"] == "district":
        return (
            f"{news} Từ ngày 01/07/2025 không còn cấp huyện: hãy gửi hết dữ liệu lên Tỉnh Hội "
            "(nhandao bundle export); Tỉnh Hội chuyển đổi dữ liệu của huyện."
        )
    return (
        f"{news} Hãy chuyển kho này sang danh mục mới: «nhandao units migrate --to 2025», hoặc "
        "phím u ở trang chính của chương trình. Các lựa chọn của Tỉnh Hội cho xã, phường bị chia "
        "được dùng sẵn, để số liệu hai nơi khớp nhau."
    )


def _catch_up(store: Store, documents: list[tuple[str, dict]], report: ImportReport) -> None:
    """Records of old units taken into a store on the 2025 units (a bundle made before its
    sender or this office migrated, an old commune's office merged into the new one's) moved
    to their new units in the same commit, as far as the answers at hand decide."""
    if not store.records_loaded or not reform.uses_2025(store):
        return
    if all(gazetteer.list_of(doc["owner"]) == gazetteer.LIST_2025 for _, doc in documents):
        return
    try:
        plan = reform.plan(store, among=[(kind, document["id"]) for kind, document in documents])
    except reform.MigrationError:
        return
    moved = reform.apply(store, plan, partial=True)
    if moved:
        report.warnings.append(
            f"{format_number(moved)} bản ghi của đơn vị theo danh mục cũ (năm 2019) đã được "
            "chuyển sang đơn vị mới của danh mục năm 2025."
        )
    if plan.questions:
        waiting = sum(question.count for question in plan.questions)
        report.warnings.append(
            f"{format_number(waiting)} bản ghi của đơn vị cũ chưa chuyển được vì cần chọn đơn "
            "vị mới (xã, phường bị chia): chạy «nhandao units migrate --to 2025» để trả lời."
        )


def _update_quarantine(store: Store, found: Bundle, lines: list[dict], held: list[Held]) -> None:
    quarantine = ledger.Quarantine(store)
    if not held and not quarantine.records:
        return
    before = list(quarantine.records)
    raw = {(line["kind"], line["id"]): line for line in lines}
    holding = {(r["kind"], r["id"], r["v"]) for r in quarantine.records}
    now = {(item.kind, item.id, item.v) for item in held}
    for item in held:
        if (item.kind, item.id, item.v) not in holding:
            entry = item.to_json()
            entry.update(sender=found.sender, key=found.key, bundle=found.manifest["bundle"],
                         sequence=found.sequence, received=store.today().isoformat(),
                         line=raw[(item.kind, item.id)])  # fmt: skip
            quarantine.records.append(entry)
    touched = {(line["kind"], line["id"]) for line in lines}
    quarantine.data["records"] = [
        record
        for record in quarantine.records
        if (record["kind"], record["id"], record["v"]) in now
        or (record["kind"], record["id"]) not in touched
        or not _resolved(store, record)
    ]
    if quarantine.records != before:
        quarantine.save()


def _resolved(store: Store, held: dict) -> bool:
    """A held version is resolved once the current version is it or was made on top of it
    (the sender corrected that very record)."""
    current = store.stored(held["kind"], held["id"])
    return current is not None and (current["v"] == held["v"] or descends_from(current, held["v"]))


def held_records(store: Store) -> list[dict]:
    """Every record held in quarantine, with its reasons and the bundle it came in."""
    return list(ledger.Quarantine(store).records)
