"""The look every workbook of nhandao shares: an official Vietnamese document on A4 paper.

A `Sheet` writes one worksheet from the top down, in the order of a printed document:

    sheet = Sheet(workbook, "Bảng tổng hợp", columns)
    sheet.header(["HỘI CHỮ THẬP ĐỎ TỈNH TÂY NINH", "HỘI CHỮ THẬP ĐỎ HUYỆN TÂN BIÊN"],
                 date_line="Tây Ninh, ngày 29 tháng 11 năm 2026")
    sheet.title("BẢNG TỔNG HỢP …")
    sheet.subtitle("Kèm theo Báo cáo số        /BC-CTĐ ngày 05/11/2018 của …")
    sheet.table_header(numbered=True)
    sheet.table_row([1, "Xã Tân Bình", 120, …])
    sheet.table_row(["Tổng cộng", 120, …], bold=True, label_span=2)
    sheet.note(Bold("Ghi chú:"), " …")

Everything is Times New Roman; the national header sits left and right above the title; the
table has thin borders, a header of one or more rows (columns under a merged header are
`Column(..., children=...)`), figures as numbers formatted «[$-42A]#,##0»: the format names
the Vietnamese locale (LCID 0x042A), so that the figures print with dots («1.500.000», «73,5%»)
whatever the regional settings of the PC that opens the file, and rows tall enough for their
wrapped text. Each sheet prints on A4 landscape, one page wide, with the table's header rows
repeated on every page and the panes frozen under them.

Text is written by `write_text`: NFC, characters a workbook cannot hold dropped, and text that
begins with «=», «+», «-» or «@» kept as text with the quote prefix, so that neither Excel nor
LibreOffice ever runs it as a formula, not even after the cell is edited. `save_workbook`
replaces the file atomically.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterator, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from campaign.text import visible
from store.files import write_atomic

FONT_NAME = "Times New Roman"
FONT_SIZE = 12.0
NUMBER_FORMAT = "[$-42A]#,##0"
PERCENT_FORMAT = "[$-42A]0.0%"
DATE_FORMAT = "dd/mm/yyyy"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
# The share of a cell's width that `text_lines` fills before it wraps.
_WRAP_SAFETY = 0.92
# Excel and LibreOffice read a typed cell beginning with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@")
# The most characters a cell can hold; Excel refuses to open a file with more.
MAX_CELL_TEXT = 32_767

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
# Page margins in inches (left, right, top, bottom): Nghị định 30/2020/NĐ-CP asks for left
# 30–35 mm, right 15–20 mm, top and bottom 20–25 mm; the smallest of each leave the table the
# most room. Then what they leave of A4 landscape, in points (A4 is 841.9 × 595.3 pt).
_MM = 1 / 25.4
MARGINS_MM = (30, 15, 20, 20)
_MARGINS = tuple(mm * _MM for mm in MARGINS_MM)
_PRINTABLE_WIDTH = 841.9 - (_MARGINS[0] + _MARGINS[1]) * 72
_PRINTABLE_HEIGHT = 595.3 - (_MARGINS[2] + _MARGINS[3]) * 72
# The same on A4 portrait, for long lists of few columns.
_PORTRAIT_WIDTH = 595.3 - (_MARGINS[0] + _MARGINS[1]) * 72
_PORTRAIT_HEIGHT = 841.9 - (_MARGINS[2] + _MARGINS[3]) * 72
# How much taller than a page a sheet may be and still be shrunk onto one.
_SQUEEZE = 1.3
# Room left under the signers' titles for their signatures and stamp, in points.
_SIGNING_ROOM = 56.0
# The share of the page's width given to the left half of the header block (the issuer).
_LEFT_SHARE = 0.42
# A line of Times New Roman takes about 1.2 times its size (Excel gives a row of 12 pt text
# 15.75 pt, with its padding).
_LINE = 1.2
_ROW_PADDING = 2.5


class WorkbookWriteError(Exception):
    """The workbook could not be written; `str()` is a Vietnamese sentence for the user."""


@dataclass(frozen=True)
class Bold:
    """A bold run of text inside a note (`Sheet.note`)."""

    text: str


@dataclass(frozen=True)
class Column:
    """A column of a table, or a header merged over the columns under it (`children`).

    `width` is in digits of the default font (Times New Roman 12: 6 pt). `kind` sets alignment and
    format: "index" (row numbers, centred), "text" (wrapped, left), "long" (paragraphs, wrapped,
    top-aligned), "number" (NUMBER_FORMAT, right), "percent" (PERCENT_FORMAT), "date"
    («dd/mm/yyyy»).
    `number` is the column's label in the numbering row under the header («6 = 4+5»).
    A header with children takes its width and kind from them.
    """

    title: str
    width: float = 12.0
    kind: str = "number"
    number: str | None = None
    children: tuple[Column, ...] = ()

    def leaves(self) -> list[Column]:
        """The columns of the sheet this header stands over, left to right."""
        if not self.children:
            return [self]
        return [leaf for child in self.children for leaf in child.leaves()]

    def depth(self) -> int:
        """Header rows this column takes, its children's included."""
        return 1 + max((child.depth() for child in self.children), default=0)


def group(title: str, *children: Column) -> Column:
    """A header merged over `children`."""
    return Column(title, children=children)


# ----------------------------------------------------------------------------- cells


def clean_text(text: str) -> str:
    """Text as a cell keeps it: NFC, control and direction characters (which a workbook cannot
    hold, or which would reorder what is printed) shown as placeholders, as on screen, cut to
    the most a cell can hold."""
    text = visible(unicodedata.normalize("NFC", text), lines=True)
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    return text


def write_text(cell: Cell, text: str) -> Cell:
    """Put `text` in `cell` as text, never as a formula.

    openpyxl stores a string beginning with «=» as a formula; the data type is set back to
    text. Text beginning with «=», «+», «-» or «@» also gets the quote prefix (the apostrophe
    Excel shows in the formula bar), so that editing the cell does not turn it into a formula.
    """
    text = clean_text(text)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True
    return cell


def write_value(cell: Cell, value: object) -> Cell:
    """Put a number, a date, text (through `write_text`) or nothing (None) in `cell`."""
    if value is None:
        cell.value = None
    elif isinstance(value, str):
        write_text(cell, value)
    elif isinstance(value, bool):
        raise TypeError("write a yes/no as Vietnamese text, not as a boolean")
    elif isinstance(value, int | float | date | datetime):
        cell.value = value
    else:
        raise TypeError(f"cannot write {type(value).__name__} in a cell")
    return cell


def font(
    size: float = FONT_SIZE, *, bold: bool = False, italic: bool = False, underline: bool = False
) -> Font:
    """Times New Roman of the given size and style."""
    return Font(
        name=FONT_NAME,
        size=size,
        bold=bold,
        italic=italic,
        underline="single" if underline else None,
    )


# ----------------------------------------------------------------------------- heights


def _char_width(char: str) -> float:
    """The width of a character of Times New Roman, in ems (a close average per class)."""
    if char == " ":
        return 0.25
    if char.isdigit():
        return 0.5
    if char.isupper():
        return 0.7
    if char.islower():
        return 0.47
    return 0.4


def text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """About how wide `text` is, in points, on one line."""
    return sum(_char_width(c) for c in text) * size * (1.07 if bold else 1.0)


def column_points(width: float) -> float:
    """The inner width of a column of `width` units, in points (padding taken off).

    A unit is the width of a digit of the workbook's default font (Times New Roman 12: half
    an em, 6 pt), in Excel and in LibreOffice alike."""
    return width * FONT_SIZE * 0.5 - 4


def text_lines(text: str, points: float, size: float = FONT_SIZE, bold: bool = False) -> int:
    """How many lines `text` wraps to in a cell `points` wide (words never split).

    Widths are averages, so the line is taken a little shorter than it is: a row a line too
    tall costs a little space, a row a line too short hides text."""
    points *= _WRAP_SAFETY
    lines = 0
    space = text_width(" ", size, bold)
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split(" "):
            wide = text_width(word, size, bold)
            if used and used + space + wide > points:
                lines += 1 + int(wide // points)
                used = wide % points
            elif not used and wide > points:
                lines += int(wide // points)
                used = wide % points
            else:
                used += (space if used else 0.0) + wide
    return max(lines, 1)


def line_height(size: float = FONT_SIZE) -> float:
    return size * _LINE


# ----------------------------------------------------------------------------- sheets


class Sheet:
    """One worksheet, written from the top down; see the module's docstring."""

    def __init__(
        self,
        workbook: Workbook,
        name: str,
        columns: Sequence[Column],
        *,
        size: float = FONT_SIZE,
        freeze_columns: int = 0,
        portrait: bool = False,
    ) -> None:
        """`columns`: the table's columns (widths set the sheet's); `size`: the table's font
        size; `freeze_columns`: how many columns on the left stay in view when scrolling."""
        self.ws: Worksheet = workbook.create_sheet(clean_text(name))
        self.columns = tuple(columns)
        self.leaves = [leaf for column in self.columns for leaf in column.leaves()]
        self.width = len(self.leaves)
        self.size = size
        self.freeze_columns = freeze_columns
        self.portrait = portrait  # A4 portrait (a long list of few columns), else landscape
        self.row = 1  # the next row to write
        self.table_rows: tuple[int, int] | None = None  # the header's first and last rows
        self._looks: dict[tuple[str, bool, bool], StyleArray] = {}
        for index, leaf in enumerate(self.leaves, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = leaf.width
        self._page_setup()

    # --------------------------------------------------------------- the document's top

    def header(self, left: Sequence[str], *, date_line: str | None) -> None:
        """The national header block: the issuing body on the left (its superior's name first,
        then its own in bold), the nation and its motto (underlined) on the right, then the
        place and date line under the motto, in italics."""
        split = self._split()
        lines = [line for line in left if line]
        right = [NATION, MOTTO]
        for index in range(max(len(lines), len(right))):
            issuer = index == len(lines) - 1
            cells = [
                (1, split, lines[index] if index < len(lines) else None, font(bold=issuer)),
                (
                    split + 1,
                    self.width,
                    right[index] if index < len(right) else None,
                    font(13 if index == 1 else FONT_SIZE, bold=True, underline=index == 1),
                ),
            ]
            self._header_line(cells)
        self.space(6)
        if date_line:
            self._header_line([(split + 1, self.width, date_line, font(13, italic=True))])
        self.space(10)

    def _header_line(self, cells: list[tuple[int, int, str | None, Font]]) -> None:
        height = line_height(FONT_SIZE)
        for first, last, text, style in cells:
            if text is None:
                continue
            self._merged(first, last, text, style, Alignment("center", "center", wrap_text=True))
            lines = text_lines(text, self._points(first, last), style.sz, bool(style.b))
            height = max(height, lines * line_height(style.sz))
        self.ws.row_dimensions[self.row].height = height + _ROW_PADDING
        self.row += 1

    def title(self, text: str, *, size: float = 14) -> None:
        """A bold centred title over the whole width, wrapped as needed."""
        self._paragraph(text, font(size, bold=True), "center")

    def subtitle(self, text: str, *, size: float = 13) -> None:
        """An italic centred line under the title (the plan it accompanies, the period)."""
        self._paragraph(text, font(size, italic=True), "center")

    def space(self, points: float = 8) -> None:
        """An empty row `points` high."""
        self.ws.row_dimensions[self.row].height = points
        self.row += 1

    def _paragraph(self, text: str, style: Font, horizontal: str) -> Cell:
        cell = self._merged(
            1, self.width, text, style, Alignment(horizontal, "top", wrap_text=True)
        )
        lines = text_lines(text, self._points(1, self.width) * 0.97, style.sz, bool(style.b))
        self.ws.row_dimensions[self.row].height = lines * line_height(style.sz) + _ROW_PADDING
        self.row += 1
        return cell

    # --------------------------------------------------------------- the table

    def table_header(self, *, numbered: bool = False) -> None:
        """The table's header rows from the columns (merged over their children, and down to
        the last header row when they have none), then, when `numbered`, the row of column
        numbers. These rows repeat on every printed page; the panes freeze under them."""
        top = self.row
        depth = max(column.depth() for column in self.columns)
        needed = [line_height(self.size)] * depth
        spans: list[tuple[int, int, float]] = []  # first row, last row, height needed

        def place(column: Column, level: int, first: int) -> int:
            leaves = column.leaves()
            last = first + len(leaves) - 1
            bottom = level if column.children else depth - 1
            self._table_cell(top + level, first, top + bottom, last, column.title, bold=True)
            points = self._points(first, last)
            lines = text_lines(column.title, points, self.size, True)
            spans.append((level, bottom, lines * line_height(self.size) + _ROW_PADDING))
            at = first
            for child in column.children:
                at = place(child, level + 1, at)
            return last + 1

        at = 1
        for column in self.columns:
            at = place(column, 0, at)
        # Single-row cells first, then merged ones grow the last row they cover if need be.
        for level, bottom, height in sorted(spans, key=lambda s: s[1] - s[0]):
            covered = sum(needed[level : bottom + 1])
            if covered < height:
                needed[bottom] += height - covered
        for level, height in enumerate(needed):
            self.ws.row_dimensions[top + level].height = max(height, line_height(self.size) + 2)
        self.row = top + depth
        if numbered:
            for index, leaf in enumerate(self.leaves, start=1):
                label = leaf.number if leaf.number is not None else str(index)
                self._table_cell(self.row, index, self.row, index, label, italic=True)
            self.ws.row_dimensions[self.row].height = line_height(self.size) + _ROW_PADDING
            self.row += 1
        self.table_rows = (top, self.row - 1)
        self.ws.print_title_rows = f"{top}:{self.row - 1}"
        self.ws.freeze_panes = f"{get_column_letter(self.freeze_columns + 1)}{self.row}"

    def table_row(
        self, values: Sequence[object], *, bold: bool = False, label_span: int = 1
    ) -> None:
        """One row of the table. With `label_span` > 1 the first value is merged over that many
        columns (a «Tổng cộng» row), and `values` holds one value less per merged column."""
        lines = 1
        column = 1
        for position, value in enumerate(values):
            span = label_span if position == 0 else 1
            last = column + span - 1
            leaf = self.leaves[column - 1]
            kind = "label" if span > 1 else leaf.kind
            self._table_cell(self.row, column, self.row, last, value, bold=bold, kind=kind)
            if isinstance(value, str):
                points = self._points(column, last) - (_INDENT if kind in _INDENTED else 0)
                lines = max(lines, text_lines(value, points, self.size, bold))
            column = last + 1
        if column - 1 != self.width:
            raise ValueError(f"a row of {column - 1} columns in a table of {self.width}")
        self.ws.row_dimensions[self.row].height = lines * line_height(self.size) + _ROW_PADDING
        self.row += 1

    def table_text_row(self, text: str, *, italic: bool = True) -> None:
        """A row of the table holding one sentence over the whole width («Chưa có …»)."""
        self._table_cell(self.row, 1, self.row, self.width, text, italic=italic, kind="text")
        lines = text_lines(text, self._points(1, self.width), self.size)
        self.ws.row_dimensions[self.row].height = lines * line_height(self.size) + _ROW_PADDING
        self.row += 1

    def _table_cell(
        self,
        row: int,
        column: int,
        last_row: int,
        last_column: int,
        value: object,
        *,
        bold: bool = False,
        italic: bool = False,
        kind: str | None = None,
    ) -> None:
        if last_row > row or last_column > column:
            self.ws.merge_cells(
                start_row=row, start_column=column, end_row=last_row, end_column=last_column
            )
        look = (kind or "header", bold, italic)
        known = self._looks.get(look)
        cells = self._cells(row, column, last_row, last_column)
        if known is None:
            first = next(cells)
            alignment, number_format = _CELL_LOOK[look[0]]
            first.font = font(self.size, bold=bold, italic=italic)
            first.border = _BORDER
            first.alignment = alignment
            first.number_format = number_format
            known = self._looks[look] = copy(first._style)
        # openpyxl hashes every style object on every assignment, which was most of the time
        # a workbook took; cells of one look share the style of the first (a private field of
        # openpyxl's cells: openpyxl is pinned below 4).
        for target in cells:
            target._style = copy(known)
        write_value(self.ws.cell(row, column), value)

    # --------------------------------------------------------------- under the table

    def note(self, *parts: str | Bold, size: float | None = None) -> None:
        """A paragraph over the whole width, without borders; `Bold` parts are bold."""
        size = size or self.size
        text = "".join(p.text if isinstance(p, Bold) else p for p in parts)
        if any(isinstance(p, Bold) for p in parts):
            rich = CellRichText(
                *(
                    TextBlock(
                        InlineFont(rFont=FONT_NAME, sz=size, b=isinstance(p, Bold)),
                        clean_text(p.text if isinstance(p, Bold) else p),
                    )
                    for p in parts
                )
            )
            cell = self._paragraph(text, font(size), "left")
            cell.value = rich
        else:
            self._paragraph(text, font(size), "left")

    def signatures(
        self,
        left: Sequence[str],
        right: Sequence[str],
        names: tuple[str | None, str | None] = (None, None),
    ) -> None:
        """Who signs, under the table: the first lines bold (the titles: «TM. BAN THƯỜNG VỤ»,
        «CHỦ TỊCH»), a line in italics (a hint such as «(Ký, ghi rõ họ tên)») when it starts
        with «(», then room for the signatures and, under it, the signers' `names` in bold."""
        split = self._split()
        self.space(8)
        for index in range(max(len(left), len(right))):
            cells = []
            for first, last, lines in ((1, split, left), (split + 1, self.width, right)):
                line = lines[index] if index < len(lines) else None
                italic = line is not None and line.startswith("(")
                cells.append((first, last, line, font(bold=not italic, italic=italic)))
            self._header_line(cells)
        self.space(_SIGNING_ROOM)
        if any(names):
            style = font(bold=True)
            self._header_line(
                [(1, split, names[0], style), (split + 1, self.width, names[1], style)]
            )

    def finish(self) -> Worksheet:
        """Settle the printing once everything is written, and return the worksheet.

        A sheet is always one page wide. When it runs a little over one page tall (by up to
        30 %), it is also fitted to one page, so that no page holds only the repeated header
        and a note or the signatures."""
        columns = sum(column_points(leaf.width) + 4 for leaf in self.leaves)
        width, height = (
            (_PORTRAIT_WIDTH, _PORTRAIT_HEIGHT)
            if self.portrait
            else (_PRINTABLE_WIDTH, _PRINTABLE_HEIGHT)
        )
        across = min(1.0, width / columns)
        rows = self.ws.row_dimensions
        tall = sum(rows[r].height or line_height() for r in range(1, self.row)) * across
        if height < tall <= height * _SQUEEZE:
            self.ws.page_setup.fitToHeight = 1
        return self.ws

    # --------------------------------------------------------------- helpers

    def _split(self) -> int:
        """The last column of the header block's left half: the one whose right edge comes
        nearest to its share of the width."""
        total = sum(leaf.width for leaf in self.leaves)
        edges, used = [], 0.0
        for leaf in self.leaves[:-1]:
            used += leaf.width
            edges.append(abs(used - total * _LEFT_SHARE))
        return 1 + min(range(len(edges)), key=edges.__getitem__) if edges else 1

    def _points(self, first: int, last: int) -> float:
        return sum(column_points(leaf.width) for leaf in self.leaves[first - 1 : last]) + (
            (last - first) * 5
        )

    def _merged(
        self, first: int, last: int, value: object, style: Font, alignment: Alignment
    ) -> Cell:
        cell = self.ws.cell(self.row, first)
        write_value(cell, value)
        if last > first:
            self.ws.merge_cells(
                start_row=self.row, start_column=first, end_row=self.row, end_column=last
            )
        cell.font = style
        cell.alignment = alignment
        return cell

    def _cells(self, row: int, column: int, last_row: int, last_column: int) -> Iterator[Cell]:
        for cells in self.ws.iter_rows(
            min_row=row, max_row=last_row, min_col=column, max_col=last_column
        ):
            yield from cells

    def _page_setup(self) -> None:
        ws = self.ws
        ws.page_setup.orientation = "portrait" if self.portrait else "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.horizontalCentered = True
        ws.page_margins = PageMargins(
            left=_MARGINS[0], right=_MARGINS[1], top=_MARGINS[2], bottom=_MARGINS[3],
            header=10 * _MM, footer=10 * _MM,
        )  # fmt: skip
        # Each sheet numbers its own pages: annexes are printed and filed on their own.
        ws.page_setup.firstPageNumber = 1
        ws.page_setup.useFirstPageNumber = True
        ws.oddFooter.center.text = "Trang &P"
        ws.oddFooter.center.font = f"{FONT_NAME},Italic"
        ws.oddFooter.center.size = 10


# Text and figures keep one indent level off the border; it costs about this many points.
_INDENT = 9.0
_INDENTED = frozenset({"text", "long", "number", "percent"})
_CELL_LOOK: dict[str, tuple[Alignment, str]] = {
    "header": (Alignment("center", "center", wrap_text=True), "@"),
    "index": (Alignment("center", "center"), "0"),
    "text": (Alignment("left", "center", wrap_text=True, indent=1), "@"),
    "long": (Alignment("left", "top", wrap_text=True, indent=1), "@"),
    "number": (Alignment("right", "center", indent=1), NUMBER_FORMAT),
    "percent": (Alignment("right", "center", indent=1), PERCENT_FORMAT),
    "label": (Alignment("center", "center", wrap_text=True), "@"),
    "date": (Alignment("center", "center"), DATE_FORMAT),
}


# ----------------------------------------------------------------------------- workbooks


def new_workbook(title: str = "", *, creator: str = "nhandao") -> Workbook:
    """An empty workbook (no sheet yet) in Vietnamese, its properties naming its `title` and
    its `creator` (the chapter that issues it), created now."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    # The workbook's default font (the first font, and the «Normal» style's) is what Excel and
    # LibreOffice measure column widths in, and what cells typed later get. openpyxl has no
    # public setter for it; these are the two places its own bootstrap puts Calibri.
    body = Font(name=FONT_NAME, size=FONT_SIZE)
    workbook._fonts = IndexedList([body])
    workbook._named_styles["Normal"].font = body
    properties = workbook.properties
    properties.creator = properties.lastModifiedBy = clean_text(creator)
    properties.created = properties.modified = datetime.now(timezone.utc).replace(tzinfo=None)
    properties.language = "vi-VN"
    if title:
        workbook.properties.title = clean_text(title)
    return workbook


def save_workbook(workbook: Workbook, path: Path) -> Path:
    """Write `workbook` to `path` atomically: the old file stays whole until the new one is
    complete on disk. Raises WorkbookWriteError with a Vietnamese message."""
    path = Path(path)
    if path.is_dir():
        raise WorkbookWriteError(
            f"«{path}» là một thư mục. Hãy ghi cả tên tệp, ví dụ {path / 'bang-tong-hop.xlsx'}."
        )
    if not path.parent.is_dir():
        raise WorkbookWriteError(
            f"Không có thư mục «{path.parent}». Hãy tạo thư mục đó trước, hoặc chọn nơi khác."
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    try:
        write_atomic(path, buffer.getvalue())
    except PermissionError:
        raise WorkbookWriteError(
            f"Không ghi được tệp «{path}»: không có quyền ghi vào thư mục này, hoặc tệp đang mở "
            "trong chương trình khác (như Excel). Hãy đóng tệp hoặc chọn nơi khác rồi thử lại."
        ) from None
    except OSError as error:
        raise WorkbookWriteError(
            f"Không ghi được tệp «{path}» ({error.strerror or error}). Tệp cũ, nếu có, vẫn "
            "nguyên vẹn. Hãy kiểm tra ổ đĩa còn chỗ trống hoặc chọn nơi khác rồi thử lại."
        ) from None
    return path
