"""Vietnamese text: what a stored text may hold, how outside text is shown, search and collation.

Text from people and files is data. On entry it is made NFC, invisible zero-width characters
are dropped (`clean`), and a text holding a control character, a direction override or another
format character is refused (`forbidden`). Wherever text is shown, `visible` turns any such
character left in it into a visible placeholder, and `shorten` cuts a long value in a message.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Characters that take no place and carry no meaning in a name or a note (zero-width space,
# joiners, word joiner, byte-order mark, soft hyphen, Mongolian vowel separator): dropped on
# entry, so «Nguyễn\u200bVăn» and «NguyễnVăn» are one name to search and to compare.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200d\u2060\ufeff]")
# Characters a stored text never holds: controls (C0, DEL, C1), format characters (direction
# marks, embeddings, overrides and isolates, invisible operators, tags), lone surrogates, line
# and paragraph separators and noncharacters: Unicode 15.1 categories Cc, Cf, Cs, Zl and Zp.
# tests/campaign/test_text.py checks this class against the running Python's unicodedata.
FORBIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufdd0-\ufdef\ufeff"
    "\ufff9-\ufffb\ufffe\uffff\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    + "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(1, 17))
    + "]"
)
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")

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


def clean(text: str, *, prose: bool = False) -> str:
    """`text` as an entry point stores it: NFC, invisible characters dropped, spaces tidied.

    A line (a name, a place) has every run of white space (tabs, line breaks, NBSP) folded to
    one space. Prose (a note) keeps its line breaks as «\\n»; tabs become spaces.
    """
    # The common case: printable (so no control, format, invisible character or white space
    # but the space), trimmed, no two spaces running in a line, already NFC: kept as it is.
    if (
        text.isprintable()
        and text[:1] != " "
        and text[-1:] != " "
        and (prose or "  " not in text)
        and unicodedata.is_normalized("NFC", text)
    ):
        return text
    text = nfc(_INVISIBLE.sub("", text))  # dropped first: «e\u200b\u0301» composes to «é»
    if not prose:
        return _SPACES.sub(" ", text).strip()
    return _LINE_BREAKS.sub("\n", text).replace("\t", " ").strip()


def forbidden(text: str, *, prose: bool = False) -> tuple[int, str] | None:
    """The first character a stored text may not hold, as (position from 1, «U+001B»), or None.

    Prose may hold line breaks; nothing else of the forbidden class is allowed anywhere.
    """
    if text.isprintable():  # the common case: no control, format or separator character
        return None
    for match in FORBIDDEN.finditer(text):
        if not (prose and match.group() == "\n"):
            return match.start() + 1, f"U+{ord(match.group()):04X}"
    return None


def without_forbidden(text: str, *, prose: bool = False) -> str:
    """`text` with every character a stored text may not hold left out (prose keeps line breaks
    and tabs): what a keyboard or a paste may put into a box."""
    if text.isprintable():
        return text
    kept = "\n\t" if prose else ""
    return FORBIDDEN.sub(lambda match: match.group() if match.group() in kept else "", text)


def visible(text: str, *, lines: bool = False) -> str:
    """`text` safe to show: every control or format character becomes a visible placeholder.

    C0 controls become their Control Pictures («␛» for ESC, «␀» for NUL), DEL «␡», anything
    else «⟨U+202E⟩». With `lines`, line breaks stay; otherwise they show as «␤».
    """
    if text.isprintable() or not FORBIDDEN.search(text):
        return text
    return FORBIDDEN.sub(lambda match: _placeholder(match.group(), lines), text)


def _placeholder(ch: str, lines: bool) -> str:
    code = ord(ch)
    if ch == "\n":
        return "\n" if lines else "\u2424"
    if ch == "\t":
        return " "
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"⟨U+{code:04X}⟩"


def shorten(text: str, limit: int = 80) -> str:
    """`text` cut after `limit` characters, with «…» and its whole length, for a message."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} ký tự)".replace(",", ".")


def quoted(value: object, limit: int = 80) -> str:
    """A value from outside named in a message: «…», shortened, its controls made visible."""
    return f"«{visible(shorten(str(value), limit))}»"


def fold(text: str) -> str:
    """Search key: lower case, no accents, đ → d, single spaces.

    «Nguyễn Văn A» and "nguyen van a" fold alike, so do «Hoà» and «Hòa».
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare.casefold()).strip()


def name_key(text: str) -> str:
    """Whether two names are the same name: case, runs of spaces and where the tone mark sits
    are ignored («Hoà» = «Hòa», «CÔNG TY  An Bình» = «Công ty An Bình»), but not the letters
    or the tones themselves («Hùng» ≠ «Hưng» ≠ «Hứng»), as `fold` would."""
    words = []
    for word in nfc(text).casefold().split():
        decomposed = unicodedata.normalize("NFD", word)
        tones = "".join(ch for ch in decomposed if ch in _TONES)
        letters = "".join(ch for ch in decomposed if ch not in _TONES)
        words.append(unicodedata.normalize("NFC", letters) + tones)
    return " ".join(words)


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
    # A syllable has one tone, wherever it is written («Hoà» and «Hòa» are one name): it counts
    # on the syllable's last letter.
    space = _RANK.get(" ", 1000 + ord(" "))
    start = 0
    for end in [*(i for i, letter in enumerate(letters) if letter == space), len(letters)]:
        if end > start:
            tone = max(tones[start:end])
            tones[start:end] = [0] * (end - start - 1) + [tone]
        start = end + 1
    return tuple(letters), tuple(tones), text


def given_name_key(full_name: str) -> tuple:
    """Sort key for a person's name by given name (the last word), then the rest, as offices do."""
    words = clean(full_name).split(" ")
    given, rest = words[-1], " ".join(words[:-1])
    # The spelling decides last: «Hoà» and «Hòa» are one given name, ordered by the rest.
    return collation_key(given)[:2], collation_key(rest)[:2], full_name


def completion_rank(typed: str, text: str) -> int | None:
    """How well `text` completes what was typed, accents and case ignored; None when it does not.

    0: `text` starts with it («nguyen v» → «Nguyễn Văn An»); 1: its words start words of `text`
    in order («lan» → «Trần Thị Lan», «tran lan» too); 2: its letters are the initials of
    words of `text` that follow one another («bh», «bhyt» → «Thẻ bảo hiểm y tế»).
    """
    wanted = fold(typed)
    if not wanted:
        return None
    haystack = fold(text)
    if haystack.startswith(wanted):
        return 0
    words = haystack.split()
    position = 0
    for part in wanted.split():
        while position < len(words) and not words[position].startswith(part):
            position += 1
        if position == len(words):
            break
        position += 1
    else:
        return 1
    if " " not in wanted and len(wanted) >= 2:
        initials = "".join(word[0] for word in words)
        if wanted in initials:
            return 2
    return None


def completions(typed: str, texts: list[str]) -> list[str]:
    """The texts that complete `typed` (see `completion_rank`), the best first, then A to Z."""
    ranked = [
        (rank, collation_key(t), t)
        for t in texts
        if (rank := completion_rank(typed, t)) is not None
    ]
    return [t for _rank, _key, t in sorted(ranked)]
