"""The report draft read back with python-docx: the outline in order, the figures, the layout."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from factories import TODAY, address, aid, helper

from campaign.dataset import Dataset
from campaign.dates import Period
from campaign.tally import helped_addresses, tally
from campaign.units import UnitTree
from exporters.letterhead import unit_label
from exporters.report import (
    HEADER_ROOM,
    MISSING_FIELD,
    added_results,
    build_report,
    text_width,
    write_report,
)
from store import gazetteer
from store.demo import write_demo
from store.store import Store

PERIOD = Period(2008, 2018)
ON = date(2018, 11, 5)
GUIDANCE = (
    "Hướng dẫn số 250/TUHCTĐ ngày 06/9/2018 của Trung ương Hội Chữ thập đỏ Việt Nam về tổng kết "
    "10 năm triển khai thực hiện Cuộc vận động “Mỗi tổ chức, mỗi cá nhân gắn với một địa chỉ "
    "nhân đạo” và các mô hình công tác xã hội nhân đạo, giai đoạn 2008-2018"
)

OUTLINE = [
    (1, "I. KẾT QUẢ THỰC HIỆN CUỘC VẬN ĐỘNG"),
    (2, "1. Bối cảnh thực hiện Cuộc vận động"),
    (2, "2. Kết quả 10 năm thực hiện"),
    (3, "a) Về công tác chỉ đạo"),
    (3, "b) Công tác tuyên truyền, vận động nguồn lực"),
    (3, "c) Kết quả cụ thể"),
    (4, "- Kết quả khảo sát lập hồ sơ đối tượng:"),
    (4, "- Kết quả trợ giúp:"),
    (1, "II. CÁC MÔ HÌNH CÔNG TÁC XÃ HỘI NHÂN ĐẠO"),
    # A city reports on its communes' models grouped by type; the list is in Phụ lục 2.
    (2, "1. Mô hình nhà Chữ thập đỏ/nhà tình thương"),
    (2, "2. Mô hình Ngân hàng bò/Nuôi bò sinh sản xoay vòng"),
    (1, "III. ĐÁNH GIÁ"),
    (2, "1. Đánh giá chung"),
    (2, "2. Hạn chế"),
    (2, "3. Nguyên nhân hạn chế"),
    (2, "4. Bài học kinh nghiệm"),
    (1, "IV. PHƯƠNG HƯỚNG TRIỂN KHAI THỜI GIAN TỚI"),
    (2, "1. Mục tiêu"),
    (2, "2. Chỉ tiêu"),
    (2, "3. Giải pháp"),
    (1, "V. KIẾN NGHỊ, ĐỀ XUẤT"),
    (2, "1. Đối với Đảng, Nhà nước"),
    (2, "2. Đối với Trung ương Hội"),
    (2, "3. Đối với cấp ủy Đảng, chính quyền"),
]


def records() -> list[tuple[str, dict]]:
    """Two communes of Thành phố Tây Ninh; the figures the tests expect are worked out below."""
    addresses = [
        address("a1", groups=["elderly", "poor"]),
        address("a2", kind="collective", people=4, name="Hộ ông Lê Văn Ba", groups=["poor"],
                dossier_on="2010-03-01", stopped_on="2012-06-01", stop_reason="Đã thoát nghèo"),
        address("a3", unit="25459", groups=[], surveyed_on="2010-05-01", dossier_on=None),
        address("a4", unit="25459", groups=["disabled"], surveyed_on="2011-01-01",
                dossier_on="2011-02-01"),
    ]  # fmt: skip
    helpers = [
        helper("h1", kind="staff"),
        helper("h2", side="outside", kind="organisation", name="Công ty Mía đường"),
        helper("h3", unit="25459", kind="volunteer"),
    ]
    aids = [
        aid("x1", address="a1", helper="h1", on="2009-03-01", value=1_000_000),
        aid("x2", address="a1", helper="h2", on="2010-03-01", value=500_000),
        aid("x3", address="a2", helper="h2", on="2010-04-01", value=2_000_000),
        aid("x4", address="a2", helper="h2", on="2011-04-01", value=2_000_000),
        aid("x5", address="a4", helper=None, on="2012-05-01", value=300_000),
        aid("x6", address="a4", helper="h3", on="2014-05-01", value=700_000),
        aid("x7", address="a1", helper="h1", on="2012-01-01", value=100_000, excluded="emergency"),
    ]
    models = [
        {"id": "m1", "unit": "25456", "type": "cow_bank", "name": "Ngân hàng bò Phường 1",
         "objective": "Giúp hộ nghèo có sinh kế.", "method": "Hội viên góp vốn mua bò.\nBê con giao hộ khác.",
         "results": "Đã trao 12 con bò.", "effect": "Nhiều hộ thoát nghèo.", "started_on": "2010-01-01"},
        {"id": "m2", "unit": "25459", "type": "red_cross_house",
         "name": "Nhà tình thương cho người cao tuổi", "objective": "Mỗi năm một căn nhà."},
        {"id": "m3", "unit": "25456", "type": "other", "name": "Tủ bánh mì 0 đồng",
         "started_on": "2019-03-01"},  # after the period: not in the report
        {"id": "m4", "unit": "25456", "type": "other", "name": "Mô hình đã xoá", "deleted": True},
    ]  # fmt: skip
    assessments = [
        {"unit": "25456", "steering_board": True, "directive": True, "typical_model": True,
         "followed_guidance": True},
        {"unit": "25459", "steering_board": True, "directive": False, "typical_model": False,
         "followed_guidance": True},
    ]  # fmt: skip
    return [
        *[("helper", h) for h in helpers],
        *[("address", a) for a in addresses],
        *[("aid", x) for x in aids],
        *[("model", m) for m in models],
        *[("assessment", a) for a in assessments],
    ]


@pytest.fixture
def filled(store: Store) -> Store:
    store.save_many(records())
    return store


@pytest.fixture
def document(filled: Store) -> DocxDocument:
    return build_report(filled.dataset(), "703", PERIOD, filled.office.settings, ON)


def paragraphs(document: DocxDocument) -> list[str]:
    return [p.text for p in document.paragraphs]


def paragraph_starting(document: DocxDocument, start: str):  # type: ignore[no-untyped-def]
    return next(p for p in document.paragraphs if p.text.startswith(start))


def table_with(document: DocxDocument, header: str) -> Table:
    return next(t for t in document.tables if t.rows[0].cells[0].text == header)


def rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def after(document: DocxDocument, heading: str) -> list:  # type: ignore[type-arg]
    """The paragraphs between a heading and the next heading."""
    found, inside = [], False
    for paragraph in document.paragraphs:
        if paragraph.style.name.startswith("Heading"):
            if inside:
                break
            inside = paragraph.text == heading
        elif inside and paragraph.text:
            found.append(paragraph)
    return found


# ----------------------------------------------------------------------- the outline


def test_the_headings_follow_the_outline_in_order(document: DocxDocument) -> None:
    headings = [
        (int(p.style.name.removeprefix("Heading ")), p.text)
        for p in document.paragraphs
        if p.style.name.startswith("Heading")
    ]
    assert headings == OUTLINE


def test_the_header_block_date_line_and_title(document: DocxDocument) -> None:
    left, right = document.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == [
        "HỘI CHỮ THẬP ĐỎ TỈNH TÂY NINH",
        "HỘI CHỮ THẬP ĐỎ THÀNH PHỐ TÂY NINH",
        "Số:        /BC-CTĐ",
    ]
    assert [p.text for p in right.paragraphs if p.text] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Tây Ninh, ngày 05 tháng 11 năm 2018",
    ]
    assert right.paragraphs[-1].runs[0].italic
    texts = paragraphs(document)
    title = texts.index("BÁO CÁO")
    assert texts[title + 1] == (
        "Tổng kết 10 năm triển khai, thực hiện Cuộc vận động “Mỗi tổ chức, mỗi cá nhân gắn với "
        "một địa chỉ nhân đạo” và các mô hình công tác xã hội nhân đạo, giai đoạn 2008-2018"
    )
    assert texts[title + 3] == (
        f"Thực hiện {GUIDANCE}; Kế hoạch số 61/KH-CTĐ ngày 16/10/2018 của Hội Chữ thập đỏ tỉnh "
        "Tây Ninh, Hội Chữ thập đỏ thành phố Tây Ninh báo cáo kết quả 10 năm triển khai, thực "
        "hiện Cuộc vận động “Mỗi tổ chức, mỗi cá nhân gắn với một địa chỉ nhân đạo” và các mô "
        "hình công tác xã hội nhân đạo, giai đoạn 2008-2018 như sau:"
    )


def test_where_the_outline_asks_for_judgement_its_prompt_is_in_italics(
    document: DocxDocument,
) -> None:
    for heading in ("1. Bối cảnh thực hiện Cuộc vận động", "1. Đánh giá chung", "2. Hạn chế",
                    "3. Nguyên nhân hạn chế", "4. Bài học kinh nghiệm", "1. Mục tiêu",
                    "3. Giải pháp", "1. Đối với Đảng, Nhà nước", "2. Đối với Trung ương Hội",
                    "3. Đối với cấp ủy Đảng, chính quyền"):  # fmt: skip
        found = after(document, heading)
        assert found, heading
        assert all(run.italic for run in found[0].runs), heading
    for heading in ("2. Hạn chế", "3. Giải pháp", "2. Đối với Trung ương Hội"):
        assert all(run.italic for p in after(document, heading) for run in p.runs), heading
    context = after(document, "1. Bối cảnh thực hiện Cuộc vận động")[0].text
    assert context.startswith("Sơ lược về tình hình của địa phương/đơn vị; nêu những thuận lợi")
    steering = [p.text for p in after(document, "a) Về công tác chỉ đạo") if p.runs[0].italic]
    assert len(steering) == 5
    assert (
        steering[0] == "- Đánh giá sự chỉ đạo của cấp ủy Đảng, chính quyền đối với Cuộc vận động."
    )


def test_figures_are_plain_text_not_prompts(document: DocxDocument) -> None:
    survey = paragraph_starting(document, "+ Toàn thành phố có ")
    assert not any(run.italic for run in survey.runs)
    targets = [p for p in after(document, "2. Chỉ tiêu")]
    assert len(targets) == 5
    for target in targets:
        # Staff write the target (italic placeholder); the baseline from the records is plain.
        assert [run.italic for run in target.runs] == [None, True, None]
    assert targets[2].text == (
        "- Chỉ tiêu số địa chỉ được trợ giúp: (ghi chỉ tiêu); giai đoạn 2008-2018 đạt 3 địa chỉ."
    )


# ----------------------------------------------------------------------- the figures


def test_survey_and_dossiers(document: DocxDocument) -> None:
    # Thành phố Tây Ninh has ten communes; two of them have surveyed addresses.
    assert paragraph_starting(document, "+ Toàn thành phố có ").text == (
        "+ Toàn thành phố có 2/10 cơ sở Hội (đạt 20,0%) đã hoàn thành việc khảo sát lập hồ sơ "
        "địa chỉ; "
        "đã khảo sát 4 địa chỉ."
    )
    assert paragraph_starting(document, "+ Tổng số địa chỉ được lập hồ sơ").text == (
        "+ Tổng số địa chỉ được lập hồ sơ trợ giúp: 3 địa chỉ, trong đó 2 cá nhân và 1 tập thể; "
        "tổng số 6 người."
    )


def test_help_by_side_and_by_helper_kind(document: DocxDocument) -> None:
    assert paragraph_starting(document, "+ Đã trợ giúp").text == (
        "+ Đã trợ giúp 3 địa chỉ, gồm 2 cá nhân và 1 tập thể (4 người); tổng số người được trợ "
        "giúp: 6 người; tổng giá trị trợ giúp: 6.500.000 đ. Trong đó 2 địa chỉ do cán bộ, hội "
        "viên, tình nguyện viên, thanh thiếu niên Chữ thập đỏ và tổ chức Hội trợ giúp; 1 địa chỉ "
        "do các tổ chức, cá nhân đăng ký trợ giúp theo sự giới thiệu của Hội Chữ thập đỏ."
    )
    assert rows(table_with(document, "Người trợ giúp")) == [
        ["Người trợ giúp", "Số địa chỉ được trợ giúp"],
        ["Hội Chữ thập đỏ trợ giúp (cột 4 bảng tổng hợp)", "2"],
        ["- Cán bộ", "1"],
        ["- Hội viên", "0"],
        ["- Tình nguyện viên", "1"],
        ["- Thanh thiếu niên Chữ thập đỏ", "0"],
        ["- Tổ chức Hội", "0"],
        ["Các tổ chức, cá nhân khác trợ giúp theo sự giới thiệu của Hội (cột 5)", "1"],
        ["- Tổ chức", "2"],
        ["- Cá nhân", "0"],
        ["Không ghi người trợ giúp", "1"],
        ["Tổng số địa chỉ được trợ giúp (cột 6)", "3"],
    ]
    assert paragraph_starting(document, "Ngoài ra,").text.startswith(
        "Ngoài ra, 1 lần trợ giúp trị giá 100.000 đ không tính vào giá trị Cuộc vận động"
    )


def test_the_year_by_year_table_with_stop_reasons(document: DocxDocument) -> None:
    table = rows(table_with(document, "Năm"))
    assert table[0] == ["Năm", "Địa chỉ được trợ giúp", "Trợ giúp mới", "Năm trước tiếp tục",
                        "Trợ giúp lại", "Dừng trợ giúp",
                        "Không được trợ giúp, chưa ghi dừng"]  # fmt: skip
    # a1 is not helped in 2011 and a4 in 2013 and 2015, none stopped: not stops. a2 stopped on
    # 2012-06-01 with its reason: a stop of 2012 (not a lapse of 2012 as well).
    assert table[1:9] == [
        ["2008", "0", "0", "0", "0", "0", "0"],
        ["2009", "1", "1", "0", "0", "0", "0"],
        ["2010", "2", "1", "1", "0", "0", "0"],
        ["2011", "1", "0", "1", "0", "0", "1"],
        ["2012", "1", "1", "0", "0", "1", "0"],
        ["2013", "0", "0", "0", "0", "0", "1"],
        ["2014", "1", "0", "0", "1", "0", "0"],
        ["2015", "0", "0", "0", "0", "0", "1"],
    ]
    assert len(table) == 13  # header, 2008–2018 and the period
    # The period's row: 3 addresses helped in the period, each counted once (the years' column
    # adds up to 6); the flows add up over the years.
    assert table[-1] == ["Cả giai đoạn", "3", "3", "2", "1", "1", "3"]
    assert all(run.bold for cell in table_with(document, "Năm").rows[-1].cells
               for run in cell.paragraphs[0].runs)  # fmt: skip
    assert rows(table_with(document, "Lý do dừng trợ giúp")) == [
        ["Lý do dừng trợ giúp", "Số địa chỉ"],
        ["Đã thoát nghèo", "1"],
        ["Tổng cộng", "1"],
    ]


def test_beneficiary_groups(document: DocxDocument) -> None:
    assert rows(table_with(document, "Nhóm đối tượng"))[1:] == [
        ["Người cao tuổi", "1"],
        ["Người khuyết tật", "1"],
        ["Nạn nhân chất độc da cam", "0"],
        ["Hộ nghèo", "2"],
        ["Hộ cận nghèo", "0"],
        ["Gia đình chính sách", "0"],
        ["Người dân tộc thiểu số", "0"],
        ["Phụ nữ nghèo", "0"],
    ]


def test_steering_figures_come_from_the_assessments(document: DocxDocument) -> None:
    facts = [p for p in after(document, "a) Về công tác chỉ đạo") if not p.runs[0].italic]
    assert [p.text for p in facts] == [
        "Theo bản đánh giá của các đơn vị (10 đơn vị trực thuộc): 2/10 đơn vị đã thành lập Ban "
        "Chỉ đạo; 1/10 đơn vị được UBND ban hành văn bản chỉ đạo; 1/10 đơn vị có mô hình tiêu "
        "biểu, cách làm sáng tạo; 2/10 đơn vị thực hiện đúng quy trình, hướng dẫn của Trung ương "
        "Hội; 8/10 đơn vị chưa có bản đánh giá."
    ]


def test_a_commune_describes_each_model_with_its_objective_method_results_and_effect(
    filled: Store,
) -> None:
    data, settings = filled.dataset(), filled.office.settings
    document = build_report(data, "25456", PERIOD, settings, ON)
    assert after(document, "II. CÁC MÔ HÌNH CÔNG TÁC XÃ HỘI NHÂN ĐẠO")[0].text == (
        "Hội Chữ thập đỏ Phường 1 đang thực hiện 1 mô hình (ngân hàng bò, nuôi bò sinh sản xoay "
        "vòng: 1):"
    )
    cows = [p.text for p in after(document, "1.1. Ngân hàng bò Phường 1")]
    assert cows == [
        "- Đơn vị thực hiện: Phường 1; bắt đầu từ ngày 01/01/2010.",
        "- Mục tiêu của mô hình: Giúp hộ nghèo có sinh kế.",
        "- Nội dung và cách thức triển khai, thực hiện: Hội viên góp vốn mua bò.",
        "Bê con giao hộ khác.",
        "- Kết quả thực hiện: Đã trao 12 con bò.",
        "- Hiệu ứng xã hội lan tỏa: Nhiều hộ thoát nghèo.",
    ]
    # A commune's models are in the body: it has no list of models in an annex.
    assert [t for t in paragraphs(document) if t.startswith("PHỤ LỤC")] == ["PHỤ LỤC"]
    other = build_report(data, "25459", PERIOD, settings, ON)
    house = after(other, "1.1. Nhà tình thương cho người cao tuổi")
    assert house[1].text == "- Mục tiêu của mô hình: Mỗi năm một căn nhà."
    for paragraph in house[2:]:
        assert paragraph.text.endswith(MISSING_FIELD)
        assert paragraph.runs[-1].italic
    assert not any("Tủ bánh mì" in text or "đã xoá" in text for text in paragraphs(document))


def test_a_city_groups_its_models_by_type_and_lists_them_in_annex_2(
    document: DocxDocument,
) -> None:
    assert after(document, "II. CÁC MÔ HÌNH CÔNG TÁC XÃ HỘI NHÂN ĐẠO")[0].text == (
        "Toàn thành phố có 2 mô hình công tác xã hội nhân đạo đang thực hiện tại 2 đơn vị (nhà "
        "Chữ thập đỏ, nhà tình thương: 1; ngân hàng bò, nuôi bò sinh sản xoay vòng: 1). Danh "
        "sách từng mô hình (tên, đơn vị thực hiện, mục tiêu, cách thức, kết quả, hiệu ứng xã "
        "hội lan tỏa) ở Phụ lục 2."
    )
    cows = after(document, "2. Mô hình Ngân hàng bò/Nuôi bò sinh sản xoay vòng")
    assert [p.text for p in cows] == [
        "- 1 mô hình tại 1 đơn vị: Phường 1; bắt đầu năm 2010.",
        "- Kết quả cộng lại từ số liệu ghi trong hồ sơ các mô hình: đã trao 12 con bò (1/1 mô "
        "hình).",
        "Đánh giá chung về mục tiêu, cách thức triển khai và hiệu ứng xã hội lan tỏa của các mô "
        "hình; nêu mô hình tiêu biểu.",
    ]
    assert all(run.italic for run in cows[-1].runs)
    house = after(document, "1. Mô hình nhà Chữ thập đỏ/nhà tình thương")
    assert house[0].text == "- 1 mô hình tại 1 đơn vị: Phường 3."
    assert house[1].text == (
        "- Kết quả: hồ sơ các mô hình không ghi số liệu cộng được; xem từng mô hình ở Phụ lục 2."
    )
    texts = paragraphs(document)
    assert "PHỤ LỤC 1" in texts and "PHỤ LỤC 2" in texts
    assert "DANH SÁCH MÔ HÌNH CÔNG TÁC XÃ HỘI NHÂN ĐẠO ĐANG THỰC HIỆN ĐẾN NGÀY 31/12/2018" in texts
    annex = rows(document.tables[-1])
    assert annex[0] == ["STT", "Tên mô hình", "Đơn vị thực hiện (ngày bắt đầu)",
                        "Mục tiêu của mô hình", "Nội dung và cách thức triển khai, thực hiện",
                        "Kết quả thực hiện", "Hiệu ứng xã hội lan tỏa"]  # fmt: skip
    assert annex[1] == ["1. Mô hình nhà Chữ thập đỏ/nhà tình thương (1 mô hình)"] * 7  # merged
    assert annex[2] == ["1", "Nhà tình thương cho người cao tuổi", "Phường 3",
                        "Mỗi năm một căn nhà.", "(chưa ghi)", "(chưa ghi)", "(chưa ghi)"]  # fmt: skip
    assert annex[4] == ["2", "Ngân hàng bò Phường 1", "Phường 1 (từ 01/01/2010)",
                        "Giúp hộ nghèo có sinh kế.", "Hội viên góp vốn mua bò. Bê con giao hộ khác.",
                        "Đã trao 12 con bò.", "Nhiều hộ thoát nghèo."]  # fmt: skip
    assert len(annex) == 5
    assert document.sections[-1].orientation == WD_ORIENT.LANDSCAPE
    # A type's heading row never ends a page without its first model; nor a table's lead-in.
    heading_row = document.tables[-1].rows[1].cells[0].paragraphs[0]
    assert heading_row.paragraph_format.keep_with_next
    lead = paragraph_starting(document, "+ Số địa chỉ được trợ giúp mới trong từng năm")
    assert lead.paragraph_format.keep_with_next


def test_results_add_up_clause_by_clause() -> None:
    results = [
        "Đã xây mới 12 căn, sửa chữa 3 căn nhà.",
        "Đã xây mới 1.200 căn, sửa chữa 2 căn nhà. Từ năm 2010 đến nay.",
        "Đã cứu trợ kịp thời 4 đợt thiên tai, hỏa hoạn.",
        "Đã cứu trợ kịp thời 5 đợt thiên tai, hỏa hoạn; Phường 1 và 2 xã.",
    ]
    # «Từ năm 2010» is no quantity; «Phường 1 và 2 xã» has two numbers; a clause of one model
    # alone among several is left out.
    assert added_results(results) == [
        ("Đã xây mới 1.212 căn", 2),
        ("sửa chữa 5 căn nhà", 2),
        ("Đã cứu trợ kịp thời 9 đợt thiên tai, hỏa hoạn", 2),
    ]
    assert added_results(["Đã phục vụ hơn 45.000 suất ăn."]) == [
        ("Đã phục vụ hơn 45.000 suất ăn", 1)
    ]
    assert added_results(["Hiệu quả tốt.", ""]) == []


def summary_table(document: DocxDocument) -> list[list[str]]:
    """Phụ lục 1, the summary table: the table whose third row numbers its columns."""
    (table,) = [t for t in document.tables if len(t.rows) > 2 and t.rows[2].cells[0].text == "1"
                and t.rows[2].cells[1].text == "2"]  # fmt: skip
    return rows(table)


def test_the_annex_is_the_summary_table(filled: Store, document: DocxDocument) -> None:
    table = summary_table(document)
    assert table[0][0] == "STT" and table[0][3] == "Số địa chỉ được trợ giúp"
    assert table[0][1] == "Xã, phường, thị trấn, trường học, đơn vị trực thuộc"
    assert table[1][3:6] == ["Hội Chữ thập đỏ trợ giúp", "Các tổ chức, cá nhân khác trợ giúp",
                             "Tổng cộng"]  # fmt: skip
    assert table[2] == ["1", "2", "3", "4", "5", "6 = 4+5", "7", "8"]
    expected = tally(filled.dataset(), "703", PERIOD).summary_json()
    body = table[3:]
    assert len(body) == len(expected) == 11
    for line, row in zip(body, expected, strict=True):
        assert line[1] == row["name"]
        assert line[2:] == [f"{row[c]:,}".replace(",", ".") for c in ("3", "4", "5", "6", "7", "8")]
    assert body[0] == ["1", "Phường 1", "2", "1", "1", "2", "5", "5.500.000"]
    assert body[-1] == ["", "Tổng cộng", "3", "2", "1", "3", "6", "6.500.000"]


# ----------------------------------------------------------------------- the layout


def test_a4_margins_and_font_of_official_documents(document: DocxDocument) -> None:
    body, annex, models = document.sections
    assert (round(body.page_width.mm), round(body.page_height.mm)) == (210, 297)
    assert body.orientation == WD_ORIENT.PORTRAIT
    # Stored in twentieths of a point: compare in millimetres to a tenth.
    mm = lambda length: round(length.mm, 1)  # noqa: E731
    assert 20 <= mm(body.top_margin) <= 25 and 20 <= mm(body.bottom_margin) <= 25
    assert 30 <= mm(body.left_margin) <= 35 and 15 <= mm(body.right_margin) <= 20
    assert annex.orientation == models.orientation == WD_ORIENT.LANDSCAPE
    assert (round(annex.page_width.mm), round(annex.page_height.mm)) == (297, 210)
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert Pt(13) <= normal.font.size <= Pt(14)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {
        "Times New Roman"
    }
    for level in (1, 2, 3, 4):
        heading = document.styles[f"Heading {level}"]
        assert heading.font.name == "Times New Roman" and heading.font.size == Pt(14)
        assert heading.element.rPr.find(qn("w:rFonts")).get(qn("w:asciiTheme")) is None
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            assert run.font.name in (None, "Times New Roman")


def test_page_numbers_from_page_two_centred_at_the_top(document: DocxDocument) -> None:
    body, annex, models = document.sections
    assert body.different_first_page_header_footer
    assert all(not p.text for p in body.first_page_header.paragraphs)
    header = body.header.paragraphs[0]
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    instructions = [t.text for t in header._p.iter(qn("w:instrText"))]
    assert instructions == [" PAGE "]
    kinds = [c.get(qn("w:fldCharType")) for c in header._p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    # The annex keeps numbering, on its first page too.
    for section in (annex, models):
        assert not section.different_first_page_header_footer
        assert section.header.is_linked_to_previous


def test_all_text_is_nfc(filled: Store, tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.docx"
    write_report(path, filled.dataset(), "703", PERIOD, filled.office.settings, ON)
    document = Document(str(path))
    texts = paragraphs(document) + [
        c.text for t in document.tables for r in t.rows for c in r.cells
    ]
    assert all(unicodedata.is_normalized("NFC", text) for text in texts)
    assert "Tây Ninh, ngày 05 tháng 11 năm 2018" in "\n".join(texts)


def test_a_commune_reports_on_itself_and_a_province_to_the_central_red_cross(
    filled: Store,
) -> None:
    commune = build_report(filled.dataset(), "25456", PERIOD, filled.office.settings, TODAY)
    left = [p.text for p in commune.tables[0].rows[0].cells[0].paragraphs if p.text]
    assert left[:2] == ["HỘI CHỮ THẬP ĐỎ THÀNH PHỐ TÂY NINH", "HỘI CHỮ THẬP ĐỎ PHƯỜNG 1"]
    assert "Phường 1, ngày 29 tháng 11 năm 2026" in commune.tables[0].rows[0].cells[1].text
    assert [p.text for p in after(commune, "a) Về công tác chỉ đạo") if not p.runs[0].italic] == [
        "Theo bản đánh giá của Hội Chữ thập đỏ Phường 1: Ban Chỉ đạo: có; văn bản chỉ đạo của UBND: có; mô hình "
        "tiêu biểu, cách làm sáng tạo: có; thực hiện đúng quy trình, hướng dẫn của Trung ương "
        "Hội: có."
    ]
    province = build_report(filled.dataset(), "72", PERIOD, filled.office.settings, TODAY)
    left = [p.text for p in province.tables[0].rows[0].cells[0].paragraphs if p.text]
    assert left[:2] == ["TRUNG ƯƠNG HỘI CHỮ THẬP ĐỎ VIỆT NAM", "HỘI CHỮ THẬP ĐỎ TỈNH TÂY NINH"]
    # At the province, each district row of the survey table covers several communes.
    survey = rows(table_with(province, "STT"))
    assert survey[1] == ["1", "Thành phố Tây Ninh", "10", "2", "20,0%"]


def test_a_unit_without_models_keeps_the_outline_prompt(store: Store) -> None:
    document = build_report(store.dataset(), "705", PERIOD, store.office.settings, ON)
    models = after(document, "II. CÁC MÔ HÌNH CÔNG TÁC XÃ HỘI NHÂN ĐẠO")
    assert models[0].text == "Chưa có mô hình nào được ghi trong hồ sơ đến ngày 31/12/2018."
    assert models[1].runs[0].italic


# ----------------------------------------------------------------------- demo data and LibreOffice


@pytest.fixture(scope="module")
def district_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    demo = write_demo(tmp_path_factory.mktemp("demo") / "store", seed=3, scale="district")
    yield demo
    demo.close()


def test_the_demo_reports_figures_agree_with_the_tally(
    district_demo: Store, tmp_path: Path
) -> None:
    data, settings = district_demo.dataset(), district_demo.office.settings
    result = tally(data, "703", PERIOD)
    document = build_report(data, "703", PERIOD, settings, ON)
    total = result.total
    number = lambda n: f"{n:,}".replace(",", ".")  # noqa: E731
    assert paragraph_starting(document, "+ Tổng số địa chỉ được lập hồ sơ").text == (
        f"+ Tổng số địa chỉ được lập hồ sơ trợ giúp: {number(total.dossiers)} địa chỉ, trong đó "
        f"{number(total.dossier_individuals)} cá nhân và {number(total.dossier_collectives)} tập "
        f"thể; tổng số {number(total.dossier_people)} người."
    )
    *years, period = rows(table_with(document, "Năm"))[1:]
    flows = [
        [f.year, f.helped, f.new, f.continued, f.resumed, len(f.stopped), len(f.lapsed)]
        for f in result.years
    ]
    assert [[int(v.replace(".", "")) for v in line] for line in years] == flows
    # The period: the addresses helped, each once; every new address is new once.
    sums = [sum(flow[column] for flow in flows) for column in range(2, 7)]
    assert period == ["Cả giai đoạn", number(total.helped), *map(number, sums)]
    assert sums[0] == total.helped
    reasons = rows(table_with(document, "Lý do dừng trợ giúp"))
    assert reasons[-1] == ["Tổng cộng", number(sums[3])]
    # The award scores' "helped" is the table's column 6, address for address.
    helped = helped_addresses(data, PERIOD)
    unit_of = {a["id"]: a["unit"] for a in data.addresses if not a.get("deleted")}
    for row in result.rows:
        within = set(data.units.subtree(row.unit)) if row.unit != "703" else {"703"}
        assert sum(1 for a in helped if unit_of[a] in within) == row.helped
    annex = summary_table(document)[3:]
    assert [line[2:] for line in annex] == [
        [number(row[c]) for c in ("3", "4", "5", "6", "7", "8")] for row in result.summary_json()
    ]


# ----------------------------------------------------------------------- every level


def left_lines(document: DocxDocument) -> list[str]:
    return [p.text for p in document.tables[0].rows[0].cells[0].paragraphs if p.text]


def widest(kind: str) -> str:
    """The unit of `kind` of the national list whose chapter's name prints widest."""
    units = [u for u in gazetteer.all_units() if u["kind"] == kind]
    return max(units, key=lambda u: text_width(f"HỘI CHỮ THẬP ĐỎ {u['name'].upper()}"))["code"]


def empty_report(code: str, settings: dict | None = None) -> DocxDocument:
    units = UnitTree(gazetteer.province_units(gazetteer.province_of(code) or code))
    return build_report(Dataset(units=units), code, PERIOD, settings or {}, ON)


@pytest.mark.parametrize(
    ("kind", "left", "date_line"),
    [
        ("province", ["TRUNG ƯƠNG HỘI CHỮ THẬP ĐỎ VIỆT NAM", "HỘI CHỮ THẬP ĐỎ",
                      "THÀNH PHỐ HỒ CHÍ MINH"],
         ["Thành phố Hồ Chí Minh,", "ngày 05 tháng 11 năm 2018"]),
        ("district", ["HỘI CHỮ THẬP ĐỎ TỈNH NINH THUẬN", "HỘI CHỮ THẬP ĐỎ",
                      "THÀNH PHỐ PHAN RANG-THÁP CHÀM"],
         ["Phan Rang-Tháp Chàm,", "ngày 05 tháng 11 năm 2018"]),
        ("commune", ["HỘI CHỮ THẬP ĐỎ HUYỆN VỊ XUYÊN", "HỘI CHỮ THẬP ĐỎ",
                     "THỊ TRẤN NÔNG TRƯỜNG VIỆT LÂM"],
         ["Nông Trường Việt Lâm,", "ngày 05 tháng 11 năm 2018"]),
    ],
)  # fmt: skip
def test_the_longest_names_of_the_country_break_after_the_red_cross(
    kind: str, left: list[str], date_line: list[str]
) -> None:
    """A chapter's name too long for its column takes two lines, «HỘI CHỮ THẬP ĐỎ» and the
    place; a date line too long at 13 pt breaks after the place. No line is cut elsewhere."""
    document = empty_report(widest(kind))
    assert left_lines(document) == [*left, "Số:        /BC-CTĐ"]
    right = [p for p in document.tables[0].rows[0].cells[1].paragraphs if p.text]
    assert [p.text for p in right[2:]] == date_line
    assert all(p.runs[0].italic for p in right[2:])
    sizes = {p.runs[0].font.size for p in right[2:]}
    assert sizes == {Pt(13) if len(date_line) > 1 else Pt(14)}
    for paragraph in document.tables[0].rows[0].cells[0].paragraphs:
        for run in paragraph.runs:
            assert run.font.size == Pt(12)
            assert text_width(run.text, style="bold" if run.bold else "regular") <= HEADER_ROOM


def test_tay_ninh_names_and_the_central_red_cross_keep_to_one_line() -> None:
    assert left_lines(empty_report("72"))[:2] == [
        "TRUNG ƯƠNG HỘI CHỮ THẬP ĐỎ VIỆT NAM", "HỘI CHỮ THẬP ĐỎ TỈNH TÂY NINH"
    ]  # fmt: skip
    assert left_lines(empty_report("25486"))[:2] == [
        "HỘI CHỮ THẬP ĐỎ HUYỆN TÂN BIÊN", "HỘI CHỮ THẬP ĐỎ THỊ TRẤN TÂN BIÊN"
    ]  # fmt: skip
    # The widest district of Tây Ninh is too wide for one line of 12 pt bold.
    assert left_lines(empty_report("707"))[1:3] == ["HỘI CHỮ THẬP ĐỎ", "HUYỆN DƯƠNG MINH CHÂU"]
    header = document_xml(empty_report("72"))
    # Wider than the text, the header block is centred on the page: 18.8 cm, 1.1 cm each side.
    assert '<w:tblW w:w="10658" w:type="dxa"/>' in header
    assert '<w:tblInd w:w="-1077" w:type="dxa"/>' in header  # 3 cm - 1.9 cm from the edge


def document_xml(document: DocxDocument) -> str:
    return document.element.xml


def signature_block(document: DocxDocument) -> tuple[list[str], list[Paragraph]]:
    (table,) = [t for t in document.tables if t.rows[0].cells[0].text.startswith("Nơi nhận")]
    left, right = table.rows[0].cells
    return [p.text for p in left.paragraphs], right.paragraphs


def test_recipients_and_the_signer_come_from_the_settings(filled: Store) -> None:
    settings = {**filled.office.document_settings, "signer_name": "Nguyễn Văn Hùng",
                "recipients": ["Trung ương Hội CTĐ Việt Nam (để báo cáo)", "Tỉnh ủy"]}  # fmt: skip
    province = build_report(filled.dataset(), "72", PERIOD, settings, ON)
    recipients, signer = signature_block(province)
    assert recipients == ["Nơi nhận:", "- Trung ương Hội CTĐ Việt Nam (để báo cáo);",
                          "- Tỉnh ủy;", "- Lưu: VT."]  # fmt: skip
    assert [p.text for p in signer] == ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "", "", "", "",
                                        "Nguyễn Văn Hùng"]  # fmt: skip
    assert all(p.runs[0].bold for p in signer if p.text)
    # The settings are the office's (the province's): a district's report keeps the defaults.
    district = build_report(filled.dataset(), "703", PERIOD, settings, ON)
    recipients, signer = signature_block(district)
    assert recipients == ["Nơi nhận:", "- Hội Chữ thập đỏ tỉnh Tây Ninh (để báo cáo);",
                          "- Thành ủy thành phố Tây Ninh;", "- UBND thành phố Tây Ninh;",
                          "- Hội Chữ thập đỏ các xã, phường, thị trấn;", "- Lưu: VT."]  # fmt: skip
    assert signer[-1].text == "……………………………" and not signer[-1].runs[0].bold


def test_the_province_cites_the_guidance_and_its_plan_too(filled: Store) -> None:
    document = build_report(filled.dataset(), "72", PERIOD, filled.office.settings, ON)
    intro = paragraph_starting(document, "Thực hiện ")
    assert intro.text.startswith(
        f"Thực hiện {GUIDANCE}; Kế hoạch số 61/KH-CTĐ ngày 16/10/2018 của Hội Chữ thập đỏ tỉnh "
        "Tây Ninh, Hội Chữ thập đỏ tỉnh Tây Ninh báo cáo kết quả 10 năm"
    )
    # The office may cite other documents; another period cites nothing by default.
    settings = {**filled.office.settings, "basis": ["Công văn số 12/CV-CTĐ ngày 01/10/2018"]}
    cited = build_report(filled.dataset(), "72", PERIOD, settings, ON)
    assert paragraph_starting(cited, "Thực hiện ").text.startswith(
        "Thực hiện Công văn số 12/CV-CTĐ ngày 01/10/2018, Hội Chữ thập đỏ tỉnh Tây Ninh báo cáo"
    )
    later = build_report(filled.dataset(), "72", Period(2019, 2020), filled.office.settings, ON)
    assert paragraph_starting(later, "Hội Chữ thập đỏ tỉnh Tây Ninh báo cáo kết quả").text


def test_the_files_properties_name_the_report_the_office_and_the_time(filled: Store) -> None:
    before = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
    settings = filled.office.document_settings
    document = build_report(filled.dataset(), "703", PERIOD, settings, ON)
    after_ = datetime.now(timezone.utc).replace(tzinfo=None)
    core = document.core_properties
    assert core.title == (
        "Báo cáo tổng kết 10 năm Cuộc vận động “Mỗi tổ chức, mỗi cá nhân gắn với một địa chỉ "
        "nhân đạo”, giai đoạn 2008-2018 - Thành phố Tây Ninh"
    )
    assert core.subject == (
        "Tổng kết Cuộc vận động và các mô hình công tác xã hội nhân đạo, giai đoạn 2008-2018, "
        "Hội Chữ thập đỏ thành phố Tây Ninh"
    )
    # Written by the office (the province), whichever unit the report is of.
    assert core.author == core.last_modified_by == "Hội Chữ thập đỏ tỉnh Tây Ninh"
    assert core.language == "vi-VN" and core.revision == 1 and core.category == "Báo cáo"
    assert "python-docx" not in core.comments and core.comments.startswith("Dự thảo báo cáo")
    assert core.keywords.startswith("Cuộc vận động; địa chỉ nhân đạo;")
    for moment in (core.created, core.modified):
        assert before <= moment.replace(tzinfo=None) <= after_


def twins(store: Store) -> Store:
    """A model and an address in each of the two «Xã Tân Bình» of Tây Ninh."""
    store.save_many([
        ("address", address("t1", unit="25474")), ("address", address("t2", unit="25495")),
        ("model", {"id": "k1", "unit": "25474", "type": "charity_kitchen", "name": "Bếp «Yêu thương»",
                   "results": "Đã phục vụ 2.000 suất ăn."}),
        ("model", {"id": "k2", "unit": "25495", "type": "charity_kitchen", "name": "Bếp 0 đồng",
                   "results": "Đã phục vụ 3.000 suất ăn."}),
        ("model", {"id": "k3", "unit": "705", "type": "charity_kitchen", "name": "Bếp huyện"}),
    ])  # fmt: skip
    return store


def test_units_of_one_name_are_told_apart_by_their_district(store: Store) -> None:
    tree = store.dataset().units
    assert unit_label(tree, "25474", ["25474", "25495"]) == "Xã Tân Bình (Thành phố Tây Ninh)"
    assert unit_label(tree, "25495", ["25474", "25495"]) == "Xã Tân Bình (Tân Biên)"
    assert unit_label(tree, "25495", ["25495", "25489"]) == "Xã Tân Bình"
    document = build_report(twins(store).dataset(), "72", PERIOD, store.office.settings, ON)
    kitchens = after(document, "1. Mô hình bếp ăn tình thương/bữa ăn tình thương")
    assert kitchens[0].text == (
        "- 3 mô hình tại 3 đơn vị: Xã Tân Bình (Thành phố Tây Ninh), Hội Chữ thập đỏ huyện Tân "
        "Biên, Xã Tân Bình (Tân Biên)."
    )
    assert kitchens[1].text == (
        "- Kết quả cộng lại từ số liệu ghi trong hồ sơ các mô hình: đã phục vụ 5.000 suất ăn "
        "(2/3 mô hình)."
    )
    annex = rows(document.tables[-1])
    assert [line[1:3] for line in annex[2:]] == [
        ["Bếp “Yêu thương”", "Xã Tân Bình (Thành phố Tây Ninh)"],
        ["Bếp huyện", "Hội Chữ thập đỏ huyện Tân Biên"],
        ["Bếp 0 đồng", "Xã Tân Bình (Tân Biên)"],
    ]
    texts = paragraphs(document) + [
        c.text for t in document.tables for r in t.rows for c in r.cells
    ]
    assert not any("«" in text or "»" in text for text in texts)


def test_each_level_speaks_for_itself(filled: Store, document: DocxDocument) -> None:
    data, settings = filled.dataset(), filled.office.settings
    province = build_report(data, "72", PERIOD, settings, ON)
    assert after(province, "II. CÁC MÔ HÌNH CÔNG TÁC XÃ HỘI NHÂN ĐẠO")[0].text.startswith(
        "Toàn tỉnh có 2 mô hình công tác xã hội nhân đạo đang thực hiện tại 2 đơn vị"
    )
    # The rows of the province's tables are its districts and units.
    assert summary_table(province)[0][1] == "Huyện, thành phố, đơn vị trực thuộc"
    assert rows(table_with(province, "STT"))[0][1] == "Huyện, thành phố, đơn vị trực thuộc"
    assert summary_table(document)[0][1] == "Xã, phường, thị trấn, trường học, đơn vị trực thuộc"
    total = tally(data, "72", PERIOD).total
    survey = rows(table_with(province, "STT"))
    assert survey[-1] == ["", "Tổng cộng", f"{total.grassroots:,}".replace(",", "."), "2",
                          f"{200 / total.grassroots:.1f}%".replace(".", ",")]  # fmt: skip
    commune = build_report(data, "25456", PERIOD, settings, ON)
    assert paragraph_starting(commune, "+ Hội Chữ thập đỏ").text == (
        "+ Hội Chữ thập đỏ Phường 1 đã hoàn thành việc khảo sát lập hồ sơ địa chỉ; đã khảo sát "
        "2 địa chỉ."
    )
    targets = [p.text for p in after(commune, "2. Chỉ tiêu")]
    assert len(targets) == 4 and not any("cơ sở Hội" in t for t in targets)
    assert summary_table(commune)[0][1] == "Xã, phường, thị trấn, trường học, đơn vị trực thuộc"
    # Who the figures are of: the whole province, the whole city, the commune's chapter.
    for report, who in ((province, "toàn tỉnh"), (document, "toàn thành phố"),
                        (commune, "Hội Chữ thập đỏ Phường 1")):  # fmt: skip
        assert paragraph_starting(report, "Số liệu từ hồ sơ: ").text.startswith(
            f"Số liệu từ hồ sơ: {who} có "
        )
    assert paragraph_starting(province, "+ Toàn tỉnh có ").text.endswith("đã khảo sát 4 địa chỉ.")
