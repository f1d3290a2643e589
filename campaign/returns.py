"""The figures of a hand-filled Bảng tổng hợp (a unit's return, docs/RETURNS.md): how a typed
figure is read, and what must hold between the columns of a row.

Columns 3–8 of the summary table (DOMAIN.md): 3 addresses with a dossier, 4 helped by the Red
Cross, 5 helped by others, 6 = 4 + 5 helped, 7 people helped, 8 value in đồng. Each helped
address is at least one person, so 7 ≥ 6. Addresses may be helped before their dossier is
opened, so 3 ≥ 6 is not required; a row where it fails is only pointed out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from campaign.text import fold, nfc

COLUMNS = ("3", "4", "5", "6", "7", "8")
# The fields of a return record holding each column.
FIELDS = {"3": "dossiers", "4": "red_cross", "5": "outside", "6": "helped", "7": "people",
          "8": "value"}  # fmt: skip

# «1.234.567», «1 234 567», «1,234,567» (thousands grouped by threes), or plain digits; then
# perhaps the currency: «đ», «đồng», «VNĐ».
_GROUPED = re.compile(r"\d{1,3}(?:([.,\s])\d{3})?(?:\1\d{3})*|\d+")
_CURRENCY = re.compile(r"\s*(?:đ|đồng|dong|vnđ|vnd)\.?\s*$", re.IGNORECASE)


class NotAFigure(ValueError):
    """A cell that is not a whole number ≥ 0; the sentence says what it holds, in Vietnamese."""


def figure(value: object) -> int:
    """The whole number ≥ 0 a cell holds: a number, or text as people type it («1.234.567 đ»,
    «12»); an empty cell is 0. NotAFigure otherwise."""
    if value is None:
        return 0
    if isinstance(value, bool):
        raise NotAFigure(f"«{value}» không phải một số")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")) or not value.is_integer():
            raise NotAFigure(f"«{_shown(value)}» không phải một số nguyên")
        number = int(value)
    elif isinstance(value, str):
        text = _CURRENCY.sub("", nfc(value).strip().replace("\u00a0", " "))
        if not text:
            return 0
        negative = text.startswith(("-", "−"))
        digits = text.lstrip("-−").strip()
        if not _GROUPED.fullmatch(digits):
            raise NotAFigure(f"«{_shown(value)}» không phải một số nguyên")
        number = int(re.sub(r"[.,\s]", "", digits))
        if negative:
            number = -number
    else:
        raise NotAFigure(f"«{_shown(value)}» không phải một số")
    if number < 0:
        raise NotAFigure(f"«{_shown(value)}» là số âm")
    return number


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def row_problems(figures: Mapping[str, int]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(problems, warnings) of one row's figures (column → value), each as (the column it is
    about, the sentence)."""
    problems: list[tuple[str, str]] = []
    warnings: list[tuple[str, str]] = []
    red_cross, outside, helped = figures["4"], figures["5"], figures["6"]
    if helped != red_cross + outside:
        problems.append(
            ("6", f"cột 6 phải bằng cột 4 + cột 5 ({red_cross} + {outside} = "
                  f"{red_cross + outside}), đang ghi {helped}")
        )  # fmt: skip
    if figures["7"] < helped:
        problems.append(
            ("7", f"cột 7 (số người được trợ giúp, {figures['7']}) không được nhỏ hơn cột 6 "
                  f"(số địa chỉ được trợ giúp, {helped}): mỗi địa chỉ có ít nhất một người")
        )  # fmt: skip
    if figures["3"] < helped:
        warnings.append(
            ("3", f"cột 3 (địa chỉ được lập hồ sơ, {figures['3']}) nhỏ hơn cột 6 (địa chỉ được "
                  f"trợ giúp, {helped}), có thể vì có địa chỉ được trợ giúp trước khi lập hồ sơ")
        )  # fmt: skip
    return problems, warnings


def is_number_row(cells: list[object]) -> bool:
    """The row of column numbers under the table's header: «1 2 3 4 5 6 = 4+5 7 8»."""
    texts = [re.sub(r"[\s()]", "", fold(str(c))) for c in cells if c is not None and str(c).strip()]
    texts = [t.removesuffix(".0").rstrip(".") for t in texts]
    return texts[:8] == ["1", "2", "3", "4", "5", "6=4+5", "7", "8"] or texts[:8] == [
        "1", "2", "3", "4", "5", "6", "7", "8"]  # fmt: skip


def is_total_label(value: object) -> bool:
    return isinstance(value, str) and " ".join(fold(value).split()).rstrip(":") in (
        "tong cong", "cong", "tong", "tong so")  # fmt: skip
