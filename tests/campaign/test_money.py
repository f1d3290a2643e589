"""Money: what staff type, and «1.500.000 đ»."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign.money import MoneyError, format_money, format_number, parse_money


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1.500.000", 1_500_000),
        ("1.500.000 đ", 1_500_000),
        ("1.500.000đ", 1_500_000),
        ("1,500,000", 1_500_000),
        ("1500000", 1_500_000),
        ("1,5tr", 1_500_000),
        ("1.5 triệu", 1_500_000),
        ("1,5 TRIỆU", 1_500_000),
        ("1tr5", 1_500_000),
        ("1tr250", 1_250_000),
        ("500k", 500_000),
        ("500 nghìn", 500_000),
        ("500 ngàn", 500_000),
        ("2 tỷ", 2_000_000_000),
        ("2 tỉ", 2_000_000_000),
        ("1 tỷ 200 triệu", 1_200_000_000),
        ("2 triệu 500 nghìn", 2_500_000),
        ("1.500k", 1_500_000),
        ("0", 0),
        ("1.000 VNĐ", 1_000),
        ("300.000 đồng", 300_000),
        ("  750k  ", 750_000),
    ],
)
def test_amounts_as_staff_type_them(typed: str, amount: int) -> None:
    assert parse_money(typed) == amount


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Chưa nhập số tiền"),
        ("abc", "Không hiểu số tiền «abc»"),
        ("-500k", "không được âm"),
        ("1.5", "số đồng nguyên"),
        ("1,2345678tr", "số đồng nguyên"),
        ("1.500,000", "Không hiểu"),
        ("500k 2tr", "Không hiểu"),
        ("1tr5000", "Không hiểu"),
        ("5 đô", "Không hiểu"),
    ],
)
def test_unreadable_amounts_get_a_vietnamese_explanation(typed: str, says: str) -> None:
    with pytest.raises(MoneyError, match=says):
        parse_money(typed)


def test_amounts_are_shown_with_dots_between_thousands() -> None:
    assert format_money(1_500_000) == "1.500.000 đ"
    assert format_money(0) == "0 đ"
    assert format_money(999) == "999 đ"
    assert format_number(317_487_350_000) == "317.487.350.000"
    assert format_number(-1_000) == "-1.000"


@given(st.integers(min_value=0, max_value=10**15))
def test_every_formatted_amount_reads_back(amount: int) -> None:
    assert parse_money(format_money(amount)) == amount
    assert parse_money(format_number(amount)) == amount
    assert parse_money(str(amount)) == amount
