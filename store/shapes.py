"""What a whole file of the store looks like, kind by kind.

A file that parses but is not of its shape (`{}` where a unit file was, a record that is not
an object or has no `id`, an office without its id) is as broken as one that does not parse:
it is restored from its backups and kept aside, never read as it is, never rotated into the
backups. Each check is structural: what the program needs to read the file without failing;
the records' own rules are checked by `Store.verify`. A number the program counts with (a
sequence, a revision, a counter, a format version) is a JSON integer: `true` or `1.0` there
is not one (Python's `True` is an `int`, hence `__class__ is int`). A check can say what it
expects (`problem`), so that the message of a restored file names the field.
"""

from __future__ import annotations

from collections.abc import Callable

from campaign.records import KINDS
from store import hlc

Shape = Callable[[object], bool]
META = "meta"
_TABLES = frozenset(spec.collection for spec in KINDS.values())


def expect(check: Callable[[object], bool], expected: str) -> Callable[[object], bool]:
    """`check`, able to say what it expects (a Vietnamese phrase beginning «phải»)."""
    check.expected = expected  # type: ignore[attr-defined]
    return check


def problem(check: Callable[[object], bool], value: object) -> str | None:
    """What `check` finds wrong with `value`, as a Vietnamese phrase naming the field where the
    check can say it (store files restored from a backup say why); None when it passes."""
    if check(value):
        return None
    explain = getattr(check, "problem", None)
    if explain is not None:
        return explain(value)
    return getattr(check, "expected", "không đúng dạng")


def text(value: object) -> bool:
    """Text that is not empty."""
    return isinstance(value, str) and bool(value)


def count(value: object) -> bool:
    """A whole number from 1 up: a JSON integer, never `true` or `1.0`."""
    return value.__class__ is int and value >= 1  # type: ignore[operator]


def natural(value: object) -> bool:
    """A whole number from 0 up: a JSON integer, never `false` or `0.0`."""
    return value.__class__ is int and value >= 0  # type: ignore[operator]


def optional(check: Callable[[object], bool]) -> Callable[[object], bool]:
    """Absent (or null), or passing `check`."""
    return expect(
        lambda value: value is None or check(value),
        getattr(check, "expected", "không đúng dạng") + " (nếu có)",
    )


expect(text, "phải là chữ, không rỗng")
expect(count, "phải là số nguyên từ 1 trở lên")
expect(natural, "phải là số nguyên không âm")
# A format version: where a file has one, an integer.
format_version = optional(count)


def present(value: object) -> bool:
    return value is not None


expect(present, "phải có")


class _Fields:
    """A JSON object whose fields each pass their check (see `has`)."""

    def __init__(self, fields: dict[str, Callable[[object], bool]]) -> None:
        self.fields = fields

    def __call__(self, data: object) -> bool:
        return isinstance(data, dict) and all(
            check(data.get(name)) for name, check in self.fields.items()
        )

    def problem(self, data: object) -> str | None:
        if not isinstance(data, dict):
            return "phải là một đối tượng JSON {...}"
        for name, check in self.fields.items():
            found = problem(check, data.get(name))
            if found is not None:
                return f"«{name}» {found}" if found.startswith("phải") else f"«{name}», {found}"
        return None


class _Items:
    """A JSON list whose items each pass a check (see `list_of`)."""

    def __init__(self, check: Callable[[object], bool]) -> None:
        self.check = check

    def __call__(self, value: object) -> bool:
        return isinstance(value, list) and all(self.check(item) for item in value)

    def problem(self, value: object) -> str | None:
        if not isinstance(value, list):
            return "phải là một danh sách [...]"
        for number, item in enumerate(value, start=1):
            found = problem(self.check, item)
            if found is not None:
                return f"phần tử thứ {number}, {found}"
        return None


def has(**fields: Callable[[object], bool]) -> Shape:
    """A JSON object whose `fields` each pass their check."""
    return _Fields(fields)


def _document(value: object) -> bool:
    """A stored record: an object with its envelope. (Read for every record of every file a
    store opens: a plain dictionary test and `get`s, no abstract-class check.)"""
    if not isinstance(value, dict):
        return False
    get = value.get
    return text(get("id")) and text(get("owner")) and text(get("by")) and hlc.is_version(get("v"))


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
            or not format_version(meta["1"].get("version"))
        ):
            return False
        for name, table in data.items():
            if name == META:
                continue
            if name.split(".", 1)[0] not in _TABLES or not isinstance(table, dict):
                return False
            for key, document in table.items():
                if not (key.isdigit() and _document(document)):
                    return False
        return True

    return accept


def of_format(name: str, **fields: Callable[[object], bool]) -> Shape:
    """A JSON object of format `name` (and an integer `version`, where it has one) whose
    `fields` each pass their check."""
    named = expect(lambda value: value == name, f"phải là «{name}»")
    return has(format=named, version=format_version, **fields)


def list_of(check: Callable[[object], bool]) -> Callable[[object], bool]:
    return _Items(check)


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


def _counters(value: object) -> bool:
    return value is None or (isinstance(value, dict) and all(map(natural, value.values())))


# Settings that documents print (exporters.letterhead): texts, and lists of texts.
_SETTING_TEXTS = (
    "organisation", "province_name", "plan_reference", "place", "signer_name", "signer_title",
    "signing_for", "preparer_name",
)  # fmt: skip
_SETTING_LISTS = ("recipients", "basis")


def _settings(value: object) -> bool:
    """The office's settings: the years of its period, when set, are years (never `true`); the
    names documents print are texts, and the recipients and the basis lists of texts."""
    return (
        isinstance(value, dict)
        and all(
            value.get(year) is None
            or (value[year].__class__ is int and 1900 <= value[year] <= 2100)
            for year in ("period_from", "period_to")
        )
        and all(value.get(key) is None or isinstance(value[key], str) for key in _SETTING_TEXTS)
        and all(
            value.get(key) is None or (isinstance(value[key], list) and all(map(text, value[key])))
            for key in _SETTING_LISTS
        )
    )


OFFICE = of_format(
    "nhandao-office",
    id=expect(_node, "phải là mã văn phòng, không có khoảng trắng"),
    unit=text,
    created_at=text,
    settings=expect(
        _settings,
        "phải là một đối tượng JSON {...}: năm đầu và năm cuối giai đoạn là số nguyên, các tên "
        "là chuỗi, nơi nhận và căn cứ là danh sách chuỗi",
    ),
    counters=expect(_counters, "phải là một đối tượng JSON {...} của các số nguyên không âm"),
)
DIRECTORY = of_format(
    "nhandao-directory",
    units=expect(
        lambda value: isinstance(value, list) and bool(value) and list_of(_unit)(value),
        "phải là một danh sách đơn vị, không rỗng, mỗi đơn vị có code, name, kind",
    ),
    keys=list_of(expect(lambda key: isinstance(key, dict), "phải là một đối tượng JSON {...}")),
    revision=natural,
    province=text,
)
CONFLICTS = of_format(
    "nhandao-conflicts",
    records=list_of(expect(_conflict, "phải là một phiên bản bị thay thế, có kind và record")),
)
