"""The command palette (Ctrl+P) in Vietnamese: searched without accents, its own words
translated, each command once; and the one other phrase of Textual's a user sees (the footer of
an open drop-down list)."""

from __future__ import annotations

from textual.binding import Binding
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.widgets._select import SelectOverlay
from textual.widgets.option_list import Option

from campaign.text import fold

PLACEHOLDER = "Tìm lệnh (không cần gõ dấu)…"
NO_MATCHES = "Không có lệnh nào khớp"


class VietnameseCommands(Provider):
    """The app's commands (`App.get_system_commands`), matched on their folded names, so that
    «dia chi» finds «Mở: Địa chỉ nhân đạo»; a command offered twice is shown once."""

    def _commands(self) -> list:
        seen: set[str] = set()
        commands = []
        for command in self.app.get_system_commands(self.screen):
            if command.title not in seen:
                seen.add(command.title)
                commands.append(command)
        return commands

    async def discover(self) -> Hits:
        for command in sorted(self._commands(), key=lambda c: fold(c.title)):
            if command.discover:
                yield DiscoveryHit(command.title, command.callback, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(fold(query))
        for command in self._commands():
            score = matcher.match(fold(command.title))
            if score > 0:
                # The title as written (with its accents), never read as markup.
                yield Hit(score, Content(command.title), command.callback, help=command.help)


class Palette(CommandPalette):
    """Textual's palette with a Vietnamese placeholder and «no matches» line."""

    def __init__(self) -> None:
        super().__init__(id="--command-palette", placeholder=PLACEHOLDER)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own method, with the line in Vietnamese (Textual 8 has no setting for it).
        self._stop_no_matches_countdown()

        def show() -> None:
            if search_value:
                commands = self.query_one(CommandList)
                commands.add_option(Option(NO_MATCHES, disabled=True, id=self._NO_MATCHES))
                self._list_visible = True

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show)


def translate_textual() -> None:
    """The drop-down list's Escape says «Đóng danh sách», not «Dismiss menu» (Textual gives no
    setting: its class's bindings are replaced, then merged again as Textual does at import)."""
    SelectOverlay.BINDINGS = [Binding("escape", "dismiss", "Đóng danh sách")]
    SelectOverlay._merged_bindings = SelectOverlay._merge_bindings()


translate_textual()
