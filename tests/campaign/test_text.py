"""Vietnamese text: NFC, accent-free search keys, collation by given name."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from campaign.text import clean, collation_key, fold, given_name_key, matches, nfc


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
