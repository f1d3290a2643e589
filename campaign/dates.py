"""Dates: ISO in storage, dd/mm/yyyy on screen, and the official date line of documents."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# The campaign started in 2008; nothing in it can be dated before 2000.
EARLIEST = date(2000, 1, 1)

_SCREEN = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})")
_COMPACT = re.compile(r"(\d{2})(\d{2})(\d{4})")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


class DateError(ValueError):
    """A date that cannot be read; `str()` is a Vietnamese sentence for the user."""


def parse_date(text: str) -> date:
    """A date typed on screen: «06/09/2018», «6/9/2018», «06-09-2018», «06.09.18», «06092018».

    An ISO date («2018-09-06») is read too, so pasted values work. Raises DateError.
    """
    raw = text.strip()
    if _ISO.fullmatch(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise DateError(_no_such_day(raw)) from None
    match = _SCREEN.fullmatch(raw) or _COMPACT.fullmatch(raw)
    if not match:
        raise DateError(
            f"Không hiểu ngày «{raw}». Hãy nhập theo dạng ngày/tháng/năm, ví dụ 06/09/2018."
        )
    day, month, year = (int(part) for part in match.groups())
    if len(match.group(3)) == 2:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(_no_such_day(raw)) from None


def _no_such_day(raw: str) -> str:
    return f"Ngày «{raw}» không có trong lịch. Hãy kiểm tra lại ngày và tháng."


def format_date(value: date | str | None) -> str:
    """dd/mm/yyyy for the screen; an ISO string is accepted; None gives an empty string."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def official_date_line(place: str, value: date) -> str:
    """«Tây Ninh, ngày 06 tháng 9 năm 2018», as the rules on official documents write it.

    Days below 10 and the months 1 and 2 take a leading zero; other months do not.
    """
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"{place}, ngày {value.day:02d} tháng {month} năm {value.year}"


@dataclass(frozen=True)
class Period:
    """The years a table covers, inclusive. The campaign's review covers 2008–2018."""

    year_from: int = 2008
    year_to: int = 2018

    def __post_init__(self) -> None:
        if self.year_from > self.year_to:
            raise ValueError(f"period starts after it ends: {self.year_from} > {self.year_to}")

    @property
    def start(self) -> str:
        """First day, ISO."""
        return f"{self.year_from:04d}-01-01"

    @property
    def end(self) -> str:
        """Last day, ISO."""
        return f"{self.year_to:04d}-12-31"

    @property
    def years(self) -> range:
        return range(self.year_from, self.year_to + 1)

    def __contains__(self, iso_day: object) -> bool:
        return isinstance(iso_day, str) and self.start <= iso_day <= self.end

    def label(self) -> str:
        return f"{self.year_from}-{self.year_to}"
