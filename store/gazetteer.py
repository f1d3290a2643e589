"""The official lists of administrative units, shipped with the program.

Two lists, each giving an office its unit tree at `init`:

- **2019**: the GSO list of 01/12/2019 (the units of 2018): 63 provinces, each with its
  district-level units and their communes, wards and towns. Its codes are the GSO codes, bare:
  every store made before the 2025 list existed uses them.
- **2025**: the units in force since 01/07/2025: 34 provinces, each with its communes, wards and
  special zones (xã, phường, đặc khu) directly under it, no district level (package data from
  `vietnamadminunits`, MIT: see packaging/units/build_units_2025.py). The GSO reused codes
  between the lists (80 is Long An in 2019 and Tây Ninh in 2025; the ward 00004 is Trúc Bạch in
  2019, Ba Đình in 2025), and one store may hold both trees, so within the program a 2025 unit's
  code carries the list: «80-2025», «00004-2025». `official_code` gives back the GSO's.

Which list a code belongs to is read off the code (`list_of`); only the root above the
provinces, «VN», is the same in both.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from campaign.records import Unit
from store import strict_json

LISTS = ("2019", "2025")
LIST_2025 = "2025"
_SUFFIX_2025 = "-2025"
# Tây Ninh, the province of the seed plan, in each list (the 2025 one is Long An and Tây Ninh).
DEFAULT_PROVINCES = {"2019": "72", "2025": "80"}
DEFAULT_PROVINCE = DEFAULT_PROVINCES["2019"]
# The root above the provinces: the office of the central Red Cross. Not a GSO code (those are
# digits), so it can never clash with one.
NATIONAL = "VN"
NATIONAL_UNIT: Unit = {"code": NATIONAL, "name": "Việt Nam", "kind": "national", "parent": None}

_DISTRICT_TYPES = frozenset({"Huyện", "Quận", "Thị xã", "Thành phố"})
_COMMUNE_TYPES = {"2019": frozenset({"Xã", "Phường", "Thị trấn"}),
                  "2025": frozenset({"Xã", "Phường", "Đặc khu"})}  # fmt: skip
_FILES = {"2019": "vn-admin-units-2019.json", "2025": "vn-admin-units-2025.json"}


def store_code(official: str, units: str) -> str:
    """The program's code for the GSO code `official` of list `units`."""
    return official + _SUFFIX_2025 if units == LIST_2025 and official != NATIONAL else official


def official_code(code: str) -> str:
    """The GSO's code of a unit: «80» for «80-2025»."""
    return code.removesuffix(_SUFFIX_2025)


def list_of(code: str) -> str:
    """«2025» for a unit of the 2025 list, else «2019» (the root «VN» included)."""
    return LIST_2025 if code.endswith(_SUFFIX_2025) else "2019"


@cache
def _national(units: str) -> list[dict]:
    # Package data, read through importlib.resources: found in the tree, a wheel or a zip alike.
    payload = resources.files("store").joinpath("data", _FILES[units]).read_bytes()
    # Laid out with indents, not as orjson writes: the strict second pass runs (about 12 ms).
    provinces = strict_json.loads(payload)["provinces"]
    if units == LIST_2025:  # one level: the communes straight under the province
        for province in provinces:
            province["districts"] = [{"code": None, "communes": province.pop("communes")}]
    return provinces


def provinces(units: str = "2019") -> list[tuple[str, str]]:
    """(code, name) of the provinces and centrally-run cities: 63 in 2019, 34 in 2025."""
    return [(store_code(p["code"], units), p["name"]) for p in _national(units)]


def province_units(code: str) -> list[Unit]:
    """The units of one province in GSO order: the province, then each district and its
    communes (2019), or the communes straight under it (2025)."""
    units = list_of(code)
    official = official_code(code)
    for province in _national(units):
        if province["code"] == official:
            break
    else:
        raise KeyError(code)
    tree: list[Unit] = [
        {"code": code, "name": province["name"], "kind": "province", "parent": None}
    ]
    for district in province["districts"]:
        parent = code
        if district["code"] is not None:
            assert district["type"] in _DISTRICT_TYPES, district
            parent = store_code(district["code"], units)
            tree.append({"code": parent, "name": district["name"], "kind": "district",
                         "parent": code})  # fmt: skip
        for commune in district["communes"]:
            assert commune["type"] in _COMMUNE_TYPES[units], commune
            tree.append({"code": store_code(commune["code"], units), "name": commune["name"],
                         "kind": "commune", "parent": parent})  # fmt: skip
    return tree


@cache
def _province_index() -> dict[str, str]:
    index = {}
    for units in LISTS:
        for code, _name in provinces(units):
            for unit in province_units(code):
                index[unit["code"]] = code
    return index


def province_of(unit_code: str) -> str | None:
    """The code of the province a unit code belongs to (in the unit's own list), or None if
    the code is unknown."""
    return _province_index().get(unit_code)


def tree_of(unit_code: str, units: str = "2019") -> list[Unit] | None:
    """The units an office of `unit_code` starts with: its province's, or for the central
    office (`units` says which list) the whole country under the root; None for a code the
    lists do not hold."""
    if unit_code == NATIONAL:
        return national_units(units)
    province = province_of(unit_code)
    return None if province is None else province_units(province)


def national_units(units: str = "2019") -> list[Unit]:
    """The root, then every province (its parent the root) with its districts and communes."""
    tree = [dict(NATIONAL_UNIT)]
    for unit in all_units(units):
        tree.append({**unit, "parent": NATIONAL} if unit["parent"] is None else unit)
    return tree  # type: ignore[return-value]


def all_units(units: str = "2019") -> list[Unit]:
    """Every unit of the country in one list (about 11,800 in 2019, 3,355 in 2025)."""
    return [unit for code, _name in provinces(units) for unit in province_units(code)]


# ------------------------------------------------------------------ the 2025 reform of units

# The day the units of the 2025 list took over (Nghị quyết 202/2025/QH15 and those after it).
REFORM_DAY = "2025-07-01"


@cache
def _conversion() -> dict:
    payload = resources.files("store").joinpath("data", "vn-units-2024-to-2025.json").read_bytes()
    return strict_json.loads(payload)


def successors(code: str) -> list[str]:
    """The 2025 units a 2019 unit went to: one for a province, a commune (or one merged into
    it by 2024) or an island district that went whole, several for a commune divided among
    new ones, none for a district (the level is gone) or a code the table does not know (a
    commune merged away between 2019 and 2024). Program codes («…-2025»)."""
    table = _conversion()
    if code in table["provinces"]:
        found = [table["provinces"][code]]
    elif code in table["communes"]:
        found = [table["communes"][code]]
    elif code in table["divided"]:
        found = table["divided"][code]
    elif code in table["districts"]:
        found = [table["districts"][code]]
    else:
        found = []
    return [store_code(new, LIST_2025) for new in found]


@cache
def _predecessor_index() -> dict[str, tuple[str, ...]]:
    table = _conversion()
    found: dict[str, list[str]] = {}
    for part in ("provinces", "communes", "districts"):
        for old, new in table[part].items():
            found.setdefault(store_code(new, LIST_2025), []).append(old)
    for old, news in table["divided"].items():
        for new in news:
            found.setdefault(store_code(new, LIST_2025), []).append(old)
    return {new: tuple(sorted(olds)) for new, olds in found.items()}


def predecessors(code: str) -> tuple[str, ...]:
    """The 2019 units that went, whole or in part, to the 2025 unit `code`: the inverse of
    `successors` (an office of a new commune keeps, for a while, records of the old ones)."""
    return _predecessor_index().get(code, ())
