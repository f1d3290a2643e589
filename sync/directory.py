"""Directory bundles: the units and enrolled keys the province sends down, checked and applied.

An office accepts a directory only when the pinned province key signed it and its revision
is higher than the one it holds. It keeps the keys it enrolled itself and every revocation it
knows of, and refuses a directory that would leave records of the store without their unit.
directory.json is read strictly (store/strict_json.py): a key twice is refused, and `version`
and `revision` are JSON integers.
"""

from __future__ import annotations

import re
from datetime import date

import orjson

from campaign.text import nfc
from campaign.units import UnitTree, case_clashes
from campaign.validation import Known, check
from store import gazetteer, strict_json
from store.store import Store
from sync import keys, minisign
from sync.errors import BundleRefused
from sync.reader import NOTHING, Bundle

FORMAT = "nhandao-directory"
VERSION = 1
FIELDS = ("format", "version", "revision", "province", "units", "keys")
KEY_FIELDS = ("key", "public", "unit", "enrolled", "by", "revoked")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def content(store: Store) -> tuple[bytes, int]:
    """directory.json of a directory bundle: the office's directory as it is; and the count
    of units (the manifest's record count for it)."""
    directory = {name: store.directory.get(name) for name in FIELDS}
    directory["keys"] = directory["keys"] or []
    if "reform" in store.directory:  # the 2025 units and the province's answers (RECORDS.md)
        directory["reform"] = store.directory["reform"]
    return orjson.dumps(directory, option=orjson.OPT_INDENT_2) + b"\n", len(directory["units"])


def _refuse(detail: str) -> BundleRefused:
    return BundleRefused(
        "directory",
        f"Gói danh mục không dùng được: {detail}. Hãy báo Tỉnh Hội xuất lại gói danh mục. "
        f"{NOTHING}",
    )


def checked(store: Store, found: Bundle) -> dict:
    """The directory the office would hold after accepting this bundle; BundleRefused if not."""
    if not found.signer.is_province:
        pinned = keys.province_key(store)
        hint = (
            "Văn phòng chưa ghim khoá của Tỉnh Hội: hãy ghim bằng «nhandao keys pin TỆP» "
            "(tệp office.pub của Tỉnh Hội, đối chiếu dấu vân tay qua điện thoại)."
            if pinned is None
            else f"Chỉ nhận gói danh mục ký bằng khoá đã ghim của Tỉnh Hội ({pinned.id_text}); "
            "hãy xin Tỉnh Hội gửi gói danh mục của chính họ."
        )
        raise BundleRefused(
            "directory-signer",
            f"Gói danh mục này do {store.units.name(found.sender)} ({found.sender}) ký, không "
            f"phải Tỉnh Hội. {hint} {NOTHING}",
        )
    if found.manifest["to"] is not None:
        raise _refuse("gói danh mục gửi cho mọi văn phòng, «to» phải là null")
    try:
        incoming = strict_json.loads(found.files["directory.json"], written=strict_json.indented)
    except strict_json.StrictJSONError as error:
        raise _refuse(f"trong tệp directory.json, {error.msg}") from None
    except orjson.JSONDecodeError:
        raise _refuse("tệp directory.json không phải JSON hợp lệ") from None
    if not isinstance(incoming, dict) or set(incoming) - {"reform"} != set(FIELDS):
        raise _refuse(f"directory.json phải có đúng các mục {', '.join(FIELDS)} (và «reform»)")
    if incoming["version"].__class__ is not int:  # true, 1.0
        raise _refuse("«version» của directory.json phải là một số nguyên")
    if incoming["format"] != FORMAT or incoming["version"] != VERSION:
        raise _refuse(f"directory.json phải có «format» {FORMAT} và «version» {VERSION}")
    reform = _reform(incoming.get("reform"))
    held = store.directory["province"]
    province = incoming["province"]
    # An office made on the 2025 list takes the directory of its province moved to it.
    if held not in (province, reform and reform["province"]):
        raise _refuse(f"danh mục của tỉnh «{province}», không phải của tỉnh {held}")
    revision, held = incoming["revision"], int(store.directory.get("revision", 0))
    if revision.__class__ is not int or revision < 0:  # never true (an int in Python) or 1.0
        raise _refuse("«revision» phải là số nguyên không âm")
    if revision <= held:
        raise BundleRefused(
            "older-directory",
            f"Gói danh mục có số hiệu {revision}, không mới hơn danh mục văn phòng đang dùng "
            f"(số hiệu {held}). Văn phòng giữ danh mục hiện có; hãy nhập gói danh mục mới nhất "
            f"của Tỉnh Hội. {NOTHING}",
        )
    roots = list(dict.fromkeys([province, *([reform["province"]] if reform else [])]))
    units = _units(incoming["units"], roots)
    if reform is not None:
        codes = {unit["code"] for unit in units}
        if not all(row[3] in codes for row in reform["answers"]):
            raise _refuse("«reform» chọn một đơn vị không có trong danh mục")
    _keep_every_owner(store, units)
    entries = _keys(incoming["keys"], units)
    merged = keys.merged_keys(store.directory.get("keys") or [], entries, store.office.unit)
    updated = {"format": FORMAT, "version": VERSION, "revision": revision,
               "province": province, "units": units, "keys": merged}  # fmt: skip
    if reform is not None:
        updated["reform"] = reform
    return updated


def _reform(reform: object) -> dict | None:
    """The «reform» of a province moved to the 2025 units: the new province, and the answers
    it gave to the questions of its migration (store/reform.py), for its offices to use."""
    if reform is None:
        return None
    if not isinstance(reform, dict) or set(reform) != {"list", "province", "answers"}:
        raise _refuse("«reform» phải có đúng các mục list, province, answers")
    province = reform["province"]
    if (
        reform["list"] != gazetteer.LIST_2025
        or not isinstance(province, str)
        or gazetteer.province_of(province) != province
        or gazetteer.list_of(province) != gazetteer.LIST_2025
    ):
        raise _refuse("«reform» phải nêu một tỉnh của danh mục năm 2025")
    answers = reform["answers"]
    if not isinstance(answers, list) or not all(
        isinstance(row, list) and len(row) == 4 and all(isinstance(c, str) for c in row)
        for row in answers
    ):
        raise _refuse("mỗi lựa chọn trong «reform» gồm đúng bốn chuỗi")
    return {"list": reform["list"], "province": province,
            "answers": [[nfc(cell) for cell in row] for row in answers]}  # fmt: skip


def _units(units: object, roots: list[str]) -> list[dict]:
    if not isinstance(units, list) or not units:
        raise _refuse("«units» phải là danh sách đơn vị")
    by_code: dict[str, dict] = {}
    for unit in units:
        if not isinstance(unit, dict) or set(unit) != {"code", "name", "kind", "parent"}:
            raise _refuse("mỗi đơn vị có đúng các mục code, name, kind, parent")
        if isinstance(unit["code"], str):
            by_code.setdefault(unit["code"], unit)
    known = Known(units=by_code, today=date.max)
    cleaned = []
    for unit in units:
        record, problems = check("unit", unit, known)
        if problems or record is None:
            raise _refuse(problems[0].message if problems else "một đơn vị không hợp lệ")
        cleaned.append(record)
    if clashes := case_clashes(u["code"] for u in cleaned):
        code, other = next(iter(clashes.items()))
        raise _refuse(f"mã đơn vị «{code}» chỉ khác «{other}» ở chữ hoa, chữ thường")
    try:
        tree = UnitTree(cleaned)  # type: ignore[arg-type]
    except ValueError:
        raise _refuse("một mã đơn vị có hai lần") from None
    for root in roots:
        if root not in tree or tree[root]["parent"] is not None:
            raise _refuse(f"danh mục thiếu đơn vị gốc {root}")
    if sorted(u["code"] for u in cleaned if u["parent"] is None) != sorted(roots):
        raise _refuse("danh mục có đơn vị không thuộc tỉnh")
    return cleaned


def _keep_every_owner(store: Store, units: list[dict]) -> None:
    """Refuse a directory that would orphan records held here."""
    codes = {u["code"] for u in units}
    codes |= {r["code"] for r in store.records("unit") if r.get("parent") in codes}
    owners = {path.stem for path in store.files()} | {store.office.unit}
    lost = sorted(owners - codes)
    if lost:
        names = ", ".join(f"{store.units.name(c)} ({c})" for c in lost if c in store.units)
        raise _refuse(
            f"danh mục mới bỏ mất đơn vị {names or ', '.join(lost)} mà kho đang giữ dữ liệu"
        )


def _keys(entries: object, units: list[dict]) -> list[dict]:
    if not isinstance(entries, list):
        raise _refuse("«keys» phải là danh sách khoá")
    codes = {u["code"] for u in units}
    seen = set()
    for entry in entries:
        if not isinstance(entry, dict) or set(entry) != set(KEY_FIELDS):
            raise _refuse(f"mỗi khoá có đúng các mục {', '.join(KEY_FIELDS)}")
        try:
            public = minisign.parse_public_key(str(entry["public"]))
        except minisign.MinisignError:
            raise _refuse(f"khoá «{entry['key']}» không đọc được") from None
        if public.id_text != entry["key"] or entry["key"] in seen:
            raise _refuse(f"mã khoá «{entry['key']}» không khớp với khoá hoặc bị lặp")
        seen.add(entry["key"])
        if entry["unit"] not in codes or entry["by"] not in codes:
            raise _refuse(f"khoá {entry['key']} đăng ký cho đơn vị không có trong danh mục")
        days = [entry["enrolled"], *([entry["revoked"]] if entry["revoked"] is not None else [])]
        if not all(isinstance(d, str) and _ISO_DAY.fullmatch(d) for d in days):
            raise _refuse(f"ngày đăng ký hoặc thu hồi của khoá {entry['key']} không hợp lệ")
    return [dict(entry) for entry in entries]
