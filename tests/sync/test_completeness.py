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
from sync.completeness import Deadline, Report, completeness, deadline, report_deadline

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


def test_a_deadline_left_from_an_earlier_period_gives_way_to_09_11_of_the_last_year(
    reported: Province,
) -> None:
    """A new office's settings hold the seed's 09/11/2018; the period moved to 2016–2026 (the
    review of 2026), that day is not its deadline: nine districts would all be late."""
    store = reported.store
    store.update_settings(period_from=2016, period_to=2026)
    period = store.office.period
    due = report_deadline(store, period)
    assert due == Deadline(date(2026, 11, 9), chosen=False, ignored=date(2018, 11, 9))
    assert due.explained(period) == (
        "hạn mặc định: 09/11 năm cuối của giai đoạn 2016-2026; hạn đã đặt 09/11/2018 thuộc một "
        "giai đoạn trước nên không dùng"
    )
    rows = completeness(store, period, date(2026, 6, 1))
    assert not any(r.late for r in rows)
    # Set for this period, it counts; and the seed's own day is named as the rule's.
    store.update_settings(report_deadline="2026-10-15")
    assert report_deadline(store, period) == Deadline(date(2026, 10, 15), chosen=True)
    assert report_deadline(store, period).explained(period) == "hạn do văn phòng đặt"
    store.update_settings(period_from=2008, period_to=2018, report_deadline="2018-11-09")
    assert report_deadline(store, store.office.period).explained(store.office.period) == (
        "hạn mặc định: 09/11 năm cuối của giai đoạn 2008-2018"
    )


def test_a_hand_filled_return_is_a_report(reported: Province) -> None:
    """Huyện Châu Thành (708) never sent a bundle; one of its communes' return, taken in at
    the province before the deadline, is its report. Huyện Hòa Thành's, after it: late."""
    store = reported.store

    def a_return(unit: str, on: date) -> tuple[str, dict]:
        return ("return", {"id": f"bc-{unit}", "unit": unit, "year_from": 2008,
                           "year_to": 2018, "dossiers": 3, "red_cross": 1, "outside": 1,
                           "helped": 2, "people": 2, "value": 10, "source": "bth.xlsx",
                           "sha256": "ab" * 32, "accepted_by": store.office.id,
                           "accepted_on": on.isoformat()})  # fmt: skip

    commune_of_708 = store.units.children("708")[0]["code"]
    store.save_many([a_return(commune_of_708, date(2018, 11, 1)),
                     a_return("709", date(2018, 11, 12))])  # fmt: skip
    rows = by_unit(completeness(store, REVIEW, date(2018, 11, 20)))
    assert (rows["708"].reported, rows["708"].late, rows["708"].by_return) == (True, False, True)
    assert (rows["709"].reported, rows["709"].late, rows["709"].by_return) == (True, True, True)
    assert rows["708"].last_sequence is None  # no bundle
    assert not rows["703"].by_return
    # A return of another period is no report for this one.
    assert not by_unit(completeness(store, Period(2008, 2017), date(2018, 11, 20)))["708"].reported
