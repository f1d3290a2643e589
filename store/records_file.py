"""The records file (docs/RECORDS.md): every kind of record in one JSON object, in and out.

Import validates the whole file first: when anything is wrong the store is left as it was and
every problem is listed. Importing the same file twice changes nothing the second time. The
file is read strictly (store/strict_json.py): a key twice in one object is refused, naming it.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import orjson

from campaign.records import KIND_ORDER, KINDS
from campaign.validation import Problem
from store import strict_json
from store.errors import StoreError, ValidationError
from store.files import write_atomic
from store.store import Store, data_of, kind_of_table

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

    Collection by collection, the records of each unit in turn (by code), each unit's in key
    order. Written piece by piece: neither the file nor a copy of the records is ever held in
    memory whole. A store opened without its records is not loaded: its unit files are read one
    at a time, each collection's lines spooled to a temporary file, then put together (at Hà
    Nội's size a loaded store takes 1.5 GB, this 200 MB, most of it the ids it keeps to find a
    record left in two files)."""
    counts: dict[str, int] = {}
    index = None if store.records_loaded else store.summary_index()
    if index is not None and store.shared_with is None:  # else from the loaded store
        # A spool an antivirus still holds on Windows is left to the system's cleaning.
        with tempfile.TemporaryDirectory(
            prefix="nhandao-export-", ignore_cleanup_errors=True
        ) as folder:
            try:
                spools = _spool(store, Path(folder), counts)
            except _ReadTwice:  # a copy left by a move cut short: the loaded store settles it
                store.load_records()
            else:
                write_atomic(Path(path), _from_spools(store, spools, counts))
                return counts
    counts.clear()
    write_atomic(Path(path), _layout(store, counts))
    return counts


def _layout(store: Store, counts: dict[str, int]) -> Iterator[bytes]:
    """The records file of a loaded store, in pieces; `counts` gets the number of records of
    each collection."""
    yield _HEADER
    for name in COLLECTIONS:
        kind = _KIND_OF[name]
        if kind == "unit":
            yield from _units(store, counts)
            continue
        key = KINDS[kind].key
        stored = sorted(store.records(kind, live=False), key=lambda r: (r["owner"], r[key]))
        yield b',\n"' + name.encode() + b'": ['
        count = 0
        for record in stored:
            yield (b"\n" if count == 0 else b",\n") + orjson.dumps(data_of(kind, record))
            count += 1
        yield b"\n]" if count else b"]"
        counts[name] = count
    yield b"}\n"


def _units(store: Store, counts: dict[str, int]) -> Iterator[bytes]:
    """The units collection: every unit of the store's tree (its directory's and its own)."""
    name = KINDS["unit"].collection
    yield b',\n"' + name.encode() + b'": ['
    count = 0
    for unit in store.units:
        yield (b"\n" if count == 0 else b",\n") + orjson.dumps(dict(unit))
        count += 1
    yield b"\n]" if count else b"]"
    counts[name] = count


class _ReadTwice(Exception):
    """A record found in two unit files."""


# Kinds whose ids the summary index does not hold (it refuses a unit, address, helper, aid or
# return found in two files): the export looks for a second copy of these itself.
_UNINDEXED = frozenset(KINDS) - {"unit", "address", "helper", "aid", "return"}


def _spool(store: Store, folder: Path, counts: dict[str, int]) -> dict[str, Path]:
    """Each collection's lines of `_layout`, written to a file of its own in `folder`, the
    unit files read one at a time; _ReadTwice for a record found in two of them."""
    files, _backed_up_only = store.units_on_disk()  # none: the index refreshed
    spools = {name: folder / f"{n}.jsonl" for n, name in enumerate(COLLECTIONS)}
    seen: dict[str, set[str]] = {kind: set() for kind in _UNINDEXED}
    with ExitStack() as stack:
        out = {name: stack.enter_context(spools[name].open("wb")) for name in COLLECTIONS}
        counts.update(dict.fromkeys(COLLECTIONS, 0))
        for code in sorted(files):
            data = strict_json.loads(files[code].read_bytes())
            assert isinstance(data, dict)  # its shape was checked when it was indexed
            by_kind: dict[str, list[dict]] = defaultdict(list)
            for table, documents in data.items():
                kind = kind_of_table(table)
                if kind is not None and kind != "unit":
                    by_kind[kind].extend(documents.values())
            for kind, documents in by_kind.items():
                key, name, ids = KINDS[kind].key, KINDS[kind].collection, seen.get(kind)
                documents.sort(key=lambda d: d[key])
                write, count = out[name].write, counts[name]
                for document in documents:
                    if ids is not None:
                        if document["id"] in ids:
                            raise _ReadTwice(kind, document["id"])
                        ids.add(document["id"])
                    write((b"\n" if count == 0 else b",\n") + orjson.dumps(data_of(kind, document)))
                    count += 1
                counts[name] = count
    return spools


def _from_spools(store: Store, spools: dict[str, Path], counts: dict[str, int]) -> Iterator[bytes]:
    """The records file put together from `_spool`'s files, in pieces of a megabyte."""
    yield _HEADER
    for name in COLLECTIONS:
        if _KIND_OF[name] == "unit":
            yield from _units(store, counts)
            continue
        yield b',\n"' + name.encode() + b'": ['
        with spools[name].open("rb") as spool:
            while piece := spool.read(1 << 20):
                yield piece
        yield b"\n]" if counts[name] else b"]"
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
