"""The awards workbook: chapters' scores, individual candidates and donors, in the house look.

Three sheets, each an official document on A4 landscape built on `exporters.sheets`:
«Chấm điểm tập thể» (each chapter's points by criterion, the figures behind them, the proposal
and the notes), «Cá nhân» (individuals attached to five addresses or more) and «Nhà tài trợ»
(outside helpers attached in the period, with whether they were awarded before).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment

from campaign.awards import ADDRESSES_FOR_INDIVIDUALS, CRITERIA, Awards, Person
from campaign.units import UnitTree
from campaign.vocab import HELPER_KINDS
from exporters.letterhead import letterhead
from exporters.report import CAMPAIGN
from exporters.sheets import Bold, Column, Sheet, group, new_workbook, save_workbook

SCORES_SHEET, INDIVIDUALS_SHEET, DONORS_SHEET = "Chấm điểm tập thể", "Cá nhân", "Nhà tài trợ"


def write_awards_workbook(
    path: Path, result: Awards, tree: UnitTree, settings: Mapping[str, Any], on: date
) -> Path:
    """Write the awards workbook to `path` atomically (raises WorkbookWriteError)."""
    return save_workbook(build_awards_workbook(result, tree, settings, on), path)


def build_awards_workbook(
    result: Awards, tree: UnitTree, settings: Mapping[str, Any], on: date
) -> Workbook:
    workbook = new_workbook(f"Chấm điểm thi đua, đề nghị khen thưởng {result.period.label()}")
    head = letterhead(tree, result.unit, settings, result.period)
    header = [head.superior, head.chapter]
    date_line = head.date_line(on)
    _scores(workbook, result, header, date_line)
    _individuals(workbook, result, header, date_line)
    _donors(workbook, result, header, date_line)
    return workbook


def _subtitle(result: Awards) -> str:
    return f"Cuộc vận động {CAMPAIGN}, giai đoạn {result.period.label()}"


def _threshold(result: Awards) -> tuple[Bold, str]:
    return (
        Bold("Ngưỡng đề nghị Bằng khen của Trung ương Hội: "),
        f"từ {result.threshold} điểm trở lên. Đây là cài đặt của chương trình (Kế hoạch không "
        "quy định ngưỡng); các đơn vị dưới ngưỡng được đề nghị Tỉnh Hội tặng Giấy khen.",
    )


def _scores(workbook: Workbook, result: Awards, header: list[str], date_line: str) -> None:
    criteria = [Column(f"{short} ({maximum})", 9, "number") for short, maximum in _criteria_heads()]
    columns = [
        Column("Hạng", 6, "index"),
        Column("Đơn vị", 24, "text"),
        group("Điểm theo tiêu chí", *criteria),
        Column("Tổng điểm", 8, "number"),
        group(
            "Địa chỉ được trợ giúp / địa chỉ khảo sát",
            Column("Địa chỉ khảo sát", 10, "number"),
            Column("Được trợ giúp", 10, "number"),
            Column("Tỉ lệ", 8, "text"),
        ),
        group(
            "Rà soát hằng năm (lượt địa chỉ - năm)",
            Column("Đang theo dõi", 10, "number"),
            Column("Đã rà soát", 10, "number"),
            Column("Tỉ lệ", 8, "text"),
        ),
        Column("Đề nghị", 20, "text"),
        Column("Căn cứ chấm điểm, ghi chú", 44, "long"),
    ]
    sheet = Sheet(workbook, SCORES_SHEET, columns, freeze_columns=2)
    sheet.header(header, date_line=date_line)
    sheet.title("BẢNG CHẤM ĐIỂM THI ĐUA VÀ ĐỀ NGHỊ KHEN THƯỞNG TẬP THỂ")
    sheet.subtitle(_subtitle(result))
    sheet.table_header(numbered=True)
    # The two «Tỉ lệ» columns hold text (cut so as to sit on the right side of the bar, see
    # `Share.percent`), aligned as figures.
    percent_columns = [i for i, leaf in enumerate(sheet.leaves, start=1) if leaf.title == "Tỉ lệ"]
    for score in result.units:
        basis = [
            f"{CRITERIA[key][1]}: {score.criteria[key].detail}"
            for key in ("steering", "model", "guidance")
        ]
        sheet.table_row(
            [
                score.rank,
                score.name,
                *[criterion.points for criterion in score.criteria.values()],
                score.total,
                score.surveyed.whole,
                score.surveyed.part,
                score.surveyed.percent() or "-",
                score.reviewed.whole,
                score.reviewed.part,
                score.reviewed.percent("up") or "-",
                score.proposal,
                "\n".join([*basis, *score.notes]),
            ]
        )
        for column in percent_columns:
            sheet.ws.cell(sheet.row - 1, column).alignment = Alignment("right", "center")
    if not result.units:
        sheet.table_text_row("Không có đơn vị nào để chấm điểm.")
    sheet.space()
    sheet.note(*_threshold(result))
    sheet.note(
        Bold("Cách tính: "),
        "tỉ lệ trợ giúp là số địa chỉ được khảo sát đến hết giai đoạn đã được trợ giúp trong "
        "giai đoạn, trên tổng số địa chỉ được khảo sát: từ 70% được 40 điểm, từ 50% được 20 "
        "điểm, dưới 50% được 10 điểm. Rà soát: một địa chỉ được theo dõi trong năm khi đã lập hồ "
        "sơ đến hết năm đó và chưa dừng trước năm đó; trên 95% lượt theo dõi có rà soát thì được "
        "10 điểm.",
    )


def _criteria_heads() -> list[tuple[str, int]]:
    return [(short, maximum) for _title, short, maximum in CRITERIA.values()]


def _people_columns(extra: list[Column]) -> list[Column]:
    return [
        Column("STT", 6, "index"),
        Column("Họ tên, tên tổ chức", 34, "text"),
        Column("Loại", 16, "text"),
        Column("Đơn vị", 24, "text"),
        Column("Số địa chỉ gắn trong giai đoạn", 12, "number"),
        *extra,
    ]


def _person_values(number: int, person: Person) -> list[object]:
    return [number, person.name, HELPER_KINDS[person.kind], person.unit_name, person.addresses]


def _individuals(workbook: Workbook, result: Awards, header: list[str], date_line: str) -> None:
    sheet = Sheet(workbook, INDIVIDUALS_SHEET, _people_columns([Column("Đề nghị", 32, "text")]))
    sheet.header(header, date_line=date_line)
    sheet.title(
        f"DANH SÁCH CÁ NHÂN TRỰC TIẾP GẮN TỪ {ADDRESSES_FOR_INDIVIDUALS:02d} ĐỊA CHỈ NHÂN ĐẠO "
        "TRỞ LÊN"
    )
    sheet.subtitle(_subtitle(result))
    sheet.table_header(numbered=True)
    for number, person in enumerate(result.individuals, start=1):
        sheet.table_row([*_person_values(number, person), person.proposal])
    if not result.individuals:
        sheet.table_text_row(
            f"Không có cá nhân nào trực tiếp gắn từ {ADDRESSES_FOR_INDIVIDUALS} địa chỉ trở lên."
        )
    sheet.space()
    sheet.note(
        Bold("Ghi chú: "),
        "cán bộ, hội viên, tình nguyện viên, thanh thiếu niên Chữ thập đỏ và cá nhân ngoài Hội "
        "có gắn địa chỉ còn hiệu lực trong giai đoạn; mỗi địa chỉ đếm một lần. Các tiêu chí về "
        "cách làm sáng tạo và vận động nguồn lực do đơn vị xét thêm.",
    )


def _donors(workbook: Workbook, result: Awards, header: list[str], date_line: str) -> None:
    extra = [
        Column("Đã được khen thưởng về Cuộc vận động", 14, "text"),
        Column("Đề nghị", 32, "text"),
    ]
    sheet = Sheet(workbook, DONORS_SHEET, _people_columns(extra))
    sheet.header(header, date_line=date_line)
    sheet.title("DANH SÁCH NHÀ TÀI TRỢ TRỰC TIẾP GẮN ĐỊA CHỈ NHÂN ĐẠO")
    sheet.subtitle(_subtitle(result))
    sheet.table_header(numbered=True)
    for number, person in enumerate(result.donors, start=1):
        sheet.table_row(
            [
                *_person_values(number, person),
                "có" if person.awarded_before else "chưa",
                person.proposal,
            ]
        )
    if not result.donors:
        sheet.table_text_row("Không có tổ chức, cá nhân ngoài Hội nào gắn địa chỉ trong giai đoạn.")
    sheet.space()
    sheet.note(
        Bold("Ghi chú: "),
        "nhà tài trợ vừa trực tiếp gắn địa chỉ trong giai đoạn vừa đã được khen thưởng về Cuộc "
        "vận động được đề nghị Trung ương Hội tặng Bằng khen; các nhà tài trợ khác được đề nghị "
        "Tỉnh Hội tặng Giấy khen.",
    )
