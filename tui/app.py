"""The Textual app. For now one home screen: the office, its counts and its summary table."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Static

from campaign.money import format_number
from campaign.tally import tally
from store.store import Store


class NhandaoApp(App[None]):
    """nhandao: the records of the campaign «Mỗi tổ chức, mỗi cá nhân gắn với một địa chỉ
    nhân đạo»."""

    CSS_PATH = "app.tcss"
    TITLE = "nhandao"
    BINDINGS = [
        Binding("q", "quit", "Thoát", id="quit"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.sub_title = store.units.name(store.office.unit)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(self._office_line(), id="office")
            yield Static(
                "Màn hình nhập liệu đang được xây dựng. Dưới đây là bảng tổng hợp của đơn vị.",
                id="notice",
            )
            yield DataTable(id="summary", zebra_stripes=True, cursor_type="row")
        yield Footer()

    def _office_line(self) -> str:
        store = self.store
        demo = " (kho dữ liệu thử)" if store.office.demo else ""
        return (
            f"Văn phòng: {store.units.path(store.office.unit)}{demo}\n"
            f"Địa chỉ: {format_number(store.count('address'))} · "
            f"Người trợ giúp: {format_number(store.count('helper'))} · "
            f"Lần trợ giúp: {format_number(store.count('aid'))}"
        )

    def on_mount(self) -> None:
        result = tally(self.store.dataset(), self.store.office.unit, self.store.office.period)
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
