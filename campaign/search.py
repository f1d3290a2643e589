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

    def in_words(self, words_key: str) -> bool:
        """Whether every word starts a word of `words_key` (made by `key` of all the texts)."""
        return all(
            f" {word}" in words_key or f" {ABBREVIATIONS.get(word, word)}" in words_key
            for word in self.words
        )
