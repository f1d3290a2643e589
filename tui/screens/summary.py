"""The summary table (Bảng tổng hợp) of the office for its period, on screen."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from campaign.money import format_money, format_number
from campaign.tally import tally
from exporters.terminal import summary_title
from store.store import Store


class SummaryScreen(Screen[None]):
    """Columns 3–8 for each unit under the office, and what was left out of column 8."""

    TITLE = "Bảng tổng hợp"
    BINDINGS = [Binding("escape", "back", "Quay lại", id="summary.back")]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary-title")
        yield DataTable(id="summary", zebra_stripes=True, cursor_type="row")
        yield Static(id="summary-excluded")
        yield Footer()

    def on_mount(self) -> None:
        result = tally(self.store.dataset(), self.store.office.unit, self.store.office.period)
        self.query_one("#summary-title", Static).update(summary_title(result))
        table = self.query_one("#summary", DataTable)
        table.add_columns(
            "STT",
            "Đơn vị",
            "Hồ sơ (3)",
            "CTĐ (4)",
            "Khác (5)",
            "Cộng (6)",
            "Người (7)",
            "Giá trị, đồng (8)",
        )
        for number, row in enumerate([*result.rows, result.total], start=1):
            columns = row.columns()
            label = str(number) if row.unit is not None else ""
            figures = (Text(format_number(columns[c]), justify="right") for c in "345678")
            table.add_row(label, row.name, *figures)
        excluded = result.total.excluded_total
        self.query_one("#summary-excluded", Static).update(
            f"Không tính vào giá trị cuộc vận động: {format_number(excluded.count)} lần, "
            f"{format_money(excluded.value)}."
        )
        table.focus()

    def action_back(self) -> None:
        self.dismiss(None)
