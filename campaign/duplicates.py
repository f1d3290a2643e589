"""Likely duplicates of a new address: the same person entered twice in one unit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher

from campaign.text import fold

# Names this alike (after folding accents) are offered as possible duplicates.
SIMILARITY = 0.85


@dataclass(frozen=True)
class Duplicate:
    """An existing address that may be the one being entered, and why it looks so."""

    address: Mapping
    reason: str


def likely_duplicates(candidate: Mapping, addresses: Iterable[Mapping]) -> list[Duplicate]:
    """Live addresses of the candidate's unit whose name is the same without accents, or very
    similar, or that share the given name and the place. Closest first."""
    name = fold(candidate.get("name") or "")
    if not name:
        return []
    given = name.split()[-1]
    place = fold(candidate.get("place") or "")
    found: list[tuple[float, Duplicate]] = []
    for address in addresses:
        if (
            address.get("deleted")
            or address.get("unit") != candidate.get("unit")
            or address.get("id") == candidate.get("id")
        ):
            continue
        other = fold(address["name"])
        same_place = bool(place) and fold(address.get("place") or "") == place
        if other == name:
            reason = "cùng tên" + (" và cùng nơi ở" if same_place else "")
            score = 2.0 + same_place
        else:
            ratio = SequenceMatcher(None, name, other).ratio()
            if ratio >= SIMILARITY:
                reason = "tên gần giống" + (" và cùng nơi ở" if same_place else "")
                score = ratio + same_place
            elif same_place and other.split()[-1] == given:
                reason = "cùng tên gọi và cùng nơi ở"
                score = 0.5
            else:
                continue
        found.append((score, Duplicate(address, reason)))
    found.sort(key=lambda pair: -pair[0])
    return [duplicate for _score, duplicate in found]
