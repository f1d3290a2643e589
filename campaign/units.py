"""The tree of units: province → districts and units under the province → communes, schools…"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from campaign.records import Unit
from campaign.text import fold
from campaign.vocab import GRASSROOTS_KINDS

# A unit code names files and folders (units/<code>.json, backups/unit-<code>/, bundle members),
# so it holds only what every file system takes: ASCII letters, digits, «.», «_», «-».
UNIT_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
# Names Windows keeps for devices, whatever follows the first dot: «units/CON.json» or
# «units/com1.x.json» cannot be made on a Windows PC.
_WINDOWS_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"{port}{n}" for port in ("COM", "LPT") for n in range(10))}
)


def unsafe_code(code: str) -> str | None:
    """Why a well-formed unit code cannot name a file on Windows, or None when it can.

    A store made on Linux must copy to a Windows PC and open there, so these codes are refused
    everywhere. The sentence is Vietnamese and follows the code's quoted label."""
    device = code.split(".", 1)[0].upper()
    if device in _WINDOWS_DEVICES:
        return (
            f"«{code}» trùng với tên thiết bị «{device}» mà Windows giữ riêng, nên không đặt "
            "được tên tệp; hãy chọn mã khác."
        )
    if code.endswith("."):
        return (
            f"«{code}» kết thúc bằng dấu chấm, mà Windows bỏ dấu chấm cuối tên thư mục; "
            "hãy bỏ dấu chấm đó."
        )
    return None


def case_clashes(codes: Iterable[str]) -> dict[str, str]:
    """Codes that differ from an earlier one only in case (`th-a` after `TH-A`), each mapped to
    that earlier code: Windows sees one file name where Linux sees two."""
    first: dict[str, str] = {}
    clashes: dict[str, str] = {}
    for code in codes:
        seen = first.setdefault(code.casefold(), code)
        if seen != code:
            clashes[code] = seen
    return clashes


class UnitError(KeyError):
    """A unit code that the tree does not hold."""


class UnitTree:
    """Units in directory order, with their parents and children.

    The order units are given in is kept: a table lists a unit's children in that order.
    """

    def __init__(self, units: Iterable[Unit]) -> None:
        self._units: dict[str, Unit] = {}
        self._children: dict[str | None, list[str]] = {}
        for unit in units:
            code = unit["code"]
            if code in self._units:
                raise ValueError(f"unit {code!r} is listed twice")
            self._units[code] = unit
        for code, unit in self._units.items():
            self._children.setdefault(unit["parent"], []).append(code)

    def __contains__(self, code: object) -> bool:
        return code in self._units

    def __iter__(self) -> Iterator[Unit]:
        return iter(self._units.values())

    def __len__(self) -> int:
        return len(self._units)

    def __getitem__(self, code: str) -> Unit:
        try:
            return self._units[code]
        except KeyError:
            raise UnitError(code) from None

    def as_mapping(self) -> dict[str, Unit]:
        """Units by code (a read-only view by convention)."""
        return self._units

    def name(self, code: str) -> str:
        return self[code]["name"]

    def children(self, code: str) -> list[Unit]:
        self[code]
        return [self._units[c] for c in self._children.get(code, [])]

    def ancestors(self, code: str) -> list[Unit]:
        """Parent first, up to the root."""
        chain = []
        parent = self[code]["parent"]
        while parent is not None and parent in self._units:
            chain.append(self._units[parent])
            parent = self._units[parent]["parent"]
        return chain

    def subtree(self, code: str) -> list[str]:
        """`code` and every unit below it, parents before children, in directory order."""
        self[code]
        found, stack = [], [code]
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(reversed(self._children.get(current, [])))
        return found

    def is_two_level(self, code: str) -> bool:
        """True for a province of the 2025 structure: communes straight under it, no district."""
        below = {child["kind"] for child in self.children(code)}
        return self[code]["kind"] == "province" and "commune" in below and "district" not in below

    def is_within(self, code: str, root: str) -> bool:
        """True when `code` is `root` or below it."""
        if code == root:
            return True
        return code in self._units and any(u["code"] == root for u in self.ancestors(code))

    def row_of(self, code: str) -> dict[str, str]:
        """For each unit of `code`'s subtree, the direct child of `code` it belongs to.

        Units of the children's subtrees map to that child; `code` itself maps to `code`.
        """
        rows = {code: code}
        for child in self._children.get(code, []):
            for member in self.subtree(child):
                rows[member] = child
        return rows

    def grassroots(self, code: str) -> list[str]:
        """Grassroots chapters (commune, school, affiliated unit) in `code`'s subtree."""
        return [c for c in self.subtree(code) if self._units[c]["kind"] in GRASSROOTS_KINDS]

    def search(self, query: str) -> list[Unit]:
        """Units whose code or accent-free name contains every word of `query`."""
        words = fold(query).split()
        return [
            unit for unit in self._units.values()
            if all(w in fold(unit["name"]) or w == unit["code"] for w in words)
        ]  # fmt: skip

    def path(self, code: str) -> str:
        """«Phường 1, Thành phố Tây Ninh, Tỉnh Tây Ninh»."""
        return ", ".join(u["name"] for u in [self[code], *self.ancestors(code)])
