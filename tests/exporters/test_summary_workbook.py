"""The summary workbook read back with openpyxl: every figure against the tally of the same store,
at commune, district and province level, on demo data and on hand-made hard cases; the layout
of the seed's template; text kept as text, exactly."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from pathlib import Path

import oracle
import pytest
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from summary_books import (
    FORMULA_LIKE,
    ON,
    TODAY,
    TOTAL,
    demo_store,
    expected_unit_rows,
    first_row,
    hard_case_records,
    load_hard_cases,
    nfd,
    unit_table,
    workbook_of,
)

from campaign.dates import Period
from campaign.tally import Row, Tally, tally
from campaign.vocab import EXCLUSION_REASONS, GROUPS, MODEL_TYPES, NO_STOP_REASON
from exporters.report import build_report
from exporters.sheets import NUMBER_FORMAT, PERCENT_FORMAT
from exporters.workbook import SHEETS, build_summary_workbook
from store.store import Store

LEVELS = ["25456", "703", "72"]  # a commune, a district (Thành phố Tây Ninh), the province
SOURCES = ["demo", "hard"]


@pytest.fixture(scope="module")
def hard_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("hard")
    with Store.create(folder / "store", "72", today=lambda: TODAY) as store:
        yield load_hard_cases(store, folder)


@pytest.fixture(scope="module")
def book(hard_store: Store):
    """`book(source, unit)`: the tally and the workbook read back, made once per module."""

    @cache
    def made(source: str, unit: str) -> tuple[Tally, Workbook]:
        return workbook_of(demo_store() if source == "demo" else hard_store, unit)

    return made


def figures_3_to_8(row: Row) -> list[int]:
    columns = row.columns()
    return [columns[c] for c in ("3", "4", "5", "6", "7", "8")]


def numeric_cells(ws: Worksheet, first_column: int) -> Iterator:
    start, end = first_row(ws, 1), first_row(ws, TOTAL)
    for row in ws.iter_rows(min_row=start, max_row=end, min_col=first_column):
        yield from (cell for cell in row if cell.value is not None)


# ----------------------------------------------------------------------------- the summary


@pytest.mark.parametrize("unit", LEVELS)
@pytest.mark.parametrize("source", SOURCES)
def test_every_figure_of_the_summary_sheet_is_the_tally_s(book, source: str, unit: str) -> None:
    counted, workbook = book(source, unit)
    ws = workbook["Bảng tổng hợp"]
    assert unit_table(ws) == expected_unit_rows(counted, figures_3_to_8)
    for cell in numeric_cells(ws, 3):
        assert cell.data_type == "n" and isinstance(cell.value, int), cell.coordinate
        assert cell.number_format == NUMBER_FORMAT, cell.coordinate


@pytest.mark.parametrize("unit", ["72", "703", "705", "25456"])
def test_the_summary_sheet_agrees_with_the_clean_room_oracle(book, unit: str) -> None:
    _counted, workbook = book("hard", unit)
    expected = oracle.summary(hard_case_records(), unit)
    shown = unit_table(workbook["Bảng tổng hợp"])
    # The oracle lists every child; the program leaves out the unit's own row when it is empty.
    assert [row[2:] for row in shown] == [[r[c] for c in oracle.COLUMNS] for r in expected]
    assert [row[1] for row in shown[:-1]] == [
        unicodedata.normalize("NFC", r["name"]) for r in expected[:-1]
    ]


def test_a_province_table_lists_districts_schools_and_the_province_s_own_addresses(book) -> None:
    _counted, workbook = book("hard", "72")
    names = [row[1] for row in unit_table(workbook["Bảng tổng hợp"])]
    assert names == [
        "Thành phố Tây Ninh", "Huyện Tân Biên", "Huyện Tân Châu", "Huyện Dương Minh Châu",
        "Huyện Châu Thành", "Huyện Hòa Thành", "Huyện Gò Dầu", "Huyện Bến Cầu", "Huyện Trảng Bàng",
        "=1+1", "Tỉnh Tây Ninh (trực tiếp)", None,
    ]  # fmt: skip
    rows = unit_table(workbook["Bảng tổng hợp"])
    assert rows[0][2:] == [7, 3, 5, 8, 19, 10_073_456]
    assert rows[1][2:] == [1, 1, 0, 1, 3, 10_000_000_000]
    assert rows[-1][2:] == [10, 6, 5, 11, 24, 10_011_523_456]


def test_the_summary_sheet_is_laid_out_as_the_template(book) -> None:
    _counted, workbook = book("hard", "703")
    ws = workbook["Bảng tổng hợp"]
    assert ws["A1"].value == "HỘI CHỮ THẬP ĐỎ TỈNH TÂY NINH"
    assert ws["A2"].value == "HỘI CHỮ THẬP ĐỎ THÀNH PHỐ TÂY NINH" and ws["A2"].font.b
    right = [c.value for c in ws["D"][:2]]
    assert right == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert ws["D2"].font.u == "single"
    assert ws["D4"].value == "Tây Ninh, ngày 05 tháng 11 năm 2018" and ws["D4"].font.i
    (title,) = [r for r in range(1, 12) if str(ws.cell(r, 1).value).startswith("BẢNG")]
    assert ws.cell(title, 1).value == (
        "BẢNG TỔNG HỢP KẾT QUẢ 10 NĂM TRIỂN KHAI, THỰC HIỆN CUỘC VẬN ĐỘNG\n"
        "“MỖI TỔ CHỨC, MỖI CÁ NHÂN GẮN VỚI MỘT ĐỊA CHỈ NHÂN ĐẠO” GIAI ĐOẠN 2008-2018"
    )
    # The unit's table goes with its report, not with the province's plan.
    assert ws.cell(title + 1, 1).value == (
        "Kèm theo Báo cáo số        /BC-CTĐ ngày 05/11/2018 của Hội Chữ thập đỏ thành phố Tây Ninh"
    )
    top = first_row(ws, "STT")
    assert [ws.cell(top, c).value for c in range(1, 9)] == [
        "STT", "Xã, phường, thị trấn, trường học, đơn vị trực thuộc", "Số địa chỉ được lập hồ sơ",
        "Số địa chỉ được trợ giúp", None, None, "Tổng số người được trợ giúp",
        "Tổng giá trị trợ giúp (đồng)",
    ]  # fmt: skip
    assert [ws.cell(top + 1, c).value for c in range(4, 7)] == [
        "Hội Chữ thập đỏ trợ giúp", "Các tổ chức, cá nhân khác trợ giúp", "Tổng cộng",
    ]  # fmt: skip
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {f"D{top}:F{top}", f"A{top}:A{top + 1}", f"H{top}:H{top + 1}"} <= merged
    assert [ws.cell(top + 2, c).value for c in range(1, 9)] == [
        "1", "2", "3", "4", "5", "6 = 4+5", "7", "8",
    ]  # fmt: skip
    total = first_row(ws, TOTAL)
    assert f"A{total}:B{total}" in merged and ws.cell(total, 8).font.b
    note = ws.cell(total + 2, 1).value
    assert str(note) == (
        "* Ghi chú cột 7: Địa chỉ nhân đạo được trợ giúp có thể là cá nhân hoặc tập thể (hộ gia "
        "đình, trường học...). Tổng số người được trợ giúp được tính là các cá nhân và số người "
        "trong các tập thể được trợ giúp."
    )
    excluded = [str(ws.cell(r, 1).value) for r in range(total + 1, ws.max_row + 1)]
    assert any(
        text.startswith("* Không tính vào cột 8: 3 lần trợ giúp, trị giá 700.000 đồng")
        for text in excluded
    )
    fonts = {cell.font.name for row in ws.iter_rows() for cell in row if cell.value is not None}
    assert fonts == {"Times New Roman"}


@pytest.mark.parametrize(
    ("unit", "left"),
    [
        ("72", ["TRUNG ƯƠNG HỘI CHỮ THẬP ĐỎ VIỆT NAM", "HỘI CHỮ THẬP ĐỎ TỈNH TÂY NINH"]),
        ("705", ["HỘI CHỮ THẬP ĐỎ TỈNH TÂY NINH", "HỘI CHỮ THẬP ĐỎ HUYỆN TÂN BIÊN"]),
        ("25495", ["HỘI CHỮ THẬP ĐỎ HUYỆN TÂN BIÊN", "HỘI CHỮ THẬP ĐỎ XÃ TÂN BÌNH"]),
        ("703-DV1", ["HỘI CHỮ THẬP ĐỎ THÀNH PHỐ TÂY NINH", "TRẠM Y TẾ HIỆP NINH"]),
        ("72-TH1", ["HỘI CHỮ THẬP ĐỎ TỈNH TÂY NINH", "=1+1"]),
    ],
)
def test_the_header_names_the_issuer_under_its_superior(book, unit: str, left: list[str]) -> None:
    _counted, workbook = book("hard", unit)
    for name in SHEETS:
        assert [workbook[name]["A1"].value, workbook[name]["A2"].value] == left, name


def date_line(ws: Worksheet) -> str:
    """The date line: the italic line under the motto, right of the header block."""
    (line,) = [
        cell.value
        for row in ws.iter_rows(min_row=3, max_row=5)
        for cell in row
        if isinstance(cell.value, str) and ", ngày " in cell.value
    ]
    return line


def test_names_come_from_the_office_s_settings(hard_store: Store) -> None:
    _counted, workbook = workbook_of(
        hard_store, "703", province_name="Tây Ninh mới", organisation="HỘI CTĐ TỈNH X"
    )
    ws = workbook["Bảng tổng hợp"]
    assert ws["A1"].value == "HỘI CTĐ TỈNH X"
    # The province's name is the province's place; the city's own table is dated in the city.
    assert ws["D4"].value == "Tây Ninh, ngày 05 tháng 11 năm 2018"
    _counted, province = workbook_of(hard_store, "72", province_name="Tây Ninh mới")
    assert date_line(province["Bảng tổng hợp"]) == "Tây Ninh mới, ngày 05 tháng 11 năm 2018"


@pytest.mark.parametrize(
    ("office", "unit", "place"),
    [
        # The place setting dates the office's own documents...
        ("72", "72", "Trảng Bàng"),
        ("703", "703", "Hiệp Ninh"),
        # ...and no other unit's: each is dated in its own locality.
        ("72", "703", "Tây Ninh"),
        ("72", "705", "Tân Biên"),
        ("703", "25456", "Phường 1"),
        ("72", "25495", "Tân Bình"),
        ("72", "72-TH1", "Tây Ninh"),  # a school dates in the locality above it
    ],
)
def test_the_date_line_is_the_report_s(
    hard_store: Store, office: str, unit: str, place: str
) -> None:
    settings = {"office_unit": office, "place": {"72": "Trảng Bàng", "703": "Hiệp Ninh"}[office]}
    _counted, workbook = workbook_of(hard_store, unit, **settings)
    expected = f"{place}, ngày 05 tháng 11 năm 2018"
    for name in SHEETS:
        assert date_line(workbook[name]) == expected, name
    report = build_report(
        hard_store.dataset(),
        unit,
        hard_store.office.period,
        {**hard_store.office.settings, **settings},
        ON,
    )
    header = report.tables[0].rows[0].cells[1]
    assert expected in [paragraph.text for paragraph in header.paragraphs]


# ----------------------------------------------------------------------------- the annexes


def by_label(ws: Worksheet) -> dict[str, list[object]]:
    start = first_row(ws, "Số địa chỉ được trợ giúp trong năm")
    return {
        str(row[0].value): [cell.value for cell in row[1:]]
        for row in ws.iter_rows(min_row=start, max_row=ws.max_row)
        if row[0].value is not None and row[1].value is not None
    }


@pytest.mark.parametrize("unit", LEVELS)
@pytest.mark.parametrize("source", SOURCES)
def test_the_year_by_year_sheet_is_the_tally_s(book, source: str, unit: str) -> None:
    counted, workbook = book(source, unit)
    ws = workbook["Theo năm"]
    years = counted.years
    header = first_row(ws, "Chỉ tiêu")
    assert [ws.cell(header + 1, c).value for c in range(2, 2 + len(years))] == [
        str(f.year) for f in years
    ]
    rows = by_label(ws)
    assert rows["Số địa chỉ được trợ giúp trong năm"] == [
        *(f.helped for f in years),
        counted.total.helped,
    ]
    assert rows["- Địa chỉ mới (lần đầu được trợ giúp)"] == [
        *(f.new for f in years),
        sum(f.new for f in years),
    ]
    assert rows["- Địa chỉ năm trước tiếp tục được trợ giúp"] == [
        *(f.continued for f in years),
        None,
    ]
    assert rows["- Địa chỉ được trợ giúp lại sau thời gian gián đoạn"] == [
        *(f.resumed for f in years),
        None,
    ]
    stopped = [len(f.stopped) for f in years]
    assert rows["Số địa chỉ dừng trợ giúp trong năm"] == [*stopped, sum(stopped)]
    # Apart from the stops, never added to them: a lapse is not a stop.
    assert rows["Số địa chỉ năm trước được trợ giúp, năm nay không, chưa ghi dừng"] == [
        *(len(f.lapsed) for f in years),
        None,
    ]
    reasons = {r for f in years for r in f.stop_reasons}
    shown = {label: values for label, values in rows.items() if label.startswith("- ")}
    for reason in reasons:
        label = f"- {reason[:1].upper()}{reason[1:]}"
        counts = [f.stop_reasons.get(reason, 0) for f in years]
        assert shown[label] == [*counts, sum(counts)], reason
    assert len(shown) == 3 + len(reasons)
    if reasons:
        # The stops without a reason come last.
        assert list(shown)[-1] == "- Chưa ghi lý do" or NO_STOP_REASON not in reasons


def test_the_year_by_year_sheet_on_hard_cases(book) -> None:
    _counted, workbook = book("hard", "25456")
    rows = by_label(workbook["Theo năm"])
    #          2008 2009 2010 2011 2012 2013 2014 2015 2016 2017 2018  all
    assert rows["Số địa chỉ được trợ giúp trong năm"] == [
        1, 0, 1, 2, 0, 1, 0, 0, 1, 1, 1, 4
    ]  # fmt: skip
    # p1 was helped in 2007 (before the period): not new in 2008.
    assert rows["- Địa chỉ mới (lần đầu được trợ giúp)"] == [
        0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 3
    ]  # fmt: skip
    assert rows["- =cmd|' /C calc'!A0"] == [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]


@pytest.mark.parametrize(("year_from", "resumed_in"), [(2008, 2010), (2002, 2010), (2011, None)])
def test_help_long_before_the_period_makes_a_later_year_a_resumption(
    hard_store: Store, year_from: int, resumed_in: int | None
) -> None:
    # Xã Tân Bình's address was helped in 2001, then in 2010 and 2011, and not since, with
    # no stop on record.
    counted = tally(hard_store.dataset(), "25474", Period(year_from, 2013))
    flows = {flow.year: flow for flow in counted.years}
    resumed = [year for year, flow in flows.items() if flow.resumed]
    assert resumed == ([resumed_in] if resumed_in else [])
    assert sum(flow.new for flow in flows.values()) == 0
    # Not helped in 2002 nor in 2012, with no stop date: lapses, never stops.
    assert not any(flow.stopped for flow in flows.values())
    assert [year for year, flow in flows.items() if flow.lapsed] == [
        year for year in (2002, 2012) if year >= year_from
    ]
    book = build_summary_workbook(
        counted, units=hard_store.units, models=[], settings=hard_store.office.settings, on=ON
    )
    rows = by_label(book["Theo năm"])
    assert rows["- Địa chỉ được trợ giúp lại sau thời gian gián đoạn"][:-1] == [
        flows[year].resumed for year in sorted(flows)
    ]


@pytest.mark.parametrize("unit", LEVELS)
@pytest.mark.parametrize("source", SOURCES)
def test_the_beneficiary_sheet_is_the_tally_s(book, source: str, unit: str) -> None:
    counted, workbook = book(source, unit)

    def figures(row: Row) -> list[int]:
        return [
            row.helped, row.helped_individuals, row.helped_collectives, row.collective_people,
            row.people, *(row.groups.get(code, 0) for code in GROUPS), row.ungrouped,
        ]  # fmt: skip

    ws = workbook["Đối tượng"]
    assert unit_table(ws) == expected_unit_rows(counted, figures)
    header = first_row(ws, "STT")
    assert [ws.cell(header + 1, c).value for c in range(8, 8 + len(GROUPS) + 1)] == [
        *GROUPS.values(),
        "Chưa xếp nhóm",
    ]


def test_the_beneficiary_sheet_on_hard_cases(book) -> None:
    _counted, workbook = book("hard", "703")
    total = unit_table(workbook["Đối tượng"])[-1]
    #   helped ind coll coll.people people
    assert total[2:7] == [8, 7, 1, 12, 19]
    by_group = dict(zip(GROUPS, total[7:18], strict=True))
    assert by_group["elderly"] == 3 and by_group["agent_orange"] == 1
    assert by_group["near_poor"] == 1 and by_group["other"] == 1
    assert total[18] == 1  # the collective p2 has no group


@pytest.mark.parametrize("unit", LEVELS)
@pytest.mark.parametrize("source", SOURCES)
def test_the_helper_sheet_is_the_tally_s(book, source: str, unit: str) -> None:
    counted, workbook = book(source, unit)
    kinds = ["staff", "member", "volunteer", "youth", "chapter", "organisation", "individual"]

    def figures(row: Row) -> list[int]:
        return [
            row.helped, *(row.helper_kinds.get(k, 0) for k in kinds),
            row.helper_kinds.get("none", 0), row.helpers.get("red_cross", 0),
            row.helpers.get("outside", 0), row.active_helpers.get("red_cross", 0),
            row.active_helpers.get("outside", 0),
        ]  # fmt: skip

    assert unit_table(workbook["Người trợ giúp"]) == expected_unit_rows(counted, figures)


def test_the_helper_sheet_on_hard_cases(book) -> None:
    _counted, workbook = book("hard", "25456")
    (phuong_1, _total) = unit_table(workbook["Người trợ giúp"])
    # p3's aid came from a deleted helper and from nobody: «Không rõ người trợ giúp». The
    # deleted helper is not counted among the registered ones.
    #                       staff member volunteer youth chapter org indiv none | rc out rc out
    assert phuong_1[2:] == [4, 0, 0, 2, 0, 0, 2, 1, 1, 1, 2, 1, 2]


@pytest.mark.parametrize("unit", LEVELS)
@pytest.mark.parametrize("source", SOURCES)
def test_the_excluded_sheet_is_the_tally_s(book, source: str, unit: str) -> None:
    counted, workbook = book(source, unit)

    def figures(row: Row) -> list[int]:
        values = []
        for reason in EXCLUSION_REASONS:
            amount = row.excluded.get(reason)
            values += [amount.count, amount.value] if amount else [0, 0]
        return [*values, row.excluded_total.count, row.excluded_total.value]

    ws = workbook["Không tính"]
    assert unit_table(ws) == expected_unit_rows(counted, figures)
    header = first_row(ws, "STT")
    labels = [ws.cell(header, c).value for c in range(3, 15, 2)]
    assert labels == [*EXCLUSION_REASONS.values(), "Cộng"]


def test_the_excluded_sheet_on_hard_cases(book) -> None:
    _counted, workbook = book("hard", "72")
    total = unit_table(workbook["Không tính"])[-1]
    # One of each reason within the period; the one after it and the deleted one are left out.
    assert total[2:] == [
        1, 100_000, 1, 200_000, 1, 300_000, 1, 400_000, 1, 500_000, 5, 1_500_000,
    ]  # fmt: skip


@pytest.mark.parametrize("unit", LEVELS)
@pytest.mark.parametrize("source", SOURCES)
def test_the_survey_sheet_is_the_tally_s(book, source: str, unit: str) -> None:
    counted, workbook = book(source, unit)

    def figures(row: Row) -> list[object]:
        share = row.grassroots_surveyed / row.grassroots if row.grassroots else None
        return [
            row.grassroots, row.grassroots_surveyed, share, row.dossiers,
            row.dossier_individuals, row.dossier_collectives, row.dossier_people,
        ]  # fmt: skip

    ws = workbook["Khảo sát"]
    shown, expected = unit_table(ws), expected_unit_rows(counted, figures)
    assert [row[:4] + row[5:] for row in shown] == [row[:4] + row[5:] for row in expected]
    assert [row[4] for row in shown] == pytest.approx([row[4] for row in expected])
    shares = [row[4] for row in unit_table(ws) if row[4] is not None]
    assert shares and all(0 <= share <= 1 for share in shares)
    assert {ws.cell(first_row(ws, 1), 5).number_format} == {PERCENT_FORMAT}


def test_the_survey_sheet_on_hard_cases(book) -> None:
    _counted, workbook = book("hard", "703")
    rows = unit_table(workbook["Khảo sát"])
    assert rows[0][1:] == ["Phường 1", 1, 1, 1.0, 4, 3, 1, 15]
    assert rows[1][1:] == ["Phường 3", 1, 0, 0.0, 0, 0, 0, 0]
    # The city's own row: the city is not a grassroots chapter.
    assert rows[-2][1:] == ["Thành phố Tây Ninh (trực tiếp)", 0, 0, None, 1, 1, 0, 1]


def models_shown(ws: Worksheet) -> list[list[object]]:
    start = first_row(ws, 1)
    return [[c.value for c in row] for row in ws.iter_rows(min_row=start, max_row=ws.max_row)]


@pytest.mark.parametrize(
    ("unit", "names"),
    [
        ("72", ["Kho hàng cứu trợ", "=1+1", "Bếp ăn tình thương"]),
        ("703", ["=1+1"]),
        ("25495", ["Bếp ăn tình thương"]),
    ],
)
def test_the_models_sheet_lists_the_live_models_of_the_subtree(
    book, unit: str, names: list[str]
) -> None:
    _counted, workbook = book("hard", unit)
    assert [row[3] for row in models_shown(workbook["Mô hình"])] == names


def test_the_models_sheet_holds_every_field(book) -> None:
    _counted, workbook = book("hard", "72")
    ws = workbook["Mô hình"]
    first, second, third = models_shown(ws)
    assert first == [1, "Tỉnh Tây Ninh", MODEL_TYPES["relief_warehouse"], "Kho hàng cứu trợ",
                     None, None, None, None, None]  # fmt: skip
    assert second == [
        2, "Phường 1, Thành phố Tây Ninh", MODEL_TYPES["cow_bank"], *FORMULA_LIKE,
        "Hộ nghèo thoát nghèo bền vững.\nLan tỏa sang xã bên.", datetime(2009, 3, 2),
    ]  # fmt: skip
    assert third[1] == "Xã Tân Bình, Huyện Tân Biên"
    assert ws.cell(first_row(ws, 2), 9).number_format == "dd/mm/yyyy"


def test_a_unit_without_models_says_so(book) -> None:
    _counted, workbook = book("hard", "706")
    ws = workbook["Mô hình"]
    row = first_row(ws, "Chưa có mô hình nào được ghi nhận.")
    assert f"A{row}:I{row}" in {str(r) for r in ws.merged_cells.ranges}


@pytest.mark.parametrize("unit", ["25456", "703"])
def test_the_demo_s_models_are_all_listed(book, unit: str) -> None:
    _counted, workbook = book("demo", unit)
    store = demo_store()
    expected = {
        m["id"]
        for m in store.dataset().models
        if not m.get("deleted") and store.units.is_within(m["unit"], unit)
    }
    shown = models_shown(workbook["Mô hình"])
    assert len(shown) == len(expected) > 0
    assert [row[0] for row in shown] == list(range(1, len(expected) + 1))


# ----------------------------------------------------------------------------- text


def cells_of(workbook: Workbook) -> Iterator:
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            yield from (cell for cell in row if isinstance(cell.value, str))


def test_text_that_looks_like_a_formula_stays_text(hard_store: Store) -> None:
    _counted, workbook = workbook_of(hard_store, "72", signer_name='=HYPERLINK("http://x")')
    formula_like = [c for c in cells_of(workbook) if c.value.startswith(("=", "+", "-", "@"))]
    values = {c.value for c in formula_like}
    assert {*FORMULA_LIKE, '=HYPERLINK("http://x")', "- =cmd|' /C calc'!A0"} <= values
    for cell in formula_like:
        assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    plain = [c for c in cells_of(workbook) if not c.value.startswith(("=", "+", "-", "@"))]
    assert plain and not any(c.quotePrefix for c in plain)


def test_the_file_holds_no_formula_at_all(hard_store: Store) -> None:
    counted, _ = workbook_of(hard_store, "72")
    buffer = io.BytesIO()
    build_summary_workbook(
        counted,
        units=hard_store.units,
        models=hard_store.dataset().models,
        settings={**hard_store.office.settings, "signer_name": "=1+1"},
        on=ON,
    ).save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == len(SHEETS)
        for name in sheets:
            xml = archive.read(name).decode("utf-8")
            assert "<f>" not in xml and "<f " not in xml, name


def test_vietnamese_text_survives_exactly(hard_store: Store) -> None:
    _counted, workbook = workbook_of(
        hard_store, "703", office_unit="703", preparer_name=nfd("Nguyễn Thị Ánh Tuyết")
    )
    ws = workbook["Bảng tổng hợp"]
    assert "Nguyễn Thị Ánh Tuyết" in [c.value for c in ws[ws.max_row]]
    names = [row[1] for row in unit_table(ws)]
    assert "Trạm Y tế Hiệp Ninh" in names
    models = workbook["Mô hình"]
    assert models_shown(models)[0][7] == "Hộ nghèo thoát nghèo bền vững.\nLan tỏa sang xã bên."
    for cell in cells_of(workbook):
        assert unicodedata.is_normalized("NFC", cell.value), cell.coordinate


# ----------------------------------------------------------------------------- printing


@pytest.mark.parametrize("source", SOURCES)
def test_every_sheet_prints_on_a4_landscape_one_page_wide(book, source: str) -> None:
    _counted, workbook = book(source, "72")
    assert workbook.sheetnames == list(SHEETS)
    for ws in workbook.worksheets:
        setup = ws.page_setup
        assert (setup.orientation, setup.paperSize, setup.fitToWidth) == ("landscape", 9, 1)
        assert setup.fitToHeight in (0, 1) and ws.sheet_properties.pageSetUpPr.fitToPage
        top = first_row(ws, "STT" if ws.title != "Theo năm" else "Chỉ tiêu")
        first_data = first_row(ws, 1) if ws.title != "Theo năm" else top + 2
        # The header rows repeat on every page; the panes freeze under them.
        assert ws.print_title_rows == f"${top}:${first_data - 1}", ws.title
        assert ws.freeze_panes.endswith(str(first_data)), ws.title


def test_a_long_table_runs_over_several_pages_with_its_header_repeated(book) -> None:
    _counted, workbook = book("demo", "72")
    models = workbook["Mô hình"]
    assert models.page_setup.fitToHeight == 0  # eleven units' models: pages follow one another
    summary = workbook["Bảng tổng hợp"]
    assert summary.page_setup.fitToHeight == 1  # a little over a page: fitted onto one


def test_a_workbook_can_be_written_to_a_path(hard_store: Store, tmp_path: Path) -> None:
    from exporters.workbook import write_summary_workbook

    counted, _ = workbook_of(hard_store, "25456")
    target = tmp_path / "bảng tổng hợp.xlsx"
    written = write_summary_workbook(
        target, counted, units=hard_store.units, models=[], settings={}, on=ON
    )
    assert written == target and zipfile.is_zipfile(target)
    assert [p.name for p in tmp_path.iterdir()] == ["bảng tổng hợp.xlsx"]
