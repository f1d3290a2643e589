"""Ctrl+Q asks before dropping typing not saved yet, as Escape does; it quits at once otherwise."""

from __future__ import annotations

from pathlib import Path

from factories import TODAY
from test_flows import commune, type_text  # noqa: F401  (the fixture)
from textual.widgets import Input

from store.store import Store
from tui.app import NhandaoApp, QuitScreen
from tui.screens.address_detail import AddressDetail
from tui.screens.forms import AddressForm


def open_store(path: Path) -> Store:
    return Store.open(path, today=lambda: TODAY)


async def test_ctrl_q_in_a_form_with_typing_asks_and_staying_keeps_the_typing(
    commune: Path,  # noqa: F811
) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a", "ctrl+n")
            await type_text(pilot, "Nguyễn Thị Hằng")
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert isinstance(app.screen, QuitScreen)
            assert app.is_running
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, AddressForm)
            assert app.screen.query_one("#field-name Input", Input).value == "Nguyễn Thị Hằng"
            await pilot.press("ctrl+q", "y")
            await pilot.pause()
            assert not app.is_running
        assert [a["name"] for a in store.records("address")] == ["Lê Văn Tám"]  # nothing saved


async def test_ctrl_q_twice_quits_without_saving(commune: Path) -> None:  # noqa: F811
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a", "ctrl+n")
            await type_text(pilot, "Nguyễn")
            await pilot.press("ctrl+q", "ctrl+q")
            await pilot.pause()
            assert not app.is_running


async def test_ctrl_q_with_nothing_typed_quits_at_once(commune: Path) -> None:  # noqa: F811
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a", "ctrl+n")  # an empty new form: nothing to lose
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert not app.is_running


async def test_ctrl_q_with_an_aid_half_typed_asks(commune: Path) -> None:  # noqa: F811
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a", "enter", "enter")  # the search box, the table, the address
            await pilot.pause()
            assert isinstance(app.screen, AddressDetail)
            app.screen.query_one("#aid-value", Input).value = "500k"
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert isinstance(app.screen, QuitScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, AddressDetail)
            assert app.is_running
