"""The awards workbook read back with openpyxl: the scores, their figures and the people."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from factories import address, aid, helper
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from campaign.awards import CENTRAL, PROVINCIAL, awards, proposal_record
from campaign.dates import Period
from exporters.awards import (
    DONORS_SHEET,
    INDIVIDUALS_SHEET,
    PROPOSALS_SHEET,
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


def test_the_scores_sheet_has_each_criterion_the_figures_and_what_they_reach(
    filled: Store, tmp_path: Path
) -> None:
    result = awards(filled.dataset(), "703", PERIOD, threshold=100)
    path = write_awards_workbook(
        tmp_path / "khen-thuong.xlsx", result, filled.units, filled.office.settings, ON
    )
    workbook = load_workbook(path)
    assert workbook.sheetnames == [PROPOSALS_SHEET, SCORES_SHEET, INDIVIDUALS_SHEET, DONORS_SHEET]
    sheet = workbook[SCORES_SHEET]
    text = all_text(sheet)
    for line in ("HỘI CHỮ THẬP ĐỎ TỈNH TÂY NINH", "HỘI CHỮ THẬP ĐỎ THÀNH PHỐ TÂY NINH",
                 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Tây Ninh, ngày 05 tháng 11 năm 2018",
                 "BẢNG CHẤM ĐIỂM THI ĐUA TẬP THỂ"):  # fmt: skip
        assert line in text
    assert "từ 100 điểm trở lên. Đây là cài đặt của chương trình" in text
    assert "Đề nghị" not in text.replace("Đề nghị khen thưởng", "")  # nothing chosen yet
    rows = table(sheet)
    first = rows[0]
    # Shares are numbers (printed «70,0%» by the cell's format), not text.
    assert first[:16] == [1, "Phường 1", 20, 20, 40, 10, 10, 100, 10, 7, 0.7, 20, 20, 1.0,
                          "Bằng khen TW", None]  # fmt: skip
    share = next(c for row in sheet.iter_rows() for c in row if c.value == 0.7)
    assert share.number_format == "[$-42A]0.0%"
    assert "Chỉ đạo: Ban Chỉ đạo: có; văn bản chỉ đạo của UBND: có" in first[16]
    phuong3 = next(row for row in rows if row[1] == "Phường 3")
    # Its address has a dossier since 2009: ten years to review, none reviewed.
    assert phuong3[2:16] == [0, 0, 10, 0, 0, 10, 1, 0, 0.0, 10, 0, 0.0, "Giấy khen tỉnh", None]
    empty = next(row for row in rows if row[1] == "Phường 4")
    assert empty[8:14] == [0, 0, "-", 0, 0, "-"]
    assert "Chưa có bản đánh giá của đơn vị" in phuong3[16]
    # Every child of the district is scored, in rank order.
    assert len(rows) == 10
    assert [row[0] for row in rows] == [s.rank for s in result.units]


def test_a_share_is_cut_to_the_side_of_the_bar_it_is_on() -> None:
    from campaign.awards import Share
    from exporters.awards import _share

    assert _share(Share(6996, 10000), "down") == 0.699  # 69,96% shows 69,9%: below 70
    assert _share(Share(9504, 10000), "up") == 0.951  # 95,04% shows 95,1%: above 95
    assert _share(Share(0, 0), "down") == "-"


def test_people_and_donors_are_eligible_not_proposed(filled: Store) -> None:
    result = awards(filled.dataset(), "703", PERIOD)
    workbook = build_awards_workbook(result, filled.units, filled.office.settings, ON)
    # Lê Thị Mai has 5 addresses; Trần Văn Bốn only 4.
    assert table(workbook[INDIVIDUALS_SHEET]) == [
        [1, "Lê Thị Mai", "Tình nguyện viên", "Phường 1", 5, None]
    ]
    donors = workbook[DONORS_SHEET]
    assert table(donors) == [
        [1, "=Công ty An Bình", "Tổ chức", "Phường 1", 1, 1, "có", "Bằng khen TW", None]
    ]
    # A name that looks like a formula stays text.
    cell = next(c for row in donors.iter_rows() for c in row if c.value == "=Công ty An Bình")
    assert cell.data_type == "s"
    proposals = all_text(workbook[PROPOSALS_SHEET])
    assert "Đơn vị chưa chọn tập thể, cá nhân nào để đề nghị khen thưởng" in proposals
    assert CENTRAL.upper() not in proposals


def test_the_proposals_sheet_lists_what_the_office_chose_by_award_and_is_signed(
    filled: Store,
) -> None:
    filled.save("proposal", proposal_record("703", PERIOD, "25456", "central", chapter=True))
    filled.save("proposal", proposal_record("703", PERIOD, "h1", "central", chapter=False))
    filled.save("proposal", proposal_record("703", PERIOD, "o1", "provincial", chapter=False))
    filled.save("proposal", proposal_record("703", PERIOD, "h2", "central", chapter=False))
    result = awards(filled.dataset(), "703", PERIOD)
    # The settings of the office of Thành phố Tây Ninh, whose workbook this is.
    settings = {**filled.office.settings, "office_unit": "703", "signer_name": "Nguyễn Văn Chủ",
                "preparer_name": "Trần Thị Lập"}  # fmt: skip
    workbook = build_awards_workbook(result, filled.units, settings, date(2018, 11, 20))
    sheet = workbook[PROPOSALS_SHEET]
    lines = [[v for v in row if v is not None] for row in sheet.iter_rows(values_only=True)]
    lines = [line for line in lines if line]
    flat = [" | ".join(map(str, line)) for line in lines]
    start = flat.index(f"I. {CENTRAL.upper()}")
    assert flat[start : start + 9] == [
        f"I. {CENTRAL.upper()}",
        "1. Tập thể (1)",
        "1 | Hội Chữ thập đỏ Phường 1 | Tập thể | Phường 1 | 100/100 điểm, xếp hạng 1",
        "2. Cá nhân (2)",
        # By given name, as offices list people: Bốn before Mai.
        "2 | Trần Văn Bốn | Hội viên | Phường 1 | Trực tiếp gắn 4 địa chỉ trong giai đoạn | "
        "Gắn dưới 05 địa chỉ",
        "3 | Lê Thị Mai | Tình nguyện viên | Phường 1 | Trực tiếp gắn 5 địa chỉ trong giai đoạn",
        f"II. {PROVINCIAL.upper()}",
        "1. Nhà tài trợ (1)",
        "1 | =Công ty An Bình | Tổ chức | Phường 1 | Trực tiếp gắn 1 địa chỉ trong giai đoạn; "
        "đã được khen thưởng về Cuộc vận động",
    ]
    text = "\n".join(flat)
    assert "Tây Ninh, ngày 20 tháng 11 năm 2018" in text
    # Every sheet is signed as the unit signs, with the names from the settings.
    for name in workbook.sheetnames:
        signed = all_text(workbook[name])
        for line in ("NGƯỜI LẬP BẢNG", "TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Nguyễn Văn Chủ",
                     "Trần Thị Lập"):  # fmt: skip
            assert line in signed, (name, line)
    # The province's office printing the district's workbook does not sign with its names.
    other = build_awards_workbook(result, filled.units, {**settings, "office_unit": "72"}, ON)
    assert "Nguyễn Văn Chủ" not in all_text(other[PROPOSALS_SHEET])
    assert "……………………………" in all_text(other[PROPOSALS_SHEET])
    # The other sheets show the choice beside what the figures reach.
    assert table(workbook[INDIVIDUALS_SHEET])[0][-1] == "Bằng khen TW"
    assert table(workbook[DONORS_SHEET])[0][-2:] == ["Bằng khen TW", "Giấy khen tỉnh"]


def test_empty_lists_say_so(store: Store) -> None:
    result = awards(store.dataset(), "703", PERIOD)
    workbook = build_awards_workbook(result, store.units, store.office.settings, ON)
    assert "Không có cá nhân nào trực tiếp gắn từ 05 địa chỉ trở lên." in all_text(
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
