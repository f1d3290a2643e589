"""The awards workbook as LibreOffice prints it, at the three levels of the province-scale demo
(the province, a district, a commune), in one conversion: A4, one page wide, a sensible number
of pages, the chosen proposals first and every sheet signed."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import unicodedata

import pytest
from summary_books import TODAY, province_demo_store
from test_summary_workbook_libreoffice import convert

from campaign.awards import CENTRAL, PROVINCIAL, awards, proposal_record
from exporters.awards import build_awards_workbook

pytestmark = pytest.mark.skipif(
    shutil.which("libreoffice") is None, reason="LibreOffice is not installed"
)

LEVELS = {"province": "72", "district": "705", "commune": "25489"}
# Measured on 2 December 2026 (demo seed 1): 53, 11 and 5 pages. The province lists 1,553
# Red Cross people with five addresses or more (28 portrait pages) and 524 donors (22 pages);
# the bounds leave room for a few more rows, not for a list printed twice or a row a page.
MOST_PAGES = {"province": 60, "district": 14, "commune": 7}
TITLES = ("DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", "BẢNG CHẤM ĐIỂM THI ĐUA TẬP THỂ",
          "DANH SÁCH CÁ NHÂN ĐỦ ĐIỀU KIỆN XÉT", "DANH SÁCH NHÀ TÀI TRỢ TRỰC TIẾP")  # fmt: skip


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Each level's workbook, with two proposals chosen, as its PDF's pages of text."""
    folder = tmp_path_factory.mktemp("awards-pages")
    store = province_demo_store()  # shared by the session: read, never written
    data = store.dataset()
    period = store.office.period
    for level, unit in LEVELS.items():
        first = awards(data, unit, period)
        chosen = [
            proposal_record(unit, period, first.units[0].unit, "central", chapter=True),
            proposal_record(unit, period, first.donors[0].id, "provincial", chapter=False),
        ]
        result = awards(dataclasses.replace(data, proposals=chosen), unit, period)
        workbook = build_awards_workbook(result, data.units, store.office.document_settings, TODAY)
        workbook.save(folder / f"{level}.xlsx")
    convert(folder, "vi-VN", [folder / f"{level}.xlsx" for level in LEVELS])
    pages = {}
    for level in LEVELS:
        text = subprocess.run(
            ["pdftotext", "-layout", str(folder / "vi-VN" / f"{level}.pdf"), "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
        pages[level] = [unicodedata.normalize("NFC", p) for p in text.split("\f") if p.strip()]
    return pages


@pytest.mark.parametrize("level", LEVELS)
def test_the_pages_stay_few_and_each_sheet_starts_with_its_title(
    printed: dict[str, list[str]], level: str
) -> None:
    pages = printed[level]
    assert len(pages) <= MOST_PAGES[level]
    starts = [i for title in TITLES for i, page in enumerate(pages) if title in page]
    assert starts == sorted(starts) and len(starts) == len(TITLES)
    assert starts[0] == 0  # the proposals come first: the page the chairman signs


@pytest.mark.parametrize("level", LEVELS)
def test_only_the_chosen_are_proposed_and_every_sheet_is_signed(
    printed: dict[str, list[str]], level: str
) -> None:
    text = "\n".join(printed[level])
    words = re.sub(r"\s+", " ", text)
    # Both chosen proposals, each under its heading, and no other «Đề nghị …» line.
    assert f"I. {CENTRAL.upper()}" in words and f"II. {PROVINCIAL.upper()}" in words
    assert words.count(CENTRAL) == 0  # in capitals only, as the heading of its part
    # Each of the four sheets ends with the unit's signature block.
    assert words.count("NGƯỜI LẬP BẢNG") == 4
    assert words.count("TM. BAN THƯỜNG VỤ") == 4
    # Figures and shares print the Vietnamese way.
    assert re.search(r"\d+,\d%", words)
