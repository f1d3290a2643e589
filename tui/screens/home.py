"""The home screen: the office, its units, this year's figures, what needs attention, the keys."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.message import Message
from textual.widgets import Footer, Header, Static

from campaign import queries
from campaign.money import format_money, format_number
from campaign.tally import tally
from store import reform
from store.store import Store
from sync import keys, quarantine
from tui.literal import literal, shorten
from tui.screens.office import OfficeScreen
from tui.screens.settings import SettingsScreen

ENTRY = (
    ("a", "Địa chỉ nhân đạo, trợ giúp"),
    ("h", "Người trợ giúp"),
    ("r", "Rà soát hằng năm"),
    ("m", "Mô hình"),
    ("d", "Đánh giá đơn vị"),
    ("v", "Thông tin trên văn bản"),
    ("b", "Đã xoá, khôi phục"),
)
EXCHANGE = (
    ("g", "Gửi dữ liệu lên cấp trên", "send"),
    ("n", "Nhận dữ liệu từ cấp dưới", "receive"),
    ("o", "Tiến độ báo cáo", "completeness"),
    ("x", "Xung đột · i: cách ly", "conflicts"),
    ("k", "Khoá đã đăng ký", "keys"),
    ("t", "Kết quả, ghi tài liệu", "results"),
)
# Below this width a screen is «-narrow» (the app's breakpoint): the home menu comes first, in
# one column, the figures under it (see app.tcss).
NARROW = 72
# Screens that only an office with units below it uses.
ABOVE_ONLY = frozenset({"receive", "completeness"})


def offered(store: Store, screen: str) -> bool:
    """Whether this office has a use for `screen` (a commune has no unit below it)."""
    return screen not in ABOVE_ONLY or bool(store.units.children(store.office.unit))


class HomeScreen(OfficeScreen):
    """Where the app opens."""

    TITLE = "Trang chính"
    BINDINGS = [
        Binding("a", "open('addresses')", "Địa chỉ", id="home.addresses"),
        Binding("h", "open('helpers')", "Người trợ giúp", id="home.helpers"),
        Binding("r", "open('review')", "Rà soát", id="home.review"),
        Binding("m", "open('models')", "Mô hình", id="home.models"),
        Binding("d", "open('assessment')", "Đánh giá", id="home.assessment"),
        Binding("g", "open('send')", "Gửi", id="home.send"),
        Binding("n", "open('receive')", "Nhận", id="home.receive"),
        Binding("o", "open('completeness')", "Tiến độ", id="home.completeness"),
        Binding("x", "open('conflicts')", "Xung đột", id="home.conflicts"),
        Binding("i", "open('quarantine')", "Cách ly", id="home.quarantine"),
        Binding("k", "open('keys')", "Khoá", id="home.keys"),
        Binding("t", "open('results')", "Kết quả", id="home.results"),
        Binding("v", "settings", "Thông tin trên văn bản", id="home.settings"),
        Binding(
            "c", "without_helper", "Trợ giúp chưa ghi người", id="home.without_helper", show=False
        ),
        Binding("b", "bin", "Đã xoá", id="home.bin", show=False),
        Binding(
            "u", "open('migrate')", "Chuyển đổi danh mục đơn vị", id="home.migrate", show=False
        ),
        Binding("q", "app.quit", "Thoát", id="home.quit"),
    ]

    def _label(self, screen: str, label: str) -> str:
        # The province has no office above: it sends its directory down instead.
        if screen == "send" and keys.is_province_office(self.store):
            return "Gửi danh mục xuống cấp dưới"
        return label

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "open" and parameters and not offered(self.store, str(parameters[0])))

    def action_open(self, name: str) -> None:
        self.app.action_open(name)

    def action_settings(self) -> None:
        self.app.push_screen(SettingsScreen(self.store))

    def action_bin(self) -> None:
        from tui.screens.bin import BinScreen

        self.app.push_screen(BinScreen(self.store))

    def action_without_helper(self) -> None:
        """The attention list's count of aid without a helper, opened: those addresses."""
        from tui.screens.addresses import NO_HELPER, AddressesScreen

        self.app.push_screen(AddressesScreen(self.store, status=NO_HELPER))

    def compose(self) -> ComposeResult:
        yield Header()
        # Scrolls (↑ ↓, PgUp PgDn) when the terminal is too short for all of it.
        with VerticalScroll(id="home"):
            yield Static(id="office")
            with Horizontal(id="home-panels"):
                yield Static(id="figures", classes="panel")
                yield Static(id="attention", classes="panel")
            with Vertical(id="menu-box"):
                with Horizontal(id="menu"):
                    yield Static("\n".join(f"[b]{key}[/b]  {label}" for key, label in ENTRY))
                    yield Static(
                        "\n".join(
                            f"[b]{key}[/b]  {self._label(screen, label)}"
                            for key, label, screen in EXCHANGE
                            if offered(self.store, screen)
                        )
                    )
                yield Static(
                    "[b]F1[/b] các phím tắt · [b]Ctrl+P[/b] danh sách lệnh · [b]q[/b] thoát",
                    classes="muted",
                )
        yield Footer()

    def on_resize(self, event: Resize) -> None:
        """In a narrow terminal the menu (what a clerk came for) comes before the figures."""
        home = self.query_one("#home", VerticalScroll)
        menu, panels = self.query_one("#menu-box"), self.query_one("#home-panels")
        narrow = event.size.width < NARROW
        if narrow != (home.children.index(menu) < home.children.index(panels)):
            if narrow:
                home.move_child(menu, before=panels)
            else:
                home.move_child(menu, after=panels)

    def on_mount(self) -> None:
        self.show_office()
        # What was restored when the store opened, and what must be typed again: the store's
        # own sentences (as `nhandao check` prints them), until the user closes them.
        for recovery in self.store.recoveries:
            self.notify(
                self.store.describe_recovery(recovery),
                title="Đã khôi phục từ bản sao lưu",
                severity="warning",
                timeout=600,
            )

    def on_screen_resume(self) -> None:
        # After the screen is painted (at start, and on coming back to it): the counting
        # thread would otherwise hold up the first paint.
        self.call_after_refresh(self.refresh_figures)

    def show_office(self) -> None:
        store = self.store
        office = store.office.unit
        children = store.units.children(office)
        kind = "kho dữ liệu thử" if store.office.demo else "văn phòng"
        if children:
            names = ", ".join(shorten(u["name"], 60) for u in children[:6])
            more = "…" if len(children) > 6 else ""
            units = f"{len(children)} đơn vị trực thuộc: {names}{more}"
        else:
            units = "Hội Chữ thập đỏ cơ sở"
        self.query_one("#office", Static).update(
            Text.assemble(literal(store.units.path(office), "bold"), f" ({kind})\n", literal(units))
        )

    def store_changed(self) -> None:
        """The store changed under this screen (an undo): show it again."""
        self.refresh_figures()

    def refresh_figures(self) -> None:
        """Count in a worker thread: the keys work at once, even on a province's records."""
        for panel in ("#figures", "#attention"):
            self.query_one(panel, Static).loading = True
        self.count_figures()

    @work(thread=True, exclusive=True, group="home-figures", exit_on_error=False)
    def count_figures(self) -> None:
        store = self.store
        office = store.office.unit
        year = store.today().year
        data = store.dataset()
        scope = set(store.units.subtree(office))
        addresses = [a for a in data.addresses if a["unit"] in scope and not a.get("deleted")]
        helpers = {h["id"]: h for h in data.helpers}
        this_year = queries.year_figures(addresses, data.aid, year)
        period = store.office.period
        result = tally(data, office, period)
        statuses = Counter(queries.status(a) for a in addresses)
        figures = (
            f"[b]Năm {year}[/b]\n"
            f"Địa chỉ đang trợ giúp: {format_number(statuses['active'])}\n"
            f"(mới khảo sát {format_number(statuses['surveyed'])}, đã dừng "
            f"{format_number(statuses['stopped'])})\n"
            f"Được trợ giúp: {format_number(this_year.helped)} địa chỉ\n"
            f"Giá trị trợ giúp: {format_money(this_year.value)}\n"
            f"[b]Giai đoạn {period.label()}[/b]\n"
            f"Được trợ giúp: {format_number(result.total.helped)} địa chỉ\n"
            f"Giá trị: {format_money(result.total.value)}"
        )
        due = queries.due_for_review(addresses, data.reviews, year)
        without_helper = queries.aid_without_helper(addresses, data.aid, helpers)
        lines = [
            "[b]Cần chú ý[/b]",
            f"Chưa rà soát năm {year}: {format_number(len(due))} địa chỉ (r)",
            f"Trợ giúp chưa ghi người trợ giúp: {format_number(without_helper.total())} lần, ở "
            f"{format_number(len(without_helper))} địa chỉ (c)",
        ]
        held, conflicts = len(quarantine.held(store)), len(store.conflicts())
        if held or conflicts:
            lines.append(
                f"Cách ly: {format_number(held)} bản ghi (i) · xung đột: "
                f"{format_number(conflicts)} (x)"
            )
        if "reform" in store.directory and not reform.uses_2025(store):
            lines.append("Tỉnh Hội đã dùng danh mục đơn vị năm 2025: hãy chuyển đổi kho (u)")
        attention = Text.from_markup("\n".join(lines))
        if store.recoveries:
            restored = ", ".join(r.path.name for r in store.recoveries)
            attention.append(
                f"\nĐã khôi phục {len(store.recoveries)} tệp từ bản sao lưu ({restored}): xem "
                "thông báo, hãy nhập lại những gì đã mất",
                style="red",
            )
        self.app.call_from_thread(self._show_figures, figures, attention)

    def _show_figures(self, figures: str, attention: Text) -> None:
        self.query_one("#figures", Static).update(figures)
        self.query_one("#attention", Static).update(attention)
        for panel in ("#figures", "#attention"):
            self.query_one(panel, Static).loading = False
        self.post_message(self.FiguresShown())

    class FiguresShown(Message):
        """The figures of the home screen are up to date."""
