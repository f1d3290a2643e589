"""«Chuyển đổi danh mục đơn vị» (key u on the home screen): the plan unit by unit, the
questions written to a file and read back filled, the migration behind a confirmation, and the
way back. Tây Ninh's province with records in Phường 1 (25456, gone whole to Phường Tân Ninh)
and in Phường 4 (25462, divided: asked about by place)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import TODAY, address, aid, helper
from pilots import settle
from textual.pilot import Pilot
from textual.widgets import Input, Static

from store import gazetteer, reform
from store.store import Store
from tui.app import NhandaoApp
from tui.labels import writer
from tui.screens.dialogs import ConfirmScreen, SaveFileScreen
from tui.screens.migrate import MigrationScreen
from tui.widgets.record_table import RecordTable


@pytest.fixture
def province(tmp_path: Path) -> Iterator[Store]:
    with Store.create(tmp_path / "tinh", "72", today=lambda: TODAY) as store:
        store.save_many([
            ("unit", {"code": "705-TH1", "name": "Trường [b]Tân Biên[/b]", "kind": "school",
                      "parent": "705"}),
            ("helper", helper("h1")),
            ("helper", helper("h2", unit="705-TH1")),
            ("address", address("a1")),
            ("address", address("a2", unit="25462", place="Khu phố 1")),
            ("aid", aid("x1", address="a1")),
            ("aid", aid("x2", address="a2", on="2024-05-01")),
        ])  # fmt: skip
        yield store


def rows(app: NhandaoApp) -> list[tuple[str, ...]]:
    table = app.screen.query_one("#migrate-units", RecordTable)
    return [table.row(index) for index in range(table.row_count)]


def said(app: NhandaoApp, part: str) -> str:
    return str(app.screen.query_one(f"#migrate-{part}", Static).render())


def messages(app: NhandaoApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def open_screen(pilot: Pilot) -> MigrationScreen:
    await settle(pilot)
    await pilot.press("u")
    await settle(pilot)
    assert isinstance(pilot.app.screen, MigrationScreen)
    return pilot.app.screen


def filled(questions: bytes, new: str) -> bytes:
    rows = list(csv.reader(io.StringIO(questions.decode("utf-8-sig")), delimiter=";"))
    for row in rows[1:]:
        row[6] = new
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    return out.getvalue().encode("utf-8")


async def test_the_questions_are_written_read_back_and_the_store_migrates(
    province: Store, tmp_path: Path
) -> None:
    app = NhandaoApp(province, cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_screen(pilot)
        # A helper and an address from Phường 1, their aid following; Phường 4 is asked about.
        # The school's name as written, never read as markup.
        assert rows(app) == [("25456", "Phường 1", "2", "", ""),
                             ("705-TH1", "Trường [b]Tân Biên[/b]", "1", "", ""),
                             ("25459", "Phường Tân Ninh", "", "2", "1"),
                             ("705-TH1", "Trường [b]Tân Biên[/b]", "", "1", "")]  # fmt: skip
        assert "Còn 1 câu hỏi" in said(app, "next") and "Chưa có gì thay đổi" in said(app, "next")
        assert not screen.check_action("migrate", ())
        await pilot.press("c")  # not offered while a question is open
        await settle(pilot)
        assert province.office.unit == "72"
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, SaveFileScreen)
        questions = tmp_path / "hoi.csv"
        app.screen.query_one("#folder", Input).value = str(questions)
        await pilot.press("enter")
        await settle(pilot)
        assert questions.exists() and "hoi.csv" in said(app, "next")
        # A wrong answer: named by its line, nothing read.
        questions.write_bytes(filled(questions.read_bytes(), "25456"))
        await pilot.press("d")
        await settle(pilot)
        assert any("Dòng 2" in message for message in messages(app))
        assert "Còn 1 câu hỏi" in said(app, "next")
        questions.write_bytes(filled(questions.read_bytes(), "27694"))  # Phường Long An
        await pilot.press("d")
        await settle(pilot)
        assert "Mọi bản ghi đã có nơi chuyển về" in said(app, "next")
        assert ("25462", "Phường 4", "1", "", "") in rows(app)
        assert ("27694", "Phường Long An", "", "1", "1") in rows(app)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, MigrationScreen)
        assert (province.office.unit, province.office.former_unit) == ("80-2025", "72")
        assert province.get("address", "a2")["unit"] == "27694-2025"
        # The versions it wrote are the migration's, in every office alike (store/reform.py).
        assert writer(province, province.stored("address", "a1")["by"]) == (
            "chuyển đổi sang danh mục đơn vị năm 2025"
        )
        assert any("Đã chuyển kho sang danh mục đơn vị năm 2025" in m for m in messages(app))
        # The way back is what the screen offers now.
        assert "Có thể quay lại danh mục năm 2019" in said(app, "plan")
        await pilot.press("c", "y")
        await settle(pilot)
        assert province.office.unit == "72" and province.get("address", "a2")["unit"] == "25462"


async def test_a_store_that_cannot_migrate_says_why(
    tmp_path: Path,
) -> None:
    with Store.create(tmp_path / "huyen", "705", today=lambda: TODAY) as district:
        app = NhandaoApp(district, cursor_blink=False)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_screen(pilot)
            assert "không còn cấp huyện" in said(app, "plan") and rows(app) == []
            assert not screen.check_action("migrate", ())
            assert not screen.check_action("write_questions", ())


async def test_the_home_screen_asks_for_the_migration_the_province_has_made(
    tmp_path: Path,
) -> None:
    with Store.create(tmp_path / "phuong-1", "25456", today=lambda: TODAY) as commune:
        app = NhandaoApp(commune, cursor_blink=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert "danh mục đơn vị năm 2025" not in said_home(app)
        # The province's directory, as it arrives once the province has migrated.
        directory = commune.directory
        units = [*directory["units"], *gazetteer.province_units("80-2025")]
        reform_ = {"list": "2025", "province": "80-2025", "answers": []}
        commune.replace_directory({**directory, "units": units, "reform": reform_})
        app = NhandaoApp(commune, cursor_blink=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert "Tỉnh Hội đã dùng danh mục đơn vị năm 2025: hãy chuyển đổi kho (u)" in (
                said_home(app)
            )
            screen = await open_screen(pilot)
            assert screen.check_action("migrate", ())  # Phường 1 went whole: nothing to ask
            await pilot.press("c", "y")
            await settle(pilot)
            assert commune.office.unit == "25459-2025"
            await pilot.press("escape")
            await settle(pilot)
            assert "danh mục đơn vị năm 2025" not in said_home(app)


def said_home(app: NhandaoApp) -> str:
    return str(app.screen.query_one("#attention", Static).render())


def test_the_screen(snap_compare, province: Store) -> None:  # type: ignore[no-untyped-def]
    async def opened(pilot: Pilot) -> None:
        await open_screen(pilot)

    assert reform.plan(province).questions
    assert snap_compare(NhandaoApp(province, cursor_blink=False), run_before=opened,
                        terminal_size=(80, 24))  # fmt: skip
