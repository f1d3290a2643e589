"""The summary workbook: the Bảng tổng hợp as the Red Cross prints it, then its six annexes.

Every figure comes from one `Tally` (campaign/tally.py; docs/RECORDS.md defines each), and the
last annex lists the models of the unit's subtree. The sheets (tabs), in order:

- «Bảng tổng hợp»: the seed's template, one row per child unit, then «Tổng cộng»;
- «Theo năm» (Phụ lục 1): addresses helped each year, new, continued, resumed, stopped (and why);
- «Đối tượng» (Phụ lục 2): helped addresses by beneficiary group, individuals and collectives;
- «Người trợ giúp» (Phụ lục 3): helped addresses by kind of helper, the helpers of each side;
- «Không tính» (Phụ lục 4): aid recorded but left out of column 8, by reason and by unit;
- «Khảo sát» (Phụ lục 5): grassroots chapters that surveyed, the addresses with a dossier;
- «Mô hình» (Phụ lục 6): every model, with what the report outline asks of it.

The Bảng tổng hợp goes with the unit's report (exporters/report.py), as the line under its
title says (the report's number left blank for the office, the document's date); the annexes
go with the Bảng tổng hợp and say so. They are the table's annexes, numbered 1 to 6 apart from
the report's own (whose Phụ lục 1 is this table): an annex prints its number above its title,
and texts name annexes by number, as documents do, never by tab. Header, date line and signers
are the report's (exporters/letterhead.py). Quotation marks are the Vietnamese “…”; numbers
inside text have thousands dots.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from campaign.dates import format_date
from campaign.money import format_number
from campaign.returns import COLUMNS as FIGURE_COLUMNS
from campaign.tally import NO_HELPER, Row, Tally
from campaign.text import collation_key
from campaign.units import UnitTree
from campaign.vocab import (
    EXCLUSION_REASONS,
    GROUPS,
    HELPER_KINDS,
    HELPER_SIDES,
    KINDS_OF_SIDE,
    MODEL_TYPES,
    NO_STOP_REASON,
)
from exporters.letterhead import letterhead
from exporters.sheets import Bold, Column, Sheet, group, new_workbook, save_workbook
from exporters.terminal import COLUMNS, summary_title

SUMMARY = "Bảng tổng hợp"
BY_YEAR = "Theo năm"
BY_GROUP = "Đối tượng"
BY_HELPER = "Người trợ giúp"
EXCLUDED = "Không tính"
SURVEY = "Khảo sát"
MODELS = "Mô hình"
SHEETS = (SUMMARY, BY_YEAR, BY_GROUP, BY_HELPER, EXCLUDED, SURVEY, MODELS)
# Each annex's number, printed above its title («Phụ lục 4») and used by texts that refer to it.
ANNEX = {name: number for number, name in enumerate(SHEETS) if number}
# The titles of the annexes, without the period the first one ends with.
ANNEX_TITLES = {
    BY_YEAR: "SỐ ĐỊA CHỈ ĐƯỢC TRỢ GIÚP THEO TỪNG NĂM",
    BY_GROUP: "ĐỊA CHỈ ĐƯỢC TRỢ GIÚP THEO ĐỐI TƯỢNG",
    BY_HELPER: "ĐỊA CHỈ ĐƯỢC TRỢ GIÚP THEO NGƯỜI TRỢ GIÚP",
    EXCLUDED: "CÁC KHOẢN TRỢ GIÚP KHÔNG TÍNH VÀO GIÁ TRỊ CUỘC VẬN ĐỘNG",
    SURVEY: "KẾT QUẢ KHẢO SÁT, LẬP HỒ SƠ ĐỊA CHỈ NHÂN ĐẠO",
    MODELS: "CÁC MÔ HÌNH CÔNG TÁC XÃ HỘI NHÂN ĐẠO",
}
# The report's number is left blank for the office to fill in, as on the report itself.
REPORT_NUMBER = "Báo cáo số        /BC-CTĐ"

TOTAL = "Tổng cộng"
# The body above a province's chapter, on the top line of its documents.
# Column 2 of the template names the rows of a district's table; at the province the rows are
# the districts and the units directly under the province, as the plan calls them.
ROWS_OF_DISTRICT = "Xã, phường, thị trấn, trường học, đơn vị trực thuộc"
ROWS_OF_PROVINCE = "Huyện, thành phố, đơn vị trực thuộc"
ROWS_OF_COUNTRY = "Tỉnh, thành phố trực thuộc trung ương"
# A province of the 2025 list: its communes straight under it, no district level.
ROWS_OF_PROVINCE_2025 = "Xã, phường, đặc khu, đơn vị trực thuộc"


def rows_heading(tree: UnitTree, code: str) -> str:
    """Column 2's heading: what the rows of the table of unit `code` are."""
    kind = tree[code]["kind"]
    if kind == "province":
        return ROWS_OF_PROVINCE_2025 if tree.is_two_level(code) else ROWS_OF_PROVINCE
    return ROWS_OF_COUNTRY if kind == "national" else ROWS_OF_DISTRICT


HELPED = "Số địa chỉ được trợ giúp"
COLUMN_7_NOTE = (
    "Địa chỉ nhân đạo được trợ giúp có thể là cá nhân hoặc tập thể (hộ gia đình, trường "
    "học...). Tổng số người được trợ giúp được tính là các cá nhân và số người trong các tập "
    "thể được trợ giúp."
)
# The Red Cross side's kinds, then the outside's, as the outline lists them.
_RED_CROSS_KINDS = [k for k in HELPER_KINDS if k in KINDS_OF_SIDE["red_cross"]]
_OUTSIDE_KINDS = [k for k in HELPER_KINDS if k in KINDS_OF_SIDE["outside"]]
_NO_HELPER_LABEL = "Không rõ người trợ giúp"
_UNGROUPED_LABEL = "Chưa xếp nhóm"


def write_summary_workbook(
    path: str | Path,
    tally: Tally,
    *,
    units: UnitTree,
    models: Iterable[Mapping[str, Any]],
    settings: Mapping[str, Any],
    on: date,
) -> Path:
    """Write the summary workbook of `tally` to `path`, atomically; returns the path.

    `units`: the directory the tally was made from; `models`: model records (any unit, tombstones
    included: only the live models of the tally's subtree are listed); `settings`: the office's
    document settings, read by exporters.letterhead (names, place, signers; `office_unit` says
    which unit they apply to); `on`: the date of the document, on its date line and in the
    line naming the report it goes with.
    Raises exporters.sheets.WorkbookWriteError with a Vietnamese message.
    """
    workbook = build_summary_workbook(tally, units=units, models=models, settings=settings, on=on)
    return save_workbook(workbook, Path(path))


def build_summary_workbook(
    tally: Tally,
    *,
    units: UnitTree,
    models: Iterable[Mapping[str, Any]],
    settings: Mapping[str, Any],
    on: date,
) -> Workbook:
    """The summary workbook in memory; see `write_summary_workbook`."""
    context = _Context(tally, units, settings, on)
    workbook = new_workbook(quoted(summary_title(tally)), creator=context.head.chapter_text)
    for write in _WRITERS:
        write(workbook, context).finish()
    _models(workbook, context, models).finish()
    workbook.active = 0
    return workbook


def blank_summary(
    workbook: Workbook,
    tally: Tally,
    *,
    units: UnitTree,
    settings: Mapping[str, Any],
    on: date,
) -> Sheet:
    """The Bảng tổng hợp sheet with the rows of `tally` and no figures: a unit's blank return
    (exporters/returns.py)."""
    return _summary(workbook, _Context(tally, units, settings, on), blank=True)


# ----------------------------------------------------------------------------- the top


def quoted(text: str) -> str:
    """Vietnamese documents quote with “…”, not «…»."""
    return text.replace("«", "“").replace("»", "”")


def annex(name: str) -> str:
    """«Phụ lục 4»: how a text names an annex."""
    return f"Phụ lục {ANNEX[name]}"


class _Context:
    """What every sheet's top needs, computed once."""

    def __init__(
        self, tally: Tally, units: UnitTree, settings: Mapping[str, Any], on: date
    ) -> None:
        self.tally = tally
        self.units = units
        self.head = letterhead(units, tally.unit, settings, tally.period)
        self.left = [self.head.superior, self.head.chapter]
        self.date_line = self.head.date_line(on)
        self.period = tally.period.label()
        self.rows_heading = rows_heading(units, tally.unit)
        # The unit's own table goes with its report; its annexes go with the table.
        self.with_report = (
            f"Kèm theo {REPORT_NUMBER} ngày {format_date(on)} của {self.head.chapter_text}"
        )
        self.with_table = (
            f"(Kèm theo Bảng tổng hợp kết quả thực hiện Cuộc vận động, giai đoạn {self.period}, "
            f"của {self.head.chapter_text})"
        )

    def top(self, sheet: Sheet, title: str) -> None:
        """The header block, the title and the line naming the report the table goes with."""
        sheet.header(self.left, date_line=self.date_line)
        sheet.title(quoted(title))
        sheet.subtitle(self.with_report)
        sheet.space(8)

    def annex_top(self, sheet: Sheet, name: str, title: str | None = None) -> None:
        """An annex's top: its number above its title, and, in brackets as annexes have it,
        the table it goes with."""
        sheet.header(self.left, date_line=self.date_line)
        sheet.title(annex(name), size=14)
        sheet.title(title or ANNEX_TITLES[name])
        sheet.subtitle(self.with_table)
        sheet.space(8)

    def unit_column(self, width: float = 30) -> Column:
        return Column(self.rows_heading, width, "text")


def _unit_rows(sheet: Sheet, tally: Tally, figures: Callable[[Row], list[object]]) -> None:
    """One table row per row of the tally, «(*)» after the name of a row that counts a
    hand-filled return, then «Tổng cộng» in bold."""
    returned = tally.returned_rows()
    for number, row in enumerate(tally.rows, start=1):
        name = f"{row.name} (*)" if row.unit in returned else row.name
        sheet.table_row([number, name, *figures(row)])
    sheet.table_row([TOTAL, *figures(tally.total)], bold=True, label_span=2)


# ----------------------------------------------------------------------------- the summary


def _summary(workbook: Workbook, context: _Context, *, blank: bool = False) -> Sheet:
    """The Bảng tổng hợp; `blank`: its rows without figures, for a unit to fill by hand
    (exporters/returns.py)."""
    tally = context.tally
    sheet = Sheet(
        workbook,
        SUMMARY,
        [
            Column("STT", 5, "index"),
            context.unit_column(34),
            Column(COLUMNS["3"], 13),
            group(
                HELPED,
                Column(COLUMNS["4"], 13),
                Column(COLUMNS["5"], 14),
                Column(TOTAL, 12, number="6 = 4+5"),
            ),
            Column(COLUMNS["7"], 14),
            Column(COLUMNS["8"], 19),
        ],
        freeze_columns=2,
    )
    # The template breaks the title before the campaign's name.
    title = summary_title(tally).replace(" «", "\n«", 1)
    context.top(sheet, title)
    sheet.table_header(numbered=True)

    def figures(row: Row) -> list[object]:
        if blank:
            return [None] * len(FIGURE_COLUMNS)
        columns = row.columns()
        return [columns[c] for c in FIGURE_COLUMNS]

    _unit_rows(sheet, tally, figures)
    sheet.space(6)
    sheet.note("* ", Bold("Ghi chú cột 7:"), f" {COLUMN_7_NOTE}")
    sheet.note(
        "* ",
        Bold("Cột 4 và 5:"),
        " mỗi địa chỉ được trợ giúp chỉ tính một lần: vào cột 4 nếu trong giai đoạn có cán bộ, "
        "hội viên, tình nguyện viên, thanh thiếu niên Chữ thập đỏ hoặc tổ chức Hội trợ giúp; "
        "nếu không thì vào cột 5. Vì vậy cột 6 là số địa chỉ được trợ giúp.",
    )
    for text in tally.return_notes(lambda code: context.units.name(code)):
        sheet.note("* ", text)
    excluded = tally.total.excluded_total
    if excluded.count:
        sheet.note(
            "* ",
            Bold("Không tính vào cột 8:"),
            f" {format_number(excluded.count)} lần trợ giúp, trị giá "
            f"{format_number(excluded.value)} đồng, thuộc những nguồn lực không thuộc giá trị "
            f"Cuộc vận động (chi tiết ở {annex(EXCLUDED)}).",
        )
    _signatures(sheet, context)
    return sheet


def _signatures(sheet: Sheet, context: _Context) -> None:
    """Who prepared the table on the left, the unit's signer on the right, names under."""
    preparer, *_, preparer_name = context.head.preparer()
    *signer, signer_name = context.head.signature()
    sheet.signatures([preparer], signer, names=(preparer_name, signer_name))


# ----------------------------------------------------------------------------- by year


def _by_year(workbook: Workbook, context: _Context) -> Sheet:
    tally = context.tally
    years = tally.years
    sheet = Sheet(
        workbook,
        BY_YEAR,
        [
            Column("Chỉ tiêu", 40, "text"),
            group("Năm", *(Column(str(flow.year), 8.5) for flow in years)),
            Column("Cả giai đoạn", 12),
        ],
        freeze_columns=1,
    )
    context.annex_top(sheet, BY_YEAR, f"{ANNEX_TITLES[BY_YEAR]}, GIAI ĐOẠN {context.period}")
    sheet.table_header()
    reasons: Counter[str] = Counter()
    for flow in years:
        reasons.update(flow.stop_reasons)
    new = sum(flow.new for flow in years)
    stopped = sum(len(flow.stopped) for flow in years)
    sheet.table_row(
        ["Số địa chỉ được trợ giúp trong năm", *(f.helped for f in years), tally.total.helped],
        bold=True,
    )
    sheet.table_row(["- Địa chỉ mới (lần đầu được trợ giúp)", *(f.new for f in years), new])
    sheet.table_row(
        ["- Địa chỉ năm trước tiếp tục được trợ giúp", *(f.continued for f in years), None]
    )
    sheet.table_row(
        ["- Địa chỉ được trợ giúp lại sau thời gian gián đoạn", *(f.resumed for f in years), None]
    )
    sheet.table_row(
        ["Số địa chỉ dừng trợ giúp trong năm", *(len(f.stopped) for f in years), stopped],
        bold=True,
    )
    if reasons:
        sheet.table_row(["Trong đó, theo lý do dừng:", *([None] * len(years)), None])
        ordered = sorted(reasons, key=lambda r: (r == NO_STOP_REASON, -reasons[r], r))
        for reason in ordered:
            label = reason[:1].upper() + reason[1:]
            counts = [f.stop_reasons.get(reason, 0) for f in years]
            sheet.table_row([f"- {label}", *counts, reasons[reason]])
    sheet.table_row(
        [
            "Số địa chỉ năm trước được trợ giúp, năm nay không, chưa ghi dừng",
            *(len(f.lapsed) for f in years),
            None,
        ],
        bold=True,
    )
    sheet.space(6)
    sheet.note(
        "* ",
        Bold("Cách tính:"),
        " một địa chỉ được trợ giúp trong năm khi có ít nhất một lần trợ giúp được tính vào giá "
        "trị Cuộc vận động trong năm đó. Địa chỉ mới: chưa được trợ giúp năm nào trước đó; tiếp "
        "tục: năm trước cũng được trợ giúp; trợ giúp lại: đã được trợ giúp trước đây nhưng năm "
        "trước thì không. Địa chỉ dừng trợ giúp trong năm: ngày dừng ghi trong hồ sơ thuộc năm "
        "đó (dù năm đó còn được trợ giúp hay không), kèm lý do ghi trong hồ sơ. Địa chỉ năm "
        "trước được trợ giúp, năm nay không mà hồ sơ chưa ghi dừng (đến hết năm) được đếm "
        "riêng, không tính là dừng. Cột “Cả giai đoạn” của dòng đầu là số địa chỉ khác nhau "
        "được trợ giúp (cột 6 của Bảng tổng hợp): một địa chỉ được trợ giúp nhiều năm được "
        "tính ở mỗi năm, nên cộng các năm lớn hơn số đó.",
    )
    return sheet


# ----------------------------------------------------------------------------- by group


def _by_group(workbook: Workbook, context: _Context) -> Sheet:
    tally = context.tally
    sheet = Sheet(
        workbook,
        BY_GROUP,
        [
            Column("STT", 5, "index"),
            context.unit_column(24),
            Column(HELPED, 10),
            group(
                "Trong đó",
                Column("Cá nhân", 9),
                Column("Tập thể", 9),
            ),
            Column("Số người trong các tập thể", 10),
            Column(COLUMNS["7"], 10),
            group(
                "Số địa chỉ được trợ giúp theo nhóm đối tượng",
                *(Column(label, 8.5) for label in GROUPS.values()),
                Column(_UNGROUPED_LABEL, 8.5),
            ),
        ],
        freeze_columns=2,
    )
    context.annex_top(sheet, BY_GROUP)
    sheet.table_header(numbered=True)
    _unit_rows(
        sheet,
        tally,
        lambda row: [
            row.helped,
            row.helped_individuals,
            row.helped_collectives,
            row.collective_people,
            row.people,
            *(row.groups.get(code, 0) for code in GROUPS),
            row.ungrouped,
        ],
    )
    sheet.space(6)
    sheet.note(
        "* ",
        Bold("Ghi chú:"),
        " cột 3 = cột 4 + cột 5; cột 7 = cột 4 + cột 6 (số cá nhân cộng số người trong các tập "
        "thể). "
        + _overlap(
            sum(tally.total.groups.get(code, 0) for code in GROUPS) + tally.total.ungrouped,
            tally.total.helped,
            # STT, the unit, columns 3 to 7, then the groups and «Chưa xếp nhóm».
            (8, 8 + len(GROUPS)),
            "một địa chỉ có thể thuộc nhiều nhóm đối tượng và được tính ở mỗi nhóm",
        ),
    )
    return sheet


def _overlap(parts: int, whole: int, columns: tuple[int, int], why: str) -> str:
    """Why columns that split the addresses helped (column 3) add up to more than it."""
    first, last = columns
    if parts > whole:
        return (
            f"Ở dòng Tổng cộng, cộng các cột {first} đến {last} được {format_number(parts)}, "
            f"nhiều hơn {format_number(whole)} địa chỉ được trợ giúp ở cột 3, vì {why}. Ở từng "
            "dòng đơn vị, cộng các cột đó cũng có thể lớn hơn cột 3 vì cùng lý do."
        )
    return f"Cộng các cột {first} đến {last} có thể lớn hơn cột 3, vì {why}."


# ----------------------------------------------------------------------------- by helper


def _by_helper(workbook: Workbook, context: _Context) -> Sheet:
    tally = context.tally
    sheet = Sheet(
        workbook,
        BY_HELPER,
        [
            Column("STT", 5, "index"),
            context.unit_column(24),
            Column(HELPED, 10),
            group(
                "Số địa chỉ được trợ giúp, theo người trợ giúp",
                group(
                    HELPER_SIDES["red_cross"],
                    *(Column(HELPER_KINDS[k], 9.5) for k in _RED_CROSS_KINDS),
                ),
                group(
                    HELPER_SIDES["outside"],
                    *(Column(HELPER_KINDS[k], 9.5) for k in _OUTSIDE_KINDS),
                ),
                Column(_NO_HELPER_LABEL, 9.5),
            ),
            group(
                "Số người trợ giúp",
                group("Đã đăng ký", *(Column(label, 9.5) for label in HELPER_SIDES.values())),
                group(
                    "Có trợ giúp trong giai đoạn",
                    *(Column(label, 9.5) for label in HELPER_SIDES.values()),
                ),
            ),
        ],
        freeze_columns=2,
    )
    context.annex_top(sheet, BY_HELPER)
    sheet.table_header(numbered=True)
    _unit_rows(
        sheet,
        tally,
        lambda row: [
            row.helped,
            *(row.helper_kinds.get(k, 0) for k in (*_RED_CROSS_KINDS, *_OUTSIDE_KINDS)),
            row.helper_kinds.get(NO_HELPER, 0),
            *(row.helpers.get(side, 0) for side in HELPER_SIDES),
            *(row.active_helpers.get(side, 0) for side in HELPER_SIDES),
        ],
    )
    sheet.space(6)
    sheet.note(
        "* ",
        Bold("Ghi chú:"),
        " "
        + _overlap(
            sum(tally.total.helper_kinds.values()),
            tally.total.helped,
            # STT, the unit, column 3, then each kind of helper and «Không rõ người trợ giúp».
            (4, 4 + len(HELPER_KINDS)),
            "một địa chỉ được nhiều người trợ giúp thuộc nhiều loại (ví dụ cả tình nguyện viên "
            "và một tổ chức ngoài Hội) thì được tính ở mỗi loại",
        )
        + " “Có trợ giúp trong giai đoạn”: người trợ giúp có ít nhất một lần trợ giúp được tính "
        "vào giá trị Cuộc vận động trong giai đoạn. “Không rõ người trợ giúp”: lần trợ giúp "
        "không ghi người trợ giúp, hoặc người trợ giúp đã bị xóa.",
    )
    return sheet


# ----------------------------------------------------------------------------- excluded


def _excluded(workbook: Workbook, context: _Context) -> Sheet:
    tally = context.tally

    def pair(title: str, wide: float = 14) -> Column:
        return group(title, Column("Số lần", 7), Column("Giá trị (đồng)", wide))

    sheet = Sheet(
        workbook,
        EXCLUDED,
        [
            Column("STT", 5, "index"),
            context.unit_column(24),
            *(pair(label) for label in EXCLUSION_REASONS.values()),
            pair("Cộng", 16),
        ],
        freeze_columns=2,
    )
    context.annex_top(sheet, EXCLUDED)
    sheet.table_header(numbered=True)

    def figures(row: Row) -> list[object]:
        values: list[object] = []
        for reason in EXCLUSION_REASONS:
            amount = row.excluded.get(reason)
            values += [amount.count, amount.value] if amount else [0, 0]
        total = row.excluded_total
        return [*values, total.count, total.value]

    _unit_rows(sheet, tally, figures)
    sheet.space(6)
    sheet.note(
        "* ",
        Bold("Ghi chú:"),
        " theo Kế hoạch, những nguồn lực này không thuộc giá trị Cuộc vận động: các lần trợ giúp "
        "đó vẫn được ghi nhận nhưng không tính vào các cột 4 đến 8 của Bảng tổng hợp.",
    )
    return sheet


# ----------------------------------------------------------------------------- survey


def _survey(workbook: Workbook, context: _Context) -> Sheet:
    tally = context.tally
    sheet = Sheet(
        workbook,
        SURVEY,
        [
            Column("STT", 5, "index"),
            context.unit_column(32),
            group(
                "Cơ sở Hội",
                Column("Tổng số", 11),
                Column("Đã khảo sát, lập hồ sơ", 13),
                Column("Tỉ lệ hoàn thành", 12, "percent"),
            ),
            group(
                COLUMNS["3"],
                Column("Tổng số", 12),
                Column("Cá nhân", 11),
                Column("Tập thể", 11),
            ),
            Column("Tổng số người trong các địa chỉ được lập hồ sơ", 16),
        ],
        freeze_columns=2,
    )
    context.annex_top(sheet, SURVEY)
    sheet.table_header(numbered=True)
    _unit_rows(
        sheet,
        tally,
        lambda row: [
            row.grassroots,
            row.grassroots_surveyed,
            row.grassroots_surveyed / row.grassroots if row.grassroots else None,
            row.dossiers,
            row.dossier_individuals,
            row.dossier_collectives,
            row.dossier_people,
        ],
    )
    sheet.space(6)
    sheet.note(
        "* ",
        Bold("Ghi chú:"),
        " cơ sở Hội là xã, phường, thị trấn, trường học và đơn vị trực thuộc; cơ sở Hội đã khảo "
        "sát là cơ sở có ít nhất một địa chỉ được khảo sát đến hết giai đoạn. Số địa chỉ được "
        "lập hồ sơ là cột 3 của Bảng tổng hợp.",
    )
    return sheet


# ----------------------------------------------------------------------------- models


def _models(workbook: Workbook, context: _Context, models: Iterable[Mapping[str, Any]]) -> Sheet:
    units, top = context.units, context.tally.unit
    order = {code: index for index, code in enumerate(units.subtree(top))}
    types = {code: index for index, code in enumerate(MODEL_TYPES)}
    listed = sorted(
        (m for m in models if not m.get("deleted") and m.get("unit") in order),
        key=lambda m: (
            order[m["unit"]],
            types.get(m["type"], len(types)),
            collation_key(m["name"]),
        ),
    )
    sheet = Sheet(
        workbook,
        MODELS,
        [
            Column("STT", 5, "index"),
            Column("Đơn vị", 15, "long"),
            Column("Loại mô hình", 14, "long"),
            Column("Tên mô hình", 18, "long"),
            Column("Mục tiêu", 26, "long"),
            Column("Nội dung và cách thức triển khai, thực hiện", 30, "long"),
            Column("Kết quả thực hiện", 26, "long"),
            Column("Hiệu ứng xã hội lan tỏa", 24, "long"),
            Column("Ngày bắt đầu", 10, "date"),
        ],
        size=11,
        freeze_columns=0,
    )
    context.annex_top(sheet, MODELS)
    sheet.table_header(numbered=True)
    for number, model in enumerate(listed, start=1):
        started = model.get("started_on")
        sheet.table_row(
            [
                number,
                _unit_label(units, model["unit"], top),
                MODEL_TYPES.get(model["type"], model["type"]),
                model["name"],
                model.get("objective"),
                model.get("method"),
                model.get("results"),
                model.get("effect"),
                date.fromisoformat(started) if started else None,
            ]
        )
    if not listed:
        sheet.table_text_row("Chưa có mô hình nào được ghi nhận.")
    return sheet


def _unit_label(units: UnitTree, code: str, top: str) -> str:
    """The unit's name, with the units between it and the table's unit: «Phường 1, Thành phố
    Tây Ninh» in the province's table, «Phường 1» in the city's."""
    names = [units.name(code)]
    if code == top:  # the table's own unit: nothing of what is above it
        return names[0]
    for ancestor in units.ancestors(code):
        if ancestor["code"] == top:
            break
        names.append(ancestor["name"])
    return ", ".join(names)


_WRITERS: tuple[Callable[[Workbook, _Context], Sheet], ...] = (
    _summary,
    _by_year,
    _by_group,
    _by_helper,
    _excluded,
    _survey,
)
