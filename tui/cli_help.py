"""The command line's own words in Vietnamese: «Cách dùng», «tuỳ chọn», and argparse's messages
for a command typed wrong.

argparse marks its phrases for translation with gettext (`argparse._`); this module gives them
their Vietnamese, so that `nhandao --help` and an option typed wrong speak as the rest of the
program does. A phrase not listed here stays as argparse writes it.
"""

from __future__ import annotations

import argparse
from typing import Any

# argparse's phrases (Python 3.10–3.13) and their Vietnamese.
PHRASES = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "tham số",
    "options": "tuỳ chọn",
    "optional arguments": "tuỳ chọn",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "show program's version number and exit": "in phiên bản rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "the following arguments are required: %s": "còn thiếu: %s",
    "unrecognized arguments: %s": "không hiểu: %s",
    "expected one argument": "cần một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "không có lựa chọn %(value)r (hãy chọn một trong: %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không hợp lệ (%(type)s)",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "not allowed with argument %s": "không dùng cùng %s",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tuỳ chọn %(option)s chưa rõ: có thể là %(matches)s"
    ),
    "one of the arguments %s is required": "cần một trong: %s",
    "expected %s arguments": "cần %s giá trị",
}


def translated(message: str) -> str:
    return PHRASES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """argparse's plural phrases («expected %s argument(s)»)."""
    if singular == "expected %s argument":
        return "cần %s giá trị"
    return translated(singular if n == 1 else plural)


def install() -> None:
    """Give argparse its Vietnamese (it looks its phrases up at the moment it uses them)."""
    argparse._ = translated  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are in Vietnamese (see `install`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        install()
        super().__init__(*args, **kwargs)
