"""Who has reported: for each unit directly below this office, its last records bundle, whether
it has reported for a period, and whether it was late.

The rules, from the seed plan (districts report before 09/11/2018, for the review of
2008–2018) and the office's settings:

- A child unit has *reported for a period* when this office received a `records` bundle
  signed by a key enrolled for that unit **or for a unit of its subtree**, created (the
  sender's clock, in the manifest) on or after 1 January of the period's last year. A district
  whose communes send their bundles here directly has thus reported through them; a district
  office that merges its communes' bundles reports with its own key.
- The *deadline* is the office setting `report_deadline` (an ISO date) for the office's own
  period (settings `period_from`, `period_to`); for any other period, or when the setting is
  absent, not a date, or before the period's last year (left from an earlier review: a new
  office's 09/11/2018 once its period was moved to end in 2026), it is 9 November of the
  period's last year, as the seed plan's 09/11/2018 was for the period ending in 2018.
- A child is *late* when it has not reported and today is after the deadline, or when every
  bundle it reported with was created after the deadline.
- Its *last bundle* is the latest created records bundle received from its subtree, of any
  period: its sequence number (the sending office's), the day it was created and the day it
  arrived here.
- A unit without the program has *reported* with its hand-filled Bảng tổng hợp for the
  period (a return, docs/RETURNS.md) of it or of a unit of its subtree, taken in here or
  received in a bundle; on time when taken in by the deadline.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from campaign.dates import Period
from store.store import Store
from sync import ledger
from sync.reader import created_date

DEFAULT_DEADLINE = (11, 9)  # month and day: «trước ngày 09/11/2018» in the seed plan


@dataclass(frozen=True)
class Report:
    """One child unit: its last bundle, whether it has reported for the period, and on time."""

    unit: str
    name: str
    last_sequence: int | None
    last_created: date | None
    last_received: date | None
    reported: bool
    late: bool
    by_return: bool = False  # reported with a hand-filled Bảng tổng hợp (docs/RETURNS.md)


@dataclass(frozen=True)
class Deadline:
    """The deadline for a period and where it comes from: the office's setting (`chosen`), or
    the rule's 09/11 of the period's last year; `ignored` is a setting left from an earlier
    period (before the period's last year), not used."""

    day: date
    chosen: bool
    ignored: date | None = None

    def explained(self, period: Period) -> str:
        """«hạn đã đặt» or why the rule's day is used, as a Vietnamese phrase."""
        month, day = DEFAULT_DEADLINE
        if self.chosen and self.day != date(period.year_to, month, day):
            return "hạn do văn phòng đặt"
        why = f"hạn mặc định: 09/11 năm cuối của giai đoạn {period.label()}"
        if self.ignored is not None:
            why += f"; hạn đã đặt {self.ignored:%d/%m/%Y} thuộc một giai đoạn trước nên không dùng"
        return why


def report_deadline(store: Store, period: Period) -> Deadline:
    """The day children must have reported by, for `period`, and where it comes from."""
    month, day = DEFAULT_DEADLINE
    rule = date(period.year_to, month, day)
    setting = store.office.settings.get("report_deadline")
    if not isinstance(setting, str) or period != store.office.period:
        return Deadline(rule, False)
    try:
        chosen = date.fromisoformat(setting)
    except ValueError:
        return Deadline(rule, False)  # a setting typed by hand that is not a date
    if chosen.year < period.year_to:
        return Deadline(rule, False, ignored=chosen)
    return Deadline(chosen, True)


def deadline(store: Store, period: Period) -> date:
    """The day children must have reported by, for `period`."""
    return report_deadline(store, period).day


@dataclass(frozen=True)
class _Received:
    created: str  # the manifest's clock: versions sort as text
    sequence: int
    created_on: date
    received_on: date | None


def completeness(store: Store, period: Period, today: date) -> list[Report]:
    """A Report for each unit directly below this office, in directory order."""
    office = store.office.unit
    child_of = store.units.row_of(office)  # every unit below: the child it is under
    due = deadline(store, period)
    start = date(period.year_to, 1, 1)
    bundles: dict[str, list[_Received]] = defaultdict(list)
    for entry in ledger.Ledger(store).received:
        child = child_of.get(entry.get("sender", ""))
        created_on = created_date(entry.get("created") or "")
        if entry.get("kind") != "records" or child in (None, office) or created_on is None:
            continue
        bundles[child].append(
            _Received(entry["created"], entry["sequence"], created_on, _day(entry.get("imported")))
        )
    # A unit without the program reports with its hand-filled table, taken in here or below.
    returned: dict[str, list[date]] = defaultdict(list)
    for record in store.records("return"):
        child = child_of.get(record["unit"])
        day = _day(record.get("accepted_on"))
        same = (record["year_from"], record["year_to"]) == (period.year_from, period.year_to)
        if child in (None, office) or day is None or not same:
            continue
        returned[child].append(day)
    reports = []
    for unit in store.units.children(office):
        code = unit["code"]
        received = bundles.get(code, [])
        last = max(received, key=lambda b: b.created, default=None)
        counted = [b.created_on for b in received if b.created_on >= start]
        counted += returned.get(code, [])
        reported = bool(counted)
        late = all(day > due for day in counted) if reported else today > due
        reports.append(
            Report(
                unit=code,
                name=unit["name"],
                last_sequence=last.sequence if last else None,
                last_created=last.created_on if last else None,
                last_received=last.received_on if last else None,
                reported=reported,
                late=late,
                by_return=bool(returned.get(code)),
            )
        )
    return reports


def _day(moment: object) -> date | None:
    if not isinstance(moment, str):
        return None
    try:
        return date.fromisoformat(moment[:10])
    except ValueError:
        return None
