"""The exchange screens, driven by keys as an office would: sending this office's changes to a
USB stick or as e-mail text, pasting a message received, the keys enrolled and revoked, and
bundles refused with what to do about them.

The offices are Tây Ninh's province (72), Thành phố Tây Ninh (703) and Phường 1 (25456), each
key enrolled by the office above (tests/sync/offices.py). The places offered for a bundle are a
USB stick and the home folder, both in the test's own folder.
"""

from __future__ import annotations

import errno
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import orjson
import pytest
from craft import Key, bundle, jsonl, line, version
from factories import TODAY, address, aid, helper
from offices import Chain, chain, files_of, make_office
from pilots import settle
from textual import events
from textual.pilot import Pilot
from textual.widgets import OptionList, Select, Static, TextArea

from store.store import Store
from sync import armor, keys, send
from sync.reader import created_date
from sync.receive import import_bundle
from tui import app as app_module
from tui.app import NhandaoApp
from tui.drives import Place
from tui.screens import exchange
from tui.screens.dialogs import ConfirmScreen, FolderScreen
from tui.screens.exchange import (
    BundlePicker,
    KeysScreen,
    PasteScreen,
    ReceiveScreen,
    SendScreen,
    size_text,
)
from tui.screens.progress import ProgressScreen
from tui.screens.province import CompletenessScreen, DeadlineScreen
from tui.widgets.record_table import RecordTable
from tui.widgets.vn_input import VnInput

SIZE = (80, 24)
NOTHING = "Chưa nhập gì vào kho."
WRITE_AGAIN = "hãy ghi lại gói (ghi ra chỗ khác nếu được)"


class Recorded(NhandaoApp):
    """The app, keeping every notification it shows (they vanish from the screen after a few
    seconds; tests must not depend on how fast they run)."""

    CSS_PATH = Path(app_module.__file__).with_name("app.tcss")  # not beside this file

    def __init__(self, store: Store) -> None:
        super().__init__(store, cursor_blink=False)
        self.told: list[tuple[str, str]] = []

    def notify(self, message: str, *, severity: str = "information", **rest: object) -> None:  # type: ignore[override]
        self.told.append((message, severity))
        super().notify(message, severity=severity, **rest)  # type: ignore[arg-type]

    def errors(self) -> list[str]:
        return [message for message, severity in self.told if severity == "error"]


def shown(app: NhandaoApp, selector: str) -> str:
    """The text of a Static of the current screen, as on screen."""
    return str(app.screen.query_one(selector, Static).render())


def rows(app: NhandaoApp, selector: str) -> list[tuple[str, ...]]:
    table = app.screen.query_one(selector, RecordTable)
    return [table.row(i) for i in range(table.row_count)]


@dataclass
class Desk:
    offices: Chain
    usb: Path
    home: Path


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desk]:
    """The three offices; Phường 1 holds a helper, an address and two aids; a USB stick (the
    first place offered) and the home folder."""
    usb, home = tmp_path / "media" / "canbo" / "NHANDAO", tmp_path / "home"
    usb.mkdir(parents=True)
    home.mkdir()
    offered = [Place(usb, "USB: NHANDAO", True), Place(home, "Thư mục nhà")]
    monkeypatch.setattr(exchange, "places", lambda: offered)
    with chain(tmp_path / "offices") as offices:
        offices.commune.save_many(
            [
                ("helper", helper("h1")),
                ("address", address("a1", name="Lê Thị Hồng")),
                ("aid", aid("x1", value=300_000)),
                ("aid", aid("x2", on="2011-05-02", value=450_000)),
            ]
        )
        yield Desk(offices, usb, home)


async def open_send(pilot: Pilot) -> SendScreen:
    await settle(pilot)
    await pilot.press("g")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SendScreen)
    return screen


async def write(pilot: Pilot, *keys_: str) -> None:
    await pilot.press(*keys_)
    await settle(pilot)
    assert not isinstance(pilot.app.screen, ProgressScreen)


def bundles_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ----------------------------------------------------------------- sending


async def test_sending_to_the_usb_stick_says_where_and_how_big(desk: Desk) -> None:
    commune, district = desk.offices.commune, desk.offices.district
    app = Recorded(commune)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_send(pilot)
        assert shown(app, "#send-to") == "Gói gửi lên Thành phố Tây Ninh."
        offered = screen.query_one("#places", OptionList)
        assert [str(offered.get_option_at_index(i).prompt) for i in range(2)] == [
            f"USB: NHANDAO  ({desk.usb})",
            f"Thư mục nhà  ({desk.home})",
        ]
        await write(pilot, "ctrl+s")
        assert bundles_in(desk.usb) == ["nhandao-25456-den-703-00001-records.zip"]
        written = desk.usb / "nhandao-25456-den-703-00001-records.zip"
        assert shown(app, "#sent") == (
            f"Đã ghi gói số 1 (4 bản ghi, {size_text(written.stat().st_size)}) vào {written}, "
            "đã đọc lại và kiểm tra: đúng. Nhớ gửi gói này lên Thành phố Tây Ninh."
        )
        assert size_text(written.stat().st_size).endswith(" KB")
        assert screen.query_one("#armored", TextArea).display is False
        assert app.errors() == []
    report = import_bundle(district, written)
    assert report.status == "merged" and report.total("new") == 4
    assert district.get("address", "a1")["name"] == "Lê Thị Hồng"


async def test_enter_on_a_place_writes_there(desk: Desk) -> None:
    app = Recorded(desk.offices.commune)
    async with app.run_test(size=SIZE) as pilot:
        await open_send(pilot)
        await write(pilot, "down", "enter")
        assert bundles_in(desk.home) == ["nhandao-25456-den-703-00001-records.zip"]
        assert bundles_in(desk.usb) == []
        assert f"vào {desk.home / 'nhandao-25456-den-703-00001-records.zip'}" in shown(app, "#sent")


async def test_a_folder_typed_in_is_used_instead(desk: Desk, tmp_path: Path) -> None:
    other = tmp_path / "Gửi tỉnh"
    other.mkdir()
    app = Recorded(desk.offices.commune)
    async with app.run_test(size=SIZE) as pilot:
        await open_send(pilot)
        await pilot.press("tab")
        await pilot.press(*str(other))
        await write(pilot, "ctrl+s")
        assert bundles_in(other) == ["nhandao-25456-den-703-00001-records.zip"]
        assert bundles_in(desk.usb) == []


async def test_the_e_mail_text_form_is_written_to_a_file(desk: Desk) -> None:
    commune, district = desk.offices.commune, desk.offices.district
    app = Recorded(commune)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_send(pilot)
        screen.query_one("#how", Select).value = "text"
        await pilot.pause()
        await write(pilot, "ctrl+s")
        written = desk.usb / "nhandao-25456-den-703-00001-records.txt"
        assert bundles_in(desk.usb) == [written.name]
        assert shown(app, "#sent") == (
            f"Đã ghi gói số 1 dạng thư điện tử (4 bản ghi, "
            f"{size_text(written.stat().st_size)}) vào {written}, đã đọc lại và kiểm tra: "
            "đúng. Nhớ gửi gói này lên Thành phố Tây Ninh."
        )
    text = written.read_text(encoding="utf-8")
    assert text.startswith("Gói dữ liệu nhandao số 1 của Phường 1 gửi Thành phố Tây Ninh.")
    assert armor.BEGIN in text and armor.END in text
    assert import_bundle(district, written).status == "merged"
    assert district.get("aid", "x2")["value"] == 450_000


async def test_the_e_mail_text_is_shown_ready_to_copy_and_pastes_at_the_office_above(
    desk: Desk,
) -> None:
    commune, district = desk.offices.commune, desk.offices.district
    app = Recorded(commune)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_send(pilot)
        screen.query_one("#how", Select).value = "show"
        await pilot.pause()
        await write(pilot, "ctrl+s")
        area = screen.query_one("#armored", TextArea)
        assert area.display is True and area.has_focus
        assert armor.BEGIN in area.text and armor.END in area.text
        assert area.selected_text == area.text  # Ctrl+C copies the whole message
        assert bundles_in(desk.usb) == []  # nothing written to the stick
        kept = commune.path / "outbox-text" / "nhandao-25456-den-703-00001-records.txt"
        assert kept.read_text(encoding="utf-8") == area.text
        assert "dạng thư điện tử" in shown(app, "#sent") and str(kept) in shown(app, "#sent")
        assert any("Ctrl+C để chép" in message for message, _ in app.told)
        message = area.text
    # The district pastes the message into its receive screen and merges it.
    before = district.count("aid")
    app = Recorded(district)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("ctrl+v")
        await pilot.pause()
        assert isinstance(app.screen, PasteScreen)
        await paste(pilot, f"Chào anh,\n\n{message}\nThân,\nHồng\n")
        assert isinstance(app.screen, ReceiveScreen)
        (row,) = rows(app, "#reports")
        assert row[1:3] == ("Phường 1", "1")
        assert row[0].startswith("thu-") and row[0].endswith(".txt")
        assert row[4] == "Dùng được: 4 mới"
        assert shown(app, "#detail").endswith("Gói hợp lệ. Theo từng đơn vị:\n  Phường 1: 4 mới")
        assert district.count("aid") == before  # checked only
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert rows(app, "#reports")[0][4] == "Đã nhập: 4 mới"
    assert district.count("aid") == before + 2


async def test_nothing_new_to_send_once_the_office_above_acknowledged_everything(
    desk: Desk, tmp_path: Path
) -> None:
    commune, district = desk.offices.commune, desk.offices.district
    sent = send.export_records(commune, tmp_path)
    assert sent is not None and import_bundle(district, sent.path).status == "merged"
    ack = send.export_ack(district, tmp_path, "25456")
    assert import_bundle(commune, ack.path).status == "merged"
    app = Recorded(commune)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_send(pilot)
        await write(pilot, "ctrl+s")
        assert shown(app, "#sent") == (
            "Cấp trên đã xác nhận nhận đủ: không có gì mới để gửi. Muốn gửi lại tất cả, chọn "
            "«Toàn bộ dữ liệu»."
        )
        assert bundles_in(desk.usb) == []
        # Everything again, when asked.
        screen.query_one("#what", Select).value = "full"
        await pilot.pause()
        await write(pilot, "ctrl+s")
        assert bundles_in(desk.usb) == ["nhandao-25456-den-703-00002-records.zip"]
        assert shown(app, "#sent").startswith("Đã ghi gói số 2 (4 bản ghi, ")


async def test_an_empty_store_has_nothing_to_send(desk: Desk, tmp_path: Path) -> None:
    with make_office(tmp_path / "phuong3", "25459", desk.offices.province) as empty:
        app = Recorded(empty)
        async with app.run_test(size=SIZE) as pilot:
            await open_send(pilot)
            await write(pilot, "ctrl+s")
            assert shown(app, "#sent") == (
                "Kho chưa có bản ghi nào: không có gì để gửi. Hãy nhập các địa chỉ nhân đạo trước."
            )
            assert bundles_in(desk.usb) == []


async def test_the_province_sends_its_directory_down_and_never_the_same_one_twice_unasked(
    desk: Desk, tmp_path: Path
) -> None:
    province, district = desk.offices.province, desk.offices.district
    # A district office enrolled since the directory was last sent: revision 2 is new.
    with make_office(tmp_path / "hoa-thanh", "705", province) as other:
        keys.enrol(province, keys.office_key(other).public, "705")
    revision = province.directory["revision"]
    app = Recorded(province)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_send(pilot)
        assert screen.title == "Gửi danh mục xuống cấp dưới"
        assert shown(app, "#send-to").startswith("Văn phòng Tỉnh Hội gửi gói danh mục")
        assert "cấp trên" not in shown(app, "#send-to")
        what = screen.query_one("#what", Select)
        assert what.value == "changes"
        await write(pilot, "ctrl+s")
        (name,) = bundles_in(desk.usb)
        assert name.startswith("nhandao-72-den-tat-ca-") and name.endswith("-directory.zip")
        sent = shown(app, "#sent")
        assert sent.startswith("Đã ghi gói số ") and "đã đọc lại và kiểm tra: đúng." in sent
        assert sent.endswith("Nhớ gửi gói này xuống các văn phòng cấp dưới.")
        # Again, unchanged: every office that took it in would refuse it. Nothing is written.
        before = files_of(province.path)
        await write(pilot, "ctrl+s")
        assert bundles_in(desk.usb) == [name]
        assert files_of(province.path) == before
        warned = shown(app, "#sent")
        day = created_date(send.directory_sent(province)["created"])  # the sender's clock
        assert warned.startswith(
            f"Danh mục số hiệu {revision} đã được gửi ngày {day:%d/%m/%Y} (gói số 2) và từ đó "
            "không đổi: các văn phòng đã nhận sẽ từ chối gói mới vì «không mới hơn». Không ghi "
            "gói nào."
        )
        assert warned.endswith("Muốn vẫn ghi, chọn «Gửi lại danh mục dù không đổi».")
        assert (warned, "warning") in app.told
        # An office lost it: sent again on purpose.
        what.value = "full"
        await write(pilot, "ctrl+s")
        assert len(bundles_in(desk.usb)) == 2
    report = import_bundle(district, desk.usb / name)
    assert (report.status, report.kind, report.sender) == ("merged", "directory", "72")


@pytest.mark.parametrize("typed", ["missing", "a file"])
async def test_a_place_that_is_not_a_folder_is_refused(
    desk: Desk, tmp_path: Path, typed: str
) -> None:
    target = tmp_path / "khong-co" / "usb"
    if typed == "a file":
        target = tmp_path / "goi.zip"
        target.write_bytes(b"an older file, kept as it is")
    commune = desk.offices.commune
    before = files_of(commune.path)
    app = Recorded(commune)
    async with app.run_test(size=SIZE) as pilot:
        await open_send(pilot)
        await pilot.press("tab", *str(target))
        await write(pilot, "ctrl+s")
        expected = (
            f"Không có thư mục «{target}»."
            if typed == "missing"
            else f"«{target}» là một tệp, không phải thư mục."
        ) + " Hãy chọn ổ USB hay gõ một thư mục có thật."
        assert app.errors() == [expected]
        assert shown(app, "#sent") == expected
        assert isinstance(app.screen, SendScreen)
    assert files_of(commune.path) == before  # no number used up
    if typed == "a file":
        assert target.read_bytes() == b"an older file, kept as it is"
    else:
        assert not target.exists()


async def test_a_folder_with_brackets_and_markup_in_its_name_is_shown_as_typed(
    desk: Desk, tmp_path: Path
) -> None:
    odd = tmp_path / "USB [8GB]" / "[red]Gửi\\"
    app = Recorded(desk.offices.commune)
    async with app.run_test(size=SIZE) as pilot:
        await open_send(pilot)
        await pilot.press("tab", *str(odd))
        await write(pilot, "ctrl+s")
        assert shown(app, "#sent") == (
            f"Không có thư mục «{odd}». Hãy chọn ổ USB hay gõ một thư mục có thật."
        )
        odd.mkdir(parents=True)
        await write(pilot, "ctrl+s")
        assert f"vào {odd / 'nhandao-25456-den-703-00001-records.zip'}, đã đọc lại" in shown(
            app, "#sent"
        )


async def test_a_write_that_fails_says_so_and_the_next_one_succeeds(desk: Desk) -> None:
    """The stick holds a folder where the bundle's file should go: nothing can be written."""
    (desk.usb / "nhandao-25456-den-703-00001-records.zip").mkdir()
    app = Recorded(desk.offices.commune)
    async with app.run_test(size=SIZE) as pilot:
        await open_send(pilot)
        await write(pilot, "ctrl+s")
        failed = shown(app, "#sent")
        assert failed.startswith(f"Không lưu được vào {desk.usb}")
        assert "Có thể đĩa đã đầy hoặc không có quyền ghi." in failed
        assert app.errors() == [failed]
        assert isinstance(app.screen, SendScreen)
        # Written to the home folder instead.
        await write(pilot, "down", "enter")
        assert bundles_in(desk.home) == ["nhandao-25456-den-703-00002-records.zip"]
        assert shown(app, "#sent").startswith("Đã ghi gói số 2 (4 bản ghi, ")
    assert (
        import_bundle(
            desk.offices.district, desk.home / "nhandao-25456-den-703-00002-records.zip"
        ).status
        == "merged"
    )


async def test_a_bundle_that_does_not_read_back_must_be_written_again(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stick pulled out too early: the file on it is cut short."""
    verify = exchange.verify_written

    def pulled_out(store: Store, path: Path):  # type: ignore[no-untyped-def]
        path.write_bytes(path.read_bytes()[:200])
        return verify(store, path)

    monkeypatch.setattr(exchange, "verify_written", pulled_out)
    app = Recorded(desk.offices.commune)
    async with app.run_test(size=SIZE) as pilot:
        await open_send(pilot)
        await write(pilot, "ctrl+s")
        written = desk.usb / "nhandao-25456-den-703-00001-records.zip"
        message = shown(app, "#sent")
        assert message.startswith(f"Gói vừa ghi ở {written} không đọc lại được")
        assert message.endswith(WRITE_AGAIN + ".")
        assert app.errors() == [message]
        assert "đúng" not in message


def test_sizes_read_as_a_vietnamese_reader_writes_them() -> None:
    assert [size_text(n) for n in (0, 850, 1023, 1024, 12_800, 1_048_575)] == [
        "0 byte", "850 byte", "1.023 byte", "1 KB", "12 KB", "1.024 KB",
    ]  # fmt: skip
    assert size_text(3_565_158) == "3,4 MB"


# ----------------------------------------------------------------- pasting


async def open_paste(pilot: Pilot, inbox: Path) -> ReceiveScreen:
    await settle(pilot)
    receive = ReceiveScreen(pilot.app.store, start=inbox)
    await pilot.app.push_screen(receive)
    await pilot.pause()
    await pilot.press("ctrl+v")
    await pilot.pause()
    assert isinstance(pilot.app.screen, PasteScreen)
    return receive


async def paste(pilot: Pilot, text: str) -> None:
    """What the terminal sends when text is pasted into it (Ctrl+Shift+V, a right click)."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()
    assert pilot.app.screen.query_one("#pasted", TextArea).text == text
    await pilot.press("ctrl+s")
    await settle(pilot)


@pytest.fixture
def message(desk: Desk, tmp_path: Path) -> str:
    """Phường 1's bundle as e-mail text, as it arrived at the district."""
    sent = send.export_records(desk.offices.commune, tmp_path / "thu.txt", armored=True)
    assert sent is not None
    return sent.path.read_text(encoding="utf-8")


async def test_a_good_paste_is_checked_like_a_file_then_merged(
    desk: Desk, tmp_path: Path, message: str
) -> None:
    district = desk.offices.district
    inbox = tmp_path / "empty"
    inbox.mkdir()
    app = Recorded(district)
    async with app.run_test(size=SIZE) as pilot:
        receive = await open_paste(pilot, inbox)
        before = files_of(district.path)
        await paste(pilot, "> " + message.replace("\n", "\n> "))  # quoted in a reply
        assert app.screen is receive
        (kept,) = receive.pasted
        assert kept.parent == district.path / "inbox" and kept.suffix == ".txt"
        assert receive.reports[0].status == "checked"
        assert rows(app, "#reports")[0][4] == "Dùng được: 4 mới"
        assert len(rows(app, "#reports")) == 1
        assert {k: v for k, v in files_of(district.path).items() if "inbox" not in k} == before
        await pilot.press("ctrl+s", "y")
        await settle(pilot)
        assert receive.reports[0].status == "merged"
    assert district.get("address", "a1")["name"] == "Lê Thị Hồng"


async def test_two_pastes_in_the_same_second_are_both_kept(
    desk: Desk, tmp_path: Path, message: str
) -> None:
    district = desk.offices.district
    again = send.export_records(
        desk.offices.commune, tmp_path / "full.txt", full=True, armored=True
    )
    assert again is not None
    app = Recorded(district)
    async with app.run_test(size=SIZE) as pilot:
        receive = await open_paste(pilot, tmp_path)
        await paste(pilot, message)
        await pilot.press("ctrl+v")
        await pilot.pause()
        await paste(pilot, again.path.read_text(encoding="utf-8"))
        first, second = receive.pasted
        assert first != second
        assert first.read_text(encoding="utf-8") == message
        assert [r.sequence for r in receive.reports] == [1, 2]
        assert [r.status for r in receive.reports] == ["checked", "checked"]


GARBAGE = {
    "no block at all": (
        "Chào anh, em gửi số liệu quý 1 ạ.",
        f"Chưa thấy gói trong chữ vừa dán: hãy dán cả khối, từ dòng «{armor.BEGIN}» đến dòng "
        f"«{armor.END}».",
    ),
    "cut short": (
        f"{armor.BEGIN}\nUEsDBBQAAAAIAAAAIQA\n",
        f"Thư vừa dán bị cắt mất phần cuối (không thấy dòng «{armor.END}»). Hãy dán lại nguyên "
        "cả khối, hoặc xin gửi lại gói dạng tệp đính kèm. Chưa nhận gì.",
    ),
    "not base64": (
        f"{armor.BEGIN}\nđây không phải là gói!\n=abcdefgh\n{armor.END}\n",
        "Phần chữ giữa hai dòng BEGIN và END bị hỏng. Hãy chép lại nguyên văn cả khối, hoặc xin "
        "gửi lại gói dạng tệp đính kèm. Chưa nhận gì.",
    ),
}


@pytest.mark.parametrize("pasted", GARBAGE.values(), ids=GARBAGE.keys())
async def test_garbage_is_refused_with_a_clear_message_and_nothing_kept(
    desk: Desk, tmp_path: Path, pasted: tuple[str, str]
) -> None:
    text, refusal = pasted
    district = desk.offices.district
    before = files_of(district.path)
    app = Recorded(district)
    async with app.run_test(size=SIZE) as pilot:
        receive = await open_paste(pilot, tmp_path)
        await paste(pilot, text)
        assert isinstance(app.screen, PasteScreen)  # still there, to paste again
        assert app.errors() == [refusal]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is receive and receive.pasted == [] and receive.reports == []
        assert rows(app, "#reports") == []
    assert files_of(district.path) == before
    assert not (district.path / "inbox").exists()


async def test_a_message_changed_on_the_way_is_refused(
    desk: Desk, tmp_path: Path, message: str
) -> None:
    lines = message.splitlines()
    body = lines.index(armor.BEGIN) + 2
    lines[body] = ("B" if lines[body][0] == "A" else "A") + lines[body][1:]
    district = desk.offices.district
    before = files_of(district.path)
    app = Recorded(district)
    async with app.run_test(size=SIZE) as pilot:
        await open_paste(pilot, tmp_path)
        await paste(pilot, "\n".join(lines))
        assert isinstance(app.screen, PasteScreen)
        assert app.errors() == [
            "Mã kiểm tra của gói không khớp: chữ trong thư đã bị thay đổi trên đường gửi hoặc "
            "khi chép. Hãy chép lại nguyên văn cả khối, hoặc xin gửi lại gói dạng tệp đính kèm. "
            "Chưa nhận gì."
        ]
    assert files_of(district.path) == before


async def test_a_pasted_block_that_is_no_bundle_is_refused_at_the_check(
    desk: Desk, tmp_path: Path
) -> None:
    """Well-formed text around bytes that are not a bundle: kept, then refused by the check."""
    district = desk.offices.district
    app = Recorded(district)
    async with app.run_test(size=SIZE) as pilot:
        receive = await open_paste(pilot, tmp_path)
        await paste(pilot, armor.armor("không phải gói".encode()))
        assert app.screen is receive
        (report,) = receive.reports
        assert report.refused and report.refusal.reason == "not-zip"
        assert rows(app, "#reports")[0][4] == "Từ chối"
        assert shown(app, "#detail") == (
            "Kết quả kiểm tra (chưa nhập gì): 0 gói dùng được, 1 gói bị từ chối.\n"
            + str(report.refusal)
        )
        assert shown(app, "#detail").endswith(NOTHING)
        await pilot.press("ctrl+s")
        assert not isinstance(app.screen, ConfirmScreen)
        assert app.told[-1] == (
            "Mọi gói đã chọn đều bị từ chối: không có gì để nhập. Chọn từng gói để xem lý do.",
            "warning",
        )


# ----------------------------------------------------------------- keys


async def test_the_keys_enrolled_are_listed_with_unit_and_fingerprint(desk: Desk) -> None:
    district, commune = desk.offices.district, desk.offices.commune
    commune_key = keys.office_key(commune).public
    own = keys.office_key(district).public
    app = Recorded(district)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        assert shown(app, "#own-key") == (
            f"Khoá của văn phòng này: {own.id_text}, dấu vân tay {keys.fingerprint(own)}"
        )
        assert rows(app, "#keys") == [("Phường 1", commune_key.id_text, "29/11/2026", "đang dùng")]
        assert shown(app, "#detail") == (
            f"Khoá {commune_key.id_text} của Phường 1 (25456), dấu vân tay "
            f"{keys.fingerprint(commune_key)}."
        )


async def test_revoking_a_key_asks_first_then_its_bundles_are_refused(
    desk: Desk, tmp_path: Path
) -> None:
    district, commune = desk.offices.district, desk.offices.commune
    key_id = keys.office_key(commune).public.id_text
    sent = send.export_records(commune, tmp_path)
    assert sent is not None
    assert import_bundle(district, sent.path, dry_run=True).status == "checked"
    app = Recorded(district)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.push_screen(KeysScreen(district))
        await pilot.pause()
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmScreen)
        assert shown(app, "#question") == (
            f"Thu hồi khoá {key_id}? Mọi gói ký bằng khoá này sẽ bị từ chối từ nay."
        )
        await pilot.press("n")  # changed their mind
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        assert [e.revoked for e in keys.enrolments(district)] == [None]
        assert rows(app, "#keys")[0][3] == "đang dùng"
        await pilot.press("delete", "y")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        assert rows(app, "#keys") == [("Phường 1", key_id, "29/11/2026", "thu hồi 29/11/2026")]
        assert app.told[-1] == (
            f"Đã thu hồi khoá {key_id}: gói ký bằng khoá này sẽ bị từ chối.",
            "information",
        )
        # Asked again: said so, and nothing asked.
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        assert app.told[-1] == (f"Khoá {key_id} đã bị thu hồi ngày 29/11/2026.", "warning")
    (enrolment,) = keys.enrolments(district)
    assert enrolment.key == key_id and enrolment.revoked == TODAY.isoformat()
    refused = import_bundle(district, sent.path)
    assert refused.refused and refused.refusal.reason == "revoked-key"
    assert district.get("address", "a1") is None


async def test_a_key_outside_this_office_cannot_be_revoked_here(desk: Desk) -> None:
    """Phường 1 sees the district's key (enrolled by the province, from the directory)."""
    commune, district = desk.offices.commune, desk.offices.district
    district_key = keys.office_key(district).public.id_text
    app = Recorded(commune)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.push_screen(KeysScreen(commune))
        await pilot.pause()
        table = app.screen.query_one("#keys", RecordTable)
        table.move_to(district_key)
        await pilot.pause()
        assert "Thành phố Tây Ninh (703)" in shown(app, "#detail")
        await pilot.press("delete", "y")
        await pilot.pause()
        assert app.errors() == [
            f"Khoá {district_key} thuộc đơn vị ngoài phạm vi của văn phòng này; chỉ văn phòng "
            "cấp trên của đơn vị đó được thu hồi."
        ]
        states = {row[1]: row[3] for row in rows(app, "#keys")}
        assert states[district_key] == "đang dùng"
    assert all(e.revoked is None for e in keys.enrolments(commune))


# ----------------------------------------------------------------- receiving


@dataclass
class Inbox:
    folder: Path
    good: Path
    tampered: Path
    stranger: Path
    not_a_bundle: Path


@pytest.fixture
def inbox(desk: Desk, tmp_path: Path) -> Inbox:
    """A stick brought to the district: Phường 1's bundle, the same with a byte changed, one
    from Phường 3 (its key not enrolled) and a text file that is no bundle."""
    folder = tmp_path / "stick"
    folder.mkdir()
    sent = send.export_records(desk.offices.commune, folder)
    assert sent is not None
    good = sent.path.rename(folder / "1-phuong1.zip")
    changed = bytearray(good.read_bytes())
    changed[len(changed) // 2] ^= 0xFF
    tampered = folder / "2-hong.zip"
    tampered.write_bytes(bytes(changed))
    with make_office(tmp_path / "phuong3", "25459", desk.offices.province) as phuong3:
        phuong3.save_many([("helper", helper("h3", unit="25459")),
                           ("address", address("c1", unit="25459", name="Võ Văn Ba"))])  # fmt: skip
        theirs = send.export_records(phuong3, folder)
        assert theirs is not None
        stranger = theirs.path.rename(folder / "3-phuong3.zip")
    not_a_bundle = folder / "4-ghi-chu.txt"
    not_a_bundle.write_text("Số liệu quý 1 đã gửi qua thư.", encoding="utf-8")
    return Inbox(folder, good, tampered, stranger, not_a_bundle)


async def check_all(pilot: Pilot, inbox: Inbox) -> ReceiveScreen:
    await settle(pilot)
    receive = ReceiveScreen(pilot.app.store, start=inbox.folder)
    await pilot.app.push_screen(receive)
    await pilot.pause()
    for _ in range(4):
        await pilot.press("down", "space")
    assert len(receive.query_one(BundlePicker).chosen) == 4
    await pilot.press("ctrl+k")
    await settle(pilot)
    return receive


async def test_refused_bundles_are_listed_with_the_reason_and_what_to_do(
    desk: Desk, inbox: Inbox
) -> None:
    district = desk.offices.district
    before = files_of(district.path)
    app = Recorded(district)
    async with app.run_test(size=SIZE) as pilot:
        receive = await check_all(pilot, inbox)
        listed = rows(app, "#reports")
        assert [(r[0], r[1], r[2], r[4]) for r in listed] == [
            ("1-phuong1.zip", "Phường 1", "1", "Dùng được: 4 mới"),
            ("2-hong.zip", "?", "", "Từ chối"),
            ("3-phuong3.zip", "Phường 3 (tự ghi)", "1", "Khoá lạ (Ctrl+E)"),
            ("4-ghi-chu.txt", "?", "", "Từ chối"),
        ]
        summary = (
            "Kết quả kiểm tra (chưa nhập gì): 1 gói dùng được, 3 gói bị từ chối. Ctrl+S để nhập "
            "các gói dùng được."
        )
        # The first row, highlighted: what it holds, unit by unit.
        assert (
            shown(app, "#detail") == f"{summary}\nGói hợp lệ. Theo từng đơn vị:\n  Phường 1: 4 mới"
        )
        table = receive.query_one("#reports", RecordTable)
        details = {}
        for key, name in (("1", "2-hong.zip"), ("2", "3-phuong3.zip"), ("3", "4-ghi-chu.txt")):
            table.move_to(key)
            await pilot.pause()
            details[name] = shown(app, "#detail").removeprefix(summary + "\n")
            assert details[name] == str(receive.reports[int(key)].refusal)
            assert details[name].endswith(NOTHING)
        assert (
            "Hãy đề nghị văn phòng gửi xuất lại gói bằng nhandao và gửi lại."
            in details["2-hong.zip"]
        )
        assert "không phải gói dữ liệu nhandao" in details["4-ghi-chu.txt"]
        assert "Hãy kiểm tra xem đã chọn đúng tệp chưa." in details["4-ghi-chu.txt"]
        unknown = details["3-phuong3.zip"]
        assert "Phường 3" in unknown and "dấu vân tay" in unknown
        table.move_to("0")
        await pilot.press("end")  # the detail follows the cursor
        assert shown(app, "#detail") == f"{summary}\n{details['4-ghi-chu.txt']}"
    assert files_of(district.path) == before  # checking writes nothing


async def test_nothing_is_merged_without_the_confirm(desk: Desk, inbox: Inbox) -> None:
    district = desk.offices.district
    before = files_of(district.path)
    app = Recorded(district)
    async with app.run_test(size=SIZE) as pilot:
        receive = await check_all(pilot, inbox)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ConfirmScreen)
        assert shown(app, "#question") == (
            "Nhập 1 gói hợp lệ vào kho? Gói bị từ chối không được nhập."
        )
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is receive
        assert [r.status for r in receive.reports] == ["checked", "refused", "refused", "refused"]
        await pilot.press("ctrl+s", "escape")
        await settle(pilot)
        assert app.screen is receive
    assert files_of(district.path) == before
    assert district.get("address", "a1") is None


async def test_after_merging_the_store_holds_the_records(desk: Desk, inbox: Inbox) -> None:
    district = desk.offices.district
    app = Recorded(district)
    async with app.run_test(size=SIZE) as pilot:
        receive = await check_all(pilot, inbox)
        await pilot.press("ctrl+s", "y")
        await settle(pilot)
        assert [r.status for r in receive.reports] == ["merged", "refused", "refused", "refused"]
        assert shown(app, "#detail").startswith(
            "Kết quả nhập: 1 gói dùng được, 3 gói bị từ chối.\n"
        )
        listed = rows(app, "#reports")
        assert listed[0][4] == "Đã nhập: 4 mới"
        assert [r[4] for r in listed[1:]] == ["Từ chối", "Khoá lạ (Ctrl+E)", "Từ chối"]
        assert app.told[-1] == ("Đã nhập 1 gói.", "information")
        # Merging again merges nothing and asks nothing.
        await pilot.press("ctrl+s")
        assert app.screen is receive
        assert app.told[-1] == ("Không có gói mới nào để nhập.", "warning")
    assert district.get("address", "a1")["name"] == "Lê Thị Hồng"
    assert {a["id"] for a in district.records("aid")} == {"x1", "x2"}
    assert district.get("address", "c1") is None  # Phường 3's key is not enrolled


async def test_a_full_disk_during_the_merge_is_a_message_and_the_app_goes_on(
    desk: Desk, inbox: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    district = desk.offices.district
    app = Recorded(district)
    async with app.run_test(size=SIZE) as pilot:
        receive = await check_all(pilot, inbox)
        real_fsync = os.fsync

        def full(fd: int) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "fsync", full)
        await pilot.press("ctrl+s", "y")
        await settle(pilot)
        assert app.is_running and app.screen is receive  # the progress dialog is gone
        message, severity = app.told[-1]
        assert severity == "error"
        assert "Không lưu được vào" in message and "đĩa đã đầy" in message
        assert district.get("address", "a1") is None  # nothing of the bundle was merged
        # Space freed: the same merge goes through.
        monkeypatch.setattr(os, "fsync", real_fsync)
        await pilot.press("ctrl+s", "y")
        await settle(pilot)
        assert app.told[-1] == ("Đã nhập 1 gói.", "information")
    assert district.get("address", "a1")["name"] == "Lê Thị Hồng"


async def test_merging_before_checking_asks_for_the_check(desk: Desk, inbox: Inbox) -> None:
    app = Recorded(desk.offices.district)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        receive = ReceiveScreen(desk.offices.district, start=inbox.folder)
        await app.push_screen(receive)
        await pilot.pause()
        await pilot.press("ctrl+k")
        assert app.told[-1] == ("Chưa chọn tệp gói nào (phím cách để chọn).", "warning")
        await pilot.press("ctrl+s")
        assert app.screen is receive
        assert app.told[-1] == (
            "Hãy kiểm tra các gói trước (Ctrl+K); chỉ nhập những gói hợp lệ.",
            "warning",
        )
    assert desk.offices.district.get("address", "a1") is None


async def test_a_bundle_signed_by_a_revoked_key_is_refused_on_screen(
    desk: Desk, inbox: Inbox
) -> None:
    district, commune = desk.offices.district, desk.offices.commune
    keys.revoke(district, keys.office_key(commune).public.id_text)
    app = Recorded(district)
    async with app.run_test(size=SIZE) as pilot:
        receive = await check_all(pilot, inbox)
        assert rows(app, "#reports")[0][4] == "Từ chối"
        assert shown(app, "#detail") == (
            "Kết quả kiểm tra (chưa nhập gì): 0 gói dùng được, 4 gói bị từ chối.\n"
            + str(receive.reports[0].refusal)
        )
        assert "đã bị thu hồi ngày 29/11/2026." in shown(app, "#detail")
        await pilot.press("ctrl+s")
        assert not isinstance(app.screen, ConfirmScreen)
    assert district.get("address", "a1") is None


async def test_records_held_in_quarantine_are_named_in_the_detail(
    desk: Desk, tmp_path: Path
) -> None:
    """A bundle well signed by Phường 1 with an address that fails validation."""
    district, commune = desk.offices.district, desk.offices.commune
    bad = address("a9", name="Đặng Thị Mười", people=0)
    payload = bundle(
        Key(keys.office_key(commune).private), "25456",
        {"records/25456.jsonl": jsonl([line("address", bad, "25456", version(9))])},
        to="703", sequence=50,
    )  # fmt: skip
    folder = tmp_path / "stick"
    folder.mkdir()
    (folder / "held.zip").write_bytes(payload)
    app = Recorded(district)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        receive = ReceiveScreen(district, start=folder)
        await app.push_screen(receive)
        await pilot.pause()
        await pilot.press("down", "space", "ctrl+k")
        await settle(pilot)
        (report,) = receive.reports
        assert rows(app, "#reports")[0][4] == "Dùng được: 1 cách ly"
        (held,) = report.held
        assert shown(app, "#detail").endswith(
            f"\nCách ly Địa chỉ (mã a9): {'; '.join(held.reasons)}"
        )
        await pilot.press("ctrl+s", "y")
        await settle(pilot)
        assert rows(app, "#reports")[0][4] == "Đã nhập: 1 cách ly"
    assert district.get("address", "a9") is None


async def test_another_folder_is_opened_and_files_ticked_in_both_are_checked(
    desk: Desk, inbox: Inbox, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "thu-dien-tu"
    elsewhere.mkdir()
    inbox.good.rename(elsewhere / inbox.good.name)
    app = Recorded(desk.offices.district)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        receive = ReceiveScreen(pilot.app.store, start=inbox.folder)
        await pilot.app.push_screen(receive)
        await pilot.pause()
        await pilot.press("down", "space")  # 2-hong.zip, now the first file
        await pilot.press("ctrl+o")
        assert isinstance(app.screen, FolderScreen)
        assert shown(app, "#question") == "Tìm các tệp gói ở thư mục nào?"
        await pilot.press("tab", *str(tmp_path / "khong-co"), "enter")
        assert isinstance(app.screen, FolderScreen)  # no such folder: the dialog stays
        await pilot.press(*["backspace"] * len("khong-co"), *"thu-dien-tu", "enter")
        await pilot.pause()
        picker = receive.query_one(BundlePicker)
        assert app.screen is receive and Path(picker.path) == elsewhere
        await pilot.pause()
        await pilot.press("down", "space", "ctrl+k")
        await settle(pilot)
        assert [(r[0], r[4]) for r in rows(app, "#reports")] == [
            ("2-hong.zip", "Từ chối"),
            ("1-phuong1.zip", "Dùng được: 4 mới"),
        ]


async def test_the_same_bundle_chosen_twice_is_merged_once(
    desk: Desk, inbox: Inbox, tmp_path: Path
) -> None:
    district = desk.offices.district
    mail = tmp_path / "thu"
    mail.mkdir()
    (mail / "ban-sao.zip").write_bytes(inbox.good.read_bytes())
    app = Recorded(district)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        receive = ReceiveScreen(district, start=inbox.folder)
        await pilot.app.push_screen(receive)
        await pilot.pause()
        await pilot.press("down", "space", "ctrl+o", "tab", *str(mail), "enter")
        await pilot.pause()
        await pilot.press("down", "space", "ctrl+k")
        await settle(pilot)
        assert [(r[0], r[4]) for r in rows(app, "#reports")] == [
            ("1-phuong1.zip", "Dùng được: 4 mới"),
            ("ban-sao.zip", "Trùng gói ở trên"),
        ]
        receive.query_one("#reports", RecordTable).move_to("1")
        await pilot.pause()
        assert shown(app, "#detail").endswith(
            "Cùng một gói với «1-phuong1.zip» ở trên (chọn hai lần): chỉ nhập một lần."
        )
        await pilot.press("ctrl+s")
        assert shown(app, "#question").startswith("Nhập 1 gói hợp lệ vào kho?")
        await pilot.press("y")
        await settle(pilot)
        assert [r.status for r in receive.reports] == ["merged", "checked"]
        assert app.told[-1] == ("Đã nhập 1 gói.", "information")
        await pilot.press("ctrl+s")  # nothing left to merge, nothing asked
        assert app.screen is receive
    assert district.get("address", "a1") is not None


# ----------------------------------------------------------------- acknowledgements


async def test_the_district_acknowledges_with_each_send_and_the_commune_learns_what_was_held(
    desk: Desk,
) -> None:
    district, commune = desk.offices.district, desk.offices.commune
    sent = send.export_records(commune, desk.home)
    assert sent is not None and import_bundle(district, sent.path).status == "merged"
    # Then a bundle of Phường 1 with an address that fails validation: held at the district.
    bad = address("a9", name="Đặng Thị Mười", people=0)
    held_payload = bundle(
        Key(keys.office_key(commune).private), "25456",
        {"records/25456.jsonl": jsonl([line("address", bad, "25456", version(9))])},
        to="703", sequence=2,
    )  # fmt: skip
    (desk.home / "held.zip").write_bytes(held_payload)
    held = import_bundle(district, desk.home / "held.zip")
    assert held.status == "merged" and [h.id for h in held.held] == ["a9"]
    app = Recorded(district)
    async with app.run_test(size=SIZE) as pilot:
        await open_send(pilot)
        assert shown(app, "#send-to") == (
            "Gói gửi lên Tỉnh Tây Ninh.\n"
            "Xác nhận cho 1 văn phòng cấp dưới (Phường 1) được ghi cùng gói."
        )
        await write(pilot, "ctrl+s")
        assert bundles_in(desk.usb) == [
            "nhandao-703-den-25456-00002-ack.zip",
            "nhandao-703-den-72-00001-records.zip",
        ]
        said = shown(app, "#sent")
        assert said.endswith(
            "Nhớ gửi gói này lên Tỉnh Tây Ninh. Đã ghi 1 gói xác nhận vào "
            f"{desk.usb} (đã đọc lại: đúng), mỗi văn phòng cấp dưới một tệp: Phường 1: "
            "nhandao-703-den-25456-00002-ack.zip. Nhớ gửi mỗi tệp cho đúng văn phòng đó."
        )
        # Acknowledged: the next send has none to write.
        assert shown(app, "#send-to") == "Gói gửi lên Tỉnh Tây Ninh."
        await write(pilot, "ctrl+t")
        assert shown(app, "#sent") == exchange.NO_ACKS_DUE
        assert (exchange.NO_ACKS_DUE, "warning") in app.told
        assert len(bundles_in(desk.usb)) == 2
    written = desk.usb / "nhandao-703-den-25456-00002-ack.zip"
    with zipfile.ZipFile(written) as archive:
        told = orjson.loads(archive.read("ack.json"))
    assert [(b["sequence"], b["quarantined"]) for b in told["bundles"]] == [
        (1, []),
        (2, [{"kind": "address", "id": "a9", "v": version(9), "reasons": held.held[0].reasons}]),
    ]
    report = import_bundle(commune, written)
    assert report.status == "merged" and report.ack is not None
    assert report.ack.acknowledged == [1]
    # What arrived is not sent again.
    assert send.export_records(commune, desk.home) is None


async def test_acknowledgements_alone_from_the_send_screen(desk: Desk) -> None:
    district, commune = desk.offices.district, desk.offices.commune
    sent = send.export_records(commune, desk.home)
    assert sent is not None and import_bundle(district, sent.path).status == "merged"
    app = Recorded(district)
    async with app.run_test(size=SIZE) as pilot:
        await open_send(pilot)
        await write(pilot, "ctrl+t")
        assert bundles_in(desk.usb) == ["nhandao-703-den-25456-00001-ack.zip"]
        assert shown(app, "#sent") == (
            f"Đã ghi 1 gói xác nhận vào {desk.usb} (đã đọc lại: đúng), mỗi văn phòng cấp dưới "
            "một tệp: Phường 1: nhandao-703-den-25456-00001-ack.zip. Nhớ gửi mỗi tệp cho đúng "
            "văn phòng đó."
        )
        assert app.errors() == []
    report = import_bundle(commune, desk.usb / "nhandao-703-den-25456-00001-ack.zip")
    assert report.ack is not None and report.ack.acknowledged == [1]


async def test_a_folder_with_an_ack_and_the_directory_that_brings_its_key(
    desk: Desk, tmp_path: Path
) -> None:
    """The district changed its key: its acknowledgement sorts before the directory that
    enrols the new key; the screen checks it after the directory and takes both in."""
    province, district, commune = desk.offices.province, desk.offices.district, desk.offices.commune
    sent = send.export_records(commune, desk.home)
    assert sent is not None and import_bundle(district, sent.path).status == "merged"
    stick = tmp_path / "stick"
    stick.mkdir()
    keys.enrol(province, keys.new_office_key(district).public, "703")
    assert send.export_directory(province, stick) is not None
    send.export_ack(district, stick, "25456")
    ack, directory = sorted(p.name for p in stick.iterdir())
    assert ack.endswith("-ack.zip") and directory.endswith("-directory.zip")
    app = Recorded(commune)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        receive = ReceiveScreen(commune, start=stick)
        await app.push_screen(receive)
        await pilot.pause()
        await pilot.press("down", "space", "down", "space", "ctrl+k")
        await settle(pilot)
        assert [(row[0], row[4]) for row in rows(app, "#reports")] == [
            (directory, "Dùng được"),
            (ack, "Nhập sau gói danh mục"),
        ]
        assert shown(app, "#detail").startswith(
            "Kết quả kiểm tra (chưa nhập gì): 2 gói dùng được, 0 gói bị từ chối. Ctrl+S để nhập"
        )
        await pilot.press("down")
        assert "gói danh mục được nhập trước, rồi gói này được kiểm tra lại và nhập." in (
            shown(app, "#detail").replace("\n", " ")
        )
        await pilot.press("ctrl+s", "y")
        await settle(pilot)
        assert [row[4] for row in rows(app, "#reports")] == ["Đã nhập", "Đã nhập"]
        await pilot.press("up")
        assert shown(app, "#detail").endswith("\nGói hợp lệ.\nDanh mục số hiệu 2 của Tỉnh Hội.")
        await pilot.press("down")
        assert shown(app, "#detail").endswith(
            "\nGói hợp lệ.\nThành phố Tây Ninh xác nhận đã nhận gói số 1 của văn phòng này."
        )
        assert app.errors() == []
    assert send.export_records(commune, desk.home) is None


# ----------------------------------------------------------------- deadline


async def test_the_deadline_follows_the_period_and_says_where_it_comes_from(desk: Desk) -> None:
    """A new office holds the seed's 09/11/2018; its period moved to 2016–2026, the deadline
    is 09/11/2026, and the screen says why."""
    district = desk.offices.district
    district.update_settings(period_from=2016, period_to=2026)
    app = Recorded(district)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.push_screen(CompletenessScreen(district))
        await pilot.pause()
        assert shown(app, "#deadline").startswith("Giai đoạn 2016-2026, hạn báo cáo 09/11/2026: ")
        assert shown(app, "#deadline-why") == (
            "Hạn mặc định: 09/11 năm cuối của giai đoạn 2016-2026; hạn đã đặt 09/11/2018 thuộc "
            "một giai đoạn trước nên không dùng (Ctrl+D: đặt hạn khác)."
        )
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert isinstance(app.screen, DeadlineScreen)
        assert app.screen.query_one("#deadline-day", VnInput).value == "09/11/2026"
        assert shown(app, "#deadline-about").startswith("Đang dùng 09/11/2026 (hạn mặc định: ")
        await pilot.press("ctrl+u", *"15/10/2026", "enter")
        await pilot.pause()
        assert shown(app, "#deadline").startswith("Giai đoạn 2016-2026, hạn báo cáo 15/10/2026: ")
        assert shown(app, "#deadline-why") == "Hạn do văn phòng đặt (Ctrl+D: đặt hạn khác)."
    assert district.office.settings["report_deadline"] == "2026-10-15"


async def test_the_commune_reads_on_its_screen_why_the_district_held_a_record(
    desk: Desk, tmp_path: Path
) -> None:
    """Phường 1's computer thinks it is January next year: an aid given «today» is in the
    district's future and held there; the district's send screen acknowledges, and the
    commune's receive screen tells the reason."""
    district, commune = desk.offices.district, desk.offices.commune
    later = date(TODAY.year + 1, 1, 15)
    commune.today = lambda: later
    commune.save("aid", aid("x9", helper=None, on=later.isoformat(), value=200_000))
    sent = send.export_records(commune, desk.home)
    assert sent is not None
    report = import_bundle(district, sent.path)
    (held,) = report.held
    assert held.id == "x9"
    app = Recorded(district)
    async with app.run_test(size=SIZE) as pilot:
        await open_send(pilot)
        await write(pilot, "ctrl+t")
    (ack,) = desk.usb.iterdir()
    assert ack.name == "nhandao-703-den-25456-00001-ack.zip"
    app = Recorded(commune)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        receive = ReceiveScreen(commune, start=desk.usb)
        await app.push_screen(receive)
        await pilot.pause()
        await pilot.press("down", "space", "ctrl+k")
        await settle(pilot)
        await pilot.press("ctrl+s", "y")
        await settle(pilot)
        assert [row[4] for row in rows(app, "#reports")] == ["Đã nhập"]
        detail = shown(app, "#detail")
        assert (
            "\nThành phố Tây Ninh xác nhận đã nhận gói số 1 của văn phòng này.\n"
            f"Bị giữ lại ở Thành phố Tây Ninh: {held.reasons[0]}\n"
            "1 bản ghi bị Thành phố Tây Ninh giữ lại: hãy sửa chúng rồi gửi gói mới; các bản "
            "ghi này sẽ được gửi lại."
        ) in detail
    # Everything else arrived: only the held aid goes again.
    again = send.export_records(commune, tmp_path)
    assert again is not None and again.records == 1
