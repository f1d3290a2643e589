"""Tables for the terminal (rich): the summary table and what was left out of it, and the
console that prints them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import orjson
from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from campaign.money import format_money, format_number
from campaign.tally import Tally
from campaign.text import FORBIDDEN, visible
from campaign.units import UnitTree
from campaign.vocab import EXCLUSION_REASONS


class DataConsole(Console):
    """A Rich console for output that carries names, notes and messages from outside.

    Strings are never read as markup or emoji codes («Trường THCS [cơ sở 2]» and «:fire:» print
    as typed), and every segment of text it renders has its control characters turned into
    visible placeholders, whatever renderable (a table, a title, a Text) brought it: a name
    holding ESC[2J cannot clear the screen. Styles are given with `style=`, never as markup.
    """

    def __init__(self, **options: Any) -> None:
        options.setdefault("highlight", False)
        super().__init__(markup=False, emoji=False, **options)

    def render_str(self, text: str, **options: Any) -> Text:
        # Before Rich measures it, so that a table cell keeps its width with «␛» in it.
        return super().render_str(visible(text, lines=True), **options)

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            text = segment.text
            if segment.control or text.isprintable():
                yield segment
            else:
                yield Segment(visible(text, lines=True), segment.style)


def json_bytes(value: object) -> bytes:
    """`value` as indented JSON for standard output: exactly the data (names as stored), with
    every control, direction or format character written as a «\\uXXXX» escape, so that the
    terminal it is printed on never receives one."""
    text = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n"
    return FORBIDDEN.sub(_json_escape, text).encode()


def _json_escape(match: re.Match[str]) -> str:
    if match.group() == "\n":  # orjson escapes those inside strings: these lay the JSON out
        return "\n"
    units = match.group().encode("utf-16-be")  # a character above U+FFFF is a surrogate pair
    return "".join(
        f"\\u{int.from_bytes(units[i : i + 2], 'big'):04x}" for i in range(0, len(units), 2)
    )


CAMPAIGN = "«MỖI TỔ CHỨC, MỖI CÁ NHÂN GẮN VỚI MỘT ĐỊA CHỈ NHÂN ĐẠO»"


COLUMNS = {
    "3": "Số địa chỉ được lập hồ sơ",
    "4": "Hội Chữ thập đỏ trợ giúp",
    "5": "Các tổ chức, cá nhân khác trợ giúp",
    "6": "Tổng cộng (6 = 4+5)",
    "7": "Tổng số người được trợ giúp",
    "8": "Tổng giá trị trợ giúp (đồng)",
}


def summary_title(tally: Tally) -> str:
    """«BẢNG TỔNG HỢP KẾT QUẢ 10 NĂM …» for the period.

    Reviews count years as anniversaries: 2008–2018 is «10 năm», as the seed plan writes it.
    """
    span = tally.period.year_to - tally.period.year_from
    years = f"{span} NĂM " if span > 1 else ""
    return (
        f"BẢNG TỔNG HỢP KẾT QUẢ {years}TRIỂN KHAI, THỰC HIỆN CUỘC VẬN ĐỘNG {CAMPAIGN} "
        f"GIAI ĐOẠN {tally.period.label()}"
    )


def summary_table(tally: Tally) -> Table:
    """The Bảng tổng hợp for a terminal: one row per child unit, then «Tổng cộng».

    Headers are short so that it fits 80 columns; `column_legend()` spells them out. Figures
    never wrap or get cut: the unit names wrap instead.
    """
    table = Table(
        title=f"{summary_title(tally)}\n{tally.name}",
        box=box.SIMPLE_HEAD,
        header_style="bold",
        title_justify="center",
        pad_edge=False,
    )
    table.add_column("STT", justify="right", no_wrap=True)
    table.add_column("Đơn vị", ratio=1, min_width=10)
    for header in (
        "Hồ sơ\n(3)",
        "CTĐ\n(4)",
        "Khác\n(5)",
        "Cộng\n(6=4+5)",
        "Người\n(7)",
        "Giá trị, đồng\n(8)",
    ):
        table.add_column(header, justify="right", no_wrap=True)
    returned = tally.returned_rows()
    for number, row in enumerate(tally.rows, start=1):
        name = row.name + (" (*)" if row.unit in returned else "")
        table.add_row(str(number), name, *_figures(row.columns()))
    table.add_section()
    table.add_row(
        "", Text("Tổng cộng", style="bold"), *_figures(tally.total.columns()), style="bold"
    )
    return table


def column_legend() -> Text:
    """The full titles of the numbered columns, one per line."""
    return Text("\n".join(f"({number}) {title}" for number, title in COLUMNS.items()), style="dim")


def _figures(columns: dict[str, int]) -> list[str]:
    return [format_number(columns[c]) for c in ("3", "4", "5", "6", "7", "8")]


def returns_note(tally: Tally, units: UnitTree) -> str | None:
    """The returns a table counts or sets aside (campaign/tally.py `Tally.return_notes`), as
    text for a DataConsole (names shown as typed, never read as markup)."""
    notes = tally.return_notes(lambda code: units.name(code) if code in units else code)
    return "\n".join(notes) if notes else None


def excluded_note(tally: Tally) -> Group | Text:
    """What was recorded but not counted in column 8, by reason."""
    excluded = tally.total.excluded
    if not excluded:
        return Text("Không có khoản trợ giúp nào bị loại khỏi giá trị cuộc vận động.")
    total = tally.total.excluded_total
    lines = [
        Text(
            f"Không tính vào giá trị cuộc vận động: {format_number(total.count)} lần trợ giúp, "
            f"{format_money(total.value)}:",
            style="bold",
        )
    ]
    for reason, label in EXCLUSION_REASONS.items():
        amount = excluded.get(reason)
        if amount:
            # Figures first, so that a narrow terminal wraps the label rather than an amount.
            lines.append(
                Text(
                    f"  • {format_number(amount.count)} lần, {format_money(amount.value)}: {label}"
                )
            )
    return Group(*lines)
