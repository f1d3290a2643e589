"""The summary workbook as LibreOffice prints it: converted to PDF (headless, in a Vietnamese
locale), every page A4 landscape, every sheet one page wide, figures with dots, text as written.

Needs `libreoffice` and poppler's `pdfinfo` and `pdftotext` (CI installs libreoffice-calc and
poppler-utils); skipped only when LibreOffice is absent.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from summary_books import (
    FORMULA_LIKE,
    TODAY,
    demo_store,
    load_hard_cases,
    province_demo_store,
    workbook_of,
)

from campaign.money import format_number
from campaign.tally import Tally
from exporters.workbook import ANNEX_TITLES, BY_GROUP, BY_HELPER, MODELS, SHEETS
from store.store import Store

pytestmark = pytest.mark.skipif(
    shutil.which("libreoffice") is None, reason="LibreOffice is not installed"
)

# LibreOffice's own settings, in a profile of this test run only: the locale is Vietnamese, so
# that «#,##0» shows dots as a Vietnamese office sees it.
PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>{locale}</value></prop></item>
</oor:items>
"""
A4_LANDSCAPE = (841.89, 595.28)  # points
# The first words of each sheet's title, in the order of SHEETS.
TITLES = ["BẢNG TỔNG HỢP KẾT QUẢ", *(ANNEX_TITLES[name] for name in SHEETS[1:])]


class Rendered:
    """A workbook, the tally it shows, and its PDF's pages as text."""

    def __init__(self, counted: Tally, workbook: Workbook, pdf: Path) -> None:
        self.counted, self.workbook, self.pdf = counted, workbook, pdf
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
        ).stdout
        self.pages = [unicodedata.normalize("NFC", page) for page in text.split("\f")[:-1]]

    def first_page_of(self, sheet: int) -> str:
        (page,) = [p for p in self.pages if TITLES[sheet] in p][:1]
        return page


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    """Five workbooks converted in one LibreOffice run: the district-scale demo's commune,
    district and province tables, the province table of the province-scale demo (a real
    province's size), and the hard cases' province table."""
    folder = tmp_path_factory.mktemp("libreoffice")
    with Store.create(folder / "hard", "72", today=lambda: TODAY) as hard:
        load_hard_cases(hard, folder)
        made = {
            "commune": workbook_of(demo_store(), "25456"),
            "district": workbook_of(demo_store(), "703"),
            "province": workbook_of(demo_store(), "72"),
            "province-demo": workbook_of(province_demo_store(), "72"),
            "hard": workbook_of(hard, "72"),
        }
    for name, (_counted, workbook) in made.items():
        workbook.save(folder / f"{name}.xlsx")
    convert(folder, "vi-VN", [folder / f"{name}.xlsx" for name in made])
    return {
        name: Rendered(counted, workbook, folder / "vi-VN" / f"{name}.pdf")
        for name, (counted, workbook) in made.items()
    }


def convert(folder: Path, locale: str, workbooks: list[Path]) -> None:
    """PDFs of `workbooks` in folder/locale, by LibreOffice set to `locale` (its own profile)."""
    profile = folder / f"profile-{locale}"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(
        PROFILE.format(locale=locale), "utf-8"
    )
    result = subprocess.run(
        ["libreoffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder / locale), *map(str, workbooks)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def page_sizes(pdf: Path) -> Iterator[tuple[float, float]]:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, check=True, text=True
    ).stdout
    for width, height in re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info):
        yield float(width), float(height)


BOOKS = ["commune", "district", "province", "province-demo", "hard"]


@pytest.mark.parametrize("name", BOOKS)
def test_every_page_is_a4_landscape(rendered: dict[str, Rendered], name: str) -> None:
    sizes = list(page_sizes(rendered[name].pdf))
    assert len(sizes) == len(rendered[name].pages) >= len(SHEETS)
    for width, height in sizes:
        assert width == pytest.approx(A4_LANDSCAPE[0], abs=1)
        assert height == pytest.approx(A4_LANDSCAPE[1], abs=1)


def last_figures(counted: Tally) -> list[list[int]]:
    """The last column of each table of units, first row and totals row, in sheet order."""
    first, total = counted.rows[0], counted.total
    return [
        [first.value, total.value],
        [total.helped],
        [first.ungrouped, total.ungrouped],
        [first.active_helpers["outside"], total.active_helpers["outside"]],
        [first.excluded_total.value, total.excluded_total.value],
        [first.dossier_people, total.dossier_people],
    ]


@pytest.mark.parametrize("name", BOOKS)
def test_every_sheet_is_one_page_wide(rendered: dict[str, Rendered], name: str) -> None:
    book = rendered[name]
    for sheet, figures in enumerate(last_figures(book.counted)):
        page = book.first_page_of(sheet)
        # The first column and the figures of the last one are on the same page.
        assert ("STT" if sheet != 1 else "Chỉ tiêu") in page, SHEETS[sheet]
        for figure in figures:
            assert re.search(rf"(?<![\d.]){re.escape(format_number(figure))}(?![\d.])", page), (
                SHEETS[sheet],
                figure,
            )
    assert "(đồng)" in book.first_page_of(0)
    models = book.first_page_of(len(SHEETS) - 1)
    assert "STT" in models and ("Ngày bắt" in models or "Chưa có mô hình" in models)


def test_small_workbooks_print_one_page_per_sheet(rendered: dict[str, Rendered]) -> None:
    # A commune's sheets and the hard cases' each fit on one page: nothing runs off to the side.
    assert len(rendered["commune"].pages) == len(SHEETS)
    assert len(rendered["hard"].pages) == len(SHEETS)


# The most pages each workbook may print: measured (commune 7, district 8, the province table
# of the district-scale demo 8, of the province-scale demo 21: 15 of them its models), with a
# little room. Every sheet but the models' prints on one page.
MOST_PAGES = {"commune": 7, "district": 9, "province": 9, "province-demo": 24, "hard": 7}


@pytest.mark.parametrize("name", BOOKS)
def test_each_level_prints_a_sensible_number_of_pages(
    rendered: dict[str, Rendered], name: str
) -> None:
    pages = rendered[name].pages
    assert len(SHEETS) <= len(pages) <= MOST_PAGES[name]
    firsts = [pages.index(rendered[name].first_page_of(sheet)) for sheet in range(len(SHEETS))]
    assert firsts == list(range(len(SHEETS)))  # one page for each sheet before the models
    models = pages[SHEETS.index(MODELS) :]
    # The models' pages are numbered on their own, from 1.
    assert [re.findall(r"Trang (\d+)", page)[-1] for page in models] == [
        str(n) for n in range(1, len(models) + 1)
    ]


@pytest.mark.parametrize("name", BOOKS)
@pytest.mark.parametrize("sheet", [BY_GROUP, BY_HELPER])
def test_the_note_on_columns_adding_up_to_more_is_on_the_table_s_page(
    rendered: dict[str, Rendered], name: str, sheet: str
) -> None:
    page = " ".join(rendered[name].first_page_of(SHEETS.index(sheet)).split())
    assert "Tổng cộng" in page
    assert "Ở dòng Tổng cộng, cộng các cột" in page or "có thể lớn hơn cột 3, vì" in page


def test_figures_print_with_dots_on_a_pc_set_to_english_too(
    rendered: dict[str, Rendered], tmp_path: Path
) -> None:
    """A PC with English regional settings: «#,##0» alone would print 10,011,523,456 there,
    while the notes write 10.011.523.456; the formats name the Vietnamese locale."""
    book = rendered["hard"]
    workbook = tmp_path / "hard.xlsx"
    book.workbook.save(workbook)
    convert(tmp_path, "en-US", [workbook])
    english = Rendered(book.counted, book.workbook, tmp_path / "en-US" / "hard.pdf")
    summary = english.first_page_of(0)
    assert "10.011.523.456" in summary and "10,011,523,456" not in summary
    assert english.pages == book.pages  # the same pages, whatever the regional settings


def test_figures_are_printed_with_dots_and_text_exactly_as_written(
    rendered: dict[str, Rendered],
) -> None:
    book = rendered["hard"]
    summary = book.first_page_of(0)
    assert "10.011.523.456" in summary and "10,011,523,456" not in summary
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in summary
    assert "Tây Ninh, ngày 05 tháng 11 năm 2018" in summary
    everything = "\n".join(book.pages)
    for text in FORMULA_LIKE:
        assert text in everything, text
    assert "- =cmd|' /C calc'!A0" in everything
