"""What a clerk sees in a small terminal: at 60×20 the home menu whole and apart from the rest,
names with their room; at 80×24 every assessment title whole, not cut to «Mô hình tiêu…»."""

from __future__ import annotations

from pilots import settle
from rich.cells import cell_len
from test_snapshots import app_on, demo_commune
from textual.widget import Widget
from textual.widgets import Static

from tui.screens.address_detail import AddressDetail
from tui.screens.lists import ASSESSMENT_FLAGS
from tui.widgets.record_table import NAME_ROOM, RecordTable

__all__ = ["app_on", "demo_commune"]  # fixtures, used by name


def shown_lines(static: Static) -> list[str]:
    return str(static.render()).splitlines()


def apart(widgets: list[Widget]) -> bool:
    regions = [w.region for w in widgets]
    return all(not a.overlaps(b) for i, a in enumerate(regions) for b in regions[i + 1 :])


def header_of(table: RecordTable) -> list[str]:
    """Each shown column's title as it reads on screen, its two lines put together."""
    lines = [table.render_line(y).text for y in range(table.header_height)]
    titles, x = [], 0
    for size in table.widths():
        if size:
            titles.append(" ".join(line[x : x + size].strip() for line in lines).strip())
            x += size + 1
    return titles


async def test_the_home_menu_is_whole_and_apart_at_60x20(app_on) -> None:  # type: ignore[no-untyped-def]
    app = app_on()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        screen = app.screen
        view = screen.query_one("#home").region
        menu = list(screen.query("#menu Static"))
        hint = screen.query_one("#menu-box > Static", Static)
        office = screen.query_one("#office", Static)
        # One column: the entries one under the other, each line on one row, all on screen.
        assert len(menu) == 2 and menu[0].region.bottom <= menu[1].region.y
        for static in menu:
            lines = shown_lines(static)
            assert static.region.height == len(lines)
            assert all(cell_len(line) <= static.region.width for line in lines)
            assert view.contains_region(static.region)
        assert "a  Địa chỉ nhân đạo, trợ giúp" in shown_lines(menu[0])
        assert "t  Kết quả, ghi tài liệu" in shown_lines(menu[1])
        assert view.contains_region(hint.region)
        # Nothing overlaps: the office, the menu, the hint, the figures below them.
        figures, attention = screen.query_one("#figures"), screen.query_one("#attention")
        assert apart([office, *menu, hint, figures, attention])
        assert figures.region.y > hint.region.bottom
        # The figures are there by scrolling down.
        await pilot.press("end")
        await pilot.pause()
        assert view.contains_region(screen.query_one("#attention").region)
        assert "Cần chú ý" in str(attention.render())


async def test_the_home_screen_keeps_its_figures_on_top_at_80x24(app_on) -> None:  # type: ignore[no-untyped-def]
    app = app_on()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        screen = app.screen
        view = screen.query_one("#home").region
        menu = list(screen.query("#menu Static"))
        panels = screen.query_one("#home-panels")
        assert menu[0].region.y == menu[1].region.y  # two columns side by side
        assert panels.region.bottom <= menu[0].region.y
        assert all(view.contains_region(w.region) for w in [panels, *menu])
        assert apart([panels, *menu])


async def test_names_keep_their_room_at_60x20(app_on) -> None:  # type: ignore[no-untyped-def]
    app = app_on()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("a")
        await settle(pilot)
        table = app.screen.query_one("#addresses", RecordTable)
        widths = dict(zip((c.title for c in table.columns), table.widths(), strict=True))
        assert widths["Tên địa chỉ"] >= NAME_ROOM
        assert widths["Tên địa chỉ"] > widths["Nơi ở"]
        first = table.row(0)[0]
        assert table.render_line(table.header_height).text.startswith(first)
        # The filters are not cut mid-word.
        prompts = [str(s.query_one("SelectCurrent Static").render()) for s in
                   app.screen.query("#filters Select")]  # fmt: skip
        assert "Mọi tình trạng" in prompts


async def test_an_address_shows_the_value_of_its_aid_at_60x20(app_on) -> None:  # type: ignore[no-untyped-def]
    app = app_on()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("a", *"nguyen thi anh", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AddressDetail)
        aid = app.screen.query_one("#aid", RecordTable)
        titles = header_of(aid)
        assert titles[:4] == ["Ngày", "Người trợ giúp", "Hình thức", "Giá trị (đ)"]
        assert aid.widths()[1] >= NAME_ROOM
        assert aid.size.height >= 3  # the header and at least two aid rows
        value = aid.row(0)[3]
        assert value and value in aid.render_line(aid.header_height).text
        # The entry: every field at least as wide as its hint, none on top of another.
        fields = [app.screen.query_one(f"#{name}") for name in
                  ("aid-on", "aid-helper", "aid-form", "aid-value", "aid-excluded")]  # fmt: skip
        assert apart(fields)
        assert app.screen.query_one("#aid-value").region.width >= cell_len("giá trị: 1,5tr")


async def test_the_assessment_titles_are_whole_at_80_columns(app_on) -> None:  # type: ignore[no-untyped-def]
    app = app_on()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        await settle(pilot)
        table = app.screen.query_one("#units", RecordTable)
        assert all(table.widths())  # every criterion shown
        assert header_of(table) == ["Đơn vị", *ASSESSMENT_FLAGS.values()]
        assert "…" not in "".join(table.render_line(y).text for y in range(table.header_height))
        # The rows start under the two-line header.
        assert table.render_line(table.header_height).text.startswith("Phường 1")
