"""Who a document comes from, where it is dated, who signs it and who receives it.

Every document of a unit (the report, the summary workbook, the awards workbook) takes its
header block, date line, signature block and «Nơi nhận» from here, so that the documents of
one unit always agree.

The office's settings (office.json) may set, all optionally:

- `organisation`, `province_name`: the province chapter's name and place (as before);
- `place`: the place of the date line of the office's own unit (default: the unit's locality,
  «Tân Biên» for «Huyện Tân Biên»);
- `signer_name`: the name printed under the chairman's signature (default: a dotted line);
- `signer_title`, `signing_for`: «CHỦ TỊCH» and «TM. BAN THƯỜNG VỤ» unless set otherwise
  (a deputy signs «KT. CHỦ TỊCH» / «PHÓ CHỦ TỊCH»);
- `preparer_name`: the name under «NGƯỜI LẬP BẢNG» (default: a dotted line);
- `recipients`: the lines of «Nơi nhận» of the office's own documents (default per level; the
  province's is the list of Kế hoạch 61/KH-CTĐ with the central Red Cross first);
- `basis`: the documents the report cites first (default, for the 2008–2018 review: the central
  Red Cross's Hướng dẫn 250/TUHCTĐ and the province's plan, `plan_reference`).

These apply to the office's own unit (`office_unit`, which `Office.document_settings` adds);
without it, to the root of the tree. Documents of other units use the defaults.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from campaign.dates import Period, official_date_line
from campaign.text import nfc
from campaign.units import UnitTree

CENTRAL_RED_CROSS = "TRUNG ƯƠNG HỘI CHỮ THẬP ĐỎ VIỆT NAM"
GUIDANCE_250 = (
    "Hướng dẫn số 250/TUHCTĐ ngày 06/9/2018 của Trung ương Hội Chữ thập đỏ Việt Nam về tổng kết "
    "10 năm triển khai thực hiện Cuộc vận động “Mỗi tổ chức, mỗi cá nhân gắn với một địa chỉ "
    "nhân đạo” và các mô hình công tác xã hội nhân đạo, giai đoạn 2008-2018"
)
REVIEW_2008_2018 = Period(2008, 2018)
# Kế hoạch 61/KH-CTĐ's own «Nơi nhận», with the central Red Cross first: a report goes up.
PROVINCE_RECIPIENTS = (
    "Trung ương Hội Chữ thập đỏ Việt Nam",
    "Tỉnh ủy",
    "UBND tỉnh",
    "BDV Tỉnh ủy",
    "Thường trực Tỉnh Hội",
    "Các huyện, thành ủy",
    "UBND các huyện, thành phố",
    "Hội CTĐ các huyện, thành phố",
    "Phòng, ban Tỉnh Hội",
    "Các đơn vị trực thuộc Tỉnh Hội",
    "CVP Tỉnh Hội",
)
# The same for a province of the 2025 list, which has communes where it had districts.
PROVINCE_RECIPIENTS_2025 = (
    *PROVINCE_RECIPIENTS[:5],
    "Đảng ủy, UBND các xã, phường, đặc khu",
    "Hội CTĐ các xã, phường, đặc khu",
    *PROVINCE_RECIPIENTS[8:],
)
FILED = "Lưu: VT"
DOTS = "……………………………"
_PLACE_PREFIXES = (
    "Tỉnh ", "Thành phố ", "Thị xã ", "Huyện ", "Thị trấn ", "Xã ", "Quận ", "Đặc khu ",
)  # fmt: skip
# Places whose bare name is a person's: the date line keeps the word before it.
_NAMED_AFTER_PEOPLE = frozenset({"Hồ Chí Minh"})


@dataclass(frozen=True)
class Letterhead:
    """The fixed parts of one unit's documents."""

    superior: str  # the header's first line: the body above the issuer, in capitals
    chapter: str  # the issuer, in capitals: «HỘI CHỮ THẬP ĐỎ HUYỆN TÂN BIÊN»
    chapter_text: str  # the issuer inside a sentence: «Hội Chữ thập đỏ huyện Tân Biên»
    place: str
    signing_for: str
    signer_title: str
    signer_name: str  # "" when not set: the documents leave a dotted line
    preparer_name: str
    recipients: tuple[str, ...]
    basis: tuple[str, ...]

    def date_line(self, on: date) -> str:
        """«Tân Biên, ngày 02 tháng 12 năm 2026»."""
        return official_date_line(self.place, on)

    @property
    def recipient_lines(self) -> list[str]:
        """«Nơi nhận» as printed: «- Tỉnh ủy;» …, the last «- Lưu: VT.»."""
        lines = [line.lstrip("-–• ").rstrip(";. ") for line in self.recipients]
        lines = [line for line in lines if line]
        if not (lines and lines[-1].startswith("Lưu")):
            lines.append(FILED)
        return [f"- {line};" for line in lines[:-1]] + [f"- {lines[-1]}."]

    def signature(self) -> list[str]:
        """The unit's signature block, top to bottom: «TM. BAN THƯỜNG VỤ», «CHỦ TỊCH», then the
        name (after the room left for the signature) or a dotted line."""
        return [self.signing_for, self.signer_title, self.signer_name or DOTS]

    def preparer(self) -> list[str]:
        return ["NGƯỜI LẬP BẢNG", self.preparer_name or DOTS]


def letterhead(
    tree: UnitTree, code: str, settings: Mapping[str, Any], period: Period | None = None
) -> Letterhead:
    """The letterhead of unit `code`, with the office's settings where they apply to it."""
    own = code == settings.get("office_unit", _root(tree, code))
    mine: Mapping[str, Any] = settings if own else {}
    return Letterhead(
        superior=superior_name(tree, code, settings),
        chapter=chapter_name(tree, code, settings),
        chapter_text=chapter_in_text(tree, code),
        place=_setting(mine, "place") or place_name(tree, code, settings),
        signing_for=_setting(mine, "signing_for") or "TM. BAN THƯỜNG VỤ",
        signer_title=_setting(mine, "signer_title") or "CHỦ TỊCH",
        signer_name=_setting(mine, "signer_name"),
        preparer_name=_setting(mine, "preparer_name"),
        recipients=_lines(mine, "recipients") or default_recipients(tree, code),
        basis=_lines(mine, "basis") or default_basis(tree, code, settings, period),
    )


def _root(tree: UnitTree, code: str) -> str:
    return [tree[code], *tree.ancestors(code)][-1]["code"]


def _setting(settings: Mapping[str, Any], key: str) -> str:
    value = settings.get(key)
    return nfc(value).strip() if isinstance(value, str) else ""


def _lines(settings: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = settings.get(key)
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list):
        return ()
    return tuple(nfc(line).strip() for line in value if isinstance(line, str) and line.strip())


def default_recipients(tree: UnitTree, code: str) -> tuple[str, ...]:
    """«Nơi nhận» unless the settings say otherwise: the body above (to report to), the local
    Party committee and People's Committee, the chapters below, the file copy."""
    unit = tree[code]
    if unit["kind"] == "province":
        return PROVINCE_RECIPIENTS_2025 if tree.is_two_level(code) else PROVINCE_RECIPIENTS
    if unit["parent"] not in tree:
        return PROVINCE_RECIPIENTS
    above = chapter_in_text(tree, unit["parent"])
    if unit["kind"] == "district":
        local = _locality(unit["name"])
        return (
            f"{above} (để báo cáo)",
            f"{_committee(unit['name'])} ủy {local}",
            f"UBND {local}",
            "Hội Chữ thập đỏ các xã, phường, thị trấn",
        )
    if unit["kind"] == "commune":
        local = _locality(unit["name"])
        return (f"{above} (để báo cáo)", f"Đảng ủy {local}", f"UBND {local}")
    return (f"{above} (để báo cáo)",)


def _locality(name: str) -> str:
    """«huyện Tân Biên», «thành phố Tây Ninh», «Phường 1»: the name inside a sentence."""
    for prefix in (*_PLACE_PREFIXES, "Phường "):
        rest = name.removeprefix(prefix)
        if rest != name and not rest.isdigit():
            return prefix.lower() + rest
    return name


def _committee(name: str) -> str:
    # A city's Party committee is «Thành ủy», a town's «Thị ủy», a district's «Huyện ủy».
    for prefix, committee in (("Thành phố ", "Thành"), ("Thị xã ", "Thị"), ("Quận ", "Quận")):
        if name.startswith(prefix):
            return committee
    return "Huyện"


def default_basis(
    tree: UnitTree, code: str, settings: Mapping[str, Any], period: Period | None
) -> tuple[str, ...]:
    """What the report cites first: for the 2008–2018 review, the central guidance and the
    province's plan (`plan_reference`, the plan of Tây Ninh for the demo)."""
    if period is not None and period != REVIEW_2008_2018:
        return ()
    plan = str(settings.get("plan_reference") or "").strip().removeprefix("Kèm theo ")
    return (GUIDANCE_250, *([nfc(plan)] if plan else []))


def chapter_name(tree: UnitTree, code: str, settings: Mapping[str, Any]) -> str:
    """«HỘI CHỮ THẬP ĐỎ THÀNH PHỐ TÂY NINH»: the Red Cross chapter of a unit, in capitals. A
    school or an affiliated unit issues under its own name."""
    unit = tree[code]
    if unit["kind"] == "national":
        return CENTRAL_RED_CROSS
    if unit["kind"] == "province" and settings.get("organisation"):
        return nfc(str(settings["organisation"])).upper()
    if unit["kind"] in ("school", "affiliated"):
        return unit["name"].upper()
    return f"HỘI CHỮ THẬP ĐỎ {unit['name'].upper()}"


def superior_name(tree: UnitTree, code: str, settings: Mapping[str, Any]) -> str:
    """The body above the unit's chapter, as the first line of the header block names it."""
    parent = tree[code]["parent"]
    if tree[code]["kind"] == "national":
        return ""  # the central office is the top: its header names only itself
    if parent is None or parent not in tree:
        return CENTRAL_RED_CROSS
    return chapter_name(tree, parent, settings)


def place_name(tree: UnitTree, code: str, settings: Mapping[str, Any]) -> str:
    """The locality of a unit for its date line («Tây Ninh», «Tân Biên», «Phường 1»).

    Schools and units under a chapter write their parent's locality. A numbered ward keeps its
    «Phường» (a bare number is no place name), and a place named after a person keeps the word
    before it («Thành phố Hồ Chí Minh», as Nghị định 30/2020 writes it)."""
    unit = tree[code]
    if unit["kind"] in ("province", "national") and settings.get("province_name"):
        place = nfc(str(settings["province_name"])).strip()
        return f"Thành phố {place}" if place in _NAMED_AFTER_PEOPLE else place
    if unit["kind"] in ("school", "affiliated") and unit["parent"] in tree:
        return place_name(tree, unit["parent"], settings)
    name = unit["name"]
    for prefix in (*_PLACE_PREFIXES, "Phường "):
        rest = name.removeprefix(prefix)
        if rest != name and not rest.isdigit() and rest not in _NAMED_AFTER_PEOPLE:
            return rest
    return name


def chapter_in_text(tree: UnitTree, code: str) -> str:
    """«Hội Chữ thập đỏ thành phố Tây Ninh»: the chapter's name inside a sentence, where the
    administrative word before a proper name is written in lower case («tỉnh Tây Ninh»,
    «huyện Tân Biên»), but a numbered ward keeps its capital («Phường 1»)."""
    if tree[code]["kind"] == "national":
        return "Trung ương Hội Chữ thập đỏ Việt Nam"
    return f"Hội Chữ thập đỏ {_locality(tree.name(code))}"


def unit_label(tree: UnitTree, code: str, among: Iterable[str]) -> str:
    """The unit's name as a list of the units `among` prints it: the name alone, or with the
    units above it where another unit of the list has the same name, «Xã Tân Bình (Tân Biên)»
    beside «Xã Tân Bình (Thành phố Tây Ninh)». A district is named without its «Huyện»; a city,
    a town and an urban district keep theirs. The root of the tree is named only where nothing
    below it tells the two apart."""
    name = tree.name(code)
    twins = [c for c in dict.fromkeys(among) if c != code and c in tree and tree.name(c) == name]
    if not twins:
        return name

    def above(unit: str) -> list[str]:
        return [a["name"].removeprefix("Huyện ") for a in tree.ancestors(unit)]

    mine = above(code)
    others = [above(twin) for twin in twins]
    for depth in range(1, len(mine) + 1):
        if all(other[:depth] != mine[:depth] for other in others):
            return f"{name} ({', '.join(mine[:depth])})"
    return f"{name} ({', '.join(mine)})" if mine else name
