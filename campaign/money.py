"""Money in đồng: parsing what staff type («1,5tr», «500k», «2 tỷ») and formatting «1.500.000 đ»."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from campaign.text import fold

# The largest value a single aid delivery may have: 10 tỷ đồng. Anything above is a typing error.
MAX_AID_VALUE = 10_000_000_000

_MULTIPLIERS = {
    "k": 3,
    "nghin": 3,
    "ngan": 3,
    "ng": 3,
    "tr": 6,
    "trieu": 6,
    "cu": 6,
    "ty": 9,
    "ti": 9,
}
# Checked in this order: none of the multiplier words ends in "d".
_CURRENCY = ("vnd", "dong", "d")
# One term: a numeral then an optional multiplier word ("1,5 tr", "500k", "2 tỷ").
_TERM = re.compile(r"(\d[\d.,]*)\s*([a-z]*)\s*")
_GROUPED = re.compile(r"\d{1,3}([.,])\d{3}(\1\d{3})*")


class MoneyError(ValueError):
    """An amount that cannot be read; `str()` is a Vietnamese sentence for the user."""


def _numeral(text: str) -> Decimal:
    """Read a numeral where '.' or ',' groups thousands (three digits follow) or marks decimals."""
    if _GROUPED.fullmatch(text):
        return Decimal(re.sub(r"[.,]", "", text))
    if text.count(".") + text.count(",") > 1:
        raise InvalidOperation(text)
    return Decimal(text.replace(",", "."))


def parse_money(text: str) -> int:
    """An amount in đồng from what a person typed.

    Accepts «1.500.000», «1.500.000 đ», «1500000», «1,5tr», «1.5 triệu», «1tr5», «500k»,
    «500 nghìn», «2 tỷ», «1 tỷ 200 triệu». Raises MoneyError with a Vietnamese message.
    """
    raw = text
    key = fold(text).replace(" ", "")
    for suffix in _CURRENCY:
        if key.endswith(suffix):
            key = key[: -len(suffix)]
            break
    if not key:
        raise MoneyError("Chưa nhập số tiền.")
    if key.startswith("-"):
        raise MoneyError(f"Số tiền «{raw.strip()}» không được âm.")
    total = Decimal(0)
    position = 0
    last_exponent: int | None = None
    while position < len(key):
        match = _TERM.match(key, position)
        if not match:
            raise MoneyError(_not_understood(raw))
        numeral, word = match.group(1), match.group(2)
        position = match.end()
        if word and word not in _MULTIPLIERS:
            raise MoneyError(_not_understood(raw))
        try:
            amount = _numeral(numeral)
        except InvalidOperation:
            raise MoneyError(_not_understood(raw)) from None
        if word:
            exponent = _MULTIPLIERS[word]
            if last_exponent is not None and exponent >= last_exponent:
                raise MoneyError(_not_understood(raw))
            total += amount * (Decimal(10) ** exponent)
            last_exponent = exponent
        elif last_exponent is not None and position == len(key) and numeral.isdigit():
            # «1tr5» = 1.500.000, «1tr250» = 1.250.000: the digits continue the last unit.
            if len(numeral) > 3:
                raise MoneyError(_not_understood(raw))
            total += amount * (Decimal(10) ** (last_exponent - len(numeral)))
        elif last_exponent is None and position == len(key):
            total += amount
        else:
            raise MoneyError(_not_understood(raw))
    if total != total.to_integral_value():
        raise MoneyError(f"Số tiền «{raw.strip()}» phải là số đồng nguyên, không có phần lẻ.")
    return int(total)


def _not_understood(raw: str) -> str:
    return (
        f"Không hiểu số tiền «{raw.strip()}». "
        "Hãy nhập như 1.500.000, 1,5tr, 500k, 2 triệu hoặc 1 tỷ."
    )


def format_number(value: int) -> str:
    """«1.500.000»: an integer with dots between thousands, as Vietnamese readers expect."""
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,}".replace(",", ".")


def format_money(value: int) -> str:
    """«1.500.000 đ»."""
    return f"{format_number(value)} đ"
