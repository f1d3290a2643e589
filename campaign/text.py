"""Vietnamese text: NFC normalisation, accent-insensitive search keys and name collation."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")

# Combining marks that make a new letter of the alphabet (ă, â, ê, ô, ơ, ư), as opposed to tones.
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
# The five tone marks, in the order Vietnamese dictionaries sort them (no tone comes first).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# The alphabet: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, other letters after.
_ALPHABET = [
    "a", "a" + _BREVE, "a" + _CIRCUMFLEX, "b", "c", "d", "đ", "e", "e" + _CIRCUMFLEX, "f", "g",
    "h", "i", "j", "k", "l", "m", "n", "o", "o" + _CIRCUMFLEX, "o" + _HORN, "p", "q", "r", "s",
    "t", "u", "u" + _HORN, "v", "w", "x", "y", "z",
]  # fmt: skip
_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET, start=1)}


def nfc(text: str) -> str:
    """The precomposed (NFC) form of `text`, as every entry point stores it."""
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC, trimmed, with runs of white space (tabs, newlines, NBSP) folded to one space."""
    return _SPACES.sub(" ", nfc(text)).strip()


def fold(text: str) -> str:
    """Search key: lower case, no accents, đ → d, single spaces.

    «Nguyễn Văn A» and "nguyen van a" fold alike, so do «Hoà» and «Hòa».
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare.casefold()).strip()


def matches(query: str, text: str) -> bool:
    """True when every word of the folded `query` occurs in the folded `text`."""
    haystack = fold(text)
    return all(word in haystack for word in fold(query).split())


def collation_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """Sort key in Vietnamese alphabetical order: letters first, then tones, then case."""
    letters: list[int] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFD", clean(text)).lower():
        if ch in _TONES:
            if tones:
                tones[-1] = _TONES[ch]
            continue
        if ch in (_BREVE, _CIRCUMFLEX, _HORN) and letters:
            previous = _ALPHABET[letters[-1] - 1] if 0 < letters[-1] <= len(_ALPHABET) else ""
            letters[-1] = _RANK.get(previous + ch, letters[-1])
            continue
        if unicodedata.combining(ch):
            continue
        letters.append(_RANK.get(ch, 1000 + ord(ch)))
        tones.append(0)
    return tuple(letters), tuple(tones), text


def given_name_key(full_name: str) -> tuple:
    """Sort key for a person's name by given name (the last word), then the rest, as offices do."""
    words = clean(full_name).split(" ")
    given, rest = words[-1], " ".join(words[:-1])
    return collation_key(given), collation_key(rest)
