"""The review report draft (Báo cáo tổng kết) as a Word document, following the plan's outline.

The document follows the outline (Đề cương báo cáo) of Kế hoạch 61/KH-CTĐ section by section:
I. results (context, steering, communication and resources, the figures), II. the models,
III. assessment, IV. direction, V. recommendations, then the summary table as an annex. Figures
come from the records (`campaign.report`, `campaign.tally`) as sentences and tables; where the
outline asks for judgement the heading stays and the outline's prompt is printed in italics for
staff to replace with their own text.

The layout follows the rules for official documents (Nghị định 30/2020/NĐ-CP): A4, Times New
Roman 14 pt, margins top and bottom 20 mm, left 30 mm, right 15 mm, the national header, page
numbers centred at the top from the second page on.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from campaign.awards import Share
from campaign.dataset import Dataset
from campaign.dates import Period, format_date
from campaign.money import format_money, format_number
from campaign.report import ReportFigures, report_figures
from campaign.tally import NO_HELPER
from campaign.text import collation_key, nfc, visible
from campaign.units import UnitTree
from campaign.vocab import GROUPS, HELPER_KINDS, MODEL_TYPES, NO_STOP_REASON
from exporters.letterhead import letterhead
from store.files import write_atomic

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
TABLE_SIZE = Pt(12)
HEADER_SIZE = Pt(12)
MOTTO_SIZE = Pt(13)
PAGE_NUMBER_SIZE = Pt(13)
# Nghị định 30/2020: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
MARGIN_TOP = MARGIN_BOTTOM = Mm(20)
MARGIN_LEFT, MARGIN_RIGHT = Mm(30), Mm(15)
A4_WIDTH, A4_HEIGHT = Mm(210), Mm(297)
FIRST_LINE_INDENT = Cm(1)
SPACE_AFTER = Pt(6)

CAMPAIGN = "“Mỗi tổ chức, mỗi cá nhân gắn với một địa chỉ nhân đạo”"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
# The outline's eight groups are always listed, with 0 where nobody was helped; the other
# groups only when someone was.
OUTLINE_GROUPS = (
    "elderly", "disabled", "agent_orange", "poor", "near_poor", "policy_family",
    "ethnic_minority", "poor_women",
)  # fmt: skip
# How the outline names each type of model (II.1–6), typos of the scan fixed.
MODEL_HEADINGS = {
    "red_cross_house": "Mô hình nhà Chữ thập đỏ/nhà tình thương",
    "charity_kitchen": "Mô hình bếp ăn tình thương/bữa ăn tình thương",
    "cow_bank": "Mô hình Ngân hàng bò/Nuôi bò sinh sản xoay vòng",
    "relief_warehouse": "Mô hình Kho hàng cứu trợ khẩn cấp và trợ giúp nhân đạo",
    "rotating_livestock": "Mô hình chăn nuôi xoay vòng/gây quỹ",
    "other": "Các mô hình khác đang thực hiện",
}
MODEL_FIELDS = (
    ("objective", "Mục tiêu của mô hình"),
    ("method", "Nội dung và cách thức triển khai, thực hiện"),
    ("results", "Kết quả thực hiện"),
    ("effect", "Hiệu ứng xã hội lan tỏa"),
)
MISSING_FIELD = "(chưa ghi trong hồ sơ mô hình; đề nghị bổ sung)"


def write_report(
    path: Path,
    data: Dataset,
    unit: str,
    period: Period,
    settings: Mapping[str, Any],
    on: date,
) -> None:
    """Write the report draft of `unit` over `period`, dated `on`, to `path` atomically."""
    buffer = io.BytesIO()
    build_report(data, unit, period, settings, on).save(buffer)
    write_atomic(Path(path), buffer.getvalue())


def build_report(
    data: Dataset,
    unit: str,
    period: Period,
    settings: Mapping[str, Any],
    on: date,
) -> DocxDocument:
    """The report draft as a python-docx document."""
    figures = report_figures(data, unit, period)
    writer = _Writer(data.units, unit, period, settings, on, figures)
    writer.write()
    return writer.document


def years_phrase(period: Period) -> str:
    """«10 năm » for 2008–2018 (reviews count anniversaries); nothing for a year or two."""
    span = period.year_to - period.year_from
    return f"{span} năm " if span > 1 else ""


class _Writer:
    """Builds the document top to bottom; one method per part of the outline."""

    def __init__(
        self,
        tree: UnitTree,
        unit: str,
        period: Period,
        settings: Mapping[str, Any],
        on: date,
        figures: ReportFigures,
    ) -> None:
        self.tree = tree
        self.unit = unit
        self.period = period
        self.settings = settings
        self.on = on
        self.figures = figures
        self.head = letterhead(tree, unit, settings, period)
        self.chapter = self.head.chapter
        self.chapter_text = self.head.chapter_text
        self.document = Document()

    # ------------------------------------------------------------------ the parts

    def write(self) -> None:
        self._setup()
        self._header_block()
        self._title()
        self._results()
        self._models()
        self._assessment()
        self._direction()
        self._recommendations()
        self._signature()
        self._annex()
        core = self.document.core_properties
        core.title = nfc(f"Báo cáo tổng kết Cuộc vận động, giai đoạn {self.period.label()}")
        core.author = visible(self.chapter_text)
        core.language = "vi-VN"

    def _header_block(self) -> None:
        # A little wider than the text: the long names keep to one line more often.
        table = self._layout_table([Cm(8.0), Cm(9.3)])
        left, right = table.rows[0].cells
        self._cell_line(left, self.head.superior, size=HEADER_SIZE)
        self._cell_line(left, self.chapter, bold=True, size=HEADER_SIZE, first=False)
        self._rule(left, Cm(2.8))
        self._cell_line(left, "Số:        /BC-CTĐ", size=HEADER_SIZE, first=False)
        self._cell_line(right, NATION, bold=True, size=HEADER_SIZE)
        self._cell_line(right, MOTTO, bold=True, size=MOTTO_SIZE, first=False)
        self._rule(right, Cm(2.4))
        self._cell_line(
            right, self.head.date_line(self.on), italic=True, size=BODY_SIZE, first=False
        )

    def _title(self) -> None:
        title = self._paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, before=Pt(18))
        self._run(title, "BÁO CÁO", bold=True)
        subject = self._paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, after=Pt(0))
        self._run(
            subject,
            f"Tổng kết {years_phrase(self.period)}triển khai, thực hiện Cuộc vận động {CAMPAIGN} "
            f"và các mô hình công tác xã hội nhân đạo, giai đoạn {self.period.label()}",
            bold=True,
        )
        self._rule(self.document, Cm(5.5), after=Pt(12))
        intro = self._paragraph()
        reference = str(self.settings.get("plan_reference") or "").removeprefix("Kèm theo ")
        lead = (
            f"Thực hiện {reference}, {self.chapter_text}"
            if reference and self.tree[self.unit]["kind"] != "province"
            else self.chapter_text
        )
        self._run(
            intro,
            f"{lead} báo cáo kết quả {years_phrase(self.period)}triển khai, thực hiện Cuộc vận "
            f"động {CAMPAIGN} và các mô hình công tác xã hội nhân đạo, giai đoạn "
            f"{self.period.label()} như sau:",
        )

    def _results(self) -> None:
        total = self.figures.tally.total
        self._heading(1, "I. KẾT QUẢ THỰC HIỆN CUỘC VẬN ĐỘNG")
        self._heading(2, "1. Bối cảnh thực hiện Cuộc vận động")
        self._prompt(
            "Sơ lược về tình hình của địa phương/đơn vị; nêu những thuận lợi, khó khăn của địa "
            "phương/đơn vị để thấy được sự cần thiết triển khai, thực hiện Cuộc vận động."
        )
        self._heading(2, f"2. Kết quả {years_phrase(self.period)}thực hiện")

        self._heading(3, "a) Về công tác chỉ đạo")
        for prompt in (
            "Đánh giá sự chỉ đạo của cấp ủy Đảng, chính quyền đối với Cuộc vận động.",
            "Đánh giá công tác tham mưu của các cấp Hội cho cấp ủy Đảng, chính quyền chỉ đạo "
            "Cuộc vận động.",
            "Đánh giá việc thành lập Ban Bảo trợ, nhóm, câu lạc bộ, đội hoạt động nhân đạo, trợ "
            "giúp xã hội của đơn vị/địa phương.",
            "Đánh giá kết quả hướng dẫn và kiểm tra Cuộc vận động trong tổ chức Hội tại địa "
            "phương/đơn vị.",
            "Đánh giá sự phối hợp triển khai Cuộc vận động với các ban, ngành, đoàn thể, các tổ "
            "chức, cá nhân tại địa phương/đơn vị; những kinh nghiệm để có sự phối hợp triển khai "
            "tốt.",
        ):
            self._prompt(f"- {prompt}")
        self._text(self._steering_facts())

        self._heading(3, "b) Công tác tuyên truyền, vận động nguồn lực")
        self._prompt(
            "- Đánh giá công tác tuyên truyền Cuộc vận động (các nội dung, hình thức, cách thức "
            "thực hiện và kết quả đạt được)."
        )
        self._prompt(
            "- Đánh giá công tác vận động nguồn lực phục vụ cho các hoạt động của Cuộc vận động "
            "tại địa phương; nêu rõ cách thức và nội dung thực hiện."
        )
        registered, active = total.helpers, total.active_helpers
        self._text(
            f"Số liệu từ hồ sơ: có {format_number(registered['red_cross'])} cán bộ, hội viên, "
            f"tình nguyện viên, thanh thiếu niên và tổ chức Hội cùng "
            f"{format_number(registered['outside'])} tổ chức, cá nhân khác đăng ký gắn địa chỉ "
            f"nhân đạo; trong giai đoạn {self.period.label()} có "
            f"{format_number(active['red_cross'])} người, tổ chức của Hội và "
            f"{format_number(active['outside'])} tổ chức, cá nhân khác đã trực tiếp trợ giúp. "
            f"Tổng giá trị nguồn lực vận động được tính vào Cuộc vận động: "
            f"{format_money(total.value)}."
        )

        self._heading(3, "c) Kết quả cụ thể")
        self._heading(4, "- Kết quả khảo sát lập hồ sơ đối tượng:")
        self._survey()
        self._heading(4, "- Kết quả trợ giúp:")
        self._help()
        self._year_by_year()
        self._groups()

    def _steering_facts(self) -> str:
        assessments = self.figures.assessments
        flags, n = assessments.flags, assessments.chapters
        if not self.tree.children(self.unit):
            if assessments.missing:
                return "Đơn vị chưa có bản đánh giá (Ban Chỉ đạo, mô hình tiêu biểu, hướng dẫn)."
            return (
                f"Theo bản đánh giá của đơn vị: Ban Chỉ đạo: {_yes(flags['steering_board'])}; "
                f"văn bản chỉ đạo của UBND: {_yes(flags['directive'])}; mô hình tiêu biểu, cách "
                f"làm sáng tạo: {_yes(flags['typical_model'])}; thực hiện đúng quy trình, hướng "
                f"dẫn của Trung ương Hội: {_yes(flags['followed_guidance'])}."
            )
        text = (
            f"Theo bản đánh giá của các đơn vị ({format_number(n)} đơn vị trực thuộc): "
            f"{flags['steering_board']}/{n} đơn vị đã thành lập Ban Chỉ đạo; "
            f"{flags['directive']}/{n} đơn vị được UBND ban hành văn bản chỉ đạo; "
            f"{flags['typical_model']}/{n} đơn vị có mô hình tiêu biểu, cách làm sáng tạo; "
            f"{flags['followed_guidance']}/{n} đơn vị thực hiện đúng quy trình, hướng dẫn của "
            f"Trung ương Hội"
        )
        if assessments.missing:
            text += f"; {assessments.missing}/{n} đơn vị chưa có bản đánh giá"
        return text + "."

    def _survey(self) -> None:
        total = self.figures.tally.total
        grassroots = Share(total.grassroots_surveyed, total.grassroots)
        if grassroots.whole:
            self._text(
                f"+ Có {format_number(grassroots.part)}/{format_number(grassroots.whole)} cơ sở "
                f"Hội (đạt {grassroots.percent('nearest')}) đã hoàn thành việc khảo sát lập hồ "
                f"sơ địa chỉ; đã khảo sát {format_number(self.figures.surveyed)} địa chỉ."
            )
        else:
            self._text(
                f"+ Đơn vị không có cơ sở Hội trực thuộc; đã khảo sát "
                f"{format_number(self.figures.surveyed)} địa chỉ."
            )
        rows = [r for r in self.figures.tally.rows if r.grassroots]
        if any(r.grassroots > 1 for r in rows):
            self._table(
                ["STT", "Đơn vị", "Số cơ sở Hội", "Đã khảo sát, lập hồ sơ", "Tỉ lệ"],
                [
                    [
                        str(number),
                        row.name,
                        format_number(row.grassroots),
                        format_number(row.grassroots_surveyed),
                        Share(row.grassroots_surveyed, row.grassroots).percent("nearest"),
                    ]
                    for number, row in enumerate(rows, start=1)
                ],
                [Cm(1.2), Cm(6.8), Cm(2.6), Cm(3.4), Cm(2.4)],
                numeric_from=2,
            )
        self._prompt(
            "Nêu các phương pháp, kênh thông tin sử dụng để khảo sát, nắm bắt tình hình của đối "
            "tượng."
        )
        self._text(
            f"+ Tổng số địa chỉ được lập hồ sơ trợ giúp: {format_number(total.dossiers)} địa chỉ, "
            f"trong đó {format_number(total.dossier_individuals)} cá nhân và "
            f"{format_number(total.dossier_collectives)} tập thể; tổng số "
            f"{format_number(total.dossier_people)} người."
        )

    def _help(self) -> None:
        total = self.figures.tally.total
        self._text(
            f"+ Đã trợ giúp {format_number(total.helped)} địa chỉ, gồm "
            f"{format_number(total.helped_individuals)} cá nhân và "
            f"{format_number(total.helped_collectives)} tập thể "
            f"({format_number(total.collective_people)} người); tổng số người được trợ giúp: "
            f"{format_number(total.people)} người; tổng giá trị trợ giúp: "
            f"{format_money(total.value)}. Trong đó {format_number(total.red_cross)} địa chỉ do "
            f"cán bộ, hội viên, tình nguyện viên, thanh thiếu niên Chữ thập đỏ và tổ chức Hội trợ "
            f"giúp; {format_number(total.outside)} địa chỉ do các tổ chức, cá nhân đăng ký trợ "
            f"giúp theo sự giới thiệu của Hội Chữ thập đỏ."
        )
        kinds = total.helper_kinds
        rows: list[tuple[str, int, bool]] = [
            ("Hội Chữ thập đỏ trợ giúp (cột 4 bảng tổng hợp)", total.red_cross, True),
            *[
                (f"- {HELPER_KINDS[kind]}", kinds[kind], False)
                for kind in ("staff", "member", "volunteer", "youth", "chapter")
            ],
            (
                "Các tổ chức, cá nhân khác trợ giúp theo sự giới thiệu của Hội (cột 5)",
                total.outside,
                True,
            ),
            *[
                (f"- {HELPER_KINDS[kind]}", kinds[kind], False)
                for kind in ("organisation", "individual")
            ],
        ]
        if kinds[NO_HELPER]:
            rows.append(("Không ghi người trợ giúp", kinds[NO_HELPER], False))
        rows.append(("Tổng số địa chỉ được trợ giúp (cột 6)", total.helped, True))
        table = self._table(
            ["Người trợ giúp", "Số địa chỉ được trợ giúp"],
            [[label, format_number(count)] for label, count, _ in rows],
            [Cm(12), Cm(4.5)],
            numeric_from=1,
        )
        for row, (_label, _count, bold) in zip(table.rows[1:], rows, strict=True):
            if bold:
                _bold_row(row.cells)
        self._text(
            "Số địa chỉ theo từng loại người trợ giúp được đếm riêng cho mỗi loại: một địa chỉ "
            "được nhiều loại người trợ giúp có mặt ở nhiều dòng. Cột 4 và cột 5 thì tính mỗi địa "
            "chỉ một lần: địa chỉ có Hội Chữ thập đỏ trợ giúp được tính vào cột 4.",
            size=Pt(13),
            italic=False,
        )
        excluded = total.excluded_total
        if excluded.count:
            self._text(
                f"Ngoài ra, {format_number(excluded.count)} lần trợ giúp trị giá "
                f"{format_money(excluded.value)} không tính vào giá trị Cuộc vận động (hỗ trợ "
                f"khẩn cấp, chưa có địa chỉ cụ thể, hỗ trợ tổ chức Hội, truyền thông, nguồn lực "
                f"của cuộc vận động khác)."
            )

    def _year_by_year(self) -> None:
        self._text(
            "+ Số địa chỉ được trợ giúp mới trong từng năm, số địa chỉ của năm trước tiếp tục "
            "được trợ giúp, số địa chỉ đã dừng hỗ trợ và lý do:"
        )
        rows = []
        for flow in self.figures.tally.years:
            # Reasons on record first, the most frequent first; «chưa ghi lý do» last.
            reasons = sorted(
                flow.stop_reasons.items(),
                key=lambda item: (item[0] == NO_STOP_REASON, -item[1], collation_key(item[0])),
            )
            rows.append(
                [
                    str(flow.year),
                    format_number(flow.helped),
                    format_number(flow.new),
                    format_number(flow.continued),
                    format_number(flow.resumed),
                    format_number(len(flow.stopped)),
                    format_number(len(flow.lapsed)),
                    "; ".join(f"{reason}: {format_number(count)}" for reason, count in reasons),
                ]
            )
        self._table(
            [
                "Năm",
                "Địa chỉ được trợ giúp",
                "Trợ giúp mới",
                "Năm trước tiếp tục",
                "Trợ giúp lại",
                "Dừng trợ giúp",
                "Không được trợ giúp, chưa ghi dừng",
                "Lý do dừng (số địa chỉ)",
            ],
            rows,
            [Cm(1.3), Cm(1.8), Cm(1.5), Cm(1.7), Cm(1.5), Cm(1.5), Cm(2.2), Cm(5.0)],
            numeric_from=1,
            numeric_to=6,
        )
        self._text(
            "Trợ giúp mới: lần đầu được trợ giúp; năm trước tiếp tục: được trợ giúp cả năm trước; "
            "trợ giúp lại: được trợ giúp sau ít nhất một năm gián đoạn; dừng trợ giúp: ngày dừng "
            "ghi trong hồ sơ thuộc năm đó, kèm lý do; không được trợ giúp, chưa ghi dừng: được "
            "trợ giúp năm trước, năm đó không, hồ sơ chưa ghi dừng (không tính là dừng).",
            size=Pt(13),
        )
        self._prompt("Phân tích số liệu: xu hướng qua các năm, nguyên nhân dừng hỗ trợ.")

    def _groups(self) -> None:
        total = self.figures.tally.total
        self._prompt("+ Khái quát các cách làm hay, sáng tạo mang tính phát triển bền vững.")
        self._text("+ Đối tượng hưởng lợi: số địa chỉ được trợ giúp theo từng nhóm đối tượng:")
        shown = [g for g in GROUPS if g in OUTLINE_GROUPS or total.groups[g]]
        rows = [[GROUPS[g], format_number(total.groups[g])] for g in shown]
        if total.ungrouped:
            rows.append(["Không thuộc nhóm nào", format_number(total.ungrouped)])
        self._table(
            ["Nhóm đối tượng", "Số địa chỉ được trợ giúp"], rows, [Cm(12), Cm(4.5)], numeric_from=1
        )
        self._text("Một địa chỉ thuộc nhiều nhóm đối tượng được tính ở mỗi nhóm.", size=Pt(13))

    def _models(self) -> None:
        figures = self.figures
        self._heading(1, "II. CÁC MÔ HÌNH CÔNG TÁC XÃ HỘI NHÂN ĐẠO")
        if not figures.models:
            self._text(
                f"Chưa có mô hình nào được ghi trong hồ sơ đến ngày {format_date(self.period.end)}."
            )
            self._prompt(
                "Nêu tất cả mô hình đang thực hiện tại địa phương/đơn vị: tên mô hình, mục tiêu, "
                "nội dung và cách thức triển khai, thực hiện, kết quả thực hiện, hiệu ứng xã hội "
                "lan tỏa."
            )
            return
        counts = "; ".join(
            f"{_lower_first(MODEL_TYPES[kind])}: {len(models)}"
            for kind, models in figures.models.items()
        )
        self._text(
            f"Đơn vị đang thực hiện {format_number(figures.model_count)} mô hình ({counts}):"
        )
        for number, (kind, models) in enumerate(figures.models.items(), start=1):
            self._heading(2, f"{number}. {MODEL_HEADINGS[kind]}")
            for position, model in enumerate(models, start=1):
                self._heading(3, f"{number}.{position}. {model['name']}")
                where = f"Đơn vị thực hiện: {self.tree.name(model['unit'])}"
                if model.get("started_on"):
                    where += f"; bắt đầu từ ngày {format_date(model['started_on'])}"
                self._text(f"- {where}.")
                for key, label in MODEL_FIELDS:
                    self._labelled(label, model.get(key))

    def _assessment(self) -> None:
        self._heading(1, "III. ĐÁNH GIÁ")
        self._heading(2, "1. Đánh giá chung")
        self._prompt("Đánh giá khái quát kèm các số liệu cụ thể.")
        self._heading(2, "2. Hạn chế")
        self._prompt("Nêu những hạn chế trong triển khai, thực hiện Cuộc vận động và các mô hình.")
        self._heading(2, "3. Nguyên nhân hạn chế")
        self._prompt("Nêu nguyên nhân khách quan, chủ quan của những hạn chế.")
        self._heading(2, "4. Bài học kinh nghiệm")
        self._prompt("Nêu những bài học kinh nghiệm rút ra sau quá trình thực hiện.")

    def _direction(self) -> None:
        figures, total = self.figures, self.figures.tally.total
        label = self.period.label()
        self._heading(1, "IV. PHƯƠNG HƯỚNG TRIỂN KHAI THỜI GIAN TỚI")
        self._heading(2, "1. Mục tiêu")
        self._prompt("Tuyên truyền, quán triệt sâu rộng Cuộc vận động và các mô hình.")
        self._heading(2, "2. Chỉ tiêu")
        targets = (
            ("Chỉ tiêu khảo sát đối tượng", f"{format_number(figures.surveyed)} địa chỉ"),
            (
                "Chỉ tiêu số đối tượng được lập hồ sơ thành địa chỉ giới thiệu",
                f"{format_number(total.dossiers)} địa chỉ",
            ),
            ("Chỉ tiêu số địa chỉ được trợ giúp", f"{format_number(total.helped)} địa chỉ"),
            (
                "Chỉ tiêu vận động tổ chức, cá nhân trợ giúp địa chỉ nhân đạo",
                f"{format_number(total.active_helpers['outside'])} tổ chức, cá nhân",
            ),
            (
                "Chỉ tiêu cơ sở Hội trợ giúp",
                f"{format_number(figures.chapters_helping)}/{format_number(total.grassroots)} "
                "cơ sở Hội",
            ),
        )
        for target, baseline in targets:
            paragraph = self._paragraph()
            self._run(paragraph, f"- {target}: ")
            self._run(paragraph, "(ghi chỉ tiêu)", italic=True)
            self._run(paragraph, f"; giai đoạn {label} đạt {baseline}.")
        self._heading(2, "3. Giải pháp")
        for solution in (
            "Về công tác chỉ đạo.",
            "Về công tác tuyên truyền.",
            "Về công tác vận động nguồn lực.",
            "Về hình thức trợ giúp các địa chỉ.",
        ):
            self._prompt(f"- {solution}")

    def _recommendations(self) -> None:
        self._heading(1, "V. KIẾN NGHỊ, ĐỀ XUẤT")
        for heading in (
            "1. Đối với Đảng, Nhà nước",
            "2. Đối với Trung ương Hội",
            "3. Đối với cấp ủy Đảng, chính quyền",
        ):
            self._heading(2, heading)
            self._prompt("Nêu các kiến nghị, đề xuất.")
        closing = self._paragraph(before=Pt(12))
        self._run(
            closing,
            f"Trên đây là báo cáo tổng kết {years_phrase(self.period)}triển khai, thực hiện Cuộc "
            f"vận động {CAMPAIGN} và các mô hình công tác xã hội nhân đạo, giai đoạn "
            f"{self.period.label()} của {self.chapter_text}./.",
        )

    def _signature(self) -> None:
        self._paragraph(after=Pt(0))
        table = self._layout_table([Cm(7.5), Cm(9)])
        left, right = table.rows[0].cells
        flush = WD_ALIGN_PARAGRAPH.LEFT
        self._cell_line(left, "Nơi nhận:", bold=True, italic=True, size=Pt(12), align=flush)
        for line in self.head.recipient_lines:
            self._cell_line(left, line, size=Pt(11), first=False, align=flush)
        self._cell_line(right, "TM. BAN THƯỜNG VỤ", bold=True, size=HEADER_SIZE)
        self._cell_line(right, "CHỦ TỊCH", bold=True, size=HEADER_SIZE, first=False)

    def _annex(self) -> None:
        document = self.document
        section = document.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = A4_HEIGHT, A4_WIDTH
        section.different_first_page_header_footer = False
        result = self.figures.tally
        heading = self._paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        self._run(heading, "PHỤ LỤC", bold=True)
        title = self._paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, after=Pt(0))
        span = years_phrase(self.period).upper()
        self._run(
            title,
            f"BẢNG TỔNG HỢP KẾT QUẢ {span}TRIỂN KHAI, THỰC HIỆN CUỘC VẬN ĐỘNG "
            f"{CAMPAIGN.upper()} GIAI ĐOẠN {self.period.label()}",
            bold=True,
        )
        note = self._paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        self._run(
            note,
            f"(Kèm theo Báo cáo số        /BC-CTĐ ngày {format_date(self.on)} của "
            f"{self.chapter_text})",
            italic=True,
            size=Pt(13),
        )
        widths = [Cm(1.3), Cm(7.2), Cm(2.6), Cm(2.8), Cm(2.8), Cm(2.4), Cm(2.6), Cm(3.5)]
        table = document.add_table(rows=3, cols=8)
        table.style = document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        headers = {
            0: "STT",
            1: "Xã, phường, thị trấn, trường học, đơn vị trực thuộc",
            2: "Số địa chỉ được lập hồ sơ",
            6: "Tổng số người được trợ giúp",
            7: "Tổng giá trị trợ giúp (đồng)",
        }
        top, middle, numbers = table.rows
        for column, text in headers.items():
            merged = top.cells[column].merge(middle.cells[column])
            self._cell_text(merged, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        center = WD_ALIGN_PARAGRAPH.CENTER
        helped = top.cells[3].merge(top.cells[5])
        self._cell_text(helped, "Số địa chỉ được trợ giúp", bold=True, align=center)
        for column, text in (
            (3, "Hội Chữ thập đỏ trợ giúp"),
            (4, "Các tổ chức, cá nhân khác trợ giúp"),
            (5, "Tổng cộng"),
        ):
            self._cell_text(middle.cells[column], text, bold=True, align=center)
        for column, text in enumerate(("1", "2", "3", "4", "5", "6 = 4+5", "7", "8")):
            self._cell_text(numbers.cells[column], text, italic=True, align=center)
        for row in (top, middle, numbers):
            _repeat_as_header(row)
        lines = [
            [str(n), row.name, *[format_number(v) for v in row.columns().values()]]
            for n, row in enumerate(result.rows, start=1)
        ]
        totals = result.total.columns().values()
        lines.append(["", "Tổng cộng", *[format_number(v) for v in totals]])
        for values in lines:
            cells = table.add_row().cells
            for column, value in enumerate(values):
                align = WD_ALIGN_PARAGRAPH.LEFT if column == 1 else WD_ALIGN_PARAGRAPH.RIGHT
                if column == 0:
                    align = WD_ALIGN_PARAGRAPH.CENTER
                self._cell_text(cells[column], value, align=align)
        _bold_row(table.rows[-1].cells)
        _set_widths(table, widths)
        remark = self._paragraph(before=Pt(6))
        self._run(remark, "Ghi chú cột 7: ", bold=True, italic=True, size=Pt(12))
        self._run(
            remark,
            "Địa chỉ nhân đạo được trợ giúp có thể là cá nhân hoặc tập thể (hộ gia đình, trường "
            "học...). Tổng số người được trợ giúp được tính là các cá nhân và số người trong các "
            "tập thể được trợ giúp.",
            italic=True,
            size=Pt(12),
        )
        excluded = result.total.excluded_total
        if excluded.count:
            left_out = self._paragraph()
            self._run(
                left_out,
                f"Không tính vào cột 8 (không thuộc giá trị Cuộc vận động): "
                f"{format_number(excluded.count)} lần trợ giúp, {format_money(excluded.value)}.",
                italic=True,
                size=Pt(12),
            )

    # ------------------------------------------------------------------ building blocks

    def _setup(self) -> None:
        document = self.document
        styles = document.styles
        normal = styles["Normal"]
        _set_font(normal.element, FONT)
        normal.font.size = BODY_SIZE
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.line_spacing = 1.15
        for level in (1, 2, 3, 4):
            style = styles[f"Heading {level}"]
            _set_font(style.element, FONT)
            font = style.font
            font.size = BODY_SIZE
            font.bold = True
            font.italic = False
            font.color.rgb = None
            format_ = style.paragraph_format
            format_.space_before = Pt(6)
            format_.space_after = Pt(3)
            format_.first_line_indent = FIRST_LINE_INDENT
            format_.keep_with_next = True
            format_.line_spacing = 1.15
            _drop_color(style.element)
        section = document.sections[0]
        section.page_width, section.page_height = A4_WIDTH, A4_HEIGHT
        section.orientation = WD_ORIENT.PORTRAIT
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
        section.header_distance = Mm(10)
        section.footer_distance = Mm(10)
        # The first page carries no number: its header is empty. The others: PAGE, centred.
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False
        header = section.header
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_field(paragraph, PAGE_NUMBER_SIZE)

    def _paragraph(
        self,
        *,
        align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent: bool = True,
        before: Pt | None = None,
        after: Pt | None = SPACE_AFTER,
    ) -> Paragraph:
        paragraph = self.document.add_paragraph()
        paragraph.alignment = align
        format_ = paragraph.paragraph_format
        if indent:
            format_.first_line_indent = FIRST_LINE_INDENT
        if before is not None:
            format_.space_before = before
        if after is not None:
            format_.space_after = after
        return paragraph

    @staticmethod
    def _run(
        paragraph: Paragraph,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        size: Pt | None = None,
    ) -> Run:
        # Names come from people and files: a control character (which the XML of a document
        # cannot hold) or a direction override shows as its placeholder, as on screen.
        run = paragraph.add_run(visible(nfc(text), lines=True))
        if bold:
            run.bold = True
        if italic:
            run.italic = True
        if size is not None:
            run.font.size = size
        return run

    def _heading(self, level: int, text: str) -> Paragraph:
        paragraph = self.document.add_paragraph(style=f"Heading {level}")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        self._run(paragraph, text)
        return paragraph

    def _text(self, text: str, *, size: Pt | None = None, italic: bool = False) -> Paragraph:
        paragraph = self._paragraph()
        self._run(paragraph, text, size=size, italic=italic)
        return paragraph

    def _prompt(self, text: str) -> Paragraph:
        """The outline's prompt, in italics: staff replace it with their own text."""
        paragraph = self._paragraph()
        self._run(paragraph, text, italic=True)
        return paragraph

    def _labelled(self, label: str, value: str | None) -> None:
        lines = [line.strip() for line in (value or "").splitlines() if line.strip()]
        paragraph = self._paragraph()
        self._run(paragraph, f"- {label}: ")
        if not lines:
            self._run(paragraph, MISSING_FIELD, italic=True)
            return
        self._run(paragraph, lines[0])
        for line in lines[1:]:
            self._run(self._paragraph(), line)

    def _table(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence[str]],
        widths: Sequence[Cm],
        *,
        numeric_from: int,
        numeric_to: int | None = None,
    ) -> Table:
        document = self.document
        table = document.add_table(rows=1, cols=len(headers))
        table.style = document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            self._cell_text(cell, header, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _repeat_as_header(table.rows[0])
        last = len(headers) - 1 if numeric_to is None else numeric_to
        for values in rows:
            cells = table.add_row().cells
            for column, value in enumerate(values):
                align = (
                    WD_ALIGN_PARAGRAPH.RIGHT
                    if numeric_from <= column <= last
                    else WD_ALIGN_PARAGRAPH.CENTER
                    if column == 0 and headers[0] in ("STT", "Năm")
                    else WD_ALIGN_PARAGRAPH.LEFT
                )
                self._cell_text(cells[column], value, align=align)
        _set_widths(table, widths)
        # Room between a table and the text that follows it.
        self._paragraph(after=Pt(0))
        return table

    def _cell_text(
        self,
        cell: _Cell,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT,
    ) -> None:
        paragraph = cell.paragraphs[0]
        paragraph.alignment = align
        paragraph.paragraph_format.line_spacing = 1.0
        paragraph.paragraph_format.space_before = Pt(2)
        paragraph.paragraph_format.space_after = Pt(2)
        self._run(paragraph, text, bold=bold, italic=italic, size=TABLE_SIZE)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    def _layout_table(self, widths: Sequence[Cm]) -> Table:
        """A table without borders that lays out two blocks side by side."""
        table = self.document.add_table(rows=1, cols=len(widths))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _set_widths(table, widths)
        return table

    def _cell_line(
        self,
        cell: _Cell,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        size: Pt = BODY_SIZE,
        first: bool = True,
        align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    ) -> Paragraph:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        paragraph.alignment = align
        paragraph.paragraph_format.line_spacing = 1.0
        paragraph.paragraph_format.space_after = Pt(0)
        self._run(paragraph, text, bold=bold, italic=italic, size=size)
        return paragraph

    def _rule(self, container: Any, indent: Cm, *, after: Pt = SPACE_AFTER) -> Paragraph:
        """A short centred line: a bottom border on an empty paragraph, shortened by indents."""
        paragraph = container.add_paragraph()
        format_ = paragraph.paragraph_format
        format_.left_indent = format_.right_indent = indent
        format_.first_line_indent = Cm(0)
        format_.space_before = Pt(0)
        format_.space_after = after
        format_.line_spacing = Pt(2)
        border = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
            bottom.set(qn(f"w:{key}"), value)
        border.append(bottom)
        paragraph._p.get_or_add_pPr().append(border)
        return paragraph


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _yes(count: int) -> str:
    return "có" if count else "chưa"


def _set_font(element: Any, name: str) -> None:
    """Set a style's font for every script, dropping the theme fonts that would override it."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")


def _drop_color(element: Any) -> None:
    rpr = element.get_or_add_rPr()
    for color in rpr.findall(qn("w:color")):
        rpr.remove(color)


def _page_field(paragraph: Paragraph, size: Pt) -> None:
    """A PAGE field: Word and LibreOffice put the page's number in its place."""
    parts: list[tuple[str, str | None]] = [
        ("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "2"), ("end", None),
    ]  # fmt: skip
    for kind, value in parts:
        run = paragraph.add_run()
        run.font.size = size
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = value
            run._r.append(instr)
        elif kind == "text":
            run.text = value or ""
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def _repeat_as_header(row: Any) -> None:
    """Repeat the row at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _set_widths(table: Table, widths: Sequence[Cm]) -> None:
    # Word reads the cell widths, LibreOffice the grid: set both, and fix the layout.
    table.autofit = False
    for row in table.rows:
        # A row never breaks across pages: half a row reads as an empty one.
        properties = row._tr.get_or_add_trPr()
        if properties.find(qn("w:cantSplit")) is None:
            properties.insert(0, OxmlElement("w:cantSplit"))  # before tblHeader, as the schema asks
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(int(width.twips)))


def _bold_row(cells: Sequence[_Cell]) -> None:
    for cell in cells:
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.bold = True
