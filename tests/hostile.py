"""Hostile text (issue 13, "text from people and files is data"), for tests of every way text
gets in and every place it is shown.

Names and notes come from keyboards, records files and bundles, and all of it reaches Rich and
Textual, which read `[...]` as markup and `:fire:` as an emoji code, and a terminal, which obeys
ESC, CSI and BEL. What this module gives:

- `NAMED`: fixed examples with readable names, for deterministic tests; `ACCEPTED` are those
  the entry rules take (stored as `clean` makes them), `REFUSED` those they refuse (a control,
  direction or format character), `LONG` a 1 MB name.
- `hostile_text()`: a hypothesis strategy mixing all of it with ordinary Vietnamese words.
- `shown_as(text)`: what a screen or a command must show for a text typed or imported.
- `stored_as(text)` and `first_forbidden(text)`: an independent model (from `unicodedata`,
  not campaign.text) of what the entry rules store, and of the character they must name when
  they refuse a text.
- `raw_controls(text)`: the characters in output that would drive a terminal.
- `planted(store, kind, record)`: a record written as an older version or a hostile folder
  would have left it, bypassing today's validation; `rename_units` does the same for the unit
  directory.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

from hypothesis import strategies as st

from campaign.records import KINDS
from campaign.text import visible
from store.store import Store

# Markup and emoji codes: accepted on entry, shown literally everywhere.
BRACKETS = "Trường THCS [cơ sở 2]"
CLOSE = "Trường THCS Mới [/]"
CLOSE_NAMED = "Nhà hảo tâm [/ẩn danh]"
STYLE = "[bold red]Hộ bà Năm"
LINK = "[link=https://evil]Sáu[/link]"
CLICK = "[@click=app.quit]Bà Bảy"
EMOJI = "Bếp :fire: ấm"
OPEN = "Ấp [Bàu Sen"
SHUT = "Khu phố 3]"
# Invisible or decomposed: accepted, stored cleaned (zero-width dropped, NFC).
ZERO_WIDTH = "Đặng\u200bVăn Tư"
BOM = "\ufeffHoàng Anh"
NFD = unicodedata.normalize("NFD", "Nguyễn Thị Hằng")
# Controls, direction and format characters: refused on entry; a screen must never pass them on.
CLEAR = "Ông Tám\x1b[2J"
TITLE = "Bà Chín\x1b]0;pwned\x07"
COLOUR = "\x1b[31mChị Mười"
BARE_ESC = "Lê\x1bVăn"
CSI = "Phạm\x9bThị"
NUL = "Hồ\x00Văn"
OVERRIDE = "Ngô\u202eThị"
ISOLATE = "\u2066Vũ Văn"
# A million characters.
LONG = "Nguyễn Văn " * 95_325 + "A"

ACCEPTED: dict[str, str] = {
    "brackets": BRACKETS,
    "close": CLOSE,
    "close_named": CLOSE_NAMED,
    "style": STYLE,
    "link": LINK,
    "click": CLICK,
    "emoji": EMOJI,
    "open": OPEN,
    "shut": SHUT,
    "zero_width": ZERO_WIDTH,
    "bom": BOM,
    "nfd": NFD,
}
REFUSED: dict[str, str] = {
    "clear": CLEAR,
    "title": TITLE,
    "colour": COLOUR,
    "bare_esc": BARE_ESC,
    "csi": CSI,
    "nul": NUL,
    "override": OVERRIDE,
    "isolate": ISOLATE,
}
NAMED: dict[str, str] = {**ACCEPTED, **REFUSED}
# The code point the entry rules must name for each refused example.
REFUSED_CODE = {
    "clear": "U+001B",
    "title": "U+001B",
    "colour": "U+001B",
    "bare_esc": "U+001B",
    "csi": "U+009B",
    "nul": "U+0000",
    "override": "U+202E",
    "isolate": "U+2066",
}

MARKUP_PIECES = (
    "[",
    "]",
    "[/]",
    "[/ẩn danh]",
    "[bold red]",
    "[link=https://evil]x[/link]",
    "[@click=app.quit]",
    ":fire:",
    "[cơ sở 2]",
)
CONTROL_PIECES = (
    "\x1b[2J",
    "\x1b]0;pwned\x07",
    "\x1b[31m",
    "\x1b",
    "\x9b",
    "\x00",
    "\x07",
    "\u202e",
    "\u2066",
)
INVISIBLE_PIECES = ("\u200b", "\ufeff", "\u00ad", "\u2060")
WORDS = (
    "Nguyễn",
    "Thị",
    "Hằng",
    "Trường",
    "THCS",
    "Ấp",
    "Bàu Sen",
    "hộ",
    "bà",
    "Năm",
    "khu phố",
    "Đỗ",
    "Ửng",
    unicodedata.normalize("NFD", "Phường Hiệp Ninh"),
    "\u0301",  # a lone combining mark, to sit after an invisible character
    "Tây Ninh",
)
# Zero-width characters are dropped on entry; a combining mark may follow one.
INVISIBLE = frozenset("\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff")


def hostile_text(*, long: bool = True, surrogates: bool = True) -> st.SearchStrategy[str]:
    """Hostile text: markup, emoji codes, escape sequences, NUL, bidi and zero-width characters,
    decomposed Vietnamese and (with `long`) a 1 MB name, mixed with ordinary words."""
    odd = st.characters(
        categories=["Cc", "Cf", "Zl", "Zp", "Zs", "Mn", *(["Cs"] if surrogates else [])]
    )
    piece = st.one_of(
        st.sampled_from(MARKUP_PIECES),
        st.sampled_from(CONTROL_PIECES),
        st.sampled_from(INVISIBLE_PIECES),
        st.sampled_from(WORDS),
        odd,
        st.text(max_size=4),
    )
    joiner = st.sampled_from(["", " "])
    mixed = st.lists(st.tuples(piece, joiner), min_size=1, max_size=8).map(
        lambda parts: "".join(p + j for p, j in parts)
    )
    named = st.sampled_from(sorted(NAMED.values()))
    strategies = [mixed, named]
    if long:
        strategies.append(st.just(LONG))
    return st.one_of(*strategies)


def shown_as(text: str, *, prose: bool = False) -> str:
    """What a screen or a command must show for `text`, typed or imported (stored as `clean`
    makes it) or planted as such in an older store: the stored text, its controls made
    visible placeholders (a note keeps its line breaks), brackets and emoji codes as they
    are."""
    return visible(stored_as(text, prose=prose), lines=prose)


def is_forbidden(ch: str) -> bool:
    """A character a stored text must not hold, from the Unicode database: controls, format
    characters, surrogates, line and paragraph separators and noncharacters."""
    code = ord(ch)
    if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
        return True
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def stored_as(text: str, *, prose: bool = False) -> str:
    """What the entry rules store for `text` before they look for forbidden characters (an
    independent model of `campaign.text.clean`): NFC, zero-width characters dropped; a line has
    its white space (tabs, line breaks, NBSP…) folded to single spaces; prose keeps its line
    breaks of every kind as «\\n», its tabs as spaces, and is trimmed. The result is NFC."""
    kept = "".join(ch for ch in unicodedata.normalize("NFC", text) if ch not in INVISIBLE)
    if not prose:
        kept = " ".join(kept.split())
    else:
        kept = kept.replace("\r\n", "\n")
        for ch in "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029":
            kept = kept.replace(ch, "\n")
        kept = kept.replace("\t", " ").strip()
    return unicodedata.normalize("NFC", kept)


def first_forbidden(text: str, *, prose: bool = False) -> str | None:
    """The first character the entry rules must refuse `text` for, or None: the first
    forbidden character left once the text is stored as `stored_as` makes it (prose may keep
    its line breaks)."""
    for ch in stored_as(text, prose=prose):
        if is_forbidden(ch) and not (prose and ch == "\n"):
            return ch
    return None


def code_point(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def raw_controls(text: str) -> set[str]:
    """Characters in output that a terminal would obey or that change how text reads: C0 and
    C1 controls (line breaks aside), DEL, direction and other format characters."""
    return {
        ch
        for ch in text
        if ch not in "\n" and (unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs"))
    }


def describe_controls(found: Iterable[str]) -> list[str]:
    return sorted(code_point(ch) for ch in found)


# ----------------------------------------------------------------------------- older stores


def owner_of(store: Store, kind: str, record: Mapping) -> str:
    """The unit whose file holds a record, as the store decides it."""
    if kind == "unit":
        return record["parent"]
    if kind in ("attachment", "aid", "review"):
        address = store.stored("address", record["address"])
        assert address is not None, f"plant the address {record['address']} first"
        return address["owner"]
    return record["unit"]


def planted(store: Store, kind: str, record: Mapping) -> None:
    """Write `record` as a store of an older version holds it: the envelope of a version made
    here, the fields as given, none of today's checks (the store's merge takes versions that
    were validated elsewhere)."""
    key = record[KINDS[kind].key]
    document = {
        "id": key,
        "owner": owner_of(store, kind, record),
        "v": store.clock.tick(),
        "by": store.office.id,
    }
    document.update({k: v for k, v in record.items() if v is not None and v is not False})
    result = store.merge([(kind, document)])
    assert result.changed == 1, f"{kind} {key} was not written"


def rename_units(store: Store, names: Mapping[str, str]) -> None:
    """Give units of the directory other names, as a directory from a hostile (or older)
    province might: nothing checks them."""
    directory = dict(store.directory)
    directory["units"] = [
        {**unit, "name": names.get(unit["code"], unit["name"])} for unit in directory["units"]
    ]
    store.replace_directory(directory)
