"""The e-mail text form is read back from a message however a mail program mangled it."""

from __future__ import annotations

import os

import pytest

from sync import armor

PAYLOAD = os.urandom(3000)


def rewrap(text: str, width: int) -> str:
    """What a mail program does to long lines: join them, then cut them at another width."""
    out = []
    for line in text.splitlines():
        if line.startswith("-----") or not line:
            out.append(line)
            continue
        out.extend(line[i : i + width] for i in range(0, len(line), width))
    return "\n".join(out)


def joined(text: str) -> str:
    """What a format=flowed mail program may do: the base64 lines joined into one."""
    head, rest = text.split(armor.BEGIN)
    body, tail = rest.split(armor.END)
    return f"{head}{armor.BEGIN}\n{body.replace(chr(10), '')}\n{armor.END}{tail}"


MANGLED = {
    "as written": lambda t: t,
    "quoted in a reply": lambda t: "".join(f"> {line}\n" for line in t.splitlines()),
    "quoted twice": lambda t: "".join(f">> {line}\n" for line in t.splitlines()),
    "Windows line ends": lambda t: t.replace("\n", "\r\n"),
    "re-wrapped at 40": lambda t: rewrap(t, 40),
    "lines joined": joined,
    "inside a message": lambda t: "Chào anh,\ngửi anh gói dữ liệu.\n\n" + t + "\nThân,\nHoa\n",
}


@pytest.mark.parametrize("mangle", MANGLED.values(), ids=MANGLED.keys())
def test_the_text_form_is_read_back_from_a_mangled_message(mangle) -> None:  # type: ignore[no-untyped-def]
    text = armor.armor(PAYLOAD, "Gói dữ liệu nhandao số 3 của Phường 1.")
    assert armor.dearmor(mangle(text).encode()) == PAYLOAD


def test_lines_are_64_characters_with_a_checksum_line() -> None:
    lines = armor.armor(PAYLOAD).splitlines()
    assert lines[0] == armor.BEGIN and lines[-1] == armor.END
    assert all(len(line) == 64 for line in lines[1:-3])
    assert lines[-2].startswith("=") and len(lines[-2]) == 9


def test_a_changed_character_is_caught_by_the_checksum() -> None:
    lines = armor.armor(PAYLOAD).splitlines()
    lines[5] = ("B" if lines[5][0] == "A" else "A") + lines[5][1:]
    with pytest.raises(armor.ArmorError, match="checksum does not match"):
        armor.dearmor("\n".join(lines).encode())


def test_a_message_cut_before_the_end_line_is_refused() -> None:
    text = armor.armor(PAYLOAD)
    with pytest.raises(armor.ArmorError, match="cut short"):
        armor.dearmor(text[: len(text) // 2].encode())


def test_a_message_saved_as_utf16_by_notepad_is_read_back() -> None:
    from sync.reader import unwrap

    text = armor.armor(PAYLOAD, "Gói dữ liệu nhandao số 3 của Phường 1.")
    saved = text.replace("\n", "\r\n").encode("utf-16")  # with its byte-order mark
    assert unwrap(saved, "goi.txt") == PAYLOAD
