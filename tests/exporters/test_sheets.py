"""The shared look of our workbooks (exporters/sheets.py): text kept as text, tables with merged
headers and rows tall enough for their text, printing, and files replaced atomically."""

from __future__ import annotations

import errno
import io
import os
import unicodedata
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from exporters.sheets import (
    FONT_NAME,
    MAX_CELL_TEXT,
    NUMBER_FORMAT,
    Bold,
    Column,
    Sheet,
    WorkbookWriteError,
    group,
    new_workbook,
    save_workbook,
    write_text,
    write_value,
)


def reread(workbook: Workbook) -> Workbook:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


def sheet_xml(workbook: Workbook) -> str:
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


@pytest.mark.parametrize(
    "text", ["=1+1", "+84 912 345 678", "-", "@SUM(A1)", "=cmd|' /C calc'!A0", "- Hộ nghèo"]
)
def test_text_that_looks_like_a_formula_is_stored_as_text(text: str) -> None:
    workbook = new_workbook()
    ws = workbook.create_sheet("Thử")
    write_text(ws["A1"], text)
    assert "<f>" not in sheet_xml(workbook)
    cell = reread(workbook)["Thử"]["A1"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)


@pytest.mark.parametrize("text", ["Phường 1", "1.500.000", "Tổng cộng", "(đồng)"])
def test_ordinary_text_has_no_quote_prefix(text: str) -> None:
    workbook = new_workbook()
    write_text(workbook.create_sheet("Thử")["A1"], text)
    cell = reread(workbook)["Thử"]["A1"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", False)


def test_text_is_stored_in_nfc_with_controls_a_workbook_cannot_hold_shown_as_on_screen() -> None:
    workbook = new_workbook()
    ws = workbook.create_sheet("Thử")
    write_text(ws["A1"], unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết"))
    write_text(ws["A2"], "Ấp\x07 Suối\x00 Đá\n\tdòng hai")
    write_text(ws["A3"], "x" * (MAX_CELL_TEXT + 10))
    ws = reread(workbook)["Thử"]
    assert ws["A1"].value == "Nguyễn Thị Ánh Tuyết"
    assert unicodedata.is_normalized("NFC", ws["A1"].value)
    assert ws["A2"].value == "Ấp␇ Suối␀ Đá\n dòng hai"
    assert len(ws["A3"].value) == MAX_CELL_TEXT and ws["A3"].value.endswith("…")


def test_values_keep_their_type() -> None:
    workbook = new_workbook()
    ws = workbook.create_sheet("Thử")
    for column, value in enumerate([1_500_000, 0.25, date(2018, 11, 5), None, "1"], start=1):
        write_value(ws.cell(1, column), value)
    values = [c.value for c in reread(workbook)["Thử"][1]]
    assert values[:3] == [1_500_000, 0.25, values[2]] and values[2].date() == date(2018, 11, 5)
    assert values[4] == "1"


def test_the_default_font_is_times_new_roman() -> None:
    workbook = new_workbook("Thử")
    workbook.create_sheet("Thử")["A1"] = "chữ"
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        styles = archive.read("xl/styles.xml").decode("utf-8")
    # The first font is the one cells take by default and column widths are measured in.
    first_font = styles.split("<font>", 1)[1].split("</font>", 1)[0]
    assert f'<name val="{FONT_NAME}"/>' in first_font and '<sz val="12"/>' in first_font


def three_level_sheet() -> Sheet:
    columns = [
        Column("STT", 5, "index"),
        group("Nhóm", Column("Một", 10), group("Hai", Column("Ba", 10), Column("Bốn", 10))),
    ]
    return Sheet(new_workbook(), "Bảng", columns, freeze_columns=1)


def test_a_header_is_merged_over_its_columns_and_a_column_reaches_the_last_header_row() -> None:
    sheet = three_level_sheet()
    sheet.table_header(numbered=True)
    ws = sheet.ws
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:A3", "B1:D1", "B2:B3", "C2:D2"}
    assert [ws.cell(r, c).value for r, c in [(1, 1), (1, 2), (2, 2), (2, 3), (3, 3), (3, 4)]] == [
        "STT", "Nhóm", "Một", "Hai", "Ba", "Bốn",
    ]  # fmt: skip
    assert [ws.cell(4, c).value for c in range(1, 5)] == ["1", "2", "3", "4"]
    assert ws.print_title_rows == "$1:$4" and ws.freeze_panes == "B5"
    # Every cell of a merged header has its border, so that the printed grid is whole.
    assert all(ws.cell(r, c).border.left.style == "thin" for r in (1, 2, 3) for c in (1, 2, 3, 4))


def test_rows_grow_with_their_wrapped_text() -> None:
    sheet = Sheet(new_workbook(), "Bảng", [Column("Tên", 20, "text"), Column("Số", 10)])
    sheet.table_header()
    sheet.table_row(["Phường 1", 1])
    sheet.table_row(["Trường Trung học phổ thông chuyên Hoàng Lê Kha, Thành phố Tây Ninh", 2])
    sheet.table_row(["\n".join(["Một dòng"] * 8), 3])
    heights = [sheet.ws.row_dimensions[r].height for r in (2, 3, 4)]
    assert heights[0] < heights[1] < heights[2]
    # Eight lines of 12 pt text need more than eight times 12 pt.
    assert heights[2] > 8 * 12


def test_a_row_must_fill_the_table() -> None:
    sheet = Sheet(new_workbook(), "Bảng", [Column("Tên", 20, "text"), Column("Số", 10)])
    sheet.table_header()
    with pytest.raises(ValueError, match="a row of 1 columns in a table of 2"):
        sheet.table_row(["Phường 1"])


def test_a_total_label_is_merged_over_the_first_columns() -> None:
    sheet = Sheet(new_workbook(), "Bảng", [Column("STT", 5, "index"), Column("Tên", 20, "text"),
                                            Column("Số", 10)])  # fmt: skip
    sheet.table_header()
    sheet.table_row(["Tổng cộng", 12], bold=True, label_span=2)
    ws = reread(sheet.ws.parent)["Bảng"]
    assert "A2:B2" in {str(r) for r in ws.merged_cells.ranges}
    assert (ws["A2"].value, ws["C2"].value, ws["C2"].number_format) == (
        "Tổng cộng",
        12,
        NUMBER_FORMAT,
    )
    assert ws["A2"].font.b and ws["C2"].font.b


def test_a_note_has_bold_runs() -> None:
    sheet = Sheet(new_workbook(), "Bảng", [Column("Tên", 40, "text")])
    sheet.note("* ", Bold("Ghi chú:"), " chữ thường.")
    value = sheet.ws["A1"].value
    assert str(value) == "* Ghi chú: chữ thường."
    assert [bool(part.font.b) for part in value] == [False, True, False]


def test_the_national_header_and_the_date_line() -> None:
    sheet = three_level_sheet()
    sheet.header(["CẤP TRÊN", "ĐƠN VỊ"], date_line="Tây Ninh, ngày 05 tháng 11 năm 2018")
    ws = sheet.ws
    # The left half ends at the column nearest to 42 % of the width (5 + 10 of 35 units).
    assert [ws["A1"].value, ws["A2"].value, ws["C1"].value, ws["C2"].value, ws["C4"].value] == [
        "CẤP TRÊN", "ĐƠN VỊ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Tây Ninh, ngày 05 tháng 11 năm 2018",
    ]  # fmt: skip
    assert not ws["A1"].font.b and ws["A2"].font.b and ws["C2"].font.u == "single"
    # Level and wrapped in their half (a long issuer's name takes two lines, never spills).
    for cell in ("A1", "A2", "C1", "C2", "C4"):
        alignment = reread(ws.parent)["Bảng"][cell].alignment
        assert (alignment.textRotation, alignment.wrap_text) == (0, True), cell


def page_of(rows: int) -> Sheet:
    sheet = Sheet(new_workbook(), "Bảng", [Column("Tên", 30, "text"), Column("Số", 10)])
    sheet.table_header()
    for number in range(rows):
        sheet.table_row([f"Dòng {number}", number])
    sheet.finish()
    return sheet


def test_every_sheet_has_the_margins_of_decree_30() -> None:
    # Nghị định 30/2020/NĐ-CP: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
    margins = reread(page_of(3).ws.parent)["Bảng"].page_margins
    mm = {s: round(getattr(margins, s) * 25.4, 2) for s in ("top", "bottom", "left", "right")}
    assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25
    assert 30 <= mm["left"] <= 35 and 15 <= mm["right"] <= 20
    # The page number sits in the bottom margin, clear of the table.
    assert margins.footer * 25.4 < mm["bottom"] - 5


def test_the_workbook_names_its_title_creator_and_date() -> None:
    before = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    workbook = new_workbook("Bảng tổng hợp", creator=unicodedata.normalize("NFD", "Hội Tân Biên"))
    write_text(workbook.create_sheet("Thử")["A1"], "x")
    properties = reread(workbook).properties
    assert (properties.title, properties.creator) == ("Bảng tổng hợp", "Hội Tân Biên")
    assert before <= properties.created <= datetime.now(timezone.utc).replace(tzinfo=None)
    assert new_workbook().properties.creator == "nhandao"


def test_a_sheet_a_little_taller_than_a_page_is_fitted_onto_one() -> None:
    # A4 landscape leaves about 482 pt inside the margins; a row of 12 pt text is about 17 pt.
    assert page_of(20).ws.page_setup.fitToHeight == 0  # fits as it is
    assert page_of(33).ws.page_setup.fitToHeight == 1  # a little over: shrunk onto one page
    assert page_of(80).ws.page_setup.fitToHeight == 0  # far over: pages follow one another
    for rows in (20, 33, 80):
        setup = page_of(rows).ws.page_setup
        assert (setup.orientation, setup.paperSize, setup.fitToWidth) == ("landscape", 9, 1)


# ----------------------------------------------------------------------------- saving


def small_workbook() -> Workbook:
    workbook = new_workbook()
    write_text(workbook.create_sheet("Thử")["A1"], "mới")
    return workbook


def test_saving_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "bang.xlsx"
    target.write_bytes(b"old")
    assert save_workbook(small_workbook(), target) == target
    assert load_workbook(target)["Thử"]["A1"].value == "mới"
    assert [p.name for p in tmp_path.iterdir()] == ["bang.xlsx"]


def test_a_failed_save_leaves_the_old_file_whole_and_no_half_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "bang.xlsx"
    target.write_bytes(b"old")

    def disk_full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(WorkbookWriteError) as raised:
        save_workbook(small_workbook(), target)
    assert str(raised.value).startswith(f"Không ghi được tệp «{target}»")
    assert "Tệp cũ, nếu có, vẫn nguyên vẹn" in str(raised.value)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["bang.xlsx"]


def test_a_file_held_by_another_program_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(_source: object, _target: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(WorkbookWriteError, match="đang mở trong chương trình khác"):
        save_workbook(small_workbook(), tmp_path / "bang.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_or_a_folder_as_the_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkbookWriteError, match="Không có thư mục"):
        save_workbook(small_workbook(), tmp_path / "chưa có" / "bang.xlsx")
    with pytest.raises(WorkbookWriteError, match="là một thư mục"):
        save_workbook(small_workbook(), tmp_path)
    assert list(tmp_path.iterdir()) == []
