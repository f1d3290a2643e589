"""minisign's formats: public keys and prehashed Ed25519 signatures, written and checked.

A public key file is two lines: `untrusted comment: …` and the base64 of `Ed` ‖ key id
(8 bytes) ‖ the Ed25519 public key (32 bytes). A signature file is four lines:
`untrusted comment: …`, the base64 of `ED` ‖ key id ‖ the Ed25519 signature of the BLAKE2b-512
hash of the message, `trusted comment: …`, and the base64 of the Ed25519 signature of
(signature ‖ trusted comment). The stock `minisign -Vm FILE -p KEY.pub` checks such a file.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PUBLIC_KEY_ALGORITHM = b"Ed"
PREHASHED_ALGORITHM = b"ED"
KEY_ID_BYTES = 8
_UNTRUSTED = "untrusted comment: "
_TRUSTED = "trusted comment: "
# minisign refuses longer comment lines; ours are far shorter.
MAX_COMMENT = 1024


class MinisignError(ValueError):
    """A key or signature that is malformed or does not verify (message in English)."""


@dataclass(frozen=True)
class PublicKey:
    """An Ed25519 public key with minisign's 8-byte key id."""

    key_id: bytes
    raw: bytes

    def __post_init__(self) -> None:
        if len(self.key_id) != KEY_ID_BYTES or len(self.raw) != 32:
            raise MinisignError("a public key is 8 bytes of key id and 32 bytes of key")

    @property
    def id_text(self) -> str:
        """The key id as minisign prints it: the 8 bytes read as a little-endian number, hex."""
        return f"{int.from_bytes(self.key_id, 'little'):016X}"

    @property
    def line(self) -> str:
        """The base64 line of the public key file (what `minisign -P` takes)."""
        return base64.b64encode(PUBLIC_KEY_ALGORITHM + self.key_id + self.raw).decode("ascii")

    def file_text(self, comment: str) -> str:
        """The public key file: `minisign -Vm FILE -p` reads it."""
        return f"{_UNTRUSTED}{_one_line(comment)}\n{self.line}\n"

    def verifier(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(self.raw)


def key_id_for(raw_public_key: bytes) -> bytes:
    """Our offices' key ids: derived from the key, so a key always has the same id."""
    return hashlib.blake2b(raw_public_key, digest_size=KEY_ID_BYTES).digest()


def public_key_of(private_key: Ed25519PrivateKey) -> PublicKey:
    raw = private_key.public_key().public_bytes_raw()
    return PublicKey(key_id_for(raw), raw)


def parse_public_key(text: str) -> PublicKey:
    """A public key from a minisign public key file, or from its base64 line alone."""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(_UNTRUSTED.strip()):
            continue
        try:
            decoded = base64.b64decode(line, validate=True)
        except (binascii.Error, ValueError):
            continue
        if len(decoded) == 2 + KEY_ID_BYTES + 32 and decoded[:2] == PUBLIC_KEY_ALGORITHM:
            return PublicKey(decoded[2 : 2 + KEY_ID_BYTES], decoded[2 + KEY_ID_BYTES :])
    raise MinisignError("no minisign public key found")


def sign(
    private_key: Ed25519PrivateKey, message: bytes, trusted_comment: str, untrusted_comment: str
) -> bytes:
    """The signature file of `message` in minisign's prehashed format."""
    trusted_comment = _one_line(trusted_comment)
    key = public_key_of(private_key)
    signature = private_key.sign(hashlib.blake2b(message).digest())
    global_signature = private_key.sign(signature + trusted_comment.encode("utf-8"))
    lines = [
        _UNTRUSTED + _one_line(untrusted_comment),
        base64.b64encode(PREHASHED_ALGORITHM + key.key_id + signature).decode("ascii"),
        _TRUSTED + trusted_comment,
        base64.b64encode(global_signature).decode("ascii"),
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Signature:
    """A parsed signature file, not yet checked."""

    key_id: bytes
    signature: bytes
    trusted_comment: str
    global_signature: bytes


def parse_signature(payload: bytes) -> Signature:
    """Read a signature file; MinisignError when it is not one in the prehashed format."""
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        raise MinisignError("the signature file is not UTF-8 text") from None
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) != 4:
        raise MinisignError(f"a signature file has 4 lines, this one has {len(lines)}")
    untrusted, encoded, trusted, encoded_global = lines
    if not untrusted.startswith(_UNTRUSTED) or not trusted.startswith(_TRUSTED):
        raise MinisignError("the comment lines of the signature file are missing")
    if len(untrusted) > MAX_COMMENT or len(trusted) > MAX_COMMENT:
        raise MinisignError("a comment of the signature file is too long")
    try:
        decoded = base64.b64decode(encoded, validate=True)
        global_signature = base64.b64decode(encoded_global, validate=True)
    except (binascii.Error, ValueError):
        raise MinisignError("the signature lines are not base64") from None
    if len(decoded) != 2 + KEY_ID_BYTES + 64 or len(global_signature) != 64:
        raise MinisignError("the signature lines have the wrong length")
    if decoded[:2] != PREHASHED_ALGORITHM:
        raise MinisignError(
            f"signature algorithm {decoded[:2]!r}: only prehashed Ed25519 (ED) is accepted"
        )
    return Signature(
        decoded[2 : 2 + KEY_ID_BYTES],
        decoded[2 + KEY_ID_BYTES :],
        trusted[len(_TRUSTED) :],
        global_signature,
    )


def verify(signature: Signature, message: bytes, key: PublicKey) -> None:
    """Check both signatures of a signature file against `message`; MinisignError if wrong."""
    if signature.key_id != key.key_id:
        raise MinisignError("the signature names another key")
    verifier = key.verifier()
    try:
        verifier.verify(signature.signature, hashlib.blake2b(message).digest())
    except InvalidSignature:
        raise MinisignError("the signature does not match the message") from None
    try:
        verifier.verify(
            signature.global_signature,
            signature.signature + signature.trusted_comment.encode("utf-8"),
        )
    except InvalidSignature:
        raise MinisignError("the trusted comment was altered") from None


def _one_line(text: str) -> str:
    return " ".join(text.split())[:MAX_COMMENT]
