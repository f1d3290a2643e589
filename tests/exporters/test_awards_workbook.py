"""The awards workbook read back with openpyxl: the scores, their figures and the people."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from factories import address, aid, helper
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from campaign.awards import CENTRAL, PROVINCIAL, awards
from campaign.dates import Period
from exporters.awards import (
    DONORS_SHEET,
    INDIVIDUALS_SHEET,
    SCORES_SHEET,
    build_awards_workbook,
    write_awards_workbook,
)
from exporters.sheets import WorkbookWriteError
from store.store import Store

ON = date(2018, 11, 5)
PERIOD = Period(2008, 2018)


def records() -> list[tuple[str, dict]]:
    """Phường 1: 10 surveyed addresses, 7 helped (70%: 40 points), reviewed every year (10),
    a full assessment; Phường 3: one address, not helped, no assessment."""
    addresses = [address(f"a{i}", surveyed_on="2017-01-01", dossier_on="2017-02-01")
                 for i in range(10)] + [address("b1", unit="25459")]  # fmt: skip
    helpers = [
        helper("h1", kind="volunteer", name="Lê Thị Mai"),
        helper("h2", kind="member", name="Trần Văn Bốn"),
        helper("o1", side="outside", kind="organisation", name="=Công ty An Bình",
               awarded_before=True),
    ]  # fmt: skip
    attachments = [
        *[{"id": f"t1{i}", "address": f"a{i}", "helper": "h1", "from": "2017-02-01"} for i in range(5)],
        *[{"id": f"t2{i}", "address": f"a{i}", "helper": "h2", "from": "2017-02-01"} for i in range(4)],
        {"id": "t3", "address": "a9", "helper": "o1", "from": "2017-03-01"},
    ]  # fmt: skip
    aids = [aid(f"x{i}", address=f"a{i}", on="2017-05-01") for i in range(7)]
    reviews = [
        {"id": f"r{i}-{y}", "address": f"a{i}", "year": y, "on": f"{y}-12-01", "outcome": "continue"}
        for i in range(10) for y in (2017, 2018)
    ]  # fmt: skip
    assessment = {"unit": "25456", "steering_board": True, "directive": True,
                  "typical_model": True, "followed_guidance": True}  # fmt: skip
    return [
        *[("helper", h) for h in helpers],
        *[("address", a) for a in addresses],
        *[("attachment", t) for t in attachments],
        *[("aid", x) for x in aids],
        *[("review", r) for r in reviews],
        ("assessment", assessment),
    ]


@pytest.fixture
def filled(store: Store) -> Store:
    store.save_many(records())
    return store


def table(sheet: Worksheet) -> list[list[object]]:
    """The rows under the numbering row («1», «2», …) down to the last bordered row."""
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    start = next(i for i, row in enumerate(values) if row[0] == "1" and row[1] == "2") + 1
    body = []
    for row in values[start:]:
        if row[0] is None or not isinstance(row[0], int):
            break
        body.append(row)
    return body


def all_text(sheet: Worksheet) -> str:
    return "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)


def test_the_scores_sheet_has_each_criterion_the_figures_and_the_proposal(
    filled: Store, tmp_path: Path
) -> None:
    result = awards(filled.dataset(), "703", PERIOD, threshold=100)
    path = write_awards_workbook(
        tmp_path / "khen-thuong.xlsx", result, filled.units, filled.office.settings, ON
    )
    workbook = load_workbook(path)
    assert workbook.sheetnames == [SCORES_SHEET, INDIVIDUALS_SHEET, DONORS_SHEET]
    sheet = workbook[SCORES_SHEET]
    text = all_text(sheet)
    for line in ("HỘI CHỮ THẬP ĐỎ TỈNH TÂY NINH", "HỘI CHỮ THẬP ĐỎ THÀNH PHỐ TÂY NINH",
                 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Tây Ninh, ngày 05 tháng 11 năm 2018",
                 "BẢNG CHẤM ĐIỂM THI ĐUA VÀ ĐỀ NGHỊ KHEN THƯỞNG TẬP THỂ"):  # fmt: skip
        assert line in text
    assert "từ 100 điểm trở lên. Đây là cài đặt của chương trình" in text
    rows = table(sheet)
    first = rows[0]
    assert first[:15] == [1, "Phường 1", 20, 20, 40, 10, 10, 100, 10, 7, "70,0%", 20, 20,
                          "100,0%", CENTRAL]  # fmt: skip
    assert "Chỉ đạo: Ban Chỉ đạo: có; văn bản chỉ đạo của UBND: có" in first[15]
    phuong3 = next(row for row in rows if row[1] == "Phường 3")
    # Its address has a dossier since 2009: ten years to review, none reviewed.
    assert phuong3[2:15] == [0, 0, 10, 0, 0, 10, 1, 0, "0,0%", 10, 0, "0,0%", PROVINCIAL]
    empty = next(row for row in rows if row[1] == "Phường 4")
    assert empty[8:14] == [0, 0, "-", 0, 0, "-"]
    assert "Chưa có bản đánh giá của đơn vị" in phuong3[15]
    # Every child of the district is scored, in rank order.
    assert len(rows) == 10
    assert [row[0] for row in rows] == [s.rank for s in result.units]


def test_people_and_donors_sheets(filled: Store) -> None:
    result = awards(filled.dataset(), "703", PERIOD)
    workbook = build_awards_workbook(result, filled.units, filled.office.settings, ON)
    # Lê Thị Mai has 5 addresses; Trần Văn Bốn only 4.
    assert table(workbook[INDIVIDUALS_SHEET]) == [
        [1, "Lê Thị Mai", "Tình nguyện viên", "Phường 1", 5, CENTRAL]
    ]
    donors = workbook[DONORS_SHEET]
    assert table(donors) == [[1, "=Công ty An Bình", "Tổ chức", "Phường 1", 1, "có", CENTRAL]]
    # A name that looks like a formula stays text.
    cell = next(c for row in donors.iter_rows() for c in row if c.value == "=Công ty An Bình")
    assert cell.data_type == "s"


def test_empty_lists_say_so(store: Store) -> None:
    result = awards(store.dataset(), "703", PERIOD)
    workbook = build_awards_workbook(result, store.units, store.office.settings, ON)
    assert "Không có cá nhân nào trực tiếp gắn từ 5 địa chỉ trở lên." in all_text(
        workbook[INDIVIDUALS_SHEET]
    )
    assert "Không có tổ chức, cá nhân ngoài Hội nào gắn địa chỉ trong giai đoạn." in all_text(
        workbook[DONORS_SHEET]
    )


def test_a_missing_folder_is_refused_in_vietnamese(store: Store, tmp_path: Path) -> None:
    result = awards(store.dataset(), "703", PERIOD)
    with pytest.raises(WorkbookWriteError, match="Không có thư mục"):
        write_awards_workbook(
            tmp_path / "no" / "x.xlsx", result, store.units, store.office.settings, ON
        )
