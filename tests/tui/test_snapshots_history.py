"""The history of a record at 80×24 (tests/tui/test_snapshots.py explains how pictures are
accepted): an address that Phường 1 saved and edited, that the district edited, and that
Phường 1 edited again at the same time, so that the district's edit waits in the conflicts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from factories import address
from offices import Chain, chain, noon
from pilots import settle
from textual.pilot import Pilot

from store.hlc import HybridClock
from store.store import Store
from sync import send
from sync.receive import import_bundle
from tui.app import NhandaoApp


def _at_noon(store: Store, day: date) -> None:
    store.clock = HybridClock(store.office.id, wall_ms=lambda: noon(day))


def _send(commune: Store, district: Store, folder: Path) -> None:
    sent = send.export_records(commune, folder)
    assert sent is not None
    import_bundle(district, sent.path)


@pytest.fixture
def offices(tmp_path: Path) -> Iterator[Chain]:
    with chain(tmp_path / "offices") as made:
        commune, district = made.commune, made.district
        _at_noon(commune, date(2026, 11, 2))
        commune.save("address", address())
        _at_noon(commune, date(2026, 11, 9))
        commune.save("address", address(place="Khu phố 2"))
        _send(commune, district, tmp_path / "c1")
        _at_noon(district, date(2026, 11, 20))
        district.save("address", address(place="Khu phố 3"))
        _at_noon(commune, date(2026, 11, 25))
        commune.save("address", address(place="Khu phố 4"))
        _send(commune, district, tmp_path / "c2")
        yield made


def test_history_of_an_address_with_an_edit_waiting(snap_compare, offices: Chain) -> None:  # type: ignore[no-untyped-def]
    async def open_history(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("a", "enter", "enter")
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)

    app = NhandaoApp(offices.district, cursor_blink=False)
    assert snap_compare(app, run_before=open_history, terminal_size=(80, 24))
