"""The exchange and review screens of a district office at 80×24, compared with the pictures a
person looked at and accepted (see tests/tui/test_snapshots.py for how to update them).

Everything on these screens is made deterministic: the offices' keys come from fixed seeds,
their clocks are stopped at 15/03/2018, and the places offered for a bundle are fixed.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from craft import Key, bundle, jsonl, line, version
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from factories import TODAY, address, aid, helper
from pilots import settle
from textual.pilot import Pilot

from store.hlc import HybridClock
from store.store import Store, data_of
from sync import keys, send
from sync.receive import import_bundle
from tui.app import NhandaoApp
from tui.drives import Place
from tui.screens import dialogs, exchange
from tui.screens.exchange import KeysScreen, ReceiveScreen, SendScreen
from tui.screens.province import CompletenessScreen, ConflictsScreen, QuarantineScreen

WRITTEN_MS = 1_521_082_800_000  # 15/03/2018 10:00 in Việt Nam


def _office(path: Path, unit: str, seed: int, province: Store | None = None) -> Store:
    """An office whose key pair comes from `seed` and whose clock is stopped."""
    store = Store.create(path, unit, today=lambda: TODAY)
    folder = path / "keys"
    folder.mkdir(mode=0o700, exist_ok=True)
    private = Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (folder / "office.key").write_bytes(pem)
    keys.office_key(store)
    store.clock = HybridClock(store.office.id, wall_ms=lambda: WRITTEN_MS)
    if province is not None:
        keys.pin_province_key(store, keys.office_key(province).public)
    return store


@pytest.fixture
def offices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Thành phố Tây Ninh's office (returned), with an inbox of three bundles: Phường 1's
    (enrolled), the same damaged, and Phường 3's (a key not enrolled yet). Phường 1 sent an
    earlier bundle that was merged, and the district and Phường 1 then edited the same
    address: the inbox bundle brings a conflict. A fourth bundle, from Phường 1 too, holds an
    address with a wrong number of people: it is held in quarantine."""
    places = [Place(Path("/media/canbo/NHANDAO"), "USB: NHANDAO", True),
              Place(Path("/home/canbo"), "Thư mục nhà")]  # fmt: skip
    monkeypatch.setattr(exchange, "places", lambda: places)
    monkeypatch.setattr(dialogs, "places", lambda: places)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with (
        _office(tmp_path / "province", "72", 1) as tinh,
        _office(tmp_path / "district", "703", 2, tinh) as district,
        _office(tmp_path / "phuong1", "25456", 3, tinh) as phuong1,
        _office(tmp_path / "phuong3", "25459", 4, tinh) as phuong3,
    ):
        keys.enrol(tinh, keys.office_key(district).public, "703")
        keys.enrol(district, keys.office_key(phuong1).public, "25456")
        phuong1.save_many([
            ("helper", helper()),
            ("address", address()),
            ("address", address("a2", name="Lê Thị Hoà", kind="collective", people=4)),
            ("aid", aid()),
            ("aid", aid("x2", address="a2", value=2_500_000, on="2016-05-02")),
        ])  # fmt: skip
        earlier = send.export_records(phuong1, tmp_path / "earlier")
        assert earlier is not None and import_bundle(district, earlier.path).status == "merged"
        at_district = data_of("address", district.get("address", "a1"))
        district.save("address", {**at_district, "place": "Khu phố 1, tổ 3"})
        at_commune = data_of("address", phuong1.get("address", "a1"))
        phuong1.save("address", {**at_commune, "place": "Khu phố 2", "people": 1})
        phuong1.save("aid", aid("x3", value=1_000_000, on="2017-01-20"))
        sent = send.export_records(phuong1, inbox)
        assert sent is not None
        damaged = bytearray(sent.path.read_bytes())
        damaged[len(damaged) // 2] ^= 0xFF
        (inbox / "hong.zip").write_bytes(bytes(damaged))
        phuong3.save_many([("helper", helper("h3", unit="25459")),
                           ("address", address("c1", unit="25459", name="Võ Văn Ba"))])  # fmt: skip
        assert send.export_records(phuong3, inbox) is not None
        bad = address("a9", name="Đặng Thị Mười", people=0, groups=["khác lạ"])
        held = bundle(Key(keys.office_key(phuong1).private), "25456",
                      {"records/25456.jsonl": jsonl([line("address", bad, "25456", version(9))])},
                      to="703", sequence=50)  # fmt: skip
        (tmp_path / "held.zip").write_bytes(held)
        assert import_bundle(district, tmp_path / "held.zip").status == "merged"
    yield tmp_path


@pytest.fixture
def app_at(offices: Path) -> Iterator[Callable[[str], NhandaoApp]]:
    """The app on a fresh copy of one of the offices."""
    stores: list[Store] = []

    def make(name: str) -> NhandaoApp:
        copy = offices / f"{name}-copy"
        shutil.copytree(offices / name, copy, ignore=shutil.ignore_patterns("nhandao.lock*"))
        store = Store.open(copy, today=lambda: TODAY)
        store.clock = HybridClock(store.office.id, wall_ms=lambda: WRITTEN_MS)
        stores.append(store)
        return NhandaoApp(store, cursor_blink=False)

    yield make
    for store in stores:
        store.close()


def opening(screen: Callable[[Store], object], *keys: str) -> Callable[[Pilot], object]:
    """A `run_before` that opens `screen` on the app's store, then presses `keys`."""

    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.app.push_screen(screen(pilot.app.store))
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
        await settle(pilot)

    return run


def checked(*more: str) -> Callable[[Pilot], object]:
    """The receive screen on the inbox, the three bundles ticked and checked."""

    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        inbox = pilot.app.store.path.parent / "inbox"
        await pilot.app.push_screen(ReceiveScreen(pilot.app.store, start=inbox))
        await pilot.pause()
        await pilot.press(*["down", "space"] * 3, "ctrl+k")
        await settle(pilot)
        if more:
            await pilot.press(*more)
            await settle(pilot)

    return run


def test_send(snap_compare, app_at) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_at("phuong1"), run_before=opening(SendScreen), terminal_size=(80, 24))


def test_receive_checked(snap_compare, app_at) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_at("district"), run_before=checked(), terminal_size=(80, 24))


def test_enrol_an_unknown_key(snap_compare, app_at) -> None:  # type: ignore[no-untyped-def]
    app = app_at("district")
    assert snap_compare(app, run_before=checked("end", "ctrl+e"), terminal_size=(80, 24))


def test_keys(snap_compare, app_at) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_at("district"), run_before=opening(KeysScreen), terminal_size=(80, 24))


def test_conflict_side_by_side(snap_compare, app_at) -> None:  # type: ignore[no-untyped-def]
    async def run(pilot: Pilot) -> None:
        await checked("ctrl+s", "y")(pilot)
        pilot.app.clear_notifications()  # «Đã nhập 1 gói.» would fade at a time of its own
        await opening(ConflictsScreen, "enter")(pilot)

    assert snap_compare(app_at("district"), run_before=run, terminal_size=(80, 24))


def test_quarantine(snap_compare, app_at) -> None:  # type: ignore[no-untyped-def]
    run = opening(QuarantineScreen)
    assert snap_compare(app_at("district"), run_before=run, terminal_size=(80, 24))


def test_completeness(snap_compare, app_at) -> None:  # type: ignore[no-untyped-def]
    run = opening(CompletenessScreen)
    assert snap_compare(app_at("district"), run_before=run, terminal_size=(80, 24))
