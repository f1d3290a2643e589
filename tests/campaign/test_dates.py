"""Dates: dd/mm/yyyy on screen, ISO in storage, the official date line, periods."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign.dates import DateError, Period, format_date, official_date_line, parse_date


@pytest.mark.parametrize(
    "typed",
    ["06/09/2018", "6/9/2018", "06-09-2018", "06.09.2018", "06/09/18", "06092018", "2018-09-06"],
)
def test_dates_as_staff_type_them(typed: str) -> None:
    assert parse_date(typed) == date(2018, 9, 6)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("31/02/2018", "không có trong lịch"),
        ("hôm qua", "Không hiểu ngày"),
        ("2018-13-01", "không có"),
        ("", "Không hiểu ngày"),
    ],
)
def test_impossible_dates_are_refused_in_vietnamese(typed: str, says: str) -> None:
    with pytest.raises(DateError, match=says):
        parse_date(typed)


def test_dates_are_shown_day_first() -> None:
    assert format_date(date(2018, 9, 6)) == "06/09/2018"
    assert format_date("2018-11-09") == "09/11/2018"
    assert format_date(None) == ""


def test_the_official_date_line_pads_days_and_only_the_first_two_months() -> None:
    assert official_date_line("Tây Ninh", date(2018, 9, 6)) == "Tây Ninh, ngày 06 tháng 9 năm 2018"
    assert (
        official_date_line("Tây Ninh", date(2018, 2, 14)) == "Tây Ninh, ngày 14 tháng 02 năm 2018"
    )
    assert official_date_line("Hà Nội", date(2018, 11, 30)) == "Hà Nội, ngày 30 tháng 11 năm 2018"


def test_a_period_covers_whole_years() -> None:
    period = Period(2008, 2018)
    assert "2008-01-01" in period and "2018-12-31" in period
    assert "2007-12-31" not in period and "2019-01-01" not in period
    assert list(Period(2016, 2018).years) == [2016, 2017, 2018]
    with pytest.raises(ValueError):
        Period(2019, 2018)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31)))
def test_every_shown_date_reads_back(day: date) -> None:
    assert parse_date(format_date(day)) == day
    assert parse_date(day.isoformat()) == day
