"""A set of records in memory: the unit tree and the records of every kind, tombstones included."""

from __future__ import annotations

from dataclasses import dataclass, field

from campaign.units import UnitTree


@dataclass
class Dataset:
    """What the tallies read. Records are plain dicts, not copies: treat them as read-only."""

    units: UnitTree
    addresses: list[dict] = field(default_factory=list)
    helpers: list[dict] = field(default_factory=list)
    attachments: list[dict] = field(default_factory=list)
    aid: list[dict] = field(default_factory=list)
    reviews: list[dict] = field(default_factory=list)
    models: list[dict] = field(default_factory=list)
    assessments: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    proposals: list[dict] = field(default_factory=list)
    returns: list[dict] = field(default_factory=list)

    def records(self, collection: str) -> list[dict]:
        """The records of a collection by its name in the records file ("addresses", "aid", …)."""
        if collection == "units":
            return list(self.units)
        return getattr(self, collection)
