"""Data entry that neither loses nor hides: attachments, their stop, new helpers from the aid
line, completion anywhere in a name, aid the clerk is asked about, dates shown as kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import TODAY, address, helper
from textual.pilot import Pilot
from textual.widgets import Input

from store.store import Store
from tui.app import NhandaoApp
from tui.screens.address_detail import AddressDetail
from tui.screens.dialogs import ConfirmScreen
from tui.screens.forms import AddressForm, AttachmentForm, HelperForm
from tui.screens.lists import HelpersScreen
from tui.screens.review import ReviewScreen, StopScreen
from tui.widgets.record_table import RecordTable

COMMUNE = "25456"  # Phường 1, Thành phố Tây Ninh


def open_store(path: Path) -> Store:
    return Store.open(path, today=lambda: TODAY)


@pytest.fixture
def commune(tmp_path: Path) -> Iterator[Path]:
    """A commune office: «Trần Thị Lan» attached to «Lê Văn Tám» since 01/01/2015, and an
    address only surveyed (no dossier)."""
    path = tmp_path / "commune"
    with Store.create(path, COMMUNE, today=lambda: TODAY) as store:
        store.save_many(
            [
                ("helper", helper("h1", name="Trần Thị Lan")),
                ("address", address("a1", name="Lê Văn Tám", place="Khu phố 3")),
                ("address", address("a2", name="Võ Thị Sáu", dossier_on=None)),
                ("attachment", {"id": "g1", "address": "a1", "helper": "h1", "from": "2015-01-01"}),
            ]
        )
    yield path


async def type_text(pilot: Pilot, text: str) -> None:
    """Type as a terminal sends it, every character a key event (see test_flows.py)."""
    from textual._xterm_parser import XTermParser

    await pilot.pause()
    for event in XTermParser().feed(text):
        pilot.app.post_message(event)
    await pilot.pause()


def box(app: NhandaoApp, selector: str) -> Input:
    return app.screen.query_one(selector, Input)


def error_of(form: object, name: str) -> str:
    return str(form.query_one(f"#field-{name} .field--error").render())  # type: ignore[attr-defined]


def notices(app: NhandaoApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def rows(app: NhandaoApp, selector: str) -> list[tuple[str, ...]]:
    found = app.screen.query_one(selector, RecordTable)
    return [found.row(i) for i in range(found.row_count)]


async def open_detail(pilot: Pilot, store: Store, address_id: str = "a1") -> AddressDetail:
    detail = AddressDetail(store, address_id)
    await pilot.app.push_screen(detail)
    await pilot.pause()
    return detail


async def test_an_attachment_is_edited_by_the_helper_s_name_and_its_stop_needs_a_reason(
    commune: Path,
) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_detail(pilot, store)
            await pilot.press("shift+tab", "enter")  # the attachments table, its first row
            await pilot.pause()
            form = app.screen
            assert isinstance(form, AttachmentForm)
            assert box(app, "#field-helper Input").value == "Trần Thị Lan"
            await pilot.press("enter", "enter")  # helper → from → until
            await type_text(pilot, "15062016")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is form  # a stop date without its reason is not saved
            assert box(app, "#field-until Input").value == "15/06/2016"
            assert error_of(form, "stop_reason") == "Có «Đến ngày» thì hãy ghi lý do dừng."
            await type_text(pilot, "Chuyển nơi ở")
            assert error_of(form, "stop_reason") == ""  # the message goes once it is mended
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, AddressDetail)
            assert rows(app, "#attachments") == [
                ("Trần Thị Lan", "Hội CTĐ", "01/01/2015", "15/06/2016", "Chuyển nơi ở")
            ]
        saved = store.get("attachment", "g1")
        assert (saved["helper"], saved["until"], saved["stop_reason"]) == (
            "h1",
            "2016-06-15",
            "Chuyển nơi ở",
        )


async def test_dung_gan_asks_the_date_and_the_reason(commune: Path) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_detail(pilot, store)
            await pilot.press("shift+tab", "ctrl+k")
            await pilot.pause()
            assert isinstance(app.screen, StopScreen)
            assert box(app, "#stop-on").value == "29/11/2026"  # today, to be changed
            await pilot.press("enter", "enter")  # the date kept, no reason yet
            await pilot.pause()
            assert isinstance(app.screen, StopScreen)
            assert "Hãy ghi lý do dừng trợ giúp." in str(
                app.screen.query_one("#stop-problem").render()
            )
            await pilot.press("shift+tab", "ctrl+u")
            await type_text(pilot, "31/12/2014")  # before the attachment began
            await pilot.press("enter")
            await type_text(pilot, "Chuyển công tác")
            await pilot.press("enter")
            await pilot.pause()
            assert "trước ngày bắt đầu gắn (01/01/2015)" in str(
                app.screen.query_one("#stop-problem").render()
            )
            await pilot.press("shift+tab", "ctrl+u")
            await type_text(pilot, "30/6/2018")
            await pilot.press("tab", "enter")
            await pilot.pause()
            assert isinstance(app.screen, AddressDetail)
            assert rows(app, "#attachments")[0][3:] == ("30/06/2018", "Chuyển công tác")
        saved = store.get("attachment", "g1")
        assert (saved["until"], saved["stop_reason"]) == ("2018-06-30", "Chuyển công tác")


async def test_a_date_typed_at_once_is_the_stop_date_and_the_reason_follows(
    commune: Path,
) -> None:
    """The dialog opens in «Ngày dừng», as it is shown first: a clerk who types the date at
    once, then Enter, then the reason, gets what was typed (it once went into the reason)."""
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_detail(pilot, store)
            await pilot.press("ctrl+k")  # from the aid table: the one attachment going
            await pilot.pause()
            assert isinstance(app.screen, StopScreen)
            await type_text(pilot, "10/03/2018")
            await pilot.press("enter")
            await pilot.pause()
            await type_text(pilot, "Chuyển công tác")
            assert str(app.screen.query_one("#stop-problem").render()) == ""
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, AddressDetail)
        saved = store.get("attachment", "g1")
        assert (saved["until"], saved["stop_reason"]) == ("2018-03-10", "Chuyển công tác")


async def test_ctrl_k_and_ctrl_e_act_for_the_screen_from_the_entry_line(commune: Path) -> None:
    """In an input box Ctrl+K and Ctrl+E also edit the line (delete to its end, go to its end);
    the footer offers them as «Dừng gắn» and «Sửa địa chỉ», so that is what they do."""
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_detail(pilot, store)
            await pilot.press("ctrl+t")  # into the aid line
            await type_text(pilot, "15032019")
            assert isinstance(app.screen.focused, Input)
            await pilot.press("home", "ctrl+k")
            await pilot.pause()
            assert isinstance(app.screen, StopScreen)
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("ctrl+e")
            await pilot.pause()
            assert isinstance(app.screen, AddressForm)


async def test_the_message_of_a_missing_reason_goes_once_one_is_typed(commune: Path) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_detail(pilot, store)
            await pilot.press("ctrl+k", "enter", "enter")
            await pilot.pause()
            problem = app.screen.query_one("#stop-problem")
            assert "Hãy ghi lý do dừng trợ giúp." in str(problem.render())
            await type_text(pilot, "Đ")
            assert str(problem.render()) == ""


async def test_of_two_attachments_going_ctrl_k_asks_which_one_unless_one_is_chosen(
    commune: Path,
) -> None:
    with open_store(commune) as store:
        store.save_many([("helper", helper("h2", name="Phạm Văn Đồng")),
                         ("attachment", {"id": "g2", "address": "a1", "helper": "h2",
                                         "from": "2016-01-01"})])  # fmt: skip
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_detail(pilot, store)
            await pilot.press("ctrl+k")  # from the aid table
            await pilot.pause()
            assert isinstance(app.screen, AddressDetail)
            assert app.screen.focused is app.screen.query_one("#attachments", RecordTable)
            assert notices(app)[-1] == (
                "Địa chỉ có 2 người trợ giúp đang gắn: chọn dòng cần dừng trong bảng người trợ "
                "giúp (↑ ↓) rồi nhấn Ctrl+K."
            )
            await pilot.press("down", "ctrl+k")  # the second row, chosen
            await pilot.pause()
            assert isinstance(app.screen, StopScreen)
            assert "«Phạm Văn Đồng»" in str(app.screen.query_one("#question").render())


async def stop_link(pilot: Pilot, day: str, reason: str) -> None:
    """Ctrl+K, the date typed, Enter, the reason typed, Enter."""
    await pilot.press("ctrl+k")
    await pilot.pause()
    await type_text(pilot, day)
    await pilot.press("enter")
    await type_text(pilot, reason)
    await pilot.press("enter")
    await pilot.pause()


async def test_a_stop_before_the_helper_s_own_aid_is_asked_about(commune: Path) -> None:
    with open_store(commune) as store:
        store.save("aid", {"id": "x1", "address": "a1", "helper": "h1", "on": "2018-03-20",
                           "form": "Tiền mặt", "value": 200_000})  # fmt: skip
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_detail(pilot, store)
            await stop_link(pilot, "10/03/2018", "Chuyển công tác")
            assert isinstance(app.screen, ConfirmScreen)
            assert app.screen.question == (
                "«Trần Thị Lan» có 1 lần trợ giúp địa chỉ này sau ngày dừng 10/03/2018 (lần "
                "cuối ngày 20/03/2018). Vẫn dừng gắn từ ngày 10/03/2018?"
            )
            await pilot.press("n")  # «Sửa ngày»: nothing saved
            await pilot.pause()
            assert isinstance(app.screen, AddressDetail)
            assert store.get("attachment", "g1")["until"] is None  # type: ignore[index]
            await stop_link(pilot, "10/03/2018", "Chuyển công tác")
            await pilot.press("y")
            await pilot.pause()
        assert store.get("attachment", "g1")["until"] == "2018-03-10"  # type: ignore[index]


async def test_ctrl_z_shows_the_address_and_the_review_as_they_are_after_it(
    commune: Path,
) -> None:
    with open_store(commune) as store:
        store.save("aid", {"id": "x1", "address": "a1", "helper": "h1", "on": "2018-03-20",
                           "form": "Tiền mặt", "value": 200_000})  # fmt: skip
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_detail(pilot, store)
            await pilot.press("delete", "y")  # the aid row, deleted
            await pilot.pause()
            assert rows(app, "#aid") == []
            await pilot.press("ctrl+z")
            await pilot.pause()
            assert [row[0] for row in rows(app, "#aid")] == ["20/03/2018"]
            await pilot.press("escape")
            await app.push_screen(ReviewScreen(store, 2016))
            await pilot.pause()
            assert "Còn 1 / 1 địa chỉ chưa rà soát" in str(app.screen.query_one("#left").render())
            await pilot.press("c")  # «Tiếp tục»: the row goes
            await pilot.pause()
            assert rows(app, "#due") == []
            await pilot.press("ctrl+z")
            await pilot.pause()
            assert [row[0] for row in rows(app, "#due")] == ["Lê Văn Tám"]
            assert "Còn 1 / 1 địa chỉ chưa rà soát" in str(app.screen.query_one("#left").render())


async def test_attaching_a_helper_again_while_still_attached_is_refused_in_place(
    commune: Path,
) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_detail(pilot, store)
            await pilot.press("ctrl+g")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, AttachmentForm)
            await type_text(pilot, "lan")
            await pilot.pause(0.1)
            await pilot.press("right")  # «lan» completes to «Trần Thị Lan»
            assert box(app, "#field-helper Input").value == "Trần Thị Lan"
            await pilot.press("enter", "ctrl+u")
            await type_text(pilot, "01/03/2016")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is form
            assert error_of(form, "from").startswith(
                "«Từ ngày» 01/03/2016–nay trùng thời gian với lần gắn khác của «Trần Thị Lan» "
                "với địa chỉ «Lê Văn Tám» (01/01/2015–nay, mã g1)"
            )
        assert store.count("attachment") == 1


async def test_the_review_s_stop_shows_its_date_which_can_be_changed(commune: Path) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.push_screen(ReviewScreen(store, 2016))
            await pilot.pause()
            await pilot.press("s")
            await pilot.pause()
            assert isinstance(app.screen, StopScreen)
            assert box(app, "#stop-on").value == "31/12/2016"  # shown, not assumed silently
            assert app.screen.focused is box(app, "#stop-on")
            await type_text(pilot, "20/8/2016")  # the date is typed first, over the one shown
            await pilot.press("enter")
            await type_text(pilot, "Đã thoát nghèo")
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
        stopped = store.get("address", "a1")
        assert (stopped["stopped_on"], stopped["stop_reason"]) == ("2016-08-20", "Đã thoát nghèo")
        assert [r["on"] for r in store.records("review")] == ["2016-08-20"]


async def test_del_in_the_helper_s_addresses_takes_off_that_attachment_only(
    commune: Path,
) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.push_screen(HelpersScreen(store))
            await pilot.pause()
            await pilot.press("tab")  # from the helpers to «Các địa chỉ được gắn»
            assert app.screen.focused is app.screen.query_one("#attached")
            await pilot.press("delete")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert app.screen.question == "Xoá việc gắn «Trần Thị Lan» với «Lê Văn Tám»?"
            await pilot.press("y")
            await pilot.pause()
            assert rows(app, "#attached") == []
        assert store.get("attachment", "g1")["deleted"] is True  # type: ignore[index]
        assert not store.get("helper", "h1").get("deleted")  # type: ignore[union-attr]


async def test_a_new_helper_is_added_from_the_aid_line_and_the_aid_kept(commune: Path) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_detail(pilot, store)
            await pilot.press("ctrl+t", "ctrl+u")
            await type_text(pilot, "05032019")
            await pilot.press("enter")
            assert box(app, "#aid-on").value == "05/03/2019"
            await type_text(pilot, "Công ty Mía đường")
            await pilot.press("enter")
            await type_text(pilot, "bh")
            await pilot.pause(0.1)
            await pilot.press("right")  # initials: «bh» → «Thẻ bảo hiểm y tế»
            assert box(app, "#aid-form").value == "Thẻ bảo hiểm y tế"
            await pilot.press("enter")
            await type_text(pilot, "2tr")
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert "Không có người trợ giúp tên «Công ty Mía đường»" in app.screen.question
            await pilot.press("y")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, HelperForm)
            assert box(app, "#field-name Input").value == "Công ty Mía đường"
            form.query_one("#field-kind").set_value("organisation")  # type: ignore[attr-defined]
            await pilot.pause()
            assert form.query_one("#field-side").value() == "outside"  # type: ignore[attr-defined]
            await pilot.press("ctrl+s")
            await pilot.pause()
            # Back on the address, the aid typed is saved with the new helper (asked first:
            # the helper is not attached to the address).
            assert isinstance(app.screen, ConfirmScreen)
            assert "«Công ty Mía đường» chưa được gắn với địa chỉ này" in app.screen.question
            await pilot.press("y")
            await pilot.pause()
            assert isinstance(app.screen, AddressDetail)
            assert rows(app, "#aid")[0][:4] == (
                "05/03/2019",
                "Công ty Mía đường",
                "Thẻ bảo hiểm y tế",
                "2.000.000",
            )
        donor = next(h for h in store.records("helper") if h["name"] == "Công ty Mía đường")
        assert (donor["side"], donor["kind"]) == ("outside", "organisation")
        assert [a["helper"] for a in store.records("aid")] == [donor["id"]]


async def test_the_helper_kind_sets_the_side_and_a_mended_field_loses_its_message(
    commune: Path,
) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.push_screen(HelperForm(store))
            await pilot.pause()
            form = app.screen
            await pilot.press("ctrl+s")  # no name
            await pilot.pause()
            assert error_of(form, "name") == "Thiếu «Tên người, tổ chức trợ giúp»."
            await type_text(pilot, "Hội Cựu chiến binh")
            assert error_of(form, "name") == ""
            form.query_one("#field-kind").set_value("organisation")  # type: ignore[attr-defined]
            await pilot.pause()
            assert form.query_one("#field-side").value() == "outside"  # type: ignore[attr-defined]
            form.query_one("#field-side").set_value("red_cross")  # type: ignore[attr-defined]
            await pilot.pause()
            assert form.query_one("#field-kind").value() == "staff"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("value", "on", "address_id", "warning"),
    [
        ("0", "05/03/2019", "a1", "Giá trị là 0 đ."),
        ("500k", "05/03/2014", "a1", "Ngày 05/03/2014 ngoài thời gian «Trần Thị Lan» được gắn"),
        ("500k", "05/03/2019", "a2", "«Trần Thị Lan» chưa được gắn với địa chỉ này"),
        ("500k", "05/03/2019", "a2", "Địa chỉ chưa có ngày lập hồ sơ (mới khảo sát)"),
    ],
)
async def test_aid_the_rules_accept_but_may_be_a_mistake_is_asked_about_first(
    commune: Path, value: str, on: str, address_id: str, warning: str
) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_detail(pilot, store, address_id)
            await pilot.press("ctrl+t", "ctrl+u")
            await type_text(pilot, on)
            await pilot.press("enter")
            await type_text(pilot, "Trần Thị Lan")
            await pilot.press("enter", "enter")
            await type_text(pilot, value)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert warning in app.screen.question
            await pilot.press("n")  # «Sửa lại»: nothing saved, nothing typed lost
            await pilot.pause()
            assert isinstance(app.screen, AddressDetail)
            assert box(app, "#aid-value").value == value
            assert store.count("aid") == 0
            await pilot.press("ctrl+s", "y")
            await pilot.pause()
        assert [a["on"] for a in store.records("aid")] == [f"{on[6:]}-{on[3:5]}-{on[:2]}"]


async def test_an_aid_with_nothing_to_ask_is_saved_at_once(commune: Path) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_detail(pilot, store)
            await pilot.press("ctrl+t", "ctrl+u")
            await type_text(pilot, "05/03/2019")
            await pilot.press("enter")
            await type_text(pilot, "tran lan")
            await pilot.pause(0.1)
            await pilot.press("right")
            await pilot.press("enter", "enter")
            await type_text(pilot, "500k")
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, AddressDetail)
        assert [(a["helper"], a["value"]) for a in store.records("aid")] == [("h1", 500_000)]


async def test_a_new_address_assumes_no_survey_date_and_an_individual_is_one_person(
    commune: Path,
) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.push_screen(AddressForm(store))
            await pilot.pause()
            form = app.screen
            assert box(app, "#field-surveyed_on Input").value == ""
            form.query_one("#field-kind").set_value("collective")  # type: ignore[attr-defined]
            box(app, "#field-people Input").value = "3"
            form.query_one("#field-kind").set_value("individual")  # type: ignore[attr-defined]
            await pilot.pause()
            assert box(app, "#field-people Input").value == "1"
            await type_text(pilot, "Hộ bà Tư")
            box(app, "#field-surveyed_on Input").focus()
            await type_text(pilot, "03022010")
            await pilot.press("tab")
            assert box(app, "#field-surveyed_on Input").value == "03/02/2010"


async def test_an_address_stopped_in_its_form_needs_the_reason(commune: Path) -> None:
    with open_store(commune) as store:
        app = NhandaoApp(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.push_screen(AddressForm(store, store.get("address", "a1")))
            await pilot.pause()
            form = app.screen
            box(app, "#field-stopped_on Input").focus()
            await type_text(pilot, "1/7/2018")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is form
            assert error_of(form, "stop_reason") == (
                "Có «Ngày dừng trợ giúp» thì hãy ghi lý do dừng."
            )
            await type_text(pilot, "Đã mất")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is not form
        stopped = store.get("address", "a1")
        assert (stopped["stopped_on"], stopped["stop_reason"]) == ("2018-07-01", "Đã mất")
