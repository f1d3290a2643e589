"""The report draft as LibreOffice prints it, at the three levels: the demo province's report, a
district's and a commune's, and the reports of the units with the longest names of the country,
converted to PDF in one LibreOffice run (in a Vietnamese locale, as the summary workbook's)."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from docx import Document
from summary_books import province_demo_store
from test_report import ON, PERIOD, empty_report, widest
from test_summary_workbook_libreoffice import convert

from exporters.report import write_report

pytestmark = pytest.mark.skipif(
    shutil.which("libreoffice") is None, reason="LibreOffice is not installed"
)

LEVELS = {"province": "72", "district": "705", "commune": "25489"}
LONGEST = ("province", "district", "commune")
# Measured with the demo (seed 1) on 2 December 2026: 25, 10 and 7 pages; the bounds leave room
# for a few more lines of staff text, not for section II listing the models one by one again.
MOST_PAGES = {"province": 30, "district": 14, "commune": 10}


class Printed:
    """A report's docx and its PDF's pages as text."""

    def __init__(self, docx: Path, pdf: Path) -> None:
        self.docx = Document(str(docx))
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
        ).stdout
        pages = [unicodedata.normalize("NFC", page) for page in text.split("\f")]
        self.pages = [page for page in pages if page.strip()]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Printed]:
    folder = tmp_path_factory.mktemp("report-pages")
    demo = province_demo_store()
    data, settings = demo.dataset(), demo.office.document_settings
    files = {}
    for level, code in LEVELS.items():
        files[level] = folder / f"{level}.docx"
        write_report(files[level], data, code, PERIOD, settings, ON)
    for kind in LONGEST:
        files[f"longest-{kind}"] = folder / f"longest-{kind}.docx"
        empty_report(widest(kind)).save(str(files[f"longest-{kind}"]))
    convert(folder, "vi-VN", list(files.values()))
    return {
        name: Printed(path, folder / "vi-VN" / f"{path.stem}.pdf") for name, path in files.items()
    }


def test_each_level_prints_in_a_sensible_number_of_pages_with_its_annexes(
    printed: dict[str, Printed],
) -> None:
    counts = {level: len(printed[level].pages) for level in LEVELS}
    for level, most in MOST_PAGES.items():
        assert 5 <= counts[level] <= most, counts
    assert counts["province"] > counts["district"] > counts["commune"]
    for level in ("province", "district"):
        pages = printed[level].pages
        (summary,) = [n for n, page in enumerate(pages) if "PHỤ LỤC 1" in page]
        (models,) = [n for n, page in enumerate(pages) if "PHỤ LỤC 2" in page]
        assert "Tổng cộng" in pages[summary] and "BẢNG TỔNG HỢP KẾT QUẢ" in pages[summary]
        assert summary < models
        assert "DANH SÁCH MÔ HÌNH" in pages[models] and "Tên mô hình" in pages[models]
        # Section II is a few pages: the models one by one are in the annex.
        (start,) = [n for n, page in enumerate(pages) if "II. CÁC MÔ HÌNH" in page]
        (end,) = [n for n, page in enumerate(pages) if "III. ĐÁNH GIÁ" in page]
        assert end - start <= 3, (level, start, end)
    commune = printed["commune"].pages
    assert [n for n, page in enumerate(commune) if "PHỤ LỤC" in page] == [len(commune) - 1]
    assert "Tổng cộng" in commune[-1] and "PHỤ LỤC 2" not in commune[-1]


def test_page_numbers_from_page_two(printed: dict[str, Printed]) -> None:
    for level in LEVELS:
        first, *others = printed[level].pages
        assert first.lstrip().split()[0] != "1", level
        for number, page in enumerate(others, start=2):
            assert page.strip().split()[0] == str(number), (level, number)


@pytest.mark.parametrize("name", [*LEVELS, *(f"longest-{kind}" for kind in LONGEST)])
def test_every_line_of_the_header_block_prints_on_one_line(
    printed: dict[str, Printed], name: str
) -> None:
    report = printed[name]
    lines = report.pages[0].splitlines()
    header = [
        p.text for cell in report.docx.tables[0].rows[0].cells for p in cell.paragraphs if p.text
    ]
    assert len(header) >= 6
    for text in header:
        # pdftotext prints the two columns side by side: a line that wrapped would be in none.
        wanted = " ".join(text.split())
        assert any(wanted in " ".join(line.split()) for line in lines), (name, text)
