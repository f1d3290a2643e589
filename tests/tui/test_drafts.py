"""Closing the terminal window keeps the typing not saved; the next start opens it again."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from factories import TODAY
from pilots import settle
from test_flows import commune, type_text  # noqa: F401  (the fixture)
from textual.widgets import Input

from store.store import Store
from tui import app as app_module
from tui.app import NhandaoApp
from tui.screens.address_detail import AddressDetail
from tui.screens.forms import AddressForm
from tui.screens.home import HomeScreen


def open_store(path: Path) -> Store:
    return Store.open(path, today=lambda: TODAY)


class Told(NhandaoApp):
    CSS_PATH = Path(app_module.__file__).with_name("app.tcss")  # not beside this file

    def __init__(self, store: Store) -> None:
        super().__init__(store, cursor_blink=False)
        self.told: list[str] = []

    def notify(self, message: str, **rest: object) -> None:  # type: ignore[override]
        self.told.append(message)
        super().notify(message, **rest)  # type: ignore[arg-type]


async def test_a_new_address_half_typed_comes_back_after_the_window_was_closed(
    commune: Path,  # noqa: F811
) -> None:
    with open_store(commune) as store:
        app = Told(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a", "ctrl+n")
            await type_text(pilot, "Nguyễn Thị [Hằng]")
            app.hang_up()  # what SIGHUP, or Windows closing the console, calls
            await pilot.pause()
            assert not app.is_running
        kept = orjson.loads((commune / "drafts.json").read_bytes())
        assert [d["form"] for d in kept["drafts"]] == ["AddressForm"]
        assert kept["drafts"][0]["values"]["name"] == "Nguyễn Thị [Hằng]"
        assert [a["name"] for a in store.records("address")] == ["Lê Văn Tám"]  # not saved
    with open_store(commune) as store:
        app = Told(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, AddressForm)
            assert app.screen.query_one("#field-name Input", Input).value == "Nguyễn Thị [Hằng]"
            assert any("đã mở lại" in told for told in app.told)
            assert not (commune / "drafts.json").exists()  # offered once
            assert app.screen.unsaved()  # Escape would ask before dropping it
            await pilot.press("ctrl+s")
            await settle(pilot)
        names = sorted(a["name"] for a in store.records("address"))
        assert names == ["Lê Văn Tám", "Nguyễn Thị [Hằng]"]


async def test_an_aid_half_typed_in_the_entry_line_comes_back(commune: Path) -> None:  # noqa: F811
    with open_store(commune) as store:
        app = Told(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a", "enter", "enter")
            await pilot.pause()
            assert isinstance(app.screen, AddressDetail)
            app.screen.query_one("#aid-form", Input).value = "Gạo"
            app.screen.query_one("#aid-value", Input).value = "500k"
            app.hang_up()
            await pilot.pause()
    with open_store(commune) as store:
        app = Told(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, AddressDetail) and screen.address_id == "a1"
            assert screen.query_one("#aid-form", Input).value == "Gạo"
            assert screen.query_one("#aid-value", Input).value == "500k"


async def test_nothing_typed_keeps_nothing(commune: Path) -> None:  # noqa: F811
    with open_store(commune) as store:
        app = Told(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a", "ctrl+n")
            app.hang_up()
            await pilot.pause()
        assert not (commune / "drafts.json").exists()


async def test_a_draft_about_a_record_that_is_gone_is_not_reopened(
    commune: Path,  # noqa: F811
) -> None:
    (commune / "drafts.json").write_bytes(
        orjson.dumps({"format": "nhandao-drafts", "version": 1,
                      "drafts": [{"form": "AddressDetail", "record": "không-có", "values": {}}]})
    )  # fmt: skip
    with open_store(commune) as store:
        app = Told(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen) and app.is_running
            assert not any("đã mở lại" in told for told in app.told)


async def test_a_damaged_drafts_file_is_set_aside_and_the_app_opens(
    commune: Path,  # noqa: F811
) -> None:
    (commune / "drafts.json").write_bytes(b'{"format": "nhandao-drafts", "drafts": [')
    with open_store(commune) as store:
        app = Told(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen) and app.is_running
    assert not (commune / "drafts.json").exists()
    assert (commune / "drafts.json.bad").exists()


def test_the_windows_console_close_event_keeps_the_drafts_and_ctrl_c_is_left_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Windows ends a console program a few seconds after its window is closed: the handler
    registered with SetConsoleCtrlHandler runs `then` for the close, log-off and shut-down
    events, and leaves Ctrl+C and Ctrl+Break to Python. (The console API is faked here; the
    installed program runs it under Wine in CI.)"""
    import ctypes
    import types

    registered: list[tuple[object, bool]] = []
    kernel32 = types.SimpleNamespace(
        SetConsoleCtrlHandler=lambda handler, add: registered.append((handler, add)) or 1
    )
    monkeypatch.setattr(ctypes, "WINFUNCTYPE", ctypes.CFUNCTYPE, raising=False)
    monkeypatch.setattr(ctypes, "windll", types.SimpleNamespace(kernel32=kernel32), raising=False)
    called: list[str] = []
    handler = app_module._on_console_close(lambda: called.append("kept"))
    assert registered == [(handler, True)]
    assert handler(0) == 0 and handler(1) == 0 and called == []  # Ctrl+C, Ctrl+Break
    for event in (2, 5, 6):  # close, log-off, shut-down
        assert handler(event) == 1
    assert called == ["kept", "kept", "kept"]
