"""Bundles written by hand from docs/BUNDLE.md, without our writer: zips, manifests, signatures.

The signing here is a second, independent implementation of minisign's prehashed format
(hashlib's BLAKE2b-512 and cryptography's Ed25519), so that a mistake in sync/minisign.py
cannot hide itself.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import uuid
import warnings
import zipfile
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


@dataclass
class Key:
    """An Ed25519 key with a minisign key id, as an office would have."""

    private: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)

    @property
    def raw(self) -> bytes:
        return self.private.public_key().public_bytes_raw()

    @property
    def key_id(self) -> bytes:
        return hashlib.blake2b(self.raw, digest_size=8).digest()

    @property
    def id_text(self) -> str:
        return f"{int.from_bytes(self.key_id, 'little'):016X}"

    @property
    def line(self) -> str:
        """The base64 line of the public key file (what a manifest's `public` holds)."""
        return base64.b64encode(b"Ed" + self.key_id + self.raw).decode()

    def pub_file(self) -> str:
        return f"untrusted comment: minisign public key {self.id_text}\n{self.line}\n"

    def sign(self, message: bytes, comment: str) -> bytes:
        signature = self.private.sign(hashlib.blake2b(message).digest())
        global_signature = self.private.sign(signature + comment.encode())
        return (
            "untrusted comment: crafted by a test\n"
            + base64.b64encode(b"ED" + self.key_id + signature).decode()
            + f"\ntrusted comment: {comment}\n"
            + base64.b64encode(global_signature).decode()
            + "\n"
        ).encode()


def version(n: int, node: str = "25456-test") -> str:
    """A hybrid-clock version in 2024, `n` milliseconds apart."""
    return f"{1_733_000_000_000 + n:013d}-0000-{node}"


def line(kind: str, data: dict, owner: str, v: str, **envelope: object) -> dict:
    """One record line: the envelope, then the record's fields in `data`."""
    key = {"unit": "code", "assessment": "unit"}.get(kind, "id")
    node = v.split("-", 2)[2]
    return {"kind": kind, "id": data[key], "owner": owner, "v": v, "by": node, **envelope,
            "data": data}  # fmt: skip


def jsonl(lines: list[dict]) -> bytes:
    return b"".join(json.dumps(item, ensure_ascii=False).encode() + b"\n" for item in lines)


def manifest(
    key: Key,
    sender: str,
    files: dict[str, bytes],
    *,
    kind: str = "records",
    sequence: int = 1,
    to: str | None = "72",
    counts: dict[str, int] | None = None,
    **overrides: object,
) -> dict:
    data = {
        "format": "nhandao-bundle",
        "version": 1,
        "kind": kind,
        "bundle": str(uuid.uuid4()),
        "sender": sender,
        "key": key.id_text,
        "public": key.line,
        "sequence": sequence,
        "created": version(10_000, f"{sender}-test"),
        "to": to,
        "files": [
            {
                "path": path,
                "sha256": hashlib.sha256(content).hexdigest(),
                "size": len(content),
                "records": (counts or {}).get(path, content.count(b"\n")),
            }
            for path, content in files.items()
        ],
    }
    data.update(overrides)
    return data


def comment(data: dict) -> str:
    return (
        f"nhandao-bundle v{data['version']} kind={data['kind']} bundle={data['bundle']} "
        f"sender={data['sender']} sequence={data['sequence']}"
    )


def zip_of(members: list[tuple[str, bytes]], *, encrypt: set[str] | None = None) -> bytes:
    """A zip of these members in this order (names are written as given, even `../x`)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of a name written twice: we mean it
        for name, content in members:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    payload = bytearray(buffer.getvalue())
    for name in encrypt or ():
        _mark_encrypted(payload, name.encode())
    return bytes(payload)


def _mark_encrypted(payload: bytearray, name: bytes) -> None:
    """Set the "encrypted" flag of a member in its local header and its central directory
    entry, as a password-protecting tool does (zipfile cannot write encrypted members)."""
    position = 0
    while (position := payload.find(b"PK\x03\x04", position)) >= 0:
        length = int.from_bytes(payload[position + 26 : position + 28], "little")
        if payload[position + 30 : position + 30 + length] == name:
            payload[position + 6] |= 0x1
        position += 4
    position = 0
    while (position := payload.find(b"PK\x01\x02", position)) >= 0:
        length = int.from_bytes(payload[position + 28 : position + 30], "little")
        if payload[position + 46 : position + 46 + length] == name:
            payload[position + 8] |= 0x1
        position += 4


def bundle(
    key: Key,
    sender: str,
    files: dict[str, bytes],
    *,
    manifest_bytes: bytes | None = None,
    extra: list[tuple[str, bytes]] | None = None,
    signed_comment: str | None = None,
    **manifest_fields: object,
) -> bytes:
    """A complete bundle; every argument can make it wrong in one precise way."""
    data = manifest(key, sender, files, **manifest_fields)  # type: ignore[arg-type]
    payload = manifest_bytes or json.dumps(data, indent=2, ensure_ascii=False).encode() + b"\n"
    signature = key.sign(payload, signed_comment or comment(data))
    members = [("manifest.json", payload), ("manifest.json.minisig", signature)]
    members += list(files.items()) + (extra or [])
    return zip_of(members)
