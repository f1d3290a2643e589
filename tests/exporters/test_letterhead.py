"""The letterhead every document of a unit shares: who it is from, where it is dated, who signs
it and who receives it, from the office's settings where they apply to the unit."""

from __future__ import annotations

from datetime import date

import pytest

from campaign.dates import Period
from campaign.units import UnitTree
from exporters.letterhead import (
    DOTS,
    GUIDANCE_250,
    PROVINCE_RECIPIENTS,
    letterhead,
)
from store.gazetteer import all_units

UNITS = UnitTree(all_units())
ON = date(2018, 11, 5)
PLAN = "Kèm theo Kế hoạch số 61/KH-CTĐ ngày 16/10/2018 của Hội Chữ thập đỏ tỉnh Tây Ninh"


@pytest.mark.parametrize(
    ("code", "superior", "chapter", "line"),
    [
        ("72", "TRUNG ƯƠNG HỘI CHỮ THẬP ĐỎ VIỆT NAM", "HỘI CHỮ THẬP ĐỎ TỈNH TÂY NINH",
         "Tây Ninh, ngày 05 tháng 11 năm 2018"),
        ("705", "HỘI CHỮ THẬP ĐỎ TỈNH TÂY NINH", "HỘI CHỮ THẬP ĐỎ HUYỆN TÂN BIÊN",
         "Tân Biên, ngày 05 tháng 11 năm 2018"),
        ("25456", "HỘI CHỮ THẬP ĐỎ THÀNH PHỐ TÂY NINH", "HỘI CHỮ THẬP ĐỎ PHƯỜNG 1",
         "Phường 1, ngày 05 tháng 11 năm 2018"),
        ("79", "TRUNG ƯƠNG HỘI CHỮ THẬP ĐỎ VIỆT NAM", "HỘI CHỮ THẬP ĐỎ THÀNH PHỐ HỒ CHÍ MINH",
         "Thành phố Hồ Chí Minh, ngày 05 tháng 11 năm 2018"),
    ],
)  # fmt: skip
def test_the_header_and_the_date_line_of_each_level(
    code: str, superior: str, chapter: str, line: str
) -> None:
    head = letterhead(UNITS, code, {})
    assert (head.superior, head.chapter, head.date_line(ON)) == (superior, chapter, line)


def test_the_settings_apply_to_the_office_s_own_unit_only() -> None:
    settings = {
        "office_unit": "705",
        "place": "Thị trấn Tân Biên",
        "signer_name": "Nguyễn Văn An",
        "signing_for": "KT. CHỦ TỊCH",
        "signer_title": "PHÓ CHỦ TỊCH",
        "recipients": ["Tỉnh Hội;", "- Huyện ủy", "Lưu: VT, CTXH."],
    }
    own = letterhead(UNITS, "705", settings)
    assert own.date_line(ON) == "Thị trấn Tân Biên, ngày 05 tháng 11 năm 2018"
    assert own.signature() == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"]
    # Dashes and stops typed are the document's own; the office's «Lưu» line is not doubled.
    assert own.recipient_lines == ["- Tỉnh Hội;", "- Huyện ủy;", "- Lưu: VT, CTXH."]
    other = letterhead(UNITS, "25489", settings)  # a commune of the district, printed there
    assert other.date_line(ON) == "Tân Lập, ngày 05 tháng 11 năm 2018"
    assert other.signature() == ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", DOTS]


def test_default_recipients_follow_the_level_and_end_with_the_file_copy() -> None:
    province = letterhead(UNITS, "72", {}).recipient_lines
    assert province[: len(PROVINCE_RECIPIENTS)] == [f"- {r};" for r in PROVINCE_RECIPIENTS]
    assert province[-1] == "- Lưu: VT."
    assert letterhead(UNITS, "703", {}).recipient_lines == [
        "- Hội Chữ thập đỏ tỉnh Tây Ninh (để báo cáo);",
        "- Thành ủy thành phố Tây Ninh;",
        "- UBND thành phố Tây Ninh;",
        "- Hội Chữ thập đỏ các xã, phường, thị trấn;",
        "- Lưu: VT.",
    ]
    assert letterhead(UNITS, "25489", {}).recipient_lines == [
        "- Hội Chữ thập đỏ huyện Tân Biên (để báo cáo);",
        "- Đảng ủy xã Tân Lập;",
        "- UBND xã Tân Lập;",
        "- Lưu: VT.",
    ]


def test_the_basis_is_the_guidance_and_the_plan_for_the_ten_year_review_only() -> None:
    settings = {"plan_reference": PLAN}
    assert letterhead(UNITS, "705", settings, Period(2008, 2018)).basis == (
        GUIDANCE_250,
        PLAN.removeprefix("Kèm theo "),
    )
    assert letterhead(UNITS, "705", settings, Period(2016, 2018)).basis == ()
    own = {**settings, "office_unit": "705", "basis": "Công văn số 12/CV-CTĐ\n\n"}
    assert letterhead(UNITS, "705", own, Period(2016, 2018)).basis == ("Công văn số 12/CV-CTĐ",)
