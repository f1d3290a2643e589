"""The tallies of the summary table (Bảng tổng hợp) and of the report, for one unit over a period.

The definitions, so that anyone can reproduce the figures (docs/RECORDS.md repeats them):

- Rows are the unit's direct children in directory order; a row covers the child's subtree.
  Addresses of the unit itself get a row of their own, shown when there are some; a unit
  without children (a commune) is its own only row.
- Tombstones (`"deleted": true`) of any kind are dropped before anything is counted.
- Column 3: addresses whose `dossier_on` is on or before 31/12 of the last year.
- An address is *helped* when it has at least one aid record, not excluded, dated within the
  period. Column 4: helped addresses with such an aid from a helper on the Red Cross side;
  column 5: the other helped addresses; column 6 = 4 + 5; column 7: the `people` of the helped
  addresses; column 8: the value of those aid records.
- Excluded aid dated within the period is totalled apart, by reason.
- Year by year, from all counted aid (before the period too): *new* in Y (helped in Y, never
  before), *continued* (helped in Y and Y−1), *resumed* (the rest of helped in Y), *stopped*
  (helped in Y−1, not in Y; reason: the address's `stop_reason` when `stopped_on` falls in Y).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from campaign.dataset import Dataset
from campaign.dates import Period
from campaign.vocab import GRASSROOTS_KINDS as _GRASSROOTS
from campaign.vocab import NO_STOP_REASON

# The helper-kind bucket of aid recorded without a (live) helper.
NO_HELPER = "none"


@dataclass
class Amount:
    """A count of aid records and their value in đồng."""

    count: int = 0
    value: int = 0

    def add(self, value: int, count: int = 1) -> None:
        self.count += count
        self.value += value


@dataclass
class Row:
    """One line of the summary table, with the breakdowns the annexes and the report need."""

    unit: str | None
    name: str
    addresses: int = 0  # live addresses, with a dossier or not
    dossiers: int = 0  # column 3
    red_cross: int = 0  # column 4
    outside: int = 0  # column 5
    people: int = 0  # column 7
    value: int = 0  # column 8
    excluded: dict[str, Amount] = field(default_factory=dict)
    groups: Counter[str] = field(default_factory=Counter)
    ungrouped: int = 0
    helper_kinds: Counter[str] = field(default_factory=Counter)
    helped_individuals: int = 0
    helped_collectives: int = 0
    collective_people: int = 0
    dossier_individuals: int = 0
    dossier_collectives: int = 0
    dossier_people: int = 0
    grassroots: int = 0
    grassroots_surveyed: int = 0
    helpers: Counter[str] = field(default_factory=Counter)  # registered, by side
    active_helpers: Counter[str] = field(default_factory=Counter)  # gave counted aid, by side

    @property
    def helped(self) -> int:
        """Column 6 = 4 + 5: distinct addresses helped."""
        return self.red_cross + self.outside

    @property
    def excluded_total(self) -> Amount:
        total = Amount()
        for amount in self.excluded.values():
            total.add(amount.value, amount.count)
        return total

    def columns(self) -> dict[str, int]:
        """Columns 3–8 keyed as the table numbers them."""
        return {
            "3": self.dossiers,
            "4": self.red_cross,
            "5": self.outside,
            "6": self.helped,
            "7": self.people,
            "8": self.value,
        }

    def is_empty(self) -> bool:
        """No address and no excluded aid: nothing for a table to show."""
        return not (self.addresses or self.excluded)

    @classmethod
    def total_of(cls, rows: Iterable[Row], name: str = "Tổng cộng") -> Row:
        total = cls(unit=None, name=name)
        for row in rows:
            for attribute in _ADDITIVE:
                setattr(total, attribute, getattr(total, attribute) + getattr(row, attribute))
            for reason, amount in row.excluded.items():
                total.excluded.setdefault(reason, Amount()).add(amount.value, amount.count)
            total.groups.update(row.groups)
            total.helper_kinds.update(row.helper_kinds)
            total.helpers.update(row.helpers)
            total.active_helpers.update(row.active_helpers)
        return total


_ADDITIVE = (
    "addresses", "dossiers", "red_cross", "outside", "people", "value", "ungrouped",
    "helped_individuals", "helped_collectives", "collective_people", "dossier_individuals",
    "dossier_collectives", "dossier_people", "grassroots", "grassroots_surveyed",
)  # fmt: skip


@dataclass
class StoppedAddress:
    id: str
    name: str
    unit: str
    reason: str


@dataclass
class YearFlow:
    """How the helped addresses of one year relate to the year before."""

    year: int
    helped: int = 0
    new: int = 0
    continued: int = 0
    resumed: int = 0
    stopped: list[StoppedAddress] = field(default_factory=list)

    @property
    def stop_reasons(self) -> Counter[str]:
        return Counter(s.reason for s in self.stopped)


@dataclass
class Tally:
    """Everything counted for one unit's table over one period."""

    unit: str
    name: str
    period: Period
    rows: list[Row]
    total: Row
    years: list[YearFlow]

    def summary_json(self) -> list[dict]:
        """The rows then the totals row, each with `unit`, `name` and columns "3"…"8"."""
        return [
            {"unit": row.unit, "name": row.name, **row.columns()}
            for row in [*self.rows, self.total]
        ]


def tally(data: Dataset, unit: str, period: Period | None = None) -> Tally:
    """Count everything the summary table, its annexes and the report need for `unit`."""
    period = period or Period()
    tree = data.units
    top = tree[unit]
    row_of = tree.row_of(unit)
    children = tree.children(unit)
    rows: dict[str, Row] = {child["code"]: Row(child["code"], child["name"]) for child in children}
    # A unit with children shows its own addresses in a row of its own when it has some; a unit
    # without children (a commune) is its own only row.
    own = Row(unit, f"{top['name']} (trực tiếp)" if children else top["name"])
    rows[unit] = own
    start, end = period.start, period.end
    first_year, last_year = period.year_from, period.year_to

    # The grassroots chapters each row covers (the unit's own row: the unit alone, if it is one).
    grassroots = {
        code: [
            c
            for c in ([code] if code == unit else tree.subtree(code))
            if tree[c]["kind"] in _GRASSROOTS
        ]
        for code in rows
    }

    helper_side: dict[str, tuple[str, str, str]] = {}
    for helper in data.helpers:
        if helper.get("deleted"):
            continue
        row_code = row_of.get(helper["unit"])
        helper_side[helper["id"]] = (helper["side"], helper["kind"], row_code)
        if row_code is not None:
            rows[row_code].helpers[helper["side"]] += 1

    # Each live address of the unit's subtree, with the row it is counted in.
    address_row: dict[str, str] = {}
    addresses: dict[str, dict] = {}
    surveyed_units: set[str] = set()
    for address in data.addresses:
        if address.get("deleted"):
            continue
        row_code = row_of.get(address["unit"])
        if row_code is None:
            continue
        address_id = address["id"]
        address_row[address_id] = row_code
        addresses[address_id] = address
        rows[row_code].addresses += 1
        surveyed = address.get("surveyed_on")
        if surveyed is not None and surveyed <= end:
            surveyed_units.add(address["unit"])
        dossier = address.get("dossier_on")
        if dossier is not None and dossier <= end:
            row = rows[row_code]
            row.dossiers += 1
            row.dossier_people += address["people"]
            if address["kind"] == "individual":
                row.dossier_individuals += 1
            else:
                row.dossier_collectives += 1
    for code, row in rows.items():
        row.grassroots = len(grassroots[code])
        row.grassroots_surveyed = sum(1 for c in grassroots[code] if c in surveyed_units)

    # One pass over aid: what each address received, and every year it was helped.
    years_helped: dict[str, set[int]] = {}
    value_in_period: dict[str, int] = {}
    red_cross: set[str] = set()
    kinds_of: dict[str, set[str]] = {}
    active: set[str] = set()
    for aid in data.aid:
        if aid.get("deleted"):
            continue
        address_id = aid["address"]
        row_code = address_row.get(address_id)
        if row_code is None:
            continue
        on = aid["on"]
        in_period = start <= on <= end
        reason = aid.get("excluded")
        if reason is not None:
            if in_period:
                excluded = rows[row_code].excluded
                amount = excluded.get(reason)
                if amount is None:
                    amount = excluded[reason] = Amount()
                amount.count += 1
                amount.value += aid["value"]
            continue
        year = int(on[:4])
        helped = years_helped.get(address_id)
        if helped is None:
            years_helped[address_id] = {year}
        else:
            helped.add(year)
        if not in_period:
            continue
        value_in_period[address_id] = value_in_period.get(address_id, 0) + aid["value"]
        helper = helper_side.get(aid.get("helper"))  # type: ignore[arg-type]
        kinds = kinds_of.get(address_id)
        if kinds is None:
            kinds = kinds_of[address_id] = set()
        if helper is None:
            kinds.add(NO_HELPER)
        else:
            kinds.add(helper[1])
            active.add(aid["helper"])
            if helper[0] == "red_cross":
                red_cross.add(address_id)

    for address_id, value in value_in_period.items():
        row = rows[address_row[address_id]]
        address = addresses[address_id]
        if address_id in red_cross:
            row.red_cross += 1
        else:
            row.outside += 1
        row.people += address["people"]
        row.value += value
        if address["kind"] == "individual":
            row.helped_individuals += 1
        else:
            row.helped_collectives += 1
            row.collective_people += address["people"]
        groups = address.get("groups") or ()
        if groups:
            row.groups.update(groups)
        else:
            row.ungrouped += 1
        row.helper_kinds.update(kinds_of[address_id])

    for helper_id in active:
        side, _kind, row_code = helper_side[helper_id]
        if row_code is not None:
            rows[row_code].active_helpers[side] += 1

    shown = [rows[child["code"]] for child in children]
    if not children or not own.is_empty():
        shown.append(own)
    years = _year_flows(years_helped, addresses, first_year, last_year)
    return Tally(unit, top["name"], period, shown, Row.total_of(shown), years)


def _year_flows(
    years_helped: dict[str, set[int]], addresses: dict[str, dict], first: int, last: int
) -> list[YearFlow]:
    flows = {year: YearFlow(year) for year in range(first, last + 1)}
    for address_id, helped in years_helped.items():
        earliest = min(helped)
        address = None
        for year, flow in flows.items():
            now, before = year in helped, (year - 1) in helped
            if now:
                flow.helped += 1
                if year == earliest:
                    flow.new += 1
                elif before:
                    flow.continued += 1
                else:
                    flow.resumed += 1
            elif before:
                address = address or addresses[address_id]
                stopped_on = address.get("stopped_on")
                reason = (
                    address.get("stop_reason")
                    if stopped_on and int(stopped_on[:4]) == year
                    else None
                )
                flow.stopped.append(
                    StoppedAddress(
                        address_id, address["name"], address["unit"], reason or NO_STOP_REASON
                    )
                )
    return list(flows.values())
