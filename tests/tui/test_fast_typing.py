"""The aid entry line and the completion keep up with a fast typist: keys sent in one burst, as
a terminal sends them when someone types ahead of a slow PC (or a scanner pastes), land where
they would with pauses, and nothing is saved otherwise than the clerk meant without a word."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import TODAY, address, aid, helper
from textual.pilot import Pilot
from textual.widgets import Input, Static

from store.store import Store
from tui.app import NhandaoApp
from tui.screens.address_detail import AddressDetail
from tui.screens.dialogs import ConfirmScreen
from tui.screens.forms import AttachmentForm
from tui.widgets.record_table import RecordTable

COMMUNE = "25456"  # Phường 1, Thành phố Tây Ninh
CTRL_U, RIGHT, ENTER = "\x15", "\x1b[C", "\r"


def open_store(path: Path) -> Store:
    return Store.open(path, today=lambda: TODAY)


@pytest.fixture
def commune(tmp_path: Path) -> Iterator[Path]:
    """«Trần Thị Lan» attached to «Lê Văn Tám» since 2015; «Công ty Minh Tâm» registered but
    attached to no one; «Võ Thị Sáu» has a dossier and no helper yet."""
    path = tmp_path / "commune"
    with Store.create(path, COMMUNE, today=lambda: TODAY) as store:
        store.save_many(
            [
                ("helper", helper("h1", name="Trần Thị Lan")),
                (
                    "helper",
                    helper("h2", name="Công ty Minh Tâm", side="outside", kind="organisation"),
                ),
                ("address", address("a1", name="Lê Văn Tám", place="Khu phố 3")),
                ("address", address("a3", name="Võ Thị Sáu")),
                ("attachment", {"id": "g1", "address": "a1", "helper": "h1", "from": "2015-01-01"}),
            ]
        )
    yield path


async def burst(pilot: Pilot, text: str) -> None:
    """Every key of `text` posted at once, as a terminal sends a burst; one pause at the end."""
    from textual._xterm_parser import XTermParser

    for event in XTermParser().feed(text):
        pilot.app.post_message(event)
    for _ in range(4):
        await pilot.pause()


def box(app: NhandaoApp, selector: str) -> Input:
    return app.screen.query_one(selector, Input)


def shown(app: NhandaoApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def notices(app: NhandaoApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def open_detail(pilot: Pilot, store: Store, address_id: str = "a1") -> AddressDetail:
    detail = AddressDetail(store, address_id)
    await pilot.app.push_screen(detail)
    await pilot.pause()
    await pilot.press("ctrl+t")
    return detail


def saved(store: Store) -> list[tuple[str, str | None, int]]:
    return sorted((a["on"], a.get("form"), a["value"]) for a in store.records("aid"))


async def test_keys_typed_right_after_a_save_go_to_the_new_row_s_date(commune: Path) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_detail(pilot, store)
            await burst(
                pilot,
                f"{CTRL_U}05032019{ENTER}Trần Thị Lan{ENTER}Tiền mặt{ENTER}500k{ENTER}"
                f"{CTRL_U}06042018{ENTER}Trần Thị Lan{ENTER}Tiền mặt{ENTER}300k{ENTER}"
                f"{CTRL_U}20032018",
            )
            assert isinstance(app.screen, AddressDetail)
            assert saved(store) == [
                ("2018-04-06", "Tiền mặt", 300_000),
                ("2019-03-05", "Tiền mặt", 500_000),
            ]
            assert app.focused is box(app, "#aid-on")
            assert box(app, "#aid-on").value == "20032018"  # nothing left of the last date
            assert box(app, "#aid-value").value == ""


async def test_a_fast_right_arrow_takes_the_suggestion_in_the_aid_line(commune: Path) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_detail(pilot, store)
            await burst(pilot, f"{CTRL_U}05032019{ENTER}tran lan{RIGHT}{ENTER}tien{RIGHT}")
            assert box(app, "#aid-helper").value == "Trần Thị Lan"
            assert box(app, "#aid-form").value == "Tiền mặt"
            await burst(pilot, f"{ENTER}500k{ENTER}")
            assert isinstance(app.screen, AddressDetail)
        assert saved(store) == [("2019-03-05", "Tiền mặt", 500_000)]
        assert [a["helper"] for a in store.records("aid")] == ["h1"]


async def test_a_fast_right_arrow_takes_the_helper_in_the_link_form(commune: Path) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_detail(pilot, store, "a3")
            await pilot.press("ctrl+g")
            await pilot.pause()
            assert isinstance(app.screen, AttachmentForm)
            await burst(pilot, f"minh tam{RIGHT}{ENTER}")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, AddressDetail), notices(app)
        links = [(a["address"], a["helper"]) for a in store.records("attachment")]
        assert sorted(links) == [("a1", "h1"), ("a3", "h2")]


async def test_a_form_not_in_the_list_but_close_to_one_is_asked_about(commune: Path) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_detail(pilot, store)
            await burst(pilot, f"{CTRL_U}05032019{ENTER}Trần Thị Lan{ENTER}tien{ENTER}500k{ENTER}")
            question = app.screen
            assert isinstance(question, ConfirmScreen)
            assert question.question == (
                "Hình thức «tien» chưa có trong danh sách. Dùng «Tiền mặt»? "
                "(Y: dùng, N: giữ như đã gõ)"
            )
            assert store.count("aid") == 0  # nothing saved before the answer
            await pilot.press("escape")  # neither: back to the form, nothing lost
            await pilot.pause()
            assert isinstance(app.screen, AddressDetail) and store.count("aid") == 0
            assert app.focused is box(app, "#aid-form")
            assert box(app, "#aid-form").value == "tien"
            assert box(app, "#aid-value").value == "500k"
            await pilot.press("ctrl+s", "y")
            await pilot.pause()
            assert isinstance(app.screen, AddressDetail)
            assert saved(store) == [("2019-03-05", "Tiền mặt", 500_000)]
            # N keeps what was typed.
            await burst(pilot, f"06042018{ENTER}Trần Thị Lan{ENTER}gao{ENTER}300k{ENTER}")
            assert isinstance(app.screen, ConfirmScreen)
            assert "Dùng «Gạo, nhu yếu phẩm»?" in app.screen.question
            await pilot.press("n")
            await pilot.pause()
        assert saved(store) == [("2018-04-06", "gao", 300_000), ("2019-03-05", "Tiền mặt", 500_000)]


async def test_a_form_like_none_known_is_a_new_form_saved_as_typed_and_said(
    commune: Path,
) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_detail(pilot, store)
            await burst(pilot, f"{CTRL_U}05032019{ENTER}Trần Thị Lan{ENTER}Áo ấm{ENTER}200k{ENTER}")
            assert isinstance(app.screen, AddressDetail)
            assert saved(store) == [("2019-03-05", "Áo ấm", 200_000)]
            assert any("hình thức mới «Áo ấm»" in n for n in notices(app)), notices(app)
            # A form used before is known: typed again, it is not asked about.
            await burst(pilot, f"{ENTER}{ENTER}Áo ấm{ENTER}100k{ENTER}")
            assert isinstance(app.screen, AddressDetail)
            assert store.count("aid") == 2


async def test_the_not_linked_message_goes_once_the_link_is_saved(commune: Path) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_detail(pilot, store, "a3")
            await burst(
                pilot, f"{CTRL_U}05032019{ENTER}Công ty Minh Tâm{ENTER}Tiền mặt{ENTER}1tr{ENTER}"
            )
            assert isinstance(app.screen, ConfirmScreen)
            assert "«Công ty Minh Tâm» chưa được gắn với địa chỉ này" in app.screen.question
            await pilot.press("n")  # «Sửa lại»: the message stays under the line…
            await pilot.pause()
            assert "chưa được gắn" in shown(app, "#preview")
            await pilot.press("ctrl+g")
            await pilot.pause()
            assert isinstance(app.screen, AttachmentForm)
            await burst(pilot, f"Công ty Minh Tâm{ENTER}{CTRL_U}01012019")
            await pilot.press("ctrl+s")
            await pilot.pause()
            await pilot.pause()
            assert isinstance(app.screen, AddressDetail)
            assert "chưa được gắn" not in shown(app, "#preview")  # …until it no longer holds
            assert "1.000.000 đ" in shown(app, "#preview")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, AddressDetail)  # nothing left to ask
        assert [(a["helper"], a["value"]) for a in store.records("aid")] == [("h2", 1_000_000)]


async def test_a_changed_field_takes_a_message_that_no_longer_holds_away(commune: Path) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_detail(pilot, store)
            await burst(pilot, f"{CTRL_U}05032019{ENTER}{ENTER}{ENTER}0{ENTER}")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")
            await pilot.pause()
            assert "Giá trị là 0 đ." in shown(app, "#preview")
            await burst(pilot, f"{CTRL_U}")  # the value emptied: the zero is gone
            assert "Giá trị là 0 đ." not in shown(app, "#preview")


async def test_a_row_being_corrected_says_so_until_it_is_saved(commune: Path) -> None:
    with open_store(commune) as store:
        store.save("aid", aid("x1", on="2018-04-22", value=500_000))
        store.save("aid", aid("x2", on="2019-01-02", value=200_000))
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            detail = AddressDetail(store, "a1")
            await app.push_screen(detail)
            await pilot.pause()
            table = detail.query_one("#aid", RecordTable)
            assert table.has_focus
            await burst(pilot, "\x1b[B" + ENTER)  # ↓ to the older row, Enter
            label = "Đang sửa lần trợ giúp ngày 22/04/2018 — Ctrl+S lưu, Esc thôi"
            assert label in shown(app, "#preview")
            assert "đang sửa lần ngày 22/04/2018" in shown(app, "#totals")
            await burst(pilot, f"{CTRL_U}600k")
            assert label in shown(app, "#preview")  # still said while typing
            assert "= 600.000 đ" in shown(app, "#preview")
            assert "đang sửa lần ngày 22/04/2018" in shown(app, "#totals")
            assert "sau khi lưu: 800.000 đ" in shown(app, "#totals")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "Đang sửa" not in shown(app, "#preview")
            assert "đang sửa" not in shown(app, "#totals")
        assert sorted(a["value"] for a in store.records("aid")) == [200_000, 600_000]


async def test_the_date_of_the_last_aid_is_kept_for_the_next_selected(commune: Path) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_detail(pilot, store)
            assert box(app, "#aid-on").value == "29/11/2026"  # today for the first row
            await burst(
                pilot, f"{CTRL_U}05032019{ENTER}Trần Thị Lan{ENTER}Tiền mặt{ENTER}5tr{ENTER}"
            )
            assert box(app, "#aid-on").value == "05/03/2019"
            assert box(app, "#aid-on").selected_text == "05/03/2019"
            assert "Ngày như lần vừa lưu (gõ đè để đổi)" in shown(app, "#preview")
            # Enter keeps it; typing over it replaces it.
            await burst(
                pilot,
                f"{ENTER}Trần Thị Lan{ENTER}Tiền mặt{ENTER}300k{ENTER}"
                f"06042018{ENTER}Trần Thị Lan{ENTER}Tiền mặt{ENTER}200k{ENTER}",
            )
            assert box(app, "#aid-on").value == "06/04/2018"
        assert saved(store) == [
            ("2018-04-06", "Tiền mặt", 200_000),
            ("2019-03-05", "Tiền mặt", 300_000),
            ("2019-03-05", "Tiền mặt", 5_000_000),
        ]
