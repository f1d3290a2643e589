"""The screens of an office with units below it, driven with the keyboard through Pilot:
conflicts settled, quarantined records fixed or dropped, who has reported (and the deadline),
and the results written as documents."""

from __future__ import annotations

import errno
import json
import shutil
import time
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from craft import Key, bundle, jsonl, line, version
from factories import TODAY, address, aid, helper
from offices import Chain, Province, chain, files_of
from pilots import settle
from rich.text import Text
from textual.app import App
from textual.widgets import DataTable, Static, TabbedContent

from campaign.awards import awards
from campaign.money import format_number
from campaign.records import KINDS
from campaign.tally import YearFlow, tally
from store.demo import write_demo
from store.hlc import HybridClock
from store.store import Store
from sync import completeness, keys, quarantine, send
from sync.receive import import_bundle
from tui.app import NhandaoApp
from tui.screens.dialogs import ConfirmScreen
from tui.screens.home import HomeScreen
from tui.screens.progress import ProgressScreen
from tui.screens.province import (
    CompletenessScreen,
    ConflictDetail,
    ConflictsScreen,
    DeadlineScreen,
    FolderScreen,
    QuarantineFix,
    QuarantineScreen,
    ResultsScreen,
)
from tui.widgets.fields import Field
from tui.widgets.record_table import RecordTable

# ----------------------------------------------------------------------------- reading screens


def notices(app: App) -> list[str]:
    """The notifications shown so far, oldest first."""
    return [notification.message for notification in app._notifications]


def rows_of(table: RecordTable) -> list[tuple[str, ...]]:
    return [table.row(index) for index in range(table.row_count)]


def cells_of(table: DataTable) -> list[list[str]]:
    """Every row of a DataTable as the text of its cells."""
    return [
        [cell.plain if isinstance(cell, Text) else str(cell) for cell in table.get_row_at(index)]
        for index in range(table.row_count)
    ]


def shown(widget: Static) -> str:
    return str(widget.render())


def errors_of(form: QuarantineFix) -> dict[str, str]:
    """What each field of a form says is wrong with it (only the fields that say something)."""
    found = {f.field_name: str(f.query_one(".field--error", Static).render()) for f in form.fields}
    return {name: message for name, message in found.items() if message}


def values_of(form: QuarantineFix) -> dict[str, object]:
    return {f.field_name: f.raw() for f in form.fields}


def field_of(form: QuarantineFix, name: str) -> Field:
    return next(f for f in form.fields if f.field_name == name)


def bundle_lines(path: Path) -> list[dict]:
    """The record lines of a records bundle, every owner's file."""
    with zipfile.ZipFile(path) as archive:
        return [
            json.loads(text)
            for name in archive.namelist()
            if name.startswith("records/")
            for text in archive.read(name).decode().splitlines()
            if text
        ]


# ----------------------------------------------------------------------------- conflicts


def _sent(store: Store, folder: Path) -> Path:
    sent = send.export_records(store, folder)
    assert sent is not None
    return sent.path


def _a_minute_ahead() -> int:
    return time.time_ns() // 1_000_000 + 60_000


@pytest.fixture
def conflicted(tmp_path: Path) -> Iterator[Chain]:
    """Thành phố Tây Ninh's office and Phường 1 both edited the address a1 and the helper h1;
    Phường 1 a minute later, so its edits are in use at the district and the district's own
    edits are the versions kept aside."""
    with chain(tmp_path / "offices") as offices:
        district, commune = offices.district, offices.commune
        commune.save_many([("helper", helper()), ("address", address())])
        assert import_bundle(district, _sent(commune, tmp_path / "c1")).status == "merged"
        district.save_many([("address", address(place="Khu phố 7", groups=["elderly", "poor"])),
                            ("helper", helper(name="Trần Thị Bình (tổ 2)"))])  # fmt: skip
        commune.clock = HybridClock(commune.office.id, wall_ms=_a_minute_ahead)
        commune.save_many([("address", address(place="Khu phố 8", name="Nguyễn Văn Ân")),
                           ("helper", helper(name="Trần Thị Bính"))])  # fmt: skip
        report = import_bundle(district, _sent(commune, tmp_path / "c2"))
        assert report.total("conflict") == 2
        yield offices


ADDRESS_ROW = ("Địa chỉ «Nguyễn Văn Ân» (mã a1)", "Phường 1", "văn phòng này")
HELPER_ROW = ("Người trợ giúp «Trần Thị Bính» (mã h1)", "Phường 1", "văn phòng này")


async def test_the_list_shows_each_conflict_and_who_made_the_other_version(
    conflicted: Chain,
) -> None:
    app = NhandaoApp(conflicted.district, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        assert isinstance(app.screen, ConflictsScreen)
        assert rows_of(app.screen.query_one("#conflicts", RecordTable)) == [ADDRESS_ROW,
                                                                              HELPER_ROW]  # fmt: skip


async def test_the_two_versions_side_by_side_with_exactly_the_differing_fields_marked(
    conflicted: Chain,
) -> None:
    district = conflicted.district
    before = files_of(district.path)
    app = NhandaoApp(district, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x", "enter")
        detail = app.screen
        assert isinstance(detail, ConflictDetail)
        rows = {row[1]: row for row in cells_of(detail.query_one("#versions", DataTable))}
        marked = [label for label, row in rows.items() if row[0] == "≠"]
        assert marked == ["Tên địa chỉ", "Nơi ở (ấp, khu phố)", "Nhóm đối tượng"]
        # The marks are the fields in which the two stored versions differ, and no other.
        current, other = district.conflict_versions("address", "a1")
        differing = [f.label for f in KINDS["address"].fields if current[f.name] != other[f.name]]
        assert marked == differing
        assert rows["Tên địa chỉ"][2:] == ["Nguyễn Văn Ân", "Nguyễn Văn An"]
        assert rows["Nơi ở (ấp, khu phố)"][2:] == ["Khu phố 8", "Khu phố 7"]
        assert rows["Nhóm đối tượng"][2:] == ["Người cao tuổi", "Người cao tuổi, Hộ nghèo"]
        # Codes are shown as people know them, dates as dd/mm/yyyy.
        assert rows["Loại địa chỉ"][2:] == ["Cá nhân", "Cá nhân"]
        assert rows["Đơn vị"][2:] == ["Phường 1 (25456)", "Phường 1 (25456)"]
        assert rows["Ngày khảo sát"][2:] == ["10/01/2009", "10/01/2009"]
        assert rows["Ngày dừng trợ giúp"][2:] == ["—", "—"]
        assert shown(detail.query_one("#conflict-about", Static)) == (
            "Địa chỉ «Nguyễn Văn Ân» (mã a1): 3 trường khác nhau. Bản đang dùng do Phường 1 "
            "sửa; bản kia do văn phòng này sửa."
        )
        # Escape goes back without choosing: both conflicts are still there.
        await pilot.press("escape")
        assert isinstance(app.screen, ConflictsScreen)
        assert rows_of(app.screen.query_one("#conflicts", RecordTable)) == [ADDRESS_ROW,
                                                                              HELPER_ROW]  # fmt: skip
    assert len(district.conflicts()) == 2
    assert files_of(district.path) == before


@pytest.mark.parametrize(
    ("key", "kept"),
    [
        ("1", {"name": "Nguyễn Văn Ân", "place": "Khu phố 8", "groups": ["elderly"]}),
        ("2", {"name": "Nguyễn Văn An", "place": "Khu phố 7", "groups": ["elderly", "poor"]}),
    ],
    ids=["current", "other"],
)
async def test_the_version_chosen_becomes_a_new_version_that_travels_up(
    conflicted: Chain, tmp_path: Path, key: str, kept: dict
) -> None:
    district = conflicted.district
    versions = {d["v"] for d in district.conflict_versions("address", "a1")}
    app = NhandaoApp(district, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x", "enter", key)
        await settle(pilot)
        assert isinstance(app.screen, ConflictsScreen)
        assert notices(app)[-1] == "Đã chọn bản giữ lại; xung đột đã được giải quyết."
        assert rows_of(app.screen.query_one("#conflicts", RecordTable)) == [HELPER_ROW]
        await pilot.press("enter", key)
        await settle(pilot)
        assert app.screen.query_one("#conflicts", RecordTable).row_count == 0
    assert district.conflicts() == []
    resolved = district.get("address", "a1")
    assert resolved is not None
    assert {name: resolved[name] for name in kept} == kept
    assert resolved["by"] == district.office.id and resolved["v"] > max(versions)
    # The next bundle up carries the new version, and the province takes it as it is.
    sent = _sent(district, tmp_path / "up")
    (up,) = [item for item in bundle_lines(sent) if item["kind"] == "address"]
    assert (up["id"], up["v"], up["data"]["place"]) == ("a1", resolved["v"], kept["place"])
    province = conflicted.province
    assert import_bundle(province, sent).status == "merged"
    assert province.get("address", "a1") == resolved


async def test_ctrl_z_after_a_choice_puts_the_conflict_back_in_the_list(
    conflicted: Chain,
) -> None:
    district = conflicted.district
    in_use = district.get("address", "a1")
    assert in_use is not None
    app = NhandaoApp(district, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x", "enter", "2")  # keep the district's own version
        await settle(pilot)
        assert rows_of(app.screen.query_one("#conflicts", RecordTable)) == [HELPER_ROW]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert isinstance(app.screen, ConflictsScreen)
        assert notices(app)[-1] == (
            "Đã hoàn tác việc chọn bản: địa chỉ «Nguyễn Văn Ân» trở lại bản đang dùng trước "
            "đó, và xung đột lại chờ chọn trong danh sách «Xung đột». Việc hoàn tác cũng được "
            "gửi lên cấp trên."
        )
        assert rows_of(app.screen.query_one("#conflicts", RecordTable)) == [
            ADDRESS_ROW,
            HELPER_ROW,
        ]
    back = district.get("address", "a1")
    assert back is not None and back["place"] == in_use["place"] == "Khu phố 8"
    assert len(district.conflicts()) == 2


async def test_a_deletion_against_an_edit_is_shown_and_can_be_kept(
    tmp_path: Path,
) -> None:
    with chain(tmp_path / "offices") as offices:
        district, commune = offices.district, offices.commune
        commune.save_many([("helper", helper()), ("address", address())])
        assert import_bundle(district, _sent(commune, tmp_path / "c1")).status == "merged"
        district.delete("address", "a1")
        commune.clock = HybridClock(commune.office.id, wall_ms=_a_minute_ahead)
        commune.save("address", address(people=1, place="Khu phố 9"))
        assert import_bundle(district, _sent(commune, tmp_path / "c2")).total("conflict") == 1
        app = NhandaoApp(district, cursor_blink=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("x", "enter")
            rows = {row[1]: row for row in cells_of(app.screen.query_one("#versions", DataTable))}
            assert rows["Đã xoá"] == ["≠", "Đã xoá", "không", "có"]
            assert [label for label, row in rows.items() if row[0] == "≠"] == [
                "Nơi ở (ấp, khu phố)",
                "Đã xoá",
            ]
            await pilot.press("2")  # the deletion made here
            await settle(pilot)
        gone = district.get("address", "a1")
        assert gone is not None and gone["deleted"] is True and district.conflicts() == []
        (up,) = [i for i in bundle_lines(_sent(district, tmp_path / "up")) if i["id"] == "a1"]
        assert up["deleted"] is True and up["v"] == gone["v"]


# ----------------------------------------------------------------------------- quarantine


@dataclass
class Held:
    """Thành phố Tây Ninh's office, holding records that Phường 1 signed but that are wrong."""

    offices: Chain
    folder: Path
    commune_key: Key
    sequence: int = 100

    @property
    def district(self) -> Store:
        return self.offices.district

    def receive(self, lines: list[dict]) -> None:
        self.sequence += 1
        payload = bundle(self.commune_key, "25456", {"records/25456.jsonl": jsonl(lines)},
                         to="703", sequence=self.sequence)  # fmt: skip
        path = self.folder / f"{self.sequence}.zip"
        path.write_bytes(payload)
        assert import_bundle(self.district, path).status == "merged"


WRONG = [
    line("helper", helper(), "25456", version(1)),
    line("address", address(people=-3, groups=["aliens"]), "25456", version(2)),
    line("aid", aid(), "25456", version(3)),  # held with its address
]


@pytest.fixture
def held(tmp_path: Path) -> Iterator[Held]:
    with chain(tmp_path / "offices") as offices:
        made = Held(offices, tmp_path, Key(keys.office_key(offices.commune).private))
        made.receive(WRONG)
        assert [item.kind for item in quarantine.held(made.district)] == ["address", "aid"]
        yield made


async def test_held_records_are_listed_with_why_they_were_held(held: Held) -> None:
    app = NhandaoApp(held.district, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        screen = app.screen
        assert isinstance(screen, QuarantineScreen)
        assert rows_of(screen.query_one("#held", RecordTable)) == [
            ("Địa chỉ «Nguyễn Văn An» (mã a1)", "Phường 1", "29/11/2026"),
            ("Lần trợ giúp (mã x1)", "Phường 1", "29/11/2026"),
        ]
        why = shown(screen.query_one("#reasons", Static))
        assert "• Địa chỉ «Nguyễn Văn An» (mã a1): nhóm đối tượng «aliens» không có" in why
        assert "«Số người» phải từ 1 trở lên (đang là -3)." in why
        assert why.endswith("Enter: sửa và nhận · Delete: bỏ")
        await pilot.press("down")
        why = shown(screen.query_one("#reasons", Static))
        assert "• Lần trợ giúp (mã x1): không tìm thấy địa chỉ mang mã «a1»." in why
        assert "aliens" not in why


async def test_a_fix_is_checked_then_accepted_as_a_new_version(held: Held) -> None:
    district = held.district
    app = NhandaoApp(district, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i", "enter")
        form = app.screen
        assert isinstance(form, QuarantineFix)
        # The form holds the record as it was sent, and says why it was held.
        values = values_of(form)
        assert {k: values[k] for k in ("id", "unit", "name", "people", "place", "surveyed_on",
                                       "dossier_on", "stopped_on")} == {
            "id": "a1", "unit": "25456", "name": "Nguyễn Văn An", "people": "-3",
            "place": "Khu phố 1", "surveyed_on": "10/01/2009", "dossier_on": "01/02/2009",
            "stopped_on": ""}  # fmt: skip
        why = shown(form.query_one("#held-why", Static))
        assert why.startswith("Bị giữ lại vì:\n• ") and "«aliens»" in why
        assert "«Số người» phải từ 1 trở lên (đang là -3)." in why
        # Saved as it is: the problems are shown and the record stays held.
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert errors_of(form) == {"people": "«Số người» phải từ 1 trở lên (đang là -3)."}
        assert notices(app)[-1] == "Chưa lưu: hãy sửa các ô báo đỏ."
        assert [item.kind for item in quarantine.held(district)] == ["address", "aid"]
        assert district.get("address", "a1") is None
        # Its code changed: refused too, as the fix must replace the held record.
        field_of(form, "id").focus()
        await pilot.press("ctrl+u", "a", "9")
        field_of(form, "people").focus()
        await pilot.press("ctrl+u", "1", "ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert notices(app)[-1] == "mã phải giữ là «a1» như bản bị giữ lại."
        assert district.get("address", "a9") is None and len(quarantine.held(district)) == 2
        # Corrected: accepted, out of quarantine, in the store.
        field_of(form, "id").focus()
        await pilot.press("ctrl+u", "a", "1", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, QuarantineScreen)
        assert notices(app)[-1] == "Đã nhận bản ghi đã sửa."
        assert rows_of(app.screen.query_one("#held", RecordTable)) == [
            ("Lần trợ giúp (mã x1)", "Phường 1", "29/11/2026")
        ]
        fixed = district.get("address", "a1")
        assert fixed is not None
        assert (fixed["people"], fixed["name"], fixed["by"]) == (1, "Nguyễn Văn An",
                                                                 district.office.id)  # fmt: skip
        assert fixed["prev"] == version(2)
        # The aid was held only for its address: saved as it came, it is accepted now.
        await pilot.press("enter")
        assert isinstance(app.screen, QuarantineFix)
        assert values_of(app.screen)["value"] == "500.000 đ"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, QuarantineScreen)
        assert app.screen.query_one("#held", RecordTable).row_count == 0
        assert shown(app.screen.query_one("#reasons", Static)) == ""
    assert quarantine.held(district) == []
    assert district.get("aid", "x1")["value"] == 500_000  # type: ignore[index]


async def test_escape_from_the_fix_leaves_the_record_held(held: Held) -> None:
    district = held.district
    before = files_of(district.path)
    app = NhandaoApp(district, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i", "enter")
        form = app.screen
        assert isinstance(form, QuarantineFix)
        field_of(form, "people").focus()
        await pilot.press("ctrl+u", "1", "escape")
        assert isinstance(app.screen, ConfirmScreen)  # what was typed would be lost
        await pilot.press("n")
        assert app.screen is form
        await pilot.press("escape", "y")
        assert isinstance(app.screen, QuarantineScreen)
        assert app.screen.query_one("#held", RecordTable).row_count == 2
    assert len(quarantine.held(district)) == 2
    assert files_of(district.path) == before


async def test_dropping_a_record_the_store_does_not_hold_forgets_it(held: Held) -> None:
    district = held.district
    units = {n: d for n, d in files_of(district.path).items() if n.startswith("units/")}
    app = NhandaoApp(district, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i", "delete")
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question.startswith("Bỏ Địa chỉ «Nguyễn Văn An» (mã a1)? Bản bị giữ")
        assert "không được nhận vào kho" in app.screen.question
        await pilot.press("n")  # No: still held
        assert isinstance(app.screen, QuarantineScreen)
        assert app.screen.query_one("#held", RecordTable).row_count == 2
        await pilot.press("delete", "escape")  # Escape answers no too
        assert app.screen.query_one("#held", RecordTable).row_count == 2
        assert len(quarantine.held(district)) == 2
        await pilot.press("delete", "y")
        assert isinstance(app.screen, QuarantineScreen)
        assert notices(app)[-1] == "Đã bỏ bản ghi bị cách ly."
        assert rows_of(app.screen.query_one("#held", RecordTable)) == [
            ("Lần trợ giúp (mã x1)", "Phường 1", "29/11/2026")
        ]
    assert [item.kind for item in quarantine.held(district)] == ["aid"]
    assert district.stored("address", "a1") is None
    assert {n: d for n, d in files_of(district.path).items() if n.startswith("units/")} == units


async def test_dropping_a_held_update_deletes_the_record_held_in_the_store(
    tmp_path: Path,
) -> None:
    with chain(tmp_path / "offices") as offices:
        made = Held(offices, tmp_path, Key(keys.office_key(offices.commune).private))
        made.receive([line("address", address(), "25456", version(10))])
        made.receive([line("address", address(people=-1), "25456", version(11),
                           prev=version(10))])  # fmt: skip
        district = made.district
        assert [item.version for item in quarantine.held(district)] == [version(11)]
        app = NhandaoApp(district, cursor_blink=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("i", "delete")
            assert isinstance(app.screen, ConfirmScreen)
            assert "Kho đang có bản ghi này: nó sẽ bị XOÁ ở đây" in app.screen.question
            await pilot.press("y")
            assert notices(app)[-1] == (
                "Đã bỏ bản bị cách ly và xoá Địa chỉ «Nguyễn Văn An» (mã a1) khỏi kho."
            )
            assert app.screen.query_one("#held", RecordTable).row_count == 0
        assert quarantine.held(district) == []
        stored = district.stored("address", "a1")
        assert stored is not None and stored["deleted"] is True
        assert stored["by"] == district.office.id and version(11) in stored["history"]
        (up,) = bundle_lines(_sent(district, tmp_path / "up"))
        assert (up["id"], up["deleted"]) == ("a1", True)


async def test_a_held_record_without_a_known_arrival_day_is_still_listed(held: Held) -> None:
    """A quarantine.json from before arrival days were kept in it."""
    district = held.district
    path = district.path / "quarantine.json"
    book = json.loads(path.read_bytes())
    for entry in book["records"]:
        entry.pop("received", None)
        entry["sequence"] = 999  # no bundle of the ledger: the day is not known
    path.write_text(json.dumps(book, ensure_ascii=False))
    app = NhandaoApp(district, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        assert isinstance(app.screen, QuarantineScreen)
        assert [row[2] for row in rows_of(app.screen.query_one("#held", RecordTable))] == [
            "—",
            "—",
        ]


# ----------------------------------------------------------------------------- completeness


@pytest.fixture
def province(tmp_path: Path) -> Iterator[Province]:
    """Tây Ninh on 20/11/2018: Thành phố Tây Ninh reported on time (twice), Tân Biên after
    the deadline, Dương Minh Châu only for 2017, the others never."""
    today = [date(2018, 1, 1)]
    with (
        Store.create(tmp_path / "province", "72", today=lambda: today[0]) as store,
        ExitStack() as offices,
    ):
        keys.office_key(store)
        made = Province(store, today, tmp_path, offices)
        made.receive_from("707", date(2017, 6, 1), date(2017, 6, 5))
        made.receive_from("703", date(2018, 3, 2), date(2018, 3, 3))
        made.receive_from("703", date(2018, 10, 1), date(2018, 10, 3))
        made.receive_from("705", date(2018, 11, 15), date(2018, 11, 16))
        today[0] = date(2018, 11, 20)
        yield made


def by_unit(screen: CompletenessScreen) -> dict[str, tuple[str, ...]]:
    """The rows of the table by unit code: one per unit below, in the directory's order."""
    units = screen.store.units.children(screen.store.office.unit)
    rows = rows_of(screen.query_one("#completeness", RecordTable))
    assert [row[0] for row in rows] == [unit["name"] for unit in units]
    return {unit["code"]: row for unit, row in zip(units, rows, strict=True)}


def late_units(screen: CompletenessScreen) -> list[str]:
    return [unit for unit, row in by_unit(screen).items() if row[5] == "TRỄ"]


async def test_each_unit_below_with_its_last_bundle_and_whether_it_reported(
    province: Province,
) -> None:
    store = province.store
    app = NhandaoApp(store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        screen = app.screen
        assert isinstance(screen, CompletenessScreen)
        rows = by_unit(screen)
        assert list(rows) == [unit["code"] for unit in store.units.children("72")]
        assert len(rows) == 9
        assert rows["703"] == ("Thành phố Tây Ninh", "2", "01/10/2018", "03/10/2018", "đã gửi",
                               "")  # fmt: skip
        assert rows["705"] == ("Huyện Tân Biên", "1", "15/11/2018", "16/11/2018", "đã gửi", "TRỄ")
        assert rows["707"] == ("Huyện Dương Minh Châu", "1", "01/06/2017", "05/06/2017", "chưa",
                               "TRỄ")  # fmt: skip
        assert rows["708"] == ("Huyện Châu Thành", "—", "", "", "chưa", "TRỄ")
        # The same as the library says, for every unit.
        reports = completeness.completeness(store, store.office.period, date(2018, 11, 20))
        assert [(r.unit, r.reported, r.late) for r in reports] == [
            (unit, row[4] == "đã gửi", row[5] == "TRỄ") for unit, row in rows.items()
        ]
        assert shown(screen.query_one("#deadline", Static)) == (
            "Giai đoạn 2008-2018, hạn báo cáo 09/11/2018: 2/9 đơn vị đã báo cáo, 8 đơn vị trễ hạn."
        )


async def test_a_deadline_typed_is_checked_saved_and_changes_who_is_late(
    province: Province,
) -> None:
    store = province.store
    app = NhandaoApp(store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o", "ctrl+d")
        dialog = app.screen
        assert isinstance(dialog, DeadlineScreen)
        assert dialog.query_one("#deadline-day").value == "09/11/2018"
        # A day not in the calendar: said in Vietnamese, the dialog stays open.
        await pilot.press("ctrl+u", *"31/02/2018", "enter")
        await pilot.pause()
        assert app.screen is dialog
        problem = dialog.query_one("#deadline-problem", Static)
        assert shown(problem).startswith("Ngày «31/02/2018» không có trong lịch.")
        assert problem.size.height >= 2  # the whole sentence, wrapped, not cut at the edge
        assert store.office.settings["report_deadline"] == "2018-11-09"
        # 01/03/2018: even Thành phố Tây Ninh sent everything after it.
        await pilot.press("ctrl+u", *"01/03/2018", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompletenessScreen)
        assert store.office.settings["report_deadline"] == "2018-03-01"
        assert notices(app)[-1] == "Đã đặt hạn báo cáo 01/03/2018."
        assert len(late_units(screen)) == 9
        assert shown(screen.query_one("#deadline", Static)) == (
            "Giai đoạn 2008-2018, hạn báo cáo 01/03/2018: 2/9 đơn vị đã báo cáo, 9 đơn vị trễ hạn."
        )
        # 20/11/2018, today: nobody is late yet.
        await pilot.press("ctrl+d")
        assert app.screen.query_one("#deadline-day").value == "01/03/2018"
        await pilot.press("ctrl+u", *"20/11/2018", "enter")
        await pilot.pause()
        assert late_units(screen) == []
        assert by_unit(screen)["705"][4:] == ("đã gửi", "")
        assert shown(screen.query_one("#deadline", Static)) == (
            "Giai đoạn 2008-2018, hạn báo cáo 20/11/2018: 2/9 đơn vị đã báo cáo, 0 đơn vị trễ hạn."
        )
        # Escape: nothing changes.
        await pilot.press("ctrl+d", "ctrl+u", *"01/01/2018", "escape")
        await pilot.pause()
        assert app.screen is screen
        assert store.office.settings["report_deadline"] == "2018-11-20"
        assert late_units(screen) == []
    office = json.loads((store.path / "office.json").read_bytes())
    assert office["settings"]["report_deadline"] == "2018-11-20"


async def test_without_a_setting_the_deadline_is_09_11_of_the_last_year(
    province: Province,
) -> None:
    store = province.store
    store.update_settings(report_deadline=None, period_to=2020)
    app = NhandaoApp(store, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        screen = app.screen
        assert isinstance(screen, CompletenessScreen)
        assert shown(screen.query_one("#deadline", Static)) == (
            "Giai đoạn 2008-2020, hạn báo cáo 09/11/2020: 0/9 đơn vị đã báo cáo, 0 đơn vị trễ hạn."
        )
        # Bundles of 2018 do not count for 2020, but the last one is still shown.
        assert by_unit(screen)["703"] == ("Thành phố Tây Ninh", "2", "01/10/2018", "03/10/2018",
                                          "chưa", "")  # fmt: skip
        await pilot.press("ctrl+d")
        assert app.screen.query_one("#deadline-day").value == "09/11/2020"


def footer_keys(app: App) -> set[str]:
    """What the footer offers: the bindings of the screen that are enabled and shown."""
    active = app.screen.active_bindings.values()
    return {b.binding.description for b in active if b.enabled and b.binding.show}


def menu_of(app: App) -> str:
    return "\n".join(shown(static) for static in app.screen.query("#menu Static"))


async def test_a_commune_is_not_offered_the_screens_of_an_office_with_units_below(
    tmp_path: Path,
) -> None:
    with chain(tmp_path / "offices") as offices:
        app = NhandaoApp(offices.commune, cursor_blink=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            menu = menu_of(app)
            assert "Nhận dữ liệu từ cấp dưới" not in menu and "Tiến độ báo cáo" not in menu
            assert "g  Gửi dữ liệu lên cấp trên" in menu and "x  Xung đột · i: cách ly" in menu
            # Neither the keys, nor the footer, nor the command palette offer them.
            assert not {"Nhận", "Tiến độ"} & footer_keys(app) and "Gửi" in footer_keys(app)
            await pilot.press("n", "o")
            assert isinstance(app.screen, HomeScreen)
            titles = {command.title for command in app.get_system_commands(app.screen)}
            assert "Mở: Kết quả" in titles and "Mở: Nhận dữ liệu" not in titles
            assert "Mở: Tiến độ báo cáo" not in titles and "Nhận" not in titles
            # Reached all the same (a screen pushed by hand), it says why it is empty.
            await app.push_screen(CompletenessScreen(offices.commune))
            await pilot.pause()
            screen = app.screen
            assert shown(screen.query_one("#deadline", Static)) == (
                "Giai đoạn 2008-2018: không có đơn vị nào phải báo cáo lên văn phòng này."
            )
            table = screen.query_one("#completeness", RecordTable)
            assert table.row_count == 0
            assert table.render_line(1).text.strip() == "Văn phòng này không có đơn vị cấp dưới."
        # The district above it has both, in its menu and its keys.
        app = NhandaoApp(offices.district, cursor_blink=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            menu = menu_of(app)
            assert "n  Nhận dữ liệu từ cấp dưới" in menu and "o  Tiến độ báo cáo" in menu
            assert {"Nhận", "Tiến độ"} <= footer_keys(app)
            await pilot.press("o")
            assert isinstance(app.screen, CompletenessScreen)


# ----------------------------------------------------------------------------- results


@pytest.fixture(scope="module")
def demo_district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Thành phố Tây Ninh's demo (seed 3), made once for the results tests."""
    path = tmp_path_factory.mktemp("results") / "city"
    write_demo(path, seed=3, scale="district").close()
    return path


@pytest.fixture
def city(tmp_path: Path, demo_district: Path) -> Iterator[Store]:
    copy = tmp_path / "city"
    shutil.copytree(demo_district, copy, ignore=shutil.ignore_patterns("nhandao.lock*"))
    with Store.open(copy, today=lambda: TODAY) as store:
        yield store


STEM = "703-2008-2018"
DOCUMENTS = [f"bang-tong-hop-{STEM}.xlsx", f"bao-cao-{STEM}.docx", f"khen-thuong-{STEM}.xlsx"]


async def test_the_tabs_show_the_years_and_the_award_scores(city: Store) -> None:
    counted = tally(city.dataset(), "703", city.office.period)
    scores = awards(city.dataset(), "703", city.office.period)
    app = NhandaoApp(city, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        tabs = screen.query_one(TabbedContent)
        # «Theo năm»: key 2 shows it, its table ready for the arrows.
        await pilot.press("2")
        await pilot.pause()
        assert str(tabs.active_pane.query_one(DataTable).id) == "years-table"  # type: ignore[union-attr]
        years = screen.query_one("#years-table", DataTable)
        assert cells_of(years) == [
            [str(flow.year), *map(format_number, (flow.helped, flow.new, flow.continued,
                                                  flow.resumed, len(flow.stopped),
                                                  len(flow.lapsed)))]
            for flow in counted.years
        ]  # fmt: skip
        assert [row[0] for row in cells_of(years)] == [str(y) for y in range(2008, 2019)]
        assert years.virtual_size.width <= years.size.width  # every column within 80
        detail = screen.query_one("#years-detail", Static)

        def said(flow: YearFlow) -> str:
            reasons = "; ".join(f"{reason}: {format_number(count)}" for reason, count in
                                flow.stop_reasons.most_common())  # fmt: skip
            text = (f"Lý do dừng trợ giúp năm {flow.year}: {reasons}." if flow.stopped
                    else f"Năm {flow.year}: không địa chỉ nào dừng trợ giúp.")  # fmt: skip
            if flow.lapsed:
                text += (f" Ngoài ra, {format_number(len(flow.lapsed))} địa chỉ năm trước được "
                         "trợ giúp, năm nay không, chưa ghi dừng.")  # fmt: skip
            return text

        assert shown(detail) == said(counted.years[0])
        stopped_in = next(i for i, f in enumerate(counted.years) if f.stopped)
        lapsed_in = next(i for i, f in enumerate(counted.years) if f.lapsed)
        for row in range(1, max(stopped_in, lapsed_in) + 1):
            await pilot.press("down")
            await pilot.pause()
            assert shown(detail) == said(counted.years[row])
        assert "Lý do dừng trợ giúp năm" in said(counted.years[stopped_in])
        assert "chưa ghi dừng" in said(counted.years[lapsed_in])
        # «Khen thưởng» (key 3): the scores of each unit, highest first.
        await pilot.press("3")
        await pilot.pause()
        table = screen.query_one("#awards-table", DataTable)
        assert tabs.active_pane is not None and table in tabs.active_pane.query(DataTable)
        criteria = ("steering", "model", "helped", "reviewed", "guidance")
        expected = [
            [str(s.rank), s.name, *(str(s.criteria[c].points) for c in criteria), str(s.total),
             "BK" if s.total >= scores.threshold else "GK", ""]
            for s in scores.units
        ]  # fmt: skip
        assert cells_of(table) == expected
        assert {row[-2] for row in expected} == {"BK", "GK"}  # reached; nothing chosen yet
        assert table.virtual_size.width <= table.size.width
        first = scores.units[0]
        assert shown(screen.query_one("#awards-detail", Static)).startswith(
            f"{first.name}: CĐ chỉ đạo {first.criteria['steering'].points}/20 · MH mô hình "
        )
        await pilot.press("1")  # back to the summary table
        assert tabs.active == "summary" and app.focused is screen.query_one("#summary-table")


async def open_folder_dialog(pilot) -> FolderScreen:  # type: ignore[no-untyped-def]
    await pilot.press("t")
    await settle(pilot)  # the figures are counted in a thread
    await pilot.press("ctrl+s")
    assert isinstance(pilot.app.screen, FolderScreen)
    await pilot.press("tab")
    return pilot.app.screen


async def test_a_folder_that_does_not_exist_is_offered_and_the_dialog_stays_when_refused(
    city: Store, tmp_path: Path
) -> None:
    missing = tmp_path / "không-có"
    app = NhandaoApp(city, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dialog = await open_folder_dialog(pilot)
        await pilot.press(*str(missing), "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)  # create it? (tests/tui/test_export_screens)
        await pilot.press("n")
        assert app.screen is dialog
        # Nothing typed is not the current folder.
        await pilot.press("ctrl+u", "enter")
        await settle(pilot)
        assert app.screen is dialog
        assert notices(app)[-1] == (
            "Hãy gõ một thư mục, hoặc chọn một nơi trong danh sách (Tab hoặc ↓)."
        )
        await pilot.press("escape")
        assert isinstance(app.screen, ResultsScreen)
    assert not missing.exists()
    assert not any(p.suffix in (".xlsx", ".docx") for p in Path.cwd().iterdir())


async def test_a_folder_in_the_way_of_a_document_is_said_and_the_app_goes_on(
    city: Store, tmp_path: Path
) -> None:
    blocked, good = tmp_path / "blocked", tmp_path / "good"
    (blocked / DOCUMENTS[0]).mkdir(parents=True)
    good.mkdir()
    app = NhandaoApp(city, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_folder_dialog(pilot)
        await pilot.press(*str(blocked), "enter")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)  # the progress dialog is gone
        assert notices(app)[-1] == (
            f"Chưa ghi xong: trong «{blocked}» đã có một thư mục tên «{DOCUMENTS[0]}», trùng tên "
            "tệp cần ghi. Hãy đổi tên thư mục đó hoặc chọn nơi khác rồi ghi lại."
        )
        assert sorted(p.name for p in blocked.iterdir()) == [DOCUMENTS[0]]  # nothing written
        # The app keeps working: another folder, and the documents are written.
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, FolderScreen)
        await pilot.press("tab", *str(good), "enter")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        assert notices(app)[-1] == "Đã ghi:\n" + "\n".join(
            str(good / name) for name in (DOCUMENTS[0], DOCUMENTS[2], DOCUMENTS[1])
        )
    assert sorted(p.name for p in good.iterdir()) == DOCUMENTS


async def test_a_write_that_fails_midway_says_what_was_written(
    city: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import exporters.report

    def full_disk(path: Path, *_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(exporters.report, "write_report", full_disk)
    out = tmp_path / "out"
    out.mkdir()
    app = NhandaoApp(city, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_folder_dialog(pilot)
        await pilot.press(*str(out), "enter")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        assert not any(isinstance(s, ProgressScreen) for s in app.screen_stack)
        message = notices(app)[-1]
        assert message.startswith(
            f"Chưa ghi xong: không ghi được tệp «{out / DOCUMENTS[1]}» (No space left on device)."
        )
        assert message.endswith(f"\nĐã ghi: {DOCUMENTS[0]}, {DOCUMENTS[2]}.")
    assert sorted(p.name for p in out.iterdir()) == [DOCUMENTS[0], DOCUMENTS[2]]


async def test_a_workbook_that_cannot_be_written_is_said_in_vietnamese(
    city: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import exporters.sheets

    def refused(path: Path, _payload: bytes) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(exporters.sheets, "write_atomic", refused)
    out = tmp_path / "out"
    out.mkdir()
    app = NhandaoApp(city, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_folder_dialog(pilot)
        await pilot.press(*str(out), "enter")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        assert notices(app)[-1] == (
            f"Chưa ghi xong: Không ghi được tệp «{out / DOCUMENTS[0]}»: không có quyền ghi vào "
            "thư mục này, hoặc tệp đang mở trong chương trình khác (như Excel). Hãy đóng tệp "
            "hoặc chọn nơi khác rồi thử lại."
        )
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
    assert list(out.iterdir()) == []
