"""A provincial session through the interface: bundles from districts checked (one tampered,
one from a key not yet enrolled, one already imported), the key enrolled after its fingerprint
is confirmed, the rest merged, a conflict resolved, and the documents written."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from factories import TODAY, address, aid, helper
from openpyxl import load_workbook
from pilots import settle
from textual.pilot import Pilot

from campaign.tally import tally
from store.demo import write_demo
from store.store import Store, data_of
from sync import keys, send
from sync.receive import import_bundle
from tui.app import NhandaoApp
from tui.screens.dialogs import ConfirmScreen
from tui.screens.exchange import BundlePicker, EnrolKeyScreen, ReceiveScreen
from tui.screens.province import ConflictDetail, ConflictsScreen, FolderScreen, ResultsScreen
from tui.widgets.record_table import RecordTable


@dataclass
class Session:
    province: Path
    inbox: Path
    out: Path
    conflicted: str  # the address edited at both the province and the district
    unknown_fingerprint: str


def _office(path: Path, unit: str, province: Store | None = None) -> Store:
    store = Store.create(path, unit, today=lambda: TODAY)
    keys.office_key(store)
    if province is not None:
        keys.pin_province_key(store, keys.office_key(province).public)
    return store


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    out.mkdir()
    with _office(tmp_path / "province", "72") as province:
        # Thành phố Tây Ninh keeps the district demo; its key is enrolled at the province.
        city = write_demo(tmp_path / "city", seed=3, scale="district")
        keys.pin_province_key(city, keys.office_key(province).public)
        keys.enrol(province, keys.office_key(city).public, "703")
        first = send.export_records(city, tmp_path / "earlier")  # imported in an earlier session
        assert first is not None and import_bundle(province, first.path).status == "merged"
        shutil.copy(first.path, inbox / "1-earlier-again.zip")
        # The same address is then edited at the province and at the district.
        conflicted = next(iter(city.records("address")))["id"]
        at_province = data_of("address", province.get("address", conflicted))
        province.save("address", {**at_province, "place": "Khu phố 9 (sửa ở tỉnh)"})
        at_district = data_of("address", city.get("address", conflicted))
        city.save("address", {**at_district, "place": "Khu phố 8 (sửa ở huyện)"})
        second = send.export_records(city, inbox)
        assert second is not None
        shutil.move(second.path, inbox / "2-city-changes.zip")
        tampered = bytearray((inbox / "2-city-changes.zip").read_bytes())
        tampered[-200] ^= 0xFF
        (inbox / "3-tampered.zip").write_bytes(bytes(tampered))
        city.close()
        # Huyện Tân Biên's key is not enrolled yet: its bundle must wait for the phone call.
        with _office(tmp_path / "tan-bien", "705", province) as tan_bien:
            tan_bien.save_many(
                [
                    ("helper", helper("hb", unit="25486")),
                    ("address", address("b1", unit="25486", name="Trần Văn Tư")),
                    ("aid", aid("xb", address="b1", helper="hb", value=800_000)),
                ]
            )
            sent = send.export_records(tan_bien, inbox)
            assert sent is not None
            shutil.move(sent.path, inbox / "4-tan-bien.zip")
            fingerprint = keys.fingerprint(keys.office_key(tan_bien).public)
    yield Session(tmp_path / "province", inbox, out, conflicted, fingerprint)


async def tick_every_file(pilot: Pilot, picker: BundlePicker) -> None:
    await pilot.pause()
    for _ in range(4):
        await pilot.press("down", "space")
    assert len(picker.chosen) == 4


async def test_a_provincial_session_from_bundles_to_documents(session: Session) -> None:
    with Store.open(session.province, today=lambda: TODAY) as store:
        app = NhandaoApp(store, cursor_blink=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            receive = ReceiveScreen(store, start=session.inbox)
            await app.push_screen(receive)
            await tick_every_file(pilot, receive.query_one(BundlePicker))
            await pilot.press("ctrl+k")
            await settle(pilot)
            results = {r.source.rsplit("/", 1)[-1]: r for r in receive.reports}
            assert results["1-earlier-again.zip"].status == "already"
            assert results["2-city-changes.zip"].status == "checked"
            assert results["3-tampered.zip"].refused
            assert "Chưa nhập gì" in str(results["3-tampered.zip"].refusal)
            unknown = results["4-tan-bien.zip"]
            assert unknown.refused and unknown.refusal.claimed_sender == "705"
            # Enrol Tân Biên's key: a wrong fingerprint is refused, the right one accepted.
            table = receive.query_one("#reports", RecordTable)
            table.move_to(str(receive.reports.index(unknown)))
            await pilot.press("ctrl+e")
            assert isinstance(app.screen, EnrolKeyScreen)
            await pilot.press(*"12345", "enter")
            assert isinstance(app.screen, EnrolKeyScreen)
            await pilot.press(*["backspace"] * 5, *session.unknown_fingerprint.replace(" ", ""),
                              "enter")  # fmt: skip
            await settle(pilot)
            assert isinstance(app.screen, ReceiveScreen)
            results = {r.source.rsplit("/", 1)[-1]: r for r in receive.reports}
            assert results["4-tan-bien.zip"].status == "checked"
            # Merge what is good; the tampered bundle stays out.
            await pilot.press("ctrl+s")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await settle(pilot)
            merged = {r.source.rsplit("/", 1)[-1]: r.status for r in receive.reports}
            assert merged["2-city-changes.zip"] == "merged" and merged["4-tan-bien.zip"] == "merged"
            assert merged["3-tampered.zip"] == "refused"
            assert store.get("address", "b1")["name"] == "Trần Văn Tư"
            # One conflict: the province and the district edited the same address.
            await pilot.press("escape", "x")
            assert isinstance(app.screen, ConflictsScreen)
            assert app.screen.query_one("#conflicts", RecordTable).row_count == 1
            await pilot.press("enter")
            assert isinstance(app.screen, ConflictDetail)
            await pilot.press("2")  # keep the version that lost
            await settle(pilot)
            assert store.conflicts() == []
            kept = store.get("address", session.conflicted)["place"]
            assert kept in ("Khu phố 9 (sửa ở tỉnh)", "Khu phố 8 (sửa ở huyện)")
            # The results, and the documents written to a folder.
            await pilot.press("escape", "escape", "t")
            assert isinstance(app.screen, ResultsScreen)
            await settle(pilot)
            await pilot.press("ctrl+s")
            assert isinstance(app.screen, FolderScreen)
            await pilot.press("tab", *str(session.out), "enter")
            await settle(pilot)
        written = sorted(p.name for p in session.out.iterdir())
        assert written == ["bang-tong-hop-72-2008-2018.xlsx", "bao-cao-72-2008-2018.docx",
                           "khen-thuong-72-2008-2018.xlsx"]  # fmt: skip
        counted = tally(store.dataset(), "72")
        sheet = load_workbook(session.out / "bang-tong-hop-72-2008-2018.xlsx")["Bảng tổng hợp"]
        values = [list(row) for row in sheet.iter_rows(values_only=True)]
        start = next(i for i, row in enumerate(values) if row[0] == 1)
        table = values[start : start + len(counted.rows) + 1]
        figures = [[c[k] for k in ("3", "4", "5", "6", "7", "8")]
                   for c in (row.columns() for row in [*counted.rows, counted.total])]  # fmt: skip
        assert [row[1] for row in table[:-1]] == [row.name for row in counted.rows]
        assert table[-1][0] == "Tổng cộng"
        assert [row[2:8] for row in table] == figures
        assert counted.total.columns()["6"] > 0
