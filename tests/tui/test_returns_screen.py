"""The receive screen takes the Bảng tổng hợp of units without the program (.xlsx) beside the
bundles: checked with them, each problem named by its cell, taken in with them, or, with its
problems, only when asked for (Ctrl+A); the completeness screen counts it as a report."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from factories import TODAY
from openpyxl import Workbook, load_workbook
from pilots import settle
from textual.widgets import DataTable, Static

from campaign.dates import Period
from exporters.returns import HIDDEN, write_template
from store.store import Store
from tui.app import NhandaoApp
from tui.screens.dialogs import ConfirmScreen
from tui.screens.exchange import BundlePicker, ReceiveScreen
from tui.screens.province import CompletenessScreen
from tui.widgets.record_table import RecordTable


@pytest.fixture
def city(tmp_path: Path) -> Iterator[Store]:
    """Thành phố Tây Ninh's office (703), today 29/11/2026, its period 2008–2018."""
    with Store.create(tmp_path / "thanh-pho", "703", today=lambda: TODAY) as store:
        yield store


@pytest.fixture
def folder(city: Store, tmp_path: Path) -> Path:
    """A stick with the city's template filled by its communes, and a table typed by hand
    whose row does not add up."""
    stick = tmp_path / "usb"
    stick.mkdir()
    settings = city.office.document_settings
    blank = write_template(stick / "mau.xlsx", city.units, "703", Period(),
                           settings=settings, on=TODAY)  # fmt: skip
    book = load_workbook(blank)
    sheet = book["Bảng tổng hợp"]
    for n, (row, _code) in enumerate(book[HIDDEN].iter_rows(min_row=9, values_only=True)):
        for offset, value in enumerate((5 + n, 2, 1, 3, 4 + n, 100_000 * (n + 1))):
            sheet.cell(row, 3 + offset).value = value
    book.save(stick / "1-thanh-pho.xlsx")
    blank.unlink()
    hand = Workbook()
    page = hand.active
    page["A1"] = "BẢNG TỔNG HỢP GIAI ĐOẠN 2008-2018"
    for column, label in enumerate(["1", "2", "3", "4", "5", "6 = 4+5", "7", "8"], start=1):
        page.cell(3, column).value = label
    for column, value in enumerate([1, "Phường 1", 9, 3, 2, 6, 9, "900.000 đ"], start=1):
        page.cell(4, column).value = value
    hand.save(stick / "2-tay.xlsx")
    return stick


def shown(app: NhandaoApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def rows(app: NhandaoApp, selector: str) -> list[tuple[str, ...]]:
    table = app.screen.query_one(selector, RecordTable)
    return [table.row(i) for i in range(table.row_count)]


async def test_returns_are_checked_and_taken_beside_bundles(city: Store, folder: Path) -> None:
    app = NhandaoApp(city, cursor_blink=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        receive = ReceiveScreen(city, start=folder)
        await app.push_screen(receive)
        await pilot.pause()
        await pilot.press("down", "space", "down", "space")
        assert [p.name for p in receive.query_one(BundlePicker).chosen] == [
            "1-thanh-pho.xlsx", "2-tay.xlsx"]  # fmt: skip
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert rows(app, "#reports") == [
            ("1-thanh-pho.xlsx", "Thành phố Tây Ninh", "", "", "Bảng tự điền: 10 đơn vị"),
            ("2-tay.xlsx", "Phường 1", "", "", "1 chỗ sai (Ctrl+A)"),
        ]
        table = receive.query_one("#reports", RecordTable)
        table.move_to("r1")
        await pilot.pause()
        detail = shown(app, "#detail")
        assert detail.startswith(
            "Kết quả kiểm tra (chưa nhập gì): Bảng tổng hợp tự điền: 1 dùng được, 1 có chỗ chưa "
            "đúng. Ctrl+S để nhập các bảng dùng được."
        )
        assert "• ô F4 (Phường 1): cột 6 phải bằng cột 4 + cột 5 (3 + 2 = 5), đang ghi 6." in detail
        assert city.count("return") == 0  # checking takes nothing
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert city.count("return") == 10
        assert rows(app, "#reports")[0][4] == "Đã nhận: 10 đơn vị"
        assert city.get("return", "bc-25456-2008-2018")["dossiers"] == 5
        # The table with a problem, taken only when asked, its problem kept with it.
        table.move_to("r1")
        await pilot.press("ctrl+a")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        taken = city.get("return", "bc-25456-2008-2018")
        assert taken["dossiers"] == 9 and "ô F4" in taken["problems"]
        assert rows(app, "#reports")[1][4] == "Đã nhận: 1 đơn vị"
        # Every commune has reported, with its own table.
        await app.push_screen(CompletenessScreen(city))
        await settle(pilot)
        states = {row[0]: row[4] for row in rows(app, "#completeness")}
        assert set(states.values()) == {"tự điền"}
        assert "10/10 đơn vị đã báo cáo" in shown(app, "#deadline")
    assert date.fromisoformat(taken["accepted_on"]) == TODAY


async def test_the_results_screen_marks_the_rows_counting_returns(tmp_path: Path) -> None:
    with Store.create(tmp_path / "tinh", "72", today=lambda: TODAY) as province:
        province.save("return", {
            "id": "bc-25456-2008-2018", "unit": "25456", "year_from": 2008, "year_to": 2018,
            "dossiers": 4, "red_cross": 2, "outside": 1, "helped": 3, "people": 5,
            "value": 900_000, "source": "p1.xlsx", "sha256": "ab" * 32,
            "accepted_by": province.office.id, "accepted_on": TODAY.isoformat()})  # fmt: skip
        app = NhandaoApp(province, cursor_blink=False)
        async with app.run_test(size=(100, 32)) as pilot:
            await settle(pilot)
            await pilot.press("t")
            await settle(pilot)
            table = app.screen.query_one("#summary-table", DataTable)
            first = [str(cell) for cell in table.get_row_at(0)]
            assert first == ["Thành phố Tây Ninh (*)", "4", "2", "1", "3", "5", "900.000"]
            notes = shown(app, "#summary-excluded")
            assert "Các dòng đánh dấu (*) có số liệu theo Bảng tổng hợp do đơn vị tự điền" in notes
            assert "Phường 1" in notes
