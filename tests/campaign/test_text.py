"""Vietnamese text: NFC, accent-free search keys, collation by given name."""

from __future__ import annotations

import sys
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from campaign.text import (
    FORBIDDEN,
    clean,
    collation_key,
    fold,
    forbidden,
    given_name_key,
    matches,
    nfc,
    quoted,
    shorten,
    visible,
)


def test_decomposed_text_is_stored_precomposed() -> None:
    typed = unicodedata.normalize("NFD", "Nguyễn Thị Hằng")
    assert typed != "Nguyễn Thị Hằng"
    assert nfc(typed) == "Nguyễn Thị Hằng"
    assert clean(f"  {typed}\t\n ") == "Nguyễn Thị Hằng"


def test_search_without_accents_finds_the_accented_name() -> None:
    assert fold("Nguyễn Văn A") == "nguyen van a"
    assert matches("nguyen van a", "Nguyễn Văn A")
    assert matches("NGUYEN  van", "Nguyễn Văn A")


def test_d_with_stroke_folds_to_d() -> None:
    assert fold("Đặng Đức Đạt") == "dang duc dat"
    assert matches("dat", "Lê Đạt")


def test_both_ways_of_placing_the_tone_mark_fold_alike() -> None:
    assert fold("Hoà") == fold("Hòa") == "hoa"
    assert matches("Hoà Thành", "Huyện Hòa Thành")


def test_every_word_of_the_query_must_occur() -> None:
    assert matches("van an", "Nguyễn Văn An")
    assert not matches("van binh", "Nguyễn Văn An")


def test_names_sort_by_given_name_then_the_rest() -> None:
    names = ["Trần Thị Ánh", "Nguyễn Văn An", "Lê Văn Ân", "Phạm Thị Ăn", "Võ Bình", "Lê Đạt",
             "Đỗ Văn Dũng", "Lý Ánh"]  # fmt: skip
    assert sorted(names, key=given_name_key) == [
        "Nguyễn Văn An", "Lý Ánh", "Trần Thị Ánh", "Phạm Thị Ăn", "Lê Văn Ân", "Võ Bình",
        "Đỗ Văn Dũng", "Lê Đạt",
    ]  # fmt: skip


def test_collation_follows_the_vietnamese_alphabet() -> None:
    letters = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "g", "h", "i", "k", "l", "m", "n", "o",
               "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "x", "y"]  # fmt: skip
    assert sorted(reversed(letters), key=collation_key) == letters


def test_tones_sort_after_letters_in_dictionary_order() -> None:
    # no tone, huyền, hỏi, ngã, sắc, nặng
    assert sorted(["má", "mạ", "mà", "ma", "mã", "mả"], key=collation_key) == [
        "ma", "mà", "mả", "mã", "má", "mạ",
    ]  # fmt: skip
    # the letter decides before the tone does
    assert collation_key("ạb") < collation_key("ăa")


@given(st.text())
def test_folding_is_idempotent_and_nfd_blind(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert fold(unicodedata.normalize("NFD", text)) == fold(text)


def test_the_forbidden_class_covers_every_control_format_and_separator_character() -> None:
    missing = [
        f"U+{cp:04X}"
        for cp in range(sys.maxunicode + 1)
        if unicodedata.category(chr(cp)) in ("Cc", "Cf", "Cs", "Zl", "Zp")
        and not FORBIDDEN.fullmatch(chr(cp))
    ]
    assert missing == []


def test_the_forbidden_class_spares_letters_marks_spaces_and_symbols() -> None:
    spared = [
        chr(cp)
        for cp in range(0x3000)
        if unicodedata.category(chr(cp))[0] in "LMNPSZ"
        and unicodedata.category(chr(cp)) not in ("Zl", "Zp")
        and FORBIDDEN.fullmatch(chr(cp))
        and chr(cp) != "\u00ad"  # soft hyphen: Cf in Unicode, dropped on entry
    ]
    assert spared == []


def test_zero_width_characters_are_dropped_on_entry() -> None:
    assert clean("Nguy\u200bễn\ufeff Văn\u00ad A\u2060") == "Nguyễn Văn A"
    assert clean("\u200d") == ""


def test_a_note_keeps_its_line_breaks_of_every_kind_as_one() -> None:
    assert clean(" Dòng 1\r\nDòng 2\rDòng 3\u2028Dòng\t4 ", prose=True) == (
        "Dòng 1\nDòng 2\nDòng 3\nDòng 4"
    )
    assert clean("Dòng 1\nDòng 2") == "Dòng 1 Dòng 2"


def test_forbidden_names_the_first_control_or_direction_character() -> None:
    assert forbidden("Trường THCS [cơ sở 2] :fire:") is None
    assert forbidden("Tên\x1b[2J") == (4, "U+001B")
    assert forbidden("abc\u202eđảo") == (4, "U+202E")
    assert forbidden("a\x00") == (2, "U+0000")
    assert forbidden("a\x9bb") == (2, "U+009B")
    assert forbidden("dòng 1\ndòng 2", prose=True) is None
    assert forbidden("dòng 1\ndòng 2") == (7, "U+000A")
    assert forbidden("dòng 1\n\x07", prose=True) == (8, "U+0007")


def test_visible_shows_every_control_as_a_placeholder_and_leaves_the_rest() -> None:
    assert visible("Tên\x1b[2J\x1b]0;x\x07") == "Tên␛[2J␛]0;x␇"
    assert visible("a\x00b\x7fc\x9bd") == "a␀b␡c⟨U+009B⟩d"
    assert visible("\u202eabc") == "⟨U+202E⟩abc"
    assert visible("hai\ndòng") == "hai␤dòng"
    assert visible("hai\ndòng", lines=True) == "hai\ndòng"
    assert visible("Trường [cơ sở 2] [/] :fire:") == "Trường [cơ sở 2] [/] :fire:"
    assert visible("khoảng\u00a0trắng") == "khoảng\u00a0trắng"


@given(st.text())
def test_nothing_visible_returns_can_drive_a_terminal(text: str) -> None:
    shown = visible(text)
    assert not any(FORBIDDEN.fullmatch(ch) for ch in shown)
    assert visible(text, lines=True).replace("\n", "") == visible(text.replace("\n", ""))


def test_a_long_value_is_cut_in_a_message_with_its_length() -> None:
    assert shorten("ngắn") == "ngắn"
    long = "x" * 1_000_000
    cut = quoted(long)
    assert cut == "«" + "x" * 80 + "… (1.000.000 ký tự)»"
    assert quoted("\x1b[2J") == "«␛[2J»"


def test_a_name_sorts_the_same_wherever_its_tone_mark_is_written() -> None:
    from campaign.text import collation_key, given_name_key

    assert collation_key("Hoà")[:2] == collation_key("Hòa")[:2]
    assert collation_key("Thuỷ")[:2] == collation_key("Thủy")[:2]
    people = ["Lê Văn Hòa", "Trần Thị Hoa", "Nguyễn Văn Hoà", "Phạm Thị Hóa", "Lê Thị Hà"]
    # By given name: Hà, Hoa, then the two Hoà/Hòa together (by the rest), then Hóa.
    assert sorted(people, key=given_name_key) == [
        "Lê Thị Hà", "Trần Thị Hoa", "Lê Văn Hòa", "Nguyễn Văn Hoà", "Phạm Thị Hóa",
    ]  # fmt: skip
