"""The report draft read back with python-docx: the outline in order, the figures, the layout."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table
from factories import TODAY, address, aid, helper

from campaign.dates import Period
from campaign.tally import helped_addresses, tally
from exporters.report import MISSING_FIELD, build_report, write_report
from store.demo import write_demo
from store.store import Store

PERIOD = Period(2008, 2018)
ON = date(2018, 11, 5)

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
    (2, "1. Mô hình nhà Chữ thập đỏ/nhà tình thương"),
    (3, "1.1. Nhà tình thương cho người cao tuổi"),
    (2, "2. Mô hình Ngân hàng bò/Nuôi bò sinh sản xoay vòng"),
    (3, "2.1. Ngân hàng bò Phường 1"),
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
    assert texts[title + 3].startswith(
        "Thực hiện Kế hoạch số 61/KH-CTĐ ngày 16/10/2018 của Hội Chữ thập đỏ tỉnh Tây Ninh, "
        "Hội Chữ thập đỏ thành phố Tây Ninh báo cáo kết quả 10 năm"
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
    survey = paragraph_starting(document, "+ Có ")
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
    assert paragraph_starting(document, "+ Có ").text == (
        "+ Có 2/10 cơ sở Hội (đạt 20,0%) đã hoàn thành việc khảo sát lập hồ sơ địa chỉ; "
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
                        "Trợ giúp lại", "Dừng trợ giúp", "Không được trợ giúp, chưa ghi dừng",
                        "Lý do dừng (số địa chỉ)"]  # fmt: skip
    # a1 is not helped in 2011 and a4 in 2013 and 2015, none stopped: not stops. a2 stopped on
    # 2012-06-01 with its reason: a stop of 2012 (not a lapse of 2012 as well).
    assert table[1:9] == [
        ["2008", "0", "0", "0", "0", "0", "0", ""],
        ["2009", "1", "1", "0", "0", "0", "0", ""],
        ["2010", "2", "1", "1", "0", "0", "0", ""],
        ["2011", "1", "0", "1", "0", "0", "1", ""],
        ["2012", "1", "1", "0", "0", "1", "0", "Đã thoát nghèo: 1"],
        ["2013", "0", "0", "0", "0", "0", "1", ""],
        ["2014", "1", "0", "0", "1", "0", "0", ""],
        ["2015", "0", "0", "0", "0", "0", "1", ""],
    ]
    assert len(table) == 12  # header and 2008–2018


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


def test_every_model_with_its_name_objective_method_results_and_effect(
    document: DocxDocument,
) -> None:
    cows = [p.text for p in after(document, "2.1. Ngân hàng bò Phường 1")]
    assert cows == [
        "- Đơn vị thực hiện: Phường 1; bắt đầu từ ngày 01/01/2010.",
        "- Mục tiêu của mô hình: Giúp hộ nghèo có sinh kế.",
        "- Nội dung và cách thức triển khai, thực hiện: Hội viên góp vốn mua bò.",
        "Bê con giao hộ khác.",
        "- Kết quả thực hiện: Đã trao 12 con bò.",
        "- Hiệu ứng xã hội lan tỏa: Nhiều hộ thoát nghèo.",
    ]
    house = after(document, "1.1. Nhà tình thương cho người cao tuổi")
    assert house[1].text == "- Mục tiêu của mô hình: Mỗi năm một căn nhà."
    for paragraph in house[2:]:
        assert paragraph.text.endswith(MISSING_FIELD)
        assert paragraph.runs[-1].italic
    assert not any("Tủ bánh mì" in text or "đã xoá" in text for text in paragraphs(document))


def test_the_annex_is_the_summary_table(filled: Store, document: DocxDocument) -> None:
    table = rows(document.tables[-1])
    assert table[0][0] == "STT" and table[0][3] == "Số địa chỉ được trợ giúp"
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
    body, annex = document.sections
    assert (round(body.page_width.mm), round(body.page_height.mm)) == (210, 297)
    assert body.orientation == WD_ORIENT.PORTRAIT
    # Stored in twentieths of a point: compare in millimetres to a tenth.
    mm = lambda length: round(length.mm, 1)  # noqa: E731
    assert 20 <= mm(body.top_margin) <= 25 and 20 <= mm(body.bottom_margin) <= 25
    assert 30 <= mm(body.left_margin) <= 35 and 15 <= mm(body.right_margin) <= 20
    assert annex.orientation == WD_ORIENT.LANDSCAPE
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
    body, annex = document.sections
    assert body.different_first_page_header_footer
    assert all(not p.text for p in body.first_page_header.paragraphs)
    header = body.header.paragraphs[0]
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    instructions = [t.text for t in header._p.iter(qn("w:instrText"))]
    assert instructions == [" PAGE "]
    kinds = [c.get(qn("w:fldCharType")) for c in header._p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    # The annex keeps numbering, on its first page too.
    assert not annex.different_first_page_header_footer
    assert annex.header.is_linked_to_previous


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
        "Theo bản đánh giá của đơn vị: Ban Chỉ đạo: có; văn bản chỉ đạo của UBND: có; mô hình "
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
    years = rows(table_with(document, "Năm"))[1:]
    assert [[int(v.replace(".", "")) for v in line[:7]] for line in years] == [
        [f.year, f.helped, f.new, f.continued, f.resumed, len(f.stopped), len(f.lapsed)]
        for f in result.years
    ]
    # The award scores' "helped" is the table's column 6, address for address.
    helped = helped_addresses(data, PERIOD)
    unit_of = {a["id"]: a["unit"] for a in data.addresses if not a.get("deleted")}
    for row in result.rows:
        within = set(data.units.subtree(row.unit)) if row.unit != "703" else {"703"}
        assert sum(1 for a in helped if unit_of[a] in within) == row.helped
    annex = rows(document.tables[-1])[3:]
    assert [line[2:] for line in annex] == [
        [number(row[c]) for c in ("3", "4", "5", "6", "7", "8")] for row in result.summary_json()
    ]


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_renders_the_report_with_page_numbers(
    district_demo: Store, tmp_path: Path
) -> None:
    path = tmp_path / "bao-cao.docx"
    data = district_demo.dataset()
    write_report(path, data, "703", PERIOD, district_demo.office.settings, ON)
    subprocess.run(
        ["libreoffice", "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "bao-cao.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000
    if shutil.which("pdftotext") is None:
        return
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout.split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) > 3
    # No number on the first page; the others start with theirs.
    assert pages[0].lstrip().startswith("HỘI CHỮ THẬP ĐỎ TỈNH TÂY NINH")
    for number, page in enumerate(pages[1:], start=2):
        assert page.strip().split()[0] == str(number)
    assert "PHỤ LỤC" in pages[-1] and "Tổng cộng" in pages[-1]
