"""Merging versions of one record: which version is current and which are kept as conflicts.

Every version names the versions it descends from: `prev` (the one it replaced) and `history`
(the ones before that, newest first). For one record, the versions an office has seen form a
set; the *leaves* of that set are the versions no other seen version descends from. The leaf
with the latest clock is the current version; the other leaves are conflicts, kept for a
person to look at. Versions that are ancestors of a leaf were replaced by an edit made on top
of them and need no keeping.

Because the outcome depends only on the set of versions seen, and every version carries its
own ancestry, merging is idempotent, commutative and associative: the order in which versions
arrive, and how often, does not change the current version or the conflicts. A version made on
top of another always has a later clock (hybrid logical clocks observe what they merge), so the
latest leaf is also the latest version seen.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

# A record edited more often than this keeps only its latest ancestors: older ones fall off,
# and a version that old arriving late shows as a conflict instead of as replaced.
MAX_HISTORY = 1000

NEW, UPDATED, UNCHANGED, CONFLICT = "new", "updated", "unchanged", "conflict"
# An incoming version with the `v` of a version held here but other content: never merged.
MISMATCH = "mismatch"
STATUSES = (NEW, UPDATED, UNCHANGED, CONFLICT, MISMATCH)


def descends_from(document: Mapping, version: str) -> bool:
    """True when `document` was made on top of `version` (directly or through other edits)."""
    return document.get("prev") == version or version in (document.get("history") or ())


def history_after(document: Mapping) -> list[str]:
    """The `history` of a version made on top of `document`: its prev, then its history."""
    previous = document.get("prev")
    if previous is None:
        return []
    return [previous, *(document.get("history") or ())][:MAX_HISTORY]


def lineage(document: Mapping) -> list[str]:
    """A version and every version it descends from, newest first along its chain."""
    return [document["v"], *history_after(document)]


def ancestry(current: Mapping | None, replaced: Iterable[str]) -> tuple[str | None, list[str]]:
    """(`prev`, `history`) of a version made on top of `current` that also replaces the
    versions `replaced` (kept conflicts, a version held back): it descends from all of them,
    so that an office holding any of them sees it replaced. `prev` is the current version
    (the latest replaced one when there is none); `history` the others, newest first, at
    most MAX_HISTORY."""
    seen = set(replaced)
    if current is None:
        if not seen:
            return None, []
        previous = max(seen)
    else:
        previous = current["v"]
        seen.update(history_after(current))
    seen.discard(previous)
    return previous, sorted(seen, reverse=True)[:MAX_HISTORY]


@dataclass(frozen=True)
class Decision:
    """What merging one incoming version does to one record."""

    status: str  # NEW, UPDATED, UNCHANGED or CONFLICT
    current: Mapping  # the current version afterwards
    conflicts: tuple[Mapping, ...]  # the other leaves afterwards, oldest first

    def changes_current(self, before: Mapping | None) -> bool:
        return before is None or self.current is not before


def decide(current: Mapping | None, conflicts: Sequence[Mapping], incoming: Mapping) -> Decision:
    """Merge `incoming` into a record whose current version is `current` (None when the record
    is new here) and whose kept conflicts are `conflicts`.

    Versions are compared by `v` only: the caller makes sure that two documents with the same
    `v` hold the same content.
    """
    if current is None:
        return Decision(NEW, incoming, tuple(conflicts))
    # A crash between writing conflicts.json and the unit file may leave the current version
    # in both: it is one leaf.
    conflicts = [leaf for leaf in conflicts if leaf["v"] != current["v"]]
    version = incoming["v"]
    leaves = [current, *conflicts]
    if any(leaf["v"] == version or descends_from(leaf, version) for leaf in leaves):
        return Decision(UNCHANGED, current, tuple(conflicts))
    remaining = [leaf for leaf in leaves if not descends_from(incoming, leaf["v"])]
    remaining.append(incoming)
    winner = max(remaining, key=lambda leaf: leaf["v"])
    others = tuple(sorted((leaf for leaf in remaining if leaf is not winner), key=_version))
    kept_before = {leaf["v"] for leaf in conflicts}
    if any(leaf["v"] not in kept_before for leaf in others):
        return Decision(CONFLICT, winner, others)
    return Decision(UPDATED, winner, others)


def _version(document: Mapping) -> str:
    return document["v"]


class Merged(NamedTuple):
    """The outcome for one incoming version (a tuple: a merge makes hundreds of thousands)."""

    kind: str
    key: str
    owner: str
    v: str
    status: str  # one of STATUSES


@dataclass
class MergeResult:
    """What a merge did (or, in a dry run, would do) to each incoming version."""

    outcomes: list[Merged] = field(default_factory=list)
    changed: int = 0  # records whose current version changed

    def counts(self) -> dict[str, Counter[str]]:
        """For each owner unit, how many incoming versions had each status."""
        by_owner: dict[str, Counter[str]] = defaultdict(Counter)
        for outcome in self.outcomes:
            by_owner[outcome.owner][outcome.status] += 1
        return dict(by_owner)

    def of(self, status: str) -> list[Merged]:
        return [outcome for outcome in self.outcomes if outcome.status == status]
