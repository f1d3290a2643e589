"""The records file (docs/RECORDS.md): every kind of record in one JSON object, in and out.

Import validates the whole file first: when anything is wrong the store is left as it was and
every problem is listed. Importing the same file twice changes nothing the second time. The
file is read strictly (store/strict_json.py): a key twice in one object is refused, naming it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from campaign.records import KIND_ORDER, KINDS
from campaign.validation import Problem
from store import strict_json
from store.errors import StoreError, ValidationError
from store.files import write_atomic
from store.store import Store, data_of

FORMAT = "nhandao-records"
VERSION = 1
COLLECTIONS = tuple(KINDS[kind].collection for kind in KIND_ORDER)
_KIND_OF = {KINDS[kind].collection: kind for kind in KIND_ORDER}
_BOM = b"\xef\xbb\xbf"


class RecordsFileError(StoreError):
    """A records file that cannot be read at all (missing, not JSON, not UTF-8)."""


@dataclass
class ImportReport:
    """What an import found in the file and how many records it changed in the store."""

    in_file: dict[str, int]
    changed: int


def read_records_file(path: Path) -> dict:
    """Parse a records file and check its outer shape; raise ValidationError listing problems."""
    try:
        payload = Path(path).read_bytes()
    except OSError as error:
        raise RecordsFileError(f"Không mở được tệp {path}: {error.strerror or error}.") from None
    payload = payload.removeprefix(_BOM)
    try:
        document = strict_json.loads(payload, written=_as_exported)
    except strict_json.StrictJSONError as error:
        where = f" (dòng {error.lineno}, cột {error.colno})" if error.located else ""
        rule = (
            "mỗi mục chỉ được ghi một lần trong một đối tượng"
            if isinstance(error, strict_json.DuplicateKeyError)
            else "số nguyên không được vượt quá 64 bit"
        )
        raise RecordsFileError(
            f"Tệp {path} không dùng được: {error.msg}{where}. Trong tệp dữ liệu, {rule}; hãy "
            "sửa tệp rồi nhập lại, hoặc xuất lại tệp từ chương trình đã tạo ra nó."
        ) from None
    except orjson.JSONDecodeError as error:
        if "utf-8" in str(error).lower():
            detail = "tệp phải được lưu với bảng mã UTF-8"
        else:
            detail = f"lỗi ở dòng {error.lineno}, cột {error.colno}: {error.msg}"
        raise RecordsFileError(f"Tệp {path} không phải JSON hợp lệ ({detail}).") from None
    problems: list[Problem] = []

    def problem(message: str) -> None:
        problems.append(Problem("file", None, None, message))

    if not isinstance(document, dict):
        raise RecordsFileError(f'Tệp {path} phải chứa một đối tượng JSON {{"format": ...}}.')
    if document.get("format") != FORMAT:
        problem(
            f"Tệp không phải tệp dữ liệu nhandao: «format» phải là «{FORMAT}», "
            f"đang là «{document.get('format')}»."
        )
    version = document.get("version")
    if version.__class__ is not int and "version" in document:  # true, 1.0, "1"
        problem(
            f"«version» phải là số nguyên {VERSION}, không phải «{orjson.dumps(version).decode()}»."
        )
    elif version != VERSION:
        problem(
            f"Tệp có phiên bản định dạng «{document.get('version')}»; chương trình này đọc "
            f"phiên bản {VERSION}. Hãy cập nhật chương trình hoặc xuất lại tệp."
        )
    for name in document:
        if name not in ("format", "version", *COLLECTIONS):
            problem(
                f"Tệp có mục «{name}» không thuộc định dạng; các mục được dùng: "
                f"{', '.join(COLLECTIONS)}."
            )
    for name in COLLECTIONS:
        value = document.get(name, [])
        if value is None:
            document[name] = []
        elif not isinstance(value, list):
            problem(f"Mục «{name}» phải là một danh sách [...].")
    if problems:
        raise ValidationError(problems)
    return document


def import_records(store: Store, path: Path) -> ImportReport:
    """Load a records file into the store: all of it, or nothing with every problem listed."""
    document = read_records_file(path)
    batch = [
        (_KIND_OF[name], raw, position)
        for name in COLLECTIONS
        for position, raw in enumerate(document.get(name) or [], start=1)
    ]
    changed = store.save_many(batch)
    return ImportReport({name: len(document.get(name) or []) for name in COLLECTIONS}, changed)


def export_records(store: Store, path: Path) -> dict[str, int]:
    """Write the whole store as a records file, one record per line; returns counts per kind.

    Written record by record as it is serialised: the file is never held in memory whole, nor
    a copy of the records (an export at province scale would otherwise take a gigabyte)."""
    counts: dict[str, int] = {}
    write_atomic(Path(path), _layout(store, counts))
    return counts


def _layout(store: Store, counts: dict[str, int]) -> Iterator[bytes]:
    """The records file of `store`, in pieces: the header, then each collection, one record
    per line, in key order; `counts` gets the number of records of each collection."""
    yield b'{"format": "nhandao-records", "version": 1'
    for name in COLLECTIONS:
        kind = _KIND_OF[name]
        if kind == "unit":
            rows: Iterable[dict] = (dict(unit) for unit in store.units)
        else:
            key = KINDS[kind].key
            stored = sorted(store.records(kind, live=False), key=lambda r: r[key])
            rows = (data_of(kind, record) for record in stored)
        yield b',\n"' + name.encode() + b'": ['
        count = 0
        for record in rows:
            yield (b"\n" if count == 0 else b",\n") + orjson.dumps(record)
            count += 1
        yield b"\n]" if count else b"]"
        counts[name] = count
    yield b"}\n"


_HEADER = b'{"format": "nhandao-records", "version": 1'
_COMPACT_HEADER = b'{"format":"nhandao-records","version":1'


def _as_exported(document: object) -> bytes:
    """What `export_records` writes for `document`, for the strict reader's fast path
    (store/strict_json.py): an exported file then costs one orjson.dumps more, not the slower
    second pass. Made from the compact orjson text of the whole document (`_layout`, record by
    record, takes three times as long) by adding the export's white space: spaces in the header
    and after each collection's name, a line break before each record and each closing «]».

    Sound for the fast path even where a pattern also occurs inside a string (a note holding
    «},{»): a line break put inside a string makes text that is not JSON, which cannot equal
    the file orjson has just read, so the second pass runs. When it does equal the file, every
    byte added was white space between tokens, and the file is the compact text, whose objects
    hold each key once. (`,"units":[` with its quotes unescaped is always a key: in orjson's
    output a quote inside a string is written `\\"`.)"""
    compact = orjson.dumps(document)
    if not compact.startswith(_COMPACT_HEADER):
        return compact  # not an export: the second pass runs
    parts, position = [_HEADER], len(_COMPACT_HEADER)
    for name in COLLECTIONS:  # one pass over the text for the eight names, in their order
        encoded = name.encode()
        key = b',"' + encoded + b'":['
        found = compact.find(key, position)
        if found < 0:
            return compact
        parts += (compact[position:found], b',\n"', encoded, b'": [')
        position = found + len(key)
        if compact[position : position + 1] == b"{":
            parts.append(b"\n")
    parts.append(compact[position:])
    return b"".join(parts).replace(b"},{", b"},\n{").replace(b"}]", b"}\n]") + b"\n"
