"""The lists written to Excel (exporters/lists.py), read back with openpyxl: the rows in the
screen's order, numbers as numbers, dates as dates, text never a formula, totals that add up,
the header block and the signatures of the office's documents; and one printed by LibreOffice.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from datetime import date, datetime
from pathlib import Path

from factories import UNITS, address, aid, helper
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from exporters.lists import (
    ADDRESSES,
    AID,
    ATTACHED,
    CONFLICTS,
    HELPER_ADDRESSES,
    HELPERS,
    LISTED,
    QUARANTINE,
    ConflictRow,
    HeldRow,
    address_list_workbook,
    address_workbook,
    conflicts_workbook,
    file_name,
    helpers_workbook,
    quarantine_workbook,
)
from exporters.sheets import NUMBER_FORMAT, save_workbook

ON = date(2026, 12, 2)
OFFICE = {"units": UNITS, "unit": "25456", "settings": {"office_unit": "25456"}, "on": ON}


def read(workbook, tmp_path: Path, name: str = "list.xlsx"):  # type: ignore[no-untyped-def]
    """The workbook as a file opens: saved, then loaded."""
    path = save_workbook(workbook, tmp_path / name)
    return load_workbook(path)


def texts(sheet: Worksheet) -> list[str]:
    return [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


def table(sheet: Worksheet) -> list[list[object]]:
    """The table's rows under its numbering row («1, 2, 3…»), up to the signatures."""
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    start = next(i for i, row in enumerate(rows) if row[0] == "1" and row[1] == "2") + 1
    end = next(i for i in range(start, len(rows)) if rows[i][0] == "NGƯỜI LẬP BẢNG")
    return [row for row in rows[start:end] if any(v is not None for v in row)]


def records() -> dict[str, list[dict]]:
    """Phường 1: three addresses (one stopped, one named like a formula), two helpers, aid with
    one excluded and one deleted; an address of Phường 3 the list leaves out."""
    return {
        "addresses": [
            address("a1", name="Trần Văn Hoà", people=1, place="Khu phố 3",
                    groups=["poor", "elderly"]),
            address("a2", name="=HYPERLINK(\"x\")", kind="collective", people=4,
                    place="Khu phố 1", dossier_on="2012-05-06"),
            address("a3", name="Lê Thị Lan", stopped_on="2016-12-31", stop_reason="Đã thoát nghèo"),
            address("b1", unit="25459", name="Ngoài danh sách"),
        ],
        "helpers": [
            helper("h1", name="Nguyễn Thị Mai", kind="volunteer"),
            helper("o1", side="outside", kind="organisation", name="Công ty An Bình"),
            helper("h2", name="Đã xoá", deleted=True),
        ],
        "attachments": [
            {"id": "t1", "address": "a1", "helper": "h1", "from": "2010-01-05"},
            {"id": "t2", "address": "a1", "helper": "o1", "from": "2011-02-01",
             "until": "2015-12-31", "stop_reason": "Công ty chuyển đi"},
            {"id": "t3", "address": "a2", "helper": "h1", "from": "2012-06-01"},
            {"id": "t4", "address": "a3", "helper": "h1", "from": "2012-06-01", "deleted": True},
        ],
        "aid": [
            aid("x1", address="a1", helper="h1", on="2010-03-01", value=1_500_000,
                form="Tiền mặt"),
            aid("x2", address="a1", helper="o1", on="2012-07-09", value=2_000_000,
                form="Gạo", excluded="emergency", note="Lũ tháng 7"),
            aid("x3", address="a1", helper="h1", on="2011-01-02", value=300_000),
            aid("x4", address="a2", helper="h1", on="2013-04-04", value=750_000),
            aid("x5", address="a1", helper="h1", on="2014-01-01", value=9_000_000, deleted=True),
            aid("x6", address="a3", helper=None, on="2015-05-05", value=100_000),
        ],
    }  # fmt: skip


# ----------------------------------------------------------------------------- address list


def test_the_address_list_keeps_the_screens_rows_and_order_with_numbers_and_dates(
    tmp_path: Path,
) -> None:
    data = records()
    shown = [data["addresses"][2], data["addresses"][0], data["addresses"][1]]  # the screen's
    book = read(
        address_list_workbook(
            shown, data["aid"], shown="Lọc: tìm «khu pho»; Hộ nghèo, xếp theo tên gọi", **OFFICE
        ),
        tmp_path,
    )
    assert book.sheetnames == [ADDRESSES]
    sheet = book[ADDRESSES]
    words = texts(sheet)
    assert words[:4] == ["HỘI CHỮ THẬP ĐỎ THÀNH PHỐ TÂY NINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                         "HỘI CHỮ THẬP ĐỎ PHƯỜNG 1", "Độc lập - Tự do - Hạnh phúc"]  # fmt: skip
    assert "Phường 1, ngày 02 tháng 12 năm 2026" in words
    assert "DANH SÁCH ĐỊA CHỈ NHÂN ĐẠO" in words
    # The filter in the subtitle, quoted as documents quote.
    assert "Lọc: tìm “khu pho”; Hộ nghèo, xếp theo tên gọi; tính đến ngày 02/12/2026" in words
    rows = table(sheet)
    assert [row[1] for row in rows[:3]] == ["Lê Thị Lan", "Trần Văn Hoà", '=HYPERLINK("x")']
    lan, hoa, formula = rows[:3]
    assert lan == [1, "Lê Thị Lan", "Cá nhân", 1, "Khu phố 1", "Phường 1", "Người cao tuổi",
                   "Đã dừng", datetime(2009, 2, 1), 1, 100_000, datetime(2015, 5, 5)]  # fmt: skip
    # Two aid counted (the excluded one is counted as given, not in the value), the deleted
    # one not at all.
    assert hoa[3:] == [1, "Khu phố 3", "Phường 1", "Hộ nghèo, Người cao tuổi", "Đang trợ giúp",
                       datetime(2009, 2, 1), 3, 1_800_000, datetime(2012, 7, 9)]  # fmt: skip
    assert formula[2:4] == ["Tập thể", 4]
    assert rows[3] == ["Tổng cộng: 3 địa chỉ", None, None, 6, None, None, None, None, None,
                       5, 2_650_000, None]  # fmt: skip
    # The cells as Excel opens them: a number format with the Vietnamese locale's dots, dates
    # as dates, the formula-like name as text that stays text when edited.
    first = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == 1)
    assert sheet.cell(first, 11).number_format == NUMBER_FORMAT
    assert sheet.cell(first, 9).number_format == "dd/mm/yyyy"
    name = sheet.cell(first + 2, 2)
    assert name.data_type == "s" and name.quotePrefix
    assert sheet.cell(first, 2).font.name == "Times New Roman"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows is not None  # the header repeats on every page
    assert "TM. BAN THƯỜNG VỤ" in words and "NGƯỜI LẬP BẢNG" in words


def test_an_empty_list_says_so_and_still_totals(tmp_path: Path) -> None:
    book = read(address_list_workbook([], [], shown="Lọc: tìm «zzz»", **OFFICE), tmp_path)
    rows = table(book[ADDRESSES])
    assert rows[0][0] == "Không có địa chỉ nào khớp với bộ lọc."
    assert rows[1][0] == "Tổng cộng: 0 địa chỉ" and rows[1][3] == 0


# ----------------------------------------------------------------------------- one address


def test_one_address_has_its_details_its_aid_in_order_with_totals_and_its_helpers(
    tmp_path: Path,
) -> None:
    data = records()
    book = read(
        address_workbook(
            data["addresses"][0], data["helpers"], data["attachments"], data["aid"], **OFFICE
        ),
        tmp_path,
    )
    assert book.sheetnames == [AID, ATTACHED]
    sheet = book[AID]
    words = texts(sheet)
    assert "QUÁ TRÌNH TRỢ GIÚP ĐỊA CHỈ NHÂN ĐẠO" in words and "Địa chỉ: Trần Văn Hoà" in words
    assert "Loại: Cá nhân, 1 người. Nơi ở: Khu phố 3, Phường 1." in words
    assert "Tình trạng: Đang trợ giúp (khảo sát 10/01/2009, lập hồ sơ 01/02/2009)." in words
    rows = table(sheet)
    assert rows[:3] == [
        [1, datetime(2010, 3, 1), "Nguyễn Thị Mai", "Hội CTĐ", "Tiền mặt", 1_500_000, None, None],
        [2, datetime(2011, 1, 2), "Nguyễn Thị Mai", "Hội CTĐ", "Tiền mặt", 300_000, None, None],
        [3, datetime(2012, 7, 9), "Công ty An Bình", "Bên ngoài", "Gạo", 2_000_000,
         "Hỗ trợ khẩn cấp một lần cho đồng bào bị thiên tai", "Lũ tháng 7"],
    ]  # fmt: skip
    assert [row[:6] for row in rows[3:6]] == [
        ["Được tính vào Cuộc vận động", None, None, None, None, 1_800_000],
        ["Không tính", None, None, None, None, 2_000_000],
        ["Tổng cộng: 3 lần trợ giúp", None, None, None, None, 3_800_000],
    ]
    links = table(book[ATTACHED])
    assert links == [
        [1, "Nguyễn Thị Mai", "Hội CTĐ", "Tình nguyện viên", datetime(2010, 1, 5), None, None,
         2, 1_800_000],
        [2, "Công ty An Bình", "Bên ngoài", "Tổ chức", datetime(2011, 2, 1),
         datetime(2015, 12, 31), "Công ty chuyển đi", 1, 0],
    ]  # fmt: skip


def test_an_address_stopped_without_helpers_or_aid_says_so(tmp_path: Path) -> None:
    data = records()
    lonely = address("a9", name="Võ Văn Út", stopped_on="2017-01-01", stop_reason="Chuyển đi")
    book = read(address_workbook(lonely, data["helpers"], [], [], **OFFICE), tmp_path)
    words = texts(book[AID])
    assert "Lý do dừng: Chuyển đi" in words
    assert (
        "Tình trạng: Đã dừng (khảo sát 10/01/2009, lập hồ sơ 01/02/2009, dừng trợ giúp "
        "01/01/2017)." in words
    )
    assert table(book[AID])[0][0] == "Chưa có lần trợ giúp nào."
    assert table(book[ATTACHED])[0][0] == "Chưa gắn người trợ giúp nào."


# ----------------------------------------------------------------------------- helpers


def test_the_helpers_list_their_addresses_and_their_aid(tmp_path: Path) -> None:
    data = records()
    shown = [data["helpers"][0], data["helpers"][1]]
    book = read(
        helpers_workbook(
            shown,
            data["addresses"],
            data["attachments"],
            data["aid"],
            shown="Tất cả người trợ giúp",
            **OFFICE,
        ),
        tmp_path,
    )
    assert book.sheetnames == [HELPERS, HELPER_ADDRESSES]
    rows = table(book[HELPERS])
    # The deleted link to Lê Thị Lan is not one of Mai's addresses.
    assert rows == [
        [1, "Nguyễn Thị Mai", "Hội CTĐ", "Tình nguyện viên", "Phường 1",
         'Trần Văn Hoà; =HYPERLINK("x")', 2, 3, 2_550_000],
        [2, "Công ty An Bình", "Bên ngoài", "Tổ chức", "Phường 1", "Trần Văn Hoà", 1, 1, 0],
        ["Tổng cộng: 2 người trợ giúp", None, None, None, None, None, 3, 4, 2_550_000],
    ]  # fmt: skip
    assert table(book[HELPER_ADDRESSES]) == [
        [1, "Nguyễn Thị Mai", "Trần Văn Hoà", "Khu phố 3", datetime(2010, 1, 5), None, None,
         2, 1_800_000],
        [2, "Nguyễn Thị Mai", '=HYPERLINK("x")', "Khu phố 1", datetime(2012, 6, 1), None, None,
         1, 750_000],
        [3, "Công ty An Bình", "Trần Văn Hoà", "Khu phố 3", datetime(2011, 2, 1),
         datetime(2015, 12, 31), "Công ty chuyển đi", 1, 0],
    ]  # fmt: skip


def test_a_helper_of_many_addresses_names_a_few_and_counts_the_rest(tmp_path: Path) -> None:
    many = [address(f"m{i:02d}", name=f"Địa chỉ {i:02d}") for i in range(LISTED + 5)]
    links = [{"id": f"t{i}", "address": a["id"], "helper": "h1", "from": "2010-01-01"}
             for i, a in enumerate(many)]  # fmt: skip
    book = read(
        helpers_workbook([helper()], many, links, [], shown="Tất cả người trợ giúp", **OFFICE),
        tmp_path,
    )
    listed = table(book[HELPERS])[0][5]
    assert listed == "; ".join(f"Địa chỉ {i:02d}" for i in range(LISTED)) + "; … và 5 địa chỉ khác"
    assert table(book[HELPERS])[0][6] == LISTED + 5
    assert len(table(book[HELPER_ADDRESSES])) == LISTED + 5  # every one on the second sheet


# ----------------------------------------------------------------------------- exchange


def test_the_quarantine_and_the_conflicts_lists(tmp_path: Path) -> None:
    held = [HeldRow("Địa chỉ “@An” (mã a1)", "Phường 3", "2026-11-30",
                    ["Thiếu tên.", "Ngày lập hồ sơ trước ngày khảo sát."])]  # fmt: skip
    book = read(quarantine_workbook(held, **OFFICE), tmp_path, "q.xlsx")
    assert book.sheetnames == [QUARANTINE]
    assert table(book[QUARANTINE]) == [
        [1, "Địa chỉ “@An” (mã a1)", "Phường 3", datetime(2026, 11, 30),
         "Thiếu tên.\nNgày lập hồ sơ trước ngày khảo sát."],
    ]  # fmt: skip
    assert "CÁC BẢN GHI BỊ CÁCH LY KHI NHẬN" in texts(book[QUARANTINE])
    conflicts = [ConflictRow("Địa chỉ “An” (mã a1)", "Phường 1", "văn phòng này",
                             "Thành phố Tây Ninh", ["Nơi ở", "Số người"])]  # fmt: skip
    book = read(conflicts_workbook(conflicts, **OFFICE), tmp_path, "c.xlsx")
    assert table(book[CONFLICTS]) == [
        [1, "Địa chỉ “An” (mã a1)", "Phường 1", "văn phòng này", "Thành phố Tây Ninh",
         "Nơi ở, Số người"],
    ]  # fmt: skip
    empty = read(conflicts_workbook([], **OFFICE), tmp_path, "e.xlsx")
    assert table(empty[CONFLICTS])[0][0] == "Không có xung đột nào."


def test_file_names_are_without_accents_and_dated() -> None:
    assert file_name("dia chi", "Phường 1", on=ON) == "dia-chi-phuong-1-2026-12-02.xlsx"
    assert file_name("ho so", "Đỗ Thị Hoà / Tổ 5", on=ON) == "ho-so-do-thi-hoa-to-5-2026-12-02.xlsx"


# ----------------------------------------------------------------------------- printed


def test_libreoffice_prints_the_address_list_on_a4_landscape_one_page_wide(
    tmp_path: Path,
) -> None:
    data = records()
    rows = [address(f"p{i:03d}", name=f"Nguyễn Văn {i:03d}", people=2) for i in range(60)]
    paid = [aid(f"y{i}", address=r["id"], value=1_500_000) for i, r in enumerate(rows)]
    path = save_workbook(
        address_list_workbook([*rows, data["addresses"][1]], paid, shown="Tất cả địa chỉ",
                              **OFFICE),
        tmp_path / "dia-chi.xlsx",
    )  # fmt: skip
    profile = tmp_path / "profile"
    subprocess.run(
        ["libreoffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True, check=True, timeout=300,
    )  # fmt: skip
    pdf = tmp_path / "dia-chi.pdf"
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True,
                          check=True, text=True).stdout  # fmt: skip
    sizes = re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info)
    assert len(sizes) >= 2  # 61 rows do not fit one page; none is cut across
    assert all(abs(float(w) - 841.89) < 1 and abs(float(h) - 595.28) < 1 for w, h in sizes)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          check=True, text=True).stdout  # fmt: skip
    pages = [unicodedata.normalize("NFC", page) for page in text.split("\f")[:-1]]
    assert "DANH SÁCH ĐỊA CHỈ NHÂN ĐẠO" in pages[0]
    assert "1.500.000" in pages[0]  # the Vietnamese locale's dots, whatever the PC's
    assert "Tên địa chỉ" in pages[1]  # the table's header repeats
    (end,) = [page for page in pages if "Tổng cộng: 61 địa chỉ" in page]
    assert "90.000.000" in end
    assert '=HYPERLINK("x")' in end  # printed as written, not run
    assert all("Trang" in page for page in pages)
