"""The command palette and Textual's own words, in Vietnamese, searched without accents."""

from __future__ import annotations

import asyncio

from pilots import settle
from textual.command import CommandList, CommandPalette
from textual.widgets import Input

from store.store import Store
from tui.app import NhandaoApp
from tui.palette import NO_MATCHES, PLACEHOLDER


def shown(palette: CommandPalette) -> list[str]:
    commands = palette.query_one(CommandList)
    return [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]


async def typed(pilot, palette: CommandPalette, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    palette.query_one(Input).value = text
    for _ in range(40):  # the palette searches in a worker and fills the list as it goes
        await asyncio.sleep(0.05)
        await pilot.pause()
        if shown(palette):
            break
    return shown(palette)


async def test_the_palette_is_searched_without_accents_and_lists_each_command_once(
    store: Store,
) -> None:
    app = NhandaoApp(store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        assert palette.query_one(Input).placeholder == PLACEHOLDER
        found = await typed(pilot, palette, "dia chi")
        assert any("Địa chỉ nhân đạo" in line for line in found), found
        found = await typed(pilot, palette, "thoat")
        assert sum(line.startswith("Thoát") for line in found) == 1, found
        found = await typed(pilot, palette, "zzzz")
        await asyncio.sleep(0.7)  # the «no matches» line comes after half a second
        await pilot.pause()
        assert shown(palette) == [NO_MATCHES]


async def test_ctrl_c_says_in_vietnamese_how_to_quit(store: Store) -> None:
    app = NhandaoApp(store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        (notice,) = list(app._notifications)
        assert (notice.title, notice.message) == ("Thoát?", "Nhấn Ctrl+Q để thoát chương trình.")
        assert app.is_running


async def test_an_open_drop_down_list_says_how_to_close_it_in_vietnamese(store: Store) -> None:
    from textual.widgets import Footer

    app = NhandaoApp(store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#filter-group").focus()
        await pilot.press("enter")
        await pilot.pause()
        footer = " ".join(str(w.render()) for w in app.screen.query_one(Footer).children)
        assert "Đóng danh sách" in footer and "Dismiss" not in footer, footer
