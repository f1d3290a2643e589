"""A derived index for the summary table: the few fields it counts, in an SQLite file.

`nhandao summary` at a province would otherwise load every record of the store (350,000 at
Tây Ninh, several seconds and 300 MB) to print eleven rows. The index keeps, for every unit
file, the fields columns 3–8 are counted from, and SQLite counts them.

It is never the source of truth. It lives in `cache/index.sqlite`, is made from the unit files
and can be deleted at any time (it is made again at the next summary). Before every use, every
unit file is hashed (SHA-256); the rows of a file whose bytes are not those its rows were read
from are read again, in one SQLite transaction, and the rows of a file that is gone are
dropped. A file that is not exactly what the store reads (it does not parse strictly, or lacks
its shape), a record found in two files, a field of an unexpected type, a unit file that exists
only in its backups, an index that cannot be written (a write-protected stick) or is damaged:
in each case `refresh` returns False and the caller loads the store and counts as it always
did, which also restores a broken file from its backups and says so.

The counting rules are those of `campaign/tally.py` (docs/RECORDS.md spells them out): for the
rows of `UnitTree.row_of`, live addresses, dossiers by the period's end, helped addresses (aid
not excluded, not deleted, dated within the period), whether one of the helpers of that aid is
a live Red Cross helper, people, value, and excluded aid by reason. `tests/store/test_index.py`
holds the two equal on the demo stores and on generated ones.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import orjson

from campaign.dates import Period
from campaign.records import KINDS
from campaign.tally import Figures, Tally, add_returns, table_of_figures
from campaign.units import UnitTree
from store import shapes, strict_json

FOLDER = "cache"
NAME = "index.sqlite"
# Changed whenever the tables below or what goes into them change: an index of another
# version is dropped and made again.
# 2: the addresses' former_unit (the units of before 2025); 3: returns; 4: what `nhandao check`
# keeps (verdict, ref) and the fields it looks up (an address's surveyed_on, a helper's name).
SCHEMA_VERSION = 4
BUSY_SECONDS = 10.0  # another summary refreshing the same index at the same moment

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE file(code TEXT PRIMARY KEY, sha256 BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE unit(
    id TEXT PRIMARY KEY, file TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL,
    kind TEXT NOT NULL, parent TEXT, deleted INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE address(
    id TEXT PRIMARY KEY, file TEXT NOT NULL, unit TEXT NOT NULL, former_unit TEXT,
    people INTEGER NOT NULL, dossier_on TEXT, deleted INTEGER NOT NULL, surveyed_on TEXT
) WITHOUT ROWID;
CREATE TABLE helper(
    id TEXT PRIMARY KEY, file TEXT NOT NULL, side TEXT NOT NULL, deleted INTEGER NOT NULL,
    name TEXT
) WITHOUT ROWID;
CREATE TABLE aid(
    id TEXT PRIMARY KEY, file TEXT NOT NULL, address TEXT NOT NULL, helper TEXT,
    "on" TEXT NOT NULL, value INTEGER NOT NULL, excluded TEXT, deleted INTEGER NOT NULL
);
CREATE TABLE filed(
    id TEXT PRIMARY KEY, file TEXT NOT NULL, unit TEXT NOT NULL, year_from INTEGER NOT NULL,
    year_to INTEGER NOT NULL, dossiers INTEGER NOT NULL, red_cross INTEGER NOT NULL,
    outside INTEGER NOT NULL, people INTEGER NOT NULL, value INTEGER NOT NULL,
    deleted INTEGER NOT NULL
) WITHOUT ROWID;
-- What `nhandao check` found in each unit file (store/checking.py): the file's SHA-256, the
-- rules and unit tree it was checked by, the day, its newest version and its problems (JSON),
-- and every address or helper its records looked up in other records, with what was found.
CREATE TABLE verdict(
    file TEXT PRIMARY KEY, sha256 BLOB NOT NULL, rules BLOB NOT NULL, today TEXT NOT NULL,
    newest TEXT NOT NULL, problems BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE ref(
    file TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, fact TEXT,
    PRIMARY KEY (file, kind, id)
) WITHOUT ROWID;
CREATE INDEX address_file ON address(file);
CREATE INDEX filed_file ON filed(file);
CREATE INDEX unit_file ON unit(file);
CREATE INDEX helper_file ON helper(file);
CREATE INDEX aid_file ON aid(file);
CREATE INDEX aid_counted ON aid(address, deleted, excluded, "on", helper, value);
"""
_TABLES = ("unit", "address", "helper", "aid", "return")
# The SQL table of each kind («return» is a word of SQL): a unit's hand-filled returns.
_SQL = {"unit": "unit", "address": "address", "helper": "helper", "aid": "aid", "return": "filed"}
_RETURN_FIGURES = ("dossiers", "red_cross", "outside", "people", "value")

# Per row: live addresses, column 3, column 4, column 5, column 7, column 8. A helped address
# is one with aid counted in the period; `red_cross` says whether a live Red Cross helper gave
# any of it.
_COLUMNS = """
WITH placed AS (
    SELECT address.id, rows.row, address.people, address.dossier_on
    FROM address JOIN temp.rows ON rows.code = coalesce(
        (SELECT code FROM temp.rows WHERE code = address.unit), address.former_unit)
    WHERE NOT address.deleted
), helped AS (
    SELECT aid.address, max(coalesce(helper.side = 'red_cross', 0)) AS red_cross,
           sum(aid.value) AS value
    FROM placed JOIN aid ON aid.address = placed.id
         LEFT JOIN helper ON helper.id = aid.helper AND NOT helper.deleted
    WHERE NOT aid.deleted AND aid.excluded IS NULL AND aid."on" BETWEEN :start AND :end
    GROUP BY aid.address
)
SELECT placed.row,
       count(*),
       total(placed.dossier_on IS NOT NULL AND placed.dossier_on <= :end),
       total(helped.red_cross = 1),
       total(helped.red_cross = 0),
       total(CASE WHEN helped.address IS NULL THEN 0 ELSE placed.people END),
       coalesce(sum(helped.value), 0)
FROM placed LEFT JOIN helped ON helped.address = placed.id
GROUP BY placed.row
"""
_EXCLUDED = """
SELECT rows.row, aid.excluded, count(*), sum(aid.value)
FROM address JOIN temp.rows ON rows.code = coalesce(
        (SELECT code FROM temp.rows WHERE code = address.unit), address.former_unit)
     JOIN aid ON aid.address = address.id
WHERE NOT address.deleted AND NOT aid.deleted AND aid.excluded IS NOT NULL
      AND aid."on" BETWEEN :start AND :end
GROUP BY rows.row, aid.excluded
"""


class Unindexable(Exception):
    """A unit file the index does not take as it is: the store must be loaded to read it."""


class SummaryIndex:
    """The index of one store's folder; `refresh` it with the unit files' bytes before use."""

    def __init__(self, db: sqlite3.Connection, path: Path, read_only: bool = False) -> None:
        self._db = db
        self.path = path
        self.read_only = read_only

    @classmethod
    def open(cls, store_path: Path, *, read_only: bool = False) -> SummaryIndex | None:
        """The store's index, made when missing; None when it cannot be had (a folder that
        takes no writes, another program holding it too long).

        With `read_only` (a store another program holds, a write-protected stick) nothing is
        written: an index that is missing, of another version, or not fresh is not used."""
        path = store_path / FOLDER / NAME
        if read_only and not path.is_file():
            return None
        for attempt in range(2):
            try:
                if read_only:
                    db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
                else:
                    path.parent.mkdir(exist_ok=True)
                    db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
                db.isolation_level = None
            except (OSError, sqlite3.Error):
                return None
            index = cls(db, path, read_only)
            try:
                index._prepare()
                return index
            except sqlite3.OperationalError:  # busy, locked, read only, an I/O error
                db.close()
                return None
            except sqlite3.DatabaseError:  # not an SQLite file, or a damaged one
                db.close()
                if attempt or read_only or not _discard(path):
                    return None
        return None

    def close(self) -> None:
        self._db.close()

    def _prepare(self) -> None:
        db = self._db
        if self._schema() == SCHEMA_VERSION:
            return
        if self.read_only:
            raise sqlite3.OperationalError("the index is of another version")
        db.execute("PRAGMA synchronous = NORMAL")  # a refresh lost to a power cut is made again
        db.execute("BEGIN IMMEDIATE")
        try:
            if self._schema() != SCHEMA_VERSION:  # another summary may have made it meanwhile
                for name in ("meta", "file", "verdict", "ref", *_SQL.values()):
                    db.execute(f"DROP TABLE IF EXISTS {name}")
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _schema(self) -> object:
        db = self._db
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone() is None:
            return None
        found = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        return None if found is None else found[0]

    def refresh(self, files: Mapping[str, Path], *, partial: bool = False) -> bool:
        """Make the index hold exactly the records of `files` (unit code → its path), each file
        read once, one at a time (memory holds one file, never the store). With `partial`,
        only those files are looked at: the others are kept as they are.

        False, with the index as it was, when a file cannot be indexed or the index cannot be
        written (or is read only and not fresh): then the store must be counted from its
        loaded records. OSError when a file cannot be read."""
        db = self._db
        try:
            db.execute("BEGIN")  # deferred: a fresh index is only read
            try:
                known = dict(db.execute("SELECT code, sha256 FROM file").fetchall())
                for code in sorted(files):
                    payload = files[code].read_bytes()
                    digest = hashlib.sha256(payload).digest()
                    if known.pop(code, None) == digest:
                        continue
                    if self.read_only:
                        raise Unindexable(code)
                    self._drop(code)
                    self._insert(code, payload)
                    db.execute("INSERT INTO file VALUES (?, ?)", (code, digest))
                for code in () if partial else known:  # files that are gone
                    if self.read_only:
                        raise Unindexable(code)
                    self._drop(code)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except (Unindexable, sqlite3.OperationalError):
            return False
        except sqlite3.DatabaseError:
            self._discard()
            return False
        return True

    def _discard(self) -> None:
        """A damaged index: closed, and removed to be made again next time."""
        self._db.close()
        if not self.read_only:
            _discard(self.path)

    def _drop(self, code: str) -> None:
        """Forget what the index holds of one unit file."""
        self._db.execute("DELETE FROM file WHERE code = ?", (code,))
        for table in _TABLES:
            self._db.execute(f"DELETE FROM {_SQL[table]} WHERE file = ?", (code,))

    def _insert(self, code: str, payload: bytes) -> None:
        try:
            data = strict_json.loads(payload)
        except orjson.JSONDecodeError:
            raise Unindexable(code) from None
        if not shapes.unit_file(code)(data):
            raise Unindexable(code)
        assert isinstance(data, dict)
        tables: dict[str, list[dict]] = {name: [] for name in _TABLES}
        for table, documents in data.items():
            kind = _KIND_OF_COLLECTION.get(table.split(".", 1)[0])
            if kind in tables:
                tables[kind].extend(documents.values())
        db = self._db
        for kind, documents in tables.items():
            marks = ", ".join("?" * _WIDTH[kind])
            db.executemany(
                f"INSERT INTO {_SQL[kind]} VALUES ({marks})", _rows(kind, code, documents)
            )

    def files_holding(self, ids: Iterable[str]) -> set[str]:
        """The unit files that hold a unit, address, helper or aid with one of `ids`."""
        db = self._db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted(id TEXT PRIMARY KEY) WITHOUT ROWID")
        try:
            db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((i,) for i in ids))
            return {
                code
                for table in _TABLES
                for (code,) in db.execute(
                    f"SELECT DISTINCT {_SQL[table]}.file FROM wanted JOIN {_SQL[table]} USING (id)"
                )
            }
        finally:
            db.execute("DELETE FROM wanted")

    # ------------------------------------------------------------ what `check` keeps

    def lookup(self, kind: str) -> Lookup:
        """The addresses or helpers of every indexed file by id, as `campaign.validation.Known`
        looks them up (tombstones included, as in a loaded store)."""
        return Lookup(self._db, kind)

    def unchecked(self, rules: bytes, today: str) -> set[str]:
        """The indexed files whose kept verdict cannot be used: none kept, or kept for other
        bytes, other rules or unit tree (`rules`), a later day, or a day other than `today` when
        it found problems (their sentences may name the day); or an address or helper its
        records looked up is not now what it was."""
        query = f"""
            SELECT file.code FROM file LEFT JOIN verdict ON verdict.file = file.code
            WHERE verdict.file IS NULL OR verdict.sha256 != file.sha256
               OR verdict.rules != :rules OR verdict.today > :today
               OR (verdict.problems != '[]' AND verdict.today != :today)
            UNION SELECT ref.file FROM ref LEFT JOIN address ON address.id = ref.id
            WHERE ref.kind = 'address' AND ref.fact IS NOT ({_FACT["address"]})
            UNION SELECT ref.file FROM ref LEFT JOIN helper ON helper.id = ref.id
            WHERE ref.kind = 'helper' AND ref.fact IS NOT ({_FACT["helper"]})
        """
        return {code for (code,) in self._db.execute(query, {"rules": rules, "today": today})}

    def verdicts(self) -> dict[str, tuple[list[str], str]]:
        """The problems and the newest version kept for each file."""
        return {
            code: (orjson.loads(problems), newest)
            for code, problems, newest in self._db.execute(
                "SELECT file, problems, newest FROM verdict"
            )
        }

    def keep_verdicts(self, verdicts: Iterable[Verdict]) -> None:
        """Keep what the check found in each of these files, and drop what was kept for files
        that are gone. Nothing when the index is read only: the next check looks again."""
        if self.read_only:
            return
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            for verdict in verdicts:
                db.execute("DELETE FROM ref WHERE file = ?", (verdict.code,))
                db.execute(
                    "INSERT OR REPLACE INTO verdict VALUES (?, ?, ?, ?, ?, ?)",
                    (verdict.code, verdict.sha256, verdict.rules, verdict.today,
                     verdict.newest, orjson.dumps(verdict.problems).decode()),
                )  # fmt: skip
                db.executemany(
                    "INSERT INTO ref VALUES (?, ?, ?, ?)",
                    ((verdict.code, kind, key, fact) for (kind, key), fact in verdict.looked_up),
                )
            for table in ("verdict", "ref"):
                db.execute(f"DELETE FROM {table} WHERE file NOT IN (SELECT code FROM file)")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def sha256(self, code: str) -> bytes | None:
        """The SHA-256 of the bytes of `code`'s file that the index holds."""
        found = self._db.execute("SELECT sha256 FROM file WHERE code = ?", (code,)).fetchone()
        return None if found is None else found[0]

    def totals(self) -> tuple[int, int, int]:
        """The unit files, live addresses and live aid records the index holds."""
        db = self._db
        files = db.execute("SELECT count(*) FROM file").fetchone()[0]
        addresses = db.execute("SELECT count(*) FROM address WHERE NOT deleted").fetchone()[0]
        aid = db.execute("SELECT count(*) FROM aid WHERE NOT deleted").fetchone()[0]
        return files, addresses, aid

    def units(self) -> Iterator[dict]:
        """The unit records of the files (tombstones included, with `deleted` set)."""
        for code, name, kind, parent, deleted in self._db.execute(
            "SELECT code, name, kind, parent, deleted FROM unit ORDER BY file, id"
        ):
            yield {"code": code, "name": name, "kind": kind, "parent": parent, "deleted": deleted}

    def table(self, tree: UnitTree, unit: str, period: Period) -> Tally | None:
        """The summary table of `unit` over `period` (columns 3–8, by `tally`'s rows); None
        when SQLite cannot count it (the file damaged since it was refreshed)."""
        try:
            figures = self.count(tree.row_of(unit), period)
            result = table_of_figures(tree, unit, period, figures)
            returns = self.returns(period)
            if returns:
                add_returns(result, tree, returns, lambda code: self._detailed(tree, code, period))
        except sqlite3.OperationalError:
            return None
        except sqlite3.DatabaseError:
            self._discard()
            return None
        return result

    def returns(self, period: Period) -> list[dict]:
        """The live returns of `period` (their unit, figures and id)."""
        names = ("id", "unit", "year_from", "year_to", *_RETURN_FIGURES)
        query = (
            f"SELECT {', '.join(names)} FROM filed WHERE NOT deleted AND year_from = ? "
            "AND year_to = ? ORDER BY id"
        )
        rows = self._db.execute(query, (period.year_from, period.year_to))
        return [dict(zip(names, row, strict=True)) for row in rows]

    def _detailed(self, tree: UnitTree, code: str, period: Period) -> dict[str, int] | None:
        """Columns 3–8 of the detailed records of `code`'s subtree, or None without any."""
        found = self.count(dict.fromkeys(tree.subtree(code), code), period).get(code)
        if found is None:
            return None
        helped = found.red_cross + found.outside
        return {"3": found.dossiers, "4": found.red_cross, "5": found.outside, "6": helped,
                "7": found.people, "8": found.value}  # fmt: skip

    def count(self, row_of: Mapping[str, str], period: Period) -> dict[str, Figures]:
        """Columns 3–8, the live addresses and the excluded aid by reason, for each row of
        `row_of` (each unit of the subtree → its row) that has a live address."""
        db = self._db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS rows(code TEXT PRIMARY KEY, row TEXT)")
        db.execute("DELETE FROM temp.rows")
        db.executemany("INSERT INTO temp.rows VALUES (?, ?)", row_of.items())
        bounds = {"start": period.start, "end": period.end}
        figures = {
            row: Figures(*(int(n) for n in numbers))
            for row, *numbers in db.execute(_COLUMNS, bounds)
        }
        for row, reason, number, value in db.execute(_EXCLUDED, bounds):
            figures.setdefault(row, Figures()).excluded[reason] = (number, value)
        return figures


# What a lookup of `check` found, as SQL over the row found (NULL: none): what the rules of
# campaign/validation.py read of another record (an address's survey day, a helper's side and
# name). A verdict is used again only while these are what they were.
_FACT = {
    "address": "CASE WHEN address.id IS NULL THEN NULL ELSE coalesce(address.surveyed_on, '') END",
    "helper": "CASE WHEN helper.id IS NULL THEN NULL "
    "ELSE helper.side || char(31) || coalesce(helper.name, '') END",
}
_LOOKUP = {
    "address": f"SELECT {_FACT['address']}, address.surveyed_on FROM address WHERE id = ?",
    "helper": f"SELECT {_FACT['helper']}, helper.side, helper.name FROM helper WHERE id = ?",
}


@dataclass
class Verdict:
    """What `check` found in one unit file, and what it was found by (`unchecked`)."""

    code: str
    sha256: bytes
    rules: bytes
    today: str
    newest: str
    problems: list[str]
    looked_up: list[tuple[tuple[str, str], str | None]]  # ((kind, id), fact or None)


class Lookup(Mapping):
    """Addresses or helpers by id from the index, with the fields the rules read of them.
    `found` keeps what each lookup found (its fact), for the verdict of the file checked."""

    def __init__(self, db: sqlite3.Connection, kind: str) -> None:
        self._db = db
        self._kind = kind
        self._query = _LOOKUP[kind]
        self.found: dict[tuple[str, str], str | None] = {}
        self._records: dict[str, dict | None] = {}

    def get(self, key: str, default: object = None) -> object:  # type: ignore[override]
        if key in self._records:
            record = self._records[key]
        else:
            row = self._db.execute(self._query, (key,)).fetchone()
            if row is None:
                record = None
                self.found[self._kind, key] = None
            elif self._kind == "address":
                record = {"id": key, "surveyed_on": row[1]}
                self.found[self._kind, key] = row[0]
            else:
                record = {"id": key, "side": row[1], "name": row[2]}
                self.found[self._kind, key] = row[0]
            self._records[key] = record
        return default if record is None else record

    def __getitem__(self, key: str) -> dict:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found  # type: ignore[return-value]

    def __iter__(self) -> Iterator[str]:
        return (key for (key,) in self._db.execute(f"SELECT id FROM {self._kind}"))

    def __len__(self) -> int:
        return self._db.execute(f"SELECT count(*) FROM {self._kind}").fetchone()[0]


def _discard(path: Path) -> bool:
    """Remove a damaged index and its journal; False when they cannot be removed."""
    try:
        path.unlink(missing_ok=True)
        path.with_name(f"{path.name}-journal").unlink(missing_ok=True)
    except OSError:
        return False
    return True


_KIND_OF_COLLECTION = {spec.collection: name for name, spec in KINDS.items()}
_WIDTH = {"unit": 7, "address": 8, "helper": 5, "aid": 8, "return": 11}


def _text(value: object) -> str:
    if value.__class__ is not str:
        raise Unindexable(value)
    return value  # type: ignore[return-value]


def _optional_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _integer(value: object) -> int:
    if value.__class__ is not int:  # never `true`, never 1.0: the tally would differ
        raise Unindexable(value)
    return value  # type: ignore[return-value]


def _rows(kind: str, code: str, documents: Iterable[dict]) -> Iterator[tuple]:
    """The index's row of each stored document; Unindexable for a field of a type the tally
    would not count the same way."""
    if kind == "aid":
        for d in documents:
            yield (d["id"], code, _text(d.get("address")), _optional_text(d.get("helper")),
                   _text(d.get("on")), _integer(d.get("value")), _optional_text(d.get("excluded")),
                   bool(d.get("deleted")))  # fmt: skip
    elif kind == "address":
        for d in documents:
            yield (d["id"], code, _text(d.get("unit")), _optional_text(d.get("former_unit")),
                   _integer(d.get("people")), _optional_text(d.get("dossier_on")),
                   bool(d.get("deleted")), _optional_text(d.get("surveyed_on")))  # fmt: skip
    elif kind == "return":
        for d in documents:
            yield (d["id"], code, _text(d.get("unit")), _integer(d.get("year_from")),
                   _integer(d.get("year_to")), *(_integer(d.get(n)) for n in _RETURN_FIGURES),
                   bool(d.get("deleted")))  # fmt: skip
    elif kind == "helper":
        for d in documents:
            yield (d["id"], code, _text(d.get("side")), bool(d.get("deleted")),
                   _optional_text(d.get("name")))  # fmt: skip
    else:
        for d in documents:
            yield (d["id"], code, _text(d.get("code")), _text(d.get("name")),
                   _text(d.get("kind")), _optional_text(d.get("parent")),
                   bool(d.get("deleted")))  # fmt: skip
