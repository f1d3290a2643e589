"""Nothing deleted is lost: the «Đã xoá» screen lists the office's tombstones, newest first, with
their history, and restores one as a new version."""

from __future__ import annotations

from factories import address, aid, helper
from pilots import settle
from textual.widgets import Static

from store.store import Store
from tui.app import NhandaoApp
from tui.screens.bin import BinScreen
from tui.widgets.record_table import RecordTable


def rows(screen: BinScreen) -> list[tuple[str, ...]]:
    table = screen.query_one("#bin", RecordTable)
    return [table.row(i) for i in range(table.row_count)]


async def test_deleted_records_are_listed_and_one_is_restored(store: Store) -> None:
    store.save_many([("helper", helper()), ("address", address(name="Lê Thị [b]Mai[/b]")),
                     ("aid", aid(value=300_000, on="2015-04-02"))])  # fmt: skip
    store.delete("aid", "x1")
    store.delete("address", "a1")
    app = NhandaoApp(store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BinScreen)
        listed = rows(screen)
        # Newest deletion first; names as typed, never markup.
        assert [(r[0], r[1], r[3]) for r in listed] == [
            ("Địa chỉ", "Lê Thị [b]Mai[/b]", "văn phòng này"),
            ("Lần trợ giúp", "Lê Thị [b]Mai[/b]: 300.000 đ ngày 02/04/2015", "văn phòng này"),
        ]
        detail = str(screen.query_one("#bin-detail", Static).render())
        assert detail.startswith("Các phiên bản: ") and "(xoá)" in detail
        assert detail.count("văn phòng này") == 2  # saved, then deleted
        await pilot.press("r")
        await pilot.pause()
        restored = store.get("address", "a1")
        assert restored is not None and not restored["deleted"]
        assert restored["name"] == "Lê Thị [b]Mai[/b]"
        assert [r[0] for r in rows(screen)] == ["Lần trợ giúp"]
        # The aid comes back too, now that its address is there.
        await pilot.press("r")
        await pilot.pause()
        assert not store.get("aid", "x1")["deleted"]  # type: ignore[index]
        assert rows(screen) == []
        assert store.count("aid") == 1 and store.count("address") == 1


async def test_a_restore_the_rules_refuse_is_said_and_changes_nothing(store: Store) -> None:
    store.save_many([("helper", helper()), ("address", address()), ("aid", aid())])
    store.delete("aid", "x1")
    store.delete("address", "a1")
    app = NhandaoApp(store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        await pilot.press("down", "r")  # the aid, whose address is deleted
        await pilot.pause()
        assert store.get("aid", "x1")["deleted"]  # type: ignore[index]
        assert any(
            n.title == "Chưa khôi phục" and "hãy khôi phục địa chỉ đó trước" in n.message
            for n in app._notifications
        )
        assert len(rows(screen)) == 2


async def test_ctrl_z_takes_back_the_last_deletion_from_any_screen(store: Store) -> None:
    from tui.screens.addresses import AddressesScreen

    store.save("address", address(name="Trần Văn Tư"))
    app = NhandaoApp(store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AddressesScreen)
        table = screen.query_one("#addresses", RecordTable)
        table.focus()
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert table.row_count == 0
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert table.row_count == 1  # the list shows it again at once
        assert not store.get("address", "a1")["deleted"]  # type: ignore[index]
        notices = [n.message for n in app._notifications]
        assert any(m.startswith("Đã hoàn tác: địa chỉ «Trần Văn Tư» trở lại như trước.")
                   for m in notices), notices  # fmt: skip
        await pilot.press("ctrl+z")  # then its making: a tombstone
        await pilot.pause()
        assert table.row_count == 0 and store.get("address", "a1")["deleted"]  # type: ignore[index]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert any("Không còn việc nào để hoàn tác" in n.message for n in app._notifications)
