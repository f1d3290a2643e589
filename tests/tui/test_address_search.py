"""The address list searched as a clerk types: a phrase over name and place, filters by place,
by any year helped, and the home screen's attention count opening its list."""

from __future__ import annotations

import pytest
from factories import address, aid, helper
from pilots import settle
from textual.widgets import Input, Select, Static

from store.store import Store
from tui.app import NhandaoApp
from tui.screens.addresses import NO_HELPER, AddressesScreen
from tui.widgets.record_table import RecordTable


@pytest.fixture
def office(store: Store) -> Store:
    """Phường 1 (the province's office sees it): addresses in Khu phố 1, 3 and 10; aid in 2012
    and 2016, one without a helper."""
    store.save_many(
        [
            ("helper", helper()),
            ("address", address("a1", name="Nguyễn Thị Lan", place="Khu phố 1")),
            ("address", address("a2", name="Trần Văn Một", place="Khu phố 10")),
            ("address", address("a3", name="Lê Thị Hoa", place="Khu phố 3")),
            ("address", address("a4", name="Phạm Văn Tư", place="khu pho 3")),  # typed bare
            ("aid", aid("x1", address="a1", on="2012-05-01")),
            ("aid", aid("x2", address="a3", on="2016-05-01", helper=None)),
        ]
    )
    return store


def names(screen: AddressesScreen) -> list[str]:
    table = screen.query_one("#addresses", RecordTable)
    return [table.row(i)[0] for i in range(table.row_count)]


async def opened(pilot) -> AddressesScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("a")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, AddressesScreen)
    return screen


async def test_the_words_typed_are_a_phrase_over_name_and_place(office: Store) -> None:
    app = NhandaoApp(office, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        await pilot.press(*"khu pho 1")
        await pilot.pause()
        assert screen.query_one("#search", Input).value == "khu pho 1"
        # Not Khu phố 10, and not every address of «Phường 1».
        assert names(screen) == ["Nguyễn Thị Lan"]
        screen.query_one("#search", Input).value = "kp3"
        await pilot.pause()
        assert names(screen) == ["Lê Thị Hoa", "Phạm Văn Tư"]
        # No phrase: every word somewhere, and the count line says so.
        screen.query_one("#search", Input).value = "nguyen lan kp1"
        await pilot.pause()
        assert names(screen) == ["Nguyễn Thị Lan"]
        said = str(screen.query_one("#count", Static).render())
        assert said.startswith("Không tên, nơi ở nào có đúng cụm «nguyen lan kp1»; 1 / 4 địa chỉ")


async def test_filters_by_place_and_by_any_year_helped(office: Store) -> None:
    app = NhandaoApp(office, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        places = screen.query_one("#filter-place", Select)
        # «Khu phố 3» and «khu pho 3» are one place, shown as first written (by given name).
        options = [str(prompt) for prompt, _value in places._options[1:]]
        assert options == ["Khu phố 1", "Khu phố 10", "Khu phố 3"]
        places.value = "khu pho 3"
        await pilot.pause()
        assert names(screen) == ["Lê Thị Hoa", "Phạm Văn Tư"]
        places.value = Select.NULL
        helped = screen.query_one("#filter-helped", Select)
        helped.value = "yes:2012"
        await pilot.pause()
        assert names(screen) == ["Nguyễn Thị Lan"]
        helped.value = "no:2016"
        await pilot.pause()
        assert names(screen) == ["Nguyễn Thị Lan", "Trần Văn Một", "Phạm Văn Tư"]
        years = {value.split(":")[1] for _prompt, value in helped._options[1:]}
        assert {"2012", "2016", str(office.today().year)} <= years


async def test_the_count_of_aid_without_a_helper_opens_those_addresses(office: Store) -> None:
    app = NhandaoApp(office, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Trợ giúp chưa ghi người trợ giúp: 1 lần, ở 1 địa chỉ (c)" in " ".join(
            str(app.screen.query_one("#attention", Static).render()).split()
        )
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AddressesScreen)
        assert screen.query_one("#filter-status", Select).value == NO_HELPER
        assert names(screen) == ["Lê Thị Hoa"]
        # The box says it short; the count line says it whole.
        assert str(screen.query_one("#count", Static).render()) == (
            "1 / 4 địa chỉ · lọc: Có lần trợ giúp chưa ghi người trợ giúp · Enter: mở"
        )


async def test_down_then_enter_in_one_burst_opens_the_first_row(office: Store) -> None:
    """As a fast typist sends it: the search, ↓ and Enter come before the screen has moved the
    focus; the Enter still opens the row ↓ went to."""
    from textual._xterm_parser import XTermParser

    app = NhandaoApp(office, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        for event in XTermParser().feed("khu pho 3\x1b[B\r"):
            app.post_message(event)
        await pilot.pause()
        await pilot.pause()
        assert getattr(app.screen, "address_id", None) == "a3"  # Lê Thị Hoa, first by name


async def test_down_in_the_search_goes_into_the_list_and_the_filters_are_said_whole(
    office: Store,
) -> None:
    app = NhandaoApp(office, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        await pilot.press("down")
        table = screen.query_one("#addresses", RecordTable)
        assert screen.focused is table and table.current_key is not None
        await pilot.press("down", "enter")  # the second row, opened
        await pilot.pause()
        second = next(a for a in office.records("address") if a["name"] == names(screen)[1])
        assert app.screen.address_id == second["id"]  # type: ignore[attr-defined]
        await pilot.press("escape")
        await pilot.pause()
        helped = screen.query_one("#filter-helped", Select)
        helped.value = "no:2016"
        await pilot.pause()
        assert "Chưa giúp 2016" in [str(label) for label, _value in helped._options]
        count = str(screen.query_one("#count", Static).render())
        assert count.endswith("· lọc: Chưa được giúp năm 2016 · Enter: mở")


async def test_at_60_columns_the_names_keep_their_room(office: Store) -> None:
    office.save("address", address("a9", name="Hộ bà Nguyễn Thị Thanh Xuân", place="Khu phố 1"))
    app = NhandaoApp(office, cursor_blink=False)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await opened(pilot)
        table = screen.query_one("#addresses", RecordTable)
        header = table.render_line(0).text
        # The fixed columns on the right give way (last aid, then status), not the name.
        assert header.split()[:5] == ["Tên", "địa", "chỉ", "Loại", "Người"]
        assert "Lần cuối" not in header and "Nơi ở" in header
        lines = [table.render_line(y).text for y in range(1, 6)]
        assert any("Hộ bà Nguyễn Thị Thanh Xuân" in line for line in lines), lines
