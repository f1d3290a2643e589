"""«Xuất Excel» (Ctrl+B) from the list screens, and the file dialog it writes through, driven
with the keyboard through Pilot: typing goes to the box at once, a missing folder is created
only when asked, a file already there is replaced only when asked, Enter on nothing and Escape
write nothing; the workbook written holds the rows the screen showed."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import TODAY, address, aid, helper
from offices import Chain
from openpyxl import load_workbook
from pilots import settle
from test_province_screens import (  # noqa: F401  (fixtures)
    DOCUMENTS,
    Held,
    city,
    conflicted,
    demo_district,
    held,
    open_folder_dialog,
)
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select
from textual.worker import WorkerCancelled, WorkerFailed, WorkerState

from exporters.lists import ADDRESSES, AID, ATTACHED, CONFLICTS, HELPERS, QUARANTINE
from store.store import Store
from tui.app import NhandaoApp
from tui.drives import places
from tui.screens.address_detail import AddressDetail
from tui.screens.addresses import AddressesScreen
from tui.screens.dialogs import ConfirmScreen, FolderScreen, SaveFileScreen, screen_bindings
from tui.screens.export import EXPORT_KEY, GROUP
from tui.screens.lists import HelpersScreen
from tui.screens.province import ConflictsScreen, QuarantineScreen, ResultsScreen

COMMUNE = "25456"  # Phường 1
LIST_NAME = f"dia-chi-phuong-1-{TODAY.isoformat()}.xlsx"


@pytest.fixture(autouse=True)
def _no_usb(monkeypatch: pytest.MonkeyPatch) -> None:
    """The places offered are the home folder's, whatever is plugged into the machine."""
    import tui.screens.dialogs

    monkeypatch.setattr(tui.screens.dialogs, "places", lambda: places(removable=list))


@pytest.fixture
def commune(tmp_path: Path) -> Iterator[Store]:
    """Phường 1 with three addresses (two named Nguyễn), two helpers and some aid."""
    with Store.create(tmp_path / "commune", COMMUNE, today=lambda: TODAY) as store:
        store.save_many([
            ("helper", helper("h1", name="Trần Thị Bình")),
            ("helper", helper("o1", side="outside", kind="organisation", name="Công ty Hoà An")),
            ("address", address("a1", name="Nguyễn Văn Tám", place="Khu phố 3")),
            ("address", address("a2", name="Nguyễn Thị Hoà", place="Khu phố 1", people=1,
                                groups=["poor"])),
            ("address", address("a3", name="Lê Văn Út", place="Khu phố 2")),
            ("attachment", {"id": "t1", "address": "a1", "helper": "h1", "from": "2009-02-01"}),
            ("attachment", {"id": "t2", "address": "a2", "helper": "o1", "from": "2010-01-01"}),
            ("aid", aid("x1", address="a1", helper="h1", on="2010-03-01", value=1_500_000)),
            ("aid", aid("x2", address="a1", helper="h1", on="2011-03-01", value=500_000)),
            ("aid", aid("x3", address="a2", helper="o1", on="2012-03-01", value=2_000_000)),
        ])  # fmt: skip
        yield store


def notices(app: NhandaoApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def written(pilot: Pilot) -> None:
    """Wait for the workbook's writing (a thread) and for the screen to catch up."""
    for worker in list(pilot.app.workers):
        if worker.group == GROUP and worker.state in (WorkerState.PENDING, WorkerState.RUNNING):
            with contextlib.suppress(WorkerCancelled, WorkerFailed):
                await worker.wait()
    await settle(pilot)


def box(app: NhandaoApp) -> Input:
    return app.screen.query_one("#folder", Input)


def table_names(path: Path, sheet: str, column: int = 1) -> list[object]:
    """The table's column `column` (0 = STT) in the sheet, under the numbering row."""
    rows = [list(r) for r in load_workbook(path)[sheet].iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r[0] == "1" and r[1] == "2") + 1
    return [r[column] for r in rows[start:] if isinstance(r[0], int)]


def texts(path: Path, sheet: str) -> list[str]:
    return [str(c) for r in load_workbook(path)[sheet].iter_rows(values_only=True)
            for c in r if c is not None]  # fmt: skip


async def open_addresses(pilot: Pilot, search: str = "") -> None:
    await settle(pilot)
    await pilot.press("a")
    assert isinstance(pilot.app.screen, AddressesScreen)
    if search:
        await pilot.press(*search)
    await pilot.pause()


# ----------------------------------------------------------------------------- the key


async def test_the_same_key_exports_on_every_list_screen_and_the_help_lists_it(
    commune: Store,
) -> None:
    app = NhandaoApp(commune, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key, kind in (("a", AddressesScreen), ("h", HelpersScreen),
                          ("x", ConflictsScreen), ("i", QuarantineScreen)):  # fmt: skip
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, kind)
            keys = [b for b in screen_bindings(app.screen) if EXPORT_KEY in b.key.split(",")]
            assert [b.description for b in keys] == ["Xuất Excel"]  # once, nothing else on it
            await pilot.press("f1")
            assert "Xuất Excel" in str(app.screen.query_one("#help-keys").render())
            await pilot.press("escape")
            await pilot.press(EXPORT_KEY)
            assert isinstance(app.screen, SaveFileScreen)
            await pilot.press("escape", "escape")
        await pilot.press("a", "enter", "enter")
        assert isinstance(app.screen, AddressDetail)
        keys = [b for b in screen_bindings(app.screen) if EXPORT_KEY in b.key.split(",")]
        assert [b.description for b in keys] == ["Xuất Excel"]


# ----------------------------------------------------------------------------- the addresses


async def test_the_addresses_shown_are_written_to_a_folder_created_when_asked(
    commune: Store, tmp_path: Path
) -> None:
    out = tmp_path / "Bảng tính" / "tháng 12"
    app = NhandaoApp(commune, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_addresses(pilot, "nguyen")
        await pilot.press(EXPORT_KEY)
        dialog = app.screen
        assert isinstance(dialog, SaveFileScreen)
        assert str(dialog.query_one("#question").render()) == (
            "Ghi danh sách 2 địa chỉ đang hiện vào đâu?"
        )
        assert app.focused is box(app)  # typing works at once
        await pilot.press(*str(out), "enter")
        assert isinstance(app.screen, ConfirmScreen)
        assert str(app.screen.query_one("#question").render()) == (
            f"Chưa có thư mục «{out}». Tạo thư mục này rồi ghi vào đó?"
        )
        await pilot.press("y")
        await written(pilot)
        assert isinstance(app.screen, AddressesScreen)
        assert notices(app)[-1] == f"Đã ghi {out / LIST_NAME}"
    assert os.listdir(out) == [LIST_NAME]
    assert table_names(out / LIST_NAME, ADDRESSES) == ["Nguyễn Thị Hoà", "Nguyễn Văn Tám"]
    assert "Lọc: tìm “nguyen”, xếp theo tên gọi; tính đến ngày 29/11/2026" in texts(
        out / LIST_NAME, ADDRESSES
    )


async def test_the_filters_chosen_are_said_under_the_title(commune: Store, tmp_path: Path) -> None:
    app = NhandaoApp(commune, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_addresses(pilot, "nguyen")
        app.screen.query_one("#filter-group", Select).value = "poor"
        await pilot.pause()
        await pilot.press(EXPORT_KEY, *str(tmp_path), "enter")
        await written(pilot)
    assert table_names(tmp_path / LIST_NAME, ADDRESSES) == ["Nguyễn Thị Hoà"]
    assert "Lọc: tìm “nguyen”; Hộ nghèo, xếp theo tên gọi; tính đến ngày 29/11/2026" in texts(
        tmp_path / LIST_NAME, ADDRESSES
    )


async def test_a_folder_not_created_writes_nothing_and_the_dialog_stays(
    commune: Store, tmp_path: Path
) -> None:
    out = tmp_path / "không-có"
    app = NhandaoApp(commune, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_addresses(pilot)
        await pilot.press(EXPORT_KEY, *str(out), "enter")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, SaveFileScreen) and app.focused is box(app)
        assert box(app).value == str(out)  # what was typed stays, to be corrected
        await pilot.press("escape")
        assert isinstance(app.screen, AddressesScreen)
    assert not out.exists()


async def test_a_file_already_there_is_replaced_only_when_asked(
    commune: Store, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / LIST_NAME).write_bytes(b"the clerk's own file")
    app = NhandaoApp(commune, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_addresses(pilot)
        await pilot.press(EXPORT_KEY, *str(out), "enter")
        assert isinstance(app.screen, ConfirmScreen)
        assert str(app.screen.query_one("#question").render()) == (
            f"Trong «{out}» đã có tệp «{LIST_NAME}». Ghi đè lên tệp này?"
        )
        await pilot.press("n")
        assert isinstance(app.screen, SaveFileScreen)
        assert (out / LIST_NAME).read_bytes() == b"the clerk's own file"
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await written(pilot)
        assert isinstance(app.screen, AddressesScreen)
    assert table_names(out / LIST_NAME, ADDRESSES) == ["Nguyễn Thị Hoà", "Nguyễn Văn Tám", "Lê Văn Út"]  # fmt: skip


async def test_enter_on_nothing_or_a_relative_folder_writes_nowhere(
    commune: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    home = Path.home()
    app = NhandaoApp(commune, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_addresses(pilot)
        await pilot.press(EXPORT_KEY, "enter")
        assert isinstance(app.screen, SaveFileScreen)
        assert notices(app)[-1] == (
            "Hãy gõ một thư mục, hoặc chọn một nơi trong danh sách (Tab hoặc ↓)."
        )
        await pilot.press(*"bang tinh", "enter")
        assert isinstance(app.screen, SaveFileScreen)
        assert notices(app)[-1].startswith(
            "Hãy gõ đủ đường dẫn của thư mục, tính từ ổ đĩa: «bang tinh» chưa cho biết"
        )
        await pilot.press("escape")
        await written(pilot)
        assert isinstance(app.screen, AddressesScreen)
    assert os.listdir(here) == []
    assert not home.exists() or not any(p.suffix == ".xlsx" for p in home.rglob("*"))


async def test_the_places_are_reached_by_arrows_and_typing_goes_back_to_the_box(
    commune: Store,
) -> None:
    documents = Path.home() / "Documents"
    documents.mkdir(parents=True)
    app = NhandaoApp(commune, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_addresses(pilot)
        await pilot.press(EXPORT_KEY, "down")
        places = app.screen.query_one("#places", OptionList)
        assert app.focused is places
        await pilot.press("up")  # from the first place, back up to the box
        assert app.focused is box(app)
        await pilot.press("tab")
        assert app.focused is places
        await pilot.press(*"/x")  # typed in the list: it goes to the box
        assert app.focused is box(app) and box(app).value == "/x"
        await pilot.press("backspace", "backspace", "down", "enter")  # the first: Documents
        await written(pilot)
        assert isinstance(app.screen, AddressesScreen)
    assert os.listdir(documents) == [LIST_NAME]


async def test_a_whole_file_name_typed_names_the_workbook(commune: Store, tmp_path: Path) -> None:
    target = tmp_path / "ds-nguyen.xlsx"
    app = NhandaoApp(commune, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_addresses(pilot)
        await pilot.press(EXPORT_KEY, *str(target), "enter")
        await written(pilot)
        assert notices(app)[-1] == f"Đã ghi {target}"
    assert len(table_names(target, ADDRESSES)) == 3


async def test_a_workbook_that_cannot_be_written_is_said_and_the_app_goes_on(
    commune: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import exporters.sheets

    def refused(path: Path, _payload: bytes) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(exporters.sheets, "write_atomic", refused)
    app = NhandaoApp(commune, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_addresses(pilot)
        await pilot.press(EXPORT_KEY, *str(tmp_path), "enter")
        await written(pilot)
        assert isinstance(app.screen, AddressesScreen)
        assert notices(app)[-1].startswith(
            f"Chưa ghi được: Không ghi được tệp «{tmp_path / LIST_NAME}»: không có quyền ghi"
        )
    assert not (tmp_path / LIST_NAME).exists()


# ----------------------------------------------------------------------------- the others


async def test_one_address_is_written_with_its_aid_and_helpers(
    commune: Store, tmp_path: Path
) -> None:
    app = NhandaoApp(commune, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_addresses(pilot, "tam")
        await pilot.press("enter", "enter")  # to the table, then open the address
        assert isinstance(app.screen, AddressDetail)
        await pilot.press(EXPORT_KEY)
        assert str(app.screen.query_one("#question").render()) == (
            "Ghi hồ sơ và các lần trợ giúp của «Nguyễn Văn Tám» vào đâu?"
        )
        await pilot.press(*str(tmp_path), "enter")
        await written(pilot)
        assert isinstance(app.screen, AddressDetail)
    path = tmp_path / f"ho-so-nguyen-van-tam-{TODAY.isoformat()}.xlsx"
    assert table_names(path, AID, 5) == [1_500_000, 500_000]
    assert table_names(path, ATTACHED) == ["Trần Thị Bình"]


async def test_the_helpers_shown_are_written_with_their_addresses(
    commune: Store, tmp_path: Path
) -> None:
    app = NhandaoApp(commune, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        assert isinstance(app.screen, HelpersScreen)
        await pilot.press(EXPORT_KEY, *str(tmp_path), "enter")
        await written(pilot)
    path = tmp_path / f"nguoi-tro-giup-phuong-1-{TODAY.isoformat()}.xlsx"
    assert table_names(path, HELPERS) == ["Trần Thị Bình", "Công ty Hoà An"]
    assert table_names(path, HELPERS, 5) == ["Nguyễn Văn Tám", "Nguyễn Thị Hoà"]


async def test_the_quarantine_is_written_with_why(held: Held, tmp_path: Path) -> None:  # noqa: F811
    app = NhandaoApp(held.district, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        assert isinstance(app.screen, QuarantineScreen)
        await pilot.press(EXPORT_KEY, *str(tmp_path), "enter")
        await written(pilot)
        assert isinstance(app.screen, QuarantineScreen)
    (path,) = tmp_path.glob("cach-ly-*.xlsx")
    assert table_names(path, QUARANTINE) == ["Địa chỉ “Nguyễn Văn An” (mã a1)",
                                             "Lần trợ giúp (mã x1)"]  # fmt: skip
    assert "“Số người” phải từ 1 trở lên (đang là -3)." in table_names(path, QUARANTINE, 4)[0]


async def test_the_conflicts_are_written_with_the_fields_that_differ(
    conflicted: Chain,  # noqa: F811
    tmp_path: Path,
) -> None:
    app = NhandaoApp(conflicted.district, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        assert isinstance(app.screen, ConflictsScreen)
        await pilot.press(EXPORT_KEY, *str(tmp_path), "enter")
        await written(pilot)
    (path,) = tmp_path.glob("xung-dot-*.xlsx")
    assert table_names(path, CONFLICTS) == ["Địa chỉ “Nguyễn Văn Ân” (mã a1)",
                                            "Người trợ giúp “Trần Thị Bính” (mã h1)"]  # fmt: skip
    assert table_names(path, CONFLICTS, 2) == ["Phường 1", "Phường 1"]
    assert table_names(path, CONFLICTS, 4) == ["văn phòng này", "văn phòng này"]
    differ = table_names(path, CONFLICTS, 5)
    assert "Nơi ở" in str(differ[0]) and "Tên" in str(differ[1])


async def test_the_folder_dialog_to_read_from_refuses_a_missing_folder_without_creating_it(
    commune: Store, tmp_path: Path
) -> None:
    missing, there = tmp_path / "khong-co", tmp_path / "thu-dien-tu"
    there.mkdir()
    answers: list[Path | None] = []
    app = NhandaoApp(commune, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(FolderScreen("Tìm các tệp gói ở thư mục nào?"), answers.append)
        await pilot.pause()
        assert app.focused is box(app)
        await pilot.press(*str(missing), "enter")
        assert isinstance(app.screen, FolderScreen)  # nothing to create when reading
        assert notices(app)[-1] == f"Không có thư mục «{missing}»."
        await pilot.press("ctrl+u", *str(there), "enter")
        await pilot.pause()
    assert answers == [there] and not missing.exists()


async def test_the_documents_of_the_results_replace_files_only_when_asked(
    city: Store,  # noqa: F811
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / DOCUMENTS[0]).write_bytes(b"last week's table")
    (out / DOCUMENTS[1]).write_bytes(b"the report as the chairman corrected it")
    app = NhandaoApp(city, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dialog = await open_folder_dialog(pilot)
        assert str(dialog.query_one("#files").render()) == "Sẽ ghi: " + ", ".join(
            [DOCUMENTS[0], DOCUMENTS[2], DOCUMENTS[1]]
        )
        await pilot.press(*str(out), "enter")
        assert isinstance(app.screen, ConfirmScreen)
        assert str(app.screen.query_one("#question").render()) == (
            f"Trong «{out}» đã có các tệp «{DOCUMENTS[0]}», «{DOCUMENTS[1]}». Ghi đè lên các "
            "tệp này?"
        )
        await pilot.press("n")
        assert app.screen is dialog
        await settle(pilot)
        assert (out / DOCUMENTS[1]).read_bytes() == b"the report as the chairman corrected it"
        assert sorted(p.name for p in out.iterdir()) == DOCUMENTS[:2]
        await pilot.press("enter", "y")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
    assert sorted(p.name for p in out.iterdir()) == DOCUMENTS
    assert (out / DOCUMENTS[1]).read_bytes() != b"the report as the chairman corrected it"
