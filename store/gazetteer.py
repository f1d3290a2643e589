"""The official list of administrative units (GSO, 01/12/2019), shipped with the program.

It gives every office its unit tree at `init`: the province, its district-level units and
their communes, wards and towns, in the GSO's order, with the GSO codes.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from campaign.records import Unit
from store import strict_json

DEFAULT_PROVINCE = "72"  # Tây Ninh, the province of the seed plan
# The root above the provinces: the office of the central Red Cross. Not a GSO code (those are
# digits), so it can never clash with one.
NATIONAL = "VN"
NATIONAL_UNIT: Unit = {"code": NATIONAL, "name": "Việt Nam", "kind": "national", "parent": None}

_DISTRICT_TYPES = frozenset({"Huyện", "Quận", "Thị xã", "Thành phố"})
_COMMUNE_TYPES = frozenset({"Xã", "Phường", "Thị trấn"})


@cache
def _national() -> list[dict]:
    # Package data, read through importlib.resources: found in the tree, a wheel or a zip alike.
    payload = resources.files("store").joinpath("data", "vn-admin-units-2019.json").read_bytes()
    # Laid out with indents, not as orjson writes: the strict second pass runs (about 12 ms).
    return strict_json.loads(payload)["provinces"]


def provinces() -> list[tuple[str, str]]:
    """(code, name) of the 63 provinces and centrally-run cities."""
    return [(p["code"], p["name"]) for p in _national()]


def province_units(code: str) -> list[Unit]:
    """The units of one province in GSO order: the province, then each district and its communes."""
    for province in _national():
        if province["code"] == code:
            break
    else:
        raise KeyError(code)
    units: list[Unit] = [
        {"code": code, "name": province["name"], "kind": "province", "parent": None}
    ]
    for district in province["districts"]:
        assert district["type"] in _DISTRICT_TYPES, district
        units.append(
            {"code": district["code"], "name": district["name"], "kind": "district", "parent": code}
        )
        for commune in district["communes"]:
            assert commune["type"] in _COMMUNE_TYPES, commune
            units.append(
                {
                    "code": commune["code"],
                    "name": commune["name"],
                    "kind": "commune",
                    "parent": district["code"],
                }
            )
    return units


@cache
def _province_index() -> dict[str, str]:
    index = {}
    for province in _national():
        index[province["code"]] = province["code"]
        for district in province["districts"]:
            index[district["code"]] = province["code"]
            for commune in district["communes"]:
                index[commune["code"]] = province["code"]
    return index


def province_of(unit_code: str) -> str | None:
    """The code of the province a GSO unit code belongs to, or None if the code is unknown."""
    return _province_index().get(unit_code)


def tree_of(unit_code: str) -> list[Unit] | None:
    """The units an office of `unit_code` starts with: its province's, or for the central
    office the whole country under the root; None for a code the list does not hold."""
    if unit_code == NATIONAL:
        return national_units()
    province = province_of(unit_code)
    return None if province is None else province_units(province)


def national_units() -> list[Unit]:
    """The root, then every province (its parent the root) with its districts and communes."""
    units = [dict(NATIONAL_UNIT)]
    for unit in all_units():
        units.append({**unit, "parent": NATIONAL} if unit["parent"] is None else unit)
    return units  # type: ignore[return-value]


def all_units() -> list[Unit]:
    """Every unit of the country (about 11,800)."""
    return [unit for code, _name in provinces() for unit in province_units(code)]
