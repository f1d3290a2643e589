"""The history of a record on its own screen (key `l`): every version, newest first, with when
and by which office it was written, the one in use, a deletion, and an edit waiting in the
conflicts; from the address detail (the address, an aid, an attachment), the helpers and the
models. Names are shown literally and a clock set absurdly far ahead shows «?»."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from factories import address, aid, helper
from hostile import planted, raw_controls, rename_units, shown_as
from offices import Chain, chain, noon
from pilots import settle
from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.widgets import Input, Static
from textual.widgets._footer import FooterKey

from store.hlc import HybridClock
from store.store import Store
from sync import send
from sync.receive import import_bundle
from tui.app import NhandaoApp
from tui.screens.address_detail import AddressDetail
from tui.screens.bin import BinScreen
from tui.screens.dialogs import HelpScreen
from tui.screens.history import HistoryScreen
from tui.screens.lists import HelpersScreen, ModelsScreen
from tui.widgets.record_table import RecordTable

# ----------------------------------------------------------------------------- reading screens


def versions(app: App) -> list[tuple[str, ...]]:
    """The rows of the history shown: when, which office, what the version is."""
    screen = app.screen
    assert isinstance(screen, HistoryScreen), screen
    table = screen.query_one("#versions", RecordTable)
    return [table.row(index) for index in range(table.row_count)]


def said(app: App, name: str) -> str:
    return str(app.screen.query_one(f"#history-{name}", Static).render())


def painted(app: App) -> str:
    """What every screen of the stack paints, line by line."""
    return "\n".join(
        strip.text for screen in app.screen_stack for strip in screen._compositor.render_strips()
    )


def at_noon(store: Store, day: date) -> None:
    """The office's clock reads noon of `day` (so that its next versions are written then)."""
    store.clock = HybridClock(store.office.id, wall_ms=lambda: noon(day))


def attachment(**fields: object) -> dict:
    return {"id": "g1", "address": "a1", "helper": "h1", "from": "2015-01-01", **fields}


async def open_address(pilot, name: str = "") -> AddressDetail:  # type: ignore[no-untyped-def]
    """From the home screen, the address list searched for `name`, then its first address."""
    await pilot.press("a")
    await pilot.pause()
    pilot.app.screen.query_one("#search", Input).value = name
    await pilot.pause()
    pilot.app.screen.query_one("#addresses", RecordTable).focus()
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AddressDetail), screen
    return screen


def footer_keys(app: App) -> list[str]:
    return [key.key for key in app.screen.query(FooterKey)]


async def f1_lists_history(pilot) -> None:  # type: ignore[no-untyped-def]
    """F1 on the screen shown lists «l Lịch sử»; the footer at 80 columns begins with F1."""
    app = pilot.app
    assert footer_keys(app)[0] == "f1", footer_keys(app)
    await pilot.press("f1")
    await pilot.pause()
    assert isinstance(app.screen, HelpScreen)
    keys = str(app.screen.query_one("#help-keys").render())
    assert any(line.split() == ["l", "Lịch", "sử"] for line in keys.splitlines()), keys
    await pilot.press("escape")
    await pilot.pause()


# ----------------------------------------------------------------------------- two offices


@pytest.fixture
def edited(tmp_path: Path) -> Iterator[Chain]:
    """Phường 1 saved the address a1 on 02/11/2026 and edited it on 09/11; its bundle reached
    Thành phố Tây Ninh's office, which edited it on 20/11."""
    with chain(tmp_path / "offices") as offices:
        commune, district = offices.commune, offices.district
        at_noon(commune, date(2026, 11, 2))
        commune.save("address", address())
        at_noon(commune, date(2026, 11, 9))
        commune.save("address", address(place="Khu phố 2"))
        sent = send.export_records(commune, tmp_path / "c1")
        assert sent is not None and import_bundle(district, sent.path).status == "merged"
        at_noon(district, date(2026, 11, 20))
        district.save("address", address(place="Khu phố 3"))
        yield offices


THREE = [
    ("20/11/2026 12:00", "văn phòng này", "(bản đang dùng)"),
    ("09/11/2026 12:00", "Phường 1", ""),
    ("02/11/2026 12:00", "Phường 1", ""),
]


async def test_an_address_edited_here_after_another_office_shows_its_three_versions(
    edited: Chain,
) -> None:
    app = NhandaoApp(edited.district, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        detail = await open_address(pilot)
        assert detail.query_one("#aid", RecordTable).row_count == 0
        await pilot.press("l")  # no aid, no row chosen: the address itself
        await pilot.pause()
        assert said(app, "title") == "Lịch sử: Địa chỉ «Nguyễn Văn An»"
        assert said(app, "count") == "3 phiên bản; lần sửa đầu ngày 02/11/2026."
        assert versions(app) == THREE
        assert not app.screen.query("#history-pending")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is detail
        await f1_lists_history(pilot)
        await pilot.press("L")  # Shift+L: the address, wherever the focus is
        await pilot.pause()
        assert versions(app) == THREE


async def test_an_edit_waiting_in_the_conflicts_is_among_the_versions(
    edited: Chain, tmp_path: Path
) -> None:
    commune, district = edited.commune, edited.district
    at_noon(commune, date(2026, 11, 25))  # Phường 1 edits again, not knowing the district's
    commune.save("address", address(place="Khu phố 4"))
    sent = send.export_records(commune, tmp_path / "c2")
    assert sent is not None
    assert import_bundle(district, sent.path).total("conflict") == 1
    app = NhandaoApp(district, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_address(pilot)
        await pilot.press("L")
        await pilot.pause()
        assert versions(app) == [
            ("25/11/2026 12:00", "Phường 1", "(bản đang dùng)"),
            ("20/11/2026 12:00", "văn phòng này", "(sửa cùng lúc, chờ chọn)"),
            ("09/11/2026 12:00", "Phường 1", ""),
            ("02/11/2026 12:00", "Phường 1", ""),
        ]
        assert said(app, "count") == "4 phiên bản; lần sửa đầu ngày 02/11/2026."
        assert said(app, "pending") == (
            "Văn phòng này đã sửa bản ghi này cùng lúc với bản đang dùng: bản sửa đó đang chờ "
            "chọn ở màn hình «Xung đột» (phím x ở màn hình chính)."
        )


# ----------------------------------------------------------------------------- one office


async def test_the_history_of_an_aid_and_of_an_attachment_from_the_address_detail(
    store: Store,
) -> None:
    at_noon(store, date(2026, 10, 1))
    store.save_many([("helper", helper()), ("address", address()), ("aid", aid()),
                     ("attachment", attachment())])  # fmt: skip
    at_noon(store, date(2026, 10, 8))
    store.save("aid", aid(value=700_000))
    at_noon(store, date(2026, 10, 15))
    store.save("aid", aid(value=750_000))
    app = NhandaoApp(store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        detail = await open_address(pilot)
        assert detail.focused is detail.query_one("#aid", RecordTable)
        await pilot.press("l")
        await pilot.pause()
        assert (
            said(app, "title") == "Lịch sử: Lần trợ giúp «Nguyễn Văn An: 750.000 đ ngày 01/03/2010»"
        )
        assert versions(app) == [
            ("15/10/2026 12:00", "văn phòng này", "(bản đang dùng)"),
            ("08/10/2026 12:00", "văn phòng này", ""),
            ("01/10/2026 12:00", "văn phòng này", ""),
        ]
        assert said(app, "count") == "3 phiên bản; lần sửa đầu ngày 01/10/2026."
        await pilot.press("escape")
        await pilot.pause()
        detail.query_one("#attachments", RecordTable).focus()
        await pilot.press("l")
        await pilot.pause()
        assert said(app, "title") == "Lịch sử: Gắn địa chỉ «Trần Thị Bình gắn với Nguyễn Văn An»"
        assert versions(app) == [("01/10/2026 12:00", "văn phòng này", "(bản đang dùng)")]
        assert said(app, "count") == "1 phiên bản; lần sửa đầu ngày 01/10/2026."
        await pilot.press("escape")
        await pilot.pause()
        # The entry line takes the letter as typing, not as the key.
        detail.query_one("#aid-form", Input).focus()
        await pilot.press("l")
        await pilot.pause()
        assert app.screen is detail and detail.query_one("#aid-form", Input).value == "l"


async def test_the_palette_offers_the_history_of_the_row_and_of_the_address(
    store: Store,
) -> None:
    at_noon(store, date(2026, 10, 1))
    store.save_many([("helper", helper()), ("address", address()), ("aid", aid())])
    app = NhandaoApp(store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_address(pilot)
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert commands["Lịch sử"] == "Phím l"
        assert commands["Lịch sử địa chỉ"] == "Phím Shift+L"
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        await pilot.press(*"lich su dia chi")
        for _ in range(40):  # the palette searches in a worker and fills the list as it goes
            await pilot.pause(0.05)
            if palette.query_one(CommandList).option_count:
                break
        commands = palette.query_one(CommandList)
        first = str(commands.get_option_at_index(0).prompt)
        assert first.startswith("Lịch sử địa chỉ"), first
        await pilot.press("down", "enter")
        await settle(pilot)
        assert said(app, "title") == "Lịch sử: Địa chỉ «Nguyễn Văn An»"


async def test_the_history_of_a_helper_and_of_a_model_from_their_lists(store: Store) -> None:
    at_noon(store, date(2026, 9, 1))
    store.save_many([("helper", helper()), ("address", address()), ("attachment", attachment()),
                     ("model", {"id": "m1", "unit": "25456", "type": "charity_kitchen",
                                "name": "Bếp ăn từ thiện", "started_on": "2012-01-01"})])  # fmt: skip
    at_noon(store, date(2026, 9, 3))
    store.save("helper", helper(name="Trần Thị Bình (tổ 2)"))
    store.delete("model", "m1")
    at_noon(store, date(2026, 9, 4))
    store.save("model", {"id": "m1", "unit": "25456", "type": "charity_kitchen",
                         "name": "Bếp ăn từ thiện", "started_on": "2012-01-01"})  # fmt: skip
    app = NhandaoApp(store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await pilot.pause()
        helpers = app.screen
        assert isinstance(helpers, HelpersScreen)
        await f1_lists_history(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert said(app, "title") == "Lịch sử: Người trợ giúp «Trần Thị Bình (tổ 2)»"
        assert versions(app) == [
            ("03/09/2026 12:00", "văn phòng này", "(bản đang dùng)"),
            ("01/09/2026 12:00", "văn phòng này", ""),
        ]
        await pilot.press("escape")
        await pilot.pause()
        helpers.query_one("#attached", RecordTable).focus()
        await pilot.press("l")
        await pilot.pause()
        assert said(app, "title").startswith("Lịch sử: Gắn địa chỉ «Trần Thị Bình (tổ 2) gắn")
        await pilot.press("escape", "escape", "m")
        await pilot.pause()
        assert isinstance(app.screen, ModelsScreen)
        await f1_lists_history(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert said(app, "title") == "Lịch sử: Mô hình «Bếp ăn từ thiện»"
        assert versions(app) == [
            ("04/09/2026 12:00", "văn phòng này", "(bản đang dùng)"),
            ("03/09/2026 12:00", "văn phòng này", ""),  # its deletion, since restored
            ("01/09/2026 12:00", "văn phòng này", ""),
        ]


async def test_a_deleted_record_says_so_and_the_bin_still_shows_its_versions(
    store: Store,
) -> None:
    at_noon(store, date(2026, 9, 1))
    store.save_many([("helper", helper()), ("address", address())])
    at_noon(store, date(2026, 9, 2))
    store.delete("address", "a1")
    app = NhandaoApp(store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(HistoryScreen(store, "address", "a1"))
        await pilot.pause()
        assert versions(app) == [
            ("02/09/2026 12:00", "văn phòng này", "(xoá) (bản đang dùng)"),
            ("01/09/2026 12:00", "văn phòng này", ""),
        ]
        await pilot.press("escape", "b")
        await pilot.pause()
        assert isinstance(app.screen, BinScreen)
        assert str(app.screen.query_one("#bin-detail", Static).render()) == (
            "Các phiên bản: 02/09/2026 12:00 — văn phòng này (xoá); "
            "01/09/2026 12:00 — văn phòng này"
        )
        await pilot.press("l")  # every version, not only the latest five
        await pilot.pause()
        assert said(app, "title") == "Lịch sử: Địa chỉ «Nguyễn Văn An»"
        assert [row[2] for row in versions(app)] == ["(xoá) (bản đang dùng)", ""]


# ----------------------------------------------------------------------------- hostile data

HOSTILE_NAME = "Bà [bold]x[/] Chín\x1b[2J"
HOSTILE_UNIT = "Phường [red]1[/]\x1b[2J"


async def test_names_and_office_names_are_shown_literally(store: Store) -> None:
    at_noon(store, date(2026, 9, 1))
    planted(store, "address", address(name=HOSTILE_NAME))
    # An edit from an office of Phường 1, whose name in the directory is hostile too.
    store.clock = HybridClock("25456-ab", wall_ms=lambda: noon(date(2026, 9, 5)))
    first = store.get("address", "a1")["v"]  # type: ignore[index]
    planted(store, "address", {**address(name=HOSTILE_NAME, place="Khu phố 2"), "prev": first})
    rename_units(store, {"25456": HOSTILE_UNIT})
    app = NhandaoApp(store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(HistoryScreen(store, "address", "a1"))
        await pilot.pause()
        assert said(app, "title") == f"Lịch sử: Địa chỉ «{shown_as(HOSTILE_NAME)}»"
        assert versions(app) == [
            ("05/09/2026 12:00", HOSTILE_UNIT, "(bản đang dùng)"),  # painted literally below
            ("01/09/2026 12:00", "văn phòng này", ""),
        ]
        shown = painted(app)
        assert f"«{shown_as(HOSTILE_NAME)}»" in shown and shown_as(HOSTILE_UNIT) in shown
        assert not raw_controls(shown)


async def test_a_version_from_a_clock_absurdly_far_ahead_shows_a_question_mark(
    store: Store,
) -> None:
    store.clock = HybridClock(store.office.id, wall_ms=lambda: 99_999_999_999_999)
    store.save("address", address())
    absurd = store.get("address", "a1")["v"]  # type: ignore[index]
    assert absurd.startswith("99999999999999-0000-")
    at_noon(store, date(2026, 9, 1))
    store.save("address", address(place="Khu phố 2"))
    app = NhandaoApp(store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_address(pilot)
        await pilot.press("L")
        await pilot.pause()
        assert versions(app) == [
            ("01/09/2026 12:00", "văn phòng này", "(bản đang dùng)"),
            ("?", "văn phòng này", ""),
        ]
        assert said(app, "count") == "2 phiên bản; lần sửa đầu không rõ ngày."
        assert said(app, "keys").startswith("?: không rõ ngày (đồng hồ của máy ghi phiên bản")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AddressDetail)
