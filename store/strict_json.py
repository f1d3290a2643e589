"""Strict JSON for every file that comes in: what orjson refuses, and a key twice or a huge integer.

Every JSON the program reads from a file goes through `loads`: the store's files, the records
file, and every part of a bundle (manifest.json, each line of records/*.jsonl, ack.json,
directory.json), the outbox, the commit journal and the lock's note. orjson reads them, and
refuses what is not JSON (NaN, Infinity, lone surrogates, invalid UTF-8, a byte-order mark,
nesting deeper than 1024). `loads` refuses two more things orjson takes silently:

- a key twice in one object, at any depth: orjson keeps the last value, another reader may keep
  the first, so a signed manifest with "to" twice or a record line with "owner" twice would be
  routed one way here and another way there (DuplicateKeyError);
- an integer beyond 64 bits (below -2**63 or above 2**64 - 1): orjson reads it as a float,
  rounded, where an integer was written (IntegerTooLargeError).

Both are subclasses of `orjson.JSONDecodeError`, so every caller that handles JSON that does
not parse handles these as well (a store file is then restored from its backups); their `msg`
is a Vietnamese phrase naming the key or the number, for the caller's sentence.

The fast path costs one serialisation: the value orjson parsed is written again the way the
file's writer writes it (`written`: compact orjson for the store's files and the record lines,
indented for the manifest, the ack and the directory, the records file's own layout). When the
bytes are equal, the input *is* that writer's output, and that output never holds a key twice
(a dict has none) nor an integer beyond 64 bits (orjson writes none): nothing more to check.
That is the common case, every file our own program wrote. Otherwise (a file written by hand,
by another program, or by a hostile one) a second pass with the standard library's parser
looks at every object's keys and every integer as written, and the value orjson parsed is
returned: the two parsers never have to agree on values, only the second has to see the text.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import sys
import threading
from collections.abc import Callable
from typing import Any

import orjson

from campaign.text import quoted

Written = Callable[[Any], bytes]

# The integers orjson reads as integers; beyond them it reads a float.
_SMALLEST, _LARGEST = -(2**63), 2**64 - 1
# Deep enough for the standard library's parser (one recursion level per nesting level) to
# follow what orjson accepts (1024 levels).
_DEPTH = 1100
_DEEPER = threading.Lock()


_dumps = orjson.dumps


def compact(value: object) -> bytes:
    """How the store's files, the ledger, the journal and each record line are written."""
    return orjson.dumps(value)


def indented(value: object) -> bytes:
    """How manifest.json, ack.json and directory.json are written (sync/bundle.py)."""
    return orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n"


class StrictJSONError(orjson.JSONDecodeError):
    """JSON that orjson reads but `loads` refuses. `msg` is a Vietnamese phrase (no capital,
    no full stop) for the caller's sentence; `lineno` and `colno` say where, when `located`."""

    def __init__(self, message: str, text: str, position: int | None) -> None:
        super().__init__(message, text, position or 0)
        self.located = position is not None

    def __str__(self) -> str:
        return self.msg

    def __reduce__(self) -> tuple:  # the text may be large: keep it out of a pickled copy
        return type(self), (self.msg, "", None)


class DuplicateKeyError(StrictJSONError):
    """A key twice in one object; `lineno`/`colno` are those of the object's «{»."""

    def __init__(self, key: str, text: str, position: int | None) -> None:
        super().__init__(
            f"mục {quoted(key, 60)} xuất hiện hai lần trong cùng một đối tượng JSON", text, position
        )
        self.key = key

    def __reduce__(self) -> tuple:
        return type(self), (self.key, "", None)


class IntegerTooLargeError(StrictJSONError):
    """An integer beyond 64 bits, which orjson would read as a rounded float."""

    def __init__(self, number: str, text: str) -> None:
        super().__init__(f"số nguyên {quoted(number, 30)} vượt quá giới hạn 64 bit", text, None)
        self.number = number

    def __reduce__(self) -> tuple:
        return type(self), (self.number, "")


def loads(data: bytes | str, *, written: Written = compact) -> Any:
    """Parse `data` with orjson, refusing a key twice in one object and integers beyond 64 bits.

    `written` writes a parsed value again the way the file's writer does (`compact`,
    `indented`, or the records file's layout): when that gives back `data` exactly, the second
    pass is skipped (see the module's docstring). Raises orjson.JSONDecodeError for what is not
    JSON, and its subclasses DuplicateKeyError and IntegerTooLargeError."""
    value = orjson.loads(data)
    try:
        # (The compact writer called directly: a record line costs about 1 µs to parse, and
        # each call more shows in a province's merge.)
        if (_dumps(value) if written is compact else written(value)) == data:
            return value
    except (LookupError, TypeError, ValueError):  # not of the writer's shape, or too deep
        pass
    _second_pass(data if isinstance(data, str) else bytes(data).decode("utf-8"))
    return value


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


class _TooLarge(Exception):
    def __init__(self, number: str) -> None:
        self.number = number


def _unique(pairs: list[tuple[str, object]]) -> None:
    if len(pairs) > 1:
        keys = {key for key, _value in pairs}
        if len(keys) != len(pairs):
            seen = set()
            for key, _value in pairs:
                if key in seen:
                    raise _Duplicate(key)
                seen.add(key)
    return None  # the second pass only looks: nothing is built


def _integer(number: str) -> None:
    # Up to 20 digits the number is converted to be compared; a longer one is too large anyway
    # (and int() would refuse one of more than 4300 digits).
    if len(number) > 21 or not _SMALLEST <= int(number) <= _LARGEST:
        raise _TooLarge(number)
    return None


def _ignored(_number: str) -> None:
    return None


def _constant(name: str) -> None:
    raise ValueError(name)  # NaN, Infinity: orjson refuses them first; never taken here


def _decoder() -> json.JSONDecoder:
    return json.JSONDecoder(
        object_pairs_hook=_unique,
        parse_int=_integer,
        parse_float=_ignored,
        parse_constant=_constant,
    )


def _second_pass(text: str) -> None:
    """Look at `text` (which orjson parsed) as written: its keys and its integers."""
    try:
        try:
            _decoder().decode(text)
        except RecursionError:
            with _DEEPER:
                limit = sys.getrecursionlimit()
                sys.setrecursionlimit(max(limit, _depth() + _DEPTH))
                try:
                    _decoder().decode(text)
                finally:
                    sys.setrecursionlimit(limit)
    except _Duplicate as found:
        raise DuplicateKeyError(found.key, text, _where(text)) from None
    except _TooLarge as found:
        raise IntegerTooLargeError(found.number, text) from None
    except (json.JSONDecodeError, ValueError, RecursionError) as error:
        # Something orjson read and the standard library does not: refused, as not JSON.
        position = getattr(error, "pos", 0)
        raise orjson.JSONDecodeError(str(error), text, position) from None


def _depth() -> int:
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1  # type: ignore[assignment]
    return depth


def _where(text: str) -> int | None:
    """Where the object holding the first key found twice begins; None when it cannot be said.

    Only after a duplicate was found, so the slower pure-Python scanner is acceptable: it is
    the one that tells each object's position. Objects are checked as they end, inner ones
    first, in both scanners: this finds the object the first pass found."""
    decoder = _decoder()

    def parse_object(s_and_end: tuple[str, int], strict: bool, scan_once: Any, hook: Any,
                     pairs_hook: Any, memo: Any = None) -> tuple[None, int]:  # fmt: skip
        start = s_and_end[1] - 1

        def check(pairs: list[tuple[str, object]]) -> None:
            try:
                return _unique(pairs)
            except _Duplicate:
                raise _Found(start) from None

        return json.decoder.JSONObject(s_and_end, strict, scan_once, None, check, memo)

    decoder.parse_object = parse_object  # type: ignore[assignment]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)
    try:
        decoder.decode(text)
    except _Found as found:
        return found.position
    except (RecursionError, ValueError, _Duplicate, _TooLarge):
        return None
    return None


class _Found(Exception):
    def __init__(self, position: int) -> None:
        self.position = position
