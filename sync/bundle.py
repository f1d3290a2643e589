"""Bundle format v1 (docs/BUNDLE.md): names, the manifest, and writing a signed bundle.

A bundle is a zip holding `manifest.json`, its signature `manifest.json.minisig` (minisign's
prehashed Ed25519 format) and data files whose SHA-256, size and record count the manifest
lists. Kinds: `records` (records up the tree, `records/<unit>.jsonl`), `directory` (the units
and enrolled keys, down from the province, `directory.json`) and `ack` (what arrived and what
was held back, `ack.json`).
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
import zipfile
from dataclasses import dataclass

import orjson

from campaign.units import UNIT_CODE
from sync import minisign
from sync.keys import OfficeKey

FORMAT = "nhandao-bundle"
VERSION = 1
KINDS = ("records", "directory", "ack")
MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.minisig"
DIRECTORY_FILE = "directory.json"
ACK_FILE = "ack.json"
# A unit code (campaign/units.py) as a file name.
_RECORDS_NAME = re.compile(rf"records/({UNIT_CODE.pattern})\.jsonl")
MANIFEST_FIELDS = ("format", "version", "kind", "bundle", "sender", "key", "public", "sequence",
                   "created", "to", "files")  # fmt: skip
FILE_FIELDS = ("path", "sha256", "size", "records")
# Every zip entry gets this date: a bundle's bytes depend on its content only.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def data_file_allowed(kind: str, path: str) -> bool:
    """True when a data file of this name may be in a bundle of this kind."""
    if kind == "records":
        return _RECORDS_NAME.fullmatch(path) is not None
    if kind == "directory":
        return path == DIRECTORY_FILE
    if kind == "ack":
        return path == ACK_FILE
    return False


def member_allowed(name: str) -> bool:
    """True when a zip member of this name may be in a bundle of some kind."""
    return name in (MANIFEST, SIGNATURE) or any(data_file_allowed(k, name) for k in KINDS)


def unit_of_records_file(path: str) -> str:
    match = _RECORDS_NAME.fullmatch(path)
    assert match is not None
    return match.group(1)


def trusted_comment(manifest: dict) -> str:
    """The signed comment: anyone running `minisign -V` sees what the bundle is."""
    return (
        f"nhandao-bundle v{manifest['version']} kind={manifest['kind']} "
        f"bundle={manifest['bundle']} sender={manifest['sender']} "
        f"sequence={manifest['sequence']}"
    )


def digest(manifest_bytes: bytes) -> str:
    """A bundle's identity in the ledger: the SHA-256 of its manifest's exact bytes (the
    manifest pins every data file by its hash)."""
    return hashlib.sha256(manifest_bytes).hexdigest()


@dataclass(frozen=True)
class DataFile:
    path: str
    content: bytes
    records: int


@dataclass(frozen=True)
class Packed:
    """A written bundle: its zip bytes, its manifest and the manifest's digest."""

    payload: bytes
    manifest: dict
    digest: str


def pack(
    *,
    kind: str,
    sender: str,
    key: OfficeKey,
    sequence: int,
    created: str,
    to: str | None,
    files: list[DataFile],
    office_id: str,
) -> Packed:
    """Write a signed bundle in memory."""
    if kind not in KINDS or any(not data_file_allowed(kind, f.path) for f in files):
        raise ValueError(f"bad bundle content for kind {kind!r}")
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "kind": kind,
        "bundle": str(uuid.uuid4()),
        "sender": sender,
        "key": key.public.id_text,
        # The signing key travels with the bundle: a receiver that has not enrolled it yet
        # can check the signature and show its fingerprint, to enrol it after a phone call.
        "public": key.public.line,
        "sequence": sequence,
        "created": created,
        "to": to,
        "files": [
            {
                "path": f.path,
                "sha256": hashlib.sha256(f.content).hexdigest(),
                "size": len(f.content),
                "records": f.records,
            }
            for f in files
        ],
    }
    manifest_bytes = orjson.dumps(manifest, option=orjson.OPT_INDENT_2) + b"\n"
    signature = minisign.sign(
        key.private,
        manifest_bytes,
        trusted_comment(manifest),
        f"signature from nhandao office {office_id}",
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        members = [(MANIFEST, manifest_bytes), (SIGNATURE, signature)]
        members += [(f.path, f.content) for f in files]
        for name, content in members:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content, compresslevel=6)
    return Packed(buffer.getvalue(), manifest, digest(manifest_bytes))
