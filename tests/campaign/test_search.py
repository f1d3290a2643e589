"""The words typed as a phrase, accents optional, with the abbreviations of addresses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign.search import Haystack, Query, key


def found(typed: str, *texts: str) -> list[str]:
    query = Query.of(typed)
    return [t for t in texts if query.in_phrase(key(t))]


PLACES = ("Khu phố 1", "Khu phố 10", "Khu phố 3", "Ấp Khu Phố", "Tổ dân phố 4", "Phường 1")


@pytest.mark.parametrize(
    ("typed", "wanted"),
    [
        ("khu pho 1", ["Khu phố 1"]),  # not 10: a number is whole; not «Phường 1»
        ("kp3", ["Khu phố 3"]),
        ("KP 3", ["Khu phố 3"]),
        ("khu ph", ["Khu phố 1", "Khu phố 10", "Khu phố 3", "Ấp Khu Phố"]),  # the last word grows
        ("pho khu", []),  # the words in their order
        ("tdp4", ["Tổ dân phố 4"]),
        ("phuong 1", ["Phường 1"]),
        ("", []),
    ],
)
def test_the_words_are_a_phrase(typed: str, wanted: list[str]) -> None:
    assert found(typed, *PLACES) == wanted


def test_accents_are_optional_and_words_start_words() -> None:
    names = ("Nguyễn Thị Lan", "Trần Thị Lan Anh", "Lê Văn Hoà", "Lê Văn Hòa", "Đặng Lan")
    assert found("thi lan", *names) == ["Nguyễn Thị Lan", "Trần Thị Lan Anh"]
    assert found("van hoa", *names) == ["Lê Văn Hoà", "Lê Văn Hòa"]
    assert found("dang", *names) == ["Đặng Lan"]
    assert found("an", *names) == ["Trần Thị Lan Anh"]  # «an» starts «Anh», not inside «Lan»


def test_every_word_somewhere_is_the_fallback() -> None:
    query = Query.of("nguyen lan")
    assert not query.in_phrase(key("Nguyễn Thị Lan"))
    assert query.in_words(key("Nguyễn Thị Lan Khu phố 2"))
    assert not query.in_words(key("Nguyễn Thị Hoa Khu phố 2"))
    assert Query.of("kp2 hoa").in_words(key("Nguyễn Thị Hoa Khu phố 2"))


LETTERS = "aăâbdđeêhiklmnoôơpqtuưy ạảấầẩẫậắằ0123456789KPT"
texts = st.lists(st.text(alphabet=LETTERS, max_size=24), max_size=30)
typed = st.one_of(
    st.text(alphabet=LETTERS, max_size=10), st.sampled_from(["kp 1", "tdp", "a\x00b", "\x00"])
)


@given(texts=texts, typed=typed)
def test_a_haystack_finds_what_each_key_would(texts: list[str], typed: str) -> None:
    """The search over a province's addresses at once (`Haystack`) finds exactly the keys a
    test of each key finds, the phrase and the fallback of every word alike."""
    keys = [key(t) for t in texts]
    query = Query.of(typed)
    haystack = Haystack(keys)
    assert query.phrase_in(haystack) == {n for n, k in enumerate(keys) if query.in_phrase(k)}
    assert query.words_in(haystack) == (
        {n for n, k in enumerate(keys) if query.in_words(k)} if query else set()
    )


def test_a_haystack_counts_a_key_once_at_its_position() -> None:
    haystack = Haystack([key("Lan Lan Lan"), key("Thị"), key("Hoa")])
    assert haystack.holding(" lan") == {0}
    assert haystack.holding(" hoa ") == {2} and haystack.holding("i ") == {1}
    assert haystack.holding("\x00") == set() and haystack.holding("") == set()
