"""A clean-room re-computation of the summary table (Bảng tổng hợp), for tests only.

Written from the specification alone (docs: DOMAIN.md, "The summary table"), never from
campaign/tally.py, so that the two can be compared. It favours being obviously right over being
fast: every row re-reads every record.

Input is a records file as a dict (`{"format": "nhandao-records", "units": [...], ...}`); the unit
directory is the official Tây Ninh tree (GSO list of 2019, read from the package's data file)
followed by the units the file adds, in file order.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from functools import cache
from pathlib import Path

PROVINCE = "72"  # Tây Ninh
TOTAL_NAME = "Tổng cộng"
# The name the program gives the row of a unit's own addresses (those not in any child).
# docs/RECORDS.md, "What the summary table counts".
OWN_ROW_SUFFIX = " (trực tiếp)"
COLUMNS = ("3", "4", "5", "6", "7", "8")
GAZETTEER = Path(__file__).resolve().parent.parent / "store" / "data" / "vn-admin-units-2019.json"


def tidy(text: str) -> str:
    """NFC with runs of spaces folded to one and the ends trimmed, as the program stores text."""
    return " ".join(unicodedata.normalize("NFC", text).split())


@cache
def official_units(province: str = PROVINCE) -> tuple[dict, ...]:
    """The province, then each district followed by its communes, in the GSO file's order."""
    with GAZETTEER.open(encoding="utf-8") as handle:
        provinces = json.load(handle)["provinces"]
    (found,) = [p for p in provinces if p["code"] == province]
    units = [{"code": found["code"], "name": found["name"], "kind": "province", "parent": None}]
    for district in found["districts"]:
        units.append(
            {
                "code": district["code"],
                "name": district["name"],
                "kind": "district",
                "parent": found["code"],
            }
        )
        for commune in district.get("communes", []):
            units.append(
                {
                    "code": commune["code"],
                    "name": commune["name"],
                    "kind": "commune",
                    "parent": district["code"],
                }
            )
    return tuple(units)


def directory(records: dict) -> list[dict]:
    """Every unit, official ones first, then the file's (a file unit with an official code
    replaces it in place)."""
    units = {unit["code"]: dict(unit) for unit in official_units()}
    for unit in records.get("units") or []:
        units[unit["code"]] = {**unit, "name": tidy(unit["name"])}
    return list(units.values())


def _day(text: str) -> date:
    return date.fromisoformat(text.strip())


def _live(records: dict, collection: str) -> list[dict]:
    """The records of a collection that are not tombstones."""
    return [r for r in records.get(collection) or [] if r.get("deleted") is not True]


def summary(
    records: dict, unit: str = PROVINCE, year_from: int = 2008, year_to: int = 2018
) -> list[dict]:
    """The summary rows for `unit` over [year_from, year_to], then the totals row."""
    units = directory(records)
    by_code = {u["code"]: u for u in units}
    first, last = date(year_from, 1, 1), date(year_to, 12, 31)

    def within(code: str, top: str) -> bool:
        """True when unit `code` is `top` or lies anywhere below it."""
        while code is not None:
            if code == top:
                return True
            code = by_code[code]["parent"] if code in by_code else None
        return False

    addresses = _live(records, "addresses")
    helpers = {h["id"]: h for h in _live(records, "helpers")}
    aid = _live(records, "aid")

    def row(code: str, name: str, covers) -> dict:
        mine = [a for a in addresses if covers(a["unit"])]
        with_dossier = [
            a for a in mine if a.get("dossier_on") is not None and _day(a["dossier_on"]) <= last
        ]
        red_cross = outside = people = value = 0
        for address in mine:
            counted = [
                x
                for x in aid
                if x["address"] == address["id"]
                and x.get("excluded") is None
                and first <= _day(x["on"]) <= last
            ]
            if not counted:
                continue
            by_red_cross = any(
                x.get("helper") in helpers and helpers[x["helper"]]["side"] == "red_cross"
                for x in counted
            )
            if by_red_cross:
                red_cross += 1
            else:
                outside += 1
            people += address["people"]
            value += sum(x["value"] for x in counted)
        return {
            "unit": code,
            "name": name,
            "3": len(with_dossier),
            "4": red_cross,
            "5": outside,
            "6": red_cross + outside,
            "7": people,
            "8": value,
        }

    rows = [
        row(child["code"], child["name"], lambda code, top=child["code"]: within(code, top))
        for child in units
        if child["parent"] == unit
    ]
    # Addresses kept by the unit itself (not by any child) get a row of their own after the
    # children; a unit without children is its own only row, under its own name.
    if not rows:
        rows.append(row(unit, by_code[unit]["name"], lambda code: code == unit))
    elif any(a["unit"] == unit for a in addresses):
        rows.append(row(unit, by_code[unit]["name"] + OWN_ROW_SUFFIX, lambda code: code == unit))
    totals = {"unit": None, "name": TOTAL_NAME}
    for column in COLUMNS:
        totals[column] = sum(r[column] for r in rows)
    return [*rows, totals]
