"""The words typed as a phrase, accents optional, with the abbreviations of addresses."""

from __future__ import annotations

import pytest

from campaign.search import Query, key


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
