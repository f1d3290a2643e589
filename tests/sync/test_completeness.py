"""Who has reported to the province for the period, and who is late, with fixed dates."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest
from factories import address
from offices import make_office

from campaign.dates import Period
from store.hlc import HybridClock
from store.store import Store
from sync import keys, send
from sync.completeness import Report, completeness, deadline
from sync.receive import import_bundle

REVIEW = Period(2008, 2018)


def noon(day: date) -> int:
    """Milliseconds at noon of `day` in this computer's time zone, as a clock would read."""
    return int(datetime(day.year, day.month, day.day, 12).timestamp() * 1000)


@dataclass
class Province:
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


@pytest.fixture
def province(tmp_path: Path) -> Iterator[Province]:
    today = [date(2018, 1, 1)]
    with (
        Store.create(tmp_path / "province", "72", today=lambda: today[0]) as store,
        ExitStack() as offices,
    ):
        keys.office_key(store)
        yield Province(store, today, tmp_path, offices)


@pytest.fixture
def reported(province: Province) -> Province:
    """Five districts' stories: on time, late, through a commune, only last year, never."""
    province.receive_from("707", date(2017, 6, 1), date(2017, 6, 5))
    commune_of_706 = province.store.units.children("706")[0]["code"]
    province.receive_from(commune_of_706, date(2018, 9, 1), date(2018, 9, 4))
    province.receive_from("703", date(2018, 3, 2), date(2018, 3, 3))
    province.receive_from("703", date(2018, 10, 1), date(2018, 10, 3))
    province.receive_from("705", date(2018, 11, 15), date(2018, 11, 16))
    return province


def by_unit(reports: list[Report]) -> dict[str, Report]:
    return {report.unit: report for report in reports}


def test_each_district_with_its_last_bundle_whether_it_reported_and_whether_late(
    reported: Province,
) -> None:
    reports = completeness(reported.store, REVIEW, date(2018, 11, 20))
    assert [r.unit for r in reports] == [u["code"] for u in reported.store.units.children("72")]
    rows = by_unit(reports)
    assert rows["703"] == Report("703", "Thành phố Tây Ninh", 2, date(2018, 10, 1),
                                 date(2018, 10, 3), reported=True, late=False)  # fmt: skip
    assert (rows["705"].reported, rows["705"].late) == (True, True)  # after 09/11
    assert (rows["706"].reported, rows["706"].late) == (True, False)  # through its commune
    assert rows["706"].last_created == date(2018, 9, 1)
    assert (rows["707"].reported, rows["707"].late) == (False, True)  # only for 2017
    assert rows["707"].last_created == date(2017, 6, 1)
    assert rows["707"].last_received == date(2017, 6, 5)
    assert rows["708"] == Report("708", "Huyện Châu Thành", None, None, None, False, True)


def test_before_the_deadline_nobody_is_late_for_not_having_sent(reported: Province) -> None:
    rows = by_unit(completeness(reported.store, REVIEW, date(2018, 11, 9)))
    assert not rows["708"].late and not rows["707"].late
    assert not rows["708"].reported


def test_the_deadline_comes_from_the_office_settings_for_its_own_period(
    reported: Province,
) -> None:
    store = reported.store
    assert deadline(store, REVIEW) == date(2018, 11, 9)  # the seed's, in the settings of a store
    store.update_settings(report_deadline="2018-11-20")
    assert deadline(store, REVIEW) == date(2018, 11, 20)
    assert not by_unit(completeness(store, REVIEW, date(2018, 11, 21)))["705"].late
    # Another period than the office's: 09/11 of its last year, whatever the setting.
    earlier = Period(2008, 2017)
    assert deadline(store, earlier) == date(2017, 11, 9)
    rows = by_unit(completeness(store, earlier, date(2018, 11, 21)))
    assert (rows["707"].reported, rows["707"].late) == (True, False)
    # No setting: 09/11 of the last year of the office's period.
    store.update_settings(report_deadline=None, period_to=2020)
    assert deadline(store, store.office.period) == date(2020, 11, 9)
