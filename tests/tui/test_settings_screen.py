"""«Thông tin trên văn bản»: the office's settings typed on screen, driven through Pilot, and its
picture at 80×24."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import TODAY
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from store.store import Store
from tui.app import NhandaoApp, QuitScreen
from tui.screens.dialogs import ConfirmScreen
from tui.screens.home import HomeScreen
from tui.screens.settings import SettingsScreen
from tui.widgets.fields import Field

DISTRICT = "705"  # Huyện Tân Biên


def open_store(path: Path) -> Store:
    return Store.open(path, today=lambda: TODAY)


@pytest.fixture
def district(tmp_path: Path) -> Path:
    path = tmp_path / "district"
    Store.create(path, DISTRICT, today=lambda: TODAY).close()
    return path


def office_json(path: Path) -> bytes:
    return (path / "office.json").read_bytes()


def settings_on_disk(path: Path) -> dict:
    return json.loads(office_json(path))["settings"]


async def type_text(pilot: Pilot, text: str) -> None:
    """Type as a terminal sends it, combining marks and all (see tests/tui/test_flows.py)."""
    from textual._xterm_parser import XTermParser

    await pilot.pause()
    for event in XTermParser().feed(text):
        pilot.app.post_message(event)
    await pilot.pause()


def field(app: NhandaoApp, key: str) -> Field:
    return app.screen.query_one(f"#field-{key}", Field)


def error_of(app: NhandaoApp, key: str) -> str:
    found = field(app, key)
    if not found.has_class("-invalid"):
        return ""
    return str(found.query_one(".field--error", Static).content)


async def open_settings(pilot: Pilot) -> SettingsScreen:
    await pilot.press("v")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SettingsScreen)
    return screen


async def test_a_signer_typed_and_saved_is_in_the_store(district: Path) -> None:
    with open_store(district) as store:
        app = NhandaoApp(store, cursor_blink=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_settings(pilot)
            assert app.screen.title == "Thông tin trên văn bản"
            field(app, "signer_name").focus()
            await type_text(pilot, unicodedata.normalize("NFD", "Nguyễn Văn An"))
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert store.office.settings["signer_name"] == "Nguyễn Văn An"
    assert settings_on_disk(district)["signer_name"] == "Nguyễn Văn An"  # NFC, one write


async def test_the_boxes_show_the_settings_and_the_defaults_dimmed(district: Path) -> None:
    with open_store(district) as store:
        store.update_settings(signer_name="Lê Thị [b]Mai[/b]", recipients=["Tỉnh Hội", "Huyện ủy"])
        app = NhandaoApp(store, cursor_blink=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_settings(pilot)
            signer = field(app, "signer_name").input
            assert isinstance(signer, Input)
            assert signer.value == "Lê Thị [b]Mai[/b]"  # data, not markup
            place = field(app, "place").input
            assert isinstance(place, Input)
            assert (place.value, str(place.placeholder)) == ("", "mặc định: Tân Biên")
            recipients = field(app, "recipients").input
            assert isinstance(recipients, TextArea)
            assert recipients.text == "Tỉnh Hội\nHuyện ủy"
            basis = field(app, "basis").input
            assert isinstance(basis, TextArea)
            assert basis.text == ""
            assert str(basis.placeholder).startswith("mặc định:\nHướng dẫn số 250/TUHCTĐ")
            deadline = field(app, "report_deadline").input
            assert isinstance(deadline, Input)
            assert deadline.value == "09/11/2018"


async def test_lists_one_line_each_and_an_emptied_box_goes_back_to_the_default(
    district: Path,
) -> None:
    with open_store(district) as store:
        store.update_settings(signer_name="Lê Thị Mai")
        app = NhandaoApp(store, cursor_blink=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_settings(pilot)
            field(app, "recipients").focus()
            await type_text(pilot, "- Hội Chữ thập đỏ tỉnh Tây Ninh (để báo cáo);\r- Huyện ủy;\r")
            signer = field(app, "signer_name").input
            assert isinstance(signer, Input)
            signer.value = ""
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
    settings = settings_on_disk(district)
    assert settings["recipients"] == ["Hội Chữ thập đỏ tỉnh Tây Ninh (để báo cáo)", "Huyện ủy"]
    assert settings["signer_name"] is None


async def test_bad_values_are_named_under_their_boxes_and_nothing_is_saved(
    district: Path,
) -> None:
    before = office_json(district)
    with open_store(district) as store:
        app = NhandaoApp(store, cursor_blink=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_settings(pilot)
            field(app, "signer_name").focus()
            await type_text(pilot, "Nguyễn Văn An")
            for key, value in (("place", "x" * 201), ("period_to", "2007"),
                               ("report_deadline", "[b]31/02/2018")):  # fmt: skip
                box = field(app, key).input
                assert isinstance(box, Input)
                box.value = value
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, SettingsScreen)
            assert error_of(app, "place") == "«Địa danh ghi ngày» dài 201 ký tự, quá 200 ký tự."
            assert error_of(app, "period_to") == (
                "«Giai đoạn đến năm»: giai đoạn phải bắt đầu trước khi kết thúc, năm đầu 2008 "
                "đang sau năm cuối 2007."
            )
            assert error_of(app, "report_deadline") == (
                "«Hạn báo cáo»: Không hiểu ngày «[b]31/02/2018». Hãy nhập theo dạng "
                "ngày/tháng/năm, ví dụ 06/09/2018."
            )  # the typed text shown as typed: no markup read
            assert error_of(app, "signer_name") == ""
            assert app.focused is field(app, "place").input
            assert "signer_name" not in store.office.settings
    assert office_json(district) == before


async def test_escape_asks_before_dropping_what_was_typed(district: Path) -> None:
    before = office_json(district)
    with open_store(district) as store:
        app = NhandaoApp(store, cursor_blink=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_settings(pilot)
            await pilot.press("escape")  # nothing typed: straight back
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)

            await open_settings(pilot)
            field(app, "basis").focus()
            await type_text(pilot, "Công văn số 5/CTĐ")
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert "Bỏ những gì vừa nhập" in str(app.screen.query_one("#question", Static).content)
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, SettingsScreen)
            await pilot.press("ctrl+q")  # quitting asks too
            await pilot.pause()
            assert isinstance(app.screen, QuitScreen)
            await pilot.press("n")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
    assert office_json(district) == before


async def test_a_window_closed_on_the_screen_keeps_no_draft_and_saves_nothing(
    district: Path,
) -> None:
    before = office_json(district)
    with open_store(district) as store:
        app = NhandaoApp(store, cursor_blink=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_settings(pilot)
            field(app, "signer_name").focus()
            await type_text(pilot, "Nguyễn Văn An")
            app.hang_up()
            await pilot.pause()
    assert not (district / "drafts.json").exists()
    assert office_json(district) == before


# ----------------------------------------------------------------- the picture


@pytest.fixture
def app_on(district: Path) -> Iterator[NhandaoApp]:
    with open_store(district) as store:
        store.update_settings(
            signer_name="Nguyễn Văn An", recipients=["Tỉnh Hội (để báo cáo)", "Huyện ủy"]
        )
        yield NhandaoApp(store, cursor_blink=False)


def test_settings_screen_picture(snap_compare, app_on: NhandaoApp) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_on, press=["v"], terminal_size=(80, 24))


def test_settings_screen_picture_with_an_error(snap_compare, app_on: NhandaoApp) -> None:  # type: ignore[no-untyped-def]
    async def refused(pilot: Pilot) -> None:
        await pilot.press("v")
        await pilot.pause()
        box = pilot.app.screen.query_one("#field-report_deadline", Field).input
        assert isinstance(box, Input)
        box.value = "31/02/2018"
        await pilot.press("ctrl+s")
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app_on, run_before=refused, terminal_size=(80, 24))
