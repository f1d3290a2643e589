"""The Bảng tổng hợp as a blank return, for a unit that does not use the program to fill by hand
(docs/RETURNS.md).

`template_workbook` lays the table out exactly as the summary workbook's first sheet
(exporters/workbook.py), with the rows of the unit's children (or the unit itself) and no
figures: the figure cells are unlocked and accept whole numbers ≥ 0 only, everything else is
protected, and the «Tổng cộng» row adds the rows up. A hidden sheet, «nhandao», says which unit,
period and template version the file is, and which unit each row is: a return read back
(`read_return`) is matched by it, not by the names typed.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Protection
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from campaign.dataset import Dataset
from campaign.dates import Period
from campaign.money import format_number
from campaign.returns import (
    COLUMNS,
    FIELDS,
    NotAFigure,
    figure,
    is_number_row,
    is_total_label,
    row_problems,
)
from campaign.tally import tally
from campaign.text import fold, nfc
from campaign.units import UnitTree
from exporters.letterhead import letterhead
from exporters.sheets import new_workbook, save_workbook
from exporters.terminal import summary_title
from exporters.workbook import SUMMARY, blank_summary, quoted
from store.store import Store

FORMAT = "nhandao-return"
VERSION = 1
HIDDEN = "nhandao"
FIRST_FIGURE = 3  # column C holds column 3 of the table, H column 8


def template_workbook(
    units: UnitTree, unit: str, period: Period, *, settings: Mapping[str, Any], on: date
) -> Workbook:
    """The blank return of `unit` for `period` (see the module's docstring)."""
    counted = tally(Dataset(units=units), unit, period)
    chapter = letterhead(units, unit, settings, period).chapter_text
    workbook = new_workbook(quoted(summary_title(counted)), creator=chapter)
    sheet = blank_summary(workbook, counted, units=units, settings=settings, on=on)
    assert sheet.table_rows is not None
    first = sheet.table_rows[1] + 1
    last = first + len(counted.rows) - 1
    ws = sheet.finish()
    letters = [get_column_letter(FIRST_FIGURE + n) for n in range(len(COLUMNS))]
    for row in range(first, last + 1):
        for letter in letters:
            ws[f"{letter}{row}"].protection = Protection(locked=False)
    for letter in letters:  # the «Tổng cộng» row adds the rows up
        ws[f"{letter}{last + 1}"].value = f"=SUM({letter}{first}:{letter}{last})"
    whole = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Số không hợp lệ",
        error="Hãy nhập một số nguyên không âm, không có dấu chấm hay chữ (ví dụ 12 hoặc 1500000).",
        showInputMessage=True,
        promptTitle="Nhập số",
        prompt="Một số nguyên không âm. Cột 6 = cột 4 + cột 5; cột 8 tính bằng đồng.",
    )
    whole.add(f"{letters[0]}{first}:{letters[-1]}{last}")
    ws.add_data_validation(whole)
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widths may be changed, content not
    ws.protection.formatRows = False
    _identity(workbook, counted.unit, period, first, [row.unit for row in counted.rows])
    workbook.active = 0
    return workbook


def _identity(
    workbook: Workbook, unit: str, period: Period, first: int, rows: list[str | None]
) -> None:
    """The hidden sheet: what the file is, then the unit of each row of the table."""
    hidden = workbook.create_sheet(HIDDEN)
    hidden.sheet_state = "hidden"
    for values in (("format", FORMAT), ("version", VERSION), ("unit", unit),
                   ("from", period.year_from), ("to", period.year_to), ("sheet", SUMMARY),
                   (), ("row", "unit")):  # fmt: skip
        hidden.append(list(values))
    for offset, code in enumerate(rows):
        hidden.append([first + offset, code])
    hidden.protection.sheet = True


def write_template(
    path: Path, units: UnitTree, unit: str, period: Period, *, settings: Mapping[str, Any],
    on: date,
) -> Path:  # fmt: skip
    """Write the blank return atomically (exporters.sheets.WorkbookWriteError otherwise)."""
    return save_workbook(template_workbook(units, unit, period, settings=settings, on=on), path)


# ----------------------------------------------------------------------------- reading


class ReturnError(Exception):
    """A file that cannot be read as a return at all (the sentence says why, in Vietnamese)."""


@dataclass
class ReturnRow:
    """One unit's row of a return: where it is, the name as typed, its figures."""

    unit: str
    label: str
    row: int
    figures: dict[str, int]


@dataclass
class ReadReturn:
    """A return read and checked. `problems` keep it out of the store unless a person accepts
    them; `warnings` are pointed out only. Each names its cell («ô F12»)."""

    source: str
    sha256: str
    template: bool
    unit: str | None = None  # the unit whose table it is
    period: Period | None = None
    rows: list[ReturnRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unread: int = 0  # rows with a cell that is no number: left out, the total not checked

    @property
    def kind(self) -> str:
        return "mẫu của chương trình" if self.template else "bảng gõ tay"

    @property
    def extent(self) -> str:
        """«giai đoạn 2008-2018, 10 đơn vị», as a person reads it."""
        span = self.period.label() if self.period else "không rõ giai đoạn"
        return f"giai đoạn {span}, {len(self.rows)} đơn vị"

    def records(self, accepted_by: str, accepted_on: date, *, accepted: bool) -> list[dict]:
        """The return records of its rows (docs/RETURNS.md): one per unit and period, so that
        a return read again replaces the one before."""
        assert self.period is not None
        problems = "\n".join(self.problems) if accepted and self.problems else None
        return [
            {"id": return_id(row.unit, self.period), "unit": row.unit,
             "year_from": self.period.year_from, "year_to": self.period.year_to,
             **{FIELDS[c]: row.figures[c] for c in COLUMNS},
             "source": self.source, "sha256": self.sha256, "accepted_by": accepted_by,
             "accepted_on": accepted_on.isoformat(), "problems": problems}
            for row in self.rows
        ]  # fmt: skip


def return_id(unit: str, period: Period) -> str:
    return f"bc-{unit}-{period.year_from}-{period.year_to}"


_PERIOD = re.compile(r"(20\d\d|19\d\d)\s*[-–—]\s*(20\d\d|19\d\d)")
_PREFIXES = ("xa ", "phuong ", "thi tran ", "huyen ", "quan ", "thi xa ", "thanh pho ", "tp ",
             "tp. ", "dac khu ", "tinh ")  # fmt: skip
_SCAN_ROWS = 200


def cell(column: int, row: int) -> str:
    return f"ô {get_column_letter(column)}{row}"


def read_return(
    payload: bytes,
    name: str,
    units: UnitTree,
    *,
    within: Collection[str],
    period: Period | None = None,
    parent: str | None = None,
    fallback: Period | None = None,
) -> ReadReturn:
    """Read a return: the workbook `template_workbook` made (its hidden sheet says which unit
    each row is), or a table typed by hand in the template's layout (found by its row of
    column numbers, its units by the names of column 2, accent-insensitively). Its rows must
    be units of `within` (the office's); `period` is the period of a hand-made table whose title
    names none, else `fallback` (said in a warning); `parent`, the unit whose children a
    hand-made table lists, when names are ambiguous. ReturnError for a file that is no
    workbook or holds no such table."""
    read = ReadReturn(name, hashlib.sha256(payload).hexdigest(), template=False)
    workbook = _open(payload, name)
    formulas = _open(payload, name, formulas=True)
    identity = _identity_of(workbook)
    if identity is not None:
        _read_template(workbook, formulas, identity, units, read)
    else:
        _read_by_hand(workbook, formulas, units, read, period, parent, within)
    if read.period is None and fallback is not None:
        read.period = fallback
        read.warnings.append(
            f"Tiêu đề bảng không ghi giai đoạn: tính là giai đoạn {fallback.label()} của văn "
            "phòng (trên dòng lệnh, chọn giai đoạn khác bằng --from và --to)."
        )
    if read.period is None:
        read.problems.append(
            "Không rõ giai đoạn của bảng (tiêu đề không ghi «giai đoạn 2008-2018»): hãy ghi "
            "giai đoạn bằng --from và --to."
        )
    outside = [row for row in read.rows if row.unit not in within]
    for row in outside:
        read.problems.append(
            f"{cell(2, row.row)}: {units.name(row.unit)} ({row.unit}) không thuộc đơn vị của văn "
            "phòng này."
        )
    return read


def _open(payload: bytes, name: str, *, formulas: bool = False) -> Workbook:
    if payload.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReturnError(
            f"Tệp {name} là sổ tính Excel kiểu cũ (.xls): hãy mở bằng Excel và lưu lại dạng "
            "«Excel Workbook (.xlsx)», rồi nhập tệp mới."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of what it does not read
            return load_workbook(io.BytesIO(payload), data_only=not formulas)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise ReturnError(
            f"Tệp {name} không đọc được như một sổ tính Excel (.xlsx) ({type(error).__name__}). "
            "Hãy kiểm tra đã chọn đúng tệp, hoặc mở bằng Excel và lưu lại dạng .xlsx."
        ) from None


# One term of a formula that adds up: SUM(C12:C21), D12, or 5.
_TERM = re.compile(
    r"\s*(?:SUM\(\s*([A-Z]{1,3}\d+)\s*:\s*([A-Z]{1,3}\d+)\s*\)|([A-Z]{1,3}\d+)|(\d+))\s*"
)


class _Figures:
    """The cells of a sheet as a spreadsheet program last computed them; a formula that none
    has computed yet (a file written by a script) is computed here when it only adds cells
    and numbers up (=D12+E12, =SUM(C12:C21)), else it is named as not computed."""

    def __init__(self, values: Any, formulas: Any) -> None:
        self.values, self.formulas = values, formulas

    def figure(self, row: int, column: int, depth: int = 0) -> int:
        value = self.values.cell(row, column).value
        formula = self.formulas.cell(row, column).value
        if value is not None or not (isinstance(formula, str) and formula.startswith("=")):
            return figure(value)
        total = 0
        for term in formula[1:].upper().split("+"):
            found = _TERM.fullmatch(term)
            if found is None or depth > 5:
                raise NotAFigure(
                    f"công thức «{formula}» chưa được tính: hãy mở tệp bằng Excel hoặc "
                    "LibreOffice, lưu lại rồi nhập lại"
                )
            first, last, single, number = found.groups()
            if number is not None:
                total += int(number)
                continue
            (low_col, low_row), (high_col, high_row) = (
                coordinate_from_string(first or single),
                coordinate_from_string(last or single),
            )
            for r in range(low_row, high_row + 1):
                for c in range(column_index_from_string(low_col),
                               column_index_from_string(high_col) + 1):  # fmt: skip
                    total += self.figure(r, c, depth + 1)
        return total


def _identity_of(workbook: Workbook) -> dict | None:
    if HIDDEN not in workbook.sheetnames:
        return None
    values: dict[str, object] = {}
    rows: dict[int, str] = {}
    in_rows = False
    for key, value, *_ in workbook[HIDDEN].iter_rows(values_only=True, max_col=2):
        if key == "row":
            in_rows = True
        elif in_rows and isinstance(key, int) and isinstance(value, str):
            rows[key] = value
        elif isinstance(key, str):
            values[key] = value
    if values.get("format") != FORMAT:
        return None
    return {**values, "rows": rows}


def _read_template(
    workbook: Workbook, formulas: Workbook, identity: dict, units: UnitTree, read: ReadReturn
) -> None:
    read.template = True
    if identity.get("version") != VERSION:
        raise ReturnError(
            f"Tệp {read.source} là mẫu phiên bản {identity.get('version')}, chương trình này "
            f"đọc phiên bản {VERSION}: hãy cập nhật nhandao, hoặc điền lại mẫu mới."
        )
    unit, sheet_name = identity.get("unit"), identity.get("sheet")
    if not isinstance(unit, str) or unit not in units:
        raise ReturnError(f"Tệp {read.source} là mẫu của đơn vị «{unit}», không có trong danh mục.")
    if sheet_name not in workbook.sheetnames:
        raise ReturnError(f"Tệp {read.source} không còn trang «{sheet_name}» của mẫu.")
    read.unit = unit
    years = identity.get("from"), identity.get("to")
    if all(isinstance(y, int) for y in years) and years[0] <= years[1]:  # type: ignore[operator]
        read.period = Period(*years)  # type: ignore[arg-type]
    ws = workbook[sheet_name]
    cells = _Figures(ws, formulas[sheet_name])
    found = _number_row(ws)
    columns = {"2": 2, **{c: FIRST_FIGURE + n for n, c in enumerate(COLUMNS)}}
    if found is not None:
        columns.update(found[1])
    for row_number, code in sorted(identity["rows"].items()):
        label = ws.cell(row_number, columns["2"]).value
        if code not in units:
            read.problems.append(f"{cell(columns['2'], row_number)}: đơn vị «{code}» không có "
                                 "trong danh mục.")  # fmt: skip
            continue
        if not isinstance(label, str) or fold(label) != fold(units.name(code)):
            read.warnings.append(
                f"{cell(columns['2'], row_number)}: ghi «{label or ''}», mẫu ghi "
                f"«{units.name(code)}»: dòng được tính cho {units.name(code)}."
            )
        _row(cells, row_number, code, str(label or units.name(code)), columns, read)
    last = max(identity["rows"], default=0)
    _total(cells, last + 1, columns, read)


def _number_row(ws: Any) -> tuple[int, dict[str, int]] | None:
    """The row of column numbers and where each number is, in the first rows of a sheet."""
    for values in ws.iter_rows(min_row=1, max_row=_SCAN_ROWS):
        texts = [c.value for c in values]
        if is_number_row(texts):
            columns: dict[str, int] = {}
            for c in values:
                if c.value is None or not str(c.value).strip():
                    continue
                text = re.sub(r"[\s()]", "", str(c.value)).removesuffix(".0").rstrip(".")
                number = text.split("=", 1)[0]
                if number in ("1", "2", *COLUMNS) and number not in columns:
                    columns[number] = c.column
            return values[0].row, columns
    return None


def _row(
    cells: _Figures, row: int, unit: str, label: str, columns: dict[str, int], read: ReadReturn
) -> None:
    figures: dict[str, int] = {}
    broken = False
    for column in COLUMNS:
        try:
            figures[column] = cells.figure(row, columns[column])
        except NotAFigure as error:
            read.problems.append(f"{cell(columns[column], row)}: {error}.")
            broken = True
    if broken:
        read.unread += 1
        return
    problems, warned = row_problems(figures)
    for column, text in problems:
        read.problems.append(f"{cell(columns[column], row)} ({label}): {text}.")
    for column, text in warned:
        read.warnings.append(f"{cell(columns[column], row)} ({label}): {text}.")
    read.rows.append(ReturnRow(unit, label, row, figures))


def _total(cells: _Figures, row: int, columns: dict[str, int], read: ReadReturn) -> None:
    """The «Tổng cộng» row equal to the sum of the rows, where it holds figures (and every
    row could be read)."""
    if read.unread:
        return
    for column in COLUMNS:
        if cells.values.cell(row, columns[column]).value is None and not isinstance(
            cells.formulas.cell(row, columns[column]).value, str
        ):
            continue  # left empty
        try:
            typed = cells.figure(row, columns[column])
        except NotAFigure as error:
            read.problems.append(f"{cell(columns[column], row)} (Tổng cộng): {error}.")
            continue
        added = sum(r.figures[column] for r in read.rows)
        if typed != added:
            read.problems.append(
                f"{cell(columns[column], row)}: dòng «Tổng cộng» ghi {format_number(typed)} "
                f"nhưng cộng các dòng được {format_number(added)}."
            )


def _read_by_hand(
    workbook: Workbook,
    formulas: Workbook,
    units: UnitTree,
    read: ReadReturn,
    period: Period | None,
    parent: str | None,
    within: Collection[str],
) -> None:
    for ws in workbook.worksheets:
        if ws.sheet_state != "visible":
            continue
        found = _number_row(ws)
        if found is not None:
            break
    else:
        raise ReturnError(
            f"Tệp {read.source} không có Bảng tổng hợp: không thấy dòng số cột «1 2 3 4 5 6 = 4+5 "
            "7 8» dưới tiêu đề bảng. Hãy dùng mẫu «nhandao summary --template», hoặc giữ "
            "nguyên dòng số cột của mẫu."
        )
    number_row, columns = found
    cells = _Figures(ws, formulas[ws.title])
    missing = [c for c in ("2", *COLUMNS) if c not in columns]
    if missing:
        raise ReturnError(f"Dòng số cột của tệp {read.source} thiếu cột {', '.join(missing)}.")
    read.period = period or _period_of(ws, number_row)
    labels: list[tuple[int, str]] = []
    total_row = None
    for row in range(number_row + 1, ws.max_row + 1):
        label = ws.cell(row, columns["2"]).value
        first = ws.cell(row, columns.get("1", 1)).value
        if is_total_label(label) or is_total_label(first):
            total_row = row
            break
        values = [ws.cell(row, columns[c]).value for c in COLUMNS]
        if label is None or not str(label).strip():
            if any(v is not None and str(v).strip() for v in values):
                read.problems.append(f"{cell(columns['2'], row)}: dòng có số liệu mà không ghi "
                                     "tên đơn vị.")  # fmt: skip
            continue
        labels.append((row, nfc(str(label)).strip()))
    matched = _match(units, labels, parent, within, columns["2"], read)
    seen: dict[str, int] = {}
    for row, label in labels:
        code = matched.get(row)
        if code is None:
            continue
        if code in seen:
            read.problems.append(f"{cell(columns['2'], row)}: {units.name(code)} đã có ở dòng "
                                 f"{seen[code]}.")  # fmt: skip
            continue
        seen[code] = row
        _row(cells, row, code, label, columns, read)
    if total_row is not None:
        _total(cells, total_row, columns, read)
    codes = [r.unit for r in read.rows]
    parents = {units[c]["parent"] for c in codes}
    if len(codes) == 1 and parent in (None, codes[0]):
        read.unit = codes[0] if parent is None else parent
    elif len(parents) == 1:
        read.unit = parents.pop()
    else:
        read.unit = parent


def _period_of(ws: Any, before: int) -> Period | None:
    for values in ws.iter_rows(min_row=1, max_row=before, values_only=True):
        for value in values:
            if isinstance(value, str) and (found := _PERIOD.search(value)):
                first, last = int(found.group(1)), int(found.group(2))
                if first <= last:
                    return Period(first, last)
    return None


def _short(name: str) -> str:
    folded = fold(name).strip()
    for prefix in _PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :].strip()
    return folded


def _match(
    units: UnitTree,
    labels: list[tuple[int, str]],
    parent: str | None,
    within: Collection[str],
    column: int,
    read: ReadReturn,
) -> dict[int, str]:
    """The unit of each row, by its name: exactly (accents, case and spaces aside), else
    without its «Xã», «Phường»…; a name several units bear is decided by the parent the other
    rows share, or asked about."""
    pool = [u for u in units if u["code"] in within
            and (parent is None or u["parent"] == parent or u["code"] == parent)]  # fmt: skip
    full: dict[str, list[str]] = {}
    short: dict[str, list[str]] = {}
    for unit in pool:
        full.setdefault(" ".join(fold(unit["name"]).split()), []).append(unit["code"])
        short.setdefault(" ".join(_short(unit["name"]).split()), []).append(unit["code"])
    options: dict[int, list[str]] = {}
    for row, label in labels:
        key = " ".join(fold(label).split())
        options[row] = full.get(key) or short.get(" ".join(_short(label).split()), [])
    decided = [found[0] for found in options.values() if len(found) == 1]
    shared = Counter(units[c]["parent"] for c in decided).most_common(1)
    usual = shared[0][0] if shared else None
    matched: dict[int, str] = {}
    for row, label in labels:
        found = options[row]
        if len(found) > 1 and usual is not None:
            found = [c for c in found if units[c]["parent"] == usual] or found
        if len(found) == 1:
            matched[row] = found[0]
        elif not found:
            read.problems.append(f"{cell(column, row)}: không có đơn vị nào tên «{label}» "
                                 "trong các đơn vị của văn phòng.")  # fmt: skip
        else:
            named = "; ".join(f"{c} {units.name(c)} ({units.path(c).split(', ', 1)[-1]})"
                              for c in found[:6])  # fmt: skip
            read.problems.append(
                f"{cell(column, row)}: «{label}» có thể là: {named}. Hãy ghi tên cho rõ, hoặc "
                "chọn đơn vị cấp trên bằng --unit."
            )
    return matched


# ----------------------------------------------------------------------------- taking in


def read_file(
    store: Store, path: Path, *, period: Period | None = None, parent: str | None = None
) -> ReadReturn:
    """A return file read and checked against `store`'s units (ReturnError if it cannot be
    read at all)."""
    try:
        payload = path.read_bytes()
    except OSError as error:
        raise ReturnError(f"Không đọc được tệp {path}: {error.strerror or error}.") from None
    within = store.office.units_served(store.units)
    return read_return(payload, path.name, store.units, within=within, period=period,
                       parent=parent, fallback=store.office.period)  # fmt: skip


def can_take(read: ReadReturn, *, accept: bool) -> bool:
    """Whether `read` may be taken in: rows read, its period known, and no problem unless a
    person accepts them."""
    return bool(read.rows) and read.period is not None and (accept or not read.problems)


def take(store: Store, read: ReadReturn, *, accept: bool = False) -> int:
    """Keep the return records of `read` in `store`, in one commit; how many changed."""
    if not can_take(read, accept=accept):
        raise ValueError("a return with problems is taken only when they are accepted")
    records = read.records(store.office.id, store.today(), accepted=bool(read.problems))
    return store.save_many([("return", record) for record in records])
