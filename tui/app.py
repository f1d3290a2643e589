"""The Textual app: keyboard-first data entry for an office, on its store."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterable

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import Screen

from campaign.records import KINDS
from store.errors import StoreError
from store.store import Store
from tui import drafts
from tui.idle_gc import IdleCollector
from tui.literal import quoted, shorten, visible
from tui.palette import Palette, VietnameseCommands
from tui.screens.addresses import AddressesScreen
from tui.screens.dialogs import ConfirmScreen, HelpScreen, screen_bindings
from tui.screens.exchange import KeysScreen, ReceiveScreen, SendScreen
from tui.screens.home import NARROW, HomeScreen, offered
from tui.screens.lists import AssessmentScreen, HelpersScreen, ModelsScreen
from tui.screens.migrate import MigrationScreen
from tui.screens.office import goes_up
from tui.screens.province import (
    CompletenessScreen,
    ConflictsScreen,
    QuarantineScreen,
    ResultsScreen,
)
from tui.screens.review import ReviewScreen

SCREENS = {
    "addresses": AddressesScreen,
    "helpers": HelpersScreen,
    "review": ReviewScreen,
    "models": ModelsScreen,
    "assessment": AssessmentScreen,
    "send": SendScreen,
    "receive": ReceiveScreen,
    "keys": KeysScreen,
    "conflicts": ConflictsScreen,
    "quarantine": QuarantineScreen,
    "completeness": CompletenessScreen,
    "results": ResultsScreen,
    "migrate": MigrationScreen,
}


class QuitScreen(ConfirmScreen):
    """Quit with typing not saved? (Ctrl+Q again answers yes.)"""

    def __init__(self) -> None:
        super().__init__(
            "Có những gì vừa nhập chưa được lưu. Thoát mà không lưu?", yes="Thoát", no="Ở lại"
        )


class NhandaoApp(App[None]):
    """nhandao: the records of the campaign «Mỗi tổ chức, mỗi cá nhân gắn với một địa chỉ
    nhân đạo»."""

    CSS_PATH = "app.tcss"
    # Every screen is «-narrow» below 72 columns and «-short» below 24 lines (app.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (24, "-tall")]
    TITLE = "nhandao"
    COMMANDS = {VietnameseCommands}
    BINDINGS = [
        # Shown first by every screen's own footer (OfficeScreen); here for the dialogs.
        Binding("f1", "help", "Phím tắt", id="app.help", show=False),
        Binding("ctrl+q", "quit", "Thoát", id="app.quit", priority=True),
        Binding("ctrl+z", "undo", "Hoàn tác lần lưu, xoá vừa rồi", id="app.undo", show=False),
        Binding("ctrl+p", "command_palette", "Lệnh", show=False, id="app.palette", priority=True),
    ]

    def __init__(self, store: Store, *, cursor_blink: bool | None = None) -> None:
        super().__init__()
        self.store = store
        self.sub_title = store.units.name(store.office.unit)
        if cursor_blink is None:
            cursor_blink = os.environ.get("NHANDAO_CURSOR_BLINK", "1") != "0"
        self.cursor_blink = cursor_blink
        self.collector = IdleCollector()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification is plain text: its messages carry names, file names and errors
        from outside, so markup is never read and control characters show as placeholders."""
        super().notify(
            visible(shorten(str(message), 2_000), lines=True),
            title=visible(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def format_title(self, title: str, sub_title: str) -> Content:
        return super().format_title(visible(title), visible(sub_title))

    def on_mount(self) -> None:
        if not self.is_headless:
            self._watch_hang_up()
        self.collector.start()
        self.set_interval(0.25, self.collector.tick)
        self.call_after_refresh(self.reopen_drafts)

    def on_unmount(self) -> None:
        self.collector.stop()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self.collector.touched()
        await super().on_event(event)

    def reopen_drafts(self) -> None:
        """Open again the screens whose typing was kept when the window was last closed."""
        try:
            kept = drafts.take(self.store)
        except OSError:
            return  # a store opened on a medium that takes no writes: offered next time
        screens = [screen for draft in kept if (screen := drafts.reopen(self.store, draft))]
        for screen in screens:
            self.push_screen(screen)
        if screens:
            self.notify(
                f"Lần trước cửa sổ bị đóng khi còn {len(screens)} màn hình nhập dở: đã mở lại "
                "với những gì đã gõ. Hãy xem lại rồi lưu (Ctrl+S), hoặc bỏ (Esc).",
                title="Nhập dở",
                timeout=30,
            )

    def hang_up(self) -> None:
        """The terminal window is being closed: keep what is typed and not saved, then quit."""
        with contextlib.suppress(OSError):  # a full disk: nothing more can be done now
            drafts.keep(self.store, self.screen_stack)
        self.exit()

    def _watch_hang_up(self) -> None:
        if sys.platform == "win32":  # pragma: no cover - the console API exists only there
            self._console_handler = _on_console_close(lambda: self.call_from_thread(self.hang_up))
        else:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.hang_up)

    def get_default_screen(self) -> Screen:
        return HomeScreen(self.store)

    def action_open(self, name: str) -> None:
        """Open one of the main screens (from the home screen or the command palette)."""
        if not offered(self.store, name):
            return
        screen = SCREENS[name](self.store)
        try:
            screen.read_first()
        except StoreError as error:
            self.notify(str(error), title="Không mở được", severity="error", timeout=30)
            return
        self.push_screen(screen)

    async def action_quit(self) -> None:
        """Ctrl+Q: quit, after asking when a screen holds typing not saved yet (as Escape
        asks); Ctrl+Q again on that question quits."""
        if isinstance(self.screen, QuitScreen) or not any(
            getattr(screen, "unsaved", lambda: False)() for screen in self.screen_stack
        ):
            self.exit()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(QuitScreen(), answered)

    def action_undo(self) -> None:
        """Ctrl+Z: take back the last save or deletion (`Store.undo`), from any screen; the
        screen shown counts again when it can (`store_changed`)."""
        resolution = bool(self.store.journal) and self.store.journal[-1].settled is not None
        try:
            undone = self.store.undo()
        except StoreError as error:
            self.notify(str(error), title="Chưa hoàn tác", severity="warning", timeout=10)
            return
        kind, fields = undone[0]
        name = f" {quoted(fields['name'], 60)}" if fields.get("name") else ""
        if resolution:
            said = (
                f"Đã hoàn tác việc chọn bản: {KINDS[kind].label.lower()}{name} trở lại bản đang "
                "dùng trước đó, và xung đột lại chờ chọn trong danh sách «Xung đột»."
            )
        elif len(undone) == 1:
            said = f"Đã hoàn tác: {KINDS[kind].label.lower()}{name}" + (
                " đã được xoá lại." if fields.get("deleted") else " trở lại như trước."
            )
        else:
            said = f"Đã hoàn tác {len(undone)} bản ghi lưu cùng một lần."
        if goes_up(self.store):
            said += " Việc hoàn tác cũng được gửi lên cấp trên."
        self.notify(said, title="Hoàn tác")
        changed = getattr(self.screen, "store_changed", None)
        if callable(changed):
            changed()

    def action_command_palette(self) -> None:
        """Ctrl+P: the palette in Vietnamese, searched without accents."""
        if not Palette.is_open(self):
            self.push_screen(Palette())

    def action_help_quit(self) -> None:
        """Ctrl+C (Textual: it no longer quits): say in Vietnamese how to quit."""
        self.notify("Nhấn Ctrl+Q để thoát chương trình.", title="Thoát?")

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette (Ctrl+P) in Vietnamese: every action of the screen, then the rest."""
        for binding in screen_bindings(screen):
            node = self if binding.id and binding.id.startswith("app.") else screen
            yield SystemCommand(
                binding.description,
                f"Phím {self.get_key_display(binding)}",
                lambda action=binding.action, node=node: self.call_later(node.run_action, action),
            )
        titles = {
            "addresses": "Địa chỉ nhân đạo",
            "helpers": "Người trợ giúp",
            "review": "Rà soát hằng năm",
            "models": "Mô hình",
            "assessment": "Đánh giá đơn vị",
            "send": "Gửi dữ liệu",
            "receive": "Nhận dữ liệu",
            "keys": "Khoá đã đăng ký",
            "conflicts": "Xung đột",
            "quarantine": "Bản ghi bị cách ly",
            "completeness": "Tiến độ báo cáo",
            "results": "Kết quả",
            "migrate": "Chuyển đổi danh mục đơn vị (2025)",
        }
        for name, title in titles.items():
            if not offered(self.store, name):
                continue
            yield SystemCommand(
                f"Mở: {title}", "Màn hình", lambda name=name: self.action_open(name)
            )
        yield SystemCommand("Giao diện sáng/tối", "Đổi bảng màu", self.action_change_theme)
        yield SystemCommand("Thoát", "Đóng chương trình", self.action_quit)  # once: see palette


def _on_console_close(then: Callable[[], None]) -> object:  # pragma: no cover - Windows only
    """Call `then` when the console window is closed, the user logs off or Windows shuts down
    (the process has a few seconds before it is ended). Returns the handler, to keep alive."""
    import ctypes
    from ctypes import wintypes

    close_events = {2, 5, 6}  # CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT

    @ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.DWORD)
    def handler(event: int) -> bool:
        if event in close_events:
            with contextlib.suppress(Exception):
                then()
            return True
        return False  # Ctrl+C and Ctrl+Break: as before

    ctypes.windll.kernel32.SetConsoleCtrlHandler(handler, True)  # type: ignore[attr-defined]
    return handler
