"""A TinyDB storage that writes durably (temp file, fsync, replace) with orjson and keeps backups.

It plays the part of TinyDB's `JSONStorage`, but never rewrites a file in place, keeps the
parsed data in memory between operations (TinyDB reads the whole storage before every change),
can gather several operations into one write with `batch()`, and serialises again only the
tables that changed: TinyDB replaces the dictionary of every table it changes, so a table
whose dictionary is the one serialised last time is written from the bytes kept then.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

import orjson
from tinydb.storages import Storage

from store import strict_json
from store.files import BackedUpFile


class AtomicJSONStorage(Storage):
    """TinyDB storage over one JSON file, replaced atomically on every write."""

    # Serialised tables cost memory (as much as the file): keep them for the files written last.
    FILES_WITH_KEPT_TABLES = 8
    _recent: ClassVar[OrderedDict[int, AtomicJSONStorage]] = OrderedDict()

    def __init__(
        self,
        path: str | Path,
        backups: str | Path | None = None,
        preloaded: dict | None = None,
        file: BackedUpFile | None = None,
    ) -> None:
        path = Path(path)
        self.file = file or BackedUpFile(
            path, Path(backups) if backups else path.parent / "backups" / path.stem
        )
        self._data: dict | None = preloaded
        self._batch_depth = 0
        self._dirty = False
        # For each table: the dictionary serialised at the last write, and its bytes.
        self._serialised: dict[str, tuple[dict, orjson.Fragment]] = {}

    @property
    def path(self) -> Path:
        return self.file.path

    def read(self) -> dict | None:
        if self._data is None:
            try:
                self._data = strict_json.loads(self.file.path.read_bytes())
            except FileNotFoundError:
                return None
        return self._data

    def write(self, data: dict) -> None:
        self._data = data
        if self._batch_depth:
            self._dirty = True
            return
        self._flush()

    def _flush(self) -> None:
        assert self._data is not None
        try:
            self.file.write(orjson.dumps(self._tables()))
        except BaseException:
            # What is in memory may now differ from the file: read the file again next time.
            self._data = None
            self._serialised.clear()
            raise
        finally:
            self._dirty = False
        self._remember()

    def _tables(self) -> dict[str, orjson.Fragment]:
        """Each table as JSON bytes: those of the last write when TinyDB has not replaced it."""
        assert self._data is not None
        tables = {}
        for name, table in self._data.items():
            kept = self._serialised.get(name)
            if kept is None or kept[0] is not table:
                kept = self._serialised[name] = (table, orjson.Fragment(orjson.dumps(table)))
            tables[name] = kept[1]
        for name in self._serialised.keys() - self._data.keys():
            del self._serialised[name]
        return tables

    def _remember(self) -> None:
        recent = AtomicJSONStorage._recent
        recent.pop(id(self), None)
        recent[id(self)] = self
        while len(recent) > self.FILES_WITH_KEPT_TABLES:
            _key, oldest = recent.popitem(last=False)
            oldest._serialised.clear()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Gather the writes of the enclosed operations into one durable write at the end.

        If the block raises, nothing is written and the in-memory copy is dropped.
        """
        self._batch_depth += 1
        try:
            yield
        except BaseException:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                self._dirty = False
                self._data = None
                self._serialised.clear()
            raise
        self._batch_depth -= 1
        if self._batch_depth == 0 and self._dirty:
            self._flush()

    def close(self) -> None:
        self._serialised.clear()
        AtomicJSONStorage._recent.pop(id(self), None)
