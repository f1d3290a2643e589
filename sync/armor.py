"""The e-mail text form of a bundle: base64 between BEGIN and END lines, with a checksum.

    -----BEGIN NHANDAO BUNDLE-----
    UEsDBBQAAAAIAAAAIQA...   (the zip in base64, 64 characters a line)
    =q1w2e3r4                (`=` and the base64 of the first 6 bytes of the zip's SHA-256)
    -----END NHANDAO BUNDLE-----

It is read back from a message as pasted or saved: lines quoted with `>` (any depth), CRLF
line ends, lines re-wrapped to another width or joined, and text around the block.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

BEGIN = "-----BEGIN NHANDAO BUNDLE-----"
END = "-----END NHANDAO BUNDLE-----"
LINE = 64
CHECKSUM_BYTES = 6
_CHECKSUM_CHARS = 8  # base64 of 6 bytes
_QUOTE = re.compile(r"^[ \t>]*", re.MULTILINE)
_BASE64 = re.compile(r"[A-Za-z0-9+/=]*")
_SPACE = re.compile(r"\s+")


class ArmorError(ValueError):
    """Armored text that cannot be read back (message in English). `problem` says which:
    "cut" (no END line), "checksum" (changed on the way) or "damaged"."""

    def __init__(self, problem: str, message: str) -> None:
        super().__init__(message)
        self.problem = problem


def checksum(payload: bytes) -> str:
    return base64.b64encode(hashlib.sha256(payload).digest()[:CHECKSUM_BYTES]).decode("ascii")


def armor(payload: bytes, preface: str = "") -> str:
    """The text form of `payload`; `preface` (a few lines for the person reading the e-mail)
    goes above the block."""
    encoded = base64.b64encode(payload).decode("ascii")
    lines = [encoded[i : i + LINE] for i in range(0, len(encoded), LINE)]
    block = "\n".join([BEGIN, *lines, f"={checksum(payload)}", END])
    return (preface.rstrip("\n") + "\n\n" if preface else "") + block + "\n"


def looks_armored(data: bytes) -> bool:
    return BEGIN.encode("ascii") in data


def dearmor(data: bytes) -> bytes:
    """The bytes inside the first armored block of a message; ArmorError when damaged."""
    text = data.decode("utf-8", errors="replace")
    text = _QUOTE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    start = text.find(BEGIN)
    if start < 0:
        raise ArmorError("damaged", "no BEGIN line")
    end = text.find(END, start)
    if end < 0:
        raise ArmorError("cut", "no END line: the message was cut short")
    body = _SPACE.sub("", text[start + len(BEGIN) : end])
    if not _BASE64.fullmatch(body):
        raise ArmorError("damaged", "characters outside base64 between the BEGIN and END lines")
    if len(body) < _CHECKSUM_CHARS + 1 or body[-_CHECKSUM_CHARS - 1] != "=":
        raise ArmorError("damaged", "no checksum line")
    expected, encoded = body[-_CHECKSUM_CHARS:], body[: -_CHECKSUM_CHARS - 1]
    try:
        payload = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ArmorError("damaged", "the base64 text is damaged") from None
    if checksum(payload) != expected:
        raise ArmorError("checksum", "the checksum does not match: the text was changed on the way")
    return payload
