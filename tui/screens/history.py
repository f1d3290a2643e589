"""The history of a record: its versions, when each was written and by which office.

The store keeps, with each record, the ids of the versions it descends from (`prev`, then
`history`), not their fields; a version id says when it was written (by the clock of the office
that wrote it) and which office wrote it. A version kept aside as a conflict (an edit made at
the same time elsewhere, waiting to be chosen) is a version too. The «Đã xoá» screen shows these
lines under its list; `HistoryScreen` shows them all for one record (key `l`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from campaign.dates import format_date
from campaign.money import format_money, format_number
from campaign.records import KINDS
from store import hlc
from store.merge import MAX_HISTORY
from store.store import Store
from tui.labels import writer
from tui.literal import literal, quoted
from tui.widgets.record_table import Column, RecordTable

CURRENT = "bản đang dùng"
DELETED = "xoá"
PENDING = "sửa cùng lúc, chờ chọn"


def when(version: str) -> str:
    """«02/12/2026 09:15»: when a version was written, by the clock of the office that wrote
    it. A version from a clock set absurdly far ahead (later than a day from now, as
    `hlc.is_ahead` says) or not a version at all says «?»."""
    try:
        if hlc.is_ahead(version):
            return "?"
        milliseconds = hlc.parse(version)[0]
        return datetime.fromtimestamp(milliseconds / 1000).strftime("%d/%m/%Y %H:%M")
    except (ValueError, OverflowError, OSError):
        return "?"


def _office_of(version: str) -> str:
    try:
        return hlc.parse(version)[2]
    except ValueError:
        return ""


@dataclass(frozen=True)
class Version:
    """One version of a record as the history shows it."""

    version: str  # its id
    when: str  # «02/12/2026 09:15», or «?»
    office: str  # who wrote it: «văn phòng này», «Phường 1»…
    states: tuple[str, ...] = ()  # CURRENT, DELETED, PENDING


def lineage(store: Store, kind: str, key: str) -> list[Version]:
    """The current version of a record and those it descends from, newest first (along its
    chain of edits, not by the clocks, which may be wrong); empty when there is no record."""
    stored = store.stored(kind, key)
    if stored is None:
        return []
    ids = [stored["v"], *([stored["prev"]] if stored.get("prev") else []),
           *(stored.get("history") or [])]  # fmt: skip
    found = []
    for number, version in enumerate(dict.fromkeys(ids)):
        states: tuple[str, ...] = ()
        if number == 0:
            states = (DELETED, CURRENT) if stored.get("deleted") else (CURRENT,)
        found.append(Version(version, when(version), writer(store, _office_of(version)), states))
    return found


def pending(store: Store, kind: str, key: str) -> list[Version]:
    """The versions of a record kept aside as a conflict (edited elsewhere at the same time),
    newest first."""
    kept = store.conflict_versions(kind, key)[1:]
    kept.sort(key=lambda record: hlc.order(record["v"]), reverse=True)
    return [
        Version(
            record["v"],
            when(record["v"]),
            writer(store, _office_of(record["v"]) or record.get("by")),
            (DELETED, PENDING) if record.get("deleted") else (PENDING,),
        )
        for record in kept
    ]


def versions(store: Store, kind: str, key: str) -> list[Version]:
    """Every version of a record, newest first: its lineage, with the versions kept aside in
    the conflicts placed among them by their clocks."""
    found = lineage(store, kind, key)
    for kept in reversed(pending(store, kind, key)):
        later = hlc.order(kept.version)
        at = next((i for i, v in enumerate(found) if hlc.order(v.version) < later), len(found))
        found.insert(at, kept)
    return found


def history(store: Store, kind: str, key: str) -> list[str]:
    """The versions of a record, newest first: «02/12/2026 09:15 — văn phòng này (xoá)»."""
    return [
        f"{v.when} — {v.office}" + (f" ({DELETED})" if DELETED in v.states else "")
        for v in lineage(store, kind, key)
    ]


def _day(iso: object) -> str:
    try:
        return format_date(str(iso))
    except ValueError:
        return "?"


def name_of(store: Store, kind: str, record: dict) -> str:
    """How a record is named in a list or a title: its name, or what it was for."""
    if record.get("name"):
        return str(record["name"])
    address = store.get("address", record.get("address") or "")
    of = address["name"] if address else record.get("address", "?")
    if kind == "aid":
        return f"{of}: {format_money(record.get('value') or 0)} ngày {_day(record.get('on'))}"
    if kind == "review":
        return f"{of}: rà soát năm {record.get('year', '?')}"
    if kind == "attachment":
        helper = store.get("helper", record.get("helper") or "")
        return f"{helper['name'] if helper else '?'} gắn với {of}"
    return str(record.get(KINDS[kind].key, "?"))


class HistoryScreen(ModalScreen[None]):
    """Every version of one record, newest first: when, which office, which one is in use,
    which wait in the conflicts. Escape closes it."""

    BINDINGS = [Binding("escape", "dismiss", "Đóng", id="history.close")]
    DEFAULT_CSS = """
    HistoryScreen #dialog { width: 76; }
    HistoryScreen #history-title { text-style: bold; }
    HistoryScreen #versions { height: auto; max-height: 12; }
    """

    def __init__(self, store: Store, kind: str, key: str) -> None:
        super().__init__()
        self.store = store
        self.kind = kind
        self.key = key

    def compose(self) -> ComposeResult:
        record = self.store.get(self.kind, self.key) or {}
        self.versions = versions(self.store, self.kind, self.key)
        kept = [v for v in self.versions if PENDING in v.states]
        chain = [v for v in self.versions if PENDING not in v.states]
        name = quoted(name_of(self.store, self.kind, record), 50)
        with Vertical(id="dialog"):
            yield Static(literal(f"Lịch sử: {KINDS[self.kind].label} {name}"), id="history-title")
            yield Static(literal(_count(chain, kept)), id="history-count")
            if kept:
                offices = ", ".join(dict.fromkeys(v.office for v in kept))
                offices = offices[:1].upper() + offices[1:]  # «Văn phòng này», «Phường 1»
                yield Static(
                    literal(
                        f"{offices} đã sửa bản ghi này cùng lúc với bản đang dùng: bản sửa đó "
                        "đang chờ chọn ở màn hình «Xung đột» (phím x ở màn hình chính)."
                    ),
                    id="history-pending",
                )
            yield RecordTable(
                [Column("Lúc", 16), Column("Văn phòng ghi"), Column("", 24)],
                empty="Không có phiên bản nào.",
                id="versions",
            )
            note = "Esc: đóng · ↑ ↓: xem các phiên bản"
            if any(v.when == "?" for v in self.versions):
                note = "?: không rõ ngày (đồng hồ của máy ghi phiên bản đó bị sai). " + note
            yield Static(note, id="history-keys", classes="muted")

    def on_mount(self) -> None:
        table = self.query_one("#versions", RecordTable)
        table.set_rows(
            [
                (v.version, (v.when, v.office, " ".join(f"({state})" for state in v.states)))
                for v in self.versions
            ]
        )
        table.focus()


def _count(chain: list[Version], kept: list[Version]) -> str:
    """«3 phiên bản; lần sửa đầu ngày 01/11/2026.»"""
    if not chain:
        return "Không còn bản ghi này trong kho."
    total = format_number(len(chain) + len(kept))
    first = chain[-1].when.split(" ")[0]
    day = "không rõ ngày" if first == "?" else f"ngày {first}"
    if len(chain) > MAX_HISTORY:  # the oldest ones are no longer kept
        return (
            f"{total} phiên bản gần nhất (các bản cũ hơn không còn được giữ); bản cũ nhất "
            f"còn giữ: {day}."
        )
    return f"{total} phiên bản; lần sửa đầu {day}."
