"""Data entry as a commune office does it, driven with the keyboard through Pilot."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import TODAY, address, aid, helper
from textual.pilot import Pilot
from textual.widgets import Input

from store.store import Store
from tui.app import NhandaoApp
from tui.screens.address_detail import AddressDetail
from tui.screens.addresses import AddressesScreen
from tui.screens.dialogs import ConfirmScreen, HelpScreen
from tui.screens.forms import AddressForm, DuplicatesScreen, HelperForm
from tui.screens.home import HomeScreen
from tui.screens.review import ReviewScreen
from tui.widgets.record_table import RecordTable

COMMUNE = "25456"  # Phường 1, Thành phố Tây Ninh


def open_store(path: Path) -> Store:
    return Store.open(path, today=lambda: TODAY)


@pytest.fixture
def commune(tmp_path: Path) -> Iterator[Path]:
    """A commune office's store with one helper and one address."""
    path = tmp_path / "commune"
    with Store.create(path, COMMUNE, today=lambda: TODAY) as store:
        store.save_many([("helper", helper("h1", name="Trần Thị Bình")),
                         ("address", address("a1", name="Lê Văn Tám", place="Khu phố 3"))])  # fmt: skip
    yield path


async def type_text(pilot: Pilot, text: str) -> None:
    """Type as a terminal sends it: the bytes go through Textual's own parser, so that every
    character arrives as a key event with that character (Pilot's `press` drops combining
    marks, which Vietnamese keyboards in decomposed mode send)."""
    from textual._xterm_parser import XTermParser

    await pilot.pause()  # the screen has settled: the focus is where a person would type
    for event in XTermParser().feed(text):
        pilot.app.post_message(event)
    await pilot.pause()


def table(app: NhandaoApp, selector: str) -> RecordTable:
    return app.screen.query_one(selector, RecordTable)


async def test_a_new_address_typed_in_vietnamese_then_found_without_accents(commune: Path) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a")
            assert isinstance(app.screen, AddressesScreen)
            await pilot.press("ctrl+n")
            assert isinstance(app.screen, AddressForm)
            await type_text(pilot, "Nguyễn Thị Hằng")
            await pilot.press("enter", "enter")  # name → kind (kept) → people
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, AddressesScreen)
    with open_store(commune) as store:
        names = [a["name"] for a in store.records("address")]
        assert "Nguyễn Thị Hằng" in names
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a")
            await type_text(pilot, "nguyen thi hang")
            rows = table(app, "#addresses")
            assert rows.row_count == 1 and rows.row(0)[0] == "Nguyễn Thị Hằng"
            await pilot.press("backspace", "backspace", "backspace", "backspace")
            await type_text(pilot, "Hằng")  # with accents too
            assert rows.row_count == 1


async def test_text_typed_in_decomposed_form_is_stored_precomposed(commune: Path) -> None:
    typed = unicodedata.normalize("NFD", "Đỗ Thị Ửng")
    assert len(typed) > len("Đỗ Thị Ửng")
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a", "ctrl+n")
            await type_text(pilot, typed)
            await pilot.press("tab", "tab", "tab")
            await type_text(pilot, unicodedata.normalize("NFD", "Ấp Bàu Sen"))
            await pilot.press("ctrl+s")
            await pilot.pause()
        saved = [a for a in store.records("address") if a["name"].startswith("Đỗ")]
        assert [a["name"] for a in saved] == ["Đỗ Thị Ửng"]
        assert unicodedata.is_normalized("NFC", saved[0]["name"])
        assert saved[0]["place"] == "Ấp Bàu Sen"


async def test_the_form_shows_vietnamese_problems_in_place_and_saves_nothing(commune: Path) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a", "ctrl+n")
            await type_text(pilot, "Hộ bà Năm")
            await pilot.press("enter", "enter")  # kind stays «Cá nhân»
            await pilot.press("backspace")
            await type_text(pilot, "4")  # an individual of four people
            await pilot.press("tab", "tab", "tab")
            await pilot.press("ctrl+u")
            await type_text(pilot, "31/02/2019")
            await pilot.press("ctrl+s")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, AddressForm)
            errors = {f.field_name: str(f.query_one(".field--error").render()) for f in form.fields}
            assert "không có trong lịch" in errors["surveyed_on"]
            await pilot.press("ctrl+u")
            await type_text(pilot, "01/02/2019")
            await pilot.press("ctrl+s")
            await pilot.pause()
            errors = {f.field_name: str(f.query_one(".field--error").render()) for f in form.fields}
            assert errors["people"].startswith("Địa chỉ cá nhân có «Số người» là 1 (đang là 4)")
        assert store.count("address") == 1


async def test_escape_asks_before_dropping_what_was_typed(commune: Path) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a", "ctrl+n")
            await type_text(pilot, "Võ Văn Bảy")
            await pilot.press("escape")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")  # stay
            assert isinstance(app.screen, AddressForm)
            assert app.screen.query_one("#field-name Input", Input).value == "Võ Văn Bảy"
            await pilot.press("escape", "y")
            assert isinstance(app.screen, AddressesScreen)
            # Nothing typed: Escape leaves at once.
            await pilot.press("ctrl+n", "escape")
            assert isinstance(app.screen, AddressesScreen)
        assert store.count("address") == 1


async def test_likely_duplicates_are_shown_before_a_new_address_is_saved(commune: Path) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a", "ctrl+n")
            await type_text(pilot, "Le Van Tam")  # the existing «Lê Văn Tám», typed without accents
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, DuplicatesScreen)
            assert "cùng tên" in str(
                app.screen.query_one("#duplicates").get_option_at_index(0).prompt
            )
            await pilot.press("escape")  # back to the form, nothing saved
            assert isinstance(app.screen, AddressForm)
            assert store.count("address") == 1
            await pilot.press("ctrl+s")
            await pilot.pause()
            await pilot.press("ctrl+s")  # save anyway
            await pilot.pause()
        assert store.count("address") == 2


async def test_a_helper_and_three_aid_records_typed_with_shorthand_amounts(commune: Path) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("h", "ctrl+n")
            await type_text(pilot, "Công ty Mía đường")
            await pilot.press("enter")
            form = app.screen
            assert isinstance(form, HelperForm)
            form.query_one("#field-side Select").value = "outside"
            form.query_one("#field-kind Select").value = "organisation"
            await pilot.press("ctrl+s")
            await pilot.pause()
            await pilot.press("escape", "a")
            await type_text(pilot, "le van tam")
            await pilot.press("enter", "enter")
            detail = app.screen
            assert isinstance(detail, AddressDetail)
            for day, who, form_text, value in (
                ("05/03/2019", "tran", "Gạo, nhu yếu phẩm", "500k"),
                ("10/06/2019", "cong ty", "Tiền mặt", "1,5tr"),
                ("12/12/2019", "", "Học bổng", "2 triệu"),
            ):
                await pilot.press("ctrl+t", "end", "ctrl+u")
                await type_text(pilot, day)
                await pilot.press("enter")
                if who:
                    await type_text(pilot, who)
                    await pilot.pause(0.1)
                    await pilot.press("right")
                await pilot.press("enter")
                await type_text(pilot, form_text)
                await pilot.press("enter")
                await type_text(pilot, value)
                totals = str(detail.query_one("#totals").render())
                assert "sau khi lưu" in totals
                await pilot.press("enter")
                await pilot.pause()
                if who:  # neither helper is attached to the address: asked, then saved
                    assert isinstance(app.screen, ConfirmScreen)
                    assert "chưa được gắn với địa chỉ này" in app.screen.question
                    await pilot.press("y")
                    await pilot.pause()
            assert table(app, "#aid").row_count == 3
            assert "được tính: 4.000.000 đ" in str(detail.query_one("#totals").render())
    with open_store(commune) as store:
        aid_records = sorted(store.records("aid"), key=lambda a: a["on"])
        assert [a["value"] for a in aid_records] == [500_000, 1_500_000, 2_000_000]
        helpers = {h["name"]: h["id"] for h in store.records("helper")}
        assert [a.get("helper") for a in aid_records] == [helpers["Trần Thị Bình"],
                                                          helpers["Công ty Mía đường"], None]  # fmt: skip
        assert aid_records[0]["on"] == "2019-03-05" and aid_records[1]["form"] == "Tiền mặt"


async def test_an_unreadable_amount_is_explained_and_not_saved(commune: Path) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a", "enter", "enter")
            await pilot.press("ctrl+t", "enter", "enter", "enter")
            await type_text(pilot, "năm trăm")
            assert "Không hiểu số tiền" in str(app.screen.query_one("#preview").render())
            await pilot.press("enter")
            await pilot.pause()
        assert store.count("aid") == 0


async def test_the_yearly_review_walks_the_active_addresses(commune: Path) -> None:
    with open_store(commune) as store:
        store.save_many([("address", address("a2", name="Phạm Thị Hoa")),
                         ("address", address("a3", name="Bùi Văn Sáu", dossier_on=None))])  # fmt: skip
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("r")
            review = app.screen
            assert isinstance(review, ReviewScreen)
            # a3 has no dossier: not active. Sorted by given name: Hoa, then Tám.
            assert [table(app, "#due").row(i)[0] for i in range(2)] == [
                "Phạm Thị Hoa",
                "Lê Văn Tám",
            ]
            assert "Còn 2 / 2 địa chỉ chưa rà soát" in str(review.query_one("#left").render())
            await pilot.press("c")
            await pilot.press("s", "enter")  # the date shown (today), kept
            await type_text(pilot, "Đã thoát nghèo")
            await pilot.press("enter")
            await pilot.pause()
            assert "Còn 0 / 2" in str(review.query_one("#left").render())
    with open_store(commune) as store:
        outcomes = {r["address"]: r["outcome"] for r in store.records("review")}
        assert outcomes == {"a2": "continue", "a1": "stop"}
        stopped = store.get("address", "a1")
        assert (
            stopped["stopped_on"] == TODAY.isoformat()
            and stopped["stop_reason"] == "Đã thoát nghèo"
        )


async def test_deleting_asks_first_then_leaves_a_tombstone(commune: Path) -> None:
    with open_store(commune) as store:
        store.save("aid", aid("x1", helper="h1", on="2019-01-01"))
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a", "enter", "enter")
            await pilot.press("delete")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")
            assert store.count("aid") == 1
            await pilot.press("delete", "y")
            await pilot.pause()
            assert store.count("aid") == 0
            await pilot.press("escape", "delete")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await pilot.pause()
            assert table(app, "#addresses").row_count == 0
    with open_store(commune) as store:
        assert store.get("address", "a1")["deleted"] is True
        assert store.get("aid", "x1")["deleted"] is True


async def test_backspace_works_as_either_byte_a_terminal_sends(commune: Path) -> None:
    from textual._xterm_parser import XTermParser

    keys = [event.key for event in XTermParser().feed("ab\x08c\x7f") if hasattr(event, "key")]
    assert keys == ["a", "b", "backspace", "c", "backspace"]
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a")
            await type_text(pilot, "Ha\x08o\x7f\x7fHòa")
            assert app.screen.query_one("#search", Input).value == "Hòa"


async def test_f1_lists_every_key_of_the_screen_in_vietnamese(commune: Path) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a", "f1")
            assert isinstance(app.screen, HelpScreen)
            keys = str(app.screen.query_one("#help-keys").render())
            for description in ("Thêm địa chỉ", "Tìm", "Xoá", "Quay lại", "Phím tắt", "Thoát"):
                assert description in keys
            await pilot.press("escape")
            assert isinstance(app.screen, AddressesScreen)


async def test_the_command_palette_offers_the_screens_actions_in_vietnamese(commune: Path) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            titles = [command.title for command in app.get_system_commands(app.screen)]
            assert {"Địa chỉ", "Người trợ giúp", "Rà soát", "Thoát", "Mở: Kết quả"} <= set(titles)


async def test_home_shows_counts_and_what_needs_attention(commune: Path) -> None:
    with open_store(commune) as store:
        store.save_many([("aid", aid("x1", helper=None, on="2026-02-01", value=300_000)),
                         ("aid", aid("x2", helper="h1", on="2015-02-01", value=100))])  # fmt: skip
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            assert isinstance(app.screen, HomeScreen)
            await app.workers.wait_for_complete()
            await pilot.pause()
            figures = str(app.screen.query_one("#figures").render())
            assert (
                "Được trợ giúp: 1 địa chỉ" in figures and "Giá trị trợ giúp: 300.000 đ" in figures
            )
            attention = str(app.screen.query_one("#attention").render())
            assert "Chưa rà soát năm 2026: 1 địa chỉ" in attention
            assert "Trợ giúp chưa ghi người trợ giúp: 1 lần" in attention


async def test_everything_typed_is_there_after_quitting_and_reopening(commune: Path) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a", "enter", "enter", "ctrl+t", "end", "ctrl+u")
            await type_text(pilot, "01/01/2020")
            await pilot.press("enter", "enter")
            await type_text(pilot, "Gạo")
            await pilot.press("enter")
            await type_text(pilot, "250k")
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)  # «Gạo, nhu yếu phẩm»? N: as typed
            await pilot.press("n")
            await pilot.pause()
            await pilot.press("ctrl+q")
        assert app.return_code == 0
    with open_store(commune) as store:
        [record] = store.records("aid")
        assert (record["on"], record["form"], record["value"]) == ("2020-01-01", "Gạo", 250_000)
