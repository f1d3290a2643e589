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
  before), *continued* (helped in Y and Y−1), *resumed* (the rest of helped in Y). *Stopped* in
  Y: the addresses whose `stopped_on` falls in Y, each under its `stop_reason`; apart from them,
  *lapsed*: helped in Y−1, not in Y, with no `stopped_on` on or before 31/12/Y.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from campaign.dataset import Dataset
from campaign.dates import Period
from campaign.money import format_number
from campaign.records import Unit
from campaign.units import UnitTree
from campaign.vocab import GRASSROOTS_KINDS as _GRASSROOTS
from campaign.vocab import NO_STOP_REASON, NOT_HELPED

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
    stopped: list[StoppedAddress] = field(default_factory=list)  # their stop date is in the year
    # Helped the year before, not this year, and no stop recorded by the end of this year.
    lapsed: list[StoppedAddress] = field(default_factory=list)

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
    # False for a table counted from the derived index (`table_of_figures`): columns 3–8, the
    # live addresses and the excluded aid only, without the annexes' breakdowns or the years.
    complete: bool = True
    # The hand-filled returns of the units of the table for its period (docs/RETURNS.md):
    # those counted in a row, and those set aside because the unit has detailed records.
    returns: list[Returned] = field(default_factory=list)

    def summary_json(self) -> list[dict]:
        """The rows then the totals row, each with `unit`, `name` and columns "3"…"8", and
        `returns` (the units whose hand-filled returns the row counts) when it counts any."""
        by_row = self.returned_rows()
        return [
            {"unit": row.unit, "name": row.name, **row.columns(),
             **({"returns": by_row[row.unit]} if row.unit in by_row else {})}
            for row in [*self.rows, self.total]
        ]  # fmt: skip

    def returned_rows(self) -> dict[str | None, list[str]]:
        """The rows counting hand-filled returns: row → the units whose returns they are."""
        found: dict[str | None, list[str]] = {}
        for returned in self.returns:
            if returned.counted:
                found.setdefault(returned.row, []).append(returned.record["unit"])
        return found

    def return_notes(self, name: Callable[[str], str]) -> list[str]:
        """What a table says under it of the returns it counts or sets aside (`name`: a
        unit's name), in Vietnamese."""
        counted = [r.record["unit"] for r in self.returns if r.counted]
        notes = []
        if counted:
            notes.append(
                "Các dòng đánh dấu (*) có số liệu theo Bảng tổng hợp do đơn vị tự điền (chưa dùng "
                f"chương trình): {', '.join(name(code) for code in counted)}."
            )
        for returned in self.returns:
            if returned.detailed is None:
                continue
            own, theirs = returned.detailed, returned.columns()
            differ = [f"cột {c}: {format_number(theirs[c])} theo báo cáo, "
                      f"{format_number(own[c])} theo dữ liệu"
                      for c in theirs if theirs[c] != own[c]]  # fmt: skip
            notes.append(
                f"{name(returned.record['unit'])} có cả dữ liệu chi tiết và Bảng tổng hợp tự "
                "điền cho giai đoạn này: bảng dùng dữ liệu chi tiết"
                + (f"; chênh lệch {'; '.join(differ)}." if differ else ", hai nguồn khớp nhau.")
            )
        return notes


@dataclass
class Returned:
    """A unit's return in a table: counted in the row of `row`, or (`detailed` set: the
    columns 3–8 its detailed records give) left out, the detailed records winning."""

    record: Mapping
    row: str
    detailed: dict[str, int] | None = None

    @property
    def counted(self) -> bool:
        return self.detailed is None

    def columns(self) -> dict[str, int]:
        """Columns 3–8 as the return gives them (6 as 4 + 5, as the table counts it)."""
        record = self.record
        return {"3": record["dossiers"], "4": record["red_cross"], "5": record["outside"],
                "6": record["red_cross"] + record["outside"], "7": record["people"],
                "8": record["value"]}  # fmt: skip


def add_returns(
    result: Tally,
    tree: UnitTree,
    returns: Iterable[Mapping],
    detailed: Callable[[str], dict[str, int] | None],
) -> Tally:
    """Count in `result` the returns of its units for its period, each in the row of its
    unit, where the unit has no detailed records (`detailed(code)`: None, else the columns
    3–8 they give): the detailed records win, and the return is kept in `result.returns` to
    show the difference. A return counts its unit's whole subtree: one below a unit whose
    return is counted is not counted again."""
    period = result.period
    row_of = tree.row_of(result.unit)
    chosen = sorted(
        (r for r in returns if not r.get("deleted") and r.get("unit") in row_of
         and r["year_from"] == period.year_from and r["year_to"] == period.year_to),
        key=lambda r: (len(tree.ancestors(r["unit"])), r["unit"]),
    )  # fmt: skip
    if not chosen:
        return result
    rows = {row.unit: row for row in result.rows}
    counted: set[str] = set()
    for record in chosen:
        code = record["unit"]
        if code in counted or any(a["code"] in counted for a in tree.ancestors(code)):
            continue
        row_code = row_of[code]
        found = detailed(code)
        if found is not None and any(found.values()):
            result.returns.append(Returned(record, row_code, found))
            continue
        counted.add(code)
        row = rows.get(row_code)
        if row is None:  # the unit's own row, not shown while it held nothing
            row = rows[row_code] = Row(row_code, f"{tree[row_code]['name']} (trực tiếp)")
            result.rows.append(row)
        for target in (row, result.total):
            target.dossiers += record["dossiers"]
            target.red_cross += record["red_cross"]
            target.outside += record["outside"]
            target.people += record["people"]
            target.value += record["value"]
        result.returns.append(Returned(record, row_code))
    return result


def tally(data: Dataset, unit: str, period: Period | None = None) -> Tally:
    """Count everything the summary table, its annexes and the report need for `unit`, with
    the units' hand-filled returns where they have no detailed records (`add_returns`)."""
    period = period or Period()
    counted = _tally(data, unit, period)
    if not data.returns:
        return counted
    rows = {row.unit: row.columns() for row in counted.rows}
    active = _active_units(data, period)

    def detailed(code: str) -> dict[str, int] | None:
        if code not in active:
            return None
        if code in rows and code != unit:
            return rows[code]
        return _tally(data, code, period).total.columns()

    return add_returns(counted, data.units, data.returns, detailed)


def _active_units(data: Dataset, period: Period) -> set[str]:
    """The units (with their ancestors) holding an address the tables of `period` count: with
    a dossier by its end, or helped within it."""
    helped = helped_addresses(data, period)
    end = period.end
    found: set[str] = set()
    for address in data.addresses:
        if address.get("deleted"):
            continue
        dossier = address.get("dossier_on")
        if address["id"] in helped or (dossier is not None and dossier <= end):
            found.add(address["unit"])
            if address.get("former_unit"):
                found.add(address["former_unit"])
    tree = data.units
    for code in list(found):
        if code in tree:
            found.update(a["code"] for a in tree.ancestors(code))
    return found


def _tally(data: Dataset, unit: str, period: Period) -> Tally:
    tree = data.units
    top = tree[unit]
    row_of = tree.row_of(unit)
    children, rows, own = _rows(tree, unit)
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
        if row_code is None and helper.get("former_unit") is not None:
            row_code = row_of.get(helper["former_unit"])  # a table of the units of before 2025
        helper_side[helper["id"]] = (helper["side"], helper["kind"], row_code)
        if row_code is not None:
            rows[row_code].helpers[helper["side"]] += 1

    # Each live address of the unit's subtree, with its state: the row it is counted in, the
    # bits of the years it was helped (see _year_flows), and what each helper gave it within
    # the period (None until something was).
    states: dict[str, list] = {}
    addresses: dict[str, dict] = {}
    surveyed_units: set[str] = set()
    for address in data.addresses:
        if address.get("deleted"):
            continue
        counted_as = address["unit"]
        row_code = row_of.get(counted_as)
        if row_code is None:
            # A table of the units of before the 2025 reform counts a migrated address in the
            # unit it was of then (the two trees share no code: docs/RECORDS.md).
            counted_as = address.get("former_unit")
            row_code = None if counted_as is None else row_of.get(counted_as)
            if row_code is None:
                continue
        address_id = address["id"]
        states[address_id] = [row_code, 0, None]
        addresses[address_id] = address
        rows[row_code].addresses += 1
        surveyed = address.get("surveyed_on")
        if surveyed is not None and surveyed <= end:
            surveyed_units.add(counted_as)
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

    # One pass over aid, the hot loop (200,000 records at a province): as few lookups per
    # record as the counts allow. Sides and kinds of helpers are resolved afterwards, once per
    # address and helper. The bit of a year is looked up by the date's text: dates repeat,
    # and cutting and parsing the year of every date took a third of the loop.
    base = first_year - 2
    year_bits: dict[str, int] = {}
    helped_order: list[str] = []  # addresses by their first counted aid, as records come
    in_period: list[str] = []  # addresses by their first counted aid within the period
    for aid in data.aid:
        if aid.get("deleted"):
            continue
        address_id = aid["address"]
        state = states.get(address_id)
        if state is None:
            continue
        on = aid["on"]
        reason = aid.get("excluded")
        if reason is not None:
            if start <= on <= end:
                excluded = rows[state[0]].excluded
                amount = excluded.get(reason)
                if amount is None:
                    amount = excluded[reason] = Amount()
                amount.count += 1
                amount.value += aid["value"]
            continue
        bit = year_bits.get(on)
        if bit is None:
            bit = year_bits[on] = 1 << max(0, int(on[:4]) - base)
        if not state[1]:
            helped_order.append(address_id)
        state[1] |= bit
        if start <= on <= end:
            given = state[2]
            if given is None:
                given = state[2] = {}
                in_period.append(address_id)
            helper_id = aid.get("helper")
            given[helper_id] = given.get(helper_id, 0) + aid["value"]

    # Groups and kinds are gathered per row and counted once per row: Counter.update is slow
    # to call, fast to run.
    groups_of_row: dict[str, list[str]] = {code: [] for code in rows}
    kinds_of_row: dict[str, list[str]] = {code: [] for code in rows}
    active: set[str] = set()
    for address_id in in_period:
        row_code, _years, given = states[address_id]
        row = rows[row_code]
        address = addresses[address_id]
        kinds: set[str] = set()
        by_red_cross = False
        for helper_id in given:
            helper = helper_side.get(helper_id)
            if helper is None:
                kinds.add(NO_HELPER)
            else:
                kinds.add(helper[1])
                active.add(helper_id)
                by_red_cross = by_red_cross or helper[0] == "red_cross"
        if by_red_cross:
            row.red_cross += 1
        else:
            row.outside += 1
        row.people += address["people"]
        row.value += sum(given.values())
        if address["kind"] == "individual":
            row.helped_individuals += 1
        else:
            row.helped_collectives += 1
            row.collective_people += address["people"]
        groups = address.get("groups")
        if groups:
            groups_of_row[row_code].extend(groups)
        else:
            row.ungrouped += 1
        kinds_of_row[row_code].extend(kinds)
    for row_code, row in rows.items():
        row.groups.update(groups_of_row[row_code])
        row.helper_kinds.update(kinds_of_row[row_code])

    for helper_id in active:
        side, _kind, row_code = helper_side[helper_id]
        if row_code is not None:
            rows[row_code].active_helpers[side] += 1

    shown = _shown(children, rows, own)
    years_helped = {address_id: states[address_id][1] for address_id in helped_order}
    years = _year_flows(years_helped, addresses, first_year, last_year)
    return Tally(unit, top["name"], period, shown, Row.total_of(shown), years)


def _rows(tree: UnitTree, unit: str) -> tuple[list[Unit], dict[str, Row], Row]:
    """The unit's children, a row for each and for the unit itself (by code), and that last."""
    top = tree[unit]
    children = tree.children(unit)
    rows: dict[str, Row] = {child["code"]: Row(child["code"], child["name"]) for child in children}
    # A unit with children shows its own addresses in a row of its own when it has some; a unit
    # without children (a commune) is its own only row.
    own = Row(unit, f"{top['name']} (trực tiếp)" if children else top["name"])
    rows[unit] = own
    return children, rows, own


def _shown(children: list[Unit], rows: dict[str, Row], own: Row) -> list[Row]:
    shown = [rows[child["code"]] for child in children]
    if not children or not own.is_empty():
        shown.append(own)
    return shown


def combined(tree: UnitTree, unit: str, period: Period, parts: Iterable[Tally]) -> Tally:
    """The table of `unit` from the tables of its children (`parts`, one per child, each
    counted from that child's records alone), as `tally` counts it from all their records:
    each child's totals are its row, and the year flows add up (an address is under one
    child only). For the central office, which counts one province at a time. `unit`'s own
    records, if it has any, are not in `parts`: its own row stays empty."""
    children, rows, own = _rows(tree, unit)
    years = {year: YearFlow(year) for year in range(period.year_from, period.year_to + 1)}
    for part in parts:
        row = rows[part.unit]
        for attribute in (*_ADDITIVE, "excluded", "groups", "helper_kinds", "helpers",
                          "active_helpers"):  # fmt: skip
            setattr(row, attribute, getattr(part.total, attribute))
        for flow in part.years:
            total = years[flow.year]
            total.helped += flow.helped
            total.new += flow.new
            total.continued += flow.continued
            total.resumed += flow.resumed
            total.stopped += flow.stopped
            total.lapsed += flow.lapsed
    shown = _shown(children, rows, own)
    return Tally(unit, tree[unit]["name"], period, shown, Row.total_of(shown), list(years.values()))


@dataclass
class Figures:
    """Columns 3–8 of one row as counted elsewhere (the derived index), with its live
    addresses and its excluded aid by reason (count, value)."""

    addresses: int = 0
    dossiers: int = 0
    red_cross: int = 0
    outside: int = 0
    people: int = 0
    value: int = 0
    excluded: dict[str, tuple[int, int]] = field(default_factory=dict)


def table_of_figures(
    tree: UnitTree, unit: str, period: Period, figures: Mapping[str, Figures]
) -> Tally:
    """The table of `unit` from figures counted per row (`tree.row_of(unit)`'s rows), with
    the rows and the names `tally` gives: a table, not the annexes (`complete` is False)."""
    children, rows, own = _rows(tree, unit)
    for code, counted in figures.items():
        row = rows[code]
        row.addresses, row.dossiers = counted.addresses, counted.dossiers
        row.red_cross, row.outside = counted.red_cross, counted.outside
        row.people, row.value = counted.people, counted.value
        row.excluded = {reason: Amount(n, value) for reason, (n, value) in counted.excluded.items()}
    shown = _shown(children, rows, own)
    return Tally(unit, tree[unit]["name"], period, shown, Row.total_of(shown), [], complete=False)


def helped_addresses(data: Dataset, period: Period) -> set[str]:
    """Ids of the live addresses *helped* in the period, exactly as `tally` counts them.

    An address is helped when it has at least one aid record that is not a tombstone, not
    excluded, and dated within the period (both ends included). Tombstoned addresses are left
    out. The award scores use this so that "helped" means one thing everywhere.
    """
    live = {a["id"] for a in data.addresses if not a.get("deleted")}
    start, end = period.start, period.end
    return {
        aid["address"]
        for aid in data.aid
        if not aid.get("deleted")
        and aid.get("excluded") is None
        and start <= aid["on"] <= end
        and aid["address"] in live
    }


def _year_flows(
    years_helped: dict[str, int], addresses: dict[str, dict], first: int, last: int
) -> list[YearFlow]:
    """The year flows from each address's years helped, a bitmask: bit 0 stands for any year
    up to `first` − 2, bit n for the year `first` − 2 + n."""
    base = first - 2
    flows = [YearFlow(year) for year in range(first, last + 1)]
    # Addresses helped in the same years count alike: each pattern of years is looked at once.
    for mask, count in Counter(years_helped.values()).items():
        earliest = (mask & -mask).bit_length() - 1 + base  # ≤ base: before every flow's year
        for flow in flows:
            bit = flow.year - base
            if mask >> bit & 1:
                flow.helped += count
                if flow.year == earliest:
                    flow.new += count
                elif mask >> (bit - 1) & 1:
                    flow.continued += count
                else:
                    flow.resumed += count
    # Stopped in Y: the stop date is in Y, helped that year or not (in the addresses' order).
    by_year = {flow.year: flow for flow in flows}
    for address_id, address in addresses.items():
        stopped_on = address.get("stopped_on")
        flow = by_year.get(int(stopped_on[:4])) if stopped_on else None
        if flow is not None:
            reason = address.get("stop_reason") or NO_STOP_REASON
            stopped = StoppedAddress(address_id, address["name"], address["unit"], reason)
            flow.stopped.append(stopped)
    # Helped in Y − 1 and not in Y: bit j of `lapses` is the year `first` + j. Each year's list
    # follows the order in which the addresses' first counted aid comes in the records.
    span = (1 << len(flows)) - 1
    for address_id, mask in years_helped.items():
        lapses = (mask >> 1) & ~(mask >> 2) & span
        if not lapses:
            continue
        address = addresses[address_id]
        stopped_on = address.get("stopped_on")
        stop_year = int(stopped_on[:4]) if stopped_on else None
        while lapses:
            lowest = lapses & -lapses
            flow = flows[lowest.bit_length() - 1]
            lapses ^= lowest
            if stop_year is None or stop_year > flow.year:
                flow.lapsed.append(
                    StoppedAddress(address_id, address["name"], address["unit"], NOT_HELPED)
                )
    return flows
