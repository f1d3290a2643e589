"""What a whole file of the store looks like, kind by kind.

A file that parses but is not of its shape (`{}` where a unit file was, a record that is not
an object or has no `id`, an office without its id) is as broken as one that does not parse:
it is restored from its backups and kept aside, never read as it is, never rotated into the
backups. Each check is structural: what the program needs to read the file without failing;
the records' own rules are checked by `Store.verify`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from campaign.records import KINDS
from store import hlc

Shape = Callable[[object], bool]
META = "meta"
_TABLES = frozenset(spec.collection for spec in KINDS.values())


def text(value: object) -> bool:
    """Text that is not empty."""
    return isinstance(value, str) and bool(value)


def count(value: object) -> bool:
    """A whole number from 1 up."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def present(value: object) -> bool:
    return value is not None


def has(**fields: Callable[[object], bool]) -> Shape:
    """A JSON object whose `fields` each pass their check."""
    return lambda data: (
        isinstance(data, dict) and all(check(data.get(name)) for name, check in fields.items())
    )


def _document(value: object) -> bool:
    """A stored record: an object with its envelope."""
    return (
        isinstance(value, Mapping)
        and text(value.get("id"))
        and text(value.get("owner"))
        and hlc.is_version(value.get("v"))
        and text(value.get("by"))
    )


def unit_file(code: str) -> Shape:
    """units/<code>.json: its description naming `code`, then tables of stored records."""

    def accept(data: object) -> bool:
        if not isinstance(data, dict):
            return False
        meta = data.get(META)
        described = isinstance(meta, dict) and isinstance(meta.get("1"), dict)
        if (
            not described
            or meta["1"].get("format") != "nhandao-unit"
            or meta["1"].get("unit") != code
        ):
            return False
        for name, table in data.items():
            if name == META:
                continue
            if name.split(".", 1)[0] not in _TABLES or not isinstance(table, dict):
                return False
            if not all(key.isdigit() and _document(doc) for key, doc in table.items()):
                return False
        return True

    return accept


def of_format(name: str, **fields: Callable[[object], bool]) -> Shape:
    """A JSON object of format `name` whose `fields` each pass their check."""
    return has(format=lambda value: value == name, **fields)


def list_of(check: Callable[[object], bool]) -> Callable[[object], bool]:
    return lambda value: isinstance(value, list) and all(check(item) for item in value)


def _unit(value: object) -> bool:
    return (
        isinstance(value, dict)
        and text(value.get("code"))
        and text(value.get("name"))
        and text(value.get("kind"))
        and (value.get("parent") is None or text(value.get("parent")))
    )


def _conflict(value: object) -> bool:
    return isinstance(value, dict) and value.get("kind") in KINDS and _document(value.get("record"))


def _node(value: object) -> bool:
    return text(value) and not any(ch.isspace() for ch in value)  # type: ignore[union-attr]


OFFICE = of_format(
    "nhandao-office",
    id=_node,
    unit=text,
    created_at=text,
    settings=lambda value: isinstance(value, dict),
    counters=lambda value: value is None or isinstance(value, dict),
)
DIRECTORY = of_format(
    "nhandao-directory",
    units=lambda value: isinstance(value, list) and bool(value) and list_of(_unit)(value),
    keys=list_of(lambda key: isinstance(key, dict)),
    revision=lambda value: isinstance(value, int) and not isinstance(value, bool) and value >= 0,
    province=text,
)
CONFLICTS = of_format("nhandao-conflicts", records=list_of(_conflict))
