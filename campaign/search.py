"""How the words a clerk types find a record: as a phrase, accents optional, with the
abbreviations of Vietnamese addresses.

A query is folded (`text.fold`: no accents, đ = d, lower case), digits are split from letters
(«kp3» is «kp 3») and the abbreviations offices write are read both ways («kp» is also «khu
phố», «tdp» «tổ dân phố»). A text *contains the phrase* when the query's words follow one
another in it, each the start of a word of the text, every word but the last whole; a number is
always whole («khu pho 1» is not «Khu phố 10»). Where no text contains the phrase, the search
falls back to texts holding every word somewhere (`words_key`), and says so.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from campaign.text import fold

# The abbreviations of places on Vietnamese forms, folded.
ABBREVIATIONS = {"kp": "khu pho", "tdp": "to dan pho", "tt": "thi tran"}
_LETTERS_DIGITS = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")


def key(text: str) -> str:
    """What a query is matched against: the folded text between spaces."""
    return f" {fold(text)} "


@dataclass(frozen=True)
class Query:
    """A query read once, matched against many keys."""

    words: tuple[str, ...]
    phrases: tuple[str, ...]  # the needles: one per reading of the abbreviations

    @classmethod
    def of(cls, typed: str) -> Query:
        words = tuple(_LETTERS_DIGITS.sub(" ", fold(typed)).split())
        if not words:
            return cls((), ())
        readings: list[list[str]] = [[]]
        for word in words:
            long = ABBREVIATIONS.get(word)
            readings = [[*r, w] for r in readings for w in ([word, long] if long else [word])]
        phrases = []
        for reading in readings:
            needle = " " + " ".join(reading)
            if reading[-1].isdigit():
                needle += " "  # a number is whole
            phrases.append(needle)
        return cls(words, tuple(dict.fromkeys(phrases)))

    def __bool__(self) -> bool:
        return bool(self.words)

    def in_phrase(self, *keys: str) -> bool:
        """Whether one of `keys` (made by `key`) contains the phrase."""
        return any(needle in k for k in keys for needle in self.phrases)

    def phrase_in(self, *haystacks: Haystack) -> set[int]:
        """The positions of the keys, in any of `haystacks`, that contain the phrase: what
        `in_phrase` says of each key, found at once."""
        return {
            n for haystack in haystacks for needle in self.phrases for n in haystack.holding(needle)
        }

    def words_in(self, haystack: Haystack) -> set[int]:
        """The positions of the keys of `haystack` holding every word: `in_words` of each."""
        found: set[int] | None = None
        for word in self.words:
            holding = haystack.holding(f" {word}") | haystack.holding(
                f" {ABBREVIATIONS.get(word, word)}"
            )
            found = holding if found is None else found & holding
        return found or set()

    def in_words(self, words_key: str) -> bool:
        """Whether every word starts a word of `words_key` (made by `key` of all the texts)."""
        return all(
            f" {word}" in words_key or f" {ABBREVIATIONS.get(word, word)}" in words_key
            for word in self.words
        )


# Between two keys of a haystack: a character no key holds (`key` of a line of text, where
# control characters are refused).
_SEPARATOR = "\x00"


class Haystack:
    """Many keys searched at once. They are joined into one text, in which a needle is found by
    `str.find` (a pass in C over the text, not a Python loop over the keys); each place found
    is turned back into its key's position. At a province's 116,000 addresses a keystroke's
    search then takes a few milliseconds, not a Python call per address."""

    def __init__(self, keys: Sequence[str]) -> None:
        self._text = _SEPARATOR.join(keys)
        starts, at = [], 0
        for text in keys:
            starts.append(at)
            at += len(text) + 1
        self._starts = starts
        self._ends = [*starts[1:], len(self._text) + 1]

    def holding(self, needle: str) -> set[int]:
        """The positions of the keys that contain `needle`."""
        found: set[int] = set()
        if not needle or _SEPARATOR in needle:  # no key holds the separator
            return found
        find, starts, ends = self._text.find, self._starts, self._ends
        at = find(needle)
        while at != -1:
            position = bisect_right(starts, at) - 1
            found.add(position)
            at = find(needle, ends[position])  # the next key: one each
        return found
