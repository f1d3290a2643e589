"""The summary workbook read back against the rules of a printed Vietnamese document: quotation
marks, annexes numbered and named by number, the report it goes with, totals, numbers inside
text, notes where columns add up to more than their parent, the signers, the file's
properties; at commune, district and province level, on demo data and on hand-made cases."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timezone
from functools import cache

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from summary_books import (
    TODAY,
    TOTAL,
    demo_store,
    first_row,
    load_hard_cases,
    unit_table,
    workbook_of,
)

from campaign.money import format_number
from campaign.tally import Tally
from exporters.letterhead import DOTS
from exporters.sheets import PERCENT_FORMAT
from exporters.terminal import summary_title
from exporters.workbook import (
    ANNEX,
    ANNEX_TITLES,
    BY_GROUP,
    BY_HELPER,
    BY_YEAR,
    EXCLUDED,
    MODELS,
    SHEETS,
    SUMMARY,
    SURVEY,
)
from store.store import Store

CASES = [("demo", "25456"), ("demo", "703"), ("demo", "72"), ("hard", "72"), ("hard", "25495")]
UNIT_TABLES = [SUMMARY, BY_GROUP, BY_HELPER, EXCLUDED, SURVEY]
WITH_REPORT = "Kèm theo Báo cáo số        /BC-CTĐ ngày 05/11/2018 của "


@pytest.fixture(scope="module")
def hard_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("hard-rules")
    with Store.create(folder / "store", "72", today=lambda: TODAY) as store:
        yield load_hard_cases(store, folder)


@pytest.fixture(scope="module")
def book(hard_store: Store):
    @cache
    def made(source: str, unit: str) -> tuple[Tally, Workbook]:
        return workbook_of(demo_store() if source == "demo" else hard_store, unit)

    return made


def texts(ws: Worksheet) -> Iterator[str]:
    for row in ws.iter_rows():
        yield from (cell.value for cell in row if isinstance(cell.value, str))


def row_texts(ws: Worksheet, row: int) -> list[str]:
    return [c.value for c in ws[row] if isinstance(c.value, str)]


def notes_under_table(ws: Worksheet) -> str:
    total = first_row(ws, TOTAL)
    return "\n".join(str(ws.cell(r, 1).value) for r in range(total + 1, ws.max_row + 1))


# ----------------------------------------------------------------------------- quotation marks


@pytest.mark.parametrize(("source", "unit"), CASES)
def test_quotations_use_vietnamese_marks_everywhere(book, source: str, unit: str) -> None:
    counted, workbook = book(source, unit)
    for ws in workbook.worksheets:
        for text in texts(ws):
            assert "«" not in text and "»" not in text, (ws.title, text)
    title = str(workbook[SUMMARY]["A6"].value)
    assert "“MỖI TỔ CHỨC, MỖI CÁ NHÂN GẮN VỚI MỘT ĐỊA CHỈ NHÂN ĐẠO”" in title
    assert any("“Cả giai đoạn”" in text for text in texts(workbook[BY_YEAR]))
    assert workbook.properties.title == summary_title(counted).replace("«", "“").replace("»", "”")


# ----------------------------------------------------------------------------- annexes


@pytest.mark.parametrize(("source", "unit"), CASES)
def test_every_annex_carries_its_number_above_its_title(book, source: str, unit: str) -> None:
    _counted, workbook = book(source, unit)
    assert list(ANNEX) == list(SHEETS[1:]) and list(ANNEX.values()) == [1, 2, 3, 4, 5, 6]
    for name, number in ANNEX.items():
        ws = workbook[name]
        (title,) = [
            r for r in range(1, 12) if str(ws.cell(r, 1).value).startswith(ANNEX_TITLES[name])
        ]
        above = ws.cell(title - 1, 1)
        assert above.value == f"Phụ lục {number}", name
        assert above.font.b and above.alignment.horizontal == "center"
        assert ws.cell(title, 1).font.b
    assert (
        workbook[BY_YEAR]["A7"].value
        == "SỐ ĐỊA CHỈ ĐƯỢC TRỢ GIÚP THEO TỪNG NĂM, GIAI ĐOẠN 2008-2018"
    )


@pytest.mark.parametrize(("source", "unit"), CASES)
def test_texts_name_annexes_by_number_never_by_tab(book, source: str, unit: str) -> None:
    counted, workbook = book(source, unit)
    everything = [text for ws in workbook.worksheets for text in texts(ws)]
    for tab in SHEETS[1:]:
        for quoted in (f"“{tab}”", f"«{tab}»", f"trang {tab}", f"trang “{tab}”"):
            assert not any(quoted in text for text in everything), quoted
    note = notes_under_table(workbook[SUMMARY])
    if counted.total.excluded_total.count:
        assert "(chi tiết ở Phụ lục 4)" in note
    else:
        assert "Phụ lục" not in note


# ----------------------------------------------------------------------------- the report


@pytest.mark.parametrize(("source", "unit"), CASES)
def test_the_table_goes_with_the_report_and_the_annexes_with_the_table(
    book, source: str, unit: str
) -> None:
    _counted, workbook = book(source, unit)
    chapter = {
        "25456": "Hội Chữ thập đỏ Phường 1",
        "703": "Hội Chữ thập đỏ thành phố Tây Ninh",
        "72": "Hội Chữ thập đỏ tỉnh Tây Ninh",
        "25495": "Hội Chữ thập đỏ xã Tân Bình",
    }[unit]
    summary = workbook[SUMMARY]
    (line,) = [t for t in texts(summary) if t.startswith("Kèm theo")]
    assert line == WITH_REPORT + chapter
    assert summary.cell(first_row(summary, line), 1).font.i
    # The annexes are the table's, numbered apart from the report's own annexes (whose first is
    # the table itself): each says, in brackets as annexes do, which table it goes with.
    with_table = (
        "(Kèm theo Bảng tổng hợp kết quả thực hiện Cuộc vận động, giai đoạn 2008-2018, "
        f"của {chapter})"
    )
    for name in ANNEX:
        assert with_table in texts(workbook[name]), name
        assert not any("Báo cáo số" in text for text in texts(workbook[name])), name
    everything = [text for ws in workbook.worksheets for text in texts(ws)]
    assert not any("Kế hoạch số" in text or "KH-CTĐ" in text for text in everything)


# ----------------------------------------------------------------------------- totals


@pytest.mark.parametrize(("source", "unit"), CASES)
def test_a_totals_row_sums_every_table_of_units(book, source: str, unit: str) -> None:
    _counted, workbook = book(source, unit)
    for name in UNIT_TABLES:
        ws = workbook[name]
        *body, total = unit_table(ws)
        total_row = first_row(ws, TOTAL)
        assert total[0] == TOTAL and ws.cell(total_row, 1).font.b, name
        for column in range(2, len(total)):
            if ws.cell(total_row, column + 1).number_format == PERCENT_FORMAT:
                continue  # a share: the totals' own, never a sum of shares
            assert total[column] == sum(row[column] or 0 for row in body), (name, column + 1)
    # The survey's share on the totals row is of the totals.
    ws = workbook[SURVEY]
    *_, total = unit_table(ws)
    assert total[4] == (pytest.approx(total[3] / total[2]) if total[2] else None)


@pytest.mark.parametrize(("source", "unit"), CASES)
def test_tables_that_are_not_lists_of_units_have_no_totals_row(
    book, source: str, unit: str
) -> None:
    # The year annex's rows are indicators, and its last column already covers the period;
    # the models annex has no figures.
    _counted, workbook = book(source, unit)
    for name in (BY_YEAR, MODELS):
        assert not any(text == TOTAL for text in texts(workbook[name])), name


# ----------------------------------------------------------------------------- numbers in text

# A run of four digits or more, not part of a number written with dots.
LONG_NUMBER = re.compile(r"(?<![\d.,])\d{4,}(?![\d,]|\.\d)")


@pytest.mark.parametrize(("source", "unit"), CASES)
def test_numbers_inside_text_have_thousands_dots(book, source: str, unit: str) -> None:
    _counted, workbook = book(source, unit)
    for ws in workbook.worksheets:
        for text in texts(ws):
            for match in LONG_NUMBER.finditer(text):
                assert 1900 <= int(match.group()) <= 2099, (ws.title, text)  # years only


def test_a_large_figure_in_a_note_has_dots(book) -> None:
    counted, workbook = book("demo", "72")
    assert counted.total.helped >= 1000
    note = notes_under_table(workbook[BY_GROUP])
    assert f"nhiều hơn {format_number(counted.total.helped)} địa chỉ" in note


# ----------------------------------------------------------------------------- overlaps


@pytest.mark.parametrize(("source", "unit"), CASES)
@pytest.mark.parametrize(
    ("name", "columns", "why"),
    [
        (BY_GROUP, (8, 19), "một địa chỉ có thể thuộc nhiều nhóm đối tượng"),
        (BY_HELPER, (4, 11), "một địa chỉ được nhiều người trợ giúp thuộc nhiều loại"),
    ],
)
def test_columns_adding_up_to_more_than_the_addresses_helped_say_why(
    book, source: str, unit: str, name: str, columns: tuple[int, int], why: str
) -> None:
    _counted, workbook = book(source, unit)
    ws = workbook[name]
    total = unit_table(ws)[-1]
    first, last = columns
    parts, helped = sum(total[first - 1 : last]), total[2]
    note = notes_under_table(ws)
    assert why in note
    if parts > helped:
        assert (
            f"Ở dòng Tổng cộng, cộng các cột {first} đến {last} được {format_number(parts)}, "
            f"nhiều hơn {format_number(helped)} địa chỉ được trợ giúp ở cột 3, vì {why}"
        ) in note
    else:
        assert f"Cộng các cột {first} đến {last} có thể lớn hơn cột 3, vì {why}" in note
    # The note comes right under the table, before anything else.
    assert ws.cell(first_row(ws, TOTAL) + 2, 1).value is not None


def test_the_demo_s_overlaps_are_explained_with_figures(book) -> None:
    _counted, workbook = book("demo", "703")
    for name in (BY_GROUP, BY_HELPER):
        assert "Ở dòng Tổng cộng, cộng các cột" in notes_under_table(workbook[name]), name


# ----------------------------------------------------------------------------- signatures


def signature_rows(ws: Worksheet) -> list[list[str]]:
    start = first_row(ws, "NGƯỜI LẬP BẢNG")
    return [row_texts(ws, r) for r in range(start, ws.max_row + 1) if row_texts(ws, r)]


def test_the_preparer_and_the_unit_s_signer_sign_with_their_names(hard_store: Store) -> None:
    _counted, workbook = workbook_of(
        hard_store, "703", office_unit="703", preparer_name="Lê Văn Lập",
        signer_name="Trần Thị Ký", signing_for="KT. CHỦ TỊCH", signer_title="PHÓ CHỦ TỊCH",
    )  # fmt: skip
    ws = workbook[SUMMARY]
    assert signature_rows(ws) == [
        ["NGƯỜI LẬP BẢNG", "KT. CHỦ TỊCH"],
        ["PHÓ CHỦ TỊCH"],
        ["Lê Văn Lập", "Trần Thị Ký"],
    ]
    names = ws.max_row
    assert all(c.font.b for c in ws[names] if c.value)
    # Room for the signatures and the stamp between the titles and the names.
    assert ws.row_dimensions[names - 1].height >= 50
    assert not any("THỦ TRƯỞNG" in text for text in texts(ws))


@pytest.mark.parametrize(("source", "unit"), CASES)
def test_without_names_the_signers_get_dotted_lines(book, source: str, unit: str) -> None:
    _counted, workbook = book(source, unit)
    assert signature_rows(workbook[SUMMARY]) == [
        ["NGƯỜI LẬP BẢNG", "TM. BAN THƯỜNG VỤ"],
        ["CHỦ TỊCH"],
        [DOTS, DOTS],
    ]


# ----------------------------------------------------------------------------- properties


def test_the_file_names_its_title_its_chapter_and_when_it_was_made(hard_store: Store) -> None:
    before = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    _counted, workbook = workbook_of(hard_store, "705")
    properties = workbook.properties
    assert properties.title == (
        "BẢNG TỔNG HỢP KẾT QUẢ 10 NĂM TRIỂN KHAI, THỰC HIỆN CUỘC VẬN ĐỘNG “MỖI TỔ CHỨC, MỖI CÁ "
        "NHÂN GẮN VỚI MỘT ĐỊA CHỈ NHÂN ĐẠO” GIAI ĐOẠN 2008-2018"
    )
    assert properties.creator == "Hội Chữ thập đỏ huyện Tân Biên"
    assert before <= properties.created <= datetime.now(timezone.utc).replace(tzinfo=None)
    assert properties.language == "vi-VN"


# ----------------------------------------------------------------------------- models


@pytest.mark.parametrize("unit", ["25456", "703", "72"])
def test_a_model_of_the_table_s_own_unit_is_named_alone(book, unit: str) -> None:
    _counted, workbook = book("demo", unit)
    ws = workbook[MODELS]
    names = [row[1].value for row in ws.iter_rows(min_row=first_row(ws, 1)) if row[1].value]
    own = demo_store().units.name(unit)
    assert names and not any(name.startswith(f"{own}, ") for name in names)
    # Below the table's unit, a unit is named with the units between: «Phường 1, Thành phố Tây
    # Ninh» in the province's table, «Phường 1» in the city's.
    assert max(name.count(",") for name in names) == (1 if unit == "72" else 0)
    if unit != "25456":
        assert "Thành phố Tây Ninh" in names  # the city's own models
