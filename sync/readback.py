"""Reading back a bundle this office has just written: the bytes as sent, the signature its own.

A USB stick pulled out too early, or a full one, leaves a file that the office above would
refuse; checking it here, while the sender can write it again, saves a trip. The file is read
with the receiver's own checks (docs/BUNDLE.md), this office's key standing in for the
enrolment the receiver holds, so that what passes here passes there.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

from store.store import Store
from sync import bundle, keys, ledger, minisign
from sync.errors import BundleRefused, SyncError
from sync.reader import (
    _ZIP_ERRORS,
    MAX_MANIFEST_BYTES,
    MAX_SIGNATURE_BYTES,
    Bundle,
    _check_claims,
    _check_members,
    _open_zip,
    _parse_manifest,
    _parse_signature,
    _read,
    _read_data_files,
    _verify,
    read_source,
    record_lines,
)


@dataclass(frozen=True)
class Checked:
    """A written bundle that reads back whole: its size on disk and what it carries."""

    path: Path
    size: int
    records: int


def verify_written(store: Store, path: Path) -> Checked:
    """Read `path` back as the office receiving it will: every member against the manifest,
    the manifest against this office's signature and against the bundle the ledger says was
    sent under its number. SyncError with a Vietnamese message when anything differs."""
    path = Path(path)
    again = SyncError(
        f"Gói vừa ghi ở {path} không đọc lại được hoặc không khớp với bản đã ký: có thể ổ đĩa "
        "(USB) bị đầy, hỏng hay được rút ra quá sớm. Gói này không dùng được; hãy ghi lại gói "
        "(ghi ra chỗ khác nếu được)."
    )
    public = keys.own_public_key(store)
    if public is None:
        raise again
    try:
        data = read_source(path)
        with _open_zip(data, path.name) as archive:
            infos = _check_members(archive, path.name)
            signature_bytes = _read(
                archive, infos[bundle.SIGNATURE], MAX_SIGNATURE_BYTES, path.name
            )
            manifest_bytes = _read(archive, infos[bundle.MANIFEST], MAX_MANIFEST_BYTES, path.name)
            signature = _parse_signature(signature_bytes)
            _verify(signature, manifest_bytes, public)
            manifest = _parse_manifest(manifest_bytes)
            signer = keys.Signer(store.office.unit, public, keys.is_province_office(store))
            _check_claims(store, manifest, signature.trusted_comment, signer)
            files = _read_data_files(archive, infos, manifest, path.name)
        found = Bundle(manifest, manifest_bytes, bundle.digest(manifest_bytes), signer, files)
        if found.kind == "records":
            record_lines(found)
        sent = ledger.Ledger(store).find_sent(found.sequence)
        if sent is None or sent["digest"] != found.digest:
            raise again
        size = path.stat().st_size
    except (BundleRefused, minisign.MinisignError, zlib.error, *_ZIP_ERRORS):
        raise again from None
    return Checked(path, size, sum(item["records"] for item in manifest["files"]))
