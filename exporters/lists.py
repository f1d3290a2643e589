"""The lists of the screens as workbooks: what a clerk used to keep in Excel, printed as the
office's documents.

Each workbook has the look of the summary workbook (exporters/sheets.py): the unit's header
block and date line (exporters/letterhead.py), a title, a subtitle saying what the list holds,
a table of numbers as numbers («[$-42A]#,##0»), dates as dates and text never a formula, its
totals, then who prepared it and who signs. The workbooks:

- `address_list_workbook`: the addresses as the list screen shows them (its filter, in the
  subtitle, and its order), with their aid counted and valued;
- `address_workbook`: one address: its details, its aid (sheet «Các lần trợ giúp», with the
  totals counted and not counted) and its helpers (sheet «Người trợ giúp gắn»);
- `helpers_workbook`: the helpers with the number of their addresses and their aid (sheet
  «Người trợ giúp»), and one row per helper and address they are attached to («Địa chỉ được
  gắn»);
- `quarantine_workbook`, `conflicts_workbook`: the records held at this office on arrival and
  the records edited in two places, from rows the screens prepare (`HeldRow`, `ConflictRow`).

Money is the aid's value in đồng; «được tính» is the aid that counts toward the campaign (not
marked as one of the excluded resources), as on the screens and in column 8.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openpyxl import Workbook

from campaign import queries, vocab
from campaign.money import format_number
from campaign.text import collation_key, fold
from campaign.units import UnitTree
from exporters.letterhead import Letterhead, letterhead
from exporters.sheets import Bold, Column, Sheet, group, new_workbook

TOTAL = "Tổng cộng"
SIDE = {"red_cross": "Hội CTĐ", "outside": "Bên ngoài"}
ADDRESSES = "Danh sách địa chỉ"
AID = "Các lần trợ giúp"
ATTACHED = "Người trợ giúp gắn"
HELPERS = "Người trợ giúp"
HELPER_ADDRESSES = "Địa chỉ được gắn"
QUARANTINE = "Bị cách ly"
CONFLICTS = "Xung đột"
# The addresses named in a helper's row; all of them are on the sheet «Địa chỉ được gắn».
LISTED = 5


@dataclass(frozen=True)
class HeldRow:
    """A record held in quarantine, as the quarantine screen names it."""

    record: str  # «Địa chỉ “Nguyễn Văn A” (mã a1)»
    sender: str  # the unit that sent it
    received: str | None  # ISO date it arrived
    reasons: Sequence[str] = ()


@dataclass(frozen=True)
class ConflictRow:
    """A record edited in two places, as the conflicts screen names it."""

    record: str
    unit: str
    current_by: str  # who wrote the version in use
    other_by: str  # who wrote the version kept aside
    fields: Sequence[str] = field(default_factory=tuple)  # the labels of the fields that differ


# ----------------------------------------------------------------------------- the page


class _Page:
    """The parts every list shares: the header block, the title, the signatures."""

    def __init__(self, units: UnitTree, unit: str, settings: Mapping[str, Any], on: date) -> None:
        self.head: Letterhead = letterhead(units, unit, settings)
        self.on = on

    def workbook(self, title: str) -> Workbook:
        return new_workbook(title, creator=self.head.chapter_text)

    def top(self, sheet: Sheet, title: str, *subtitles: str) -> None:
        """The header block, the title, then the lines saying what the list holds (documents
        quote with “…”, where the screens have «…»)."""
        sheet.header(
            [self.head.superior, self.head.chapter], date_line=self.head.date_line(self.on)
        )
        sheet.title(title)
        for line in subtitles:
            sheet.subtitle(_quoted(line))
        sheet.space(8)

    def numbered(self, sheet: Sheet, rows: Iterable[list[Any]], empty: str) -> None:
        """The table's header, then its rows numbered from 1 (STT), or the sentence `empty`
        when there is none."""
        sheet.table_header(numbered=True)
        number = 0
        for number, cells in enumerate(rows, start=1):
            sheet.table_row([number, *cells])
        if not number:
            sheet.table_text_row(empty)

    def bottom(self, sheet: Sheet) -> Sheet:
        preparer, *_, preparer_name = self.head.preparer()
        *signer, signer_name = self.head.signature()
        sheet.signatures([preparer], signer, names=(preparer_name, signer_name))
        sheet.finish()
        return sheet


def _quoted(text: str) -> str:
    """Documents quote with “…”, where the screens have «…»."""
    return text.replace("«", "“").replace("»", "”")


def _day(iso: object) -> date | None:
    """An ISO date as a date for a cell; None when there is none or it is not a date."""
    if not isinstance(iso, str) or not iso:
        return None
    try:
        return date.fromisoformat(iso[:10])
    except ValueError:
        return None


@dataclass
class _Given:
    """Aid summed: how many times, the value that counts, the value that does not."""

    count: int = 0
    counted: int = 0
    excluded: int = 0

    def add(self, aid: Mapping[str, Any]) -> None:
        self.count += 1
        if aid.get("excluded"):
            self.excluded += int(aid.get("value") or 0)
        else:
            self.counted += int(aid.get("value") or 0)


def _live(records: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [r for r in records if not r.get("deleted")]


def _sum_by(aid: Iterable[Mapping[str, Any]], *keys: str) -> dict[tuple, _Given]:
    given: dict[tuple, _Given] = defaultdict(_Given)
    for record in _live(aid):
        given[tuple(record.get(k) for k in keys)].add(record)
    return given


# ----------------------------------------------------------------------------- addresses


def address_list_workbook(
    addresses: Sequence[Mapping[str, Any]],
    aid: Iterable[Mapping[str, Any]],
    *,
    units: UnitTree,
    unit: str,
    settings: Mapping[str, Any],
    on: date,
    shown: str,
) -> Workbook:
    """The addresses in the order given (the list screen's), one row each, with their aid.

    `unit`: the office's unit (whose header the list carries); `settings`: the office's document
    settings; `shown`: what the list holds, a sentence for the subtitle («Tất cả địa chỉ» or the
    filter and search in force)."""
    page = _Page(units, unit, settings, on)
    workbook = page.workbook("Danh sách địa chỉ nhân đạo")
    given = _sum_by(aid, "address")
    last = queries.last_aid_on(aid)
    sheet = Sheet(
        workbook,
        ADDRESSES,
        [
            Column("STT", 5, "index"),
            Column("Tên địa chỉ", 24, "text"),
            Column("Loại", 9, "text"),
            Column("Số người", 8),
            Column("Nơi ở", 17, "text"),
            Column("Đơn vị", 15, "text"),
            Column("Nhóm đối tượng", 22, "text"),
            Column("Tình trạng", 15, "text"),
            Column("Ngày lập hồ sơ", 12, "date"),
            group(
                "Trợ giúp",
                Column("Số lần", 8),
                Column("Giá trị được tính (đồng)", 15),
                Column("Lần cuối", 12, "date"),
            ),
        ],
        freeze_columns=2,
    )
    page.top(
        sheet,
        "DANH SÁCH ĐỊA CHỈ NHÂN ĐẠO",
        f"{shown}; tính đến ngày {on.strftime('%d/%m/%Y')}",
    )
    nobody = _Given()
    mine = [given.get((address["id"],), nobody) for address in addresses]
    page.numbered(
        sheet,
        (
            [
                address.get("name") or "",
                vocab.ADDRESS_KINDS.get(address.get("kind", ""), ""),
                int(address.get("people") or 0),
                address.get("place") or "",
                units.name(address["unit"]) if address.get("unit") in units else "",
                ", ".join(vocab.GROUPS.get(g, g) for g in address.get("groups") or []),
                queries.STATUS_LABELS[queries.status(address)],
                _day(address.get("dossier_on")),
                own.count,
                own.counted,
                _day(last.get(address["id"])),
            ]
            for address, own in zip(addresses, mine, strict=True)
        ),
        "Không có địa chỉ nào khớp với bộ lọc.",
    )
    people = sum(int(address.get("people") or 0) for address in addresses)
    count, counted = sum(own.count for own in mine), sum(own.counted for own in mine)
    sheet.table_row(
        [f"{TOTAL}: {format_number(len(addresses))} địa chỉ", None, people,
         None, None, None, None, None, count, counted, None],
        bold=True,
        label_span=2,
    )  # fmt: skip
    return _finish(page, sheet, workbook)


def _finish(page: _Page, sheet: Sheet, workbook: Workbook) -> Workbook:
    page.bottom(sheet)
    workbook.active = 0
    return workbook


def address_workbook(
    address: Mapping[str, Any],
    helpers: Iterable[Mapping[str, Any]],
    attachments: Iterable[Mapping[str, Any]],
    aid: Iterable[Mapping[str, Any]],
    *,
    units: UnitTree,
    unit: str,
    settings: Mapping[str, Any],
    on: date,
) -> Workbook:
    """One address: its details and aid (newest first, with its totals) on the first sheet,
    the helpers attached to it on the second. `helpers`, `attachments`, `aid`: records of any
    address (those of this one are picked), tombstones included (helpers deleted since keep
    their names)."""
    page = _Page(units, unit, settings, on)
    name = address.get("name") or ""
    workbook = page.workbook(f"Hồ sơ địa chỉ {name}")
    by_id = {h["id"]: h for h in helpers}
    mine = sorted(
        (a for a in _live(aid) if a.get("address") == address["id"]),
        key=lambda a: (a.get("on") or "", a.get("id") or ""),
    )
    links = sorted(
        (a for a in _live(attachments) if a.get("address") == address["id"]),
        key=lambda a: (a.get("from") or "", a.get("id") or ""),
    )

    def helper_name(key: object) -> str:
        helper = by_id.get(key) if isinstance(key, str) else None
        return helper["name"] if helper else "Không rõ người trợ giúp"

    def helper_side(key: object) -> str:
        helper = by_id.get(key) if isinstance(key, str) else None
        return SIDE.get(helper["side"], "") if helper else ""

    sheet = Sheet(
        workbook,
        AID,
        [
            Column("STT", 5, "index"),
            Column("Ngày", 12, "date"),
            Column("Người trợ giúp", 26, "text"),
            Column("Phía", 11, "text"),
            Column("Hình thức", 20, "text"),
            Column("Giá trị (đồng)", 15),
            Column("Không tính vì", 24, "text"),
            Column("Ghi chú", 24, "text"),
        ],
        freeze_columns=2,
    )
    page.top(sheet, "QUÁ TRÌNH TRỢ GIÚP ĐỊA CHỈ NHÂN ĐẠO", f"Địa chỉ: {name}")
    for line in _details(address, units):
        sheet.note(*line)
    sheet.space(6)
    page.numbered(
        sheet,
        (
            [
                _day(record.get("on")),
                helper_name(record.get("helper")),
                helper_side(record.get("helper")),
                record.get("form") or "",
                int(record.get("value") or 0),
                vocab.EXCLUSION_REASONS.get(record.get("excluded") or "", ""),
                record.get("note") or "",
            ]
            for record in mine
        ),
        "Chưa có lần trợ giúp nào.",
    )
    total = _Given()
    for record in mine:
        total.add(record)
    for label, value in (
        ("Được tính vào Cuộc vận động", total.counted),
        ("Không tính", total.excluded),
        (f"{TOTAL}: {format_number(total.count)} lần trợ giúp", total.counted + total.excluded),
    ):
        sheet.table_row([label, value, None, None], bold=True, label_span=5)
    page.bottom(sheet)

    attached = Sheet(
        workbook,
        ATTACHED,
        [
            Column("STT", 5, "index"),
            Column("Người trợ giúp", 28, "text"),
            Column("Phía", 11, "text"),
            Column("Loại", 16, "text"),
            Column("Từ ngày", 12, "date"),
            Column("Đến ngày", 12, "date"),
            Column("Lý do dừng", 24, "text"),
            group("Đã trợ giúp", Column("Số lần", 8), Column("Giá trị được tính (đồng)", 15)),
        ],
        freeze_columns=2,
    )
    page.top(attached, "NGƯỜI TRỢ GIÚP GẮN VỚI ĐỊA CHỈ NHÂN ĐẠO", f"Địa chỉ: {name}")
    given = _sum_by(mine, "helper")

    def attachment_row(link: Mapping[str, Any]) -> list[Any]:
        helper = by_id.get(link.get("helper") or "")
        from_helper = given.get((link.get("helper"),), _Given())
        return [
            helper_name(link.get("helper")),
            helper_side(link.get("helper")),
            vocab.HELPER_KINDS.get(helper["kind"], "") if helper else "",
            _day(link.get("from")),
            _day(link.get("until")),
            link.get("stop_reason") or "",
            from_helper.count,
            from_helper.counted,
        ]

    page.numbered(attached, map(attachment_row, links), "Chưa gắn người trợ giúp nào.")
    page.bottom(attached)
    workbook.active = 0
    return workbook


def _details(address: Mapping[str, Any], units: UnitTree) -> list[tuple[str | Bold, ...]]:
    """The address's details, a line each, as notes above its aid."""
    kind = vocab.ADDRESS_KINDS.get(address.get("kind", ""), "")
    people = int(address.get("people") or 0)
    where = address.get("place") or "chưa ghi nơi ở"
    unit = units.name(address["unit"]) if address.get("unit") in units else ""
    groups = ", ".join(vocab.GROUPS.get(g, g) for g in address.get("groups") or [])
    dates = [
        f"{label} {day.strftime('%d/%m/%Y')}"
        for label, key in (
            ("khảo sát", "surveyed_on"),
            ("lập hồ sơ", "dossier_on"),
            ("dừng trợ giúp", "stopped_on"),
        )
        if (day := _day(address.get(key)))
    ]
    status = queries.STATUS_LABELS[queries.status(address)]
    lines: list[tuple[str | Bold, ...]] = [
        (
            Bold("Loại: "),
            f"{kind}, {format_number(people)} người. ",
            Bold("Nơi ở: "),
            f"{where}, {unit}.",
        ),
        (Bold("Nhóm đối tượng: "), f"{groups or 'chưa ghi nhóm'}."),
        (Bold("Tình trạng: "), status + (f" ({', '.join(dates)})" if dates else "") + "."),
    ]
    if address.get("stop_reason"):
        lines.append((Bold("Lý do dừng: "), str(address["stop_reason"])))
    return lines


# ----------------------------------------------------------------------------- helpers


def helpers_workbook(
    helpers: Sequence[Mapping[str, Any]],
    addresses: Iterable[Mapping[str, Any]],
    attachments: Iterable[Mapping[str, Any]],
    aid: Iterable[Mapping[str, Any]],
    *,
    units: UnitTree,
    unit: str,
    settings: Mapping[str, Any],
    on: date,
    shown: str,
) -> Workbook:
    """The helpers in the order given (the screen's), with their addresses and their aid;
    then one row per helper and address attached («Địa chỉ được gắn»)."""
    page = _Page(units, unit, settings, on)
    workbook = page.workbook("Danh sách người trợ giúp")
    names = {a["id"]: a for a in addresses}
    links: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for link in _live(attachments):
        links[link["helper"]].append(link)
    for own in links.values():
        own.sort(key=lambda a: collation_key(names.get(a["address"], {}).get("name", "")))
    given = _sum_by(aid, "helper")
    pair = _sum_by(aid, "helper", "address")
    sheet = Sheet(
        workbook,
        HELPERS,
        [
            Column("STT", 5, "index"),
            Column("Tên người, tổ chức", 26, "text"),
            Column("Phía", 11, "text"),
            Column("Loại", 16, "text"),
            Column("Đơn vị", 16, "text"),
            Column("Các địa chỉ được gắn", 34, "text"),
            Column("Số địa chỉ", 8),
            group("Đã trợ giúp", Column("Số lần", 8), Column("Giá trị được tính (đồng)", 15)),
        ],
        freeze_columns=2,
    )
    page.top(sheet, "DANH SÁCH NGƯỜI TRỢ GIÚP", f"{shown}; tính đến ngày {on:%d/%m/%Y}")
    nobody = _Given()

    def helper_row(helper: Mapping[str, Any]) -> list[Any]:
        own = links.get(helper["id"], [])
        mine = given.get((helper["id"],), nobody)
        attached = [names[a["address"]]["name"] for a in own if a["address"] in names]
        if len(attached) > LISTED:
            more = len(attached) - LISTED
            attached = [*attached[:LISTED], f"… và {format_number(more)} địa chỉ khác"]
        return [
            helper.get("name") or "",
            SIDE.get(helper.get("side", ""), ""),
            vocab.HELPER_KINDS.get(helper.get("kind", ""), ""),
            units.name(helper["unit"]) if helper.get("unit") in units else "",
            "; ".join(attached),
            len(own),
            mine.count,
            mine.counted,
        ]

    page.numbered(sheet, map(helper_row, helpers), "Không có người trợ giúp nào.")
    theirs = [given.get((helper["id"],), nobody) for helper in helpers]
    totals = [
        sum(len(links.get(helper["id"], [])) for helper in helpers),
        sum(own.count for own in theirs),
        sum(own.counted for own in theirs),
    ]
    sheet.table_row(
        [f"{TOTAL}: {format_number(len(helpers))} người trợ giúp", None, None, None, None, *totals],
        bold=True,
        label_span=2,
    )
    page.bottom(sheet)

    detail = Sheet(
        workbook,
        HELPER_ADDRESSES,
        [
            Column("STT", 5, "index"),
            Column("Người trợ giúp", 24, "text"),
            Column("Địa chỉ", 24, "text"),
            Column("Nơi ở", 18, "text"),
            Column("Từ ngày", 12, "date"),
            Column("Đến ngày", 12, "date"),
            Column("Lý do dừng", 18, "text"),
            group("Đã trợ giúp", Column("Số lần", 8), Column("Giá trị được tính (đồng)", 15)),
        ],
        freeze_columns=2,
    )
    page.top(detail, "ĐỊA CHỈ NHÂN ĐẠO ĐƯỢC GẮN VỚI NGƯỜI TRỢ GIÚP", shown)

    def link_row(helper: Mapping[str, Any], link: Mapping[str, Any]) -> list[Any]:
        address = names.get(link["address"], {})
        both = pair.get((helper["id"], link["address"]), nobody)
        return [
            helper.get("name") or "",
            address.get("name") or "",
            address.get("place") or "",
            _day(link.get("from")),
            _day(link.get("until")),
            link.get("stop_reason") or "",
            both.count,
            both.counted,
        ]

    page.numbered(
        detail,
        (link_row(helper, link) for helper in helpers for link in links.get(helper["id"], [])),
        "Chưa có người trợ giúp nào được gắn với địa chỉ.",
    )
    page.bottom(detail)
    workbook.active = 0
    return workbook


# ----------------------------------------------------------------------------- exchange


def quarantine_workbook(
    rows: Sequence[HeldRow],
    *,
    units: UnitTree,
    unit: str,
    settings: Mapping[str, Any],
    on: date,
) -> Workbook:
    """The records held on arrival, each with why."""
    page = _Page(units, unit, settings, on)
    workbook = page.workbook("Bản ghi bị cách ly")
    sheet = Sheet(
        workbook,
        QUARANTINE,
        [
            Column("STT", 5, "index"),
            Column("Bản ghi", 34, "text"),
            Column("Gửi từ", 18, "text"),
            Column("Ngày nhận", 12, "date"),
            Column("Lý do bị giữ lại", 50, "text"),
        ],
        freeze_columns=2,
    )
    page.top(
        sheet,
        "CÁC BẢN GHI BỊ CÁCH LY KHI NHẬN",
        f"Nhận được nhưng chưa hợp lệ, đang chờ sửa hoặc bỏ; tính đến ngày {on:%d/%m/%Y}",
    )
    page.numbered(
        sheet,
        (
            [_quoted(row.record), row.sender, _day(row.received), _quoted("\n".join(row.reasons))]
            for row in rows
        ),
        "Không có bản ghi nào bị cách ly.",
    )
    return _finish(page, sheet, workbook)


def conflicts_workbook(
    rows: Sequence[ConflictRow],
    *,
    units: UnitTree,
    unit: str,
    settings: Mapping[str, Any],
    on: date,
) -> Workbook:
    """The records edited in two places at once: who wrote each version, what differs."""
    page = _Page(units, unit, settings, on)
    workbook = page.workbook("Xung đột")
    sheet = Sheet(
        workbook,
        CONFLICTS,
        [
            Column("STT", 5, "index"),
            Column("Bản ghi", 32, "text"),
            Column("Đơn vị", 18, "text"),
            Column("Bản đang dùng do", 18, "text"),
            Column("Bản kia do", 18, "text"),
            Column("Các trường khác nhau", 30, "text"),
        ],
        freeze_columns=2,
    )
    page.top(
        sheet,
        "CÁC BẢN GHI ĐƯỢC SỬA Ở HAI NƠI CÙNG LÚC",
        f"Bản sửa sau đang được dùng, bản kia được giữ lại để chọn; tính đến ngày {on:%d/%m/%Y}",
    )
    page.numbered(
        sheet,
        (
            [_quoted(row.record), row.unit, row.current_by, row.other_by, ", ".join(row.fields)]
            for row in rows
        ),
        "Không có xung đột nào.",
    )
    return _finish(page, sheet, workbook)


# ----------------------------------------------------------------------------- file names


def file_name(*parts: str, on: date) -> str:
    """«dia-chi-xa-tan-binh-2026-12-02.xlsx»: the parts without accents, joined by dashes, and
    the date, so that lists written on different days do not replace one another."""
    words = []
    for part in parts:
        folded = fold(part).replace("đ", "d")
        words.append("-".join("".join(c if c.isalnum() else " " for c in folded).split()))
    stem = "-".join(w for w in words if w)[:60].rstrip("-")
    return f"{stem}-{on.isoformat()}.xlsx"
