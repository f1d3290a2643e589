"""Reading back a bundle this office has just written: the bytes as sent, the signature its own.

A USB stick pulled out too early, or a full one, leaves a file that the office above would
refuse; checking it here, while the sender can write it again, saves a trip.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import orjson

from store.store import Store
from sync import keys, minisign
from sync.bundle import MANIFEST, SIGNATURE
from sync.errors import BundleRefused, SyncError
from sync.reader import read_source


@dataclass(frozen=True)
class Checked:
    """A written bundle that reads back whole: its size on disk and what it carries."""

    path: Path
    size: int
    records: int


def verify_written(store: Store, path: Path) -> Checked:
    """Read `path` back and check every member against the signed manifest; SyncError with a
    Vietnamese message when anything differs."""
    again = (
        f"Gói vừa ghi ở {path} đọc lại không khớp với bản đã ký: có thể ổ đĩa (USB) bị đầy, "
        "hỏng hay được rút ra quá sớm. Hãy ghi lại gói (ghi ra chỗ khác nếu được)."
    )
    try:
        data = read_source(path)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            manifest_bytes = archive.read(MANIFEST)
            signature = minisign.parse_signature(archive.read(SIGNATURE))
            public = keys.own_public_key(store)
            if public is None:
                raise SyncError(again)
            minisign.verify(signature, manifest_bytes, public)
            manifest = orjson.loads(manifest_bytes)
            records = 0
            for entry in manifest["files"]:
                content = archive.read(entry["path"])
                if (
                    len(content) != entry["size"]
                    or hashlib.sha256(content).hexdigest() != entry["sha256"]
                ):
                    raise SyncError(again)
                records += entry["records"]
    except (
        BundleRefused,
        OSError,
        KeyError,
        ValueError,
        zipfile.BadZipFile,
        minisign.MinisignError,
    ):
        raise SyncError(again) from None
    return Checked(path, path.stat().st_size, records)
