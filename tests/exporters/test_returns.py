"""Units without the program: the blank Bảng tổng hợp (`summary --template`), filled by hand
and read back (`returns import`), checked cell by cell, and counted beside the records.

Tây Ninh's province office (72); the returns are of Thành phố Tây Ninh (703), whose ten
communes and wards are its rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from disk import files_of
from factories import address, aid, helper
from openpyxl import Workbook, load_workbook

from campaign.text import fold
from exporters.returns import HIDDEN
from store import gazetteer
from tui.cli import main

CITY = [u for u in gazetteer.province_units("72") if u["parent"] == "703"]  # its 10 communes


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def province(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "tinh"
    assert run(capsys, "init", "--unit", "72", "--store", path)[0] == 0
    return path


def template(capsys: pytest.CaptureFixture[str], store: Path, target: Path, *more: str) -> Path:
    code, out, err = run(capsys, "summary", "--template", "--unit", "703", "--xlsx", target,
                         "--store", store, *more)  # fmt: skip
    assert code == 0, err
    assert "Đã ghi mẫu Bảng tổng hợp để trống của Thành phố Tây Ninh" in out
    return target


def figures(n: int) -> list[int]:
    """Row n's columns 3–8: consistent (6 = 4 + 5, 7 ≥ 6)."""
    return [10 + n, 3 + n, 2, 5 + n, 9 + n, 1_000_000 * (n + 1)]


def fill(path: Path, target: Path, change: Callable | None = None) -> Path:
    """The template filled as a unit would, row by row (then `change`d)."""
    book = load_workbook(path)
    sheet = book["Bảng tổng hợp"]
    rows = [row for row, _code in book[HIDDEN].iter_rows(min_row=9, values_only=True)]
    for n, row in enumerate(rows):
        for offset, value in enumerate(figures(n)):
            sheet.cell(row, 3 + offset).value = value
    if change is not None:
        change(sheet, rows)
    book.save(target)
    return target


def table(capsys: pytest.CaptureFixture[str], store: Path, *options: str) -> list[dict]:
    code, out, err = run(capsys, "summary", "--json", "--store", store, *options)
    assert code == 0, err
    return json.loads(out)


# ----------------------------------------------------------------------------- the template


def test_the_template_is_the_summary_table_with_its_figure_cells_open(
    province: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    book = load_workbook(template(capsys, province, tmp_path / "mau.xlsx"))
    assert book.sheetnames == ["Bảng tổng hợp", HIDDEN]
    sheet, hidden = book["Bảng tổng hợp"], book[HIDDEN]
    assert hidden.sheet_state == "hidden"
    identity = dict(hidden.iter_rows(max_row=6, values_only=True))
    assert identity == {"format": "nhandao-return", "version": 1, "unit": "703",
                        "from": 2008, "to": 2018, "sheet": "Bảng tổng hợp"}  # fmt: skip
    rows = dict(hidden.iter_rows(min_row=9, values_only=True))
    assert list(rows.values()) == [u["code"] for u in CITY]
    texts = [[str(c.value) if c.value is not None else "" for c in r] for r in sheet.iter_rows()]
    number_row = next(i for i, r in enumerate(texts, 1) if r[:3] == ["1", "2", "3"])
    assert texts[number_row - 1][:8] == ["1", "2", "3", "4", "5", "6 = 4+5", "7", "8"]
    first = min(rows)
    assert first == number_row + 1
    assert [sheet.cell(r, 2).value for r in rows] == [u["name"] for u in CITY]
    assert "GIAI ĐOẠN 2008-2018" in " ".join(" ".join(r) for r in texts[:12])
    # Only the figures of the rows can be typed in, as whole numbers ≥ 0.
    assert sheet.protection.sheet
    open_cells = {c.coordinate for r in sheet.iter_rows() for c in r if not c.protection.locked}
    expected = {f"{col}{row}" for row in rows for col in "CDEFGH"}
    assert open_cells == expected
    (validation,) = sheet.data_validations.dataValidation
    assert (validation.type, validation.operator, validation.formula1) == (
        "whole", "greaterThanOrEqual", "0")  # fmt: skip
    assert str(validation.sqref) == f"C{first}:H{max(rows)}"
    assert all(sheet.cell(r, 3).value is None for r in rows)
    total = max(rows) + 1
    assert sheet.cell(total, 1).value == "Tổng cộng"
    assert sheet.cell(total, 8).value == f"=SUM(H{first}:H{max(rows)})"


def test_a_commune_s_template_is_its_own_row(
    province: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _out, err = run(capsys, "summary", "--template", "--unit", "25456", "--xlsx",
                          tmp_path / "p1.xlsx", "--store", province)  # fmt: skip
    assert code == 0, err
    rows = dict(load_workbook(tmp_path / "p1.xlsx")[HIDDEN].iter_rows(min_row=9, values_only=True))
    assert list(rows.values()) == ["25456"]


def test_the_template_needs_a_file(province: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "summary", "--template", "--store", province)
    assert code == 2 and "dùng cùng --xlsx" in err


# ----------------------------------------------------------------------------- reading back


def test_a_filled_template_is_counted_in_every_table_above(
    province: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    filled = fill(template(capsys, province, tmp_path / "mau.xlsx"), tmp_path / "dien.xlsx")
    code, out, err = run(capsys, "returns", "import", filled, "--store", province)
    assert code == 0, err + out
    assert "Đã nhận tệp dien.xlsx: 10 báo cáo đơn vị" in out
    city = table(capsys, province, "--unit", "703")
    for n, (unit, row) in enumerate(zip(CITY, city, strict=False)):
        assert row["unit"] == unit["code"] and row["returns"] == [unit["code"]]
        assert [row[c] for c in ("3", "4", "5", "6", "7", "8")] == figures(n)
    expected = [sum(figures(n)[i] for n in range(10)) for i in range(6)]
    assert [city[-1][c] for c in ("3", "4", "5", "6", "7", "8")] == expected
    top = table(capsys, province)  # the province's table, from the derived index
    assert top[0]["unit"] == "703" and top[0]["returns"] == [u["code"] for u in CITY]
    assert [top[-1][c] for c in ("3", "4", "5", "6", "7", "8")] == expected
    # The screen's table and the workbook mark those rows.
    code, out, _err = run(capsys, "summary", "--store", province)
    assert "(*)" in out
    assert "do đơn vị tự điền" in out
    code, _out, err = run(capsys, "summary", "--xlsx", tmp_path / "bth.xlsx", "--store", province)
    assert code == 0, err
    sheet = load_workbook(tmp_path / "bth.xlsx")["Bảng tổng hợp"]
    cells = [str(c.value) for r in sheet.iter_rows() for c in r if c.value is not None]
    assert "Thành phố Tây Ninh (*)" in cells
    assert any("do đơn vị tự điền" in c for c in cells)
    # Read again, the same file changes nothing; the list shows what was taken.
    code, out, _err = run(capsys, "returns", "import", filled, "--store", province)
    assert code == 0 and "0 mới hoặc thay đổi" in out
    code, out, _err = run(capsys, "returns", "list", "--store", province)
    assert code == 0 and "Phường Ninh Thạnh" in out


def _hand_made(path: Path, rows: list[tuple[object, ...]], *, offset: int = 0,
               total: tuple[object, ...] | None = None) -> Path:  # fmt: skip
    """A Bảng tổng hợp typed by hand: title, a header of two rows with merged cells, the row
    of column numbers, the rows (with blank ones between), perhaps a total; `offset` empty
    columns on the left."""
    book = Workbook()
    sheet = book.active
    at = 1 + offset
    sheet.cell(1, at).value = "HỘI CHỮ THẬP ĐỎ THÀNH PHỐ TÂY NINH"
    sheet.cell(3, at).value = "BẢNG TỔNG HỢP KẾT QUẢ 10 NĂM ... GIAI ĐOẠN 2008 - 2018"
    sheet.cell(5, at).value = "STT"
    sheet.cell(5, at + 1).value = "Xã, phường, thị trấn"
    sheet.cell(5, at + 3).value = "Số địa chỉ được trợ giúp"
    sheet.merge_cells(start_row=5, start_column=at + 3, end_row=5, end_column=at + 5)
    for index, label in enumerate(["1", "2", 3, 4, 5, "6 = 4+5", 7, 8]):
        sheet.cell(7, at + index).value = label
    row = 8
    for values in rows:
        row += 1  # a blank row before each
        for index, value in enumerate(values):
            sheet.cell(row, at + index).value = value
        row += 1
    if total is not None:
        sheet.cell(row, at).value = "Tổng cộng"
        sheet.merge_cells(start_row=row, start_column=at, end_row=row, end_column=at + 1)
        for index, value in enumerate(total):
            sheet.cell(row, at + 2 + index).value = value
    book.save(path)
    return path


def test_a_table_typed_by_hand_is_read_by_its_column_numbers_and_names(
    province: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _hand_made(
        tmp_path / "tay.xlsx",
        [
            (1, "phuong 1", "12", "3", 2, "5", 9, "1.234.567 đ"),
            (2, "PHƯỜNG  HIỆP NINH", 4, 1, 0, 1, 1, "500.000"),
            (3, "Thạnh Tân", 0, 0, 0, 0, 0, None),
        ],
        offset=1,
    )  # fmt: skip  (no total row; a name without «Xã»)
    code, out, err = run(capsys, "returns", "import", path, "--store", province)
    assert code == 0, err + out
    assert "bảng gõ tay" in out and "Bảng tổng hợp của Thành phố Tây Ninh" in out
    city = {row["unit"]: row for row in table(capsys, province, "--unit", "703")}
    assert [city["25456"][c] for c in "345678"] == [12, 3, 2, 5, 9, 1_234_567]
    assert [city["25465"][c] for c in "345678"] == [4, 1, 0, 1, 1, 500_000]
    assert city["25471"]["returns"] == ["25471"] and "returns" not in city["25459"]


BAD = [
    ("6 ≠ 4 + 5", (1, "Phường 1", 10, 3, 2, 6, 9, 100), None,
     "ô F9 (Phường 1): cột 6 phải bằng cột 4 + cột 5 (3 + 2 = 5), đang ghi 6"),
    ("7 < 6", (1, "Phường 1", 10, 3, 2, 5, 4, 100), None, "ô G9 (Phường 1): cột 7"),
    ("negative", (1, "Phường 1", 10, -3, 2, -1, 4, 100), None, "ô D9: «-3» là số âm"),
    ("not a number", (1, "Phường 1", "mười", 3, 2, 5, 9, 100), None,
     "ô C9: «mười» không phải một số nguyên"),
    ("a fraction", (1, "Phường 1", 10, 3, 2, 5, 9, 1.5), None,
     "ô H9: «1.5» không phải một số nguyên"),
    ("unknown unit", (1, "Phường Không Có", 10, 3, 2, 5, 9, 100), None,
     "ô B9: không có đơn vị nào tên «Phường Không Có»"),
    ("a total that does not add up", (1, "Phường 1", 10, 3, 2, 5, 9, 100),
     (10, 3, 2, 5, 9, 999), "ô H10: dòng «Tổng cộng» ghi 999 nhưng cộng các dòng được 100"),
]  # fmt: skip


@pytest.mark.parametrize(("row", "total", "says"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_wrong_return_names_its_cell_and_changes_nothing(
    province: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    row: tuple,
    total: tuple | None,
    says: str,
) -> None:
    path = _hand_made(tmp_path / "sai.xlsx", [row], total=total)
    before = files_of(province)
    code, out, err = run(capsys, "returns", "import", path, "--store", province)
    assert code == 1 and says in out, out
    assert "Chưa nhận tệp sai.xlsx" in err and "Chưa có gì thay đổi trong kho" in err
    assert files_of(province) == before


def test_a_return_with_problems_is_taken_only_when_accepted_and_says_so(
    province: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _hand_made(tmp_path / "sai.xlsx", [(1, "Phường 1", 10, 3, 2, 6, 9, 100)])
    code, _out, _err = run(capsys, "returns", "import", path, "--accept", "--store", province)
    assert code == 0
    code, out, _err = run(capsys, "returns", "list", "--store", province)
    assert "Phường 1 (25456) (*)" in out and "nhận kèm những chỗ chưa khớp" in out
    assert "chưa khớp: ô F9 (Phường 1): cột 6 phải bằng cột 4 + cột 5" in out
    row = next(r for r in table(capsys, province, "--unit", "703") if r["unit"] == "25456")
    assert [row[c] for c in "3456"] == [10, 3, 2, 5]  # column 6 as the table counts: 4 + 5


def test_files_that_are_no_return_are_refused_clearly(
    province: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cases = {
        "anh.xlsx": b"\x89PNG\r\n\x1a\n" + bytes(100),
        "cu.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
    }
    for name, payload in cases.items():
        (tmp_path / name).write_bytes(payload)
    blank = Workbook()
    blank.active["A1"] = "Danh sách"
    blank.save(tmp_path / "khac.xlsx")
    code, _out, err = run(capsys, "returns", "import", *(tmp_path / n for n in cases),
                          tmp_path / "khac.xlsx", tmp_path / "khong-co.xlsx",
                          "--store", province)  # fmt: skip
    assert code == 1
    assert "anh.xlsx không đọc được như một sổ tính Excel (.xlsx)" in err
    assert "cu.xls là sổ tính Excel kiểu cũ (.xls)" in err
    assert "khac.xlsx không có Bảng tổng hợp: không thấy dòng số cột" in err
    assert "Không đọc được tệp" in err and "khong-co.xlsx" in err


def test_a_table_whose_title_names_no_period_is_of_the_office_s_or_the_one_asked(
    province: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _hand_made(tmp_path / "tay.xlsx", [(1, "Phường 1", 10, 3, 2, 5, 9, 100)])
    book = load_workbook(path)
    book.active["A3"] = "BẢNG TỔNG HỢP NĂM 2016"
    book.save(path)
    code, out, _err = run(capsys, "returns", "import", path, "--store", province)
    assert code == 0 and "Tiêu đề bảng không ghi giai đoạn: tính là giai đoạn 2008-2018" in out
    code, out, _err = run(capsys, "returns", "import", path, "--from", "2016", "--to", "2016",
                          "--store", province)  # fmt: skip
    assert code == 0 and "giai đoạn 2016-2016, 1 đơn vị" in out
    row = next(r for r in table(capsys, province, "--unit", "703", "--from", "2016", "--to",
                                "2016") if r["unit"] == "25456")  # fmt: skip
    assert row["returns"] == ["25456"] and row["3"] == 10


def test_formulas_no_program_computed_are_computed_when_they_add_up(
    province: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A table written by a script, column 6 as =D9+E9 and the total as =SUM(…): no cached
    values; the sums are computed, anything else is named as not computed."""
    path = _hand_made(tmp_path / "cong-thuc.xlsx", [(1, "Phường 1", 10, 3, 2, "=D9+E9", 9, 100),
                                                    (2, "Phường 3", 4, 1, 0, "=SUM(D11:E11)", 1,
                                                     "=H9*2")],
                      total=(14, "=SUM(D9:D11)", 2, 6, 10, 300))  # fmt: skip
    code, out, _err = run(capsys, "returns", "import", path, "--store", province)
    assert code == 1
    assert "ô H11: công thức «=H9*2» chưa được tính: hãy mở tệp bằng Excel hoặc LibreOffice" in out
    assert "ô F9" not in out and "ô F11" not in out
    book = load_workbook(path)
    book.active["H11"] = 200  # what «=H9*2» meant
    book.save(path)
    code, out, err = run(capsys, "returns", "import", path, "--store", province)
    assert code == 0, out + err  # the sums, computed, add up: 5 = 3 + 2, the total row too
    rows = {r["unit"]: r for r in table(capsys, province, "--unit", "703")}
    assert [rows["25456"][c] for c in "3456"] == [10, 3, 2, 5]
    assert [rows["25459"][c] for c in "3458"] == [4, 1, 0, 200]


def test_a_name_two_units_bear_is_asked_about_unless_the_other_rows_decide(
    province: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Tây Ninh has a «Xã Tân Bình» in Thành phố Tây Ninh (25474) and in Huyện Tân Biên
    (25495)."""
    assert sorted(u["code"] for u in gazetteer.province_units("72")
                  if fold(u["name"]) == "xa tan binh") == ["25474", "25495"]  # fmt: skip
    alone = _hand_made(tmp_path / "mot.xlsx", [(1, "Xã Tân Bình", 1, 1, 0, 1, 1, 10)])
    code, out, _err = run(capsys, "returns", "import", alone, "--store", province)
    assert code == 1 and "ô B9: «Xã Tân Bình» có thể là: 25474" in out and "25495" in out
    with_others = _hand_made(
        tmp_path / "hai.xlsx",
        [(1, "Phường 1", 1, 1, 0, 1, 1, 10), (2, "Xã Tân Bình", 1, 1, 0, 1, 1, 10)],
    )
    code, out, err = run(capsys, "returns", "import", with_others, "--store", province)
    assert code == 0, out + err
    row = next(r for r in table(capsys, province, "--unit", "703") if r["unit"] == "25474")
    assert row["returns"] == ["25474"]


def test_detailed_records_win_and_the_difference_is_shown(
    province: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    records = tmp_path / "records.json"
    records.write_bytes(orjson.dumps({
        "format": "nhandao-records", "version": 1, "helpers": [helper("h1")],
        "addresses": [address("a1")], "aid": [aid("x1", on="2012-05-01", value=700_000)],
    }))  # fmt: skip
    assert run(capsys, "records", "import", records, "--store", province)[0] == 0
    path = _hand_made(
        tmp_path / "p1.xlsx",
        [(1, "Phường 1", 10, 3, 2, 5, 9, 100), (2, "Phường 3", 4, 1, 0, 1, 1, 10)],
    )
    assert run(capsys, "returns", "import", path, "--store", province)[0] == 0
    rows = {r["unit"]: r for r in table(capsys, province, "--unit", "703")}
    assert [rows["25456"][c] for c in "345678"] == [1, 1, 0, 1, 1, 700_000]  # the records
    assert "returns" not in rows["25456"] and rows["25459"]["returns"] == ["25459"]
    _code, out, _err = run(capsys, "summary", "--unit", "703", "--store", province)
    said = " ".join(out.split())
    assert "Phường 1 có cả dữ liệu chi tiết và Bảng tổng hợp tự điền" in said
    assert "cột 3: 10 theo báo cáo, 1 theo dữ liệu" in said
