"""The review report draft (Báo cáo tổng kết) as a Word document, following the plan's outline.

The document follows the outline (Đề cương báo cáo) of Kế hoạch 61/KH-CTĐ section by section:
I. results (context, steering, communication and resources, the figures), II. the models,
III. assessment, IV. direction, V. recommendations, then the summary table as an annex. Figures
come from the records (`campaign.report`, `campaign.tally`) as sentences and tables; where the
outline asks for judgement the heading stays and the outline's prompt is printed in italics for
staff to replace with their own text.

A commune (a unit without units below) describes its models one by one in section II. A
district or a province groups them by type there (how many, where, since when, their results
added up: `added_results`) and lists every model in a second annex, on landscape pages. The
sentences of figures speak for the level: «Toàn tỉnh có …», «Toàn huyện …», or the commune's
chapter. Units of one name in a list carry their district (`letterhead.unit_label`).

The layout follows the rules for official documents (Nghị định 30/2020/NĐ-CP): A4, Times New
Roman 14 pt, margins top and bottom 20 mm, left 30 mm, right 15 mm, the national header, page
numbers centred at the top from the second page on.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timezone
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
from campaign.tally import NO_HELPER, Row
from campaign.text import collation_key, nfc, visible
from campaign.units import UnitTree
from campaign.vocab import GROUPS, HELPER_KINDS, MODEL_TYPES, NO_STOP_REASON
from exporters.letterhead import chapter_in_text as letterhead_text
from exporters.letterhead import letterhead, unit_label
from exporters.workbook import rows_heading
from store.files import write_atomic

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
TABLE_SIZE = Pt(12)
ANNEX_SIZE = Pt(10)  # the list of models: four columns of prose on a landscape page
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
# The header block: two columns of 9.4 cm, wider together than the text (16.5 cm), the table
# centred on the page, with narrow cell margins, so that the central Red Cross's name (8.78 cm
# at 12 pt) and the national title (8.83 cm in bold) each keep to one line. A chapter's name
# longer than its column breaks after «HỘI CHỮ THẬP ĐỎ» (Nghị định 30 lets a long name take
# several lines); a date line too long at 14 pt is set at 13 pt, and breaks after the place if
# still too long. Measured with the widths below.
HEADER_WIDTHS = (Cm(9.4), Cm(9.4))
HEADER_CELL_MARGIN = Cm(0.1)
HEADER_ROOM = 9.1  # cm a line may take in a column: the cell less its margins and a reserve
DATE_SIZES = (Pt(14), Pt(13))
CHAPTER_PREFIX = "HỘI CHỮ THẬP ĐỎ "
# Advance widths of Times New Roman (as its metric twin Liberation Serif), thousandths of an em,
# for the characters 32–126 then Đ đ Ư ư Ơ ơ; other Vietnamese letters are as wide as their
# base letter.
_WIDTH_CHARS = "".join(map(chr, range(32, 127))) + "ĐđƯưƠơ"
_WIDTHS = {
    "regular": (
        250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500,
        500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667,
        722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722,
        722, 944, 722, 722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500,
        500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500,
        444, 480, 200, 480, 541, 722, 500, 776, 542, 722, 529,
    ),
    "bold": (
        250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500,
        500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722,
        722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722,
        722, 1000, 722, 722, 667, 333, 278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500,
        556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500,
        444, 394, 220, 394, 520, 722, 556, 796, 600, 778, 554,
    ),
    "italic": (
        250, 333, 420, 500, 500, 833, 778, 214, 333, 333, 500, 675, 250, 333, 250, 278, 500, 500,
        500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 675, 675, 675, 500, 920, 611, 611, 667,
        722, 611, 611, 722, 722, 333, 444, 667, 556, 833, 667, 722, 611, 722, 611, 500, 556, 722,
        611, 833, 611, 556, 556, 389, 278, 389, 422, 500, 333, 500, 500, 444, 500, 444, 278, 500,
        500, 278, 278, 444, 278, 722, 500, 500, 500, 500, 389, 389, 278, 500, 444, 667, 444, 444,
        389, 400, 275, 400, 541, 722, 500, 754, 545, 722, 534,
    ),
}  # fmt: skip


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


def scope_phrase(tree: UnitTree, code: str) -> str:
    """Who a sentence of figures speaks for: «Toàn tỉnh», «Toàn huyện», «Toàn thành phố» for a
    unit with units below, the chapter itself («Hội Chữ thập đỏ xã Tân Lập») otherwise."""
    if not tree.children(code):
        return letterhead_text(tree, code)
    name = tree.name(code)
    for prefix in ("Tỉnh", "Thành phố", "Thị xã", "Huyện", "Quận"):
        if name.startswith(f"{prefix} "):
            return f"Toàn {prefix.lower()}"
    return f"Toàn {letterhead_text(tree, code)}"


# Units a number may follow that make it no quantity: «năm 2010», «Phường 1», «ấp 3».
_NOT_QUANTITIES = {"năm", "ngày", "tháng", "quý", "số", "phường", "ấp", "tổ", "khu", "khóm",
                   "thứ", "lần", "đợt thứ", "giai đoạn"}  # fmt: skip
_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d.,]?\d)|(?<![\d.,])\d+(?![\d,]|\.\d)")
_SENTENCES = re.compile(r";\s*|\.(?!\d)\s*|\n+")


def _clauses(text: str) -> list[str]:
    """The clauses of a text: its sentences, cut at commas before a part with a number
    («Đã xây mới 12 căn, sửa chữa 3 căn nhà»), not in a list of words («thiên tai, hỏa hoạn»)."""
    clauses: list[str] = []
    for sentence in _SENTENCES.split(text):
        parts = sentence.split(",")
        clauses.append(parts[0])
        for part in parts[1:]:
            if _NUMBER.search(part):
                clauses.append(part)
            else:
                clauses[-1] += f",{part}"
    return [clause.strip() for clause in clauses if clause.strip()]


def added_results(texts: Sequence[str]) -> list[tuple[str, int]]:
    """The figures of several models' results added up, clause by clause.

    A model's results are written as prose («Đã trao 12 con bò, 5 hộ đã thoát nghèo.»): the
    records hold no numeric field. A clause with one number is a quantity of its words («Đã trao
    … con bò»); the same words in several models' results add up («Đã trao 40 con bò»), with how
    many models gave it. A number after «năm», «ngày», «Phường»… is no quantity and a clause of
    one model alone among several is left out, as is a clause with two numbers."""
    sums: dict[tuple[str, str], list] = {}
    for text in texts:
        seen: set[tuple[str, str]] = set()
        for clause in _clauses(nfc(text)):
            numbers = list(_NUMBER.finditer(clause))
            if len(numbers) != 1:
                continue
            (number,) = numbers
            before, after = clause[: number.start()].strip(), clause[number.end() :].strip()
            last = before.split()[-1].casefold() if before.split() else ""
            if last in _NOT_QUANTITIES or " ".join(before.split()[-2:]).casefold() in (
                _NOT_QUANTITIES
            ):
                continue
            key = (" ".join(before.casefold().split()), " ".join(after.casefold().split()))
            if key in seen:
                continue
            seen.add(key)
            entry = sums.setdefault(key, [before, after, 0, 0])
            entry[2] += int(number.group().replace(".", ""))
            entry[3] += 1
    least = 2 if len(texts) > 1 else 1
    return [
        (" ".join(part for part in (before, format_number(total), after) if part), count)
        for before, after, total, count in sums.values()
        if count >= least
    ]


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
        # A unit with units below reports on all of them: its models are grouped by type in
        # the body and listed one by one in a second annex.
        self.grouped = bool(tree.children(unit))
        self.rows_heading = rows_heading(tree, unit)
        self.scope = scope_phrase(tree, unit)
        self.models_annex = "Phụ lục 2" if self.grouped and figures.models else ""
        # Every unit the report names, so that two units of one name get their district.
        self.listed = [
            *[row.unit for row in figures.tally.rows if row.unit],
            *[model["unit"] for models in figures.models.values() for model in models],
        ]

    def row_name(self, row: Row) -> str:
        """A row of a table of units: the unit's own row keeps its «(trực tiếp)»."""
        if row.unit in (None, self.unit):
            return row.name
        return unit_label(self.tree, row.unit, self.listed)

    def label(self, code: str) -> str:
        """The unit's name in a list, with its district where another listed unit has it; a
        unit with units below is its chapter («Hội Chữ thập đỏ huyện Tân Biên»): its name
        alone would read as the whole district."""
        if self.tree.children(code):
            return letterhead_text(self.tree, code)
        return unit_label(self.tree, code, self.listed)

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
        if self.models_annex:
            self._models_annex()
        self._core_properties()

    def _core_properties(self) -> None:
        """The file's properties (File › Properties): what it is, who wrote it, and when."""
        core = self.document.core_properties
        office = self.settings.get("office_unit")
        writer = letterhead(self.tree, office, self.settings) if office in self.tree else self.head
        label = self.period.label()
        core.title = _property(
            f"Báo cáo tổng kết {years_phrase(self.period)}Cuộc vận động “Mỗi tổ chức, mỗi cá nhân "
            f"gắn với một địa chỉ nhân đạo”, giai đoạn {label} - {self.tree.name(self.unit)}"
        )
        core.subject = _property(
            f"Tổng kết Cuộc vận động và các mô hình công tác xã hội nhân đạo, giai đoạn {label}, "
            f"{self.chapter_text}"
        )
        core.author = core.last_modified_by = _property(writer.chapter_text)
        core.category = "Báo cáo"
        core.comments = nfc(
            "Dự thảo báo cáo lập từ hồ sơ Cuộc vận động; các đoạn in nghiêng là gợi ý của đề "
            "cương, cần thay bằng nội dung của đơn vị."
        )
        core.keywords = nfc(
            f"Cuộc vận động; địa chỉ nhân đạo; mô hình công tác xã hội nhân đạo; tổng kết; {label}"
        )
        core.language = "vi-VN"
        core.revision = 1
        now = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
        core.created = core.modified = now

    def _header_block(self) -> None:
        table = self._layout_table(HEADER_WIDTHS)
        _centre_on_page(table, HEADER_WIDTHS, HEADER_CELL_MARGIN)
        left, right = table.rows[0].cells
        first = True
        for text, bold in ((self.head.superior, False), (self.chapter, True)):
            for line in header_lines(text, bold=bold) if text else ():
                self._cell_line(left, line, bold=bold, size=HEADER_SIZE, first=first)
                first = False
        self._rule(left, Cm(3.0))
        self._cell_line(left, "Số:        /BC-CTĐ", size=HEADER_SIZE, first=False)
        self._cell_line(right, NATION, bold=True, size=HEADER_SIZE)
        self._cell_line(right, MOTTO, bold=True, size=MOTTO_SIZE, first=False)
        self._rule(right, Cm(2.8))
        size, lines = date_lines(self.head.date_line(self.on))
        for line in lines:
            self._cell_line(right, line, italic=True, size=size, first=False)

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
        basis = "; ".join(self.head.basis)
        lead = f"Thực hiện {basis}, {self.chapter_text}" if basis else self.chapter_text
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
            f"Số liệu từ hồ sơ: {_lower_first(self.scope) if self.grouped else self.scope} có "
            f"{format_number(registered['red_cross'])} cán bộ, hội viên, "
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
                return (
                    f"{self.chapter_text} chưa có bản đánh giá (Ban Chỉ đạo, mô hình tiêu biểu, "
                    "hướng dẫn)."
                )
            return (
                f"Theo bản đánh giá của {self.chapter_text}: Ban Chỉ đạo: "
                f"{_yes(flags['steering_board'])}; "
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
        surveyed = format_number(self.figures.surveyed)
        if not self.grouped:
            done = "đã" if grassroots.part else "chưa"
            self._text(
                f"+ {self.chapter_text} {done} hoàn thành việc khảo sát lập hồ sơ địa chỉ; đã "
                f"khảo sát {surveyed} địa chỉ."
                if grassroots.whole
                else f"+ Đã khảo sát {surveyed} địa chỉ."
            )
        elif grassroots.whole:
            self._text(
                f"+ {self.scope} có {format_number(grassroots.part)}/"
                f"{format_number(grassroots.whole)} cơ sở "
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
            lines = [
                [
                    str(number),
                    self.row_name(row),
                    format_number(row.grassroots),
                    format_number(row.grassroots_surveyed),
                    Share(row.grassroots_surveyed, row.grassroots).percent("nearest"),
                ]
                for number, row in enumerate(rows, start=1)
            ]
            lines.append(
                [
                    "",
                    "Tổng cộng",
                    format_number(grassroots.whole),
                    format_number(grassroots.part),
                    grassroots.percent("nearest"),
                ]
            )
            table = self._table(
                ["STT", self.rows_heading,
                 "Số cơ sở Hội", "Đã khảo sát, lập hồ sơ", "Tỉ lệ"],
                lines,
                [Cm(1.2), Cm(6.8), Cm(2.6), Cm(3.4), Cm(2.4)],
                numeric_from=2,
            )  # fmt: skip
            _bold_row(table.rows[-1].cells)
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
        years = self.figures.tally.years
        counts = (
            lambda f: f.new,
            lambda f: f.continued,
            lambda f: f.resumed,
            lambda f: len(f.stopped),
            lambda f: len(f.lapsed),
        )
        rows = [
            [str(flow.year), format_number(flow.helped)]
            + [format_number(count(flow)) for count in counts]
            for flow in years
        ]
        # The period's row: the addresses helped in the period, each once (the years' sum would
        # count an address helped five years five times); the flows of the years add up.
        rows.append(
            ["Cả giai đoạn", format_number(self.figures.tally.total.helped)]
            + [format_number(sum(count(flow) for flow in years)) for count in counts]
        )
        table = self._table(
            [
                "Năm",
                "Địa chỉ được trợ giúp",
                "Trợ giúp mới",
                "Năm trước tiếp tục",
                "Trợ giúp lại",
                "Dừng trợ giúp",
                "Không được trợ giúp, chưa ghi dừng",
            ],
            rows,
            [Cm(2.0), Cm(2.4), Cm(2.2), Cm(2.4), Cm(2.2), Cm(2.2), Cm(3.1)],
            numeric_from=1,
        )
        _bold_row(table.rows[-1].cells)
        self._text(
            "Trợ giúp mới: lần đầu được trợ giúp; năm trước tiếp tục: được trợ giúp cả năm trước; "
            "trợ giúp lại: được trợ giúp sau ít nhất một năm gián đoạn; dừng trợ giúp: ngày dừng "
            "ghi trong hồ sơ thuộc năm đó, kèm lý do; không được trợ giúp, chưa ghi dừng: được "
            "trợ giúp năm trước, năm đó không, hồ sơ chưa ghi dừng (không tính là dừng). Dòng "
            "cả giai đoạn: cột địa chỉ được trợ giúp đếm mỗi địa chỉ một lần (không cộng các "
            "năm); các cột khác cộng các năm.",
            size=Pt(13),
        )
        reasons: Counter[str] = Counter()
        for flow in years:
            reasons.update(flow.stop_reasons)
        if reasons:
            self._text("+ Lý do dừng trợ giúp trong cả giai đoạn:")
            lines = [[reason, format_number(count)] for reason, count in _ordered(reasons)]
            lines.append(["Tổng cộng", format_number(sum(reasons.values()))])
            table = self._table(
                ["Lý do dừng trợ giúp", "Số địa chỉ"], lines, [Cm(12), Cm(4.5)], numeric_from=1
            )
            _bold_row(table.rows[-1].cells)
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
            f"{_lower_first(MODEL_TYPES[kind])}: {format_number(len(models))}"
            for kind, models in figures.models.items()
        )
        count = format_number(figures.model_count)
        if not self.grouped:
            self._text(f"{self.chapter_text} đang thực hiện {count} mô hình ({counts}):")
            self._models_one_by_one()
            return
        units = {model["unit"] for models in figures.models.values() for model in models}
        self._text(
            f"{self.scope} có {count} mô hình công tác xã hội nhân đạo đang thực hiện tại "
            f"{format_number(len(units))} đơn vị ({counts}). Danh sách từng mô hình (tên, đơn "
            f"vị thực hiện, mục tiêu, cách thức, kết quả, hiệu ứng xã hội lan tỏa) ở "
            f"{self.models_annex}."
        )
        for number, (kind, models) in enumerate(figures.models.items(), start=1):
            self._heading(2, f"{number}. {MODEL_HEADINGS[kind]}")
            self._model_type(models)

    def _models_one_by_one(self) -> None:
        for number, (kind, models) in enumerate(self.figures.models.items(), start=1):
            self._heading(2, f"{number}. {MODEL_HEADINGS[kind]}")
            for position, model in enumerate(models, start=1):
                self._heading(3, f"{number}.{position}. {model['name']}")
                where = f"Đơn vị thực hiện: {self.tree.name(model['unit'])}"
                if model.get("started_on"):
                    where += f"; bắt đầu từ ngày {format_date(model['started_on'])}"
                self._text(f"- {where}.")
                for key, label in MODEL_FIELDS:
                    self._labelled(label, model.get(key))

    def _model_type(self, models: list[dict]) -> None:
        """One type of model at a level with units below: how many, where, since when, and
        the figures of their results added up."""
        units = list(dict.fromkeys(model["unit"] for model in models))
        where = ", ".join(self.label(unit) for unit in units)
        years = sorted(int(m["started_on"][:4]) for m in models if m.get("started_on"))
        since = ""
        if years:
            since = (
                f"; bắt đầu năm {years[0]}"
                if years[0] == years[-1]
                else f"; bắt đầu trong các năm {years[0]}-{years[-1]}"
            )
        self._text(
            f"- {format_number(len(models))} mô hình tại {format_number(len(units))} đơn vị: "
            f"{where}{since}."
        )
        added = added_results([m.get("results") or "" for m in models])
        if added:
            self._text(
                "- Kết quả cộng lại từ số liệu ghi trong hồ sơ các mô hình: "
                + "; ".join(
                    f"{_lower_first(clause)} ({n}/{len(models)} mô hình)" for clause, n in added
                )
                + "."
            )
        else:
            self._text(
                "- Kết quả: hồ sơ các mô hình không ghi số liệu cộng được; xem từng mô hình ở "
                f"{self.models_annex}."
            )
        self._prompt(
            "Đánh giá chung về mục tiêu, cách thức triển khai và hiệu ứng xã hội lan tỏa của các "
            "mô hình; nêu mô hình tiêu biểu."
        )

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
        # A commune is its one grassroots chapter: «đạt 1/1 cơ sở Hội» says nothing.
        for target, baseline in targets if self.grouped else targets[:-1]:
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
        signing_for, title, name = self.head.signature()
        self._cell_line(right, signing_for, bold=True, size=BODY_SIZE)
        self._cell_line(right, title, bold=True, size=BODY_SIZE, first=False)
        # Room for the signature and the stamp, then the name (or a line to write it on).
        for _ in range(4):
            self._cell_line(right, "", size=BODY_SIZE, first=False)
        self._cell_line(right, name, bold=bool(self.head.signer_name), first=False)

    def _annex_start(self, number: str, title: str) -> None:
        """A new landscape section (page numbers go on) with the annex's heading."""
        section = self.document.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = A4_HEIGHT, A4_WIDTH
        section.different_first_page_header_footer = False
        heading = self._paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        self._run(heading, f"PHỤ LỤC {number}".strip(), bold=True)
        paragraph = self._paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, after=Pt(0))
        self._run(paragraph, title, bold=True)
        note = self._paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        self._run(
            note,
            f"(Kèm theo Báo cáo số        /BC-CTĐ ngày {format_date(self.on)} của "
            f"{self.chapter_text})",
            italic=True,
            size=Pt(13),
        )

    def _annex(self) -> None:
        document = self.document
        result = self.figures.tally
        span = years_phrase(self.period).upper()
        self._annex_start(
            "1" if self.models_annex else "",
            f"BẢNG TỔNG HỢP KẾT QUẢ {span}TRIỂN KHAI, THỰC HIỆN CUỘC VẬN ĐỘNG "
            f"{CAMPAIGN.upper()} GIAI ĐOẠN {self.period.label()}",
        )
        widths = [Cm(1.3), Cm(7.2), Cm(2.6), Cm(2.8), Cm(2.8), Cm(2.4), Cm(2.6), Cm(3.5)]
        table = document.add_table(rows=3, cols=8)
        table.style = document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        headers = {
            0: "STT",
            1: self.rows_heading,
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
            [str(n), self.row_name(row), *[format_number(v) for v in row.columns().values()]]
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

    def _models_annex(self) -> None:
        """Phụ lục 2: every model, by type, with what the outline asks of each."""
        self._annex_start(
            "2",
            f"DANH SÁCH MÔ HÌNH CÔNG TÁC XÃ HỘI NHÂN ĐẠO ĐANG THỰC HIỆN ĐẾN NGÀY "
            f"{format_date(self.period.end)}",
        )
        headers = ["STT", "Tên mô hình", "Đơn vị thực hiện (ngày bắt đầu)",
                   *[label for _key, label in MODEL_FIELDS]]  # fmt: skip
        widths = [Cm(1.1), Cm(3.0), Cm(3.3), Cm(5.0), Cm(5.0), Cm(3.2), Cm(4.6)]
        document = self.document
        table = document.add_table(rows=1, cols=len(headers))
        table.style = document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        center = WD_ALIGN_PARAGRAPH.CENTER
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            self._cell_text(cell, header, bold=True, align=center, size=ANNEX_SIZE)
        _repeat_as_header(table.rows[0])
        number = 0
        for position, (kind, models) in enumerate(self.figures.models.items(), start=1):
            cells = table.add_row().cells
            merged = cells[0].merge(cells[-1])
            self._cell_text(
                merged,
                f"{position}. {MODEL_HEADINGS[kind]} ({format_number(len(models))} mô hình)",
                bold=True,
                size=ANNEX_SIZE,
            )
            # A type's heading row goes to the next page with its first model.
            merged.paragraphs[0].paragraph_format.keep_with_next = True
            for model in models:
                number += 1
                cells = table.add_row().cells
                where = self.label(model["unit"])
                if model.get("started_on"):
                    where += f" (từ {format_date(model['started_on'])})"
                values = [str(number), model["name"], where]
                for column, value in enumerate(values):
                    align = center if column == 0 else WD_ALIGN_PARAGRAPH.LEFT
                    self._cell_text(cells[column], value, align=align, size=ANNEX_SIZE)
                for column, (key, _label) in enumerate(MODEL_FIELDS, start=len(values)):
                    text = " ".join((model.get(key) or "").split())
                    self._cell_text(
                        cells[column], text or "(chưa ghi)", italic=not text, size=ANNEX_SIZE
                    )
        _set_widths(table, widths)

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
        # Vietnamese documents quote with “…”: a «…» typed into a record prints as “…”.
        text = nfc(text).replace("«", "“").replace("»", "”")
        run = paragraph.add_run(visible(text, lines=True))
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
        # The sentence that leads into the table stays on the table's page.
        last = document.element.body[-2] if len(document.element.body) > 1 else None
        if last is not None and last.tag == qn("w:p"):
            Paragraph(last, document._body).paragraph_format.keep_with_next = True
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
        size: Pt = TABLE_SIZE,
    ) -> None:
        paragraph = cell.paragraphs[0]
        paragraph.alignment = align
        paragraph.paragraph_format.line_spacing = 1.0
        room = Pt(2) if size >= TABLE_SIZE else Pt(1)
        paragraph.paragraph_format.space_before = room
        paragraph.paragraph_format.space_after = room
        self._run(paragraph, text, bold=bold, italic=italic, size=size)
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


def text_width(text: str, *, style: str = "regular", size: Pt = HEADER_SIZE) -> float:
    """How wide `text` prints in Times New Roman of `style` at `size`, in centimetres."""
    widths = _WIDTHS[style]
    total = 0
    for char in nfc(text):
        if char not in _WIDTH_CHARS:
            base = unicodedata.normalize("NFD", char)
            horned = "\u031b" in base
            char = (
                {"U": "Ư", "u": "ư", "O": "Ơ", "o": "ơ"}.get(base[:1], base[:1])
                if horned
                else base[:1]
            )
        position = _WIDTH_CHARS.find(char)
        total += widths[position] if position >= 0 else 1000
    return total / 1000 * size.pt / 72 * 2.54


def header_lines(text: str, *, bold: bool) -> list[str]:
    """A line of the header block's left column, in the lines it prints as: one, or for a name
    too long for the column, «HỘI CHỮ THẬP ĐỎ» and the rest, or the words as they fit."""
    style = "bold" if bold else "regular"
    fits = lambda line: text_width(line, style=style) <= HEADER_ROOM  # noqa: E731
    if fits(text):
        return [text]
    if text.startswith(CHAPTER_PREFIX) and fits(text.removeprefix(CHAPTER_PREFIX)):
        return [CHAPTER_PREFIX.strip(), text.removeprefix(CHAPTER_PREFIX)]
    lines: list[str] = []
    for word in text.split():
        if lines and fits(f"{lines[-1]} {word}"):
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def date_lines(line: str) -> tuple[Pt, list[str]]:
    """The date line's size (14 pt, or 13 pt if that keeps it on one line) and its lines: one,
    or for a very long place, the place and the date."""
    for size in DATE_SIZES:
        if text_width(line, style="italic", size=size) <= HEADER_ROOM:
            return size, [line]
    place, _, when = line.partition(", ")
    return DATE_SIZES[-1], [f"{place},", when]


def _property(text: str) -> str:
    """A file property: what the XML can hold (names come from people and files), at most the
    255 characters the format allows."""
    return visible(nfc(text))[:255]


def _ordered(reasons: Counter[str]) -> list[tuple[str, int]]:
    """Reasons on record first, the most frequent first; «chưa ghi lý do» last."""
    return sorted(
        reasons.items(),
        key=lambda item: (item[0] == NO_STOP_REASON, -item[1], collation_key(item[0])),
    )


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


def _centre_on_page(table: Table, widths: Sequence[Cm], margin: Cm) -> None:
    """Give the table its width, narrow left and right cell margins, and an indent that centres
    it on the page (it is wider than the text)."""
    properties = table._tbl.tblPr
    total = sum(int(width.twips) for width in widths)
    left, right = int(MARGIN_LEFT.twips), int(MARGIN_RIGHT.twips)
    text = int(A4_WIDTH.twips) - left - right
    shift = (right - left) // 2 - (total - text) // 2
    for tag in ("w:jc", "w:tblW", "w:tblInd", "w:tblCellMar"):
        for old in properties.findall(qn(tag)):
            properties.remove(old)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(total))
    width.set(qn("w:type"), "dxa")
    indent = OxmlElement("w:tblInd")
    indent.set(qn("w:w"), str(shift))
    indent.set(qn("w:type"), "dxa")
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        cell = OxmlElement(f"w:{side}")
        cell.set(qn("w:w"), str(int(margin.twips)))
        cell.set(qn("w:type"), "dxa")
        margins.append(cell)
    # The schema's order: tblStyle, …, tblW, jc, …, tblInd, …, tblLayout, tblCellMar, tblLook.
    layout = properties.find(qn("w:tblLayout"))
    if layout is not None:
        layout.addprevious(width)
        layout.addprevious(indent)
        layout.addnext(margins)
    else:
        properties.append(width)
        properties.append(indent)
        properties.append(margins)


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
