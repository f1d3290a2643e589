"""Tables for the terminal (rich): the award scores of the chapters and the people proposed."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from campaign.awards import (
    ADDRESSES_FOR_INDIVIDUALS,
    CRITERIA,
    PROPOSALS,
    Awards,
    Person,
    UnitScore,
)
from campaign.money import format_number
from campaign.vocab import AWARDS, HELPER_KINDS


def awards_title(result: Awards) -> str:
    return (
        f"CHẤM ĐIỂM THI ĐUA VÀ ĐỀ NGHỊ KHEN THƯỞNG TẬP THỂ, GIAI ĐOẠN {result.period.label()}\n"
        f"{result.name}"
    )


def threshold_line(result: Awards) -> Text:
    """The threshold, stated as the setting it is."""
    return Text(
        f"Ngưỡng đề nghị Bằng khen của Trung ương Hội: từ {result.threshold} điểm trở lên "
        f"(cài đặt; Kế hoạch không quy định ngưỡng; đổi bằng --threshold).",
        style="bold",
    )


def scores_table(result: Awards) -> Group:
    """The chapters ranked by total, in one table per proposal (the central certificate from
    the threshold up, then the provincial one); each criterion's points over the figures or
    answers they rest on. Fits 80 columns: unit names and figures wrap, points never do."""
    tables: list[Table | Text] = [Text(awards_title(result), style="bold", justify="center")]
    for award in AWARDS:
        scores = [s for s in result.units if s.eligible == award]
        if not scores:
            continue
        bar = f"từ {result.threshold}" if award == "central" else f"dưới {result.threshold}"
        table = Table(
            title=f"ĐỦ ĐIỀU KIỆN XÉT {AWARDS[award].upper()} ({bar} điểm)",
            box=box.SIMPLE_HEAD,
            header_style="bold",
            title_justify="center",
        )
        table.add_column("Hạng", justify="right", no_wrap=True)
        table.add_column("Đơn vị", min_width=10)
        for _title, short, maximum in CRITERIA.values():
            table.add_column(f"{short}\n({maximum})", justify="right")
        table.add_column("Tổng\n(100)", justify="right", no_wrap=True)
        for score in scores:
            table.add_row(
                str(score.rank),
                score.name,
                *[_points(score.points(key), _basis(score, key)) for key in CRITERIA],
                Text(str(score.total), style="bold"),
            )
        tables.append(table)
    if not result.units:
        tables.append(Text("Không có đơn vị nào để chấm điểm."))
    return Group(*tables)


def _points(points: int, basis: str) -> Text:
    cell = Text(str(points), style="bold")
    cell.append(f"\n{basis}", style="dim")
    return cell


def _basis(score: UnitScore, key: str) -> str:
    """The figures or answers behind a criterion, in a few characters."""
    if key in ("helped", "reviewed"):
        share = score.surveyed if key == "helped" else score.reviewed
        if not share.whole:
            return "không có"
        # Spaces around the slash let a narrow column break the fraction there.
        return (
            f"{share.percent('up' if key == 'reviewed' else 'down')}\n{share.part} / {share.whole}"
        )
    flags = score.assessment
    if flags is None:
        return "chưa\nđánh giá"
    if key == "steering":
        return f"BCĐ: {_yes(flags['steering_board'])}\nUBND: {_yes(flags['directive'])}"
    flag = flags["typical_model" if key == "model" else "followed_guidance"]
    return _yes(flag)


def _yes(flag: bool) -> str:
    return "có" if flag else "chưa"


def scores_notes(result: Awards) -> Group:
    """The threshold, what the columns and short proposals mean, and each chapter's notes."""
    lines: list[Text] = [threshold_line(result), criteria_legend()]
    noted = [score for score in result.units if score.notes]
    if noted:
        lines.append(Text("Ghi chú:", style="bold"))
        for score in noted:
            for note in score.notes:
                lines.append(Text(f"  • {score.name}: {note}"))
    return Group(*lines)


def criteria_legend() -> Text:
    """The plan's wording of each criterion, and what the figures under the points count."""
    figures = {
        "steering": "BCĐ: Ban Chỉ đạo; UBND: văn bản chỉ đạo của UBND",
        "helped": "địa chỉ khảo sát đến hết giai đoạn được trợ giúp trong giai đoạn / địa chỉ "
        "khảo sát; từ 70%: 40 điểm, từ 50%: 20, dưới 50%: 10",
        "reviewed": "lượt (địa chỉ, năm) đang theo dõi có rà soát / lượt đang theo dõi; "
        "trên 95%: 10 điểm",
    }
    lines = []
    for key, (title, short, maximum) in CRITERIA.items():
        extra = f" ({figures[key]})" if key in figures else ""
        lines.append(f"{short} ({maximum}): {title}{extra}.")
    return Text("\n".join(lines), style="dim")


def individuals_table(result: Awards) -> Table | Text:
    """Individuals attached to five addresses or more in the period."""
    if not result.individuals:
        return Text(
            f"Không có cá nhân nào trực tiếp gắn từ {ADDRESSES_FOR_INDIVIDUALS} địa chỉ trở lên "
            f"trong giai đoạn {result.period.label()}."
        )
    table = _people_table(
        f"CÁ NHÂN ĐỦ ĐIỀU KIỆN XÉT {AWARDS['central'].upper()}\n(cán bộ, hội viên, tình nguyện "
        f"viên, thanh thiếu niên trực tiếp gắn từ {ADDRESSES_FOR_INDIVIDUALS} địa chỉ trở lên)"
    )
    for number, person in enumerate(result.individuals, start=1):
        table.add_row(*_person_cells(number, person))
    return table


def donors_table(result: Awards) -> Group | Text:
    """Outside helpers attached in the period, in one table per proposal: those already
    awarded for the campaign are the candidates for the central certificate."""
    if not result.donors:
        return Text(
            f"Không có tổ chức, cá nhân ngoài Hội nào gắn địa chỉ trong giai đoạn "
            f"{result.period.label()}."
        )
    tables = []
    for award, why in (
        ("central", "đã được khen thưởng về Cuộc vận động"),
        ("provincial", "chưa được khen thưởng về Cuộc vận động"),
    ):
        donors = [p for p in result.donors if p.eligible == award]
        if not donors:
            continue
        table = _people_table(
            f"NHÀ TÀI TRỢ GẮN ĐỊA CHỈ NHÂN ĐẠO, {why.upper()}\n(đủ điều kiện xét {AWARDS[award]})"
        )
        for number, person in enumerate(donors, start=1):
            table.add_row(*_person_cells(number, person))
        tables.append(table)
    return Group(*tables)


def _people_table(title: str) -> Table:
    table = Table(
        title=title,
        box=box.SIMPLE_HEAD,
        header_style="bold",
        title_justify="center",
    )
    table.add_column("STT", justify="right", no_wrap=True)
    table.add_column("Họ tên, tên tổ chức", ratio=3, min_width=12)
    table.add_column("Loại", ratio=1, min_width=6)
    table.add_column("Đơn vị", ratio=2, min_width=8)
    table.add_column("Số địa chỉ", justify="right", no_wrap=True)
    return table


def _person_cells(number: int, person: Person) -> list[str]:
    return [
        str(number),
        person.name,
        HELPER_KINDS[person.kind],
        person.units_label,
        format_number(person.addresses),
    ]


def proposals_table(result: Awards) -> Group | Text:
    """What the office chose to propose, by award: chapters, then people, then donors."""
    tables: list[Table] = []
    for award in AWARDS:
        chapters, people, donors = result.chosen(award)
        if not (chapters or people or donors):
            continue
        table = _people_table(f"{PROPOSALS[award].upper()}")
        number = 0
        for score in chapters:
            number += 1
            table.add_row(str(number), score.name, "Tập thể", "", f"{score.total} điểm")
        for person in (*people, *donors):
            number += 1
            table.add_row(*_person_cells(number, person))
        tables.append(table)
    if not tables:
        return Text(
            "Chưa chọn tập thể, cá nhân nào để đề nghị khen thưởng: chọn bằng "
            "«nhandao awards --propose MÃ» hoặc trên màn hình Kết quả › Khen thưởng."
        )
    return Group(*tables)
