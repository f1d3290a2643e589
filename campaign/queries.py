"""What the interface asks of the records: an address's status, its aid, who is due a review.

Records are stored documents (fields that are None or False may be absent: read with `.get()`);
tombstones are never returned.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

STATUS_LABELS = {
    "active": "Đang trợ giúp",
    "stopped": "Đã dừng",
    "surveyed": "Mới khảo sát",
}


def status(address: Mapping) -> str:
    """«stopped» once help stopped, «active» with a dossier, else «surveyed»."""
    if address.get("stopped_on"):
        return "stopped"
    return "active" if address.get("dossier_on") else "surveyed"


def is_active(address: Mapping, year: int) -> bool:
    """An address is active in a year when its dossier was opened by the end of that year and
    its help had not stopped before the year began."""
    dossier, stopped = address.get("dossier_on"), address.get("stopped_on")
    return (
        bool(dossier)
        and dossier <= f"{year:04d}-12-31"
        and not (stopped and stopped < f"{year:04d}-01-01")
    )


def live(records: Iterable[Mapping]) -> list[Mapping]:
    return [r for r in records if not r.get("deleted")]


def aid_by_address(aid: Iterable[Mapping]) -> dict[str, list[Mapping]]:
    """Live aid records of each address, oldest first."""
    grouped: dict[str, list[Mapping]] = defaultdict(list)
    for record in aid:
        if not record.get("deleted"):
            grouped[record["address"]].append(record)
    for records in grouped.values():
        records.sort(key=lambda r: r["on"])
    return dict(grouped)


def last_aid_on(aid: Iterable[Mapping]) -> dict[str, str]:
    """The date (ISO) of each address's latest live aid, counted or not."""
    latest: dict[str, str] = {}
    for record in aid:
        if record.get("deleted"):
            continue
        address, on = record["address"], record["on"]
        if on > latest.get(address, ""):
            latest[address] = on
    return latest


def reviewed_in(reviews: Iterable[Mapping], year: int) -> set[str]:
    """Addresses with a live review of `year`."""
    return {r["address"] for r in reviews if r["year"] == year and not r.get("deleted")}


def due_for_review(
    addresses: Iterable[Mapping], reviews: Iterable[Mapping], year: int
) -> list[Mapping]:
    """Live addresses active in `year` that have no review of that year yet."""
    done = reviewed_in(reviews, year)
    return [
        a for a in addresses if not a.get("deleted") and is_active(a, year) and a["id"] not in done
    ]


@dataclass(frozen=True)
class YearFigures:
    """Addresses helped and counted aid in đồng over one year."""

    helped: int
    value: int


def year_figures(addresses: Iterable[Mapping], aid: Iterable[Mapping], year: int) -> YearFigures:
    """Helped addresses and counted aid (not excluded) of `year`, among `addresses`."""
    ids = {a["id"] for a in addresses if not a.get("deleted")}
    prefix = f"{year:04d}-"
    helped: set[str] = set()
    value = 0
    for record in aid:
        if (
            record.get("deleted")
            or record.get("excluded")
            or record["address"] not in ids
            or not record["on"].startswith(prefix)
        ):
            continue
        helped.add(record["address"])
        value += record["value"]
    return YearFigures(len(helped), value)


def aid_without_helper(
    addresses: Iterable[Mapping], aid: Iterable[Mapping], helpers: Mapping[str, Mapping]
) -> Counter[str]:
    """Live aid records of `addresses` with no helper, or a helper that was deleted: how many
    each address has (those without any are left out)."""
    ids = {a["id"] for a in addresses if not a.get("deleted")}
    found: Counter[str] = Counter()
    for record in aid:
        if record.get("deleted") or record["address"] not in ids:
            continue
        helper = helpers.get(record.get("helper") or "")
        if helper is None or helper.get("deleted"):
            found[record["address"]] += 1
    return found
