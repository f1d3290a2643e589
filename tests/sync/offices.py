"""Offices for the sync and interface tests: stores with keys, a province receiving bundles on
given days, and a fingerprint of a store's files."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from disk import files_of as files_of  # for the tests of offices
from factories import TODAY, address

from store.hlc import HybridClock
from store.store import Store
from sync import keys, send
from sync.receive import import_bundle

# This folder has no conftest.py of its own: it would take the module name `conftest` from
# tests/conftest.py for every test collected after it. Its fixtures live in the test modules.


def make_office(path: Path, unit: str, province: Store | None = None) -> Store:
    """An office's store with its key pair, the province's key pinned (unless it is the
    province), and today fixed."""
    store = Store.create(path, unit, today=lambda: TODAY)
    keys.office_key(store)
    if province is not None:
        keys.pin_province_key(store, keys.office_key(province).public)
    return store


def reopen(path: Path) -> Store:
    return Store.open(path, today=lambda: TODAY)


@dataclass
class Chain:
    province: Store  # Tây Ninh (72)
    district: Store  # Thành phố Tây Ninh (703), its key enrolled at the province
    commune: Store  # Phường 1 (25456), its key enrolled at the district


@contextmanager
def chain(folder: Path) -> Iterator[Chain]:
    """Three offices as the guide sets them up: keys made, each enrolled by the office above,
    and the province's directory delivered to the commune (so that it knows the district's
    key and can read the district's acknowledgements)."""
    with ExitStack() as stack:
        province = stack.enter_context(make_office(folder / "province", "72"))
        district = stack.enter_context(make_office(folder / "district", "703", province))
        commune = stack.enter_context(make_office(folder / "commune", "25456", province))
        keys.enrol(province, keys.office_key(district).public, "703")
        keys.enrol(district, keys.office_key(commune).public, "25456")
        directory = send.export_directory(province, folder / "directory.zip")
        assert import_bundle(commune, directory.path).status == "merged"
        yield Chain(province, district, commune)


def noon(day: date) -> int:
    """Milliseconds at noon of `day` in this computer's time zone, as a clock would read."""
    return int(datetime(day.year, day.month, day.day, 12).timestamp() * 1000)


@dataclass
class Province:
    """The province's office (72), receiving records bundles from the offices below it, each
    written and received on given days; `today` is the province's, changed as the story goes."""

    store: Store
    today: list[date]  # the province's today, changed as the story goes
    folder: Path
    offices: ExitStack
    below: dict[str, Store] = field(default_factory=dict)  # offices below, by unit

    def receive_from(self, unit: str, written: date, received: date) -> None:
        """The office of `unit` (enrolled here) writes a bundle on `written`; it arrives on
        `received`."""
        office = self.below.get(unit)
        if office is None:
            office = self.offices.enter_context(make_office(self.folder / unit, unit, self.store))
            keys.enrol(self.store, keys.office_key(office).public, unit)
            self.below[unit] = office
        office.clock = HybridClock(office.office.id, wall_ms=lambda: noon(written))
        commune = office.units.subtree(unit)[-1]
        office.save("address", address(f"a-{written}", unit=commune))
        sent = send.export_records(office, self.folder, to="72")
        assert sent is not None
        self.today[0] = received
        report = import_bundle(self.store, sent.path)
        assert report.status == "merged" and report.created == written  # for the screens
