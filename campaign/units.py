"""The tree of units: province → districts and units under the province → communes, schools…"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from campaign.records import Unit
from campaign.text import fold
from campaign.vocab import GRASSROOTS_KINDS


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
