"""Who has reported to the province for the period, and who is late, with fixed dates."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path

import pytest
from offices import Province

from campaign.dates import Period
from store.store import Store
from sync import keys
from sync.completeness import Report, completeness, deadline

REVIEW = Period(2008, 2018)


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
