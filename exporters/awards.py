"""The awards workbook: what the office proposes, and the figures it chose from.

Four sheets, each an official document on A4 built on `exporters.sheets`, signed as the unit
signs («NGƯỜI LẬP BẢNG»; «TM. BAN THƯỜNG VỤ / CHỦ TỊCH» and the name from the settings):

- «Đề nghị khen thưởng»: the proposals the office chose (`proposal` records), by award:
  chapters, Red Cross people, donors; only these are printed under «Đề nghị …»;
- «Chấm điểm tập thể»: each chapter's points by criterion, the figures behind them, what the
  total reaches (đủ điều kiện xét) and what the office chose;
- «Cá nhân đủ điều kiện»: Red Cross people attached to five addresses or more;
- «Nhà tài trợ»: every donor (one per person or organisation, over all the units that
  registered it) attached in the period, with what its record reaches.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from campaign.awards import (
    ADDRESSES_FOR_INDIVIDUALS,
    CRITERIA,
    ELIGIBLE,
    PROPOSALS,
    Awards,
    Person,
    Share,
    UnitScore,
)
from campaign.money import format_number
from campaign.units import UnitTree
from campaign.vocab import AWARDS, HELPER_KINDS
from exporters.letterhead import Letterhead, chapter_in_text, letterhead
from exporters.report import CAMPAIGN
from exporters.sheets import Bold, Column, Sheet, group, new_workbook, save_workbook

PROPOSALS_SHEET = "Đề nghị khen thưởng"
SCORES_SHEET = "Chấm điểm tập thể"
INDIVIDUALS_SHEET = "Cá nhân đủ điều kiện"
DONORS_SHEET = "Nhà tài trợ"
_ROMAN = ("I", "II")


def write_awards_workbook(
    path: Path, result: Awards, tree: UnitTree, settings: Mapping[str, Any], on: date
) -> Path:
    """Write the awards workbook to `path` atomically (raises WorkbookWriteError)."""
    return save_workbook(build_awards_workbook(result, tree, settings, on), path)


def build_awards_workbook(
    result: Awards, tree: UnitTree, settings: Mapping[str, Any], on: date
) -> Workbook:
    workbook = new_workbook(f"Đề nghị khen thưởng, giai đoạn {result.period.label()}")
    head = letterhead(tree, result.unit, settings, result.period)
    sheets = [
        _proposals(workbook, result, head, on, tree),
        *(write(workbook, result, head, on) for write in (_scores, _individuals, _donors)),
    ]
    for sheet in sheets:
        _sign(sheet, head)
        sheet.finish()
    workbook.active = 0
    return workbook


def _top(sheet: Sheet, head: Letterhead, on: date, title: str, result: Awards) -> None:
    sheet.header([head.superior, head.chapter], date_line=head.date_line(on))
    sheet.title(title)
    sheet.subtitle(f"Cuộc vận động {CAMPAIGN}, giai đoạn {result.period.label()}")
    sheet.space(8)


def _sign(sheet: Sheet, head: Letterhead) -> None:
    preparer, signature = head.preparer(), head.signature()
    sheet.signatures(preparer[:-1], signature[:-1], names=(preparer[-1], signature[-1]))


def _share(share: Share, rounding: str) -> float | str:
    """A share as a number for the «0,0%» format, cut as `Share.percent` cuts it (so that the
    printed figure sits on the same side of the bar as the exact one); «-» when there is none."""
    if not share.whole:
        return "-"
    tenths, rest = divmod(share.part * 1000, share.whole)
    if rest and rounding == "up":
        tenths += 1
    return tenths / 1000


# ----------------------------------------------------------------------------- proposals


def _proposals(
    workbook: Workbook, result: Awards, head: Letterhead, on: date, tree: UnitTree
) -> Sheet:
    columns = [
        Column("STT", 6, "index"),
        Column("Tên tập thể, cá nhân, nhà tài trợ", 34, "text"),
        Column("Loại", 16, "text"),
        Column("Đơn vị", 28, "text"),
        Column("Thành tích theo tiêu chí của Kế hoạch", 48, "text"),
        Column("Ghi chú", 22, "text"),
    ]
    sheet = Sheet(workbook, PROPOSALS_SHEET, columns)
    _top(sheet, head, on, "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", result)
    sheet.table_header(numbered=True)
    any_chosen = False
    for roman, award in zip(_ROMAN, AWARDS, strict=True):
        chapters, people, donors = result.chosen(award)
        if not (chapters or people or donors):
            continue
        any_chosen = True
        sheet.table_text_row(f"{roman}. {PROPOSALS[award].upper()}", italic=False)
        parts = (
            ("Tập thể", [_chapter_row(score, award, tree) for score in chapters]),
            ("Cá nhân", [_person_row(person, award) for person in people]),
            ("Nhà tài trợ", [_person_row(person, award) for person in donors]),
        )
        number = 0
        for part, (label, rows) in enumerate((p for p in parts if p[1]), start=1):
            sheet.table_text_row(f"{part}. {label} ({format_number(len(rows))})")
            for row in rows:
                number += 1
                sheet.table_row([number, *row])
    if not any_chosen:
        sheet.table_text_row(
            "Đơn vị chưa chọn tập thể, cá nhân nào để đề nghị khen thưởng (chọn trên màn hình "
            "Kết quả › Khen thưởng, hoặc bằng lệnh nhandao awards --propose)."
        )
    sheet.space()
    sheet.note(
        Bold("Ghi chú: "),
        "danh sách do đơn vị chọn trong số tập thể, cá nhân đủ điều kiện xét ở các trang sau; "
        "Bằng khen của UBND tỉnh theo hướng dẫn riêng.",
    )
    return sheet


def _chapter_row(score: UnitScore, award: str, tree: UnitTree) -> list[object]:
    return [
        chapter_in_text(tree, score.unit),
        "Tập thể",
        score.name,
        f"{score.total}/100 điểm, xếp hạng {score.rank}",
        None if score.eligible == award or award == "provincial" else "Chưa đủ điểm Bằng khen",
    ]


def _person_row(person: Person, award: str) -> list[object]:
    achievement = f"Trực tiếp gắn {format_number(person.addresses)} địa chỉ trong giai đoạn"
    if person.side == "outside" and person.awarded_before:
        achievement += "; đã được khen thưởng về Cuộc vận động"
    note = None
    if award == "central" and not person.candidate:
        note = (
            "Chưa được khen thưởng về Cuộc vận động"
            if person.side == "outside"
            else f"Gắn dưới {ADDRESSES_FOR_INDIVIDUALS:02d} địa chỉ"
        )
    return [
        person.name,
        HELPER_KINDS[person.kind],
        person.units_label,
        achievement,
        note,
    ]


# ----------------------------------------------------------------------------- scores


def _scores(workbook: Workbook, result: Awards, head: Letterhead, on: date) -> Sheet:
    criteria = [Column(f"{short} ({maximum})", 8, "number") for _t, short, maximum in _criteria()]
    columns = [
        Column("Hạng", 6, "index"),
        Column("Đơn vị", 22, "text"),
        group("Điểm theo tiêu chí", *criteria),
        Column("Tổng điểm", 8, "number"),
        group(
            "Địa chỉ được trợ giúp / địa chỉ khảo sát",
            Column("Khảo sát", 9, "number"),
            Column("Được trợ giúp", 9, "number"),
            Column("Tỉ lệ", 8, "percent"),
        ),
        group(
            "Rà soát hằng năm (lượt địa chỉ - năm)",
            Column("Đang theo dõi", 9, "number"),
            Column("Đã rà soát", 9, "number"),
            Column("Tỉ lệ", 8, "percent"),
        ),
        Column("Đủ điều kiện xét", 17, "text"),
        Column("Đơn vị chọn đề nghị", 17, "text"),
        Column("Căn cứ chấm điểm, ghi chú", 32, "long"),
    ]
    sheet = Sheet(workbook, SCORES_SHEET, columns, freeze_columns=2)
    _top(sheet, head, on, "BẢNG CHẤM ĐIỂM THI ĐUA TẬP THỂ", result)
    sheet.table_header(numbered=True)
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
                _share(score.surveyed, "down"),
                score.reviewed.whole,
                score.reviewed.part,
                _share(score.reviewed, "up"),
                ELIGIBLE[score.eligible],
                ELIGIBLE[score.proposed] if score.proposed else None,
                "\n".join([*basis, *score.notes]),
            ]
        )
    if not result.units:
        sheet.table_text_row("Không có đơn vị nào để chấm điểm.")
    sheet.space()
    sheet.note(
        Bold("Ngưỡng Bằng khen của Trung ương Hội: "),
        f"từ {result.threshold} điểm trở lên. Đây là cài đặt của chương trình (Kế hoạch không "
        "quy định ngưỡng); dưới ngưỡng, đơn vị đủ điều kiện xét Giấy khen của Tỉnh Hội. Đủ điều "
        "kiện xét chưa phải là đề nghị: đơn vị chọn đề nghị ở trang “Đề nghị khen thưởng”.",
    )
    sheet.note(
        Bold("Cách tính: "),
        "tỉ lệ trợ giúp là số địa chỉ được khảo sát đến hết giai đoạn đã được trợ giúp trong "
        "giai đoạn, trên tổng số địa chỉ được khảo sát: từ 70% được 40 điểm, từ 50% được 20 "
        "điểm, dưới 50% được 10 điểm. Rà soát: một địa chỉ được theo dõi trong năm khi đã lập hồ "
        "sơ đến hết năm đó và chưa dừng trước năm đó; trên 95% lượt theo dõi có rà soát thì được "
        "10 điểm. Tỉ lệ in đến một chữ số thập phân, làm tròn về phía không đổi mức điểm.",
    )
    return sheet


def _criteria() -> list[tuple[str, str, int]]:
    return list(CRITERIA.values())


# ----------------------------------------------------------------------------- people


def _people_columns(
    extra: list[Column], *, kind_width: float = 16, unit_width: float = 26
) -> list[Column]:
    return [
        Column("STT", 6, "index"),
        Column("Họ tên, tên tổ chức", 28, "text"),
        Column("Loại", kind_width, "text"),
        Column("Đơn vị", unit_width, "text"),
        Column("Số địa chỉ gắn trong giai đoạn", 10, "number"),
        *extra,
    ]


def _individuals(workbook: Workbook, result: Awards, head: Letterhead, on: date) -> Sheet:
    sheet = Sheet(
        workbook,
        INDIVIDUALS_SHEET,
        # Wide enough for «Thanh thiếu niên Chữ thập đỏ» on one line: one line a person.
        _people_columns([Column("Đơn vị chọn đề nghị", 12, "text")], kind_width=30, unit_width=21),
        portrait=True,
    )
    _top(
        sheet,
        head,
        on,
        f"DANH SÁCH CÁ NHÂN ĐỦ ĐIỀU KIỆN XÉT BẰNG KHEN: TRỰC TIẾP GẮN TỪ "
        f"{ADDRESSES_FOR_INDIVIDUALS:02d} ĐỊA CHỈ NHÂN ĐẠO TRỞ LÊN",
        result,
    )
    sheet.table_header(numbered=True)
    for number, person in enumerate(result.individuals, start=1):
        sheet.table_row([*_person_values(number, person), _chosen(person)])
    if not result.individuals:
        sheet.table_text_row(
            f"Không có cá nhân nào trực tiếp gắn từ {ADDRESSES_FOR_INDIVIDUALS:02d} địa chỉ trở "
            "lên."
        )
    sheet.space()
    sheet.note(
        Bold("Ghi chú: "),
        "cán bộ, hội viên, tình nguyện viên, thanh thiếu niên Chữ thập đỏ có gắn địa chỉ còn "
        "hiệu lực trong giai đoạn; mỗi địa chỉ đếm một lần, mỗi người một dòng (người được "
        "nhiều đơn vị ghi nhận là một người khi đã được gộp). Các tiêu chí về cách làm sáng tạo "
        "và vận động nguồn lực do đơn vị xét thêm.",
    )
    return sheet


def _donors(workbook: Workbook, result: Awards, head: Letterhead, on: date) -> Sheet:
    extra = [
        Column("Số đơn vị ghi nhận", 9, "number"),
        Column("Đã được khen thưởng về Cuộc vận động", 11, "text"),
        Column("Đủ điều kiện xét", 17, "text"),
        Column("Đơn vị chọn đề nghị", 17, "text"),
    ]
    sheet = Sheet(workbook, DONORS_SHEET, _people_columns(extra, kind_width=11, unit_width=30))
    _top(sheet, head, on, "DANH SÁCH NHÀ TÀI TRỢ TRỰC TIẾP GẮN ĐỊA CHỈ NHÂN ĐẠO", result)
    sheet.table_header(numbered=True)
    for number, person in enumerate(result.donors, start=1):
        sheet.table_row(
            [
                *_person_values(number, person),
                len(person.units),
                "có" if person.awarded_before else "chưa",
                ELIGIBLE[person.eligible],
                _chosen(person),
            ]
        )
    if not result.donors:
        sheet.table_text_row("Không có tổ chức, cá nhân ngoài Hội nào gắn địa chỉ trong giai đoạn.")
    sheet.space()
    sheet.note(
        Bold("Ghi chú: "),
        "mỗi tổ chức, cá nhân một dòng, dù được nhiều đơn vị ghi nhận (cùng tên, cùng loại, "
        "hoặc được gộp trên màn hình Khen thưởng); số địa chỉ là các địa chỉ khác nhau. Nhà tài "
        "trợ trực tiếp gắn địa chỉ trong giai đoạn và đã được khen thưởng về Cuộc vận động đủ "
        "điều kiện xét Bằng khen của Trung ương Hội; các nhà tài trợ khác, Giấy khen của Tỉnh "
        "Hội.",
    )
    return sheet


def _person_values(number: int, person: Person) -> list[object]:
    return [
        number,
        person.name,
        HELPER_KINDS[person.kind],
        person.units_label,
        person.addresses,
    ]


def _chosen(person: Person) -> str | None:
    return ELIGIBLE[person.proposed] if person.proposed else None
